// Time zone lookups, local/UTC conversion with the SPEC's gap and overlap rules, and
// durations as text (SPEC 2).
#include "base/time.hpp"

#include <cctype>
#include <limits>
#include <utility>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "base/decimal.hpp"
#include "base/diagnostics.hpp"

namespace slac {

std::optional<Zone> find_zone(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC") return utc_zone();
  try {
    const date::time_zone* tz = date::locate_zone(std::string(name));
    return Zone{tz, std::string(name)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Zone utc_zone() { return Zone{nullptr, "UTC"}; }

std::vector<std::string_view> zone_names() {
  std::vector<std::string_view> names;
  try {
    for (const auto& z : date::get_tzdb().zones) names.push_back(z.name());
  } catch (const std::exception&) {
    names.clear();
  }
  return names;
}

std::optional<std::string> suggest_zone(std::string_view name) {
  try {
    std::vector<std::string_view> names = zone_names();
    // Case-insensitive exact match first ("europe/london").
    for (std::string_view n : names) {
      if (n.size() == name.size() &&
          std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        return std::string(n);
      }
    }
    // A city alone ("London").
    for (std::string_view n : names) {
      if (n.size() > name.size() && n[n.size() - name.size() - 1] == '/' &&
          std::equal(name.begin(), name.end(), n.end() - static_cast<std::ptrdiff_t>(name.size()),
                     [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        return std::string(n);
      }
    }
    return closest_name(name, names);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

namespace {

// A zone whose standard time is UTC+hours, for examples.
std::string_view zone_with_offset(int hours) {
  switch (hours) {
    case -10: return "Pacific/Honolulu";
    case -9: return "America/Anchorage";
    case -8: return "America/Los_Angeles";
    case -7: return "America/Denver";
    case -6: return "America/Chicago";
    case -5: return "America/New_York";
    case -3: return "America/Sao_Paulo";
    case 0: return "Europe/London";
    case 1: return "Europe/Paris";
    case 2: return "Europe/Athens";
    case 3: return "Europe/Moscow";
    case 4: return "Asia/Dubai";
    case 8: return "Asia/Singapore";
    case 9: return "Asia/Tokyo";
    case 10: return "Australia/Sydney";
    case 12: return "Pacific/Auckland";
    default: return "";
  }
}

}  // namespace

std::string unknown_zone_hint(std::string_view name) {
  // Abbreviations people write for zones; the tz database has only a few of them
  // (UTC, GMT, EST, MST, HST, CET, EET, WET), and those are fixed or regional rules.
  static constexpr std::pair<std::string_view, std::string_view> abbreviations[] = {
      {"BST", "Europe/London"},         {"IST", "Europe/Dublin\" or \"Asia/Kolkata"},
      {"CEST", "Europe/Paris"},         {"EEST", "Europe/Athens"},
      {"WEST", "Europe/Lisbon"},        {"EDT", "America/New_York"},
      {"CST", "America/Chicago\" or \"Asia/Shanghai"},
      {"CDT", "America/Chicago"},       {"MDT", "America/Denver"},
      {"PST", "America/Los_Angeles"},   {"PDT", "America/Los_Angeles"},
      {"AKST", "America/Anchorage"},    {"AKDT", "America/Anchorage"},
      {"AEST", "Australia/Sydney"},     {"AEDT", "Australia/Sydney"},
      {"ACST", "Australia/Adelaide"},   {"ACDT", "Australia/Adelaide"},
      {"AWST", "Australia/Perth"},      {"NZST", "Pacific/Auckland"},
      {"NZDT", "Pacific/Auckland"},     {"JST", "Asia/Tokyo"},
      {"KST", "Asia/Seoul"},            {"SGT", "Asia/Singapore"},
      {"HKT", "Asia/Hong_Kong"},        {"MSK", "Europe/Moscow"},
      {"SAST", "Africa/Johannesburg"},  {"GST", "Asia/Dubai"},
  };
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& [abbr, zone] : abbreviations) {
    if (upper == abbr) {
      return fmt::format("; `{}` is an abbreviation, not a time zone, and names only part of the year; write the "
                         "zone, \"{}\", whose clocks change with the seasons as the sites' do",
                         name, zone);
    }
  }
  // A fixed offset: `GMT+1`, `UTC-05:00`, `+01:00`.
  std::string_view rest = upper;
  for (std::string_view prefix : {"ETC/GMT", "ETC/UTC", "GMT", "UTC", "UT"}) {
    if (rest.starts_with(prefix)) {
      rest.remove_prefix(prefix.size());
      break;
    }
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.size() >= 2 && (rest.front() == '+' || rest.front() == '-')) {
    int sign = rest.front() == '-' ? -1 : 1;
    std::string_view digits = rest.substr(1);
    int hours = 0;
    int minutes = 0;
    std::size_t i = 0;
    while (i < digits.size() && i < 2 && std::isdigit(static_cast<unsigned char>(digits[i]))) hours = hours * 10 + (digits[i++] - '0');
    if (i < digits.size() && digits[i] == ':') ++i;
    std::size_t minute_digits = 0;
    while (i < digits.size() && std::isdigit(static_cast<unsigned char>(digits[i])) && minute_digits < 2) {
      minutes = minutes * 10 + (digits[i++] - '0');
      ++minute_digits;
    }
    if (i > 0 && i == digits.size() && hours <= 14 && minutes < 60) {
      int offset = sign * hours;
      std::string_view example = minutes == 0 ? zone_with_offset(offset) : "";
      std::string place = example.empty() ? "write the place's zone (such as \"Europe/London\")"
                                          : fmt::format("write the place's zone, such as \"{}\"", example);
      std::string fixed = minutes != 0 ? "the tz database has no fixed zone for it"
                          : offset == 0 ? "for UTC all year, write \"UTC\""
                                        : fmt::format("for UTC{}{} all year, write \"Etc/GMT{}{}\" (POSIX names invert "
                                                      "the sign: \"Etc/GMT{}{}\" is UTC{}{})",
                                                      offset > 0 ? "+" : "-", hours, offset > 0 ? "-" : "+", hours,
                                                      offset > 0 ? "-" : "+", hours, offset > 0 ? "+" : "-", hours);
      return fmt::format("; `{}` is a fixed offset, not a time zone: for local time, which moves with summer time, {}; {}",
                         name, place, fixed);
    }
  }
  if (auto near = suggest_zone(name)) return fmt::format("; did you mean \"{}\"?", *near);
  return "";
}

Millis local_to_utc(const Zone& zone, Millis local) {
  if (zone.tz == nullptr) return local;
  using namespace std::chrono;
  date::local_time<milliseconds> lt{milliseconds{local}};
  auto info = zone.tz->get_info(date::local_seconds{duration_cast<seconds>(lt.time_since_epoch())} );
  switch (info.result) {
    case date::local_info::unique:
      return local - duration_cast<milliseconds>(info.first.offset).count();
    case date::local_info::nonexistent:
      // The gap ends at the transition: the start of the second period.
      return duration_cast<milliseconds>(info.second.begin.time_since_epoch()).count();
    case date::local_info::ambiguous:
    default:
      return local - duration_cast<milliseconds>(info.first.offset).count();
  }
}

Millis utc_to_local(const Zone& zone, Millis utc) {
  if (zone.tz == nullptr) return utc;
  using namespace std::chrono;
  date::sys_time<milliseconds> st{milliseconds{utc}};
  auto info = zone.tz->get_info(st);
  return utc + duration_cast<milliseconds>(info.offset).count();
}

std::vector<Millis> local_to_utc_all(const Zone& zone, Millis local) {
  if (zone.tz == nullptr) return {local};
  using namespace std::chrono;
  auto info = zone.tz->get_info(date::local_seconds{duration_cast<seconds>(milliseconds{local})});
  switch (info.result) {
    case date::local_info::unique:
      return {local - duration_cast<milliseconds>(info.first.offset).count()};
    case date::local_info::ambiguous:
      return {local - duration_cast<milliseconds>(info.first.offset).count(),
              local - duration_cast<milliseconds>(info.second.offset).count()};
    default:
      return {};
  }
}

std::optional<std::string> date_problem(int year, unsigned month, unsigned day) {
  static constexpr const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                           "July",    "August",   "September", "October", "November", "December"};
  if (month < 1 || month > 12) return fmt::format("there is no month {}", month);
  date::year_month_day_last last{date::year{year}, date::month_day_last{date::month{month}}};
  unsigned days = static_cast<unsigned>(last.day());
  if (day < 1 || day > days) {
    return fmt::format("there is no {} {} {} ({} {} has {} days)", day, months[month - 1], year, months[month - 1], year,
                       days);
  }
  return std::nullopt;
}

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  return date::sys_days{date::year{year} / date::month{month} / date::day{day}}.time_since_epoch().count();
}

void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day) {
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  year = static_cast<int>(ymd.year());
  month = static_cast<unsigned>(ymd.month());
  day = static_cast<unsigned>(ymd.day());
}

unsigned weekday_from_days(std::int64_t days) {
  // 1970-01-01 was a Thursday (3 counting from Monday = 0).
  return static_cast<unsigned>(((days % 7) + 7 + 3) % 7);
}

namespace {

// `YYYY-MM-DDTHH:MM:SS[.mmm]` of a wall-clock time, then `suffix`.
std::string format_wall_clock(Millis wall, std::string_view suffix) {
  std::int64_t days = floor_div(wall, ms_per_day);
  Millis in_day = wall - days * ms_per_day;
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  auto h = in_day / 3'600'000;
  auto mi = (in_day / 60'000) % 60;
  auto s = (in_day / 1000) % 60;
  auto ms = in_day % 1000;
  if (ms != 0) return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}", y, m, d, h, mi, s, ms, suffix);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}", y, m, d, h, mi, s, suffix);
}

}  // namespace

std::string format_local_instant(const Zone& zone, Millis utc) {
  // RFC 3339 offsets are whole minutes: an offset of seconds (local mean time before
  // 1972, as Liberia's -00:44:30) is cut to its minutes, and the wall time shown with
  // it, so that the text still names the instant exactly.
  std::int64_t offset_minutes = (utc_to_local(zone, utc) - utc) / 60'000;
  std::int64_t a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return format_wall_clock(utc + offset_minutes * 60'000,
                           fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', a / 60, a % 60));
}

std::string format_instant(Millis utc) {
  return format_wall_clock(utc, "Z");
}

std::string format_duration(std::int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  static constexpr std::pair<std::int64_t, const char*> units[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& [size, name] : units) {
    if (ms >= size) {
      out += fmt::format("{}{}", ms / size, name);
      ms %= size;
    }
  }
  return out;
}

std::string canonical_duration(std::int64_t ms) {
  if (ms == 0) return "0s";
  if (ms % 86'400'000 == 0) return fmt::format("{}d", ms / 86'400'000);
  std::string out;
  static constexpr std::pair<std::int64_t, const char*> units[] = {{3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& [size, name] : units) {
    if (ms >= size) {
      out += fmt::format("{}{}", ms / size, name);
      ms %= size;
    }
  }
  return out;
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  i128 total = 0;
  i128 number = 0;
  bool have_digits = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_' && have_digits) continue;
    if (c >= '0' && c <= '9') {
      number = number * 10 + (c - '0');
      have_digits = true;
      if (number > (static_cast<i128>(1) << 63)) return std::nullopt;
      continue;
    }
    if (!have_digits) return std::nullopt;
    std::int64_t unit;
    if (c == 'm' && i + 1 < text.size() && text[i + 1] == 's') {
      unit = 1;
      ++i;
    } else if (c == 's') unit = 1000;
    else if (c == 'm') unit = 60'000;
    else if (c == 'h') unit = 3'600'000;
    else if (c == 'd') unit = 86'400'000;
    else if (c == 'w') unit = 604'800'000;
    else return std::nullopt;
    total += number * unit;
    if (total > std::numeric_limits<std::int64_t>::max()) return std::nullopt;
    number = 0;
    have_digits = false;
  }
  if (have_digits) return std::nullopt;  // a number without a unit
  return static_cast<std::int64_t>(total);
}

}  // namespace slac

namespace slac {

std::optional<std::string> duration_hint(std::string_view text) {
  static constexpr std::string_view units_said =
      "durations are whole numbers with a unit: ms, s, m, h, d or w (`10m`, `1h30m`)";
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == '.')) ++i;
  if (i == 0 || !std::isdigit(static_cast<unsigned char>(text.front()))) return std::nullopt;
  auto number = Decimal::parse(text.substr(0, i));
  std::size_t unit_begin = i;
  while (unit_begin < text.size() && text[unit_begin] == ' ') ++unit_begin;
  std::string unit(text.substr(unit_begin));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.empty()) {
    if (text.find('.') != std::string_view::npos) return std::nullopt;  // a plain decimal, not a duration
    return fmt::format("{}; give `{}` a unit, as in `{}m`", units_said, text, text);
  }
  static constexpr std::pair<std::string_view, std::int64_t> unit_words[] = {
      {"ms", 1}, {"msec", 1}, {"millisecond", 1}, {"milliseconds", 1},
      {"s", 1000}, {"sec", 1000}, {"secs", 1000}, {"second", 1000}, {"seconds", 1000},
      {"m", 60'000}, {"min", 60'000}, {"mins", 60'000}, {"minute", 60'000}, {"minutes", 60'000},
      {"h", 3'600'000}, {"hr", 3'600'000}, {"hrs", 3'600'000}, {"hour", 3'600'000}, {"hours", 3'600'000},
      {"d", 86'400'000}, {"day", 86'400'000}, {"days", 86'400'000},
      {"w", 604'800'000}, {"wk", 604'800'000}, {"wks", 604'800'000}, {"week", 604'800'000}, {"weeks", 604'800'000},
  };
  std::optional<std::int64_t> unit_ms;
  for (const auto& [word, ms] : unit_words) {
    if (unit == word) unit_ms = ms;
  }
  if (!unit_ms) {
    if (unit.starts_with("mo") || unit.starts_with("y")) {
      return fmt::format("{}; months and years vary in length, so durations stop at weeks", units_said);
    }
    return std::string(units_said);
  }
  std::optional<Decimal> total = number ? multiply(*number, *unit_ms) : std::nullopt;
  if (!total || !total->is_integer() || total->is_negative() || total->units == 0) return std::string(units_said);
  std::string written = canonical_duration(floor_integer(*total));
  if (number->is_integer()) return fmt::format("{}; write `{}`", units_said, written);
  return fmt::format("{}, so a fraction is written in a smaller unit: `{}`", units_said, written);
}

}  // namespace slac
