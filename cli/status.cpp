// `slac status`: the windows in progress at --as-of, in the order to work on them.
#include <optional>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/terminal.hpp"
#include "runtime/evaluate.hpp"
#include "status/status.hpp"

namespace slac::cli {

int run_status(const StatusCommandOptions& options) {
  try {
    Prepared p = prepare(options.data, "status");
    const Model& model = p.compilation.model;
    std::string why;
    // `now` is this instant by the system clock (issue 15); the output names it, as with
    // any --as-of.
    std::optional<std::int64_t> as_of = parse_as_of(options.as_of, model.timezone, p.times.unit, why);
    if (!as_of) throw CommandError{exit_usage, fmt::format("slac status: --as-of {}: {}", options.as_of, why)};
    Plan plan = lower(model, p.params);
    rt::Dataset data = read_data(options.data, p.times, model, p.selected, *as_of - 1, rt::signal_storage(plan, p.selected));
    rt::StatusOptions so;
    if (options.seed) so.seed = *options.seed;
    Progress progress = terminal_progress("slac status: simulating", "group-windows");
    so.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
    std::vector<rt::StatusRow> rows;
    try {
      rows = rt::status(plan, data, *as_of, p.selected, so);
    } catch (const rt::StatusError& e) {
      throw CommandError{exit_usage, fmt::format("slac status: {} (choose other SLAs with --sla)", e.what())};
    }
    progress.finish();
    std::vector<rt::Warning> warnings = rt::status_warnings(data, *as_of, rt::data_coverage(plan, data, *as_of));
    std::string format = output_format(options.data);
    // Warnings are in the JSON; beside a table or CSV they go to standard error.
    if (format != "json") fmt::print(err(), "{}", rt::warnings_text(warnings));
    if (format == "json") {
      fmt::print(out(), "{}", rt::status_json(plan, *as_of, rows, &warnings));
    } else if (format == "csv") {
      // The fields of the JSON (SPEC 5.2): an event measure's counts in the last two
      // columns, its `_s` columns empty; a time measure's the other way round.
      fmt::print(out(), "sla,window_start,window_end,group,state,failing_now,measured_so_far_s,good_so_far_s,measured_total_s,"
                 "budget_left_s,breach_at,p_meet,events_so_far,good_events_so_far\n");
      for (const auto& r : rows) {
        Decimal left = r.budget_left.normalized();
        left.scale = static_cast<std::uint8_t>(left.scale + 3);
        auto seconds = [&](std::int64_t ms) { return r.counts_events ? std::string() : fmt::format("{}", ms / 1000.0); };
        auto count = [&](std::int64_t n) { return r.counts_events ? std::to_string(n) : std::string(); };
        fmt::print(out(), "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", plan.slas[r.sla].name, format_instant(r.window_start),
                   format_instant(r.window_end), r.group, rt::state_name(r.state), r.failing_now ? "true" : "false",
                   seconds(r.measured_so_far), seconds(r.good_so_far), seconds(r.measured_total),
                   r.has_budget ? left.normalized().to_string() : "", r.breach_at ? format_instant(*r.breach_at) : "",
                   r.p_meet ? fmt::format("{}", *r.p_meet) : "", count(r.measured_so_far), count(r.good_so_far));
      }
    } else {
      fmt::print(out(), "{}", rt::status_table(plan, data, *as_of, rows, use_color(out())));
    }
    return exit_ok;
  } catch (const CommandError& e) {
    fmt::print(err(), "{}\n", e.message);
    return e.exit_code;
  }
}

}  // namespace slac::cli
