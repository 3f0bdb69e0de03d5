// Exact decimal numbers for percentages, counts and amounts: never compared in floating point.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slac {

// 128-bit integers for exact cross-multiplication (a GCC and Clang extension).
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

struct Decimal {
  std::int64_t units = 0;   // the value is units / 10^scale
  std::uint8_t scale = 0;   // at most max_scale

  static constexpr std::uint8_t max_scale = 18;

  static Decimal integer(std::int64_t v) { return {v, 0}; }
  // Parses `-12_345.678`; nullopt when the text is malformed or does not fit.
  static std::optional<Decimal> parse(std::string_view text);

  // Canonical text: no exponent, no trailing zeros (`22`, `22.5`, `-0.001`).
  std::string to_string() const;
  double to_double() const;
  bool is_integer() const;
  bool is_negative() const { return units < 0; }
  // Trailing zeros removed.
  Decimal normalized() const;

  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }
};

// Exact sum; nullopt on overflow.
// A percentage (99.5, in percent units) as the fraction it stands for (0.995), exactly.
inline Decimal percent_fraction(const Decimal& percent) {
  return Decimal{percent.units, static_cast<std::uint8_t>(percent.scale + 2)};
}
std::optional<Decimal> add(const Decimal& a, const Decimal& b);
// Exact product by an integer; nullopt on overflow.
std::optional<Decimal> multiply(const Decimal& a, std::int64_t k);
// floor(a) and ceil(a) as integers (saturating at the int64 range).
std::int64_t floor_integer(const Decimal& a);
std::int64_t ceil_integer(const Decimal& a);

// What to write for a number found where a percentage belongs: `0.99` is a fraction,
// so `99%`; `99.5` is `99.5%`. For messages: "write `99%`".
std::string percent_hint(std::string_view number_text);

// A number's text with its whole part's digits grouped by thousands: "-12345.67" is
// "-12,345.67" (money in tables and charts).
std::string group_thousands(std::string_view number_text);

// 10^n as a 128-bit integer, n <= 36.
i128 pow10_128(unsigned n);

// num/den compared with d (den > 0), exactly: -1, 0 or 1.
int compare_ratio(i128 num, i128 den, const Decimal& d);
inline bool ratio_at_least(i128 num, i128 den, const Decimal& d) { return compare_ratio(num, den, d) >= 0; }
inline bool ratio_at_most(i128 num, i128 den, const Decimal& d) { return compare_ratio(num, den, d) <= 0; }

}  // namespace slac
