// Instants and durations (SPEC 2): IANA time zones (the system's tz database through
// Howard Hinnant's date/tz), the rules for local times that do not exist or occur
// twice, and durations as contracts and people write them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace slac {

using Millis = std::int64_t;  // milliseconds since 1970-01-01T00:00:00Z, or a local time counted alike

struct Zone {
  const date::time_zone* tz = nullptr;  // null means UTC
  std::string name = "UTC";
};

// nullopt when the name is not in the database.
std::optional<Zone> find_zone(std::string_view name);
Zone utc_zone();
// Names close to `name`, for "did you mean".
std::optional<std::string> suggest_zone(std::string_view name);
// The names of the system's IANA zones (tzdata), in its order; empty when it cannot be read.
std::vector<std::string_view> zone_names();
// What to say after "unknown time zone "NAME"": `; did you mean "Europe/London"?`, or,
// for an abbreviation (`BST`) or a fixed offset (`GMT+1`), why it is not a zone and
// which zone or `Etc/GMT` name to write (the POSIX names invert the sign). May be empty.
std::string unknown_zone_hint(std::string_view name);

// A local wall-clock time to UTC: inside a spring-forward gap, the instant the gap
// ends; in a fall-back overlap, the earlier occurrence (SPEC section 2).
Millis local_to_utc(const Zone& zone, Millis local);
Millis utc_to_local(const Zone& zone, Millis utc);
// Every UTC instant whose local time is `local`: none in a gap, two in an overlap.
std::vector<Millis> local_to_utc_all(const Zone& zone, Millis local);

// Days since 1970-01-01 of a civil date, and back.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);
void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day);
// What is wrong with a civil date, for a message after "`2026-02-30` is not a date: "
// ("February 2026 has 28 days", "there is no month 13"); nullopt for a real date.
// Years before 1970 are the caller's to refuse.
std::optional<std::string> date_problem(int year, unsigned month, unsigned day);
// 0 = Monday ... 6 = Sunday.
unsigned weekday_from_days(std::int64_t days);

inline constexpr Millis ms_per_day = 86'400'000;

// Floor division for negative times.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// RFC 3339 in UTC with `Z`, milliseconds only when not whole seconds.
std::string format_instant(Millis utc);
// RFC 3339 in the zone's local time with its offset then (`2026-03-01T00:00:00-05:00`),
// milliseconds only when not whole seconds; an offset of seconds (before 1972) is cut
// to whole minutes, the wall time with it.
std::string format_local_instant(const Zone& zone, Millis utc);

// `1d4h30m`: for people reading results; the units d, h, m, s, ms.
std::string format_duration(std::int64_t ms);
// How contracts write durations canonically: whole days as `3d`, anything else in
// hours, minutes, seconds and milliseconds (`28h`, `1h30m`, `4h50m`, `1s500ms`).
std::string canonical_duration(std::int64_t ms);
// `4h`, `1h30m`, `500ms`; nullopt when malformed or too long.
std::optional<std::int64_t> parse_duration(std::string_view text);
// For text that reads as a duration but is not written as one (`5min`, `5 mins`,
// `0.5h`, a bare `5`): the units there are and, where it can tell, what to write
// (`5m`, `30m`). Nullopt when the text does not look like a duration at all.
std::optional<std::string> duration_hint(std::string_view text);

}  // namespace slac
