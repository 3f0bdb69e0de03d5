// The checker on the target forms of SPEC 4.4: strict and rounded targets, targets
// against a fixed duration, and downtime objectives.
#include "compiler/checker/checker.hpp"

namespace slac::checking {

namespace {

// a and b at a common scale, as integers.
std::pair<i128, i128> common_units(const Decimal& a, const Decimal& b, std::uint8_t& scale) {
  scale = std::max(a.scale, b.scale);
  return {static_cast<i128>(a.units) * pow10_128(scale - a.scale), static_cast<i128>(b.units) * pow10_128(scale - b.scale)};
}

std::string percent_text(i128 units, std::uint8_t scale) {
  return Decimal{static_cast<std::int64_t>(units), scale}.normalized().to_string() + "%";
}

}  // namespace

void Checker::check_target_form(const ast::ForObjective& f, SlaInfo& sla) {
  sla.target_more_than = f.more_than;
  if (f.more_than && sla.target && !(sla.target->literal.number < Decimal::integer(100))) {
    error(Code::percent_range, f.percent.range,
          sla.target->param
              ? fmt::format("param `{}` is 100%, and no attainment is more than 100%, so `for more than {}` can never be "
                            "met; write `for at least {}`, or give the param a value under 100%",
                            model_.params[*sla.target->param].name, text(f.percent.range), text(f.percent.range))
              : fmt::format("no attainment is more than 100%, so `for more than {}` can never be met; write `for at least "
                            "100%`",
                            text(f.percent.range)));
  }
  if (f.of_duration) sla.target_of = duration(*f.of_duration, "the duration after `of`");
  if (!f.rounded_to) return;
  auto step = percent(*f.rounded_to, "`rounded to`");
  if (!step) return;
  if (step->literal.number == Decimal::integer(0)) {
    error(Code::percent_range, f.rounded_to->range,
          step->param ? fmt::format("param `{}` is 0%, and `rounded to 0%` rounds to nothing; give it a step such as 1% "
                                    "or 0.1%",
                                    model_.params[*step->param].name)
                      : std::string("`rounded to 0%` rounds to nothing; give a step such as `rounded to 1%` or `rounded to "
                                    "0.1%`"));
    return;
  }
  sla.rounding = step;
  if (!sla.target || step->literal.number == Decimal::integer(0)) return;
  // A target between two steps is never equalled by a rounded attainment, so `at
  // least` and `more than` would mean the same: the SPEC asks for a multiple.
  std::uint8_t scale = 0;
  auto [p, q] = common_units(sla.target->literal.number, step->literal.number, scale);
  if (p % q == 0) return;
  i128 below = (p / q) * q, above = below + q;
  auto shown = [&](const Quantity& x, Range r) {
    return x.param ? fmt::format("`{}` ({})", text(r), x.literal.to_string()) : fmt::format("`{}`", text(r));
  };
  error(Code::rounding_step, f.percent.range,
        fmt::format("the target {} is not a multiple of the rounding step {}, so no rounded attainment equals it; "
                    "write a target such as `{}` or `{}`, or round to a finer step",
                    shown(*sla.target, f.percent.range), shown(*step, f.rounded_to->range), percent_text(below, scale),
                    percent_text(above, scale)));
}

void Checker::check_downtime(const ast::DowntimeObjective& d, SlaInfo& sla) {
  // `at most 0s` (no downtime at all) is a real term; `less than 0s` cannot be met.
  sla.max_downtime = duration(d.duration, d.less_than ? "the downtime after `less than`" : "the downtime after `at most`",
                              !d.less_than);
  sla.downtime_less_than = d.less_than;
}

}  // namespace slac::checking
