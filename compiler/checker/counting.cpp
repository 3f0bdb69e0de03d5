// The checker on `counted in D intervals, failed if ...` (SPEC 4.4): a length that
// cuts every day (every hour, under rolling hours) into equal pieces, a share in range.
#include "compiler/checker/checker.hpp"

#include <fmt/ranges.h>

namespace slac::checking {
namespace {

// The nearest lengths under and over `ms` that divide `period`, in the unit of `ms`
// (whole minutes, else whole seconds, else milliseconds), as "`6h` or `8h`".
std::string nearest_divisors(std::int64_t ms, std::int64_t period) {
  std::int64_t unit = ms >= 60'000 ? 60'000 : ms >= 1'000 ? 1'000 : 1;
  std::vector<std::string> found;
  for (std::int64_t k = ms / unit; k >= 1; --k) {
    if (period % (k * unit) == 0) {
      found.push_back(fmt::format("`{}`", format_duration(k * unit)));
      break;
    }
  }
  for (std::int64_t k = ms / unit + 1; k * unit <= period; ++k) {
    if (period % (k * unit) == 0) {
      found.push_back(fmt::format("`{}`", format_duration(k * unit)));
      break;
    }
  }
  return fmt::format("{}", fmt::join(found, " or "));
}

}  // namespace

void Checker::check_counted(const ast::CountedClause& c, Range range, SlaInfo& sla) {
  CountedSpec spec;
  spec.range = range;
  spec.failed_if = c.failed_if;
  auto length = duration(c.length, "an interval of `counted in`");
  bool valid = length.has_value();
  if (length && length->param) {
    // A param could be set to a length that cuts days unevenly, which only the
    // checker may refuse.
    error(Code::interval_length, c.length.range,
          fmt::format("`counted in` takes a written duration, not param `{}`, so that it can be checked to divide a day",
                      text(c.length.range)));
    valid = false;
  } else if (length) {
    bool hourly = sla.window.rolling && sla.window.rolling_unit == ast::RollingUnit::hours;
    std::int64_t period = hourly ? 3'600'000 : ms_per_day;
    std::int64_t ms = length->literal.ms;
    if (ms > period || period % ms != 0) {
      error(Code::interval_length, c.length.range,
            hourly ? fmt::format("under `in any rolling ... hours` the intervals must divide an hour, and `{}` does not; "
                                 "use {}",
                                 text(c.length.range), nearest_divisors(std::min(ms, period), period))
                   : fmt::format("the intervals must divide a day (24 hours) into equal pieces, and `{}` does not; use {}",
                                 text(c.length.range), nearest_divisors(std::min(ms, period), period)));
      valid = false;
    }
  }
  if (c.over) {
    auto over = percent(*c.over, "`failed if over`");
    if (over && over->literal.number == Decimal::integer(100)) {
      error(Code::percent_range, c.over->range,
            over->param ? fmt::format("param `{}` is 100%, and no interval fails for over 100% of its time; use a share "
                                      "under 100%, or `failed if all`",
                                      model_.params[*over->param].name)
                        : std::string("no interval fails for over 100% of its time; use a share under 100%, or `failed if all`"));
      over.reset();
    }
    if (!over) valid = false;
    spec.over = over;
  }
  if (valid) {
    spec.length = *length;
    sla.counted = spec;
  }
}

}  // namespace slac::checking
