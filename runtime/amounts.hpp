// Penalty amounts (SPEC 4.4): an amount's value for one row, in exact rationals, then
// rounded half up to the currency's minor unit. No floating point on money's path.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/evaluate.hpp"

namespace slac::rt {

// What a per-group amount may price: the row's figures and the group's attributes.
struct AmountRow {
  const WindowStats* stats = nullptr;
  std::optional<Decimal> rounded_attainment;  // percent units, when the SLA rounds
  const GroupSeries* group = nullptr;
};

// The amount, rounded half up to plan.money_decimals; a negative amount is 0, and so is
// a per-group amount of a row with nothing measured (a `null` attainment). `row` is
// null for static amounts (caps, estate verdicts). Division by zero, or a result too
// large for an exact decimal, is a DataError naming the SLA, the group and the window.
Decimal amount_value(const Plan& plan, const SlaPlan& sla, const PlanAmount& amount, const AmountRow* row,
                     std::string_view group, std::int64_t window_start);

}  // namespace slac::rt
