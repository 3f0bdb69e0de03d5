// Data values: RFC 3339 and epoch times, typed values, and the checks of text that
// every reader applies (SPEC 3).
#include "runtime/ingest/values.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/source.hpp"
#include "base/time.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::rt::ingest {

std::optional<std::string> text_problem_slow(std::string_view s) {
  std::size_t bad = invalid_utf8_at(s);
  for (std::size_t i = 0; i < std::min(bad, s.size()); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return "holds a NUL byte";
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return fmt::format("holds the control character 0x{:02X}", c);
    // The C1 controls U+0080..U+009F (U+0085 is a line end to some readers): two bytes,
    // 0xC2 then 0x80..0x9F, in valid UTF-8.
    if (c == 0xC2 && i + 1 < std::min(bad, s.size())) {
      auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return fmt::format("holds the control character U+{:04X}", next);
    }
  }
  if (bad != std::string_view::npos) {
    return fmt::format("is not UTF-8 text (byte 0x{:02X}); data files are UTF-8", static_cast<unsigned char>(s[bad]));
  }
  return std::nullopt;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

namespace {

// "2 spaces", "a tab", "3 blanks" (spaces and tabs mixed).
std::string blanks(std::string_view run) {
  bool spaces = run.find('\t') == std::string_view::npos;
  bool tabs = run.find(' ') == std::string_view::npos;
  const char* what = spaces ? "space" : tabs ? "tab" : "blank";
  if (run.size() == 1) return fmt::format("a {}", what);
  return fmt::format("{} {}s", run.size(), what);
}

}  // namespace

std::string quoted(std::string_view s) {
  // A long text is shown by its start and its length.
  constexpr std::size_t keep = 60;
  std::string out;
  if (s.size() > keep + 20) {
    std::size_t cut = keep;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    out = fmt::format("`{}...` ({} bytes)", printable(s.substr(0, cut)), s.size());
  } else {
    out = fmt::format("`{}`", printable(s));
  }
  std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    if (!s.empty()) out += fmt::format(" ({} only)", blanks(s));
    return out;
  }
  std::size_t last = s.find_last_not_of(" \t");
  std::vector<std::string> notes;
  if (first > 0) notes.push_back("starts with " + blanks(s.substr(0, first)));
  if (last + 1 < s.size()) notes.push_back("ends with " + blanks(s.substr(last + 1)));
  if (!notes.empty()) out += fmt::format(" ({})", fmt::join(notes, " and "));
  return out;
}

namespace {

// A data number: optional sign, digits, optional fraction. No exponent, no `_`.
bool data_number_syntax(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  bool any = false, point = false;
  for (std::size_t k = i; k < s.size(); ++k) {
    if (s[k] >= '0' && s[k] <= '9') {
      any = true;
    } else if (s[k] == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return any;
}

}  // namespace

std::optional<Decimal> parse_data_number(std::string_view s) {
  if (!data_number_syntax(s)) return std::nullopt;
  return Decimal::parse(s);
}

// Why `s` is not a data number.
std::string number_refusal(std::string_view s) {
  if (data_number_syntax(s)) {
    return fmt::format("{} does not fit an exact decimal (up to 18 significant digits, 18 after the point)", quoted(s));
  }
  return fmt::format("{} is not a number", quoted(s));
}

}  // namespace slac::rt::ingest

namespace slac::rt {
namespace {

// ---------------------------------------------------------------------------
// Times

inline bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

constexpr std::int64_t max_time = 253402300800000;  // 10000-01-01T00:00:00Z

constexpr std::int64_t year_1971 = 31'536'000'000;   // 1971-01-01T00:00:00Z

// An epoch number: digits, with a fraction only in seconds. `text` is digits and at
// most one `.` (checked by the caller).
std::optional<std::int64_t> parse_epoch(std::string_view s, TimeUnit unit, bool plausible_only, std::string& why) {
  using ingest::quoted;
  std::size_t point = s.find('.');
  std::string_view whole = s.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? std::string_view() : s.substr(point + 1);
  if (whole.empty() || (point != std::string_view::npos && fraction.empty())) {
    why = fmt::format("{} is not a time: a `.` needs digits on both sides", quoted(s));
    return std::nullopt;
  }
  if (unit == TimeUnit::ms && point != std::string_view::npos) {
    why = fmt::format("time {} is not a whole number of epoch milliseconds; for epoch seconds with a fraction give "
                      "`--time-unit s`", quoted(s));
    return std::nullopt;
  }
  std::int64_t per_unit = unit == TimeUnit::ms ? 1 : 1000;
  std::size_t first = whole.find_first_not_of('0');
  std::string_view significant = first == std::string_view::npos ? std::string_view() : whole.substr(first);
  if (significant.size() > 15) {
    why = fmt::format("time {} is outside the years 1970-9999", quoted(s));
    return std::nullopt;
  }
  std::int64_t number = 0;
  for (char c : significant) number = number * 10 + (c - '0');
  std::int64_t ms = number * per_unit;
  // Milliseconds from the first three decimals, exactly; later digits are dropped, as
  // in RFC 3339 times.
  for (std::size_t i = 0, scale = 100; i < std::min<std::size_t>(fraction.size(), 3); ++i, scale /= 10) {
    ms += (fraction[i] - '0') * static_cast<std::int64_t>(scale);
  }
  const char* unit_name = unit == TimeUnit::ms ? "epoch milliseconds" : "epoch seconds";
  if (ms >= max_time) {
    if (unit == TimeUnit::s && number >= year_1971) {
      why = fmt::format("time {} as epoch seconds is after the year 9999: this looks like epoch milliseconds; leave "
                        "out `--time-unit s`", quoted(s));
    } else {
      why = fmt::format("time {} is outside the years 1970-9999", quoted(s));
    }
    return std::nullopt;
  }
  if (plausible_only && ms < year_1971) {
    if (unit == TimeUnit::ms && number * 1000 >= year_1971 && number * 1000 < max_time) {
      why = fmt::format("time {} as epoch milliseconds is {}, in 1970: this looks like epoch seconds; give "
                        "`--time-unit s`, or write milliseconds or RFC 3339", quoted(s), format_instant(ms));
    } else {
      why = fmt::format("time {} as {} is {}, in 1970, which data does not mean; write a time from 1971 on",
                        quoted(s), unit_name, format_instant(ms));
    }
    return std::nullopt;
  }
  return ms;
}

// RFC 3339, or an epoch number in `how.unit`. `data`: a time of the data (epoch
// numbers before 1971 refused, messages naming the options that read other forms).
std::optional<std::int64_t> parse_any_time(std::string_view s, const TimeReading& how, bool data, std::string& why) {
  using ingest::quoted;
  if (std::int64_t t; ingest::read_utc_time(s, t)) return t;
  if (s.empty()) {
    why = "the time is empty";
    return std::nullopt;
  }
  bool rfc_shape = s.size() >= 16 && s[4] == '-';
  if (!rfc_shape) {
    bool negative = s[0] == '-';
    std::string_view body = s.substr(negative ? 1 : 0);
    bool number = !body.empty() && std::all_of(body.begin(), body.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) &&
                  std::count(body.begin(), body.end(), '.') <= 1;
    if (number) {
      if (negative) {
        why = fmt::format("time {} is outside the years 1970-9999", quoted(s));
        return std::nullopt;
      }
      return parse_epoch(body, data ? how.unit : TimeUnit::ms, data, why);
    }
  }
  int y, mo, d, h, mi, sec = 0;
  bool shape = s.size() >= 16 && digits(s, 0, 4, y) && s[4] == '-' && digits(s, 5, 2, mo) && s[7] == '-' &&
               digits(s, 8, 2, d) && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && digits(s, 11, 2, h) &&
               s[13] == ':' && digits(s, 14, 2, mi);
  std::size_t i = 16;
  if (shape && i < s.size() && s[i] == ':') {
    shape = digits(s, 17, 2, sec);
    i = 19;
  }
  if (!shape) {
    why = fmt::format("{} is not an RFC 3339 time (such as 2026-03-02T08:00:00Z) or epoch {}", quoted(s),
                      data && how.unit == TimeUnit::s ? "seconds" : "milliseconds");
    return std::nullopt;
  }
  int ms = 0;
  if (i == 16 && i < s.size() && s[i] == '.') {
    why = fmt::format("{} has a fraction of a minute; write the seconds (such as 2026-03-02T08:00:30.5Z)", quoted(s));
    return std::nullopt;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    int n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (n < 3) ms = ms * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0) {
      why = fmt::format("{} has a `.` without digits", quoted(s));
      return std::nullopt;
    }
    for (; n < 3; ++n) ms *= 10;
  }
  int offset_minutes = 0;
  bool local = false;
  if (i >= s.size()) {
    if (!data || !how.zone) {
      why = fmt::format("time {} has no offset; add `Z` for UTC or one such as `+01:00`{}", quoted(s),
                        data ? ", or give `--data-timezone ZONE` to read such times as local times of ZONE" : "");
      return std::nullopt;
    }
    local = true;
  } else if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (!(i + 6 == s.size() && digits(s, i + 1, 2, oh) && s[i + 3] == ':' && digits(s, i + 4, 2, om)) || oh > 23 ||
        om > 59) {
      why = fmt::format("{} has a malformed offset (expected such as `+01:00`)", quoted(s));
      return std::nullopt;
    }
    offset_minutes = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else {
    why = fmt::format("{} has a malformed offset (expected `Z` or such as `+01:00`)", quoted(s));
    return std::nullopt;
  }
  if (i != s.size()) {
    why = fmt::format("{} has text after the time", quoted(s));
    return std::nullopt;
  }
  if (auto problem = date_problem(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) {
    why = fmt::format("{} is not a date and time: {}", quoted(s), *problem);
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || sec > 59) {
    why = fmt::format("{} is not a date and time: {:02}:{:02}:{:02} is not a time of day", quoted(s), h, mi, sec);
    return std::nullopt;
  }
  std::int64_t t = (days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + sec) * 1000 + ms;
  if (local) {
    if (y < 1970 || t >= max_time) {  // outside the years, before the zone is asked
      why = fmt::format("time {} is outside the years 1970-9999", quoted(s));
      return std::nullopt;
    }
    t = local_to_utc(*how.zone, t);
  } else {
    t -= static_cast<std::int64_t>(offset_minutes) * 60'000;
  }
  if (t < 0 || t >= max_time) {
    why = fmt::format("time {} is outside the years 1970-9999", quoted(s));
    return std::nullopt;
  }
  return t;
}

}  // namespace

std::optional<std::int64_t> parse_time(std::string_view s, std::string& why) { return parse_any_time(s, TimeReading{}, false, why); }

std::optional<std::int64_t> parse_data_time(std::string_view s, const TimeReading& how, std::string& why) {
  return parse_any_time(s, how, true, why);
}

using ingest::iequals;
using ingest::number_refusal;
using ingest::parse_data_number;

std::optional<Scalar> parse_data_value(std::string_view text, ValueType type, const std::vector<std::string>& members,
                                       std::string& why) {
  Scalar s;
  s.type = type;
  switch (type) {
    case ValueType::boolean:
      if (iequals(text, "true") || text == "1") {
        s.flag = true;
        return s;
      }
      if (iequals(text, "false") || text == "0") {
        s.flag = false;
        return s;
      }
      why = fmt::format("{} is not a bool (true, false, 1 or 0)", ingest::quoted(text));
      return std::nullopt;
    case ValueType::number:
      if (auto d = parse_data_number(text)) {
        s.number = *d;
        return s;
      }
      why = number_refusal(text);
      return std::nullopt;
    case ValueType::enumeration:
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i] == text) {
          s.member = static_cast<std::uint32_t>(i);
          return s;
        }
      }
      why = fmt::format("{} is not one of {}", ingest::quoted(text), fmt::join(members, ", "));
      return std::nullopt;
    case ValueType::timezone:
      if (!find_zone(text)) {
        why = fmt::format("{} is not an IANA time zone", ingest::quoted(text));
        return std::nullopt;
      }
      s.text = std::string(text);
      return s;
    case ValueType::string:
      s.text = std::string(text);
      return s;
    case ValueType::event:
      return s;
  }
  return std::nullopt;
}

}  // namespace slac::rt
