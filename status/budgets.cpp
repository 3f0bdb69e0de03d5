// The budgets of one group-window: see budgets.hpp.
#include "status/budgets.hpp"

#include <algorithm>

#include "compiler/targets.hpp"
#include "runtime/counting.hpp"

namespace slac::rt {

namespace {

// One objective's allowance of downtime over the window, and whether reaching it exactly breaches.
struct Allowance {
  Decimal budget;
  bool strict = false;
};

struct Stake {
  std::int64_t good = 0, bad = 0;
};

Budgets judge(const Allowance& a, std::int64_t used, std::int64_t rest, const Stake& stake, bool nothing_measured) {
  Budgets b;
  b.has_budget = true;
  b.budget = a.budget;
  b.budget_left = *add(a.budget, Decimal::integer(-used));
  if (nothing_measured) return b;  // an attainment of `null` is met
  // Met when the window's downtime is at most the budget (under it when strict).
  Decimal worst = Decimal::integer(used + rest + stake.good);
  b.secured = a.strict ? worst < a.budget : !(a.budget < worst);
  Decimal best_left = *add(b.budget_left, Decimal::integer(stake.bad));
  b.breached = best_left.is_negative() || (a.strict && best_left == Decimal{});
  b.at_risk = *multiply(b.budget_left, 4) < a.budget;
  b.breach_after = std::max<i128>(ceil_integer(b.budget_left), 0);
  return b;
}

}  // namespace

Budgets budgets(const SlaPlan& sla, std::int64_t used, std::int64_t measured_total, std::int64_t rest,
                std::int64_t stake_good, std::int64_t stake_bad) {
  Stake stake{stake_good, stake_bad};
  std::optional<Budgets> percent, downtime;
  if (auto th = target_threshold(sla)) {
    // (1 - threshold) x the denominator, exactly: D or the window's measured total.
    std::int64_t base = sla.target_of ? *sla.target_of : measured_total;
    Decimal hundred_minus = *add(Decimal::integer(100), Decimal{-th->percent.units, th->percent.scale});
    Decimal scaled = *multiply(hundred_minus, base);
    scaled.scale = static_cast<std::uint8_t>(scaled.scale + 2);
    percent = judge(Allowance{scaled.normalized(), th->strict}, used, rest, stake, measured_total == 0);
  }
  if (sla.max_downtime) {
    downtime = judge(Allowance{Decimal::integer(*sla.max_downtime), sla.downtime_less_than}, used, rest, stake, false);
  }
  if (!percent && !downtime) return Budgets{};
  if (!percent) return *downtime;
  if (!downtime) return *percent;
  Budgets b = *percent;
  b.secured = percent->secured && downtime->secured;
  b.breached = percent->breached || downtime->breached;
  b.at_risk = percent->at_risk || downtime->at_risk;
  if (!b.breach_after || (downtime->breach_after && *downtime->breach_after < *b.breach_after)) {
    b.breach_after = downtime->breach_after;
  }
  return b;
}

AtStake interval_at_stake(const SlaPlan::Counting& c, const Zone& zone, const IntervalSet& raw_holds,
                          const IntervalSet& counted_holds, const IntervalSet& measurable, const std::vector<std::pair<Time, Time>>& rest, Time ws,
                          Time we, Time as_of) {
  AtStake out;
  auto [a, b] = counting_interval_at(c, zone, as_of - 1);
  if (b <= as_of) return out;
  Time lo = std::max(a, ws), hi = std::min(b, we);
  Time rest_in = 0;
  for (const auto& [x, y] : rest) rest_in += std::max<Time>(0, std::min(y, hi) - std::max(x, as_of));
  if (rest_in == 0) return out;
  IntervalSet measured = measurable & Interval(lo, as_of);
  Time m = measure(measured);
  Time raw_good = measure(measured & raw_holds);
  Time good = measure(measured & counted_holds);
  if (interval_fails(c, m + rest_in, m - raw_good + rest_in)) out.good = good;
  if (!interval_fails(c, m + rest_in, m - raw_good)) out.bad = m - good;
  return out;
}

}  // namespace slac::rt
