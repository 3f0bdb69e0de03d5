// What an SLA's percentage objective means, exactly (SPEC 4.3, 4.4): the attainment it
// judges by (good / measured, or (D - downtime) / D against a fixed duration), that
// attainment rounded to the SLA's step, and the threshold it must reach. Exact
// rationals of integer milliseconds throughout: never floating point. The runtime,
// status and whatif all judge through these, so that they agree.
#pragma once
#include <cstdint>
#include <optional>

#include "base/decimal.hpp"
#include "compiler/plan.hpp"

namespace slac {

// An attainment as a ratio num / den (den > 0), a fraction (not percent units).
struct AttainmentRatio {
  i128 num = 0;
  i128 den = 1;
};

// The attainment of a group-window with these measured and good times; nullopt when
// nothing was measured (SPEC 4.3: `null`, and met).
std::optional<AttainmentRatio> attainment_ratio(const SlaPlan& sla, std::int64_t measured, std::int64_t good);

// The nearest double to the attainment.
double attainment_double(const AttainmentRatio& a);

// The attainment rounded half up to a multiple of the SLA's step, in percent units;
// nullopt when the SLA does not round.
std::optional<Decimal> rounded_attainment(const SlaPlan& sla, const AttainmentRatio& a);

// The attainment as judged (rounded when the SLA rounds) compared with a threshold in
// percent units (a target, a tier's `below`, `warn below`): -1, 0 or 1.
int compare_judged(const SlaPlan& sla, const AttainmentRatio& a, const Decimal& percent);

// Whether the percentage objective holds: true without one, or with nothing measured.
bool target_met(const SlaPlan& sla, std::int64_t measured, std::int64_t good);
// Whether the downtime objective holds (measured - good against D): true without one.
bool downtime_met(const SlaPlan& sla, std::int64_t measured, std::int64_t good);

// The least exact attainment (percent units) that meets the target: P for `at least`;
// with `rounded to Q%`, the lowest attainment that rounds to a value meeting it
// (P - Q/2, or P + Q/2 for `more than`, when P is a multiple of Q). `strict`: the
// attainment must exceed it (`more than` without rounding). Status and whatif use it.
struct TargetThreshold {
  Decimal percent;
  bool strict = false;
};
std::optional<TargetThreshold> target_threshold(const SlaPlan& sla);

// Whether the SLA uses any form of SPEC 4.4's targets (for output that keeps the older
// forms' bytes unchanged).
inline bool has_target_form(const SlaPlan& sla) {
  return sla.target_more_than || sla.rounding || sla.target_of || sla.max_downtime;
}

}  // namespace slac
