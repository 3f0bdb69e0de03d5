// The text of data values, shared by every reader: what is wrong with a text, numbers
// in exact decimals, the common shapes of times read fast, and the messages that
// refuse values (SPEC 3).
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "base/decimal.hpp"
#include "base/time.hpp"

namespace slac::rt::ingest {

// What is wrong with a text value that is not plain printable ASCII, if anything.
std::optional<std::string> text_problem_slow(std::string_view s);

// What is wrong with a text value, if anything: bytes that are not UTF-8, a NUL, or a
// control character other than tab and line ends. Inline: it runs on every field.
inline std::optional<std::string> text_problem(std::string_view s) {
  bool plain = true;
  for (char c : s) plain &= static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  if (plain) return std::nullopt;
  return text_problem_slow(s);
}

// The shapes most data writes, `2026-03-02T08:00:00Z` and `2026-03-02T08:00:00.250Z`,
// read in one pass: false for anything else (another shape, a date or time that does
// not exist, a year before 1970), which the general reader then reads or refuses.
inline bool read_utc_time(std::string_view s, std::int64_t& out) {
  const std::size_t n = s.size();
  if ((n != 20 && n != 24) || s[n - 1] != 'Z') return false;
  const char* p = s.data();
  if (p[10] != 'T' || p[13] != ':' || p[16] != ':' || (n == 24 && p[19] != '.')) return false;
  bool ok = true;
  auto digit = [&](std::size_t at) __attribute__((always_inline)) {
    unsigned v = static_cast<unsigned char>(p[at]) - static_cast<unsigned>('0');
    ok &= v < 10;
    return v;
  };
  auto two = [&](std::size_t at) __attribute__((always_inline)) { return digit(at) * 10 + digit(at + 1); };
  // The days of the date, remembered per thread: rows in time order share it.
  struct Day {
    std::uint64_t head = 0;  // the date's first eight bytes, `2026-03-` ...
    std::uint16_t tail = 0;  // ... and its last two
    std::int64_t days = -1;
  };
  static thread_local Day last;
  std::uint64_t head;
  std::uint16_t tail;
  std::memcpy(&head, p, 8);
  std::memcpy(&tail, p + 8, 2);
  std::int64_t days;
  if (head == last.head && tail == last.tail && last.days >= 0) {
    days = last.days;
  } else {
    if (p[4] != '-' || p[7] != '-') return false;
    int year = static_cast<int>(two(0) * 100 + two(2));
    unsigned month = two(5), day = two(8);
    // Only when the date changes: the general reader's rules, and its messages later.
    if (!ok || year < 1970 || date_problem(year, month, day)) return false;
    days = days_from_civil(year, month, day);
    last = Day{head, tail, days};
  }
  unsigned hour = two(11), minute = two(14), second = two(17);
  unsigned ms = n == 24 ? digit(20) * 100 + two(21) : 0;
  if (!ok || hour > 23 || minute > 59 || second > 59) return false;
  out = (days * 86400 + hour * 3600 + minute * 60 + second) * 1000 + ms;
  return true;
}

bool iequals(std::string_view a, std::string_view b);

// A data text in backticks for a message, saying so when it starts or ends with spaces
// or tabs, which backticks alone do not show: "`ok  ` (ends with 2 spaces)".
std::string quoted(std::string_view text);

// A data number: optional sign, digits, optional fraction; no exponent, no `_`.
std::optional<Decimal> parse_data_number(std::string_view s);
// Why `s` is not a data number.
std::string number_refusal(std::string_view s);

}  // namespace slac::rt::ingest
