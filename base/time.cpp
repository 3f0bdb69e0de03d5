// Time zone lookups, local/UTC conversion with the SPEC's gap and overlap rules, and
// durations as text (SPEC 2).
#include "base/time.hpp"

#include <limits>

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

std::optional<std::string> suggest_zone(std::string_view name) {
  try {
    const auto& db = date::get_tzdb();
    std::vector<std::string_view> names;
    for (const auto& z : db.zones) names.push_back(z.name());
    // Case-insensitive exact match first ("europe/london").
    for (std::string_view n : names) {
      if (n.size() == name.size() &&
          std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        return std::string(n);
      }
    }
    return closest_name(name, names);
  } catch (const std::exception&) {
    return std::nullopt;
  }
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

std::string format_instant(Millis utc) {
  std::int64_t days = floor_div(utc, ms_per_day);
  Millis in_day = utc - days * ms_per_day;
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  auto h = in_day / 3'600'000;
  auto mi = (in_day / 60'000) % 60;
  auto s = (in_day / 1000) % 60;
  auto ms = in_day % 1000;
  if (ms != 0) return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, h, mi, s, ms);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, h, mi, s);
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
