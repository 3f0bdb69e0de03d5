// `slac status` for event measures (SPEC 4.4): future volumes are unknown, so there is
// no budget and no breach_at; p_meet draws the rest of the window's events from the
// group's history before T.
#include <random>

#include "compiler/targets.hpp"
#include "runtime/event_measures.hpp"
#include "status/measures.hpp"

namespace slac::rt {
namespace {

// The group's measured time in [from, to): during, not excluding, some device in scope.
std::int64_t measured_time(const GroupSeries& g, std::int64_t from, std::int64_t to) {
  std::int64_t total = 0;
  std::size_t b = 0;
  for (const auto& seg : g.counts) {
    if (seg.in_scope <= 0 || seg.end <= from || seg.start >= to) continue;
    std::int64_t a = std::max(seg.start, from), z = std::min(seg.end, to);
    while (b < g.base_measurable.size() && g.base_measurable[b].second <= a) ++b;
    for (std::size_t k = b; k < g.base_measurable.size() && g.base_measurable[k].first < z; ++k) {
      total += std::min(z, g.base_measurable[k].second) - std::max(a, g.base_measurable[k].first);
    }
  }
  return total;
}

// good / counted against the target as the SLA judges it (at least or more than,
// rounded or not: compiler/targets.hpp), exactly; nothing counted meets.
bool meets_target(const SlaPlan& s, std::int64_t good, std::int64_t counted) {
  if (counted == 0 || !s.target) return true;
  int c = compare_judged(s, AttainmentRatio{good, counted}, *s.target);
  return s.target_more_than ? c > 0 : c >= 0;
}

}  // namespace

void event_status_rows(const Plan& plan, const Dataset& data, const SlaSeries& series,
                       const std::vector<Windows>& windows, std::int64_t t0,
                       std::int64_t as_of, const StatusOptions& options, int simulations, std::vector<StatusRow>& rows) {
  const SlaPlan& s = plan.slas[series.sla];
  for (const GroupSeries& g : series.groups) {
    // The history before T: how often events come (per measured ms) and how many are good.
    EventCounts history = count_events(g, t0, as_of);
    std::int64_t history_time = measured_time(g, t0, as_of);
    double rate = history_time > 0 ? static_cast<double>(history.counted) / static_cast<double>(history_time) : 0;
    double good_share = (static_cast<double>(history.good) + 1) / (static_cast<double>(history.counted) + 2);
    // An exclusion under way at T ends at T (SPEC 5.2).
    bool in_scope_now = !g.counts.empty() && g.counts.back().in_scope > 0;
    for (auto [ws, we] : windows[g.zone]) {
      StatusRow row = status_row_for(series.sla, ws, we, g);
      row.counts_events = true;
      EventCounts so_far = count_events(g, ws, as_of);
      row.measured_so_far = so_far.counted;
      row.good_so_far = so_far.good;
      row.failing_now = so_far.last_good.has_value() && !*so_far.last_good;
      // Any number of good events may still come, so only a target that needs every
      // event good (100%, not rounded down to it) is lost for certain by a bad one;
      // nothing is secured before the end.
      auto threshold = target_threshold(s);
      bool lost = threshold && !(threshold->percent < Decimal::integer(100)) && so_far.good < so_far.counted;
      if (lost) {
        row.state = GroupState::breached;
      } else if (!meets_target(s, so_far.good, so_far.counted)) {
        row.state = GroupState::at_risk;
      } else {
        row.state = GroupState::on_track;
      }
      if (lost) {
        row.p_meet = 0;
      } else {
        std::int64_t rest = 0;
        for (auto [a, b] : rest_of_window(plan, data, s, g, in_scope_now, as_of, we)) rest += b - a;
        std::mt19937_64 rng(window_seed(options, s, g, ws));
        std::poisson_distribution<std::int64_t> volume(rate * static_cast<double>(rest));
        int met = 0;
        for (int k = 0; k < simulations; ++k) {
          std::int64_t n = rate > 0 && rest > 0 ? volume(rng) : 0;
          std::int64_t good = n > 0 ? std::binomial_distribution<std::int64_t>(n, good_share)(rng) : 0;
          if (meets_target(s, so_far.good + good, so_far.counted + n)) ++met;
        }
        row.p_meet = simulated_share(met, simulations);
        if (options.work != nullptr) options.work->simulations += static_cast<std::size_t>(simulations);
      }
      rows.push_back(std::move(row));
      if (options.work != nullptr) ++options.work->group_windows;
    }
  }
}

}  // namespace slac::rt
