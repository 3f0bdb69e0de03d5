// Event measures (SPEC 4.4): counting a signal's events at measured instants, and the
// good ones among them. Marks are made per device while its intervals are at hand;
// windows then count them with one forward walk each.
#include "runtime/event_measures.hpp"

#include <algorithm>

namespace slac::rt {
namespace {

// Whether t is in the spans, walking forward from `at` (t never decreases).
bool inside(const Spans& spans, std::size_t& at, std::int64_t t) {
  while (at < spans.size() && spans[at].second <= t) ++at;
  return at < spans.size() && spans[at].first <= t;
}

}  // namespace

std::vector<EventMark> event_marks(const std::vector<RawEvent>& events, std::size_t signal, const Spans& scope,
                                   const Spans& good) {
  auto range = std::equal_range(events.begin(), events.end(), RawEvent{0, static_cast<std::uint32_t>(signal), 0},
                                [](const RawEvent& a, const RawEvent& b) { return a.signal < b.signal; });
  std::vector<EventMark> out;
  std::size_t in_scope = 0, in_good = 0;
  for (auto it = range.first; it != range.second; ++it) {
    if (!inside(scope, in_scope, it->time)) continue;
    out.push_back(EventMark{it->time, inside(good, in_good, it->time)});
  }
  return out;
}

std::vector<EventMark> merge_event_marks(const std::vector<const std::vector<EventMark>*>& devices) {
  std::vector<EventMark> out;
  for (const auto* d : devices) out.insert(out.end(), d->begin(), d->end());
  std::stable_sort(out.begin(), out.end(), [](const EventMark& a, const EventMark& b) { return a.time < b.time; });
  return out;
}

EventCounts count_events(const GroupSeries& group, std::int64_t from, std::int64_t to) {
  EventCounts c;
  const auto& marks = group.event_marks;
  auto first = std::lower_bound(marks.begin(), marks.end(), from,
                                [](const EventMark& m, std::int64_t t) { return m.time < t; });
  std::size_t base = 0, seg = 0;
  std::int64_t last_time = 0;
  const auto& measurable = group.base_measurable;
  for (auto it = first; it != marks.end() && it->time < to; ++it) {
    if (!inside(measurable, base, it->time)) continue;
    while (seg < group.counts.size() && group.counts[seg].end <= it->time) ++seg;
    if (seg == group.counts.size() || group.counts[seg].start > it->time || group.counts[seg].in_scope <= 0) continue;
    ++c.counted;
    if (it->good) ++c.good;
    bool same_instant = c.last_good && last_time == it->time;
    c.last_good = same_instant ? (*c.last_good && it->good) : it->good;
    last_time = it->time;
  }
  return c;
}

std::vector<WindowStats> event_window_stats(const GroupSeries& group,
                                            const std::vector<std::pair<std::int64_t, std::int64_t>>& windows) {
  std::vector<WindowStats> out;
  out.reserve(windows.size());
  for (auto [ws, we] : windows) {
    EventCounts c = count_events(group, ws, we);
    WindowStats st;
    st.measured = c.counted;
    st.good = c.good;
    st.counts_events = true;
    st.outages_defined = false;
    out.push_back(std::move(st));
  }
  return out;
}

}  // namespace slac::rt
