// What `slac status` shares between the measures of time (status.cpp) and event
// measures (event_status.cpp). Internal to status/.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/evaluate.hpp"
#include "status/status.hpp"

namespace slac::rt {

// The measured rest of a window after T, as if everything stood still at T (SPEC 5.2):
// the calendar goes on; scope and exclusions stay as they are at T.
std::vector<std::pair<std::int64_t, std::int64_t>> rest_of_window(const Plan& plan, const Dataset& data, const SlaPlan& s,
                                                                 const GroupSeries& g, bool in_scope_now,
                                                                 std::int64_t as_of, std::int64_t window_end);

// A row's identity: the SLA, the window and the group.
StatusRow status_row_for(std::size_t sla, std::int64_t window_start, std::int64_t window_end, const GroupSeries& g);

// The seed of p_meet's simulations of one group-window: from the SLA, the group and
// the window, so that the same inputs give the same p_meet.
std::uint64_t window_seed(const StatusOptions& options, const SlaPlan& s, const GroupSeries& g, std::int64_t window_start);

// p_meet from `met` of `simulations` simulated windows: (met + 1/2) / (simulations + 1),
// rounded to 4 decimals (what 2000 simulations resolve), never exactly 0 or 1: the
// model gives every outcome some chance, and a count of simulations only bounds how
// small a chance it can see. docs/status.md.
inline double simulated_share(int met, int simulations) {
  double p = (static_cast<double>(met) + 0.5) / (static_cast<double>(simulations) + 1);
  return std::clamp(std::round(p * 1e4) / 1e4, 1e-4, 1 - 1e-4);
}

// An event measure's rows (SPEC 4.4): counts so far, no budget, never secured before
// the window ends; p_meet from the group's event rate and good share before T.
void event_status_rows(const Plan& plan, const Dataset& data, const SlaSeries& series,
                       const std::vector<Windows>& windows, std::int64_t t0,
                       std::int64_t as_of, const StatusOptions& options, int simulations, std::vector<StatusRow>& rows);

}  // namespace slac::rt
