// Counting in intervals (SPEC 4.4): cutting local days into intervals and quantising a
// requirement's timeline over them.
#include "runtime/counting.hpp"

#include <algorithm>

namespace slac::rt {
namespace {

// Where the local day `day` (days since 1970-01-01) starts, as UTC.
Time day_start(const SlaPlan::Counting& c, const Zone& zone, std::int64_t day) {
  return local_to_utc(zone, day * ms_per_day + c.day_start);
}

}  // namespace

std::pair<Time, Time> counting_interval_at(const SlaPlan::Counting& c, const Zone& zone, Time t) {
  std::int64_t day = floor_div(utc_to_local(zone, t) - c.day_start, ms_per_day);
  // A gap or fold may put the resolved start of a day on the other side of t.
  while (day_start(c, zone, day) > t) --day;
  while (day_start(c, zone, day + 1) <= t) ++day;
  Time start = day_start(c, zone, day);
  Time next = day_start(c, zone, day + 1);
  Time a = start + (t - start) / c.length * c.length;
  return {a, std::min(a + c.length, next)};
}

bool interval_fails(const SlaPlan::Counting& c, Time measured, Time bad) {
  if (measured <= 0) return false;
  switch (c.failed_if) {
    case ast::FailedIf::any: return bad > 0;
    case ast::FailedIf::all: return bad == measured;
    case ast::FailedIf::over: return compare_ratio(static_cast<i128>(bad) * 100, measured, c.over) > 0;
  }
  return false;
}

IntervalSet quantise(const IntervalSet& holds, const IntervalSet& measurable, const SlaPlan::Counting& c, const Zone& zone,
                     Time lo, Time hi) {
  IntervalSet out;
  if (lo >= hi) return out;
  Interval span(lo, hi);
  IntervalSet measured = measurable & span;
  IntervalSet bad = measured - holds;
  // Only an interval with a failing measured instant can fail: visit those.
  SetBuilder failed_b;
  Time done = lo;  // intervals before this were judged
  for (const auto& piece : bad) {
    Time t = std::max(piece.lower(), done);
    while (t < piece.upper()) {
      auto [a, b] = counting_interval_at(c, zone, t);
      Time ca = std::max(a, lo), cb = std::min(b, hi);
      if (ca >= piece.lower() && cb <= piece.upper()) {
        // An interval inside the bad piece is measured and bad throughout, and so is
        // every one after it up to the one holding the piece's end: they fail alike,
        // as one block. So the work follows the pieces, not their length over D (a
        // year's outage in 1 ms intervals).
        auto [la, lb] = counting_interval_at(c, zone, piece.upper() - 1);
        Time last_end = std::min(lb, hi);
        Time block_end = last_end <= piece.upper() ? last_end : std::max(la, lo);
        if (interval_fails(c, cb - ca, cb - ca)) failed_b.add(ca, block_end);
        done = block_end;
        t = block_end;
        continue;
      }
      if (interval_fails(c, measure_within(measured, ca, cb), measure_within(bad, ca, cb))) failed_b.add(ca, cb);
      done = cb;
      t = cb;
    }
  }
  IntervalSet failed = failed_b.take();
  out = holds & span;
  if (failed.empty()) {
    out += measured;
    return out;
  }
  IntervalSet failed_measured = measured & failed;
  out -= failed_measured;
  out += measured - failed;
  return out;
}

}  // namespace slac::rt
