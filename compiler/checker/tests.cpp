// The checker on test blocks (SPEC 5.4): inventories, events, spans and expectations.
#include <limits>

#include "compiler/checker/checker.hpp"

namespace slac::checking {

// ---------------------------------------------------------------------------
// Tests

Millis Checker::local_instant(const ast::TimeLit& t) {
  std::int64_t days = days_from_civil(t.year, t.month, t.day);
  return days * ms_per_day + static_cast<Millis>(t.hour) * 3'600'000 + static_cast<Millis>(t.minute) * 60'000 +
         static_cast<Millis>(t.second) * 1000 + t.millisecond;
}

std::optional<Millis> Checker::instant(const ast::TimeLit& t) {
  Millis local = local_instant(t);
  if (t.has_offset) return local - static_cast<Millis>(t.offset_minutes) * 60'000;
  return local_to_utc(model_.timezone, local);
}

void Checker::check_test(const ast::TestDecl& d) {
  TestInfo test;
  test.name = d.name.value;
  test.decl = d.name.range;
  std::map<std::string, Range> sites, devices;
  for (const auto& e : d.unparsed_sites) sites.try_emplace(e.text, e.range);
  for (const auto& e : d.unparsed_devices) devices.try_emplace(e.text, e.range);
  std::optional<Range> span_range;
  // Repetitions are kept compact, but `slac test` expands them: a test makes at most
  // this many events in all, so that no contract of a few lines asks for gigabytes.
  constexpr std::int64_t max_test_events = 5'000'000;
  std::int64_t test_events = 0;
  auto test_event = [&](Millis time, std::string_view entity, const SignalInfo& sig, std::optional<Scalar> value, Range range) {
    TestEvent e;
    e.time = time;
    e.entity = std::string(entity);
    e.signal = static_cast<std::size_t>(&sig - model_.signals.data());
    e.value = std::move(value);
    e.range = range;
    return e;
  };
  auto within_budget = [&](std::int64_t count, Range where) {
    test_events += count;
    if (test_events <= max_test_events) return true;
    error(Code::test_value, where,
          fmt::format("this test makes more than {} events in all; use longer steps or shorter spans", "5,000,000"));
    test_events = std::numeric_limits<std::int64_t>::min() / 2;  // one error per test
    return false;
  };

  auto attributes = [&](const std::vector<ast::AttrAssign>& given, Level level, std::string_view owner, Range owner_range) {
    std::vector<TestAttr> out;
    auto& table = level == Level::device ? device_attrs_ : site_attrs_;
    std::set<std::size_t> have;
    for (const auto& a : given) {
      auto it = table.find(a.name.text);
      if (it == table.end()) {
        auto& e = error(Code::test_attribute, a.name.range,
                        fmt::format("unknown {} attribute `{}`", level == Level::device ? "device" : "site", a.name.text));
        suggest(e, a.name.text, [&] { return sorted_names(table); });
        continue;
      }
      if (!have.insert(it->second).second) {
        error(Code::test_attribute, a.range, fmt::format("attribute `{}` is given twice", a.name.text));
        continue;
      }
      const AttributeInfo& info = model_.attributes[it->second];
      if (auto v = check_value(a.value, info.type, info.members, fmt::format("`{}`", info.name))) {
        out.push_back(TestAttr{it->second, *v});
      }
    }
    for (std::size_t i = 0; i < model_.attributes.size(); ++i) {
      const AttributeInfo& info = model_.attributes[i];
      if (info.level == level && !info.default_value && !have.contains(i)) {
        error(Code::test_attribute, owner_range,
              fmt::format("{} `{}` needs a value for attribute `{}`, which has no default",
                          level == Level::device ? "device" : "site", owner, info.name));
      }
    }
    return out;
  };

  auto event_value = [&](const SignalInfo& sig, const std::optional<ast::Value>& v, Range where) -> std::optional<std::optional<Scalar>> {
    if (sig.type == ValueType::event) {
      if (v) {
        error(Code::test_value, v->range, fmt::format("`{}` is an event signal and takes no value", sig.name));
        return std::nullopt;
      }
      return std::optional<Scalar>{};
    }
    if (!v) {
      error(Code::test_value, where, fmt::format("`{}` is {}; give its value with `= ...`", sig.name, describe_signal(sig)));
      return std::nullopt;
    }
    auto s = check_value(*v, sig.type, sig.members, fmt::format("`{}`", sig.name));
    if (!s) return std::nullopt;
    return std::optional<Scalar>{*s};
  };

  struct PendingEvent {
    const ast::EntityId* entity;
    Range range;
  };
  std::vector<PendingEvent> pending;  // entities checked after all items are read

  auto signal_for = [&](const ast::Name& n) -> const SignalInfo* {
    auto idx = resolve(n, SymbolKind::signal);
    return idx ? &model_.signals[*idx] : nullptr;
  };

  for (const auto& item : d.items) {
    std::visit(
        [&](const auto& it) {
          using T = std::decay_t<decltype(it)>;
          if constexpr (std::is_same_v<T, ast::TestSpanItem>) {
            if (span_range) {
              auto& e = error(Code::test_span, item.range, "a test has one `from ... to ...`");
              first_note(e, *span_range);
              return;
            }
            span_range = item.range;
            test.from = instant(it.from);
            test.to = instant(it.to);
            if (test.from && test.to && *test.from >= *test.to) {
              error(Code::test_span, item.range, "the test's span is empty: `from` must be before `to`");
            }
          } else if constexpr (std::is_same_v<T, ast::TestSetItem>) {
            const Symbol* s = lookup(it.param.text);
            if (s == nullptr || s->kind != SymbolKind::param) {
              unknown("param", it.param, {SymbolKind::param});
              return;
            }
            const ParamInfo& p = model_.params[s->index];
            ast::Value v = it.value;
            if (auto q = quantity(v, p.value.type, fmt::format("param `{}`", p.name))) {
              test.params.emplace_back(s->index, q->literal);
            }
          } else if constexpr (std::is_same_v<T, ast::TestSiteItem>) {
            if (auto [pos, inserted] = sites.try_emplace(it.id.text, it.id.range); !inserted) {
              auto& e = error(Code::test_entity, it.id.range, fmt::format("site `{}` is declared twice", it.id.text));
              first_note(e, pos->second);
              return;
            }
            test.sites.push_back(TestEntity{it.id.text, "", attributes(it.attributes, Level::site, it.id.text, item.range), it.id.range});
          } else if constexpr (std::is_same_v<T, ast::TestDeviceItem>) {
            if (auto [pos, inserted] = devices.try_emplace(it.id.text, it.id.range); !inserted) {
              auto& e = error(Code::test_entity, it.id.range, fmt::format("device `{}` is declared twice", it.id.text));
              first_note(e, pos->second);
              return;
            }
            if (!sites.contains(it.site.text)) {
              error(Code::test_entity, it.site.range,
                    fmt::format("device `{}` is at site `{}`, which this test has not declared (before it) with `site {}`",
                                it.id.text, it.site.text, it.site.text));
            }
            test.devices.push_back(
                TestEntity{it.id.text, it.site.text, attributes(it.attributes, Level::device, it.id.text, item.range), it.id.range});
          } else if constexpr (std::is_same_v<T, ast::TestEventItem>) {
            const SignalInfo* sig = signal_for(it.signal);
            auto t = instant(it.at);
            if (sig == nullptr || !t) return;
            auto v = event_value(*sig, it.value, item.range);
            if (!v) return;
            if (!within_budget(1, item.range)) return;
            pending.push_back({&it.entity, item.range});
            test.events.push_back(test_event(*t, it.entity.text, *sig, *v, item.range));
          } else if constexpr (std::is_same_v<T, ast::TestRepeatItem>) {
            const SignalInfo* sig = signal_for(it.signal);
            auto every = it.daily_at ? std::nullopt : duration(it.every, "`every`");
            auto from = instant(it.from);
            auto to = instant(it.to);
            if (sig == nullptr || (!it.daily_at && !every) || !from || !to) return;
            auto v = event_value(*sig, it.value, item.range);
            if (!v) return;
            if (*from >= *to) {
              error(Code::test_value, item.range, "`every ... from ... to ...` needs `from` before `to`");
              return;
            }
            if (it.daily_at) {
              // Each local day at that time of day in the contract's zone, following its
              // daylight-saving changes (SPEC 2: a time in a gap is the gap's end, a
              // repeated one its earlier occurrence).
              if ((*to - *from) / ms_per_day > 5'000'000) {
                error(Code::test_value, item.range, "this repetition makes more than 5,000,000 events; use a shorter span");
                return;
              }
              if (!within_budget((*to - *from) / ms_per_day + 2, item.range)) return;
              pending.push_back({&it.entity, item.range});
              TestEvent e = test_event(*from, it.entity.text, *sig, *v, item.range);
              e.daily_clock = static_cast<Millis>(it.daily_at->hour) * 3'600'000 + static_cast<Millis>(it.daily_at->minute) * 60'000;
              e.until = *to;
              test.events.push_back(std::move(e));
              return;
            }
            Millis step = every->literal.ms;
            if ((*to - *from) / step > 5'000'000) {
              error(Code::test_value, item.range, "this repetition makes more than 5,000,000 events; use a longer step");
              return;
            }
            if (!within_budget((*to - *from + step - 1) / step, item.range)) return;
            pending.push_back({&it.entity, item.range});
            TestEvent e = test_event(*from, it.entity.text, *sig, *v, item.range);
            e.every = step;
            e.until = *to;
            test.events.push_back(std::move(e));
          } else if constexpr (std::is_same_v<T, ast::TestExpectItem>) {
            TestExpectation ex;
            ex.what = it.what;
            ex.range = item.range;
            ex.verdict = it.verdict;
            if (it.sla) {
              auto s = sla_names_.find(it.sla->text);
              if (s == sla_names_.end()) {
                auto& e = error(Code::unknown_name, it.sla->range, fmt::format("unknown SLA or KPI `{}`", it.sla->text));
                suggest(e, it.sla->text, [&] { return sorted_names(sla_names_); });
                return;
              }
              ex.sla = s->second;
              const SlaInfo& sla = model_.slas[s->second];
              bool judged = it.what == ast::ExpectWhat::met || it.what == ast::ExpectWhat::breached ||
                            it.what == ast::ExpectWhat::near_miss || it.what == ast::ExpectWhat::not_near_miss ||
                            it.what == ast::ExpectWhat::penalty;
              if (sla.is_kpi && judged) {
                error(Code::test_value, item.range,
                      fmt::format("`{}` is a KPI: it is measured, not judged, so it has no met, breach, near miss or penalty", sla.name));
                return;
              }
              if (it.verdict && !(it.what == ast::ExpectWhat::met || it.what == ast::ExpectWhat::breached ||
                                  it.what == ast::ExpectWhat::penalty)) {
                error(Code::test_value, item.range, "a verdict is met or breached and has a penalty; expect one of those");
                return;
              }
              if (it.what == ast::ExpectWhat::rounded_attainment && !sla.rounding) {
                error(Code::test_value, item.range,
                      fmt::format("`{}` has no `rounded to`, so it has no rounded attainment; expect its `attainment`", sla.name));
                return;
              }
              if (it.verdict && it.group) {
                error(Code::test_value, it.group->range, "a verdict is for the whole estate; drop `on ...`");
                return;
              }
              if (!expectation_fits_measure(sla, it, item.range)) return;
              if (device_average(sla.requirement.kind) &&
                  (it.what == ast::ExpectWhat::outages || it.what == ast::ExpectWhat::longest_outage)) {
                error(Code::average_outage, item.range,
                      fmt::format("`{}` is measured `on average`, where outages are not defined (they are null in its "
                                  "rows); expect its attainment, measured or good time instead",
                                  sla.name));
                return;
              }
            }
            if (it.group) ex.group = it.group->text;
            if (it.window) {
              ex.window_start = instant(*it.window);
              if (!it.window->has_offset) ex.window_local = local_instant(*it.window);
            }
            auto fraction = [&](const ast::Value& v) -> std::optional<Decimal> {
              if (const auto* p = std::get_if<ast::PercentLit>(&v.v)) {
                Decimal f = p->value;
                f.scale = static_cast<std::uint8_t>(f.scale + 2);
                if (f.scale > Decimal::max_scale) return std::nullopt;
                return f.normalized();
              }
              if (const auto* n = std::get_if<ast::NumberLit>(&v.v)) return n->value;
              error(Code::test_value, v.range, fmt::format("expected a percentage (or a fraction), found {}", describe_value_kind(v)));
              return std::nullopt;
            };
            switch (it.what) {
              case ast::ExpectWhat::attainment:
                if (auto f = fraction(*it.value)) {
                  // A mean of numbers may be any number; against a fixed duration an
                  // attainment is negative once the downtime exceeds D (SPEC 4.4).
                  const SlaInfo* judged_sla = ex.sla ? &model_.slas[*ex.sla] : nullptr;
                  bool mean = judged_sla && judged_sla->requirement.kind == RequirementKind::mean;
                  bool of_duration = judged_sla && judged_sla->target_of;
                  if (!mean && (*f > Decimal::integer(1) || (!of_duration && *f < Decimal::integer(0)))) {
                    error(Code::percent_range, it.value->range,
                          of_duration ? "an attainment against a fixed duration is at most 100% (and negative when the "
                                          "downtime exceeds the duration)"
                                        : "an attainment is between 0% and 100%");
                    return;
                  }
                  ex.number = *f;
                } else {
                  return;
                }
                if (it.tolerance) {
                  if (auto f = fraction(*it.tolerance)) ex.tolerance = *f;
                  else return;
                }
                break;
              case ast::ExpectWhat::rounded_attainment:
                if (auto f = fraction(*it.value)) ex.number = *f;
                else return;
                break;
              case ast::ExpectWhat::penalty:
              case ast::ExpectWhat::total_penalty:
                if (auto q = amount(*it.value, "an expected penalty")) ex.number = q->literal.number;
                else return;
                break;
              case ast::ExpectWhat::outages:
                if (auto q = count(*it.value, "an expected number of outages")) ex.number = q->literal.number;
                else return;
                break;
              case ast::ExpectWhat::events:
              case ast::ExpectWhat::good_events:
                if (auto q = count(*it.value, "an expected number of events")) ex.number = q->literal.number;
                else return;
                break;
              case ast::ExpectWhat::longest_outage:
              case ast::ExpectWhat::measured:
              case ast::ExpectWhat::good:
              case ast::ExpectWhat::downtime:
                if (auto q = duration(*it.value, "an expected duration", true)) ex.ms = q->literal.ms;
                else return;
                break;
              default:
                break;
            }
            test.expectations.push_back(std::move(ex));
          }
        },
        item.v);
  }
  for (const auto& p : pending) {
    if (!sites.contains(p.entity->text) && !devices.contains(p.entity->text)) {
      error(Code::test_entity, p.entity->range,
            fmt::format("`{}` is neither a site nor a device of this test", p.entity->text));
    }
  }
  for (const auto& ev : test.events) {
    const SignalInfo& sig = model_.signals[ev.signal];
    bool is_site = sites.contains(ev.entity);
    bool is_device = devices.contains(ev.entity);
    if ((is_site && sig.level == Level::device) || (is_device && sig.level == Level::site)) {
      error(Code::test_value, ev.range,
            fmt::format("`{}` is a {} signal, but `{}` is a {}", sig.name, sig.level == Level::site ? "site" : "device",
                        ev.entity, is_site ? "site" : "device"));
      break;
    }
  }
  model_.tests.push_back(std::move(test));
}

}  // namespace slac::checking
