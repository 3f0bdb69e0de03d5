// The report's charts (SPEC 5.5), each an inline SVG drawn with chart/: the verdict
// strip, a group-window's outage timeline and budget burn-down, a KPI's small chart.
// Internal to report/.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "runtime/evaluate.hpp"

namespace slac::report {

// A date and time in the zone, for people: `2026-03-03 14:05` (with `:07` or
// `:07.250` when not on a whole minute or second).
std::string local_text(const Zone& zone, std::int64_t utc);

// One window of the verdict strip.
struct StripCell {
  std::string label;   // `2026-03`
  bool met = true;
  std::string tip;     // `2026-03: 17 of 20 groups met; penalty 30,000 GBP`
};
std::string verdict_strip(const std::string& sla, const std::vector<StripCell>& cells);

// The budget lines of a burn-down: the downtime a window may have, in ms.
struct BudgetLine {
  double ms;
  std::string label;   // `budget at 90%: 20h 6m`
};

// A group-window's outage timeline: measured time shaded, each outage a bar whose
// <title> gives its start, end and measured length; a time axis in the window's zone.
std::string timeline_svg(const rt::WindowTimeline& timeline, const Zone& zone, std::int64_t window_start,
                         std::int64_t window_end, const std::string& title);
// Its budget burn-down: the cumulative downtime against the budget line(s), the
// instant the first budget runs out marked.
std::string burndown_svg(const rt::WindowTimeline& timeline, const Zone& zone, std::int64_t window_start,
                         std::int64_t window_end, const std::vector<BudgetLine>& budgets, const std::string& title);

// A KPI group's attainment per window as bars (nullopt: nothing measured).
struct KpiPoint {
  std::string label;
  std::optional<double> attainment;  // a fraction
  std::string text;                  // `97.52%`
};
std::string kpi_svg(const std::string& group, const std::vector<KpiPoint>& points, double lo, double hi);

}  // namespace slac::report
