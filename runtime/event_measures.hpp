// Event measures (SPEC 4.4, `CONDITION of SIGNAL events`): which events count, which
// are good, and the counts per window.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/evaluate.hpp"

namespace slac::rt {

using Spans = std::vector<std::pair<std::int64_t, std::int64_t>>;  // sorted, disjoint, half-open

// The events of `signal` among `events` (sorted by signal, then time) that fall in
// `scope`, each marked good when it falls in `good` (the condition, with every event
// of its instant applied, as step functions are). Several events at one instant are
// each a mark.
std::vector<EventMark> event_marks(const std::vector<RawEvent>& events, std::size_t signal, const Spans& scope,
                                   const Spans& good);

// The marks of a group's devices, merged in time order.
std::vector<EventMark> merge_event_marks(const std::vector<const std::vector<EventMark>*>& devices);

// Per window: counted events (`measured`) and good ones (`good`): the marks at the
// group's measured instants (during, not excluding, some device in scope).
std::vector<WindowStats> event_window_stats(const GroupSeries& group,
                                            const std::vector<std::pair<std::int64_t, std::int64_t>>& windows);

// The counted and good events of a group in [from, to).
struct EventCounts {
  std::int64_t counted = 0;
  std::int64_t good = 0;
  // Whether every event counted at the latest instant with any was good (several
  // devices' events may share an instant); nullopt when none was counted.
  std::optional<bool> last_good;
};
EventCounts count_events(const GroupSeries& group, std::int64_t from, std::int64_t to);

}  // namespace slac::rt
