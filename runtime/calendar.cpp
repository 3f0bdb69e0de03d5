// Calendar spans and windows: local times resolved per SPEC section 2 (a time in a
// spring-forward gap is the instant the gap ends; one in a fall-back overlap is its
// earlier occurrence).
#include "runtime/calendar.hpp"

#include "base/time.hpp"

namespace slac::rt {

Time local_midnight(const Zone& zone, std::int64_t day) { return local_to_utc(zone, day * ms_per_day); }

std::int64_t local_day(const Zone& zone, Time t) { return floor_div(utc_to_local(zone, t), ms_per_day); }

IntervalSet calendar_intervals(const Model& model, const CalendarInfo& calendar, const Zone& zone, Time start, Time end) {
  IntervalSet out;
  if (start >= end) return out;
  // Spans start on local days from the day before `start` (a night span reaches into
  // it) to the day of `end`.
  std::int64_t first = local_day(zone, start) - 1;
  std::int64_t last = local_day(zone, end) + 1;
  for (std::int64_t day = first; day <= last; ++day) {
    unsigned wd = weekday_from_days(day);
    for (const auto& span : calendar.spans) {
      if ((span.weekdays & (1u << wd)) == 0) continue;
      Time ls = day * ms_per_day + static_cast<Time>(span.start_minute) * 60'000;
      std::int64_t end_day = span.end_minute > span.start_minute ? day : day + 1;
      Time le = end_day * ms_per_day + static_cast<Time>(span.end_minute) * 60'000;
      Time s = std::max(local_to_utc(zone, ls), start);
      Time e = std::min(local_to_utc(zone, le), end);
      if (s < e) out += Interval(s, e);
    }
  }
  for (std::size_t h : calendar.holidays) {
    for (std::int64_t day : model.holidays[h].days) {
      if (day < first || day > last) continue;
      Time s = local_midnight(zone, day);
      Time e = local_midnight(zone, day + 1);
      if (s < e) out -= Interval(s, e);
    }
  }
  return out;
}

namespace {

// The first day of the calendar unit holding local day `day` (weeks starting on
// `week_start`, 0 = Monday).
std::int64_t unit_start(ast::CalendarUnit unit, std::int64_t day, unsigned week_start = 0) {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  switch (unit) {
    case ast::CalendarUnit::day: return day;
    case ast::CalendarUnit::week: return day - (weekday_from_days(day) + 7 - week_start) % 7;
    case ast::CalendarUnit::month: return days_from_civil(y, m, 1);
    case ast::CalendarUnit::quarter: return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
    case ast::CalendarUnit::year: return days_from_civil(y, 1, 1);
  }
  return day;
}

std::int64_t next_unit(ast::CalendarUnit unit, std::int64_t start) {
  int y;
  unsigned m, d;
  civil_from_days(start, y, m, d);
  switch (unit) {
    case ast::CalendarUnit::day: return start + 1;
    case ast::CalendarUnit::week: return start + 7;
    case ast::CalendarUnit::month: return m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
    case ast::CalendarUnit::quarter: return m >= 10 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 3, 1);
    case ast::CalendarUnit::year: return days_from_civil(y + 1, 1, 1);
  }
  return start + 1;
}

// The first day of the month `months` calendar months before the month starting `day`.
std::int64_t months_before(std::int64_t day, std::int64_t months) {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  std::int64_t index = static_cast<std::int64_t>(y) * 12 + (m - 1) - months;
  std::int64_t year = floor_div(index, 12);
  return days_from_civil(static_cast<int>(year), static_cast<unsigned>(index - year * 12) + 1, 1);
}

}  // namespace

WindowName window_name(const WindowSpec& spec, const Zone& zone, Time start) {
  Time local = utc_to_local(zone, start);
  if (!(spec.rolling && spec.rolling_unit == ast::RollingUnit::hours)) {
    // Every other window starts at a day's midnight or `starting` time, which a
    // spring-forward gap moves to the gap's end: find that day.
    Time offset = spec.calendar() ? spec.start_minute * 60'000 : 0;
    std::int64_t day = floor_div(local - offset, ms_per_day);
    for (std::int64_t d : {day, day - 1, day + 1}) {
      if (local_to_utc(zone, d * ms_per_day + offset) == start) return WindowName{d * ms_per_day + offset, false};
    }
  }
  return WindowName{local, local_to_utc(zone, local) != start};
}

std::vector<std::pair<Time, Time>> windows(const WindowSpec& spec, std::int64_t rolling_count, const Zone& zone,
                                           Time from, Time to) {
  std::vector<std::pair<Time, Time>> out;
  if (from >= to) return out;
  std::int64_t first_day = local_day(zone, from) - 1;
  std::int64_t last_day = local_day(zone, to) + 1;
  auto add = [&](std::int64_t first, std::int64_t next) {
    Time s = local_midnight(zone, first);
    Time e = local_midnight(zone, next);
    if (s >= from && e <= to && s < e) out.emplace_back(s, e);
  };
  if (spec.periods) {
    // A declared list: from each date to the next; outside the list, no window.
    for (std::size_t k = 0; k + 1 < spec.period_days.size(); ++k) add(spec.period_days[k], spec.period_days[k + 1]);
    return out;
  }
  if (spec.period) {
    // Regular periods from the anchor's local midnight, before and after it.
    std::int64_t length = rolling_count * (spec.rolling_unit == ast::RollingUnit::weeks ? 7 : 1);
    if (length <= 0) return out;
    for (std::int64_t day = spec.anchor_day + floor_div(first_day - spec.anchor_day, length) * length; day <= last_day;
         day += length) {
      add(day, day + length);
    }
    return out;
  }
  if (!spec.rolling) {
    // Boundaries at local midnight, or at the `starting` time of day (SPEC 2's rules for
    // a time in a gap or a fold).
    Time offset = spec.start_minute * 60'000;
    for (std::int64_t day = unit_start(spec.unit, first_day, spec.start_weekday); day <= last_day;
         day = next_unit(spec.unit, day)) {
      Time s = local_to_utc(zone, day * ms_per_day + offset);
      Time e = local_to_utc(zone, next_unit(spec.unit, day) * ms_per_day + offset);
      if (s >= from && e <= to && s < e) out.emplace_back(s, e);
    }
    return out;
  }
  if (spec.rolling_unit == ast::RollingUnit::hours) {
    Time length = rolling_count * 3'600'000;
    // Windows end at each whole local hour; a repeated hour gives two ends.
    Time first_local = floor_div(utc_to_local(zone, from + length), 3'600'000) * 3'600'000 - 3'600'000;
    Time last_local = floor_div(utc_to_local(zone, to), 3'600'000) * 3'600'000 + 3'600'000;
    for (Time local = first_local; local <= last_local; local += 3'600'000) {
      for (Time e : local_to_utc_all(zone, local)) {
        Time s = e - length;
        if (s >= from && e <= to) out.emplace_back(s, e);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  if (spec.rolling_unit == ast::RollingUnit::months) {
    // Trailing calendar months: a window ends at each local first of a month.
    const auto month = ast::CalendarUnit::month;
    for (std::int64_t day = unit_start(month, first_day); day <= last_day; day = next_unit(month, day)) {
      add(months_before(day, rolling_count), day);
    }
    return out;
  }
  std::int64_t days = rolling_count * (spec.rolling_unit == ast::RollingUnit::weeks ? 7 : 1);
  for (std::int64_t day = first_day; day <= last_day; ++day) add(day - days, day);
  return out;
}

}  // namespace slac::rt
