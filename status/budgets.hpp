// The budgets of SPEC 5.2 and 4.4 for one group-window: how much more downtime the
// percentage objective (any target form) and the downtime objective allow, and what
// follows for `secured`, `breached`, `at_risk` and `breach_at`.
#pragma once
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "base/decimal.hpp"
#include "compiler/plan.hpp"
#include "runtime/intervals.hpp"

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

// Under `counted in` (SPEC 4.4), the interval holding T is judged on its measured
// instants so far; the rest of the window may still fail it (its good time so far is
// then lost) or pass it (its bad time so far is then regained). How much of each, in
// the window [ws, we), if the rest of the interval is measured at all: `rest` is the
// measured time after T (sorted spans), `raw_holds` the requirement before counting,
// `counted_holds` after.
struct AtStake {
  std::int64_t good = 0;  // lost should the interval fail
  std::int64_t bad = 0;   // regained should it pass
};
AtStake interval_at_stake(const SlaPlan::Counting& c, const Zone& zone, const IntervalSet& raw_holds,
                          const IntervalSet& counted_holds, const IntervalSet& measurable,
                          const std::vector<std::pair<Time, Time>>& rest, Time ws, Time we, Time as_of);

}  // namespace slac::rt
