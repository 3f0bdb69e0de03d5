// `slac eval`: judge every SLA and KPI over the history.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/terminal.hpp"
#include "runtime/coverage.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/output.hpp"

namespace slac::cli {

int report_evaluation(const EvalOptions& options, const Prepared& p, const Plan& plan, const rt::Dataset& data,
                      const rt::Evaluation& ev) {
  const Model& model = p.compilation.model;
  rt::Coverage coverage = rt::data_coverage(plan, data, rt::judged_until(ev));
  std::vector<rt::Warning> warnings = rt::eval_warnings(plan, data, ev, coverage, p.selected);
  std::string format = output_format(options.data);
  // Warnings are in the JSON; beside a table or CSV they go to standard error.
  if (format != "json") fmt::print(err(), "{}", rt::warnings_text(warnings));
  if (format == "json") {
    fmt::print(out(), "{}", rt::eval_json(plan, ev, data.counts, &data, &coverage, &warnings));
  } else if (format == "csv") {
    fmt::print(out(), "{}", rt::eval_csv(plan, ev));
  } else {
    fmt::print(out(), "{}", rt::eval_table(plan, ev, data.counts, use_color(out()), &warnings));
  }
  if (options.fail_on_breach) {
    for (const auto& v : ev.verdicts) {
      if (!v.met) return exit_failed;
    }
    // Nothing judged must not pass for all met.
    if (model.slas.empty()) return exit_nothing_judged;
    for (std::size_t i : p.selected) {
      if (!model.slas[i].is_kpi && rt::judged_nothing(ev, i)) return exit_nothing_judged;
    }
  }
  return exit_ok;
}

int run_eval(const EvalOptions& options) {
  try {
    Prepared p = prepare(options.data, "eval");
    const Model& model = p.compilation.model;
    Plan plan = lower(model, p.params);
    auto t_start = std::chrono::steady_clock::now();
    rt::Dataset data = read_data(options.data, p.times, model, p.selected, std::nullopt, rt::signal_storage(plan, p.selected),
                                 true, history_from(p, plan));
    auto t_loaded = std::chrono::steady_clock::now();
    std::string error;
    auto span = rt::default_span(data, model.timezone, p.from, p.to, error);
    if (!span) throw CommandError{exit_data, fmt::format("slac eval: {}", error)};
    rt::Evaluation ev = rt::evaluate(plan, data, span->from, span->to, p.selected);
    if (std::getenv("SLAC_TIMING")) {
      auto t_done = std::chrono::steady_clock::now();
      fmt::print(err(), "load {:.3f}s, evaluate {:.3f}s\n", std::chrono::duration<double>(t_loaded - t_start).count(),
                 std::chrono::duration<double>(t_done - t_loaded).count());
    }
    return report_evaluation(options, p, plan, data, ev);
  } catch (const CommandError& e) {
    fmt::print(err(), "{}\n", e.message);
    return e.exit_code;
  }
}

int run_explain(const ExplainOptions& options) {
  try {
    DataOptions d;
    d.contract = options.contract;
    d.contract_text = options.contract_text;
    d.sets = options.sets;
    d.slas = options.slas;
    Prepared p = prepare(d, "explain");
    Plan plan = lower(p.compilation.model, p.params);
    // Only the selected SLAs (and what they use) when --sla is given.
    if (!options.slas.empty()) {
      std::vector<SlaPlan> kept;
      for (std::size_t i : p.selected) kept.push_back(plan.slas[i]);
      plan.slas = std::move(kept);
    }
    fmt::print(out(), "{}", explain_plan(plan, p.compilation.program->sources));
    return exit_ok;
  } catch (const CommandError& e) {
    fmt::print(err(), "{}\n", e.message);
    return e.exit_code;
  }
}

}  // namespace slac::cli
