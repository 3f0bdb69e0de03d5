// Rendering evaluations: SPEC 5.1 JSON, CSV, and the finance table.
#include "runtime/output.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/time.hpp"
#include "compiler/targets.hpp"
#include "runtime/calendar.hpp"
#include "runtime/coverage.hpp"

namespace slac::rt {

// ---------------------------------------------------------------------------
// JSON

std::string json_string(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void JsonWriter::newline() {
  if (!pretty_) return;
  out_ += '\n';
  out_.append(stack_.size() * 2, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Level& l = stack_.back();
  if (!l.first) out_ += l.inline_ ? ", " : ",";
  if (!l.inline_) newline();
  l.first = false;
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  bool inline_parent = !stack_.empty() && stack_.back().inline_;
  stack_.push_back({true, inline_parent});
  return *this;
}

JsonWriter& JsonWriter::begin_inline_object() {
  before_value();
  out_ += '{';
  stack_.push_back({true, true});
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  Level l = stack_.back();
  stack_.pop_back();
  if (!l.first && !l.inline_) newline();
  out_ += '}';
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  bool inline_parent = !stack_.empty() && stack_.back().inline_;
  stack_.push_back({true, inline_parent});
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  Level l = stack_.back();
  stack_.pop_back();
  if (!l.first && !l.inline_) newline();
  out_ += ']';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  before_value();
  out_ += json_string(k);
  out_ += pretty_ || (!stack_.empty() && stack_.back().inline_) ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
  before_value();
  out_ += json_string(s);
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view text) {
  before_value();
  out_ += text;
  return *this;
}

std::string JsonWriter::take() {
  std::string s = std::move(out_);
  s += '\n';
  return s;
}

std::string seconds_text(std::int64_t ms) { return Decimal{ms, 3}.to_string(); }

std::string attainment_text(std::int64_t good, std::int64_t measured) {
  if (measured <= 0) return "null";
  // Both are exact in a double, so the division rounds once: the nearest double.
  return fmt::format("{}", static_cast<double>(good) / static_cast<double>(measured));
}

// good_s: good time, or under `mean of` the integral of its number (SPEC 4.4).
std::string good_seconds_text(const ResultRow& r) {
  return r.integral_s ? fmt::format("{}", *r.integral_s) : seconds_text(r.good);
}

std::string attainment_text(const ResultRow& r) {
  if (r.mean) return fmt::format("{}", r.mean->to_double());
  return attainment_text(r.good, r.measured);
}

std::string fraction_text(const Decimal& percent) {
  Decimal d = percent.normalized();
  d.scale = static_cast<std::uint8_t>(d.scale + 2);
  return d.to_string();
}

namespace {

void window_json(JsonWriter& w, std::int64_t start, std::int64_t end, const Zone* local = nullptr) {
  w.begin_inline_object();
  w.key("start").string(local ? format_local_instant(*local, start) : format_instant(start));
  w.key("end").string(local ? format_local_instant(*local, end) : format_instant(end));
  w.end_object();
}

}  // namespace

bool per_group_penalty(const SlaPlan& s) {
  return s.grouping != GroupingKind::every_site && s.grouping != GroupingKind::percent_of_sites;
}

// An event measure's row holds counts of events where others hold time (SPEC 4.4).
bool counts_events(const SlaPlan& s) { return s.requirement == RequirementKind::events; }

// The row's attainment as the SLA defines it (against a fixed duration, SPEC 4.4).
std::string row_attainment_text(const SlaPlan& s, const ResultRow& r) {
  if (!s.target_of || r.mean || counts_events(s)) return attainment_text(r);
  auto a = attainment_ratio(s, r.measured, r.good);
  return a ? fmt::format("{}", attainment_double(*a)) : "null";
}

std::string rounded_text(const ResultRow& r) {
  if (!r.rounded_attainment) return "null";
  Decimal fraction = r.rounded_attainment->normalized();
  fraction.scale = static_cast<std::uint8_t>(fraction.scale + 2);  // the double nearest to the exact fraction
  return fmt::format("{}", fraction.to_double());
}

namespace {

bool any_rounding(const Plan& plan) {
  return std::any_of(plan.slas.begin(), plan.slas.end(), [](const SlaPlan& s) { return s.rounding.has_value(); });
}

}  // namespace

std::string eval_json(const Plan& plan, const Evaluation& ev, const DataCounts& counts, const Dataset* data,
                      const Coverage* coverage, const std::vector<Warning>* warnings) {
  const Model& m = *plan.model;
  JsonWriter w;
  w.begin_object();
  w.key("contract").string(m.name);
  if (m.currency) w.key("currency").string(*m.currency);
  else w.key("currency").null();
  w.key("from").string(format_instant(ev.from));
  w.key("to").string(format_instant(ev.to));
  w.key("results").begin_array();
  for (const auto& r : ev.rows) {
    const SlaPlan& s = plan.slas[r.sla];
    w.begin_object();
    w.key("sla").string(s.name);
    w.key("kind").string(s.is_kpi ? "kpi" : "sla");
    w.key("window");
    window_json(w, r.window_start, r.window_end);
    w.key("group").string(r.group);
    if (counts_events(s)) {
      w.key("measured_s").null();
      w.key("good_s").null();
      w.key("measured_events").raw(std::to_string(r.measured));
      w.key("good_events").raw(std::to_string(r.good));
    } else {
      w.key("measured_s").raw(seconds_text(r.measured));
      w.key("good_s").raw(good_seconds_text(r));
    }
    w.key("attainment").raw(row_attainment_text(s, r));
    if (s.rounding) w.key("rounded_attainment").raw(rounded_text(r));
    if (r.outages_defined && !counts_events(s)) {
      w.key("outages").raw(std::to_string(r.outages));
      w.key("longest_outage_s").raw(seconds_text(r.longest_outage));
    } else {
      w.key("outages").null();
      w.key("longest_outage_s").null();
    }
    if (s.is_kpi) {
      w.key("target").null();
      w.key("met").null();
      w.key("near_miss").null();
      w.key("penalty").null();
    } else {
      if (s.target) w.key("target").raw(fraction_text(*s.target));
      else w.key("target").null();
      w.key("met").boolean(r.met);
      w.key("near_miss").boolean(r.near_miss);
      if (r.penalty && per_group_penalty(s)) w.key("penalty").raw(r.penalty->to_string());
      else w.key("penalty").null();
    }
    w.end_object();
  }
  w.end_array();
  w.key("verdicts").begin_array();
  for (const auto& v : ev.verdicts) {
    w.begin_object();
    w.key("sla").string(plan.slas[v.sla].name);
    w.key("window");
    // With `in site timezone`, the local window in its first group's zone (SPEC 4.4).
    window_json(w, v.window_start, v.window_end, v.local_window ? &window_zone(m, ev, v.zone) : nullptr);
    w.key("groups").raw(std::to_string(v.groups));
    w.key("groups_met").raw(std::to_string(v.groups_met));
    w.key("met").boolean(v.met);
    w.key("penalty").raw(v.penalty.to_string());
    w.end_object();
  }
  w.end_array();
  w.key("totals").begin_inline_object();
  w.key("penalty").raw(ev.total_penalty.to_string());
  w.end_object();
  w.key("data").begin_inline_object();
  w.key("events").raw(std::to_string(counts.events));
  w.key("skipped_rows").raw(std::to_string(counts.skipped_rows));
  w.key("unknown_entities").raw(std::to_string(counts.unknown_entities));
  w.key("undeclared_signals").raw(std::to_string(counts.undeclared_signals));
  w.end_object();
  if (data && coverage) coverage_json(w, *data, *coverage);
  if (warnings) warnings_json(w, plan, *warnings);
  w.end_object();
  return w.take();
}

// ---------------------------------------------------------------------------
// CSV

namespace {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string eval_csv(const Plan& plan, const Evaluation& ev) {
  // A contract with a rounded target gets one more column, and one with event measures
  // two more, at the end, so that the columns of contracts without them stay as they were.
  bool rounds = any_rounding(plan);
  bool any_events = std::any_of(ev.rows.begin(), ev.rows.end(), [&](const ResultRow& r) { return counts_events(plan.slas[r.sla]); });
  std::string out =
      "sla,kind,window_start,window_end,group,measured_s,good_s,attainment,outages,longest_outage_s,target,met,near_miss,penalty";
  if (rounds) out += ",rounded_attainment";
  out += any_events ? ",measured_events,good_events\n" : "\n";
  for (const auto& r : ev.rows) {
    const SlaPlan& s = plan.slas[r.sla];
    bool events = counts_events(s);
    std::string att = row_attainment_text(s, r);
    if (events) {
      out += fmt::format("{},{},{},{},{},,,{},,,", csv_field(s.name), s.is_kpi ? "kpi" : "sla",
                         format_instant(r.window_start), format_instant(r.window_end), csv_field(r.group),
                         att == "null" ? "" : att);
    } else {
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},", csv_field(s.name), s.is_kpi ? "kpi" : "sla",
                         format_instant(r.window_start), format_instant(r.window_end), csv_field(r.group),
                         seconds_text(r.measured), good_seconds_text(r), att == "null" ? "" : att,
                         r.outages_defined ? std::to_string(r.outages) : "",
                         r.outages_defined ? seconds_text(r.longest_outage) : "");
    }
    if (s.is_kpi) {
      out += ",,,";
    } else {
      out += fmt::format("{},{},{},{}", s.target ? fraction_text(*s.target) : "", r.met ? "true" : "false",
                         r.near_miss ? "true" : "false",
                         r.penalty && per_group_penalty(s) ? r.penalty->to_string() : "");
    }
    if (rounds) out += "," + (r.rounded_attainment ? rounded_text(r) : std::string());
    if (any_events) out += events ? fmt::format(",{},{}", r.measured, r.good) : ",,";
    out += '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------
// Table

std::string human_duration(std::int64_t ms) {
  if (ms == 0) return "0s";
  std::int64_t s = ms / 1000;
  std::int64_t d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60;
  if (d > 0) return h > 0 ? fmt::format("{}d {}h", d, h) : fmt::format("{}d", d);
  if (h > 0) return m > 0 ? fmt::format("{}h {}m", h, m) : fmt::format("{}h", h);
  if (m > 0) return sec > 0 ? fmt::format("{}m {}s", m, sec) : fmt::format("{}m", m);
  if (sec > 0) return fmt::format("{}s", sec);
  return fmt::format("{}ms", ms);
}

std::string exact_duration(std::int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  std::int64_t rest = ms < 0 ? -ms : ms;
  for (auto [unit, name] : {std::pair<std::int64_t, const char*>{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"},
                            {1, "ms"}}) {
    if (rest >= unit) {
      out += fmt::format("{}{}{}", out.empty() ? "" : " ", rest / unit, name);
      rest %= unit;
    }
  }
  return ms < 0 ? "-" + out : out;
}

std::string money(const Decimal& amount, const std::optional<std::string>& currency) {
  std::string out = group_thousands(amount.to_string());
  return currency ? out + " " + *currency : out;
}

// A penalty as the table's heading states it: a plain amount as money, an expression
// (SPEC 4.4) as written, params resolved.
std::string amount_terms(const PlanAmount& amount, const std::optional<std::string>& currency) {
  const AmountNode& first = amount.postfix.front();
  if (amount.postfix.size() == 1 && first.kind == AmountNodeKind::literal && !first.percent) {
    return money(first.number, currency);
  }
  return amount.text;
}

std::string window_label(const SlaPlan& sla, const Zone& zone, std::int64_t start, std::int64_t end) {
  auto date = [&](std::int64_t t) {
    int y;
    unsigned m, d;
    civil_from_days(local_day(zone, t), y, m, d);
    return std::make_tuple(y, m, d);
  };
  auto hm = [&](std::int64_t t) {
    std::int64_t local = utc_to_local(zone, t);
    std::int64_t in_day = local - floor_div(local, ms_per_day) * ms_per_day;
    return fmt::format("{:02}:{:02}", in_day / 3'600'000, (in_day / 60'000) % 60);
  };
  auto [y, m, d] = date(start);
  if (sla.window.calendar()) {
    // Windows `starting HH:MM` show the local time they start at.
    std::string at = sla.window.start_minute != 0 ? " " + hm(start) : "";
    switch (sla.window.unit) {
      case ast::CalendarUnit::day: return fmt::format("{:04}-{:02}-{:02}{}", y, m, d, at);
      case ast::CalendarUnit::week: return fmt::format("week of {:04}-{:02}-{:02}{}", y, m, d, at);
      case ast::CalendarUnit::month: return fmt::format("{:04}-{:02}{}", y, m, at);
      case ast::CalendarUnit::quarter: return fmt::format("{:04}-Q{}{}", y, (m - 1) / 3 + 1, at);
      case ast::CalendarUnit::year: return fmt::format("{:04}{}", y, at);
    }
  }
  auto [y2, m2, d2] = date(end);
  if (sla.window.rolling_unit == ast::RollingUnit::hours) {
    return fmt::format("{:04}-{:02}-{:02} {} .. {:04}-{:02}-{:02} {}", y, m, d, hm(start), y2, m2, d2, hm(end));
  }
  return fmt::format("{:04}-{:02}-{:02} .. {:04}-{:02}-{:02}", y, m, d, y2, m2, d2);
}

namespace {

struct Paint {
  bool on;
  std::string operator()(std::string_view code, std::string_view text) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
};

// `counted in 1m intervals, failed if any`, as the terms of an SLA's heading say it.
std::string counted_terms(const SlaPlan::Counting& c) {
  std::string how = c.failed_if == ast::FailedIf::any   ? "any"
                    : c.failed_if == ast::FailedIf::all ? "all"
                                                        : fmt::format("over {}%", c.over.to_string());
  return fmt::format("counted in {} intervals, failed if {}", format_duration(c.length), how);
}

std::string percent_text(std::int64_t good, std::int64_t measured) {
  if (measured <= 0) return "n/a";
  return fmt::format("{:.2f}%", 100.0 * static_cast<double>(good) / static_cast<double>(measured));
}

}  // namespace

std::string percent_text(const ResultRow& r) {
  if (r.mean) return fmt::format("{:.2f}%", 100.0 * r.mean->to_double());
  return percent_text(r.good, r.measured);
}

// A breach's or near miss's attainment: against a fixed duration when the SLA says
// so, and the rounded value the SLA judged by after it (`96.96% (97%)`).
std::string row_percent_text(const SlaPlan& s, const ResultRow& r) {
  if (!s.target_of && !s.rounding) return percent_text(r);
  std::string out;
  if (r.mean) {
    out = percent_text(r);
  } else {
    auto a = attainment_ratio(s, r.measured, r.good);
    if (!a) return "n/a";
    out = fmt::format("{:.2f}%", 100.0 * attainment_double(*a));
  }
  if (r.rounded_attainment) out += fmt::format(" ({}%)", r.rounded_attainment->to_string());
  return out;
}

// The target as the table's terms line gives it.
std::string target_terms(const SlaPlan& s) {
  if (!has_target_form(s)) return fmt::format("target {}%", s.target->to_string());
  std::string out = fmt::format("target {}{}%", s.target_more_than ? "more than " : "", s.target->to_string());
  if (s.target_of) out += " of " + exact_duration(*s.target_of);
  if (s.rounding) out += fmt::format(" rounded to {}%", s.rounding->to_string());
  return out;
}

std::string eval_table(const Plan& plan, const Evaluation& ev, const DataCounts& counts, bool color,
                       const std::vector<Warning>* warnings) {
  const Model& m = *plan.model;
  Paint paint{color};
  std::string out;
  out += paint("1", m.name);
  if (m.customer) out += fmt::format(" for {}", *m.customer);
  int fy, ty;
  unsigned fm, fd, tm, td;
  civil_from_days(local_day(m.timezone, ev.from), fy, fm, fd);
  civil_from_days(local_day(m.timezone, ev.to), ty, tm, td);
  out += fmt::format("\n{:04}-{:02}-{:02} to {:04}-{:02}-{:02} ({}), {} events\n", fy, fm, fd, ty, tm, td, m.timezone.name,
                     counts.events);
  std::map<std::size_t, std::vector<const Verdict*>> verdicts;
  for (const auto& v : ev.verdicts) verdicts[v.sla].push_back(&v);
  std::map<std::size_t, std::vector<const ResultRow*>> rows;
  for (const auto& r : ev.rows) rows[r.sla].push_back(&r);
  std::vector<std::size_t> order;
  for (const auto& r : ev.rows) {
    if (order.empty() || order.back() != r.sla) {
      if (std::find(order.begin(), order.end(), r.sla) == order.end()) order.push_back(r.sla);
    }
  }
  for (const auto& v : ev.verdicts) {
    if (std::find(order.begin(), order.end(), v.sla) == order.end()) order.push_back(v.sla);
  }
  // An SLA that judged nothing still gets its section, with the reason.
  std::map<std::size_t, std::string> nothing_judged;
  if (warnings) {
    for (const auto& x : *warnings) {
      if (!x.sla || !judged_nothing(ev, *x.sla)) continue;
      nothing_judged[*x.sla] = x.message.substr(x.message.find(": ") + 2);
      if (std::find(order.begin(), order.end(), *x.sla) == order.end()) order.push_back(*x.sla);
    }
  }
  std::sort(order.begin(), order.end());
  for (std::size_t i : order) {
    const SlaPlan& s = plan.slas[i];
    out += '\n';
    std::string terms;
    if (s.target) terms += target_terms(s);
    if (s.max_downtime) {
      terms += fmt::format("{}downtime {} {}", terms.empty() ? "" : ", ", s.downtime_less_than ? "under" : "at most",
                           exact_duration(*s.max_downtime));
    }
    if (s.max_outage) terms += fmt::format("{}no outage over {}", terms.empty() ? "" : ", ", exact_duration(*s.max_outage));
    if (s.counted) terms += fmt::format("{}{}", terms.empty() ? "" : ", ", counted_terms(*s.counted));
    if (s.penalty) terms += fmt::format("{}penalty {}", terms.empty() ? "" : ", ", amount_terms(*s.penalty, m.currency));
    if (!s.tiers.empty()) terms += fmt::format("{}tiered penalties", terms.empty() ? "" : ", ");
    if (s.cap) terms += fmt::format(", capped at {}", amount_terms(*s.cap, m.currency));
    if (s.window.site_zone) terms += fmt::format("{}windows in each site's time zone", terms.empty() ? "" : ", ");
    out += paint("1", fmt::format("{} {}", s.is_kpi ? "KPI" : "SLA", s.name));
    if (!terms.empty()) out += fmt::format("  ({})", terms);
    out += '\n';
    // A row's window as a person reads it, in its own zone; and the key that gathers the
    // rows of one window (by local start with `in site timezone`, SPEC 4.4).
    auto label = [&](const ResultRow& r) { return window_label(s, window_zone(m, ev, r.zone), r.window_start, r.window_end); };
    auto window_key = [&](std::int64_t start, std::int64_t end, std::uint32_t zone) -> std::pair<std::int64_t, std::int64_t> {
      if (!s.window.site_zone) return {start, end};
      WindowName name = window_name(s.window, window_zone(m, ev, zone), start);
      return {name.local, name.repeated ? 1 : 0};
    };
    auto local_window = [&](const ResultRow& r) { return window_key(r.window_start, r.window_end, r.zone); };
    if (auto it = nothing_judged.find(i); it != nothing_judged.end()) {
      out += paint("33", "  " + it->second) + '\n';
      continue;
    }
    if (s.is_kpi) {
      out += fmt::format("  {:<24} {:>7} {:>12} {:>12} {:>8}\n", "window", "groups", "lowest", "overall", "outages");
      std::map<std::pair<std::int64_t, std::int64_t>, std::vector<const ResultRow*>> by_window;
      for (const ResultRow* r : rows[i]) by_window[local_window(*r)].push_back(r);
      for (const auto& [w, rs] : by_window) {
        std::int64_t good = 0, measured = 0;
        double integral_s = 0;  // `mean of`
        std::uint64_t outages = 0;
        bool outages_defined = true;
        std::string lowest = "n/a";
        double low = 2;
        for (const ResultRow* r : rs) {
          good += r->good;
          measured += r->measured;
          integral_s += r->integral_s.value_or(0);
          outages += r->outages;
          outages_defined = outages_defined && r->outages_defined;
          if (r->measured > 0) {
            double a = r->mean ? r->mean->to_double() : static_cast<double>(r->good) / static_cast<double>(r->measured);
            if (a < low) {
              low = a;
              lowest = fmt::format("{} {}", percent_text(*r), r->group);
            }
          }
        }
        out += fmt::format("  {:<24} {:>7} {:>12} {:>12} {:>8}\n", label(*rs.front()),
                           rs.size(), lowest.substr(0, lowest.find(' ')),
                           s.requirement == RequirementKind::mean && measured > 0
                               ? fmt::format("{:.2f}%", 100.0 * integral_s * 1000.0 / static_cast<double>(measured))
                               : percent_text(good, measured),
                           counts_events(s)   ? std::string("n/a")
                           : outages_defined ? std::to_string(outages)
                                             : "-");
      }
      continue;
    }
    bool estate = !per_group_penalty(s);
    out += fmt::format("  {:<24} {:>7} {:>7} {:>9} {:>12} {:>16}\n", "window", "groups", "met", "breached", "near misses",
                       "penalty");
    std::map<std::pair<std::int64_t, std::int64_t>, std::uint64_t> near;
    for (const ResultRow* r : rows[i]) {
      if (r->near_miss) ++near[local_window(*r)];
    }
    Decimal sla_total;
    for (const Verdict* v : verdicts[i]) {
      std::string line = fmt::format("  {:<24} {:>7} {:>7} {:>9} {:>12} {:>16}",
                                     window_label(s, window_zone(m, ev, v->zone), v->window_start, v->window_end),
                                     v->groups, v->groups_met, v->groups - v->groups_met,
                                     near[window_key(v->window_start, v->window_end, v->zone)],
                                     money(v->penalty, m.currency));
      if (estate) line += v->met ? "  estate met" : "  estate BREACHED";
      out += (v->met ? line : paint("31", line)) + '\n';
      sla_total = add(sla_total, v->penalty).value_or(sla_total);
    }
    std::vector<const ResultRow*> breaches, misses;
    for (const ResultRow* r : rows[i]) {
      if (!r->met) breaches.push_back(r);
      else if (r->near_miss) misses.push_back(r);
    }
    auto detail = [&](const ResultRow* r) {
      std::string penalty = r->penalty && *r->penalty > Decimal{} ? money(*r->penalty, m.currency) : "";
      if (counts_events(s)) {
        return fmt::format("    {:<24} {:<16} {:>9}  {} of {} events good {}", label(*r),
                           r->group, row_percent_text(s, *r), r->good, r->measured, penalty);
      }
      if (!r->outages_defined) {
        return fmt::format("    {:<24} {:<16} {:>9}  {}", label(*r), r->group,
                           row_percent_text(s, *r), penalty);
      }
      return fmt::format("    {:<24} {:<16} {:>9}  outages {:>3}, longest {:<8} {}", label(*r),
                         r->group, row_percent_text(s, *r), r->outages, human_duration(r->longest_outage), penalty);
    };
    if (!breaches.empty()) {
      out += paint("1;31", fmt::format("  breaches ({}):", breaches.size())) + '\n';
      for (const ResultRow* r : breaches) out += paint("31", detail(r)) + '\n';
    }
    if (!misses.empty()) {
      out += paint("1;33", fmt::format("  near misses ({}, met below {}%):", misses.size(), s.warn ? s.warn->to_string() : "?")) + '\n';
      for (const ResultRow* r : misses) out += paint("33", detail(r)) + '\n';
    }
    out += fmt::format("  total penalty: {}\n", money(sla_total, m.currency));
  }
  out += '\n' + paint("1", fmt::format("Total penalty: {}", money(ev.total_penalty, m.currency))) + '\n';
  return out;
}

}  // namespace slac::rt
