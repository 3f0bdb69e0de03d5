// The checker on the measures of SPEC 4.4 that are not a share of time: event
// measures (`CONDITION of SIGNAL events`, and `CONDITION for at least P% of SIGNAL
// events`) and what they cannot be combined with.
#include "compiler/checker/checker.hpp"

namespace slac::checking {

void Checker::check_event_measure(SlaInfo& sla, const ast::Name& signal, const Checked& condition,
                                  const ast::Expr& condition_expr, bool have_grouping) {
  RequirementSpec& rs = sla.requirement;
  rs.kind = RequirementKind::events;
  const Symbol* sym = lookup(signal.text);
  if (sym == nullptr) {
    unknown("signal", signal, {SymbolKind::signal});
    return;
  }
  if (sym->kind != SymbolKind::signal) {
    auto& e = error(Code::event_measure, signal.range,
                    fmt::format("`{}` is a {}, which has no events; an event measure counts the events of a signal, "
                                "as in `{} of attempt events`",
                                signal.text, kind_name(sym->kind), text(condition_expr.range)));
    previous_note(e, sym->decl, fmt::format("`{}`", signal.text));
    return;
  }
  rs.events_signal = sym->index;
  const SignalInfo& s = model_.signals[sym->index];
  if (s.level != Level::site) return;
  if (have_grouping && !sla.grouping.by_site()) {
    auto& e = error(Code::event_measure, signal.range,
                    fmt::format("`{}` is {}, whose events belong to sites, so counting them needs `on any site`, "
                                "`on every site` or `on at least P% of sites`; or count the events of a device signal",
                                signal.text, describe_signal(s)));
    previous_note(e, s.decl, fmt::format("`{}`", signal.text));
  } else if (condition.traits.device_dependent) {
    error(Code::event_measure, condition_expr.range,
          fmt::format("the events of site signal `{}` are judged once per site, so the condition needs to be "
                      "site-level, but it uses {}",
                      signal.text, culprit(condition.id, &ExprTraits::device_dependent)));
  }
}

void Checker::check_measure_combinations(const SlaInfo& sla, const ast::RequirementClause* requirement,
                                         const ast::Name* events_sugar, Range requirement_range) {
  if (events_sugar != nullptr && requirement != nullptr) {
    if (requirement->kind == ast::RequirementKind::events) {
      auto& e = error(Code::event_measure, events_sugar->range,
                      fmt::format("the events are named twice: the requirement already counts the events of `{}`; "
                                  "write `for at least P%` alone",
                                  requirement->events_signal->text));
      note(e, requirement->events_signal->range, "the requirement's events are named here");
    } else if (requirement->kind == ast::RequirementKind::average_pooled ||
               requirement->kind == ast::RequirementKind::average_per_device) {
      auto& e = error(Code::event_measure, requirement_range,
                      fmt::format("`on average` measures each device's time, and `of {} events` counts events: an SLA "
                                  "has one requirement; write `{} for at least P% of {} events`, or drop `of {} events`",
                                  events_sugar->text, text(requirement->state->range), events_sugar->text,
                                  events_sugar->text));
      note(e, events_sugar->range, "the events are named here");
    } else if (requirement->kind != ast::RequirementKind::per_device) {
      auto& e = error(Code::event_measure, requirement_range,
                      fmt::format("`of {} events` judges a condition at each event, not a count of devices; "
                                  "write the condition alone, as in `{} for at least P% of {} events`",
                                  events_sugar->text, text(requirement->state->range), events_sugar->text));
      note(e, events_sugar->range, "the events are named here");
    }
  }
  if (sla.requirement.kind != RequirementKind::events) return;
  // An event measure counts events, not time: there are no outages to bound, no
  // downtime, no fixed duration to measure against, and no time to cut into intervals.
  // Strict and rounded targets judge good events / counted events as usual.
  auto no_outages = [&](Range r) {
    error(Code::event_measure, r,
          "an event measure counts events, not time, so it has no outages; judge it with `for at least P%`");
  };
  if (sla.max_outage) no_outages(sla.max_outage->range);
  for (const auto& oc : sla.outage_counts) no_outages(oc.range);
  if (sla.max_downtime) {
    error(Code::event_measure, sla.max_downtime->range,
          "an event measure counts events, not time, so it has no downtime; judge it with `for at least P%` (or "
          "`for more than P%`), or measure time with a condition such as `at least 1 STATE`");
  }
  if (sla.target_of) {
    error(Code::event_measure, sla.target_of->range,
          "an event measure judges good events / counted events, not time against a fixed duration; drop `of D`, "
          "as in `for at least P%`");
  }
  if (sla.counted) {
    error(Code::event_measure, sla.counted->range,
          "an event measure counts events, not time, so there are no intervals to count in; drop `counted in`, "
          "or measure time with a condition such as `at least 1 STATE`");
  }
}

}  // namespace slac::checking

namespace slac::checking {

// `events N` and `good events N` expect counts of an event measure; the figures of
// time (`measured`, `good`, outages) do not exist for one.
bool Checker::expectation_fits_measure(const SlaInfo& sla, const ast::TestExpectItem& expect, Range range) {
  bool counts_events = sla.requirement.kind == RequirementKind::events;
  bool wants_events = expect.what == ast::ExpectWhat::events || expect.what == ast::ExpectWhat::good_events;
  bool wants_time = expect.what == ast::ExpectWhat::measured || expect.what == ast::ExpectWhat::good ||
                    expect.what == ast::ExpectWhat::outages || expect.what == ast::ExpectWhat::longest_outage ||
                    expect.what == ast::ExpectWhat::downtime;
  if (wants_events && !counts_events) {
    error(Code::test_value, range,
          fmt::format("`{}` measures time, not events; expect `measured D` or `good D` of it", sla.name));
    return false;
  }
  if (wants_time && counts_events) {
    error(Code::test_value, range,
          fmt::format("`{}` counts events, so it has no measured time or outages; expect `events N` or `good events N`",
                      sla.name));
    return false;
  }
  return true;
}

}  // namespace slac::checking
