// The checker on SLAs and KPIs: the clauses of SPEC 4.3 and their combinations.
#include "compiler/checker/checker.hpp"

namespace slac::checking {

// ---------------------------------------------------------------------------
// SLAs and KPIs

// A lone unknown word read as a per-device requirement is more likely a misspelt
// clause keyword (`penalti 1000`): say so instead of "unknown state".
bool Checker::misspelt_clause(const ast::RequirementClause& r) {
  if (r.kind != ast::RequirementKind::per_device) return false;
  const auto* ref = std::get_if<ast::Ref>(&r.state->v);
  if (ref == nullptr || ref->operand.scope != ast::AttrScope::none) return false;
  const ast::Name& n = ref->operand.name;
  if (n.text.size() < 4 || lookup(n.text) != nullptr || unparsed(n.text)) return false;
  auto near = closest_name(n.text, clause_words());
  if (!near) return false;
  error(Code::syntax, n.range, fmt::format("unknown clause `{}`; did you mean `{}`?", n.text, *near));
  return true;
}

void Checker::check_sla(const ast::SlaDecl& d) {
  auto it = sla_names_.find(d.name.text);
  if (it == sla_names_.end() || model_.slas[it->second].decl != d.name.range) return;  // a duplicate
  SlaInfo& sla = model_.slas[it->second];
  std::string_view what = d.is_kpi ? "KPI" : "SLA";

  std::map<std::string, Range> seen;
  auto once = [&](const std::string& clause, Range r) {
    auto [pos, inserted] = seen.try_emplace(clause, r);
    if (!inserted) {
      auto& e = error(Code::duplicate_clause, r, fmt::format("{} `{}` has two {} clauses", what, d.name.text, clause));
      first_note(e, pos->second);
    }
    return inserted;
  };
  bool have_window = false, have_grouping = false, have_requirement = false, have_objective = false;
  std::optional<std::size_t> of_calendar;
  Range of_calendar_range;
  std::optional<Range> penalty_range, tiers_range, cap_range;
  const ast::ExcludingClause* excluding = nullptr;
  Range excluding_range;
  const ast::GroupingClause* grouping = nullptr;
  std::optional<Range> site_zone;  // windows `in site timezone`
  const ast::RequirementClause* requirement = nullptr;
  Range requirement_range;
  const ast::CountedClause* counted = nullptr;
  Range counted_range;
  const ast::Name* events_sugar = nullptr;  // `for at least P% of SIGNAL events`
  std::vector<Range> outage_objectives;  // for `on average`, where outages are undefined
  // Amounts are checked once the grouping and the objectives are known.
  const ast::Amount* penalty_amount = nullptr;
  const ast::Amount* cap_amount = nullptr;
  std::vector<const ast::Amount*> tier_amounts;  // one per entry of sla.tiers

  for (const auto& c : d.clauses) {
    std::visit(
        [&](const auto& cl) {
          using T = std::decay_t<decltype(cl)>;
          if constexpr (std::is_same_v<T, ast::WindowClause>) {
            if (!once("window (`in any ...`)", c.range)) return;
            have_window = true;
            sla.window.rolling = cl.rolling;
            sla.window.unit = cl.unit;
            sla.window.rolling_unit = cl.rolling_unit;
            sla.window.range = c.range;
            if (cl.site_zone) {
              sla.window.site_zone = true;
              site_zone = cl.site_zone;
              auto it = site_attrs_.find("timezone");
              if (it == site_attrs_.end() || model_.attributes[it->second].type != ValueType::timezone) {
                auto& e = error(Code::site_timezone, *cl.site_zone,
                                "windows `in site timezone` need `site attribute timezone : timezone`");
                if (it != site_attrs_.end()) {
                  previous_note(e, model_.attributes[it->second].decl, "`timezone` is not of type timezone; it is");
                }
              }
            }
            if (cl.start_clock) check_window_start(cl, sla.window);
            if (cl.period || cl.periods) check_period_window(cl, sla.window);
            if (cl.rolling || cl.period) {
              const char* what = cl.rolling ? "a rolling window" : "a period";
              if (auto q = count(cl.count, fmt::format("{}'s length", what))) {
                if (q->literal.number == Decimal::integer(0)) {
                  error(Code::count_range, cl.count.range, fmt::format("{} is at least 1 long", what));
                } else {
                  sla.window.count = *q;
                }
              }
            }
          } else if constexpr (std::is_same_v<T, ast::GroupingClause>) {
            if (!once("grouping (`on ...` or `across all sites`)", c.range)) return;
            have_grouping = true;
            grouping = &cl;
          } else if constexpr (std::is_same_v<T, ast::RequirementClause>) {
            if (misspelt_clause(cl)) return;
            if (!once("requirement (`at least ...`, `at most ...`, `all ...`)", c.range)) return;
            have_requirement = true;
            requirement = &cl;
            requirement_range = c.range;
          } else if constexpr (std::is_same_v<T, ast::ForObjective>) {
            have_objective = true;
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI measures and has no target; make it an `sla` to judge it");
              return;
            }
            // One percentage objective, whichever its words.
            if (!once("percentage target (`for at least P%`, `for more than P%`)", c.range)) return;
            sla.target = percent(cl.percent, cl.more_than ? "`for more than`" : "`for at least`");
            check_target_form(cl, sla);
            if (cl.events_signal) events_sugar = &*cl.events_signal;
            const Symbol* named = cl.calendar ? lookup(cl.calendar->text) : nullptr;
            if (named != nullptr && named->kind == SymbolKind::param &&
                model_.params[named->index].value.type == ParamType::duration) {
              // `of NAME` with a duration param: the fixed duration of SPEC 4.4 (`of D`),
              // as a param may stand wherever a literal of its type may (SPEC 4.2).
              ast::Value d;
              d.v = ast::NameValue{cl.calendar->text};
              d.range = cl.calendar->range;
              // (A duration param is longer than 0: its declaration says so, E402.)
              sla.target_of = duration(d, "the duration after `of`");
            } else if (cl.calendar) {
              if (auto idx = resolve(*cl.calendar, SymbolKind::calendar)) {
                of_calendar = idx;
                of_calendar_range = cl.calendar->range;
              }
            }
          } else if constexpr (std::is_same_v<T, ast::NoOutageObjective>) {
            have_objective = true;
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI measures and has no objective; make it an `sla` to judge it");
              return;
            }
            outage_objectives.push_back(c.range);
            if (!once("`with no outage longer than`", c.range)) return;
            sla.max_outage = duration(cl.longer_than, "`no outage longer than`");
          } else if constexpr (std::is_same_v<T, ast::OutageCountObjective>) {
            have_objective = true;
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI measures and has no objective; make it an `sla` to judge it");
              return;
            }
            outage_objectives.push_back(c.range);
            OutageCountSpec spec;
            spec.range = c.range;
            auto n = count(cl.count, "the number of outages");
            if (cl.longer_than) spec.longer_than = duration(*cl.longer_than, "`longer than`");
            if (n) {
              spec.count = *n;
              sla.outage_counts.push_back(std::move(spec));
            }
          } else if constexpr (std::is_same_v<T, ast::DowntimeObjective>) {
            have_objective = true;
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI measures and has no objective; make it an `sla` to judge it");
              return;
            }
            if (!once("`with ... of downtime`", c.range)) return;
            check_downtime(cl, sla);
          } else if constexpr (std::is_same_v<T, ast::DuringClause>) {
            if (!once("`during`", c.range)) return;
            if (auto idx = resolve(cl.calendar, SymbolKind::calendar)) {
              sla.during = idx;
              sla.during_range = cl.calendar.range;
            }
          } else if constexpr (std::is_same_v<T, ast::OnlyClause>) {
            if (!once("`only`", c.range)) return;
            sla.only = top_condition(*cl.condition).id;
          } else if constexpr (std::is_same_v<T, ast::ExcludingClause>) {
            if (!once("`excluding`", c.range)) return;
            excluding = &cl;
            excluding_range = c.range;
          } else if constexpr (std::is_same_v<T, ast::PenaltyFixed>) {
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI has no penalty; make it an `sla` to charge one");
              return;
            }
            if (!once("`penalty AMOUNT`", c.range)) return;
            penalty_range = c.range;
            penalty_amount = &cl.amount;
          } else if constexpr (std::is_same_v<T, ast::PenaltyTiers>) {
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI has no penalty; make it an `sla` to charge one");
              return;
            }
            if (!once("`penalty { ... }` tiers", c.range)) return;
            tiers_range = c.range;
            std::vector<std::pair<Decimal, Range>> thresholds;
            for (const auto& t : cl.tiers) {
              auto below = percent(t.below, "a tier's `below`");
              if (!below) continue;
              if (!below->param) {
                for (const auto& [prev, r] : thresholds) {
                  if (prev == below->literal.number) {
                    auto& e = error(Code::duplicate_tier, t.range,
                                    fmt::format("two tiers are `below {}%`", below->literal.number.to_string()));
                    first_note(e, r);
                  }
                }
                thresholds.emplace_back(below->literal.number, t.range);
              }
              sla.tiers.push_back(TierSpec{*below, {}, t.range});
              tier_amounts.push_back(&t.amount);
            }
          } else if constexpr (std::is_same_v<T, ast::PenaltyCap>) {
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI has no penalty; make it an `sla` to charge one");
              return;
            }
            if (!once("`penalty cap`", c.range)) return;
            cap_range = c.range;
            cap_amount = &cl.amount;
          } else if constexpr (std::is_same_v<T, ast::WarnClause>) {
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI has no target, so no near misses; make it an `sla` to warn");
              return;
            }
            if (!once("`warn below`", c.range)) return;
            sla.warn = percent(cl.below, "`warn below`");
          } else if constexpr (std::is_same_v<T, ast::CountedClause>) {
            if (!once("`counted in`", c.range)) return;
            counted = &cl;
            counted_range = c.range;
          }
        },
        c.v);
  }

  // Grouping.
  if (grouping != nullptr) {
    GroupingSpec& gs = sla.grouping;
    gs.range = Range{};
    switch (grouping->kind) {
      case ast::GroupingKind::any_site: gs.kind = GroupingKind::any_site; break;
      case ast::GroupingKind::any_device: gs.kind = GroupingKind::any_device; break;
      case ast::GroupingKind::every_site: gs.kind = GroupingKind::every_site; break;
      case ast::GroupingKind::all_sites: gs.kind = GroupingKind::all_sites; break;
      case ast::GroupingKind::percent_of_sites:
        gs.kind = GroupingKind::percent_of_sites;
        if (auto q = percent(*grouping->percent, "`on at least ... of sites`")) gs.percent = *q;
        break;
      case ast::GroupingKind::any_site_attribute: {
        gs.kind = GroupingKind::any_attribute;
        const ast::Name& attr = *grouping->attribute;
        auto ai = site_attrs_.find(attr.text);
        if (ai != site_attrs_.end()) {
          gs.attribute = ai->second;
        } else if (device_attrs_.contains(attr.text)) {
          error(Code::wrong_kind, attr.range,
                fmt::format("`on any site.{}` groups by a site attribute, and `{}` is a device attribute; group by it with `on any {}`",
                            attr.text, attr.text, attr.text));
        } else {
          auto& e = error(Code::unknown_name, attr.range,
                          fmt::format("unknown site attribute `{}`: `on any site.` takes a site attribute", attr.text));
          suggest(e, attr.text, [&] { return sorted_names(site_attrs_); });
        }
        break;
      }
      case ast::GroupingKind::any_attribute: {
        gs.kind = GroupingKind::any_attribute;
        const ast::Name& attr = *grouping->attribute;
        auto ai = device_attrs_.find(attr.text);
        if (ai != device_attrs_.end()) {
          gs.attribute = ai->second;
        } else if (site_attrs_.contains(attr.text)) {
          error(Code::wrong_kind, attr.range,
                fmt::format("`on any {}` groups by a device attribute, and `{}` is a site attribute; group by site with `on any site`",
                            attr.text, attr.text));
        } else {
          auto& e = error(Code::unknown_name, attr.range,
                          fmt::format("unknown device attribute `{}`: `on any` takes `site`, `device` or a device attribute", attr.text));
          suggest(e, attr.text, [&] { return sorted_names(device_attrs_); });
        }
        break;
      }
    }
    if (site_zone && gs.kind != GroupingKind::any_site && gs.kind != GroupingKind::any_device) {
      // SPEC 4.4: a group spanning sites has no one site's zone, and an estate verdict
      // would judge windows that start at different instants as one.
      bool estate = gs.kind == GroupingKind::every_site || gs.kind == GroupingKind::percent_of_sites;
      error(Code::window_start, *site_zone,
            fmt::format("windows `in site timezone` follow each group's own site, so they need `on any site` or `on any "
                        "device`; {}",
                        estate ? "an estate verdict (`on every site`, `on at least P% of sites`) judges all sites' "
                                 "windows as one"
                               : gs.kind == GroupingKind::all_sites
                                   ? "`across all sites` makes one group of every site, with no one site's zone"
                                   : "groups by an attribute span sites, with no one site's zone"));
    }
    if (grouping->where) {
      auto w = top_condition(*grouping->where);
      gs.where = w.id;
      if (w.traits.dynamic) {
        error(Code::not_static, grouping->where->range,
              fmt::format("`where` chooses groups once, so it takes attributes only, but {} changes over time",
                          culprit(w.id, &ExprTraits::dynamic)));
      } else if (gs.by_site() && w.traits.device_dependent) {
        error(Code::device_level, grouping->where->range,
              fmt::format("`where` of a site grouping chooses sites, so it takes site attributes only, but it uses {}",
                          culprit(w.id, &ExprTraits::device_dependent)));
      }
    }
  }

  // Requirement.
  if (requirement != nullptr) {
    RequirementSpec& rs = sla.requirement;
    rs.range = requirement_range;
    // `mean of` has no condition: every measured instant is averaged.
    CExpr always;
    always.flag = true;
    Checked st = requirement->state ? top_condition(*requirement->state) : Checked{add(std::move(always)), {}};
    rs.state = st.id;
    switch (requirement->kind) {
      case ast::RequirementKind::at_least:
      case ast::RequirementKind::at_most:
      case ast::RequirementKind::no_more_than:
        rs.kind = requirement->kind == ast::RequirementKind::at_least ? RequirementKind::at_least : RequirementKind::at_most;
        rs.written_no_more_than = requirement->kind == ast::RequirementKind::no_more_than;
        if (std::holds_alternative<ast::PercentLit>(requirement->amount->v) && requirement->kind != ast::RequirementKind::at_least) {
          error(Code::percent_requirement, requirement->amount->range,
                "`at most` and `no more than` take a count of devices, not a percentage");
        } else if (auto q = count(*requirement->amount, "the number of devices")) {
          rs.amount = *q;
        }
        break;
      case ast::RequirementKind::percent_of_devices:
        rs.kind = RequirementKind::percent_of_devices;
        if (auto q = percent(*requirement->amount, "`at least ... of devices`")) rs.amount = *q;
        break;
      case ast::RequirementKind::percent_bare:
        rs.kind = RequirementKind::percent_of_devices;
        error(Code::percent_requirement, requirement->amount->range,
              fmt::format("a percentage of devices is written `at least {} of devices STATE` (or `... weighted by ATTRIBUTE`)",
                          text(requirement->amount->range)));
        break;
      case ast::RequirementKind::weighted: {
        rs.kind = RequirementKind::weighted;
        if (!std::holds_alternative<ast::PercentLit>(requirement->amount->v) &&
            !std::holds_alternative<ast::NameValue>(requirement->amount->v)) {
          error(Code::weighted_by, requirement->amount->range,
                fmt::format("`weighted by` needs a percentage, as in `at least 90% {} weighted by ...`",
                            text(requirement->state->range)));
        } else if (auto q = percent(*requirement->amount, "`at least ... weighted by`")) {
          rs.amount = *q;
        }
        const ast::Name& w = *requirement->weight;
        auto ai = device_attrs_.find(w.text);
        if (ai == device_attrs_.end()) {
          error(Code::weighted_by, w.range,
                fmt::format("`weighted by` takes a number device attribute; `{}` is {}", w.text,
                            site_attrs_.contains(w.text) ? "a site attribute" : "not a device attribute"));
        } else if (model_.attributes[ai->second].type != ValueType::number) {
          auto& e = error(Code::weighted_by, w.range,
                          fmt::format("`weighted by` takes a number device attribute; `{}` is {} {}", w.text,
                                      article(type_name(model_.attributes[ai->second].type)),
                                      type_name(model_.attributes[ai->second].type)));
          previous_note(e, model_.attributes[ai->second].decl, fmt::format("`{}`", w.text));
        } else {
          rs.attribute = ai->second;
        }
        break;
      }
      case ast::RequirementKind::site_attribute: {
        rs.kind = RequirementKind::site_attribute;
        const ast::Name& a = *requirement->site_attribute;
        auto ai = site_attrs_.find(a.text);
        if (ai == site_attrs_.end()) {
          error(Code::site_count, a.range, fmt::format("`at least site.{}` needs a number site attribute `{}`", a.text, a.text));
        } else if (model_.attributes[ai->second].type != ValueType::number) {
          auto& e = error(Code::site_count, a.range,
                          fmt::format("`at least site.{}` needs a number site attribute, and `{}` is {} {}", a.text, a.text,
                                      article(type_name(model_.attributes[ai->second].type)),
                                      type_name(model_.attributes[ai->second].type)));
          previous_note(e, model_.attributes[ai->second].decl, fmt::format("`{}`", a.text));
        } else {
          rs.attribute = ai->second;
        }
        if (grouping != nullptr && !sla.grouping.by_site()) {
          error(Code::site_count, requirement_range,
                "`at least site.ATTRIBUTE` counts devices of one site, so it needs `on any site`, `on every site` or `on at least P% of sites`");
        }
        break;
      }
      case ast::RequirementKind::all:
        rs.kind = RequirementKind::all;
        break;
      case ast::RequirementKind::events:
        check_event_measure(sla, *requirement->events_signal, st, *requirement->state, grouping != nullptr);
        break;
      case ast::RequirementKind::mean:
        check_mean(sla, *requirement);
        break;
      case ast::RequirementKind::average_pooled:
      case ast::RequirementKind::average_per_device:
        rs.kind = requirement->kind == ast::RequirementKind::average_pooled ? RequirementKind::average_pooled
                                                                             : RequirementKind::average_per_device;
        check_device_average(outage_objectives);
        if (rs.kind == RequirementKind::average_per_device && sla.target_of) {
          error(Code::average_outage, sla.target_of->range,
                "`on average per device` judges the mean of the devices' own attainments, which has no fixed "
                "denominator; write `on average STATE` (device-time pooled) to judge against a fixed duration");
        }
        break;
      case ast::RequirementKind::per_device: {
        if (events_sugar != nullptr) {
          check_event_measure(sla, *events_sugar, st, *requirement->state, grouping != nullptr);
          break;
        }
        rs.kind = RequirementKind::per_device;
        // A lone unknown word may be a misspelt clause keyword rather than a state.
        if (grouping != nullptr && sla.grouping.kind != GroupingKind::any_device) {
          error(Code::per_device_requirement, requirement_range,
                fmt::format("`{}` alone is a per-device requirement, which needs `on any device`; for a site, write `at least 1 {}` or `all {}`",
                            text(requirement->state->range), text(requirement->state->range), text(requirement->state->range)));
        }
        break;
      }
    }
  }

  if (counted != nullptr) check_counted(*counted, counted_range, sla);
  check_measure_combinations(sla, requirement, events_sugar, requirement_range);

  // `of CALENDAR` and `during`.
  if (of_calendar) {
    sla.of_calendar = true;
    if (sla.during && *sla.during != *of_calendar) {
      auto& e = error(Code::calendar_conflict, sla.during_range,
                      fmt::format("`during {}` contradicts `of {}`: the target is measured over one calendar",
                                  model_.calendars[*sla.during].name, model_.calendars[*of_calendar].name));
      note(e, of_calendar_range, "the target's calendar is named here");
    }
    sla.during = of_calendar;
    sla.during_range = of_calendar_range;
  }

  // Exclusions: site-level, and independent of the site on groups that span sites.
  if (excluding != nullptr) {
    auto ex = top_condition(*excluding->condition);
    sla.excluding = ex.id;
    if (ex.traits.device_dependent) {
      error(Code::device_level, excluding->condition->range,
            fmt::format("`excluding` removes time from a whole group, so it needs a site-level condition, but it uses {}",
                        culprit(ex.id, &ExprTraits::device_dependent)));
    } else if (grouping != nullptr && sla.grouping.spans_sites() && ex.traits.site_dependent &&
               !device_time_measure(sla.requirement.kind)) {
      error(Code::spanning_excluding, excluding->condition->range,
            fmt::format("this SLA's groups span sites, so `excluding` cannot depend on a site, but it uses {}",
                        culprit(ex.id, &ExprTraits::site_dependent)));
    }
  }
  if (sla.during && grouping != nullptr && sla.grouping.spans_sites() && !device_time_measure(sla.requirement.kind) &&
      model_.calendars[*sla.during].zone_kind == ast::ZoneKind::site) {
    auto& e = error(Code::spanning_calendar, sla.during_range,
                    fmt::format("this SLA's groups span sites, so calendar `{}` cannot be `in site timezone`; give it a zone, as in `in \"Europe/London\"`",
                                model_.calendars[*sla.during].name));
    previous_note(e, model_.calendars[*sla.during].decl, fmt::format("`{}`", model_.calendars[*sla.during].name));
  }

  // A warning threshold at or under the target can never flag a met window (W001).
  if (auto why = warn_at_target(model_, sla)) diags_.warning(Code::warn_at_target, sla.warn->range, *why);

  // Penalties.
  if (tiers_range && penalty_range) {
    auto& e = error(Code::penalty_mix, *tiers_range, "an SLA has a fixed penalty or tiers, not both");
    note(e, *penalty_range, "the fixed penalty is here");
  }
  if (tiers_range && grouping != nullptr && sla.grouping.estate_verdict()) {
    error(Code::tiers_grouping, *tiers_range,
          "tiers price each group's attainment, so they need `on any ...` or `across all sites`; the estate-level verdict takes a fixed penalty");
  }
  if (cap_range && !penalty_range && !tiers_range) {
    error(Code::penalty_mix, *cap_range, "`penalty cap` limits a penalty, but this SLA has none");
  }
  check_penalty_amounts(sla, grouping != nullptr, penalty_amount, tier_amounts, cap_amount);

  if (!d.incomplete) {
    if (!have_window) {
      error(Code::missing_clause, d.name.range,
            fmt::format("{} `{}` has no window; add one such as `in any calendar month`", what, d.name.text));
    }
    if (!have_grouping) {
      error(Code::missing_clause, d.name.range,
            fmt::format("{} `{}` has no grouping; add one such as `on any site`", what, d.name.text));
    }
    if (!have_requirement) {
      error(Code::missing_clause, d.name.range,
            fmt::format("{} `{}` has no requirement; add one such as `at least 1 available`", what, d.name.text));
    }
    if (!d.is_kpi && !have_objective) {
      error(Code::missing_clause, d.name.range,
            fmt::format("SLA `{}` has no objective; add `for at least P%`, `with no outage longer than D` or `with at most N outages`, or make it a `kpi`",
                        d.name.text));
    }
  }
}

// The amounts of the penalty, the tiers and the cap (SPEC 4.4): per-group penalties
// may price the row's figures and the group's attributes; a cap and an estate
// verdict's penalty are the same for every group.
void Checker::check_penalty_amounts(SlaInfo& sla, bool have_grouping, const ast::Amount* penalty,
                                    const std::vector<const ast::Amount*>& tiers, const ast::Amount* cap) {
  AmountPlace place;
  if (have_grouping) place.grouping = sla.grouping.kind;
  if (have_grouping && sla.grouping.kind == GroupingKind::any_attribute) place.group_attribute = sla.grouping.attribute;
  place.has_target = sla.target.has_value();
  place.counts_events = sla.requirement.kind == RequirementKind::events;
  place.averages_numbers = sla.requirement.kind == RequirementKind::mean;
  place.per_group = !(have_grouping && sla.grouping.estate_verdict());
  place.why_static = "the estate's verdict is charged once per window, so its penalty is a number or a param";
  if (penalty != nullptr) {
    place.what = "a penalty";
    sla.penalty = check_amount(*penalty, place);
  }
  place.what = "a tier's amount";
  std::vector<TierSpec> checked;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    if (auto a = check_amount(*tiers[i], place)) {
      checked.push_back(std::move(sla.tiers[i]));
      checked.back().amount = std::move(*a);
    }
  }
  sla.tiers = std::move(checked);
  if (cap != nullptr) {
    place.what = "a penalty cap";
    place.per_group = false;
    place.why_static = "a cap limits the SLA's total per window, so it is a number or a param";
    sla.cap = check_amount(*cap, place);
  }
}

// `on average` measures device-time, in which an outage of the group has no meaning
// (SPEC 4.4): say so at each outage objective, with what would work instead.
void Checker::check_device_average(const std::vector<Range>& outage_objectives) {
  for (Range r : outage_objectives) {
    error(Code::average_outage, r,
          "`on average` pools the time of many devices, so the group has no outages to count or measure; judge the "
          "average with `for at least P%`, or outages per device with `on any device` and a bare `STATE` requirement");
  }
}

}  // namespace slac::checking
