// `slac whatif`: the history replayed over candidate terms, for sales.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "runtime/evaluate.hpp"
#include "whatif/whatif.hpp"

namespace slac::cli {

int run_whatif(const WhatifOptions& options) {
  try {
    if (options.data.slas.size() > 1) {
      throw CommandError{exit_usage, "slac whatif: name exactly one SLA with --sla"};
    }
    if (options.sweeps.empty() || options.sweeps.size() > 2) {
      throw CommandError{exit_usage, "slac whatif: give one or two --sweep PARAM=FROM..TO[/STEP]"};
    }
    // The chart is SVG: refuse a name that promises another format before any work.
    if (options.chart) {
      std::string ext = std::filesystem::path(*options.chart).extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (ext != ".svg") {
        throw CommandError{exit_usage, fmt::format("slac whatif: --chart {}: the chart is SVG; name a file ending in "
                                                   "`.svg`{}",
                                                   *options.chart, ext.empty() ? "" : fmt::format(", not `{}`", ext))};
      }
    }
    Prepared p = prepare(options.data, "whatif");
    const Model& model = p.compilation.model;
    if (options.data.slas.empty()) {
      // Without --sla, the contract's only SLA (KPIs have no terms to sweep).
      std::vector<std::size_t> slas;
      std::vector<std::string> names;
      for (std::size_t i = 0; i < model.slas.size(); ++i) {
        if (model.slas[i].is_kpi) continue;
        slas.push_back(i);
        names.push_back("`" + model.slas[i].name + "`");
      }
      if (slas.size() != 1) {
        throw CommandError{exit_usage, slas.empty() ? "slac whatif: the contract has no SLA to sweep"
                                                    : fmt::format("slac whatif: the contract has {} SLAs ({}); name one "
                                                                  "with --sla",
                                                                  slas.size(), fmt::join(names, ", "))};
      }
      p.selected = slas;
    }
    std::size_t sla = p.selected.front();
    if (model.slas[sla].is_kpi) {
      throw CommandError{exit_usage, fmt::format("slac whatif: `{}` is a KPI; it has no terms to sweep", model.slas[sla].name)};
    }
    std::vector<rt::Sweep> sweeps;
    for (const auto& text : options.sweeps) {
      std::string error;
      auto sweep = rt::parse_sweep(model, text, error);
      if (!sweep) throw CommandError{exit_usage, "slac whatif: " + error};
      if (!rt::sla_uses_param(model, sla, sweep->param)) {
        throw CommandError{exit_usage, fmt::format("slac whatif: SLA `{}` does not use param `{}`", model.slas[sla].name,
                                                   model.params[sweep->param].name)};
      }
      for (const auto& other : sweeps) {
        if (other.param == sweep->param) throw CommandError{exit_usage, "slac whatif: the same param is swept twice"};
      }
      sweeps.push_back(std::move(*sweep));
    }
    std::optional<Decimal> confidence;
    bool higher_stricter = true;
    if (options.recommend) {
      std::string text = *options.recommend;
      bool percent = !text.empty() && text.back() == '%';
      auto d = Decimal::parse(percent ? text.substr(0, text.size() - 1) : text);
      if (d && percent) {
        d->scale = static_cast<std::uint8_t>(d->scale + 2);
        d = d->normalized();
      }
      if (!d || d->is_negative() || *d > Decimal::integer(1)) {
        throw CommandError{exit_usage, fmt::format("slac whatif: --recommend {}: expected a share such as 0.95 or 95%", text)};
      }
      if (sweeps.size() != 1) throw CommandError{exit_usage, "slac whatif: --recommend works with one --sweep"};
      std::string why;
      auto dir = rt::higher_is_stricter(model, sla, sweeps[0].param, why);
      if (!dir) throw CommandError{exit_usage, "slac whatif: --recommend: " + why};
      higher_stricter = *dir;
      confidence = d;
    }
    // Keep what every swept plan needs of the events.
    std::vector<rt::SignalStorage> storage;
    for (const auto& sweep : sweeps) {
      for (const auto& v : sweep.values) {
        std::vector<ParamValue> params = p.params;
        params[sweep.param] = v;
        auto st = rt::signal_storage(lower(model, params), p.selected);
        if (storage.empty()) {
          storage = st;
          continue;
        }
        for (std::size_t i = 0; i < st.size(); ++i) {
          auto& into = storage[i];
          if (into.kind == rt::SignalStorage::raw || st[i].kind == rt::SignalStorage::raw) {
            into.kind = st[i].kind == rt::SignalStorage::none && into.kind == rt::SignalStorage::none ? rt::SignalStorage::none
                                                                                                      : rt::SignalStorage::raw;
          } else if (st[i].kind == rt::SignalStorage::runs) {
            into.run_gap = into.kind == rt::SignalStorage::runs ? std::min(into.run_gap, st[i].run_gap) : st[i].run_gap;
            into.kind = rt::SignalStorage::runs;
          }
        }
      }
    }
    rt::Dataset data = read_data(options.data, p.times, model, p.selected, std::nullopt, storage);
    std::string error;
    auto span = rt::default_span(data, model.timezone, p.from, p.to, error);
    if (!span) throw CommandError{exit_data, fmt::format("slac whatif: {}", error)};
    rt::WhatifResult result = rt::whatif(model, p.params, data, span->from, span->to, sla, sweeps);
    std::optional<std::size_t> recommended;
    if (confidence) recommended = rt::recommend(result, *confidence, higher_stricter);
    std::string format = output_format(options.data);
    if (format == "json") {
      fmt::print(out(), "{}", rt::whatif_json(model, result, recommended));
    } else if (format == "csv") {
      fmt::print(out(), "{}", rt::whatif_csv(model, result));
    } else {
      fmt::print(out(), "{}", rt::whatif_table(model, result, recommended, confidence, use_color(out())));
    }
    if (options.chart) {
      std::ofstream out(*options.chart, std::ios::binary);
      out << rt::whatif_svg(model, result, recommended, span->from, span->to);
      if (!out) throw CommandError{exit_usage, fmt::format("slac whatif: cannot write {}", *options.chart)};
    }
    return exit_ok;
  } catch (const CommandError& e) {
    fmt::print(err(), "{}\n", e.message);
    return e.exit_code;
  }
}

}  // namespace slac::cli
