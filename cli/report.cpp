// `slac report`: the month-end report as one self-contained HTML file (SPEC 5.5).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "base/diagnostics.hpp"
#include "cli/progress.hpp"
#include "report/report.hpp"
#include "runtime/coverage.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/output.hpp"
#include "status/status.hpp"

namespace slac::cli {

int run_report(const ReportOptions& options) {
  try {
    // The report is HTML, and the place to write it must exist: refuse before any work.
    namespace fs = std::filesystem;
    fs::path path(options.output);
    std::string name = path.filename().string();
    std::string lowered = name;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!lowered.ends_with(".html") && !lowered.ends_with(".htm")) {
      std::string ext = path.extension().string();
      throw CommandError{exit_usage, fmt::format("slac report: -o {}: the report is HTML; name a file ending in `.html`{}",
                                                 options.output, ext.empty() ? "" : fmt::format(", not `{}`", ext))};
    }
    std::error_code ec;
    fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    if (!fs::is_directory(folder, ec)) {
      throw CommandError{exit_usage, fmt::format("slac report: -o {}: there is no folder {}", options.output, folder.string())};
    }
    if (fs::is_directory(path, ec)) {
      throw CommandError{exit_usage, fmt::format("slac report: -o {}: that is a folder; name a file in it", options.output)};
    }
    if (options.seed && !options.as_of) {
      throw CommandError{exit_usage, "slac report: --seed is the seed of p_meet's simulation, which runs with --as-of only"};
    }
    Prepared p = prepare(options.data, "report");
    const Model& model = p.compilation.model;
    std::optional<std::int64_t> as_of;
    if (options.as_of) {
      std::string why;
      as_of = parse_as_of(*options.as_of, model.timezone, p.times.unit, why);
      if (!as_of) throw CommandError{exit_usage, fmt::format("slac report: --as-of {}: {}", *options.as_of, why)};
    }
    Plan plan = lower(model, p.params);
    std::vector<rt::SignalStorage> storage = rt::signal_storage(plan, p.selected);
    rt::Dataset data = read_data(options.data, p.times, model, p.selected, std::nullopt, storage, true, history_from(p, plan));
    std::string error;
    auto span = rt::default_span(data, model.timezone, p.from, p.to, error);
    if (!span) throw CommandError{exit_data, fmt::format("slac report: {}", error)};
    // eval's judgement, keeping the series that the outage timelines are drawn from.
    std::vector<rt::SlaSeries> series =
        rt::build_series(plan, data, rt::timeline_start(data, span->from), span->to, span->from, span->to, p.selected);
    rt::Evaluation ev = rt::judge(plan, series, span->from, span->to);
    rt::Coverage coverage = rt::data_coverage(plan, data, rt::judged_until(ev));
    std::vector<rt::Warning> warnings = rt::eval_warnings(plan, data, ev, coverage, p.selected);
    fmt::print(err(), "{}", rt::warnings_text(warnings));
    std::optional<report::StatusSection> status;
    if (as_of) {
      // As `slac status` does: the data before --as-of only.
      rt::Dataset before = read_data(options.data, p.times, model, p.selected, *as_of - 1, storage, false);
      rt::StatusOptions so;
      if (options.seed) so.seed = *options.seed;
      Progress progress = terminal_progress("slac report: simulating", "group-windows");
      so.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
      status.emplace();
      status->as_of = *as_of;
      try {
        status->rows = rt::status(plan, before, *as_of, p.selected, so);
      } catch (const rt::StatusError& e) {
        throw CommandError{exit_usage, fmt::format("slac report: --as-of: {} (choose other SLAs with --sla)", e.what())};
      }
      progress.finish();
      status->warnings = rt::status_warnings(before, *as_of, rt::data_coverage(plan, before, *as_of));
      fmt::print(err(), "{}", rt::warnings_text(status->warnings));
    }
    // The contract's warnings go into the report too, where its reader sees them.
    std::vector<std::string> contract_warnings;
    for (const auto& d : p.compilation.diags.list()) {
      if (d.severity != Severity::warning) continue;
      const SourceFile& f = p.compilation.program->sources.file(d.range.file);
      contract_warnings.push_back(fmt::format("{}:{}: {} [{}]", fs::path(f.path()).filename().string(),
                                              f.location(d.range.begin).line, d.message, code_id(d.code)));
    }
    report::Input input{plan, p.compilation.program->sources, ev, series, data, coverage, warnings,
                        p.selected, fs::path(options.data.contract).filename().string(), contract_warnings,
                        status ? &*status : nullptr};
    std::string html = report::report_html(input);
    std::ofstream file(options.output, std::ios::binary | std::ios::trunc);
    file << html;
    file.close();
    if (!file) {
      throw CommandError{exit_usage, fmt::format("slac report: cannot write {}: {}", options.output, std::strerror(errno))};
    }
    std::size_t breached = static_cast<std::size_t>(
        std::count_if(ev.verdicts.begin(), ev.verdicts.end(), [](const rt::Verdict& v) { return !v.met; }));
    fmt::print(out(), "report written to {}: {} SLA window{}, {} breached, total penalty {}\n", options.output, ev.verdicts.size(),
               ev.verdicts.size() == 1 ? "" : "s", breached, rt::money(ev.total_penalty, model.currency));
    return exit_ok;
  } catch (const CommandError& e) {
    fmt::print(err(), "{}\n", e.message);
    return e.exit_code;
  }
}

}  // namespace slac::cli
