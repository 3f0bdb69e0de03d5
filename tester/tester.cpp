// The test runner: a world per test block, one evaluation, every expectation checked
// exactly (attainment within an optional tolerance).
#include "tester/tester.hpp"

#include <fmt/format.h>

#include "base/time.hpp"
#include "compiler/plan.hpp"
#include "compiler/targets.hpp"
#include "runtime/calendar.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/output.hpp"

namespace slac::rt {

Dataset test_dataset(const Model& model, const TestInfo& test) {
  Dataset data;
  data.events_file = "(test)";
  auto fill = [&](const std::vector<TestAttr>& given, Level level) {
    std::vector<Scalar> values(model.attributes.size());
    for (std::size_t a = 0; a < model.attributes.size(); ++a) {
      if (model.attributes[a].level == level && model.attributes[a].default_value) values[a] = *model.attributes[a].default_value;
    }
    for (const auto& t : given) values[t.attribute] = t.value;
    return values;
  };
  std::optional<std::size_t> tz;
  if (auto a = model.find_attribute(Level::site, "timezone"); a && model.attributes[*a].type == ValueType::timezone) tz = a;
  for (const auto& s : test.sites) {
    Site site;
    site.id = s.id;
    site.attributes = fill(s.attributes, Level::site);
    site.zone = model.timezone;
    if (tz && !site.attributes[*tz].text.empty()) site.zone = *find_zone(site.attributes[*tz].text);
    data.site_index.emplace(s.id, data.sites.size());
    data.sites.push_back(std::move(site));
  }
  for (const auto& d : test.devices) {
    Device dev;
    dev.id = d.id;
    dev.site = data.site_index.at(d.site);
    dev.attributes = fill(d.attributes, Level::device);
    data.device_index.emplace(d.id, data.devices.size());
    data.devices.push_back(std::move(dev));
  }
  data.size_tables(model.signals.size());
  for (const auto& e : test.events) {
    const SignalInfo& sig = model.signals[e.signal];
    RawEvent ev;
    ev.signal = static_cast<std::uint32_t>(e.signal);
    if (e.value) {
      switch (sig.type) {
        case ValueType::boolean: ev.value = e.value->flag ? 1 : 0; break;
        case ValueType::enumeration: ev.value = e.value->member; break;
        case ValueType::number:
          ev.value = static_cast<std::uint32_t>(data.numbers.size());
          data.numbers.push_back(e.value->number);
          break;
        case ValueType::string:
        case ValueType::timezone: {
          auto& table = data.strings[e.signal];
          auto it = std::find(table.begin(), table.end(), e.value->text);
          ev.value = static_cast<std::uint32_t>(it - table.begin());
          if (it == table.end()) table.push_back(e.value->text);
          break;
        }
        case ValueType::event: break;
      }
    }
    bool device_level = sig.level == Level::device;
    std::size_t entity = device_level ? data.device_index.at(e.entity) : data.site_index.at(e.entity);
    auto& events = device_level ? data.device_events[entity] : data.site_events[entity];
    auto& bounds = device_level ? data.device_bounds[entity] : data.site_bounds[entity];
    for_each_occurrence(e, model.timezone, [&](Millis time) {
      ev.time = time;
      ++data.counts.rows;
      ++data.counts.events;
      if (!data.earliest || time < *data.earliest) data.earliest = time;
      if (!data.latest || time > *data.latest) data.latest = time;
      events.push_back(ev);
      bounds.add(time);
    });
  }
  return data;
}

namespace {

std::string percent_text(const Decimal& fraction) {
  Decimal p = *multiply(fraction, 100);
  return p.to_string() + "%";
}

std::string attainment_percent(const std::optional<AttainmentRatio>& a) {
  if (!a) return "none";
  return fmt::format("{}%", static_cast<double>(a->num) * 100.0 / static_cast<double>(a->den));
}

}  // namespace

std::vector<TestResult> run_tests(const Model& model) {
  std::vector<TestResult> out;
  for (const auto& test : model.tests) {
    TestResult tr;
    tr.name = test.name;
    tr.where = test.decl;
    Dataset data = test_dataset(model, test);
    std::vector<ParamValue> params;
    for (const auto& p : model.params) params.push_back(p.value);
    for (const auto& [p, v] : test.params) params[p] = v;
    Plan plan = lower(model, params);
    std::string error;
    auto span = default_span(data, model.timezone, test.from, test.to, error);
    if (!span) {
      tr.passed = false;
      tr.error = error;
      out.push_back(std::move(tr));
      continue;
    }
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < model.slas.size(); ++i) all.push_back(i);
    Evaluation ev = evaluate(plan, data, span->from, span->to, all);

    for (const auto& x : test.expectations) {
      ExpectationResult er;
      er.where = x.range;
      const SlaPlan* sla = x.sla ? &plan.slas[*x.sla] : nullptr;
      auto where = [&](const ResultRow& r) {
        return fmt::format("{} on {} in {}", sla->name, r.group,
                           window_label(*sla, window_zone(model, ev, r.zone), r.window_start, r.window_end));
      };
      // Whether a window is the one named. With `in site timezone`, a window named without
      // an offset is read in the group's zone (SPEC 4.4): compared by its local start.
      auto local_name = sla && sla->window.site_zone && x.window_local;
      auto named_text = [&] {
        if (!local_name) return format_instant(*x.window_start);
        std::string local = format_instant(*x.window_local);
        local.pop_back();  // its `Z`
        return local + " (local time in the group's zone)";
      };
      auto named = [&](std::int64_t start, std::uint32_t zone) {
        if (!x.window_start) return true;
        if (local_name) return window_name(sla->window, window_zone(model, ev, zone), start) == WindowName{*x.window_local, false};
        return start == *x.window_start;
      };
      std::string expected;
      switch (x.what) {
        case ast::ExpectWhat::met: expected = "met"; break;
        case ast::ExpectWhat::breached: expected = "breached"; break;
        case ast::ExpectWhat::near_miss: expected = "a near miss"; break;
        case ast::ExpectWhat::not_near_miss: expected = "not a near miss"; break;
        case ast::ExpectWhat::attainment:
          expected = fmt::format("attainment {}{}", percent_text(x.number),
                                 x.tolerance == Decimal{} ? "" : fmt::format(" (within {})", percent_text(x.tolerance)));
          break;
        case ast::ExpectWhat::attainment_none: expected = "nothing measured"; break;
        case ast::ExpectWhat::penalty: expected = fmt::format("penalty {}", x.number.to_string()); break;
        case ast::ExpectWhat::outages:
          expected = fmt::format("{} outage{}", x.number.to_string(), x.number == Decimal::integer(1) ? "" : "s");
          break;
        case ast::ExpectWhat::longest_outage: expected = fmt::format("longest outage {}", format_duration(x.ms)); break;
        case ast::ExpectWhat::measured: expected = fmt::format("measured {}", format_duration(x.ms)); break;
        case ast::ExpectWhat::good: expected = fmt::format("good {}", format_duration(x.ms)); break;
        case ast::ExpectWhat::total_penalty: expected = fmt::format("total penalty {}", x.number.to_string()); break;
        case ast::ExpectWhat::events: expected = fmt::format("{} events", x.number.to_string()); break;
        case ast::ExpectWhat::good_events: expected = fmt::format("{} good events", x.number.to_string()); break;
        case ast::ExpectWhat::rounded_attainment: expected = "rounded attainment " + percent_text(x.number); break;
        case ast::ExpectWhat::downtime: expected = fmt::format("downtime {}", format_duration(x.ms)); break;
      }
      er.expected = expected;
      if (x.what == ast::ExpectWhat::total_penalty) {
        er.passed = ev.total_penalty == x.number;
        er.got = fmt::format("total penalty {}", ev.total_penalty.to_string());
        tr.passed &= er.passed;
        tr.expectations.push_back(std::move(er));
        continue;
      }
      // A passed expectation says what it got too: the one result it looked at, or the
      // first of several, all as expected.
      std::size_t matched = 0;
      std::string first_got;
      auto passed_got = [&] {
        return matched == 1 ? first_got : fmt::format("{}, and {} more as expected", first_got, matched - 1);
      };
      if (x.verdict) {
        bool any = false;
        er.passed = true;
        for (const auto& v : ev.verdicts) {
          if (v.sla != *x.sla || !named(v.window_start, v.zone)) continue;
          any = true;
          bool ok = x.what == ast::ExpectWhat::met       ? v.met
                    : x.what == ast::ExpectWhat::breached ? !v.met
                                                          : v.penalty == x.number;
          std::string got = fmt::format("{} for {} in {}", x.what == ast::ExpectWhat::penalty ? "penalty " + v.penalty.to_string() : v.met ? "met" : "breached",
                                        sla->name, window_label(*sla, window_zone(model, ev, v.zone), v.window_start, v.window_end));
          if (matched++ == 0) first_got = got;
          if (!ok && er.passed) {
            er.passed = false;
            er.got = std::move(got);
          }
        }
        if (any && er.passed) er.got = passed_got();
        if (!any) {
          er.passed = false;
          er.got = fmt::format("no verdict of {}{}", sla->name, x.window_start ? " starting " + named_text() : "");
          if (x.window_start && sla->window.site_zone && !local_name) {
            er.got += "; a verdict of windows `in site timezone` covers the groups whose windows start at the same "
                      "local time: name it by that local start, without an offset";
          }
        }
        tr.passed &= er.passed;
        tr.expectations.push_back(std::move(er));
        continue;
      }
      bool any = false;
      er.passed = true;
      for (const auto& r : ev.rows) {
        if (r.sla != *x.sla || (x.group && r.group != *x.group) || !named(r.window_start, r.zone)) continue;
        any = true;
        bool ok = true;
        std::string got;
        auto attainment = attainment_ratio(*sla, r.measured, r.good);
        switch (x.what) {
          case ast::ExpectWhat::met:
          case ast::ExpectWhat::breached:
            ok = (x.what == ast::ExpectWhat::met) == r.met;
            got = r.met ? "met" : "breached";
            break;
          case ast::ExpectWhat::near_miss:
          case ast::ExpectWhat::not_near_miss:
            ok = (x.what == ast::ExpectWhat::near_miss) == r.near_miss;
            got = r.near_miss ? "a near miss" : "not a near miss";
            break;
          case ast::ExpectWhat::attainment: {
            if (!attainment) {
              ok = false;
            } else {
              Decimal lo = *add(x.number, Decimal{-x.tolerance.units, x.tolerance.scale});
              Decimal hi = *add(x.number, x.tolerance);
              ok = r.mean ? r.mean->compare_fraction(lo) >= 0 && r.mean->compare_fraction(hi) <= 0
                          : ratio_at_least(attainment->num, attainment->den, lo) &&
                                ratio_at_most(attainment->num, attainment->den, hi);
            }
            got = "attainment " + (r.mean ? fmt::format("{}%", r.mean->to_double() * 100.0) : attainment_percent(attainment));
            break;
          }
          case ast::ExpectWhat::attainment_none:
            ok = r.measured == 0;
            got = "attainment " + attainment_percent(attainment);
            break;
          case ast::ExpectWhat::rounded_attainment:
            // Percent units in the row, a fraction in the expectation.
            ok = r.rounded_attainment && *r.rounded_attainment == *multiply(x.number, 100);
            got = r.rounded_attainment ? "rounded attainment " + r.rounded_attainment->to_string() + "%" : "attainment none";
            break;
          case ast::ExpectWhat::downtime:
            ok = r.measured - r.good == x.ms;
            got = "downtime " + format_duration(r.measured - r.good);
            break;
          case ast::ExpectWhat::penalty:
            ok = r.penalty.value_or(Decimal{}) == x.number;
            got = "penalty " + r.penalty.value_or(Decimal{}).to_string();
            break;
          case ast::ExpectWhat::outages:
            ok = Decimal::integer(static_cast<std::int64_t>(r.outages)) == x.number;
            got = fmt::format("{} outage{}", r.outages, r.outages == 1 ? "" : "s");
            break;
          case ast::ExpectWhat::longest_outage:
            ok = r.longest_outage == x.ms;
            got = "longest outage " + format_duration(r.longest_outage);
            break;
          case ast::ExpectWhat::measured:
            ok = r.measured == x.ms;
            got = "measured " + format_duration(r.measured);
            break;
          case ast::ExpectWhat::good:
            ok = r.good == x.ms;
            got = "good " + format_duration(r.good);
            break;
          // An event measure's row counts events in `measured` and `good`.
          case ast::ExpectWhat::events:
            ok = Decimal::integer(r.measured) == x.number;
            got = fmt::format("{} events", r.measured);
            break;
          case ast::ExpectWhat::good_events:
            ok = Decimal::integer(r.good) == x.number;
            got = fmt::format("{} good events", r.good);
            break;
          default:
            break;
        }
        if (matched++ == 0) first_got = fmt::format("{} for {}", got, where(r));
        if (!ok && er.passed) {
          er.passed = false;
          er.got = fmt::format("{} for {}", got, where(r));
        }
      }
      if (any && er.passed) er.got = passed_got();
      if (!any) {
        er.passed = false;
        er.got = fmt::format("no result for {}{}{}", sla->name, x.group ? " on " + *x.group : "",
                             x.window_start ? " in the window starting " + named_text() : "");
        // A window named by an instant inside it, not its start (a gas day from 05:00
        // named by its date): say which window holds that instant and how to name it.
        if (x.window_start) {
          for (const auto& r : ev.rows) {
            if (r.sla != *x.sla || (x.group && r.group != *x.group)) continue;
            const Zone& zone = window_zone(model, ev, r.zone);
            bool inside = local_name ? utc_to_local(zone, r.window_start) < *x.window_local &&
                                           *x.window_local < utc_to_local(zone, r.window_end)
                                     : r.window_start < *x.window_start && *x.window_start < r.window_end;
            if (inside) {
              er.got += fmt::format("; the window holding that instant starts at {0}: name a window by its start, "
                                    "`in {0}`",
                                    window_label(*sla, zone, r.window_start, r.window_end));
              break;
            }
          }
        }
      }
      tr.passed &= er.passed;
      tr.expectations.push_back(std::move(er));
    }
    out.push_back(std::move(tr));
  }
  return out;
}

}  // namespace slac::rt
