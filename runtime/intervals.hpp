// The interval algebra: sets of half-open [start, end) intervals of UTC milliseconds,
// on Boost.ICL. Only runtime .cpp files include this header.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include <boost/icl/interval_set.hpp>
#include <boost/icl/right_open_interval.hpp>

namespace slac::rt {

using Time = std::int64_t;
using Interval = boost::icl::right_open_interval<Time>;
using IntervalSet = boost::icl::interval_set<Time, std::less, Interval>;

inline Interval make_interval(Time start, Time end) { return Interval(start, end); }

// Appends sorted intervals; neighbours that touch or overlap are joined by ICL. The
// hint makes each append constant time when the input is sorted.
class SetBuilder {
 public:
  void add(Time start, Time end) {
    if (start >= end) return;
    hint_ = set_.add(hint_, Interval(start, end));
  }
  IntervalSet take() { return std::move(set_); }

 private:
  IntervalSet set_;
  IntervalSet::iterator hint_ = set_.end();
};

inline IntervalSet full_set(Time start, Time end) {
  IntervalSet s;
  if (start < end) s.add(Interval(start, end));
  return s;
}

inline IntervalSet complement(const IntervalSet& s, Time start, Time end) {
  IntervalSet out = full_set(start, end);
  out -= s;
  return out;
}

// Total length of the set.
inline Time measure(const IntervalSet& s) {
  Time total = 0;
  for (const auto& iv : s) total += iv.upper() - iv.lower();
  return total;
}

// Calls f(a, b) for each interval of the set that overlaps [start, end), clipped to
// it, in order, visiting only those intervals. An empty [start, end) visits nothing
// (ICL's lookups require a non-empty interval).
template <typename F>
void for_each_within(const IntervalSet& s, Time start, Time end, F f) {
  if (start >= end) return;
  auto range = s.equal_range(Interval(start, end));
  for (auto it = range.first; it != range.second; ++it) {
    Time a = std::max(it->lower(), start);
    Time b = std::min(it->upper(), end);
    if (b > a) f(a, b);
  }
}

// Length of the set inside [start, end).
inline Time measure_within(const IntervalSet& s, Time start, Time end) {
  Time total = 0;
  for_each_within(s, start, end, [&](Time a, Time b) { total += b - a; });
  return total;
}

// The maximal intervals of `s` that last at least `min_length`; shorter ones are
// dropped whole.
inline IntervalSet lasting_at_least(const IntervalSet& s, Time min_length) {
  SetBuilder b;
  for (const auto& iv : s) {
    if (iv.upper() - iv.lower() >= min_length) b.add(iv.lower(), iv.upper());
  }
  return b.take();
}

// The first `allowance` of each maximal interval of `s` (`up to D each`).
inline IntervalSet capped_each(const IntervalSet& s, Time allowance) {
  SetBuilder b;
  for (const auto& iv : s) b.add(iv.lower(), std::min(iv.upper(), iv.lower() + allowance));
  return b.take();
}

// `s`, of which at most `allowance` is kept in each period: an instant of `s` stays
// while the part of `s` before it in its period is under the allowance (`up to D per
// calendar UNIT`). `periods` are sorted, disjoint, and cover `s`.
inline IntervalSet capped_per(const IntervalSet& s, const std::vector<std::pair<Time, Time>>& periods, Time allowance) {
  SetBuilder b;
  for (const auto& [start, end] : periods) {
    Time used = 0;
    for_each_within(s, start, end, [&](Time a, Time z) {
      if (used >= allowance) return;
      Time keep = std::min(z - a, allowance - used);
      b.add(a, a + keep);
      used += keep;
    });
  }
  return b.take();
}

// `s` with every gap shorter than `max_gap` between two of its intervals filled.
inline IntervalSet fill_gaps_under(const IntervalSet& s, Time max_gap) {
  SetBuilder b;
  bool open = false;
  Time start = 0, end = 0;
  for (const auto& iv : s) {
    if (open && iv.lower() - end < max_gap) {
      end = iv.upper();
      continue;
    }
    if (open) b.add(start, end);
    start = iv.lower();
    end = iv.upper();
    open = true;
  }
  if (open) b.add(start, end);
  return b.take();
}

}  // namespace slac::rt
