// The checker on the windows of SPEC 4.4's "More windows": where a calendar window
// starts (`starting [DAY] HH:MM`), periods from a date, declared lists of periods.
#include "compiler/checker/checker.hpp"

namespace slac::checking {

void Checker::check_window_start(const ast::WindowClause& w, WindowSpec& window) {
  const ast::ClockTime& at = *w.start_clock;
  if (w.start_day && w.unit != ast::CalendarUnit::week) {
    error(Code::window_start, w.start_range,
          fmt::format("only a calendar week starts on a day; a calendar {} starts on its first day, so write "
                      "`starting {:02}:{:02}`",
                      ast::unit_word(w.unit), at.hour, at.minute));
    return;
  }
  if (at.hour == 24) {
    error(Code::window_start, at.range,
          "a window starts at a time of day from 00:00 to 23:59; `24:00` is the next day's `00:00`");
    return;
  }
  window.start_minute = static_cast<std::int64_t>(at.hour) * 60 + at.minute;
  if (w.start_day) window.start_weekday = static_cast<unsigned>(*w.start_day);
}

namespace {

std::optional<std::int64_t> day_of(const ast::Value& v) {
  const auto* date = std::get_if<ast::DateLit>(&v.v);
  if (date == nullptr || v.invalid) return std::nullopt;
  return days_from_civil(date->year, date->month, date->day);
}

}  // namespace

void Checker::check_periods(const ast::PeriodsDecl& d) {
  PeriodsInfo info{std::string(d.name.text), {}, d.name.range};
  bool complete = true;
  for (std::size_t k = 0; k < d.dates.size(); ++k) {
    auto day = day_of(d.dates[k]);
    if (!day) {
      complete = false;
      continue;
    }
    if (!info.days.empty() && *day <= info.days.back()) {
      error(Code::periods_list, d.dates[k].range,
                      fmt::format("the dates of periods `{}` must increase: each closes the period before it, and "
                                  "`{}` is not after the date before it",
                                  d.name.text, text(d.dates[k].range)));
      complete = false;
      continue;
    }
    info.days.push_back(*day);
  }
  if (complete && info.days.size() < 2) {
    error(Code::periods_list, d.range,
          fmt::format("periods `{}` needs at least two dates: a period runs from one date to the next, and the last "
                      "date only closes the last period",
                      d.name.text));
  }
  model_.periods.push_back(std::move(info));
}

void Checker::check_period_window(const ast::WindowClause& w, WindowSpec& window) {
  if (w.periods) {
    if (auto idx = resolve(*w.periods, SymbolKind::periods)) {
      window.periods = idx;
      window.period_days = model_.periods[*idx].days;
    }
    return;
  }
  window.period = true;
  if (auto day = day_of(*w.anchor)) window.anchor_day = *day;
}

}  // namespace slac::checking
