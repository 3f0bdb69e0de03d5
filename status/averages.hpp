// Status of the `on average` requirements (SPEC 4.4 and 5.2): budgets in device-time,
// each device's rest of the window on its own site's calendar, and p_meet simulated
// per device. Beside status.cpp's group model, which the other requirements use.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/evaluate.hpp"
#include "status/status.hpp"

namespace slac::rt {

// The rows of one `on average` SLA's groups for its windows containing `as_of`, unsorted.
// `history_start` is where the series' timeline starts; `simulations` per group-window.
std::vector<StatusRow> device_average_status(const Plan& plan, const Dataset& data, const SlaSeries& series,
                                             const std::vector<std::pair<std::int64_t, std::int64_t>>& windows,
                                             std::int64_t history_start, std::int64_t as_of, int simulations,
                                             const StatusOptions& options);

}  // namespace slac::rt
