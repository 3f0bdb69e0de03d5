// `mean of EXPR [, unknown as NUMBER]` (SPEC 4.4): EXPR's value over each device's
// timeline as steps, and its exact time-weighted mean over a group's measured
// device-time (pooled as in `on average`).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/device_mean.hpp"
#include "runtime/evaluate.hpp"

namespace slac::rt {

// The distinct exact values an SLA's EXPR takes (rationals: EXPR may divide), each
// held once; steps refer to them by index.
class MeanValues {
 public:
  MeanValues();
  ~MeanValues();
  MeanValues(const MeanValues&) = delete;
  MeanValues& operator=(const MeanValues&) = delete;
  struct Table;  // in number_mean.cpp
  Table& table() { return *table_; }
  const Table& table() const { return *table_; }

 private:
  std::unique_ptr<Table> table_;
};

// The values as exact fractions (numerator, denominator > 0, in decimal digits), in
// index order; and the index of such a value, added when new (runtime/partial.cpp
// ships values between processes and merges the tables of partitions).
std::vector<std::pair<std::string, std::string>> mean_value_texts(const MeanValues& values);
std::int32_t intern_mean_value(MeanValues& values, const std::string& numerator, const std::string& denominator);

// The steps (MeanSteps, evaluate.hpp) of the SLA's EXPR for a device over the timeline
// from t0, from its events and its site's (sorted by signal, then time) and their
// attributes; the first step starts at t0.
MeanSteps mean_steps(const Plan& plan, const SlaPlan& sla, const Dataset& data, std::size_t device, std::int64_t t0,
                     MeanValues& values);

// The time at each of EXPR's values (an index into MeanValues) in a sum of device-time.
using TimeByValue = std::map<std::int32_t, std::int64_t>;

// Adds a device's measured instants in [start, end) to `out` by EXPR's value there;
// where it is unknown only with `count_unknown` (`unknown as`).
void add_value_time(const DeviceTime& device, const MeanSteps& steps, std::int64_t start, std::int64_t end,
                    bool count_unknown, TimeByValue& out);

// The figures of such a sum: the time averaged over, and when it is > 0 the exact mean
// and the integral in seconds.
struct MeanFigures {
  std::int64_t measured = 0;
  std::optional<DeviceMean> mean;
  double integral_s = 0;
  std::int64_t integral_ms = 0;  // rounded to the nearest, halves up
};
MeanFigures mean_figures(const SlaPlan& sla, const MeanValues& values, const TimeByValue& time);

// Per group (in series order), per window: `measured` the device-time averaged over
// (Σ over devices of their measured instants where EXPR is known, or all of them with
// `unknown as`), `mean` the exact mean and `integral_s` the integral in seconds.
// Outages are not defined.
std::vector<std::vector<WindowStats>> number_mean_stats(const Plan& plan, const SlaSeries& series);

}  // namespace slac::rt
