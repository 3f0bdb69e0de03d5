// The `on average` requirements (SPEC 4.4): each device measured alone, in its own
// site's zone, and the group's figures made from the devices' measured and good time.
// Beside the group sweep of evaluate.cpp, which the other requirements use.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/device_mean.hpp"
#include "runtime/evaluate.hpp"

namespace slac::rt {

using TimeSpans = std::vector<std::pair<std::int64_t, std::int64_t>>;

// A device's time, from its in-scope and good (in scope and in STATE) instants over the
// timeline [.., timeline_end) and its site's measurable instants (`during` in the
// site's zone, minus the site's `excluding`). Each list is sorted and disjoint.
DeviceTime device_time(std::size_t device, std::size_t site, const TimeSpans& scope, const TimeSpans& good,
                       const TimeSpans& site_measurable, bool site_excluded_at_end, std::int64_t timeline_end);

// Per group (in series order), per window: measured = sum of m(d), good = sum of g(d),
// and for `on average per device` the mean of g(d)/m(d) over the devices with m(d) > 0.
// Outages are not defined. Under `counted in`, each device's state is quantised per
// interval on its own measured instants (SPEC 4.4).
std::vector<std::vector<WindowStats>> device_average_stats(const Plan& plan, const SlaSeries& series);

// A device's good time in [start, end), quantised under `counted in` (in `zone`) on its
// measured instants in [quantise_from, end); without it, its good time in [start, end).
std::int64_t device_good(const SlaPlan& sla, const DeviceTime& d, const Zone& zone, std::int64_t quantise_from,
                         std::int64_t start, std::int64_t end);

// The measured time of sorted disjoint spans inside [start, end).
std::int64_t spans_within(const TimeSpans& spans, std::int64_t start, std::int64_t end);

}  // namespace slac::rt
