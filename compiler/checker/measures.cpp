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

namespace {

constexpr std::string_view mean_takes =
    "`mean of` averages numbers: number signals, number attributes (`device.NAME`, `site.NAME`), number or "
    "percentage params, and literals such as `0.5` or `100%`";

}  // namespace

// `mean of EXPR [, unknown as NUMBER]` (SPEC 4.4): every leaf a number.
void Checker::check_mean(SlaInfo& sla, const ast::RequirementClause& requirement) {
  RequirementSpec& rs = sla.requirement;
  rs.kind = RequirementKind::mean;
  rs.mean.clear();
  if (!mean_node(*requirement.mean, rs.mean)) rs.mean.clear();
  if (!requirement.unknown_as) return;
  const ast::Value& u = *requirement.unknown_as;
  if (const auto* p = std::get_if<ast::PercentLit>(&u.v); p != nullptr && !u.invalid) {
    Quantity q;
    q.range = u.range;
    q.literal.type = ParamType::number;
    q.literal.number = percent_fraction(p->value);
    rs.unknown_as = q;
  } else if (const auto* nv = std::get_if<ast::NameValue>(&u.v); nv != nullptr && !u.invalid && lookup(nv->name) &&
             lookup(nv->name)->kind == SymbolKind::param &&
             model_.params[lookup(nv->name)->index].value.type == ParamType::percent) {
    // A percentage param, like a percentage literal: its fraction (lowering divides).
    rs.unknown_as = quantity(u, ParamType::percent, "`unknown as`");
  } else {
    rs.unknown_as = quantity(u, ParamType::number, "`unknown as`");
  }
}

std::optional<std::uint32_t> Checker::mean_node(const ast::NumExpr& e, std::vector<NumNode>& nodes) {
  NumNode n;
  n.range = e.range;
  bool ok = true;
  if (const auto* v = std::get_if<ast::Value>(&e.v)) {
    if (v->invalid) return std::nullopt;
    if (const auto* num = std::get_if<ast::NumberLit>(&v->v)) {
      n.number = num->value;
    } else if (const auto* pct = std::get_if<ast::PercentLit>(&v->v)) {
      n.number = percent_fraction(pct->value);
    }
  } else if (const auto* paren = std::get_if<ast::NumParen>(&e.v)) {
    return mean_node(*paren->inner, nodes);
  } else if (const auto* chain = std::get_if<ast::NumChain>(&e.v)) {
    n.op = NumOp::chain;
    n.ops.assign(chain->ops.begin(), chain->ops.end());
    for (std::size_t k = 0; k < chain->operands.size(); ++k) {
      auto id = mean_node(*chain->operands[k], nodes);
      if (id) n.operands.push_back(*id);
      ok = ok && id.has_value();
      // A literal zero divisor: every instant would be left out, nothing measured.
      if (id && k > 0 && chain->ops[k - 1] == '/' && nodes[*id].op == NumOp::literal &&
          nodes[*id].number.units == 0) {
        error(Code::mean_measure, nodes[*id].range,
              "this divides by zero at every instant, and an instant that divides by zero is left out of the mean, "
              "so nothing would be measured; divide by a signal, an attribute or a param");
        ok = false;
      }
    }
  } else {
    const auto& o = std::get<ast::Operand>(e.v);
    if (o.scope != ast::AttrScope::none) {
      bool device = o.scope == ast::AttrScope::device;
      const auto& table = device ? device_attrs_ : site_attrs_;
      auto ai = table.find(o.name.text);
      if (ai == table.end()) {
        auto& d = error(Code::unknown_name, o.name.range,
                        fmt::format("unknown {} attribute `{}`", device ? "device" : "site", o.name.text));
        suggest(d, o.name.text, [&] { return sorted_names(table); });
        return std::nullopt;
      }
      const AttributeInfo& a = model_.attributes[ai->second];
      if (a.type != ValueType::number) {
        auto& d = error(Code::mean_measure, o.range,
                        fmt::format("`{}` is {} {} attribute; {}", text(o.range), article(type_name(a.type)),
                                    type_name(a.type), mean_takes));
        previous_note(d, a.decl, fmt::format("`{}`", o.name.text));
        return std::nullopt;
      }
      n.op = NumOp::attribute;
      n.ref = ai->second;
    } else {
      const Symbol* sym = lookup(o.name.text);
      if (sym == nullptr) {
        unknown("number signal or param", o.name, {SymbolKind::signal, SymbolKind::param});
        return std::nullopt;
      }
      std::string what;
      if (sym->kind == SymbolKind::signal) {
        const SignalInfo& sig = model_.signals[sym->index];
        if (sig.type != ValueType::number) what = describe_signal(sig);
        n.op = NumOp::signal;
      } else if (sym->kind == SymbolKind::param) {
        ParamType t = model_.params[sym->index].value.type;
        if (t != ParamType::number && t != ParamType::percent) what = fmt::format("{} param", param_type_name(t));
        n.op = NumOp::param;
      } else {
        what = fmt::format("a {}", kind_name(sym->kind));
      }
      if (!what.empty()) {
        auto& d = error(Code::mean_measure, o.range, fmt::format("`{}` is {}; {}", o.name.text, what, mean_takes));
        previous_note(d, sym->decl, fmt::format("`{}`", o.name.text));
        return std::nullopt;
      }
      n.ref = sym->index;
    }
  }
  if (!ok) return std::nullopt;
  nodes.push_back(std::move(n));
  return static_cast<std::uint32_t>(nodes.size() - 1);
}

void Checker::check_measure_combinations(const SlaInfo& sla, const ast::RequirementClause* requirement,
                                         const ast::Name* events_sugar, Range requirement_range) {
  if (events_sugar != nullptr && requirement != nullptr && requirement->kind == ast::RequirementKind::mean) {
    auto& e = error(Code::mean_measure, events_sugar->range,
                    fmt::format("`mean of` averages a number over time, and `of {} events` counts events: an SLA has "
                                "one requirement; judge the mean with `for at least P%` alone",
                                events_sugar->text));
    note(e, requirement_range, "the mean is here");
  } else if (events_sugar != nullptr && requirement != nullptr) {
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
  if (sla.requirement.kind == RequirementKind::mean) {
    // A mean of numbers is no share of time: no outages, no downtime, no fixed
    // duration, no intervals to judge a condition in.
    auto takes_target = [&](Range r, std::string_view what, std::string_view drop = {}) {
      error(Code::mean_measure, r,
            fmt::format("`mean of` judges the mean of a number, which has no {}; {}judge it with `for at least P%` "
                        "(or `for more than P%`), or measure the time a condition holds with `at least 1 STATE`",
                        what, drop));
    };
    if (sla.max_outage) takes_target(sla.max_outage->range, "outages");
    for (const auto& oc : sla.outage_counts) takes_target(oc.range, "outages");
    if (sla.max_downtime) takes_target(sla.max_downtime->range, "downtime");
    if (sla.target_of) takes_target(sla.target_of->range, "fixed duration to be measured against", "drop `of D` and ");
    if (sla.counted) takes_target(sla.counted->range, "intervals in which a condition fails", "drop `counted in` and ");
    return;
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
  if (sla.requirement.kind == RequirementKind::mean) {
    // A mean has measured time, but its `good_s` is an integral of numbers, not time.
    bool fits = expect.what != ast::ExpectWhat::events && expect.what != ast::ExpectWhat::good_events &&
                expect.what != ast::ExpectWhat::good && expect.what != ast::ExpectWhat::outages &&
                expect.what != ast::ExpectWhat::longest_outage && expect.what != ast::ExpectWhat::downtime;
    if (!fits) {
      error(Code::mean_measure, range,
            fmt::format("`{}` is a mean of numbers, with no good time, outages, downtime or events; expect its "
                        "`attainment`, `measured D`, `met` or `breached`",
                        sla.name));
    }
    return fits;
  }
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
