// `counted in D intervals, failed if ...` (SPEC 4.4): the intervals cut from local
// days, and a group's requirement quantised per interval. A function of interval sets
// only, so that it applies to a group's or to one device's sets alike.
#pragma once
#include <utility>

#include "base/time.hpp"
#include "compiler/plan.hpp"
#include "runtime/intervals.hpp"

namespace slac::rt {

// The counting interval holding instant t, [start, end): the local day of `zone` (from
// its `day_start` time of day) holding t, cut into pieces of the counting length from
// the day's start, the last cut at the next day's start.
std::pair<Time, Time> counting_interval_at(const SlaPlan::Counting& counting, const Zone& zone, Time t);

// Whether an interval with `measured` ms of measured time, of which `bad` ms do not
// meet the requirement, fails: exactly, in integer milliseconds and decimal percents.
bool interval_fails(const SlaPlan::Counting& counting, Time measured, Time bad);

// `holds` quantised over [lo, hi): at the instants of `measurable` inside an interval
// (its part inside [lo, hi)) the requirement holds when the interval does not fail and
// fails throughout when it does; elsewhere `holds` is unchanged. The result lies in
// [lo, hi). Only intervals with a failing measured instant can fail, and those inside one
// piece of failure fail alike, so the work follows the pieces, not the intervals.
IntervalSet quantise(const IntervalSet& holds, const IntervalSet& measurable, const SlaPlan::Counting& counting,
                     const Zone& zone, Time lo, Time hi);

}  // namespace slac::rt
