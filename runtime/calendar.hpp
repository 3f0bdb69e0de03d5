// Calendars as UTC intervals, and the windows an SLA is judged over, in local time
// with the SPEC's daylight-saving rules.
#pragma once
#include <utility>
#include <vector>

#include "compiler/model.hpp"
#include "runtime/intervals.hpp"

namespace slac::rt {

// The calendar's instants in [start, end), with its spans in `zone`.
IntervalSet calendar_intervals(const Model& model, const CalendarInfo& calendar, const Zone& zone, Time start, Time end);

// The windows of a window clause that lie wholly inside [from, to), in order of start
// (then end).
std::vector<std::pair<Time, Time>> windows(const WindowSpec& spec, std::int64_t rolling_count, const Zone& zone,
                                           Time from, Time to);

// The local name of a window starting at `start` in `zone` (SPEC 4.4: windows `in site
// timezone` are identified by their local start): the wall-clock time it starts at as
// the contract writes it (local midnight, or the `starting` time, even on a day when
// daylight saving skips that time), and whether it is the second of two windows that
// start at the same wall-clock time in a fall-back (rolling hours only). Local wall
// time is ms since 1970-01-01 local.
struct WindowName {
  Time local = 0;
  bool repeated = false;
  auto operator<=>(const WindowName&) const = default;
};
WindowName window_name(const WindowSpec& spec, const Zone& zone, Time start);

// Local midnight of a civil day, as UTC.
Time local_midnight(const Zone& zone, std::int64_t day);
// The local day (days since 1970-01-01) of an instant.
std::int64_t local_day(const Zone& zone, Time t);

}  // namespace slac::rt
