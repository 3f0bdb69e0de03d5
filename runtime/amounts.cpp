// Penalty amounts, evaluated over their postfix form with a stack of exact rationals.
#include "runtime/amounts.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include "base/time.hpp"
#include "compiler/targets.hpp"
#include "runtime/exact_sum.hpp"

namespace slac::rt {

namespace {

namespace mp = boost::multiprecision;
using Rational = mp::cpp_rational;

mp::cpp_int big(i128 v) {
  bool negative = v < 0;
  u128 mag = negative ? static_cast<u128>(-(v + 1)) + 1 : static_cast<u128>(v);
  mp::cpp_int out = mp::cpp_int(static_cast<std::uint64_t>(mag >> 64)) << 64;
  out += static_cast<std::uint64_t>(mag);
  return negative ? mp::cpp_int(-out) : out;
}

Rational pow10(unsigned n) {
  mp::cpp_int r = 1;
  for (unsigned i = 0; i < n; ++i) r *= 10;
  return Rational(r);
}

// A decimal as a rational; a percentage (percent units) as a fraction.
Rational exact(const Decimal& d, bool percent) {
  return Rational(mp::cpp_int(d.units)) / pow10(d.scale + (percent ? 2u : 0u));
}

// The attainment as the SLA judges it: rounded when it rounds, else exact (the mean of
// device ratios, good / counted events, good / measured or against a fixed duration).
Rational attainment(const SlaPlan& sla, const AmountRow& row) {
  if (row.rounded_attainment) return exact(*row.rounded_attainment, true);
  const WindowStats& st = *row.stats;
  if (st.mean) {
    const DeviceMean::Sum& sum = st.mean->sum();
    return Rational(sum.num, sum.den * st.mean->devices());
  }
  if (st.counts_events) return Rational(mp::cpp_int(st.good), mp::cpp_int(st.measured));
  AttainmentRatio a = *attainment_ratio(sla, st.measured, st.good);
  return Rational(big(a.num), big(a.den));
}

std::string where(const SlaPlan& sla, std::string_view group, std::int64_t window_start) {
  return group.empty() ? fmt::format("SLA `{}`, window starting {}", sla.name, format_instant(window_start))
                       : fmt::format("SLA `{}`, group `{}`, window starting {}", sla.name, group,
                                     format_instant(window_start));
}

}  // namespace

Decimal amount_value(const Plan& plan, const SlaPlan& sla, const PlanAmount& amount, const AmountRow* row,
                     std::string_view group, std::int64_t window_start) {
  if (row != nullptr && amount.per_group() && row->stats->measured <= 0) return Decimal{};
  std::vector<Rational> stack;
  for (const AmountNode& n : amount.postfix) {
    switch (n.kind) {
      case AmountNodeKind::literal: stack.push_back(exact(n.number, n.percent)); break;
      case AmountNodeKind::param: stack.push_back(exact(plan.params[n.ref].number, plan.params[n.ref].type == ParamType::percent)); break;
      case AmountNodeKind::figure: {
        switch (n.figure) {
          case AmountFigure::attainment: stack.push_back(attainment(sla, *row)); break;
          case AmountFigure::shortfall: {
            Rational s = exact(sla.target.value_or(Decimal{}), true) - attainment(sla, *row);
            stack.push_back(s < 0 ? Rational(0) : s);
            break;
          }
          case AmountFigure::downtime_hours:
            stack.push_back(Rational(mp::cpp_int(row->stats->measured - row->stats->good), mp::cpp_int(3'600'000)));
            break;
        }
        break;
      }
      case AmountNodeKind::attribute: {
        const auto& values = row->group->amount_attributes;
        auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == n.ref; });
        stack.push_back(it == values.end() ? Rational(0) : exact(it->second, false));
        break;
      }
      default: {
        Rational rhs = stack.back();
        stack.pop_back();
        Rational& lhs = stack.back();
        switch (n.kind) {
          case AmountNodeKind::add: lhs += rhs; break;
          case AmountNodeKind::subtract: lhs -= rhs; break;
          case AmountNodeKind::multiply: lhs *= rhs; break;
          default:
            if (rhs == 0) {
              throw DataError(fmt::format("the penalty `{}` divides by zero ({})", amount.text,
                                          where(sla, group, window_start)));
            }
            lhs /= rhs;
        }
      }
    }
  }
  Rational value = stack.empty() ? Rational(0) : stack.back();
  if (value <= 0) return Decimal{};
  // Half up: floor(value * 10^k + 1/2).
  Rational scaled = value * pow10(plan.money_decimals) + Rational(1, 2);
  mp::cpp_int units = mp::numerator(scaled) / mp::denominator(scaled);
  // Trailing zeros dropped first: 2e17 rounded to the cent is 2e17, not 2e19 cents.
  unsigned scale = plan.money_decimals;
  while (scale > 0 && units % 10 == 0) {
    units /= 10;
    --scale;
  }
  if (units > std::numeric_limits<std::int64_t>::max()) {
    throw DataError(fmt::format("the penalty `{}` comes to more than an exact decimal holds (18 significant "
                                "digits; {}); slac does not round money",
                                amount.text, where(sla, group, window_start)));
  }
  return Decimal{units.convert_to<std::int64_t>(), static_cast<std::uint8_t>(scale)}.normalized();
}

}  // namespace slac::rt
