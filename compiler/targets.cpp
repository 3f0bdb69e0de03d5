// What an SLA's percentage objective means, exactly: see targets.hpp.
#include "compiler/targets.hpp"

#include <algorithm>
#include <limits>

namespace slac {

namespace {

i128 floor_div128(i128 a, i128 b) {  // b > 0
  i128 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

std::int64_t saturate(i128 v) {
  constexpr auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  return static_cast<std::int64_t>(std::clamp<i128>(v, lo, hi));
}

}  // namespace

std::optional<AttainmentRatio> attainment_ratio(const SlaPlan& sla, std::int64_t measured, std::int64_t good) {
  if (measured <= 0) return std::nullopt;
  if (sla.target_of && *sla.target_of > 0) {
    // (D - downtime) / D, whatever the window's length (NEVI's 525,600 minutes, leap
    // year or not); negative when the downtime exceeds D.
    return AttainmentRatio{static_cast<i128>(*sla.target_of) - (static_cast<i128>(measured) - good), *sla.target_of};
  }
  return AttainmentRatio{good, measured};
}

double attainment_double(const AttainmentRatio& a) {
  // Both are exact in a double (under 2^53 ms), so the division rounds once.
  return static_cast<double>(a.num) / static_cast<double>(a.den);
}

std::optional<Decimal> rounded_attainment(const SlaPlan& sla, const AttainmentRatio& a) {
  if (!sla.rounding || sla.rounding->units <= 0) return std::nullopt;
  // In percent units the attainment is 100 num / den and the step m / 10^s; the
  // rounded value is k steps, k = floor(100 num 10^s / (den m) + 1/2).
  const Decimal& q = *sla.rounding;
  i128 m = q.units;
  i128 k = floor_div128(200 * a.num * pow10_128(q.scale) + a.den * m, 2 * a.den * m);
  return Decimal{saturate(k * m), q.scale}.normalized();
}

int compare_judged(const SlaPlan& sla, const AttainmentRatio& a, const Decimal& percent) {
  if (auto r = rounded_attainment(sla, a)) {
    auto c = *r <=> percent;
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return compare_ratio(a.num * 100, a.den, percent);
}

bool target_met(const SlaPlan& sla, std::int64_t measured, std::int64_t good) {
  if (!sla.target) return true;
  auto a = attainment_ratio(sla, measured, good);
  if (!a) return true;
  int c = compare_judged(sla, *a, *sla.target);
  return sla.target_more_than ? c > 0 : c >= 0;
}

bool downtime_met(const SlaPlan& sla, std::int64_t measured, std::int64_t good) {
  if (!sla.max_downtime) return true;
  std::int64_t downtime = measured - good;
  return sla.downtime_less_than ? downtime < *sla.max_downtime : downtime <= *sla.max_downtime;
}

std::optional<TargetThreshold> target_threshold(const SlaPlan& sla) {
  if (!sla.target) return std::nullopt;
  if (!sla.rounding || sla.rounding->units <= 0) return TargetThreshold{*sla.target, sla.target_more_than};
  // The least number of steps c whose value meets the target; the attainments that
  // round to c steps or more start half a step under it.
  const Decimal& p = *sla.target;
  const Decimal& q = *sla.rounding;
  std::uint8_t scale = std::max(p.scale, q.scale);
  i128 pu = static_cast<i128>(p.units) * pow10_128(scale - p.scale);
  i128 qu = static_cast<i128>(q.units) * pow10_128(scale - q.scale);
  i128 c = sla.target_more_than ? floor_div128(pu, qu) + 1 : -floor_div128(-pu, qu);
  return TargetThreshold{Decimal{saturate((2 * c - 1) * q.units * 5), static_cast<std::uint8_t>(q.scale + 1)}.normalized(),
                         false};
}

}  // namespace slac
