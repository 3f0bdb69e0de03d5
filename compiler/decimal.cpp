// Exact decimal arithmetic on 64-bit mantissas with 128-bit intermediates.
#include "compiler/decimal.hpp"

#include <cmath>
#include <limits>

namespace slac {

i128 pow10_128(unsigned n) {
  i128 r = 1;
  for (unsigned i = 0; i < n; ++i) r *= 10;
  return r;
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  bool negative = false;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  i128 units = 0;
  int scale = 0;
  bool seen_digit = false;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') continue;
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (seen_point) {
      // Trailing zeros of the fraction add nothing; skip them once the scale is full.
      if (scale == max_scale) {
        if (c != '0') return std::nullopt;
        continue;
      }
      ++scale;
    }
    units = units * 10 + (c - '0');
    if (units > std::numeric_limits<std::int64_t>::max()) return std::nullopt;
  }
  if (!seen_digit) return std::nullopt;
  Decimal d{static_cast<std::int64_t>(negative ? -units : units), static_cast<std::uint8_t>(scale)};
  return d.normalized();
}

Decimal Decimal::normalized() const {
  Decimal d = *this;
  while (d.scale > 0 && d.units % 10 == 0) {
    d.units /= 10;
    --d.scale;
  }
  if (d.units == 0) d.scale = 0;
  return d;
}

std::string Decimal::to_string() const {
  Decimal d = normalized();
  bool negative = d.units < 0;
  // Work in unsigned 128 bits so that INT64_MIN has a magnitude.
  u128 mag = negative ? static_cast<u128>(-static_cast<i128>(d.units))
                                   : static_cast<u128>(d.units);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  } while (mag > 0);
  if (d.scale > 0) {
    while (digits.size() <= d.scale) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - d.scale, '.');
  }
  return negative ? "-" + digits : digits;
}

double Decimal::to_double() const {
  // Through text, so that the double is the one nearest to the decimal.
  return std::stod(to_string());
}

bool Decimal::is_integer() const { return normalized().scale == 0; }

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  unsigned s = std::max(a.scale, b.scale);
  i128 x = static_cast<i128>(a.units) * pow10_128(s - a.scale);
  i128 y = static_cast<i128>(b.units) * pow10_128(s - b.scale);
  return x <=> y;
}

std::optional<Decimal> add(const Decimal& a, const Decimal& b) {
  unsigned s = std::max(a.scale, b.scale);
  i128 x = static_cast<i128>(a.units) * pow10_128(s - a.scale);
  i128 y = static_cast<i128>(b.units) * pow10_128(s - b.scale);
  i128 sum = x + y;
  // Give up precision that is zero before giving up.
  while (s > 0 && sum % 10 == 0) {
    sum /= 10;
    --s;
  }
  if (sum > std::numeric_limits<std::int64_t>::max() || sum < std::numeric_limits<std::int64_t>::min()) {
    return std::nullopt;
  }
  return Decimal{static_cast<std::int64_t>(sum), static_cast<std::uint8_t>(s)};
}

std::optional<Decimal> multiply(const Decimal& a, std::int64_t k) {
  i128 p = static_cast<i128>(a.units) * k;
  if (p > std::numeric_limits<std::int64_t>::max() || p < std::numeric_limits<std::int64_t>::min()) {
    return std::nullopt;
  }
  return Decimal{static_cast<std::int64_t>(p), a.scale}.normalized();
}

std::int64_t floor_integer(const Decimal& a) {
  i128 p = pow10_128(a.scale);
  i128 q = a.units / p;
  if (a.units % p != 0 && a.units < 0) --q;
  return static_cast<std::int64_t>(q);
}

std::int64_t ceil_integer(const Decimal& a) {
  i128 p = pow10_128(a.scale);
  i128 q = a.units / p;
  if (a.units % p != 0 && a.units > 0) ++q;
  return static_cast<std::int64_t>(q);
}

bool ratio_at_least(i128 num, i128 den, const Decimal& d) {
  // num/den >= units/10^scale  <=>  num * 10^scale >= units * den  (den > 0).
  // num and den are millisecond counts or weights well below 2^63, scale <= 18:
  // the products stay below 2^127 only when num < 2^63 / ... so split the check.
  i128 lhs_scale = pow10_128(d.scale);
  // Use long double free exact comparison via 128-bit with a guard against overflow.
  const i128 limit = (static_cast<i128>(1) << 126) / lhs_scale;
  if (num <= limit && (d.units == 0 || den <= (static_cast<i128>(1) << 126) / (d.units < 0 ? -static_cast<i128>(d.units) : static_cast<i128>(d.units)))) {
    return num * lhs_scale >= static_cast<i128>(d.units) * den;
  }
  // Out of 128-bit range: compare integer parts first, then the remainders.
  i128 q = num / den;
  i128 r = num % den;
  i128 dq = static_cast<i128>(d.units) / lhs_scale;
  i128 dr = static_cast<i128>(d.units) % lhs_scale;
  if (q != dq) return q > dq;
  // r/den >= dr/10^scale with r < den and dr < 10^scale, both products < 2^127 here.
  return r * lhs_scale >= dr * den;
}

}  // namespace slac
