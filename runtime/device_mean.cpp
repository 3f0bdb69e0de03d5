// The exact mean of device attainments, in rationals of arbitrary precision.
#include "runtime/device_mean.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "runtime/exact_sum.hpp"

namespace slac::rt {

DeviceMean DeviceMean::exact(std::shared_ptr<const Sum> sum) {
  DeviceMean m;
  m.devices_ = 1;
  m.sum_ = std::move(sum);
  return m;
}

void DeviceMean::add(std::int64_t good, std::int64_t measured) {
  good_by_measured_[measured] += good;
  ++devices_;
  sum_.reset();
}

namespace {

using Term = std::pair<mp::cpp_int, mp::cpp_int>;  // numerator, denominator

// The sum of terms[lo, hi) by halves, so that the numbers multiplied are of about
// equal size: n log n in the bits of the denominators' product, not n squared.
Term sum_terms(const std::vector<Term>& terms, std::size_t lo, std::size_t hi) {
  if (hi - lo == 1) return terms[lo];
  std::size_t mid = lo + (hi - lo) / 2;
  Term a = sum_terms(terms, lo, mid), b = sum_terms(terms, mid, hi);
  return Term(a.first * b.second + b.first * a.second, a.second * b.second);
}

mp::cpp_int pow10(unsigned n) {
  mp::cpp_int r = 1;
  for (unsigned i = 0; i < n; ++i) r *= 10;
  return r;
}

// (num / den) / devices <=> units / 10^scale, as num * 10^scale <=> units * devices * den.
int compare_scaled(const DeviceMean::Sum& sum, std::size_t devices, std::int64_t units, unsigned scale) {
  mp::cpp_int lhs = sum.num * pow10(scale);
  mp::cpp_int rhs = mp::cpp_int(units) * devices * sum.den;
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

}  // namespace

const DeviceMean::Sum& DeviceMean::sum() const {
  if (!sum_) {  // never for exact(): its sum is given
    std::vector<Term> terms;
    for (const auto& [measured, good] : good_by_measured_) {
      // good <= devices * measured: fits in 128 bits; cpp_int takes it in two halves.
      auto g = static_cast<u128>(good);
      mp::cpp_int num = mp::cpp_int(static_cast<std::uint64_t>(g >> 64)) << 64;
      num += static_cast<std::uint64_t>(g);
      terms.emplace_back(std::move(num), mp::cpp_int(measured));
    }
    auto s = std::make_shared<Sum>();
    if (!terms.empty()) std::tie(s->num, s->den) = sum_terms(terms, 0, terms.size());
    sum_ = std::move(s);
  }
  return *sum_;
}

int DeviceMean::compare_fraction(const Decimal& fraction) const {
  return compare_scaled(sum(), devices_, fraction.units, fraction.scale);
}

int DeviceMean::compare_percent(const Decimal& percent) const {
  return compare_scaled(sum(), devices_, percent.units, percent.scale + 2u);
}

double DeviceMean::to_double() const {
  if (devices_ == 0) return 0;
  mp::cpp_int num = sum().num;
  mp::cpp_int den = sum().den * devices_;
  if (num == 0) return 0;
  if (num < 0) return -nearest_double(-num, den);
  return nearest_double(num, den);
}

double nearest_double(const mp::cpp_int& num, const mp::cpp_int& den) {
  // q = floor(num * 2^k / den) with 2^53 <= q < 2^54, then rounded half to even to 53
  // bits: the nearest double to num/den is (rounded q) * 2^-k.
  long k = static_cast<long>(mp::msb(den)) - static_cast<long>(mp::msb(num)) + 53;
  auto quotient = [&](long shift, mp::cpp_int& rem) {
    mp::cpp_int n = shift >= 0 ? mp::cpp_int(num << static_cast<unsigned>(shift)) : mp::cpp_int(num);
    mp::cpp_int d = shift >= 0 ? den : mp::cpp_int(den << static_cast<unsigned>(-shift));
    mp::cpp_int q;
    mp::divide_qr(n, d, q, rem);
    return std::pair<mp::cpp_int, mp::cpp_int>(q, d);
  };
  mp::cpp_int rem;
  auto [q, d] = quotient(k, rem);
  while (mp::msb(q) < 53) {
    ++k;
    std::tie(q, d) = quotient(k, rem);
  }
  while (mp::msb(q) > 53) {
    --k;
    std::tie(q, d) = quotient(k, rem);
  }
  // q has 54 bits: drop the last one, rounding half to even with the remainder.
  bool half = mp::bit_test(q, 0);
  bool above = rem != 0;
  q >>= 1;
  if (half && (above || mp::bit_test(q, 0))) q += 1;
  return std::ldexp(q.convert_to<double>(), static_cast<int>(-(k - 1)));
}

namespace {

// A percentage and the rounding step as integers of one scale: x / 10^scale, q / 10^scale.
struct StepUnits {
  i128 x, q;
  std::uint8_t scale;
};
StepUnits step_units(const Decimal& percent, const Decimal& step) {
  std::uint8_t scale = std::max(percent.scale, step.scale);
  return {static_cast<i128>(percent.units) * pow10_128(scale - percent.scale),
          static_cast<i128>(step.units) * pow10_128(scale - step.scale), scale};
}

i128 floor_div(i128 a, i128 b) {  // b > 0
  i128 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// (k - 1/2) steps, in percent units: the least attainment that rounds to k steps.
Decimal half_below(i128 k, i128 q, std::uint8_t scale) {
  return Decimal{static_cast<std::int64_t>((2 * k - 1) * q * 5), static_cast<std::uint8_t>(scale + 1)};
}

}  // namespace

int compare_judged_mean(const SlaPlan& sla, const DeviceMean& mean, const Decimal& percent) {
  if (!sla.rounding || sla.rounding->units <= 0) return mean.compare_percent(percent);
  // The rounded mean is k steps with (k - 1/2) q <= mean < (k + 1/2) q. It is under x
  // when k < ceil(x / q), and over x when k >= floor(x / q) + 1.
  auto [x, q, scale] = step_units(percent, *sla.rounding);
  i128 at_least = -floor_div(-x, q);
  if (mean.compare_percent(half_below(at_least, q, scale)) < 0) return -1;
  return mean.compare_percent(half_below(floor_div(x, q) + 1, q, scale)) >= 0 ? 1 : 0;
}

std::optional<Decimal> rounded_mean(const SlaPlan& sla, const DeviceMean& mean) {
  if (!sla.rounding || sla.rounding->units <= 0) return std::nullopt;
  i128 q = sla.rounding->units;
  std::uint8_t scale = sla.rounding->scale;
  // The double gives k to within a step; the exact comparisons settle it.
  double steps = mean.to_double() * 100.0 * static_cast<double>(pow10_128(scale)) / static_cast<double>(q);
  i128 k = static_cast<i128>(std::floor(steps + 0.5));
  while (mean.compare_percent(half_below(k, q, scale)) < 0) --k;
  while (mean.compare_percent(half_below(k + 1, q, scale)) >= 0) ++k;
  return Decimal{static_cast<std::int64_t>(k * q), scale}.normalized();
}

}  // namespace slac::rt
