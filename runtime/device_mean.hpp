// What the `on average` requirements (SPEC 4.4) keep per device, and the exact mean of
// device attainments that `on average per device` judges by.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "base/decimal.hpp"
#include "compiler/plan.hpp"

namespace slac::rt {

// One device of an `on average` group over the timeline: its measured instants (in
// scope, inside `during` in its site's zone, outside its site's `excluding`) and the
// good ones among them, as sorted disjoint [start, end) pieces in ms.
struct DeviceTime {
  std::size_t device = 0;
  std::size_t site = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> measured;
  std::vector<std::pair<std::int64_t, std::int64_t>> good;
  // At the last instant of the timeline (status: just before T).
  bool in_scope_at_end = false;       // `only` holds
  bool in_state_at_end = false;       // in scope and in STATE
  bool excluded_at_end = false;       // its site's `excluding` holds
};

// The mean of ratios good/measured over devices, exactly: the sum is kept as a
// rational of arbitrary precision (the denominators of many devices multiply), so
// that comparisons with a target are exact and the double shown is the nearest.
// `mean of` (runtime/number_mean.hpp) gives its exact mean in the same form.
class DeviceMean {
 public:
  struct Sum;  // the rational sum, in exact_sum.hpp
  // A mean given exactly, as one device whose ratio is `sum` (it may be negative).
  static DeviceMean exact(std::shared_ptr<const Sum> sum);

  // Adds one device with measured > 0.
  void add(std::int64_t good, std::int64_t measured);
  std::size_t devices() const { return devices_; }
  // The mean compared with a fraction (0.95) or a percentage (95): -1, 0 or 1.
  // Needs devices() > 0.
  int compare_fraction(const Decimal& fraction) const;
  int compare_percent(const Decimal& percent) const;
  // The double nearest to the mean (ties to even).
  double to_double() const;

  // The sum of the devices' ratios; the mean is it divided by devices().
  const Sum& sum() const;

 private:

  // The good time of the devices added, by measured time: devices measured equally
  // long (most, measured the whole window) are summed as integers first, so that the
  // rational sum has one term per distinct measured time.
  std::map<std::int64_t, i128> good_by_measured_;
  std::size_t devices_ = 0;
  mutable std::shared_ptr<const Sum> sum_;  // made on first use
};

// The mean as an SLA judges it (SPEC 4.4): rounded half up to the SLA's `rounded to`
// step when it has one, then compared with a percentage (a target, a tier, `warn`):
// -1, 0 or 1. Needs mean.devices() > 0.
int compare_judged_mean(const SlaPlan& sla, const DeviceMean& mean, const Decimal& percent);
// The mean rounded to the SLA's step, in percent units; nullopt when it does not round.
std::optional<Decimal> rounded_mean(const SlaPlan& sla, const DeviceMean& mean);

}  // namespace slac::rt
