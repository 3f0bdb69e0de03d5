// Exact decimal arithmetic on 64-bit mantissas with 128-bit intermediates.
#include "base/decimal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

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

int compare_ratio(i128 num, i128 den, const Decimal& d) {
  // num/den <=> units/10^scale  is  num * 10^scale <=> units * den  (den > 0). The
  // callers' magnitudes (milliseconds, device counts, scaled weight sums, times 100)
  // stay below 2^64, so both products fit in 127 bits with scale <= 18.
  i128 lhs = num * pow10_128(d.scale);
  i128 rhs = static_cast<i128>(d.units) * den;
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

std::string percent_hint(std::string_view number_text) {
  auto d = Decimal::parse(number_text);
  std::string as_written = fmt::format("write `{}%`", number_text);
  if (!d || d->is_negative() || !(*d < Decimal::integer(1))) return as_written;
  auto hundredfold = multiply(*d, 100);
  if (!hundredfold || d->units == 0) return as_written;
  // Under 1, a number reads as a fraction: `0.99` means 99%.
  return fmt::format("`{}` reads as a fraction, so write `{}%` (`{}%` is less than one percent)", number_text,
                     hundredfold->normalized().to_string(), number_text);
}

std::string group_thousands(std::string_view number_text) {
  bool negative = !number_text.empty() && number_text[0] == '-';
  if (negative) number_text.remove_prefix(1);
  std::size_t point = std::min(number_text.find('.'), number_text.size());
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < point; ++i) {
    if (i > 0 && (point - i) % 3 == 0) out += ',';
    out += number_text[i];
  }
  return out + std::string(number_text.substr(point));
}

}  // namespace slac
