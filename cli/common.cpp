// Shared steps of the data commands.
#include "cli/common.hpp"

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "runtime/calendar.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/ingest/postgres.hpp"
#include "runtime/ingest/values.hpp"

namespace slac::cli {

std::optional<std::int64_t> parse_instant(std::string_view text, const Zone& zone, rt::TimeUnit unit, std::string& why) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    int y = 0;
    unsigned m = 0, d = 0;
    bool digits = true;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) digits &= text[i] >= '0' && text[i] <= '9';
    if (digits) {
      y = std::stoi(std::string(text.substr(0, 4)));
      m = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
      d = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
      if (auto problem = date_problem(y, m, d)) {
        why = fmt::format("`{}` is not a date: {}", text, *problem);
        return std::nullopt;
      }
      if (y < 1970) {
        why = fmt::format("`{}` is before 1970", text);
        return std::nullopt;
      }
      return rt::local_midnight(zone, days_from_civil(y, m, d));
    }
  }
  // An epoch number is read in the data's unit (`--time-unit`), with the data's rule
  // that a number landing before 1971 is in the wrong unit.
  return rt::parse_data_time(text, rt::TimeReading{unit, std::nullopt}, why);
}

Prepared prepare(const DataOptions& options, const char* command) {
  Prepared p;
  bool database = rt::ingest::is_database_uri(options.data);
  if (!database && (options.data_schema || !options.data_map.empty())) {
    throw CommandError{exit_usage, fmt::format("slac {}: {} names a database's relations; --data {} is a folder", command,
                                               options.data_schema ? "--data-schema" : "--data-map", options.data)};
  }
  if (!options.data_map.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.data_map, ec)) {
      throw CommandError{exit_usage, fmt::format("slac {}: --data-map {}: no such file", command, options.data_map)};
    }
  }
  if (!options.data.empty() && !database && options.files.empty()) {
    // A --data that names no folder is a mistake on the command line (exit 2), like a
    // contract that cannot be read; what is wrong inside a dataset is a data error (3).
    std::error_code ec;
    if (!std::filesystem::is_directory(options.data, ec)) {
      bool exists = std::filesystem::exists(options.data, ec);
      // Connection text that is not a postgresql:// URI may hold a password: not shown.
      if (!exists && (options.data.find("://") != std::string::npos || options.data.find('=') != std::string::npos)) {
        throw CommandError{exit_usage, fmt::format("slac {}: --data: no such folder, and not a PostgreSQL URI (postgresql://... or "
                                                   "postgres://..., in lower case)",
                                                   command)};
      }
      throw CommandError{exit_usage, fmt::format("slac {}: --data {}: {}", command, options.data,
                                                 exists ? "not a folder (a dataset is a folder holding sites.csv, "
                                                          "devices.csv and events.csv)"
                                                        : "no such folder")};
    }
  }
  try {
    p.compilation = compile_file(options.contract, options.contract_text);
  } catch (const FileError& e) {
    throw CommandError{exit_usage, fmt::format("slac {}: {}", command, e.what())};
  }
  Compilation& c = p.compilation;
  if (!c.ok()) {
    fmt::print(err(), "{}", render_text(c.diags, c.program->sources, RenderOptions{use_color(err())}));
    throw CommandError{exit_failed, fmt::format("slac {}: {} has errors", command, options.contract)};
  }
  std::vector<std::pair<std::string, std::string>> sets;
  for (const auto& s : options.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw CommandError{exit_usage, fmt::format("slac {}: --set takes NAME=VALUE, not `{}`", command, s)};
    }
    // `--set "target = 95%"`: the spaces around the name and the value are not part of them.
    sets.emplace_back(trim_blanks(std::string_view(s).substr(0, eq)), trim_blanks(std::string_view(s).substr(eq + 1)));
  }
  std::string error;
  auto params = param_values(c.model, sets, error);
  if (!params) throw CommandError{exit_usage, fmt::format("slac {}: {}", command, error)};
  p.params = *params;
  if (!sets.empty()) {
    // W001 judges the levels as they will be used: with the params as set.
    Diagnostics judged(c.diags.cap());
    for (const auto& d : c.diags.list()) {
      if (d.code != Code::warn_at_target) judged.add(d);
    }
    for (const auto& sla : c.model.slas) {
      if (auto why = warn_at_target(c.model, sla, p.params)) judged.warning(Code::warn_at_target, sla.warn->range, *why);
    }
    judged.sort();
    c.diags = std::move(judged);
  }
  // The contract's warnings, located, on standard error: beside the results, never in
  // the JSON or CSV on standard output.
  fmt::print(err(), "{}", render_text(c.diags, c.program->sources, RenderOptions{use_color(err())}));
  if (options.slas.empty()) {
    for (std::size_t i = 0; i < c.model.slas.size(); ++i) p.selected.push_back(i);
  } else {
    for (std::size_t i = 0; i < c.model.slas.size(); ++i) {
      if (std::find(options.slas.begin(), options.slas.end(), c.model.slas[i].name) != options.slas.end()) {
        p.selected.push_back(i);
      }
    }
    for (const auto& name : options.slas) {
      if (!c.model.find_sla(name)) {
        std::vector<std::string_view> names;
        for (const auto& s : c.model.slas) names.push_back(s.name);
        std::string msg = fmt::format("slac {}: --sla {}: the contract has no SLA or KPI `{}`", command, name, name);
        if (auto near = closest_name(name, names)) msg += fmt::format("; did you mean `{}`?", *near);
        else if (!names.empty()) msg += fmt::format(" (it has: {})", fmt::join(names, ", "));
        throw CommandError{exit_usage, msg};
      }
    }
  }
  p.times.unit = options.time_unit == "s" ? rt::TimeUnit::s : rt::TimeUnit::ms;
  for (auto [text, slot, flag] : {std::tuple{&options.from, &p.from, "--from"}, std::tuple{&options.to, &p.to, "--to"}}) {
    if (!*text) continue;
    std::string why;
    auto t = parse_instant(**text, c.model.timezone, p.times.unit, why);
    if (!t) throw CommandError{exit_usage, fmt::format("slac {}: {} {}: {}", command, flag, **text, why)};
    *slot = *t;
  }
  if (options.data_timezone) {
    p.times.zone = find_zone(*options.data_timezone);
    if (!p.times.zone) {
      // The same advice as for a contract's `timezone` (abbreviations, fixed offsets).
      throw CommandError{exit_usage, fmt::format("slac {}: --data-timezone {}: not an IANA time zone{}", command,
                                                 *options.data_timezone, unknown_zone_hint(*options.data_timezone))};
    }
  }
  if (p.from && p.to && *p.from >= *p.to) {
    throw CommandError{exit_usage, fmt::format("slac {}: --from must be before --to", command)};
  }
  return p;
}

rt::Dataset read_data(const DataOptions& options, const rt::TimeReading& times, const Model& model,
                      const std::vector<std::size_t>& selected,
                      std::optional<std::int64_t> ignore_after, std::vector<rt::SignalStorage> storage, bool warn,
                      std::optional<std::int64_t> history_from) {
  rt::LoadOptions lo;
  lo.times = times;
  lo.storage = std::move(storage);
  lo.skip_bad_rows = options.skip_bad_rows;
  lo.strict = options.strict;
  lo.ignore_after = ignore_after;
  lo.data_schema = options.data_schema;
  lo.data_map = options.data_map;
  lo.history_from = history_from;
  lo.threads = options.threads;
  if (!options.files.empty()) lo.files = &options.files;
  for (std::size_t i : selected) {
    const SlaInfo& s = model.slas[i];
    if (s.requirement.kind == RequirementKind::weighted) lo.weight_attributes.push_back(s.requirement.attribute);
  }
  rt::Dataset data;
  try {
    data = rt::load_dataset(options.data, model, lo);
  } catch (const rt::DataError& e) {
    throw CommandError{exit_data, e.what()};
  }
  if (warn) print_data_warnings(data);
  return data;
}

void print_data_warnings(const rt::Dataset& data) {
  const auto& counts = data.counts;
  std::string file = data.events_file;
  // At most this many warnings of each kind, then how many more: a feed of a million
  // stray ids must not bury the result.
  constexpr std::size_t shown = 20;
  auto more = [&](std::size_t total, const char* what) {
    if (total > shown) fmt::print(err(), "warning: {}: ... and {} more {}\n", file, total - shown, what);
  };
  std::size_t n = 0;
  for (const auto& [name, u] : counts.undeclared) {
    if (n++ == shown) break;
    fmt::print(err(), "warning: {}: {} row{} of signal {}, which the contract does not declare (first at {})\n",
               file, u.rows, u.rows == 1 ? "" : "s", rt::ingest::quoted(name), data.where(u.first_line));
  }
  more(counts.undeclared.size(), "undeclared signals");
  n = 0;
  for (const auto& [id, u] : counts.unknown) {
    if (n++ == shown) break;
    fmt::print(err(), "warning: {}: {} row{} of {}, which is not in the inventory (first at {})\n", file, u.rows,
               u.rows == 1 ? "" : "s", rt::ingest::quoted(id), data.where(u.first_line));
  }
  more(counts.unknown.size(), "unknown ids");
  n = 0;
  for (const auto& [key, u] : counts.wrong_level) {
    if (n++ == shown) break;
    const auto& [id, signal] = key;
    bool site = data.site_index.contains(id);
    fmt::print(err(), "warning: {}: {} row{} of {} signal `{}` for {}, which is a {} (first at {})\n", file, u.rows,
               u.rows == 1 ? "" : "s", site ? "device" : "site", signal, rt::ingest::quoted(id), site ? "site" : "device",
               data.where(u.first_line));
  }
  more(counts.wrong_level.size(), "ids of the other level");
  if (counts.skipped_rows > 0 && data.database) {
    fmt::print(err(), "warning: {}: skipped {} bad row{}; the first: {}\n", file, counts.skipped_rows,
               counts.skipped_rows == 1 ? "" : "s", counts.first_skip_reason);
  } else if (counts.skipped_rows > 0) {
    std::string lines;
    for (std::size_t l : counts.skipped_lines) lines += fmt::format("{}{}", lines.empty() ? "" : ", ", l);
    fmt::print(err(), "warning: {}: skipped {} bad row{} (line{} {}{}); the first: {}\n", file, counts.skipped_rows,
               counts.skipped_rows == 1 ? "" : "s", counts.skipped_rows == 1 ? "" : "s", lines,
               counts.skipped_rows > counts.skipped_lines.size() ? ", ..." : "", counts.first_skip_reason);
  }
  // A database that gave no row says why, beside the results (they are the same as
  // for an empty file).
  if (!data.no_rows_reason.empty()) fmt::print(err(), "warning: {}: no events: {}\n", file, data.no_rows_reason);
  if (data.tied_instants > 0) {
    fmt::print(err(),
               "warning: {}: {} instant{} where one entity's signal has rows with different values and no order "
               "column says which came last; the greatest value was taken (name an `order` column in --data-map)\n",
               file, data.tied_instants, data.tied_instants == 1 ? "" : "s");
  }
}

std::optional<std::int64_t> history_from(const Prepared& p, const Plan& plan) {
  if (!p.from) return std::nullopt;
  constexpr std::int64_t day = 86'400'000;
  return *p.from - rt::history_needed(plan, p.selected) - day;
}

std::optional<std::int64_t> parse_as_of(std::string_view text, const Zone& zone, rt::TimeUnit unit, std::string& why) {
  if (text == "now") {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  return parse_instant(text, zone, unit, why);
}

std::string output_format(const DataOptions& options) {
  if (!options.format.empty()) return options.format;
  return is_terminal(out()) ? "table" : "json";
}

}  // namespace slac::cli
