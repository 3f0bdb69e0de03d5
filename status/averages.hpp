// Status of the `on average` requirements (SPEC 4.4 and 5.2): budgets in device-time,
// each device's rest of the window on its own site's calendar, and p_meet simulated
// per device. Beside status.cpp's group model, which the other requirements use.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/averages.hpp"
#include "runtime/evaluate.hpp"
#include "status/status.hpp"

namespace slac::rt {

// The rest of a window after T as a device measures it: the SLA's `during` calendar
// in the zone of the device's site (the whole rest without one), made once per zone.
class WindowRest {
 public:
  WindowRest(const Plan& plan, const Dataset& data, const SlaPlan& sla, std::int64_t as_of, std::int64_t window_end);
  const TimeSpans& of_site(std::size_t site);

 private:
  const Plan& plan_;
  const Dataset& data_;
  const SlaPlan& sla_;
  std::int64_t as_of_, window_end_;
  std::map<std::string, TimeSpans> by_zone_;
};

// The rows of one `on average` SLA's groups for its windows containing `as_of`, unsorted.
// `history_start` is where the series' timeline starts; `simulations` per group-window.
std::vector<StatusRow> device_average_status(const Plan& plan, const Dataset& data, const SlaSeries& series,
                                             const std::vector<Windows>& windows,
                                             std::int64_t history_start, std::int64_t as_of, int simulations,
                                             const StatusOptions& options);

// The rows of one `mean of` SLA (SPEC 4.4): figures so far, no budget or breach_at;
// secured or breached only when nothing of the window is left to measure; p_meet from
// the values standing still at T (docs/status.md).
std::vector<StatusRow> number_mean_status(const Plan& plan, const Dataset& data, const SlaSeries& series,
                                          const std::vector<Windows>& windows,
                                          std::int64_t as_of);

}  // namespace slac::rt
