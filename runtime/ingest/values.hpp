// The text of data values, shared by every reader: what is wrong with a text, numbers
// in exact decimals, and the messages that refuse them (SPEC 3).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "base/decimal.hpp"

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

bool iequals(std::string_view a, std::string_view b);

// A data text in backticks for a message, saying so when it starts or ends with spaces
// or tabs, which backticks alone do not show: "`ok  ` (ends with 2 spaces)".
std::string quoted(std::string_view text);

// A data number: optional sign, digits, optional fraction; no exponent, no `_`.
std::optional<Decimal> parse_data_number(std::string_view s);
// Why `s` is not a data number.
std::string number_refusal(std::string_view s);

}  // namespace slac::rt::ingest
