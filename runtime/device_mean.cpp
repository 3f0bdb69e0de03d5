// The exact mean of device attainments, in rationals of arbitrary precision.
#include "runtime/device_mean.hpp"

#include <cmath>

#include <boost/multiprecision/cpp_int.hpp>

namespace slac::rt {

namespace mp = boost::multiprecision;

struct DeviceMean::Sum {
  mp::cpp_rational value;
};

void DeviceMean::add(std::int64_t good, std::int64_t measured) {
  auto next = std::make_shared<Sum>();
  next->value = mp::cpp_rational(mp::cpp_int(good), mp::cpp_int(measured));
  if (sum_) next->value += sum_->value;
  sum_ = std::move(next);
  ++devices_;
}

namespace {

mp::cpp_int pow10(unsigned n) {
  mp::cpp_int r = 1;
  for (unsigned i = 0; i < n; ++i) r *= 10;
  return r;
}

// sum / devices <=> units / 10^scale, as sum * 10^scale <=> units * devices.
int compare_scaled(const mp::cpp_rational& sum, std::size_t devices, std::int64_t units, unsigned scale) {
  mp::cpp_rational lhs = sum * pow10(scale);
  mp::cpp_rational rhs = mp::cpp_rational(mp::cpp_int(units) * devices);
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

}  // namespace

int DeviceMean::compare_fraction(const Decimal& fraction) const {
  mp::cpp_rational zero;
  return compare_scaled(sum_ ? sum_->value : zero, devices_, fraction.units, fraction.scale);
}

int DeviceMean::compare_percent(const Decimal& percent) const {
  mp::cpp_rational zero;
  return compare_scaled(sum_ ? sum_->value : zero, devices_, percent.units, percent.scale + 2u);
}

double DeviceMean::to_double() const {
  if (!sum_ || devices_ == 0) return 0;
  mp::cpp_int num = mp::numerator(sum_->value);
  mp::cpp_int den = mp::denominator(sum_->value) * devices_;
  if (num == 0) return 0;
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

}  // namespace slac::rt
