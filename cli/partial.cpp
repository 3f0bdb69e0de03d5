// eval in parts (docs/python.md, "Dask"): scan, map, merge and reduce, each the code of
// `slac eval` on a partition's events, so that the reduce prints exactly what eval
// prints on the whole data.
#include <fmt/format.h>

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/terminal.hpp"
#include "runtime/partial.hpp"

namespace slac::cli {

void EvalScan::add(const EvalScan& other) {
  rows += other.rows;
  if (other.earliest) earliest = std::min(earliest.value_or(*other.earliest), *other.earliest);
  if (other.latest) latest = std::max(latest.value_or(*other.latest), *other.latest);
}

namespace {

// What every partial of one evaluation shares: the contract, the options that change a
// figure, and the inventory (FNV-1a, 64 bits).
std::string evaluation_key(const DataOptions& o) {
  std::uint64_t h = 14695981039346656037ull;
  auto add = [&](std::string_view s) {
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // a separator no text holds
  };
  add(o.contract_text.value_or(o.contract));
  for (const auto& s : o.sets) add(s);
  add("|");
  for (const auto& s : o.slas) add(s);
  add("|");
  add(o.from.value_or("-"));
  add(o.to.value_or("-"));
  add(o.time_unit);
  add(o.data_timezone.value_or("-"));
  add(o.skip_bad_rows ? "skip" : "-");
  add(o.strict ? "strict" : "-");
  for (const char* table : {"sites.csv", "devices.csv"}) {
    auto it = o.files.find(table);
    add(it == o.files.end() ? "" : it->second);
  }
  return fmt::format("{:016x}", h);
}

struct Loaded {
  Prepared p;
  Plan plan;
  rt::Dataset data;
};

Loaded load(const DataOptions& options, const char* command, bool events) {
  if (options.files.empty()) {
    throw CommandError{exit_usage, fmt::format("slac {}: a partition's tables are given as files (sites.csv, devices.csv, "
                                               "events.csv)", command)};
  }
  Loaded l{prepare(options, command), {}, {}};
  l.plan = lower(l.p.compilation.model, l.p.params);
  std::vector<rt::SignalStorage> storage = rt::signal_storage(l.plan, l.p.selected);
  // The scan needs no event kept: only the rows' fates and times.
  if (!events) storage.assign(storage.size(), rt::SignalStorage{rt::SignalStorage::none, 0});
  l.data = read_data(options, l.p.times, l.p.compilation.model, l.p.selected, std::nullopt, std::move(storage), false);
  return l;
}

// The span of the whole data (SPEC 5) and the start of its timeline, as eval finds
// them, from the scans of every partition: the dataset's own counts and bounds stand
// aside meanwhile.
std::pair<rt::Span, std::int64_t> whole_span(const Loaded& l, rt::Dataset& data, const EvalScan& whole) {
  // The scans come from the caller: times the readers could have given, or nothing.
  constexpr std::int64_t max_time = 253402300800000;  // 10000-01-01T00:00:00Z, as the readers
  auto readable = [](const std::optional<std::int64_t>& t) { return t && *t >= 0 && *t < max_time; };
  if (whole.earliest.has_value() != whole.latest.has_value() ||
      (whole.earliest && (!readable(whole.earliest) || !readable(whole.latest) || *whole.earliest > *whole.latest ||
                          whole.rows == 0))) {
    throw CommandError{exit_usage, "slac eval: the scan of the whole data is not one the scans of its partitions give (its "
                                   "first and last event are epoch milliseconds of the years 1970-9999, in order, with "
                                   "rows; or none)"};
  }
  auto rows = data.counts.rows;
  auto earliest = data.earliest, latest = data.latest;
  data.counts.rows = whole.rows;
  data.earliest = whole.earliest;
  data.latest = whole.latest;
  std::string error;
  auto span = rt::default_span(data, l.p.compilation.model.timezone, l.p.from, l.p.to, error);
  std::int64_t timeline_start = span ? rt::timeline_start(data, span->from) : 0;
  data.counts.rows = rows;
  data.earliest = earliest;
  data.latest = latest;
  if (!span) throw CommandError{exit_data, fmt::format("slac eval: {}", error)};
  return {*span, timeline_start};
}

// Line numbers of the counts as global row ordinals.
void renumber_lines(rt::DataCounts& c, const std::vector<std::int64_t>& ordinals, const std::string& file) {
  if (ordinals.empty()) return;
  auto ordinal = [&](std::size_t line) -> std::size_t {
    return line >= 2 && line - 2 < ordinals.size() ? static_cast<std::size_t>(ordinals[line - 2]) : line;
  };
  for (auto* m : {&c.undeclared, &c.unknown}) {
    for (auto& [k, u] : *m) u.first_line = ordinal(u.first_line);
  }
  for (auto& [k, u] : c.wrong_level) u.first_line = ordinal(u.first_line);
  if (!c.skipped_lines.empty()) {
    // "FILE:LINE: message", LINE the first skipped line.
    std::string prefix = fmt::format("{}:{}: ", file, c.skipped_lines.front());
    if (c.first_skip_reason.starts_with(prefix)) {
      c.first_skip_reason = fmt::format("{}:{}: {}", file, ordinal(c.skipped_lines.front()),
                                        c.first_skip_reason.substr(prefix.size()));
    }
  }
  for (auto& l : c.skipped_lines) l = ordinal(l);
}

rt::Partial merged(const Plan& plan, const rt::Dataset& inventory, const std::vector<std::string>& partials,
                   const char* command) {
  if (partials.empty()) throw CommandError{exit_usage, fmt::format("slac {}: no partial to merge", command)};
  auto read = [&](const std::string& bytes) {
    return rt::from_bytes(plan, bytes, inventory.devices.size(), inventory.sites.size());
  };
  try {
    rt::Partial whole = read(partials.front());
    for (std::size_t k = 1; k < partials.size(); ++k) rt::merge_partial(plan, whole, read(partials[k]));
    return whole;
  } catch (const rt::PartialError& e) {
    throw CommandError{exit_usage, fmt::format("slac {}: {}", command, e.what())};
  }
}

}  // namespace

EvalScan run_eval_scan(const DataOptions& options) {
  Loaded l = load(options, "eval", false);
  return EvalScan{l.data.counts.rows, l.data.earliest, l.data.latest};
}

std::string run_eval_map(const EvalMapOptions& options) {
  Loaded l = load(options.data, "eval", true);
  rt::Dataset& data = l.data;
  std::vector<bool> owned(data.sites.size(), false);
  for (const auto& id : options.sites) {
    auto it = data.site_index.find(id);
    if (it == data.site_index.end()) {
      throw CommandError{exit_usage, fmt::format("slac eval: the partition owns the site `{}`, which is not in the sites table", id)};
    }
    owned[it->second] = true;
  }
  auto [span, t0] = whole_span(l, data, options.whole);
  renumber_lines(data.counts, options.line_ordinals, data.events_file);
  try {
    rt::Partial partial = rt::make_partial(l.plan, data, owned, evaluation_key(options.data), t0, span.from, span.to, l.p.selected);
    partial.whole_rows = options.whole.rows;
    partial.whole_earliest = options.whole.earliest;
    partial.whole_latest = options.whole.latest;
    return rt::to_bytes(partial);
  } catch (const rt::DataError& e) {
    throw CommandError{exit_data, e.what()};
  } catch (const rt::PartialError& e) {
    throw CommandError{exit_usage, fmt::format("slac eval: {}", e.what())};
  }
}

std::string run_eval_merge(const DataOptions& options, const std::vector<std::string>& partials) {
  Loaded l = load(options, "eval", false);  // the inventory, which the partials' sizes must be
  return rt::to_bytes(merged(l.plan, l.data, partials, "eval"));
}

int run_eval_reduce(const EvalOptions& options, const std::vector<std::string>& partials) {
  try {
    Loaded l = load(options.data, "eval", false);
    rt::Partial whole = merged(l.plan, l.data, partials, "eval");
    rt::Dataset& data = l.data;
    if (whole.key != evaluation_key(options.data)) {
      throw CommandError{exit_usage, "slac eval: the partials are of another evaluation (another contract, params, options "
                                     "or inventory)"};
    }
    data.counts = whole.counts;
    data.earliest = whole.earliest;
    data.latest = whole.latest;
    data.device_bounds = whole.device_bounds;
    data.site_bounds = whole.site_bounds;
    data.device_bounds.resize(data.devices.size());
    data.site_bounds.resize(data.sites.size());
    print_data_warnings(data);
    rt::Evaluation ev;
    try {
      ev = rt::judge(l.plan, rt::complete_series(whole, data), whole.from, whole.to);
    } catch (const rt::PartialError& e) {
      throw CommandError{exit_usage, fmt::format("slac eval: {}", e.what())};
    } catch (const rt::DataError& e) {
      throw CommandError{exit_data, e.what()};
    }
    return report_evaluation(options, l.p, l.plan, data, ev);
  } catch (const CommandError& e) {
    fmt::print(err(), "{}\n", e.message);
    return e.exit_code;
  }
}

}  // namespace slac::cli
