// The budgets of SPEC 5.2 and 4.4 for one group-window: how much more downtime the
// percentage objective (any target form) and the downtime objective allow, and what
// follows for `secured`, `breached`, `at_risk` and `breach_at`.
#pragma once
#include <cstdint>
#include <optional>

#include "base/decimal.hpp"
#include "compiler/plan.hpp"

namespace slac::rt {

struct Budgets {
  bool has_budget = false;   // the fields below: the percentage's, else the downtime objective's
  Decimal budget;            // ms, exact
  Decimal budget_left;       // budget - used
  bool secured = true;       // met even if the whole rest of the window fails
  bool breached = false;     // cannot be met whatever the rest
  bool at_risk = false;      // less than a quarter of a budget left
  // The measured time after T that a failure going on would take to breach; nullopt
  // without a budget.
  std::optional<i128> breach_after;
};

// `used` = measured so far - good so far; `rest` = the measured time left in the window.
// Good time so far that may still be lost (`stake_good`) and bad time that may still be
// regained (`stake_bad`) widen the worst and best cases: an unfinished counting
// interval's, say.
Budgets budgets(const SlaPlan& sla, std::int64_t used, std::int64_t measured_total, std::int64_t rest,
                std::int64_t stake_good = 0, std::int64_t stake_bad = 0);

}  // namespace slac::rt
