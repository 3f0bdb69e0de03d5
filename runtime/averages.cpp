// Per-device accumulation for the `on average` requirements (SPEC 4.4): merges of
// sorted span lists, and per window a binary search and a sum per device.
#include "runtime/averages.hpp"

#include <algorithm>

#include "runtime/counting.hpp"
#include "runtime/intervals.hpp"

namespace slac::rt {

namespace {

// The intersection of two sorted disjoint span lists.
TimeSpans intersect(const TimeSpans& a, const TimeSpans& b) {
  TimeSpans out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    std::int64_t s = std::max(a[i].first, b[j].first), e = std::min(a[i].second, b[j].second);
    if (s < e) out.emplace_back(s, e);
    if (a[i].second < b[j].second) ++i;
    else ++j;
  }
  return out;
}

bool contains(const TimeSpans& spans, std::int64_t t) {
  auto it = std::upper_bound(spans.begin(), spans.end(), t, [](std::int64_t x, const auto& s) { return x < s.second; });
  return it != spans.end() && it->first <= t;
}

}  // namespace

std::int64_t spans_within(const TimeSpans& spans, std::int64_t start, std::int64_t end) {
  // The first span ending after `start`.
  auto it = std::upper_bound(spans.begin(), spans.end(), start, [](std::int64_t x, const auto& s) { return x < s.second; });
  std::int64_t total = 0;
  for (; it != spans.end() && it->first < end; ++it) total += std::min(it->second, end) - std::max(it->first, start);
  return total;
}

DeviceTime device_time(std::size_t device, std::size_t site, const TimeSpans& scope, const TimeSpans& good,
                       const TimeSpans& site_measurable, bool site_excluded_at_end, std::int64_t timeline_end) {
  DeviceTime d;
  d.device = device;
  d.site = site;
  d.measured = intersect(scope, site_measurable);
  d.good = intersect(good, site_measurable);
  d.in_scope_at_end = contains(scope, timeline_end - 1);
  d.in_state_at_end = contains(good, timeline_end - 1);
  d.excluded_at_end = site_excluded_at_end;
  return d;
}

std::int64_t device_good(const SlaPlan& sla, const DeviceTime& d, const Zone& zone, std::int64_t quantise_from,
                         std::int64_t start, std::int64_t end) {
  if (!sla.counted) return spans_within(d.good, start, end);
  SetBuilder good_b, measured_b;
  for (const auto& [a, b] : d.good) good_b.add(a, b);
  for (const auto& [a, b] : d.measured) measured_b.add(a, b);
  IntervalSet measured = measured_b.take();
  IntervalSet quantised = quantise(good_b.take(), measured, *sla.counted, zone, quantise_from, end);
  quantised &= measured;
  return measure_within(quantised, start, end);
}

std::vector<std::vector<WindowStats>> device_average_stats(const Plan& plan, const SlaSeries& series) {
  const SlaPlan& sla = plan.slas[series.sla];
  bool per_device = sla.requirement == RequirementKind::average_per_device;
  std::vector<std::vector<WindowStats>> out;
  out.reserve(series.groups.size());
  for (const GroupSeries& g : series.groups) {
    std::vector<WindowStats> per_window;
    const Windows& windows = group_windows(series, g);
    per_window.reserve(windows.size());
    for (auto [ws, we] : windows) {
      WindowStats st;
      st.outages_defined = false;
      DeviceMean mean;
      for (const DeviceTime& d : g.devices) {
        std::int64_t m = spans_within(d.measured, ws, we);
        if (m == 0) continue;
        std::int64_t good = device_good(sla, d, group_zone(series, g), ws, ws, we);
        st.measured += m;
        st.good += good;
        if (per_device) mean.add(good, m);
      }
      if (per_device && mean.devices() > 0) st.mean = mean;
      per_window.push_back(std::move(st));
    }
    out.push_back(std::move(per_window));
  }
  return out;
}

}  // namespace slac::rt
