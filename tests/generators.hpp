// Random contracts and worlds for differential and formatter tests.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/time.hpp"
#include "tests/oracle.hpp"

namespace slac::gen {

using Rng = std::mt19937_64;

inline int pick(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
inline bool chance(Rng& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
template <typename T>
inline const T& one_of(Rng& rng, const std::vector<T>& v) {
  return v[static_cast<std::size_t>(pick(rng, 0, static_cast<int>(v.size()) - 1))];
}

// A span around a daylight-saving change in each zone, as local dates.
struct Period {
  std::string zone;
  int y;
  unsigned m, d;
  int days;
};

inline const std::vector<Period>& periods() {
  static const std::vector<Period> p = {
      {"Europe/London", 2026, 3, 24, 12},    {"Europe/London", 2026, 10, 20, 12}, {"America/New_York", 2026, 3, 3, 12},
      {"America/New_York", 2026, 10, 27, 12}, {"Australia/Sydney", 2026, 3, 31, 12}, {"Australia/Sydney", 2026, 9, 29, 12},
      {"UTC", 2026, 2, 20, 14},
  };
  return p;
}

inline const std::vector<std::string> zones = {"Europe/London", "America/New_York", "Australia/Sydney", "UTC"};

// A date as YYYY-MM-DD.
inline std::string date_text(std::int64_t day) {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// A window of SPEC 4.4's "More windows", around the span that starts on `first_day`; a
// periods list it names goes to `declarations`.
inline std::string more_window(Rng& rng, std::int64_t first_day, std::string& declarations, int k) {
  static const std::vector<std::string> days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  // Times of day in the small hours meet the clock changes of the spans.
  auto at = [&] { return one_of(rng, std::vector<std::string>{"00:00", "00:30", "01:30", "02:00", "02:30", "05:00", "23:15"}); };
  switch (pick(rng, 0, 4)) {
    case 3: {
      std::vector<std::int64_t> days;
      for (int n = pick(rng, 2, 5); n > 0; --n) days.push_back(first_day + pick(rng, -3, 14));
      std::sort(days.begin(), days.end());
      days.erase(std::unique(days.begin(), days.end()), days.end());
      if (days.size() < 2) days.push_back(days.back() + pick(rng, 1, 3));
      std::vector<std::string> dates;
      for (auto d : days) dates.push_back(date_text(d));
      declarations += fmt::format("periods pp{} = {}\n", k, fmt::join(dates, ", "));
      return fmt::format("in any pp{} period", k);
    }
    case 4:
      return fmt::format("in any period of {} {} starting {}", pick(rng, 1, 3), chance(rng, 0.2) ? "weeks" : "days",
                         date_text(first_day + pick(rng, -9, 9)));
    case 1: return fmt::format("in any calendar day starting {}", at());
    case 2: return fmt::format("in any calendar week starting {} {}", one_of(rng, days), at());
    default: return fmt::format("in any rolling {} months", pick(rng, 1, 2));
  }
}

struct Case {
  std::string contract;
  oracle::World world;
  std::optional<std::string> from_text, to_text;  // dates for --from/--to
  std::int64_t span_start = 0, span_end = 0;      // for events
  bool jsonl = false;
};

inline std::string random_span_spec(Rng& rng) {
  static const std::vector<std::string> days = {"daily", "mon-fri", "sat", "sun", "fri-mon", "wed", "sat-sun"};
  int sh = pick(rng, 0, 23), sm = one_of(rng, std::vector<int>{0, 15, 30, 45});
  int eh = pick(rng, 0, 24), em = eh == 24 ? 0 : one_of(rng, std::vector<int>{0, 30});
  if (chance(rng, 0.15)) {  // a span across a DST change hour
    sh = 1;
    sm = 30;
    eh = 2;
    em = 30;
  }
  return fmt::format("{} {:02}:{:02}-{:02}:{:02}", one_of(rng, days), sh, sm, eh, em);
}

inline std::string random_atom(Rng& rng, int& uses_during) {
  switch (pick(rng, 0, 16)) {
    case 0: return fmt::format("seen heartbeat within {}m", one_of(rng, std::vector<int>{5, 10, 30, 60}));
    case 14:
    case 15:
    case 16:
      // Beats every 7 or 15 minutes leave gaps of exactly 2 or 10 minutes here.
      return fmt::format("(seen heartbeat within 5m ignoring gaps under {}m)", one_of(rng, std::vector<int>{2, 10}));
    case 1: return "status == ok";
    case 2: return "status != fault";
    case 3: return "status in { ok, degraded }";
    case 4: return "session != charging";
    case 5: return "session == charging";
    case 6: return "flag";
    case 7: return "temp > 20";
    case 8: return "temp <= 15.5";
    case 9: return "device.kind == rapid";
    case 10: return "site.vip";
    case 11:
      ++uses_during;
      return one_of(rng, std::vector<std::string>{"during cal_a", "during cal_b"});
    case 12: return "maintenance";
    default: return "seen temp within 20m";
  }
}

inline std::string random_expr(Rng& rng, int depth, int& uses_during) {
  if (depth <= 0 || chance(rng, 0.35)) return random_atom(rng, uses_during);
  switch (pick(rng, 0, 5)) {
    case 0: return fmt::format("({} and {})", random_expr(rng, depth - 1, uses_during), random_expr(rng, depth - 1, uses_during));
    case 1: return fmt::format("({} or {})", random_expr(rng, depth - 1, uses_during), random_expr(rng, depth - 1, uses_during));
    case 2: return fmt::format("not ({})", random_expr(rng, depth - 1, uses_during));
    case 3:
      return fmt::format("({} lasting at least {}m)", random_expr(rng, depth - 1, uses_during),
                         one_of(rng, std::vector<int>{1, 5, 10, 30, 90}));
    case 4:
      return fmt::format("({} ignoring gaps under {}m)", random_expr(rng, depth - 1, uses_during),
                         one_of(rng, std::vector<int>{2, 5, 10, 45}));
    default: return random_atom(rng, uses_during);
  }
}

// `A up to D each` or `A up to D per calendar UNIT`, with D shorter than the unit.
inline std::string random_capped(Rng& rng, const std::string& operand) {
  switch (pick(rng, 0, 4)) {
    case 0: return fmt::format("{} up to {} each", operand, one_of(rng, std::vector<std::string>{"10m", "45m", "3h", "1d"}));
    case 1: return fmt::format("{} up to {} per calendar day", operand, one_of(rng, std::vector<std::string>{"30m", "4h", "20h"}));
    case 2: return fmt::format("{} up to {} per calendar week", operand, one_of(rng, std::vector<std::string>{"3h", "1d"}));
    case 3: return fmt::format("{} up to {} per calendar month", operand, one_of(rng, std::vector<std::string>{"6h", "2d"}));
    default:
      return fmt::format("{} up to {} per calendar {}", operand, one_of(rng, std::vector<std::string>{"1h", "1d"}),
                         one_of(rng, std::vector<std::string>{"quarter", "year"}));
  }
}

// Makes clauses[2] an event measure, `CONDITION of SIGNAL events`, or its sugar
// `CONDITION for at least P% of SIGNAL events`; outage objectives and `counted in` go
// (they are errors with it), and `of CALENDAR` becomes `during CALENDAR` under the sugar.
inline void event_measure(Rng& rng, std::vector<std::string>& clauses, const std::string& state, bool by_site, bool kpi) {
  bool site = by_site && chance(rng, 0.3);
  std::string signal = site ? "maintenance" : one_of(rng, std::vector<std::string>{"status", "heartbeat", "session", "temp"});
  std::string condition = site ? one_of(rng, std::vector<std::string>{"maintenance", "not maintenance", "(during cal_b)"}) : state;
  // No outages, downtime or intervals with events (E530).
  clauses.erase(std::remove_if(clauses.begin() + 3, clauses.end(),
                               [](const std::string& c) { return c.starts_with("with ") || c.starts_with("counted in "); }),
                clauses.end());
  auto target = std::find_if(clauses.begin() + 3, clauses.end(), [](const std::string& c) { return c.starts_with("for "); });
  if (!kpi && target == clauses.end()) {
    clauses.push_back(fmt::format("for at least {}", one_of(rng, std::vector<std::string>{"target", "80%", "100%"})));
    target = clauses.end() - 1;
  }
  // Strict and rounded targets judge good events / counted events as usual; a fixed
  // duration (`of D`) is an error with events (E530).
  if (target != clauses.end()) {
    for (const char* d : {" of 2h", " of 1d", " of 30d", " of 525600m"}) {
      if (auto at = target->find(d); at != std::string::npos) target->erase(at, std::string_view(d).size());
    }
  }
  if (kpi || !chance(rng, 0.5)) {
    clauses[2] = fmt::format("{} of {} events", condition, signal);
    return;
  }
  clauses[2] = condition;
  // `for ... P% [of CAL] [rounded to Q%]` becomes `for ... P% of SIGNAL events [rounded
  // to Q%]`, the calendar moving to `during`.
  std::string objective = *target, rounded;
  if (auto r = objective.find(" rounded to "); r != std::string::npos) {
    rounded = objective.substr(r);
    objective.erase(r);
  }
  std::optional<std::string> during;
  if (auto of = objective.find(" of cal_"); of != std::string::npos) {
    during = "during " + objective.substr(of + 4);
    objective.erase(of);
  }
  *target = objective + fmt::format(" of {} events", signal) + rounded;
  if (during) clauses.push_back(*during);
}

// A random penalty amount (SPEC 4.4) over what the place allows: numbers, the params
// `fee` and `target`, percentages and `P% of`, the figures and the group's attributes.
// Divisions are by non-zero numbers only, so that no case is a data error.
inline std::string random_amount(Rng& rng, int depth, const std::vector<std::string>& atoms) {
  if (depth == 0 || chance(rng, 0.3)) return one_of(rng, atoms);
  switch (pick(rng, 0, 5)) {
    case 0: return random_amount(rng, depth - 1, atoms) + " + " + random_amount(rng, depth - 1, atoms);
    case 1: return random_amount(rng, depth - 1, atoms) + " - " + random_amount(rng, depth - 1, atoms);
    case 2: return random_amount(rng, depth - 1, atoms) + " * " + random_amount(rng, depth - 1, atoms);
    case 3: return random_amount(rng, depth - 1, atoms) + " / " + one_of(rng, std::vector<std::string>{"3", "7", "0.4", "12"});
    case 4: {
      std::vector<std::string> shares = {"10%", "33.5%", "target"};
      if (std::find(atoms.begin(), atoms.end(), "attainment") != atoms.end()) shares.push_back("attainment");
      return one_of(rng, shares) + " of " + random_amount(rng, depth - 1, atoms);
    }
    default: return "(" + random_amount(rng, depth - 1, atoms) + ")";
  }
}

// Replaces an SLA's penalty and tiers with random amount expressions, from a stream
// of its own: per-group penalties price the figures and the group's attribute.
inline void random_amounts(Rng& rng, std::vector<std::string>& clauses, int grouping, bool mean = false) {
  bool estate = grouping == 3 || grouping == 4;
  bool has_target = false, counts_events = false;
  for (const auto& cl : clauses) {
    has_target |= cl.starts_with("for ");
    counts_events |= cl.find(" events") != std::string::npos;
  }
  std::vector<std::string> atoms = {"3", "0.5", "12.25", "100", "fee", "target"};
  if (!estate) {
    atoms.push_back("attainment");
    if (has_target) atoms.push_back("shortfall");
    if (!counts_events && !mean) atoms.push_back("downtime_hours");  // a mean of numbers has no downtime
    if (grouping == 0) atoms.push_back("site.capacity");
    if (grouping == 1) atoms.push_back("device.weight");
  }
  auto amount = [&] { return random_amount(rng, 3, atoms); };
  for (auto& cl : clauses) {
    if (cl.starts_with("penalty {")) {
      cl = fmt::format("penalty {{ below 99%: {}, below 90%: {}, below 50%: {} }}", amount(), amount(), amount());
    } else if (cl.starts_with("penalty cap")) {
      cl = "penalty cap " + random_amount(rng, 2, {"3", "1500", "fee", "target"});
    } else if (cl.starts_with("penalty ")) {
      cl = "penalty " + amount();
    }
  }
}

// `mean of EXPR` (SPEC 4.4) in place of the requirement: a number signal that is
// unknown before its first event, attributes, a param, percentages, divisions that
// may divide by zero (a capacity of 0, a temperature of 20); no outage or downtime
// objectives, no `counted in`, no `of D`.
inline void mean_measure(Rng& rng, std::vector<std::string>& clauses, bool kpi) {
  static const std::vector<std::string> exprs = {"temp", "(temp - 10) / 20", "100% - temp / 100", "temp * device.weight / 10",
                                                 "1 / (temp - 20)", "temp / site.capacity - 50%", "n * temp + -3"};
  std::string unknown;
  if (chance(rng, 0.4)) unknown = ", unknown as " + one_of(rng, std::vector<std::string>{"0", "1", "-2.5", "n", "target"});
  clauses[2] = "mean of " + one_of(rng, exprs) + unknown;
  clauses.erase(std::remove_if(clauses.begin() + 3, clauses.end(),
                               [](const std::string& cl) { return cl.starts_with("with ") || cl.starts_with("counted in "); }),
                clauses.end());
  bool has_target = false;
  for (auto& cl : clauses) {
    if (!cl.starts_with("for ")) continue;
    has_target = true;
    for (const char* d : {" of 2h", " of 1d", " of 30d", " of 525600m"}) {
      if (auto at = cl.find(d); at != std::string::npos) cl.erase(at, std::string_view(d).size());
    }
  }
  if (!kpi && !has_target) clauses.push_back("for at least target");
}

// A random contract (valid by construction) and a random world for it.
inline Case make_case(std::uint64_t seed) {
  Rng rng(seed);
  Case c;
  const Period& period = one_of(rng, periods());
  std::string contract_zone = chance(rng, 0.7) ? period.zone : one_of(rng, zones);
  std::string cal_a_zone = one_of(rng, std::vector<std::string>{"", " in site timezone", " in \"Europe/London\"", " in \"America/New_York\""});
  std::int64_t first_day = days_from_civil(period.y, period.m, period.d);
  int hol_offset = pick(rng, 0, period.days - 1);
  int hy;
  unsigned hm, hd;
  civil_from_days(first_day + hol_offset, hy, hm, hd);

  std::string text = fmt::format(R"(contract "Differential {}"
  timezone "{}"
  currency EUR
signal heartbeat : event
signal status : enum {{ ok, degraded, fault }}
signal session : enum {{ idle, charging }}
signal flag : bool
signal temp : number
site signal maintenance : bool
device attribute kind : enum {{ rapid, slow }} = slow
device attribute weight : number = 1
site attribute timezone : timezone = "{}"
site attribute capacity : number = 1
site attribute vip : bool = false
holidays h = {:04}-{:02}-{:02}
calendar cal_a = {}, {}{}{}
calendar cal_b = {} in "{}"
param target = {}%
param n = {}
param fee = 1234.5
)",
                                 seed, contract_zone, period.zone, hy, hm, hd, random_span_spec(rng), random_span_spec(rng),
                                 cal_a_zone, chance(rng, 0.4) ? " except h" : "", random_span_spec(rng), one_of(rng, zones),
                                 one_of(rng, std::vector<std::string>{"50", "90", "99.5", "75", "100", "0"}), pick(rng, 0, 2));
  int during_uses = 0;
  // States: device level; `s_fixed` avoids site dependence for spanning groups.
  std::string s1 = random_expr(rng, 3, during_uses);
  std::string s2 = random_expr(rng, 2, during_uses);
  // Capped conditions (SPEC 4.4), from a stream of their own so that the other cases
  // stay as they were: on a state's condition (counted per device), and below on
  // `only` (per device), `excluding` (per site, or everywhere for a fixed-zone calendar).
  Rng capped_rng(seed * 613 + 11);
  if (chance(capped_rng, 0.3)) s1 = random_capped(capped_rng, "(" + s1 + ")");
  if (chance(capped_rng, 0.2)) s2 = random_capped(capped_rng, "not flag");  // `not (flag up to D ...)`
  text += fmt::format("state s1 = {}\n", s1);
  text += fmt::format("state s2 = {}\n", s2);
  text += "state s_fixed = seen heartbeat within 10m and status != fault\n";

  int sla_count = pick(rng, 1, 3);
  for (int k = 0; k < sla_count; ++k) {
    bool kpi = chance(rng, 0.15);
    std::string window;
    switch (pick(rng, 0, 5)) {
      case 0: window = "in any calendar day"; break;
      case 1: window = "in any calendar week"; break;
      case 2: window = "in any calendar month"; break;
      case 3: window = fmt::format("in any rolling {} days", pick(rng, 1, 3)); break;
      case 4: window = fmt::format("in any rolling {} hours", one_of(rng, std::vector<int>{1, 5, 24})); break;
      default: window = "in any rolling 1 weeks"; break;
    }
    // The windows of SPEC 4.4's "More windows", from a stream of their own so that the
    // other cases stay as they were.
    Rng window_rng(seed * 53 + static_cast<std::uint64_t>(k) + 11);
    if (chance(window_rng, 0.3)) window = more_window(window_rng, first_day, text, k);
    int g = pick(rng, 0, 5);
    static const std::vector<std::string> groupings = {"on any site", "on any device", "on any kind",
                                                       "on every site", "on at least 50% of sites", "across all sites"};
    std::string grouping = groupings[static_cast<std::size_t>(g)];
    // `on any site.ATTR` (SPEC 4.4) in place of `on any kind`, from a stream of its own
    // so that the other cases stay as they were: a group per value of a site attribute.
    Rng site_attr_rng(seed * 131 + static_cast<std::uint64_t>(k) + 5);
    if (g == 2 && chance(site_attr_rng, 0.4)) grouping = one_of(site_attr_rng, std::vector<std::string>{"on any site.vip", "on any site.capacity"});
    bool spans = g == 2 || g == 5;
    bool by_site = g == 0 || g == 3 || g == 4;
    if (chance(rng, 0.2)) grouping += by_site ? " where not site.vip" : " where device.kind == rapid or site.capacity >= 1";
    std::string state = spans ? "s_fixed" : one_of(rng, std::vector<std::string>{"s1", "s2", "(s1 or s2)"});
    std::string requirement;
    switch (pick(rng, 0, 7)) {
      case 0: requirement = fmt::format("at least {} {}", pick(rng, 0, 2), state); break;
      case 1: requirement = fmt::format("at least n {}", state); break;
      case 2: requirement = fmt::format("at most {} {}", pick(rng, 0, 1), state); break;
      case 3: requirement = fmt::format("at least {}% of devices {}", one_of(rng, std::vector<int>{50, 66, 100}), state); break;
      case 4: requirement = fmt::format("at least {}% {} weighted by weight", one_of(rng, std::vector<int>{50, 75}), state); break;
      case 5: requirement = by_site ? fmt::format("at least site.capacity {}", state) : fmt::format("all {}", state); break;
      case 6: requirement = fmt::format("all {}", state); break;
      default: requirement = g == 1 ? state : fmt::format("no more than 1 {}", state); break;
    }
    std::vector<std::string> clauses = {window, grouping, requirement};
    bool fixed_cal = spans && cal_a_zone == " in site timezone";
    if (!kpi) {
      int objectives = 0;
      if (chance(rng, 0.8)) {
        std::string of;
        if (chance(rng, 0.3)) of = fixed_cal ? " of cal_b" : one_of(rng, std::vector<std::string>{" of cal_a", " of cal_b"});
        std::string percent = one_of(rng, std::vector<std::string>{"target", "95%", "80%", "99.9%"});
        // The target forms of SPEC 4.4: strict, rounded to a step the target is a
        // multiple of, against a fixed duration.
        std::string comparison = chance(rng, 0.3) ? "more than" : "at least";
        // Nothing is more than 100% (E401): `more than target` only when target is less.
        if (percent == "target" && text.find("param target = 100%\n") != std::string::npos) comparison = "at least";
        if (of.empty() && chance(rng, 0.25)) {
          of = " of " + one_of(rng, std::vector<std::string>{"2h", "1d", "30d", "525600m"});
        }
        std::string rounded;
        if (chance(rng, 0.3)) {
          std::vector<std::string> steps = percent == "99.9%"  ? std::vector<std::string>{"0.1%"}
                                           : percent == "target" ? std::vector<std::string>{"0.1%", "0.5%"}
                                                                 : std::vector<std::string>{"0.1%", "0.5%", "1%", "5%"};
          rounded = " rounded to " + one_of(rng, steps);
        }
        clauses.push_back(fmt::format("for {} {}{}{}", comparison, percent, of, rounded));
        ++objectives;
      }
      if (chance(rng, 0.25)) {
        bool less = chance(rng, 0.5);
        clauses.push_back(fmt::format("with {} {} of downtime", less ? "less than" : "at most",
                                      one_of(rng, less ? std::vector<std::string>{"30m", "4h", "1d"}
                                                       : std::vector<std::string>{"0s", "30m", "4h", "1d"})));
        ++objectives;
      }
      if (chance(rng, 0.3) || objectives == 0) {
        clauses.push_back(fmt::format("with no outage longer than {}", one_of(rng, std::vector<std::string>{"30m", "4h", "1d"})));
      }
      if (chance(rng, 0.3)) {
        clauses.push_back(fmt::format("with at most {} outages{}", pick(rng, 0, 3), chance(rng, 0.5) ? " longer than 20m" : ""));
      }
      bool estate = g == 3 || g == 4;
      bool penalty = true;
      if (!estate && chance(rng, 0.4)) {
        clauses.push_back("penalty { below 99%: 10, below 90%: 25.5, below 50%: 100 }");
      } else if (chance(rng, 0.8)) {
        clauses.push_back(fmt::format("penalty {}", one_of(rng, std::vector<std::string>{"1000", "250.75", "0"})));
      } else {
        penalty = false;
      }
      if (penalty && chance(rng, 0.3)) clauses.push_back("penalty cap 1500");
      if (chance(rng, 0.4)) clauses.push_back("warn below 97%");
    }
    if (chance(rng, 0.3)) clauses.push_back(fmt::format("during {}", fixed_cal ? "cal_b" : one_of(rng, std::vector<std::string>{"cal_a", "cal_b"})));
    if (chance(rng, 0.4)) clauses.push_back(spans ? "only not flag" : "only not flag and status != fault");
    if (chance(rng, 0.4)) clauses.push_back(spans ? "excluding during cal_b" : "excluding maintenance");
    for (auto& cl : clauses) {
      if (cl == "only not flag" && chance(capped_rng, 0.3)) cl = "only " + random_capped(capped_rng, "(not flag)");
      if (cl.starts_with("excluding ") && chance(capped_rng, 0.4)) cl = "excluding " + random_capped(capped_rng, cl.substr(10));
    }
    if (chance(rng, 0.3)) {
      // SPEC 4.4: lengths dividing a day (an hour under rolling hours), whole minutes.
      bool hourly = window.find("hours") != std::string::npos;
      std::string length = hourly ? one_of(rng, std::vector<std::string>{"1m", "5m", "15m", "1h"})
                                  : one_of(rng, std::vector<std::string>{"1m", "5m", "1h", "3h", "8h"});
      std::string how = one_of(rng, std::vector<std::string>{"any", "all", "over 50%", "over 0%", "over 25%", "over 99.5%"});
      clauses.push_back(fmt::format("counted in {} intervals, failed if {}", length, how));
    }
    // `of CAL` and `during` must name the same calendar: drop `during` when both are present.
    bool has_of = false;
    for (const auto& cl : clauses) has_of |= cl.find(" of cal_") != std::string::npos;
    if (has_of) {
      clauses.erase(std::remove_if(clauses.begin(), clauses.end(), [](const std::string& cl) { return cl.starts_with("during"); }),
                    clauses.end());
    }
    // Sometimes an `on average` form (SPEC 4.4), from a stream of its own so that the
    // other cases stay as they were: any state, and on groups spanning sites also a
    // site-timezone calendar and a site-dependent exclusion; no outage objectives.
    // An event measure replaces the requirement too, so a case has one or the other: its
    // stream draws first, and the two streams stay what they were in their branches.
    Rng events_rng(seed * 31 + static_cast<std::uint64_t>(k) + 7);
    bool events = chance(events_rng, 0.3);
    Rng average_rng(seed * 977 + static_cast<std::uint64_t>(k));
    bool averaged = false;
    if (chance(average_rng, 0.25) && !events) {
      averaged = true;
      bool pooled = chance(average_rng, 0.5);
      clauses[2] = fmt::format("on average {}{}", pooled ? "" : "per device ",
                               one_of(average_rng, std::vector<std::string>{"s1", "s2", "(s1 or s2)", "s_fixed"}));
      clauses.erase(std::remove_if(clauses.begin() + 3, clauses.end(), [](const std::string& cl) { return cl.starts_with("with "); }),
                    clauses.end());
      bool has_target = false;
      for (auto& cl : clauses) {
        has_target |= cl.starts_with("for ");
        // The mean of device ratios has no fixed denominator: no `of D` with it.
        if (!pooled && cl.starts_with("for ")) {
          for (const char* d : {" of 2h", " of 1d", " of 30d", " of 525600m"}) {
            if (auto at = cl.find(d); at != std::string::npos) cl.erase(at, std::string_view(d).size());
          }
        }
        if (spans && cl == "excluding during cal_b" && chance(average_rng, 0.6)) cl = "excluding maintenance";
        if (spans && cl == "during cal_b" && chance(average_rng, 0.6)) cl = "during cal_a";
      }
      if (!kpi && !has_target) clauses.push_back("for at least target");
    }
    // An event measure in place of the requirement (SPEC 4.4), from the generator of its
    // own drawn above, so that the other cases stay as they were.
    if (events) event_measure(events_rng, clauses, state, by_site, kpi);
    // Or a mean of numbers, from a stream of its own likewise (drawn first: its penalty
    // has no `downtime_hours`).
    Rng mean_rng(seed * 7919 + static_cast<std::uint64_t>(k) + 4);
    bool mean = !events && !averaged && chance(mean_rng, 0.25);
    Rng amounts_rng(seed * 7919 + static_cast<std::uint64_t>(k) + 3);
    if (chance(amounts_rng, 0.4)) random_amounts(amounts_rng, clauses, g, mean);
    if (mean) mean_measure(mean_rng, clauses, kpi);
    // Windows in each site's own zone (SPEC 4.4), for groups of a site or a device, from
    // a stream of its own likewise.
    Rng zone_rng(seed * 104729 + static_cast<std::uint64_t>(k) + 9);
    if ((g == 0 || g == 1) && chance(zone_rng, 0.35)) clauses[0] += " in site timezone";
    std::shuffle(clauses.begin() + 2, clauses.end(), rng);
    text += fmt::format("{} q{} {{\n", kpi ? "kpi" : "sla", k);
    for (const auto& cl : clauses) text += "  " + cl + "\n";
    text += "}\n";
  }
  c.contract = text;

  // The world.
  int sites = pick(rng, 1, 3);
  int device_no = 0;
  for (int s = 0; s < sites; ++s) {
    std::map<std::string, std::string> attrs;
    if (chance(rng, 0.8)) attrs["timezone"] = chance(rng, 0.6) ? period.zone : one_of(rng, zones);
    if (chance(rng, 0.7)) attrs["capacity"] = std::to_string(pick(rng, 0, 3));
    if (chance(rng, 0.5)) attrs["vip"] = chance(rng, 0.5) ? "true" : "FALSE";
    std::string sid = fmt::format("S{}", s + 1);
    c.world.sites.emplace_back(sid, attrs);
    int devices = pick(rng, s == 0 ? 1 : 0, 3);
    for (int d = 0; d < devices; ++d) {
      std::map<std::string, std::string> da;
      if (chance(rng, 0.7)) da["kind"] = chance(rng, 0.5) ? "rapid" : "slow";
      if (chance(rng, 0.6)) da["weight"] = one_of(rng, std::vector<std::string>{"0", "1", "2.5", "10"});
      c.world.devices.emplace_back(fmt::format("D{}", ++device_no), sid, da);
    }
  }
  Zone zone = *find_zone(period.zone);
  std::int64_t start = local_to_utc(zone, first_day * ms_per_day);
  std::int64_t end = local_to_utc(zone, (first_day + period.days) * ms_per_day);
  c.span_start = start;
  c.span_end = end;
  std::int64_t minutes = (end - start) / 60'000;
  auto at = [&](std::int64_t lo, std::int64_t hi) { return start + std::uniform_int_distribution<std::int64_t>(lo, hi)(rng) * 60'000; };
  for (const auto& [id, site, attrs] : c.world.devices) {
    // Heartbeats in bursts.
    int bursts = pick(rng, 0, 6);
    for (int b = 0; b < bursts; ++b) {
      std::int64_t t = at(-300, minutes);
      // Isolated beats and short bursts make runs of exactly the lengths the
      // conditions test (`within 10m` of one beat lasts exactly 10m).
      int len = one_of(rng, std::vector<int>{1, 1, 2, 3, pick(rng, 1, 400)});
      int step = one_of(rng, std::vector<int>{1, 5, 7, 15});
      for (int k = 0; k < len; ++k) c.world.events.push_back({t + k * step * 60'000, id, "heartbeat", ""});
    }
    auto values = [&](const std::string& signal, const std::vector<std::string>& vs, int count) {
      for (int k = 0; k < count; ++k) c.world.events.push_back({at(-600, minutes), id, signal, one_of(rng, vs)});
    };
    values("status", {"ok", "ok", "degraded", "fault"}, pick(rng, 0, 25));
    values("session", {"idle", "charging"}, pick(rng, 0, 30));
    values("flag", {"true", "false", "1", "0"}, pick(rng, 0, 10));
    values("temp", {"10", "15.5", "20", "20.001", "25", "-3"}, pick(rng, 0, 20));
    // Duplicates at one instant: the last in file order wins.
    if (chance(rng, 0.5)) {
      std::int64_t t = at(0, minutes);
      c.world.events.push_back({t, id, "status", "fault"});
      c.world.events.push_back({t, id, "status", "ok"});
    }
  }
  for (const auto& [sid, attrs] : c.world.sites) {
    for (int k = pick(rng, 0, 8); k > 0; --k) {
      c.world.events.push_back({at(-100, minutes), sid, "maintenance", chance(rng, 0.5) ? "true" : "false"});
    }
  }
  // Events out of order, and rows that must be left out: undeclared, unknown entities.
  std::shuffle(c.world.events.begin(), c.world.events.end(), rng);
  // Events exactly at a local midnight (a window's boundary), two at one instant, for
  // event measures; from a generator of their own.
  Rng boundary_rng(seed * 17 + 3);
  if (chance(boundary_rng, 0.5) && !c.world.devices.empty()) {
    const std::string& device = std::get<0>(c.world.devices[0]);
    std::int64_t midnight = local_to_utc(zone, (first_day + pick(boundary_rng, 1, period.days - 1)) * ms_per_day);
    c.world.events.push_back({midnight, device, "session", "charging"});
    c.world.events.push_back({midnight, device, "session", "idle"});
    c.world.events.push_back({midnight, device, "heartbeat", ""});
  }
  if (chance(rng, 0.3)) c.world.events.push_back({start, "D1", "undeclared_signal", "x"});
  if (chance(rng, 0.3)) c.world.events.push_back({start, "NOPE", "status", "ok"});
  if (chance(rng, 0.3)) c.world.events.push_back({start, "S1", "status", "ok"});  // a device signal for a site
  if (chance(rng, 0.6)) {
    int fy;
    unsigned fm, fd;
    civil_from_days(first_day + 1, fy, fm, fd);
    c.from_text = fmt::format("{:04}-{:02}-{:02}", fy, fm, fd);
    civil_from_days(first_day + period.days - 1, fy, fm, fd);
    c.to_text = fmt::format("{:04}-{:02}-{:02}", fy, fm, fd);
  }
  c.jsonl = chance(rng, 0.25);
  return c;
}

// The case's world as a plain dataset folder (sites.csv, devices.csv, events.csv).
inline void write_plain_world(const Case& c, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "sites.csv") << [&] {
    std::string s = "site,timezone,capacity,vip\n";
    for (const auto& [id, a] : c.world.sites) {
      auto get = [&](const char* k) { return a.contains(k) ? a.at(k) : std::string(); };
      s += id + "," + get("timezone") + "," + get("capacity") + "," + get("vip") + "\n";
    }
    return s;
  }();
  std::ofstream(dir / "devices.csv") << [&] {
    std::string s = "device,site,kind,weight\n";
    for (const auto& [id, site, a] : c.world.devices) {
      auto get = [&](const char* k) { return a.contains(k) ? a.at(k) : std::string(); };
      s += id + "," + site + "," + get("kind") + "," + get("weight") + "\n";
    }
    return s;
  }();
  std::ofstream ev(dir / "events.csv");
  ev << "time,entity,signal,value\n";
  for (const auto& e : c.world.events) ev << e.time << "," << e.entity << "," << e.signal << "," << e.value << "\n";
}

}  // namespace slac::gen
