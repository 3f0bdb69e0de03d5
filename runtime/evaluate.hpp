// Running a plan over a dataset: per device, per group, per window, with the
// measured-time, good-time, attainment, outage and penalty definitions of SPEC 4.3.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/plan.hpp"
#include "runtime/device_mean.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::rt {

// One (SLA or KPI, window, group).
struct ResultRow {
  std::size_t sla = 0;                // index in Plan::slas
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::string group;
  std::int64_t measured = 0;          // ms
  std::int64_t good = 0;              // ms
  std::uint64_t outages = 0;
  std::int64_t longest_outage = 0;    // ms
  bool met = true;                    // meaningful for SLAs only
  bool near_miss = false;
  std::optional<Decimal> penalty;     // per-group penalties only
  std::optional<Decimal> rounded_attainment;  // percent units; SLAs with `rounded to` that measured something
  bool before_data = false;           // time before the group's first event was measured
  std::int64_t bad_before_data = 0;   // ms of it not good: what judging the unknown cost
  // `on average per device`: the exact attainment, the mean of device ratios (good /
  // measured is the pooled one); absent when nothing was measured.
  std::optional<DeviceMean> mean;
  bool outages_defined = true;        // false under `on average`: outages are null
  std::optional<double> integral_s;   // `mean of`: good_s, the integral of EXPR (mean is its mean)
  // The zone of the window: 0 the contract's, k > 0 Evaluation::site_zones[k - 1] (`in
  // site timezone`, SPEC 4.4).
  std::uint32_t zone = 0;
};

// One (SLA, window).
struct Verdict {
  std::size_t sla = 0;
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::uint64_t groups = 0;
  std::uint64_t groups_met = 0;
  bool met = true;
  Decimal penalty;                    // after any cap
  // With `in site timezone` (SPEC 4.4) a verdict covers the groups whose windows have the
  // same local start; its window is the first such group's, in that group's zone (as
  // ResultRow::zone), and `local_window` is set.
  std::uint32_t zone = 0;
  bool local_window = false;
};

struct Evaluation {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::vector<ResultRow> rows;        // SLA order, window start (local start with `in site timezone`), group id
  std::vector<Verdict> verdicts;      // SLA order, window start (likewise)
  Decimal total_penalty;
  std::vector<Zone> site_zones;       // the zones of `in site timezone` windows, other than the contract's
};

// The zone of a row's or verdict's window (ResultRow::zone).
const Zone& window_zone(const Model& model, const Evaluation& ev, std::uint32_t zone);

// The evaluated span: the given bounds, or by default from the last local midnight at
// or before the earliest event to the first local midnight at or after the latest.
struct Span {
  std::int64_t from = 0;
  std::int64_t to = 0;
};
std::optional<Span> default_span(const Dataset& data, const Zone& zone, std::optional<std::int64_t> from,
                                 std::optional<std::int64_t> to, std::string& error);

// slac judges at most 100 years at a time (a longer span is refused with a message),
// and looks at most 100 years further back for the history before it: a signal's
// value carries over from any earlier event, but intervals (a `lasting at least`
// run, for instance) start no earlier than that.
inline constexpr std::int64_t max_span_days = 36'525;
// Where the timeline of an evaluation from `from` starts: the earliest event, but no
// more than max_span_days before `from`.
std::int64_t timeline_start(const Dataset& data, std::int64_t from);

// How the dataset should keep each signal's events for these SLAs: not at all when
// nothing uses it, as runs for `event` signals used only by `seen`, raw otherwise.
std::vector<SignalStorage> signal_storage(const Plan& plan, const std::vector<std::size_t>& selected);

// How long before `from` the history matters to the windows of these SLAs beyond each
// signal's value at that time: the longest chain of look-backs in their conditions
// (`seen ... within`, `lasting`, `ignoring gaps`, `at most D of each`, a unit for `at
// most D per UNIT`), in ms. Events before `from - history_needed` other than each
// entity's and signal's first and last before it change no judged figure (a database
// source leaves them out, docs/data.md).
std::int64_t history_needed(const Plan& plan, const std::vector<std::size_t>& selected);

class MeanValues;  // runtime/number_mean.hpp
// `mean of` (SPEC 4.4): EXPR's value on a device from each start to the next (the last
// to the timeline's end), an index into the SLA's MeanValues, or `unknown_value` where
// EXPR is unknown or divides by zero.
inline constexpr std::int32_t unknown_value = -1;
using MeanSteps = std::vector<std::pair<std::int64_t, std::int32_t>>;

// An event of an event measure's signal (SPEC 4.4) at an instant its device was in
// scope: `good` when the condition held there.
struct EventMark {
  std::int64_t time;
  bool good;
};

// Per group and SLA, over the whole timeline: when the requirement holds and which
// instants are measured. Status and whatif start from these.
struct GroupSeries {
  std::string id;
  std::optional<std::size_t> site;    // the group's site, for site-level clauses
  std::size_t zone = 0;               // its windows' zone: an index into SlaSeries::zones
  // The count of in-scope devices (or their weight) and of those in the state, as
  // contiguous segments over the timeline.
  struct Segment {
    std::int64_t start;
    std::int64_t end;
    std::int64_t in_scope;
    std::int64_t in_state;
  };
  std::vector<Segment> counts;
  std::int64_t weight_scale = 0;      // weighted: weights are integers of 10^-scale
  Decimal site_count;                 // at least site.ATTR: the site's value
  // The values of the number attributes that the SLA's penalty amounts use (SPEC 4.4):
  // the site's under `on any site`, the device's under `on any device`.
  std::vector<std::pair<std::size_t, Decimal>> amount_attributes;
  std::vector<std::pair<std::int64_t, std::int64_t>> base_measurable;  // during, minus excluding
  bool excluded_at_end = false;       // `excluding` holds at the last instant of the timeline
  // The first and last event of the group's devices and sites; nullopt when the
  // dataset does not record them.
  std::optional<EventBounds> events;
  std::vector<EventMark> event_marks; // event measures: in time order
  // `on average` forms: each device of the group, measured alone (runtime/averages.hpp).
  std::vector<DeviceTime> devices;
  // `mean of`: EXPR's steps on each of `devices`, in the same order.
  std::vector<MeanSteps> mean_steps;
};

// Whether the requirement holds for a segment, and whether the segment can be measured.
bool requirement_holds(const SlaPlan& sla, const GroupSeries& group, const GroupSeries::Segment& segment,
                       const Decimal& amount);
bool segment_measurable(const SlaPlan& sla, const GroupSeries::Segment& segment);
using Windows = std::vector<std::pair<std::int64_t, std::int64_t>>;

// Everything needed to judge an SLA's groups, computed once.
struct SlaSeries {
  std::size_t sla = 0;
  std::vector<GroupSeries> groups;    // sorted by id
  // The zones in which groups' windows are computed and the windows of each, lying
  // wholly in [from, to): [0] is the contract's zone; with `in site timezone` (SPEC 4.4),
  // one entry per zone of the groups' sites, each group naming its own.
  std::vector<Zone> zones;
  std::vector<Windows> windows;
  std::shared_ptr<const MeanValues> mean_values;  // `mean of`: the values its steps take
};

// A group's windows and their zone: the contract's, or with `in site timezone` its
// site's. `counted in` intervals are cut from the local days of that zone (SPEC 4.4).
const Windows& group_windows(const SlaSeries& series, const GroupSeries& group);
const Zone& group_zone(const SlaSeries& series, const GroupSeries& group);

// Builds every selected SLA's series over the timeline [timeline_start, timeline_end)
// (events after its end play no part), with the windows lying wholly in [from, to).
// With `consume`, each device's events are freed as soon as it is done. With `owned`
// (one flag per device), only those devices are evaluated and each group keeps only
// them, groups with none left out: a partition's share (runtime/partial.hpp), whose
// counts add up with the other partitions' to the whole.
std::vector<SlaSeries> build_series(const Plan& plan, Dataset& data, std::int64_t timeline_start,
                                    std::int64_t timeline_end, std::int64_t from, std::int64_t to,
                                    const std::vector<std::size_t>& selected, bool consume = true,
                                    const std::vector<bool>* owned = nullptr);

// What a group's window holds, before any objective is applied.
struct WindowStats {
  std::int64_t measured = 0;
  std::int64_t good = 0;
  std::vector<std::int64_t> outages;  // measured lengths, each > 0
  std::optional<DeviceMean> mean;     // `on average per device` and `mean of`, when something was measured
  std::optional<double> integral_s;   // `mean of`: the integral of EXPR over the measured time, in seconds
  bool outages_defined = true;
  // An event measure: `measured` and `good` count events, judged as good / measured
  // (never against a fixed duration), and outages are not defined.
  bool counts_events = false;
  // Measured and good time before the group's first event, where every signal is
  // unknown (scoped out by `only deployed`, say, it is not measured at all).
  std::int64_t measured_before_data = 0;
  std::int64_t good_before_data = 0;
};

// Per group (in series order), per window: the statistics under the plan's requirement.
std::vector<std::vector<WindowStats>> group_window_stats(const Plan& plan, const SlaSeries& series);

// A group's window over time, for the report's outage timeline and budget burn-down
// (SPEC 5.5): the measured intervals, and each outage (4.3: a maximal run of instants
// where the requirement does not hold, running through unmeasured time) cut to the
// window, with its measured length, exactly as group_window_stats counts them. Time
// measures only: nullopt under `on average`, `mean of` and event measures, where
// outages are not defined.
struct WindowTimeline {
  std::vector<std::pair<std::int64_t, std::int64_t>> measured;  // [start, end) ms, in order
  struct Outage {
    std::int64_t start;
    std::int64_t end;
    std::int64_t measured;  // ms, > 0
  };
  std::vector<Outage> outages;
  // The measured instants where the requirement does not hold: the window's downtime
  // (measured - good), in order; its running total is the budget burn-down.
  std::vector<std::pair<std::int64_t, std::int64_t>> downtime;
};
std::optional<WindowTimeline> window_timeline(const Plan& plan, const SlaSeries& series, const GroupSeries& group,
                                              std::int64_t window_start, std::int64_t window_end);

// Judges series into rows and verdicts, with the plan's (possibly swept) numbers.
Evaluation judge(const Plan& plan, const std::vector<SlaSeries>& series, std::int64_t from, std::int64_t to);
// The same from statistics already made (per SLA series, per group, per window): the
// objectives, penalties and verdicts only.
Evaluation decide(const Plan& plan, const std::vector<SlaSeries>& series,
                  const std::vector<std::vector<std::vector<WindowStats>>>& stats, std::int64_t from, std::int64_t to);

// The whole run: series, then judgement.
Evaluation evaluate(const Plan& plan, Dataset& data, std::int64_t from, std::int64_t to,
                    const std::vector<std::size_t>& selected);

}  // namespace slac::rt
