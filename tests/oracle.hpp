// A brute-force evaluator for differential testing: it works minute by minute over
// the checked model (not the plan), with no interval algebra, straight from the
// definitions of SPEC sections 2-4. Every time in its inputs must be a whole minute.
#pragma once
#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#include "compiler/model.hpp"

namespace slac::oracle {

using i64 = std::int64_t;
constexpr i64 minute = 60'000;

struct Event {
  i64 time;           // UTC ms, a whole minute
  std::string entity;
  std::string signal;
  std::string value;  // as in the data file
};

struct World {
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> sites;    // id, attributes as text
  std::vector<std::tuple<std::string, std::string, std::map<std::string, std::string>>> devices;  // id, site, attrs
  std::vector<Event> events;  // file order
};

struct Row {
  std::string sla;
  i64 start, end;
  std::string group;
  i64 measured, good;
  i64 outages, longest;
  bool met, near_miss;
  std::optional<Decimal> penalty;
  std::optional<Decimal> rounded = std::nullopt;  // percent units, SLAs with `rounded to`
  // `on average per device`: the mean of device ratios, exactly (none measured: absent).
  std::optional<boost::multiprecision::cpp_rational> mean;
  bool outages_defined = true;
};

struct Verdict {
  std::string sla;
  i64 start, end;
  i64 groups, groups_met;
  bool met;
  Decimal penalty;
};

struct Result {
  i64 from, to;
  std::vector<Row> rows;
  std::vector<Verdict> verdicts;
};

struct StatusRow {
  std::string sla;
  i64 start, end;
  std::string group;
  i64 measured_so_far, good_so_far, measured_total;
  bool has_budget;
  Decimal budget, left;  // ms
  i64 used;
  bool failing_now;
  std::string state;
  std::optional<i64> breach_at;
};

class Oracle {
 public:
  Oracle(const Model& m, const World& w) : m_(m), w_(w) {}

  // SPEC 5.2 at instant T (a whole minute): events at or after T are ignored; the rest
  // of each window is taken as if everything stood still at T.
  std::vector<StatusRow> status(i64 T) {
    for (const auto& e : w_.events) {
      auto sig = m_.find_signal(e.signal);
      if (!sig || e.time >= T) continue;
      bool site_level = m_.signals[*sig].level == Level::site;
      if (!(site_level ? has_site(e.entity) : has_device(e.entity))) continue;
      used_.push_back(e);
    }
    // Per SLA, per zone: the windows holding T.
    std::vector<std::map<std::string, std::vector<std::pair<i64, i64>>>> wins(m_.slas.size());
    t0_ = T - minute;
    for (const auto& e : used_) t0_ = std::min(t0_, e.time);
    for (std::size_t si = 0; si < m_.slas.size(); ++si) {
      const SlaInfo& sl = m_.slas[si];
      i64 reach = 2 * 86'400'000;
      if (sl.window.period || sl.window.periods) {
        reach += 800 * 86'400'000LL;
      } else if (sl.window.rolling) {
        i64 n = value(sl.window.count).units;
        reach += sl.window.rolling_unit == ast::RollingUnit::hours    ? n * 3'600'000
                 : sl.window.rolling_unit == ast::RollingUnit::weeks  ? n * 7 * 86'400'000
                 : sl.window.rolling_unit == ast::RollingUnit::months ? n * 31 * 86'400'000
                                                                      : n * 86'400'000;
      } else {
        static constexpr i64 days[] = {1, 7, 31, 92, 366};
        reach += days[static_cast<int>(sl.window.unit)] * 86'400'000;
      }
      std::vector<std::string> zones{m_.timezone.name};
      if (sl.window.site_zone) {
        for (std::size_t k = 0; k < w_.sites.size(); ++k) zones.push_back(site_zone(k));
      }
      for (const auto& zone : zones) {
        auto& held = wins[si][zone];
        if (!held.empty()) continue;
        for (auto [ws, we] : windows(sl, T - reach, T + reach, zone)) {
          if (ws <= T && T < we) {
            held.emplace_back(ws, we);
            t0_ = std::min(t0_, ws);
          }
        }
      }
    }
    t1_ = T;
    n_ = static_cast<std::size_t>((t1_ - t0_) / minute);
    std::vector<StatusRow> out;
    for (std::size_t si = 0; si < m_.slas.size(); ++si) {
      const SlaInfo& sl = m_.slas[si];
      if (sl.is_kpi) continue;
      for (const auto& g : groups_of(si)) {
        for (auto [ws, we] : wins[si][window_zone(sl, g)]) out.push_back(status_row(sl, g, ws, we, T));
      }
    }
    return out;
  }

  Result run(std::optional<i64> from, std::optional<i64> to) {
    // Used events: declared signal, known entity of the signal's level.
    for (const auto& e : w_.events) {
      auto sig = m_.find_signal(e.signal);
      if (!sig) continue;
      bool site_level = m_.signals[*sig].level == Level::site;
      if (!(site_level ? has_site(e.entity) : has_device(e.entity))) continue;
      used_.push_back(e);
    }
    i64 earliest = used_.empty() ? 0 : used_.front().time, latest = earliest;
    for (const auto& e : used_) {
      earliest = std::min(earliest, e.time);
      latest = std::max(latest, e.time);
    }
    Result r;
    const std::string& tz = m_.timezone.name;
    r.from = from ? *from : floor_midnight(tz, earliest);
    r.to = to ? *to : ceil_midnight(tz, latest);
    t0_ = std::min(r.from, earliest);
    if (used_.empty()) t0_ = r.from;
    t1_ = r.to;
    n_ = static_cast<std::size_t>((t1_ - t0_) / minute);
    for (std::size_t s = 0; s < m_.slas.size(); ++s) sla(s, r);
    return r;
  }

 private:
  using Bits = std::vector<char>;

  bool has_site(const std::string& id) const {
    return std::any_of(w_.sites.begin(), w_.sites.end(), [&](const auto& s) { return s.first == id; });
  }
  bool has_device(const std::string& id) const {
    return std::any_of(w_.devices.begin(), w_.devices.end(), [&](const auto& d) { return std::get<0>(d) == id; });
  }

  // Local wall-clock ms of a UTC instant.
  static i64 local_of(const std::string& zone, i64 utc) {
    if (zone == "UTC") return utc;
    const date::time_zone* z = date::locate_zone(zone);
    auto info = z->get_info(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{utc}});
    return utc + std::chrono::duration_cast<std::chrono::milliseconds>(info.offset).count();
  }
  // The earliest instant whose local time is at or after `local`: the SPEC's rule for
  // gaps (the gap's end) and overlaps (the earlier occurrence), found by scanning.
  i64 resolve(const std::string& zone, i64 local) {
    auto key = std::make_pair(zone, local);
    auto it = resolved_.find(key);
    if (it != resolved_.end()) return it->second;
    return resolved_[key] = resolve_uncached(zone, local);
  }
  static i64 resolve_uncached(const std::string& zone, i64 local) {
    // No instant before `local` minus the largest nearby offset has a local time at or
    // after `local`; scan minute by minute from there.
    i64 max_offset = -24 * 3'600'000;
    for (i64 k = -16; k <= 16; ++k) {
      i64 probe = local + k * 3'600'000;
      max_offset = std::max(max_offset, local_of(zone, probe) - probe);
    }
    i64 u = local - max_offset;
    u -= ((u % minute) + minute) % minute;
    while (local_of(zone, u) < local) u += minute;
    return u;
  }
  static i64 day_of(const std::string& zone, i64 utc) {
    i64 l = local_of(zone, utc);
    return (l >= 0 ? l : l - 86'399'999) / 86'400'000;
  }
  i64 floor_midnight(const std::string& zone, i64 t) {
    i64 d = day_of(zone, t);
    while (resolve(zone, d * 86'400'000) > t) --d;
    return resolve(zone, d * 86'400'000);
  }
  i64 ceil_midnight(const std::string& zone, i64 t) {
    i64 d = day_of(zone, t);
    while (resolve(zone, d * 86'400'000) < t) ++d;
    return resolve(zone, d * 86'400'000);
  }
  static unsigned weekday(i64 day) { return static_cast<unsigned>(((day % 7) + 7 + 3) % 7); }
  // A key for the calendar unit (of `unit`) holding a local day.
  static i64 unit_of(ast::CalendarUnit unit, i64 day) {
    auto ymd = date::year_month_day{date::sys_days{date::days{day}}};
    i64 months = static_cast<i64>(static_cast<int>(ymd.year())) * 12 + static_cast<unsigned>(ymd.month()) - 1;
    switch (unit) {
      case ast::CalendarUnit::day: return day;
      case ast::CalendarUnit::week: return day - weekday(day);
      case ast::CalendarUnit::month: return months;
      case ast::CalendarUnit::quarter: return months / 3;
      case ast::CalendarUnit::year: return static_cast<int>(ymd.year());
    }
    return day;
  }

  i64 at(std::size_t i) const { return t0_ + static_cast<i64>(i) * minute; }

  struct Ctx {
    std::optional<std::size_t> device;
    std::size_t site;
  };

  std::string site_zone(std::size_t site) const {
    auto tz = m_.find_attribute(Level::site, "timezone");
    if (tz && m_.attributes[*tz].type == ValueType::timezone) return attr_text(Ctx{std::nullopt, site}, *tz);
    return m_.timezone.name;
  }

  std::string attr_text(const Ctx& c, std::size_t a) const {
    const AttributeInfo& info = m_.attributes[a];
    const auto& attrs = info.level == Level::site ? w_.sites[c.site].second : std::get<2>(w_.devices[*c.device]);
    auto it = attrs.find(info.name);
    if (it != attrs.end() && !it->second.empty()) return it->second;
    return info.default_value->type == ValueType::enumeration ? info.members[info.default_value->member]
           : info.default_value->type == ValueType::number    ? info.default_value->number.to_string()
           : info.default_value->type == ValueType::boolean   ? (info.default_value->flag ? "true" : "false")
                                                              : info.default_value->text;
  }

  Decimal number(const std::string& s) const { return *Decimal::parse(s); }

  bool compare_text(const CExpr& e, ValueType type, const std::vector<std::string>& members, const std::string& v) const {
    auto scalar_eq = [&](const Scalar& s) {
      Scalar x = s;
      if (x.param) {
        x.number = m_.params[*x.param].value.number;
        x.flag = m_.params[*x.param].value.flag;
      }
      switch (type) {
        case ValueType::boolean: return (v == "true" || v == "1" || v == "TRUE" || v == "True") == x.flag;
        case ValueType::number: return number(v) == x.number;
        case ValueType::enumeration: return members[x.member] == v;
        default: return x.text == v;
      }
    };
    if (e.kind == ExprKind::signal_in || e.kind == ExprKind::attr_in) {
      return std::any_of(e.scalars.begin(), e.scalars.end(), scalar_eq);
    }
    const Scalar& rhs = e.scalars[0];
    switch (e.op) {
      case ast::CmpOp::eq: return scalar_eq(rhs);
      case ast::CmpOp::ne: return !scalar_eq(rhs);
      default: break;
    }
    Decimal a = number(v);
    Decimal b = rhs.param ? m_.params[*rhs.param].value.number : rhs.number;
    switch (e.op) {
      case ast::CmpOp::lt: return a < b;
      case ast::CmpOp::le: return a <= b;
      case ast::CmpOp::gt: return a > b;
      case ast::CmpOp::ge: return a >= b;
      default: return false;
    }
  }

  const std::string& entity_id(const SignalInfo& s, const Ctx& c) const {
    return s.level == Level::site ? w_.sites[c.site].first : std::get<0>(w_.devices[*c.device]);
  }

  i64 duration(const Quantity& q) const { return q.param ? m_.params[*q.param].value.ms : q.literal.ms; }

  void mark(Bits& b, i64 from, i64 to, char v) const {
    for (i64 t = std::max(from, t0_); t < std::min(to, t1_); t += minute) b[static_cast<std::size_t>((t - t0_) / minute)] = v;
  }

  Bits calendar(std::size_t ci, const std::string& zone) {
    auto key = std::make_pair(ci, zone);
    auto it = calendars_.find(key);
    if (it != calendars_.end()) return it->second;
    const CalendarInfo& c = m_.calendars[ci];
    Bits b(n_, 0);
    i64 first = day_of(zone, t0_) - 1, last = day_of(zone, t1_) + 1;
    for (i64 d = first; d <= last; ++d) {
      for (const auto& s : c.spans) {
        if (!(s.weekdays & (1u << weekday(d)))) continue;
        i64 ls = d * 86'400'000 + s.start_minute * minute;
        i64 le = (s.end_minute > s.start_minute ? d : d + 1) * 86'400'000 + s.end_minute * minute;
        mark(b, resolve(zone, ls), resolve(zone, le), 1);
      }
    }
    for (std::size_t h : c.holidays) {
      for (i64 d : m_.holidays[h].days) {
        mark(b, resolve(zone, d * 86'400'000), resolve(zone, (d + 1) * 86'400'000), 0);
      }
    }
    calendars_[key] = b;
    return b;
  }

  Bits eval(ExprId id, const Ctx& c) {
    const CExpr& e = m_.exprs[id];
    Bits b(n_, 0);
    switch (e.kind) {
      case ExprKind::constant:
        std::fill(b.begin(), b.end(), e.flag);
        return b;
      case ExprKind::bool_param:
        std::fill(b.begin(), b.end(), m_.params[e.ref].value.flag);
        return b;
      case ExprKind::state:
        return eval(m_.states[e.ref].expr, c);
      case ExprKind::attr_compare:
      case ExprKind::attr_in:
      case ExprKind::bool_attr: {
        const AttributeInfo& a = m_.attributes[e.ref];
        std::string v = attr_text(c, e.ref);
        bool r;
        if (e.kind == ExprKind::bool_attr) r = v == "true" || v == "1" || v == "TRUE";
        else r = compare_text(e, a.type, a.members, v);
        std::fill(b.begin(), b.end(), r);
        return b;
      }
      case ExprKind::signal_compare:
      case ExprKind::signal_in:
      case ExprKind::bool_signal: {
        const SignalInfo& s = m_.signals[e.ref];
        const auto& values = signal_values(entity_id(s, c), s.name);
        for (std::size_t i = 0; i < n_; ++i) {
          const std::string* cur = values[i];
          if (cur == nullptr) continue;
          if (e.kind == ExprKind::bool_signal) {
            b[i] = *cur == "true" || *cur == "1" || *cur == "TRUE";
          } else {
            b[i] = compare_text(e, s.type, s.members, *cur);
          }
        }
        return b;
      }
      case ExprKind::seen: {
        const SignalInfo& s = m_.signals[e.ref];
        const std::string& who = entity_id(s, c);
        i64 d = duration(e.duration);
        for (const auto& ev : used_) {
          if (ev.entity != who || ev.signal != s.name || ev.time >= t1_) continue;
          for (i64 t = ev.time; t < ev.time + d && t < t1_; t += minute) b[static_cast<std::size_t>((t - t0_) / minute)] = 1;
        }
        return b;
      }
      case ExprKind::during: {
        const CalendarInfo& cal = m_.calendars[e.ref];
        std::string zone = cal.zone_kind == ast::ZoneKind::site    ? site_zone(c.site)
                           : cal.zone_kind == ast::ZoneKind::named ? cal.zone.name
                                                                   : m_.timezone.name;
        return calendar(e.ref, zone);
      }
      case ExprKind::not_: {
        Bits x = eval(e.children[0], c);
        for (auto& v : x) v = !v;
        return x;
      }
      case ExprKind::and_:
      case ExprKind::or_: {
        bool is_and = e.kind == ExprKind::and_;
        std::fill(b.begin(), b.end(), is_and);
        for (ExprId ch : e.children) {
          Bits x = eval(ch, c);
          for (std::size_t i = 0; i < n_; ++i) b[i] = is_and ? (b[i] && x[i]) : (b[i] || x[i]);
        }
        return b;
      }
      case ExprKind::lasting: {
        Bits x = eval(e.children[0], c);
        i64 d = duration(e.duration);
        for (std::size_t i = 0; i < n_;) {
          if (!x[i]) {
            ++i;
            continue;
          }
          std::size_t j = i;
          while (j < n_ && x[j]) ++j;
          if (static_cast<i64>(j - i) * minute >= d) std::fill(b.begin() + static_cast<long>(i), b.begin() + static_cast<long>(j), 1);
          i = j;
        }
        return b;
      }
      case ExprKind::capped_each: {
        // Minute by minute: the minutes since the current run of A began.
        Bits x = eval(e.children[0], c);
        i64 d = duration(e.duration), run = 0;
        for (std::size_t i = 0; i < n_; ++i) {
          run = x[i] ? run + minute : 0;
          b[i] = x[i] && run <= d;
        }
        return b;
      }
      case ExprKind::capped_per: {
        // Minute by minute: A's minutes so far in the calendar unit holding this minute
        // (named by its local date in the contract's zone), before this one.
        Bits x = eval(e.children[0], c);
        i64 d = duration(e.duration);
        std::map<i64, i64> used;
        for (std::size_t i = 0; i < n_; ++i) {
          if (!x[i]) continue;
          i64& u = used[unit_of(e.unit, day_of(m_.timezone.name, at(i)))];
          if (u < d) b[i] = 1;
          u += minute;
        }
        return b;
      }
      case ExprKind::ignoring_gaps: {
        Bits x = eval(e.children[0], c);
        i64 d = duration(e.duration);
        b = x;
        std::optional<std::size_t> last_true;
        for (std::size_t i = 0; i < n_; ++i) {
          if (!x[i]) continue;
          if (last_true && i > *last_true + 1 && static_cast<i64>(i - *last_true - 1) * minute < d) {
            std::fill(b.begin() + static_cast<long>(*last_true + 1), b.begin() + static_cast<long>(i), 1);
          }
          last_true = i;
        }
        return b;
      }
    }
    return b;
  }

  // The value of a signal at each minute: each minute's last event in file order sets
  // it, and it holds until the next minute with an event; unknown (null) before.
  const std::vector<const std::string*>& signal_values(const std::string& entity, const std::string& signal) {
    auto key = std::make_pair(entity, signal);
    auto it = values_.find(key);
    if (it != values_.end()) return it->second;
    std::vector<const std::string*> set_at(n_, nullptr);
    for (const auto& ev : used_) {
      if (ev.entity != entity || ev.signal != signal || ev.time >= t1_) continue;
      set_at[static_cast<std::size_t>((ev.time - t0_) / minute)] = &ev.value;
    }
    const std::string* cur = nullptr;
    for (std::size_t i = 0; i < n_; ++i) {
      if (set_at[i] != nullptr) cur = set_at[i];
      set_at[i] = cur;
    }
    return values_[key] = std::move(set_at);
  }

  bool static_value(ExprId id, const Ctx& c) { return n_ > 0 ? eval(id, c)[0] != 0 : false; }

  Decimal value(const Quantity& q) const { return q.param ? m_.params[*q.param].value.number : q.literal.number; }


  // num/den >= p% exactly.
  static bool at_least(i128 num, i128 den, const Decimal& p) {
    return num * 100 * pow10_128(p.scale) >= static_cast<i128>(p.units) * den;
  }

  // SPEC 4.4 `counted in`: the start of the interval holding t, cut from local days
  // that start at the windows' time of day.
  i64 interval_start(const SlaInfo& s, i64 length, i64 t, const std::string& zone) {
    i64 off = s.window.start_minute * minute;
    i64 d = day_of(zone, t) + 1;
    while (resolve(zone, d * 86'400'000 + off) > t) --d;
    while (resolve(zone, (d + 1) * 86'400'000 + off) <= t) ++d;
    i64 start = resolve(zone, d * 86'400'000 + off);
    return start + (t - start) / length * length;
  }

  // The requirement in the window [ws, we) under `counted in`: per interval, over its
  // measured minutes inside the window, failing throughout or holding throughout;
  // unchanged at unmeasured minutes.
  Bits counted(const SlaInfo& s, const Bits& holds, const Bits& measurable, i64 ws, i64 we, const std::string& zone) {
    if (!s.counted) return holds;
    Bits q = holds;
    i64 length = duration(s.counted->length);
    std::map<i64, std::pair<i64, i64>> tally;  // interval start: measured, bad minutes
    std::vector<i64> key(n_, 0);
    for (std::size_t i = 0; i < n_; ++i) {
      if (at(i) < ws || at(i) >= we || !measurable[i]) continue;
      key[i] = interval_start(s, length, at(i), zone);
      auto& [measured, bad] = tally[key[i]];
      ++measured;
      if (!holds[i]) ++bad;
    }
    for (std::size_t i = 0; i < n_; ++i) {
      if (at(i) < ws || at(i) >= we || !measurable[i]) continue;
      auto [measured, bad] = tally[key[i]];
      bool fails = s.counted->failed_if == ast::FailedIf::any   ? bad > 0
                   : s.counted->failed_if == ast::FailedIf::all ? bad == measured
                                                                : !at_least_over(bad, measured, value(*s.counted->over));
      q[i] = fails ? 0 : 1;
    }
    return q;
  }
  // num/den <= p% exactly.
  static bool at_least_over(i128 num, i128 den, const Decimal& p) {
    return num * 100 * pow10_128(p.scale) <= static_cast<i128>(p.units) * den;
  }
  // SPEC 4.4, from its words. The attainment: good / measured, or (D - downtime) / D
  // against a fixed duration; none when nothing was measured.
  std::optional<std::pair<i128, i128>> attainment(const SlaInfo& s, i64 measured, i64 good) const {
    if (measured == 0) return std::nullopt;
    if (s.target_of) {
      i64 d = duration(*s.target_of);
      return std::pair<i128, i128>{d - (measured - good), d};
    }
    return std::pair<i128, i128>{good, measured};
  }
  // Rounded half up to a multiple of Q (percent units): the k with (k - 1/2) Q <= a < (k + 1/2) Q.
  Decimal rounded(const SlaInfo& s, std::pair<i128, i128> a) const {
    Decimal q = value(*s.rounding).normalized();
    i128 num = a.first * 100 * pow10_128(q.scale), unit = a.second * q.units;  // a / Q = num / unit
    i128 k = num / unit;
    if (num % unit != 0 && num < 0) --k;
    if (2 * (num - k * unit) >= unit) ++k;
    return Decimal{static_cast<i64>(k * q.units), q.scale}.normalized();
  }
  // The attainment as the SLA judges it (rounded when it rounds) is at least p%.
  bool judged_at_least(const SlaInfo& s, std::pair<i128, i128> a, const Decimal& p) const {
    return s.rounding ? !(rounded(s, a) < p) : at_least(a.first, a.second, p);
  }
  bool target_met(const SlaInfo& s, std::optional<std::pair<i128, i128>> a) const {
    if (!s.target || !a) return true;
    Decimal p = value(*s.target);
    if (!s.target_more_than) return judged_at_least(s, *a, p);
    return s.rounding ? p < rounded(s, *a) : a->first * 100 * pow10_128(p.scale) > static_cast<i128>(p.units) * a->second;
  }
  bool downtime_met(const SlaInfo& s, i64 measured, i64 good) const {
    if (!s.max_downtime) return true;
    i64 d = duration(*s.max_downtime);
    return s.downtime_less_than ? measured - good < d : measured - good <= d;
  }

  std::vector<std::pair<i64, i64>> windows(const SlaInfo& s, i64 from, i64 to) { return windows(s, from, to, m_.timezone.name); }
  std::vector<std::pair<i64, i64>> windows(const SlaInfo& s, i64 from, i64 to, const std::string& tz) {
    std::vector<std::pair<i64, i64>> out;
    if (s.window.rolling && s.window.rolling_unit == ast::RollingUnit::hours) {
      i64 len = value(s.window.count).units * 3'600'000;
      for (i64 u = from; u <= to; u += minute) {
        if (local_of(tz, u) % 3'600'000 == 0 && u - len >= from && u <= to) out.emplace_back(u - len, u);
      }
      return out;
    }
    i64 d0 = day_of(tz, from) - 1, d1 = day_of(tz, to) + 1;
    for (i64 d = d0; d <= d1; ++d) {
      i64 s0, e0;
      if (s.window.periods) {
        // A period starts on each listed date but the last, and ends on the next one.
        const auto& days = m_.periods[*s.window.periods].days;
        auto it = std::find(days.begin(), days.end(), d);
        if (it == days.end() || it + 1 == days.end()) continue;
        s0 = resolve(tz, d * 86'400'000);
        e0 = resolve(tz, *(it + 1) * 86'400'000);
      } else if (s.window.period) {
        i64 n = value(s.window.count).units * (s.window.rolling_unit == ast::RollingUnit::weeks ? 7 : 1);
        if (((d - s.window.anchor_day) % n + n) % n != 0) continue;
        s0 = resolve(tz, d * 86'400'000);
        e0 = resolve(tz, (d + n) * 86'400'000);
      } else if (s.window.rolling && s.window.rolling_unit == ast::RollingUnit::months) {
        auto ymd = date::year_month_day{date::sys_days{date::days{d}}};
        if (ymd.day() != date::day{1}) continue;
        auto first = ymd - date::months(static_cast<int>(value(s.window.count).units));
        s0 = resolve(tz, static_cast<i64>(date::sys_days{first}.time_since_epoch().count()) * 86'400'000);
        e0 = resolve(tz, d * 86'400'000);
      } else if (s.window.rolling) {
        i64 n = value(s.window.count).units * (s.window.rolling_unit == ast::RollingUnit::weeks ? 7 : 1);
        s0 = resolve(tz, (d - n) * 86'400'000);
        e0 = resolve(tz, d * 86'400'000);
      } else {
        auto ymd = date::year_month_day{date::sys_days{date::days{d}}};
        bool starts = false;
        date::year_month_day next = ymd;
        switch (s.window.unit) {
          case ast::CalendarUnit::day:
            starts = true;
            next = date::year_month_day{date::sys_days{date::days{d + 1}}};
            break;
          case ast::CalendarUnit::week:
            starts = weekday(d) == s.window.start_weekday;
            next = date::year_month_day{date::sys_days{date::days{d + 7}}};
            break;
          case ast::CalendarUnit::month:
            starts = ymd.day() == date::day{1};
            next = ymd + date::months{1};
            break;
          case ast::CalendarUnit::quarter:
            starts = ymd.day() == date::day{1} && (static_cast<unsigned>(ymd.month()) - 1) % 3 == 0;
            next = ymd + date::months{3};
            break;
          case ast::CalendarUnit::year:
            starts = ymd.day() == date::day{1} && ymd.month() == date::January;
            next = ymd + date::years{1};
            break;
        }
        if (!starts) continue;
        i64 off = s.window.start_minute * minute;
        s0 = resolve(tz, d * 86'400'000 + off);
        e0 = resolve(tz, static_cast<i64>(date::sys_days{next}.time_since_epoch().count()) * 86'400'000 + off);
      }
      if (s0 >= from && e0 <= to && s0 < e0) out.emplace_back(s0, e0);
    }
    return out;
  }

  struct Group {
    std::string id;
    std::optional<std::size_t> site;
    std::vector<std::size_t> devices;
    Bits holds, measurable;
    bool in_scope_last = false;  // at the last minute of the timeline
    bool excluded_last = false;
    // Event measures: each event of the signal (of an in-scope device, or of the site)
    // by its minute, and whether the condition held there.
    std::vector<std::pair<std::size_t, bool>> marks{};
    // `on average` forms: per device, its measured minutes (in scope, its own site's
    // calendar and exclusion) and the good ones among them.
    struct DeviceBits {
      std::size_t site;
      Bits measured, good;
      bool in_scope_last, good_last, excluded_last;
      // `mean of`: EXPR's value at each minute (none where unknown or divided by zero).
      std::vector<std::optional<boost::multiprecision::cpp_rational>> value;
    };
    std::vector<DeviceBits> each;
  };
  // SPEC 4.4: with `in site timezone`, a group's windows are those of its site's zone.
  std::string window_zone(const SlaInfo& s, const Group& g) const {
    return s.window.site_zone && g.site ? site_zone(*g.site) : m_.timezone.name;
  }

  static boost::multiprecision::cpp_int big(i128 v) {
    // Through text: independent of the runtime's conversion.
    bool negative = v < 0;
    std::string digits;
    do {
      int d = static_cast<int>(v % 10);
      digits.insert(digits.begin(), static_cast<char>('0' + (negative ? -d : d)));
      v /= 10;
    } while (v != 0);
    return boost::multiprecision::cpp_int((negative ? "-" : "") + digits);
  }

  // SPEC 4.4 penalty amounts, from their words: percentages are fractions, figures come
  // from the row (`attainment` a fraction, judged as the SLA judges it), attributes
  // from the group's site or device; exact rationals, then half up to the currency's
  // minor unit, a negative amount 0, and nothing at all when nothing was measured.
  Decimal money(const SlaInfo& s, const AmountSpec& a, const Group* g, std::optional<boost::multiprecision::cpp_rational> attained,
                i64 measured, i64 good) {
    using R = boost::multiprecision::cpp_rational;
    auto exact = [](const Decimal& d, bool pct) {
      R r = R(boost::multiprecision::cpp_int(d.units));
      for (unsigned i = 0; i < d.scale + (pct ? 2u : 0u); ++i) r /= 10;
      return r;
    };
    if (g != nullptr && a.per_group() && measured == 0) return Decimal{};
    std::vector<R> st;
    for (const AmountNode& n : a.postfix) {
      if (n.kind == AmountNodeKind::literal) {
        st.push_back(exact(n.number, n.percent));
      } else if (n.kind == AmountNodeKind::param) {
        const ParamValue& p = m_.params[n.ref].value;
        st.push_back(exact(p.number, p.type == ParamType::percent));
      } else if (n.kind == AmountNodeKind::figure) {
        R target = s.target ? exact(value(*s.target), true) : R(0);
        st.push_back(n.figure == AmountFigure::attainment ? *attained
                     : n.figure == AmountFigure::shortfall ? (target > *attained ? R(target - *attained) : R(0))
                                                          : R(measured - good) / 3'600'000);
      } else if (n.kind == AmountNodeKind::attribute) {
        // `on any site.ATTR`: the group has no one site; any of its sites has the value.
        std::size_t site = 0;
        if (g->site) {
          site = *g->site;
        } else {
          while (site + 1 < w_.sites.size() && w_.sites[site].first != std::get<1>(w_.devices[g->devices.front()])) ++site;
        }
        Ctx c = m_.attributes[n.ref].level == Level::site ? Ctx{std::nullopt, site} : Ctx{g->devices.front(), site};
        st.push_back(exact(number(attr_text(c, n.ref)), false));
      } else {
        R r = st.back();
        st.pop_back();
        if (n.kind == AmountNodeKind::add) st.back() += r;
        if (n.kind == AmountNodeKind::subtract) st.back() -= r;
        if (n.kind == AmountNodeKind::multiply) st.back() *= r;
        if (n.kind == AmountNodeKind::divide) {
          if (r == 0) throw std::runtime_error("division by zero");
          st.back() /= r;
        }
      }
    }
    R v = st.back();
    if (v <= 0) return Decimal{};
    unsigned k = m_.currency == "JPY" ? 0 : (m_.currency == "KWD" || m_.currency == "BHD") ? 3 : 2;
    for (unsigned i = 0; i < k; ++i) v *= 10;
    boost::multiprecision::cpp_int units = numerator(v) / denominator(v);  // floor (v > 0)
    if (R(v - R(units)) >= R(1, 2)) ++units;
    return Decimal{units.convert_to<i64>(), static_cast<std::uint8_t>(k)}.normalized();
  }

  // The events of `signal` of one entity, with the condition's value at their minute.
  void mark_events(Group& g, const std::string& entity, const std::string& signal, const Bits& scope, const Bits& state) {
    for (const auto& ev : used_) {
      if (ev.entity != entity || ev.signal != signal || ev.time >= t1_ || ev.time < t0_) continue;
      auto i = static_cast<std::size_t>((ev.time - t0_) / minute);
      if (scope[i]) g.marks.emplace_back(i, state[i] != 0);
    }
  }

  // The groups of an SLA with, per minute, whether the requirement holds and whether
  // the minute is measured.
  std::vector<Group> groups_of(std::size_t si) {
    const SlaInfo& s = m_.slas[si];
    std::vector<Group> groups;
    const auto& G = s.grouping;
    auto site_of = [&](std::size_t d) {
      for (std::size_t k = 0; k < w_.sites.size(); ++k) {
        if (w_.sites[k].first == std::get<1>(w_.devices[d])) return k;
      }
      return std::size_t{0};
    };
    if (G.by_site()) {
      for (std::size_t k = 0; k < w_.sites.size(); ++k) {
        std::vector<std::size_t> ds;
        for (std::size_t d = 0; d < w_.devices.size(); ++d) {
          if (site_of(d) == k) ds.push_back(d);
        }
        if (ds.empty()) continue;
        if (G.where && !static_value(*G.where, Ctx{std::nullopt, k})) continue;
        groups.push_back({w_.sites[k].first, k, ds, {}, {}, false, false, {}, {}});
      }
    } else {
      std::map<std::string, Group> by;
      for (std::size_t d = 0; d < w_.devices.size(); ++d) {
        Ctx c{d, site_of(d)};
        if (G.where && !static_value(*G.where, c)) continue;
        std::string id = G.kind == GroupingKind::any_device      ? std::get<0>(w_.devices[d])
                         : G.kind == GroupingKind::any_attribute ? canonical(attr_text(c, G.attribute), G.attribute)
                                                                 : "*";
        auto& g = by[id];
        g.id = id;
        if (G.kind == GroupingKind::any_device) g.site = c.site;
        g.devices.push_back(d);
      }
      for (auto& [id, g] : by) groups.push_back(g);
    }
    std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.id < b.id; });
    for (auto& g : groups) {
      // Per minute: in-scope count (or weight) and in-state count.
      std::vector<i128> n(n_, 0), cnt(n_, 0);
      unsigned scale = 0;
      if (s.requirement.kind == RequirementKind::weighted) {
        for (std::size_t d : g.devices) scale = std::max<unsigned>(scale, number(attr_text(Ctx{d, site_of(d)}, s.requirement.attribute)).normalized().scale);
      }
      for (std::size_t d : g.devices) {
        Ctx c{d, site_of(d)};
        Bits scope = s.only ? eval(*s.only, c) : Bits(n_, 1);
        Bits state = eval(s.requirement.state, c);
        i128 w = 1;
        if (s.requirement.kind == RequirementKind::weighted) {
          Decimal x = number(attr_text(c, s.requirement.attribute)).normalized();
          w = static_cast<i128>(x.units) * pow10_128(scale - x.scale);
        }
        for (std::size_t i = 0; i < n_; ++i) {
          if (!scope[i]) continue;
          n[i] += w;
          if (state[i]) cnt[i] += w;
        }
        if (s.requirement.kind == RequirementKind::events && m_.signals[s.requirement.events_signal].level == Level::device) {
          mark_events(g, std::get<0>(w_.devices[d]), m_.signals[s.requirement.events_signal].name, scope, state);
        }
      }
      std::size_t gsite = g.site.value_or(0);
      if (s.requirement.kind == RequirementKind::events && m_.signals[s.requirement.events_signal].level == Level::site) {
        mark_events(g, w_.sites[gsite].first, m_.signals[s.requirement.events_signal].name, Bits(n_, 1),
                    eval(s.requirement.state, Ctx{std::nullopt, gsite}));
      }
      Bits base(n_, 1);
      if (s.during) {
        const CalendarInfo& cal = m_.calendars[*s.during];
        std::string zone = cal.zone_kind == ast::ZoneKind::site    ? site_zone(gsite)
                           : cal.zone_kind == ast::ZoneKind::named ? cal.zone.name
                                                                   : m_.timezone.name;
        Bits x = calendar(*s.during, zone);
        for (std::size_t i = 0; i < n_; ++i) base[i] = base[i] && x[i];
      }
      if (s.excluding) {
        Bits x = eval(*s.excluding, Ctx{std::nullopt, gsite});
        for (std::size_t i = 0; i < n_; ++i) base[i] = base[i] && !x[i];
        g.excluded_last = n_ > 0 && x[n_ - 1];
      }
      if (device_time_measure(s.requirement.kind)) {
        for (std::size_t d : g.devices) {
          Ctx c{d, site_of(d)};
          Bits scope = s.only ? eval(*s.only, c) : Bits(n_, 1);
          Bits state = eval(s.requirement.state, c);
          Bits dbase(n_, 1);
          if (s.during) {
            const CalendarInfo& cal = m_.calendars[*s.during];
            std::string zone = cal.zone_kind == ast::ZoneKind::site    ? site_zone(c.site)
                               : cal.zone_kind == ast::ZoneKind::named ? cal.zone.name
                                                                       : m_.timezone.name;
            Bits x = calendar(*s.during, zone);
            for (std::size_t i = 0; i < n_; ++i) dbase[i] = dbase[i] && x[i];
          }
          bool excluded_last = false;
          if (s.excluding) {
            Bits x = eval(*s.excluding, Ctx{std::nullopt, c.site});
            for (std::size_t i = 0; i < n_; ++i) dbase[i] = dbase[i] && !x[i];
            excluded_last = n_ > 0 && x[n_ - 1];
          }
          typename Group::DeviceBits b{c.site, Bits(n_, 0), Bits(n_, 0), n_ > 0 && scope[n_ - 1],
                                       n_ > 0 && scope[n_ - 1] && state[n_ - 1], excluded_last, {}};
          for (std::size_t i = 0; i < n_; ++i) {
            b.measured[i] = scope[i] && dbase[i];
            b.good[i] = b.measured[i] && state[i];
          }
          if (s.requirement.kind == RequirementKind::mean) {
            for (std::size_t i = 0; i < n_; ++i) b.value.push_back(mean_value(s.requirement.mean, s.requirement.mean.size() - 1, c, i));
          }
          g.each.push_back(std::move(b));
        }
        continue;
      }
      Bits holds(n_, 0), measurable(n_, 0);
      Decimal amount = s.requirement.kind == RequirementKind::all || s.requirement.kind == RequirementKind::per_device ||
                               s.requirement.kind == RequirementKind::site_attribute ||
                               s.requirement.kind == RequirementKind::events
                           ? Decimal{}
                           : value(s.requirement.amount);
      Decimal site_count;
      if (s.requirement.kind == RequirementKind::site_attribute) {
        site_count = number(attr_text(Ctx{std::nullopt, gsite}, s.requirement.attribute));
      }
      for (std::size_t i = 0; i < n_; ++i) {
        i128 N = n[i], C = cnt[i];
        bool h = false;
        switch (s.requirement.kind) {
          case RequirementKind::at_least: h = N > 0 && Decimal::integer(static_cast<i64>(C)) >= amount; break;
          case RequirementKind::at_most: h = Decimal::integer(static_cast<i64>(C)) <= amount; break;
          case RequirementKind::percent_of_devices:
          case RequirementKind::weighted: h = N > 0 && at_least(C, N, amount); break;
          case RequirementKind::site_attribute: h = N > 0 && Decimal::integer(static_cast<i64>(C)) >= site_count; break;
          case RequirementKind::all: h = N > 0 && C == N; break;
          case RequirementKind::per_device: h = N > 0 && C > 0; break;
          case RequirementKind::average_pooled:
          case RequirementKind::average_per_device: break;  // per device, above
          case RequirementKind::mean: break;                // per device, above
          case RequirementKind::events: h = N > 0 && C == N; break;  // judged per event, in sla()
        }
        holds[i] = h;
        measurable[i] = base[i] && N > 0;
      }
      g.in_scope_last = n_ > 0 && n[n_ - 1] > 0;
      g.holds = std::move(holds);
      g.measurable = std::move(measurable);
    }
    return groups;
  }

  void sla(std::size_t si, Result& r) {
    const SlaInfo& s = m_.slas[si];
    const auto& G = s.grouping;
    auto groups = groups_of(si);
    std::map<std::string, std::vector<std::pair<i64, i64>>> wins_of;  // by zone
    auto wins_in = [&](const std::string& zone) -> const std::vector<std::pair<i64, i64>>& {
      auto it = wins_of.find(zone);
      if (it == wins_of.end()) it = wins_of.emplace(zone, windows(s, r.from, r.to, zone)).first;
      return it->second;
    };
    // The verdicts' windows by local start (SPEC 4.4): the first group's window. A local
    // start is the wall time the window is written to start at (a day skipped at
    // midnight keeps its midnight), twice in a fold: the repeated one apart.
    auto name_of = [&](const std::string& zone, i64 ws) -> std::pair<i64, int> {
      i64 local = local_of(zone, ws);
      if (!(s.window.rolling && s.window.rolling_unit == ast::RollingUnit::hours)) {
        i64 off = s.window.rolling || s.window.period || s.window.periods ? 0 : s.window.start_minute * minute;
        for (i64 d = (local - off) / 86'400'000 - 1; d <= (local - off) / 86'400'000 + 1; ++d) {
          if (resolve(zone, d * 86'400'000 + off) == ws) return {d * 86'400'000 + off, 0};
        }
      }
      return {local, resolve(zone, local) != ws ? 1 : 0};
    };
    std::map<std::pair<i64, int>, std::pair<i64, i64>> verdict_windows;
    std::vector<std::pair<i64, int>> local_starts;  // of each row
    if (groups.empty() || !s.window.site_zone) {
      for (auto [ws, we] : wins_in(m_.timezone.name)) verdict_windows.emplace(std::make_pair(ws, 0), std::make_pair(ws, we));
    }
    std::vector<Row> rows;
    for (const auto& g : groups) {
      const Bits& measurable = g.measurable;
      std::string zone = window_zone(s, g);
      for (auto [ws, we] : wins_in(zone)) {
        std::pair<i64, int> local = s.window.site_zone ? name_of(zone, ws) : std::make_pair(ws, 0);
        verdict_windows.emplace(local, std::make_pair(ws, we));
        local_starts.push_back(local);
        Row row{s.name, ws, we, g.id, 0, 0, 0, 0, true, false, std::nullopt, std::nullopt, std::nullopt, true};
        std::vector<i64> outages;
        if (s.requirement.kind == RequirementKind::mean) {
          mean_row(s, g, ws, we, row);
          rows.push_back(row);
          continue;
        }
        if (device_average(s.requirement.kind)) {
          average_row(s, g, ws, we, row);
          rows.push_back(row);
          continue;
        }
        Bits holds = counted(s, g.holds, measurable, ws, we, window_zone(s, g));
        for (std::size_t i = 0; i < n_; ++i) {
          if (at(i) < ws || at(i) >= we) continue;
          if (measurable[i]) {
            row.measured += minute;
            if (holds[i]) row.good += minute;
          }
        }
        bool counts_events = s.requirement.kind == RequirementKind::events;
        if (counts_events) {
          // Counted: the events at measured minutes of the window; good: those whose
          // condition held at their minute.
          row.measured = row.good = 0;
          for (auto [i, good] : g.marks) {
            if (at(i) < ws || at(i) >= we || !measurable[i]) continue;
            ++row.measured;
            if (good) ++row.good;
          }
        }
        // Outages: maximal runs of not-holding minutes on the whole timeline, cut to the window.
        for (std::size_t i = 0; i < n_ && !counts_events;) {
          if (holds[i]) {
            ++i;
            continue;
          }
          std::size_t j = i;
          while (j < n_ && !holds[j]) ++j;
          i64 len = 0;
          for (std::size_t k = i; k < j; ++k) {
            if (at(k) >= ws && at(k) < we && measurable[k]) len += minute;
          }
          if (len > 0) outages.push_back(len);
          i = j;
        }
        row.outages = static_cast<i64>(outages.size());
        row.longest = outages.empty() ? 0 : *std::max_element(outages.begin(), outages.end());
        row.outages_defined = !counts_events;
        if (!s.is_kpi) {
          // An event measure: good events / counted events, with the target's forms as
          // usual (the checker refuses `of D` and downtime with it).
          auto a = counts_events ? (row.measured > 0 ? std::optional{std::pair<i128, i128>{row.good, row.measured}} : std::nullopt)
                                 : attainment(s, row.measured, row.good);
          if (s.rounding && a) row.rounded = rounded(s, *a);
          bool met = target_met(s, a) && (counts_events || downtime_met(s, row.measured, row.good));
          if (s.max_outage && row.longest > duration(*s.max_outage)) met = false;
          for (const auto& oc : s.outage_counts) {
            i64 limit = oc.longer_than ? duration(*oc.longer_than) : 0;
            i64 k = std::count_if(outages.begin(), outages.end(), [&](i64 l) { return l > limit; });
            if (Decimal::integer(k) > value(oc.count)) met = false;
          }
          row.met = met;
          row.near_miss = met && s.warn && a && !judged_at_least(s, *a, value(*s.warn));
          if (!G.estate_verdict()) {
            std::optional<boost::multiprecision::cpp_rational> attained;
            if (row.rounded) attained = percent(*row.rounded) / 100;
            else if (a) attained = boost::multiprecision::cpp_rational(big(a->first), big(a->second));
            Decimal p;
            if (s.penalty && !met) p = money(s, *s.penalty, &g, attained, row.measured, row.good);
            if (!s.tiers.empty() && a) {
              std::optional<Decimal> lowest;
              const AmountSpec* charged = nullptr;
              for (const auto& t : s.tiers) {
                if (!judged_at_least(s, *a, value(t.below)) && (!lowest || value(t.below) < *lowest)) {
                  lowest = value(t.below);
                  charged = &t.amount;
                }
              }
              if (charged != nullptr) p = money(s, *charged, &g, attained, row.measured, row.good);
            }
            row.penalty = p;
          }
        }
        rows.push_back(row);
      }
    }
    // By window (local start with `in site timezone`), then group id.
    std::vector<std::size_t> order(rows.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (s.window.site_zone) return local_starts[a] < local_starts[b];
      return rows[a].start != rows[b].start ? rows[a].start < rows[b].start : rows[a].end < rows[b].end;
    });
    std::vector<Row> sorted;
    std::vector<std::pair<i64, int>> sorted_local;
    for (std::size_t k : order) {
      sorted.push_back(rows[k]);
      sorted_local.push_back(local_starts[k]);
    }
    rows = std::move(sorted);
    if (!s.is_kpi) {
      for (auto [key, w] : verdict_windows) {
        auto [ws, we] = w;
        Verdict v{s.name, ws, we, 0, 0, true, Decimal{}};
        Decimal sum;
        for (std::size_t k = 0; k < rows.size(); ++k) {
          const Row& row = rows[k];
          if (s.window.site_zone ? sorted_local[k] != key : (row.start != ws || row.end != we)) continue;
          ++v.groups;
          if (row.met) ++v.groups_met;
          if (row.penalty) sum = *add(sum, *row.penalty);
        }
        if (G.kind == GroupingKind::every_site) {
          v.met = v.groups == v.groups_met;
          sum = !v.met && s.penalty ? money(s, *s.penalty, nullptr, std::nullopt, 0, 0) : Decimal{};
        } else if (G.kind == GroupingKind::percent_of_sites) {
          v.met = v.groups == 0 || at_least(v.groups_met, v.groups, value(G.percent));
          sum = !v.met && s.penalty ? money(s, *s.penalty, nullptr, std::nullopt, 0, 0) : Decimal{};
        } else {
          v.met = v.groups == v.groups_met;
        }
        if (s.cap && sum > money(s, *s.cap, nullptr, std::nullopt, 0, 0)) sum = money(s, *s.cap, nullptr, std::nullopt, 0, 0);
        v.penalty = sum;
        r.verdicts.push_back(v);
      }
    }
    for (auto& row : rows) r.rows.push_back(std::move(row));
  }

  // An event measure's status (SPEC 4.4): counts so far, no budget; lost only when a
  // 100% target has a bad event; never secured before the window ends.
  StatusRow event_status_row(const SlaInfo& s, const Group& g, i64 ws, i64 we) {
    StatusRow r{s.name, ws, we, g.id, 0, 0, 0, false, Decimal{}, Decimal{}, 0, false, "", std::nullopt};
    std::optional<bool> last;  // every event at the latest counted minute good
    std::size_t last_minute = 0;
    for (auto [i, good] : g.marks) {
      if (at(i) < ws || !g.measurable[i]) continue;
      ++r.measured_so_far;
      if (good) ++r.good_so_far;
      if (!last || i > last_minute) {
        last = good;
        last_minute = i;
      } else if (i == last_minute) {
        last = *last && good;
      }
    }
    r.failing_now = last && !*last;
    // Good events may still come without end: only an unrounded target of 100% (or
    // more) is lost for certain by a bad event; `more than`, `rounded to` judged as usual.
    bool lost = s.target && !s.rounding && !(value(*s.target) < Decimal::integer(100)) && r.good_so_far < r.measured_so_far;
    if (lost) {
      r.state = "breached";
    } else if (r.measured_so_far > 0 && !target_met(s, std::pair<i128, i128>{r.good_so_far, r.measured_so_far})) {
      r.state = "at_risk";
    } else {
      r.state = "on_track";
    }
    return r;
  }

  using Rational = boost::multiprecision::cpp_rational;

  // A decimal as an exact rational.
  static Rational percent(const Decimal& p) {
    return Rational(boost::multiprecision::cpp_int(p.units)) /
           Rational(boost::multiprecision::pow(boost::multiprecision::cpp_int(10), p.scale));
  }

  // An attainment in percent units as the SLA judges it: rounded half up to the step of
  // `rounded to Q%` (the rounded value too), else as it is.
  std::pair<Rational, std::optional<Decimal>> judged_percent(const SlaInfo& s, Rational a) const {
    if (!s.rounding) return {a, std::nullopt};
    Rational q = percent(value(*s.rounding));
    Rational steps = a / q + Rational(1, 2);
    boost::multiprecision::cpp_int k = numerator(steps) / denominator(steps);
    if (k * denominator(steps) > numerator(steps)) --k;  // floor for negatives
    Decimal qd = value(*s.rounding).normalized();
    return {Rational(k) * q, Decimal{static_cast<i64>(k) * qd.units, qd.scale}.normalized()};
  }

  // mean >= p% exactly.
  static bool mean_at_least(const Rational& mean, const Decimal& p) {
    return mean * 100 * Rational(boost::multiprecision::pow(boost::multiprecision::cpp_int(10), p.scale)) >=
           Rational(boost::multiprecision::cpp_int(p.units));
  }

  // SPEC 4.4, `on average`: sums of the devices' measured and good minutes, and the
  // mean of their ratios over those measured at all.
  void average_row(const SlaInfo& s, const Group& g, i64 ws, i64 we, Row& row) {
    row.outages_defined = false;
    Rational sum;
    int measured_devices = 0;
    for (const auto& d : g.each) {
      i64 m = 0, good = 0;
      Bits q = counted(s, d.good, d.measured, ws, we, window_zone(s, g));  // each device quantised alone
      for (std::size_t i = 0; i < n_; ++i) {
        if (at(i) < ws || at(i) >= we || !d.measured[i]) continue;
        m += minute;
        if (q[i]) good += minute;
      }
      row.measured += m;
      row.good += good;
      if (m > 0) {
        sum += Rational(good, m);
        ++measured_devices;
      }
    }
    bool per_device = s.requirement.kind == RequirementKind::average_per_device;
    if (per_device && measured_devices > 0) row.mean = sum / measured_devices;
    judge_device_time_row(s, g, row);
  }

  // SPEC 4.4, `mean of`: EXPR minute by minute over the devices' measured minutes, those
  // where it is unknown left out (or counted as `unknown as`).
  std::optional<Rational> mean_value(const std::vector<NumNode>& nodes, std::size_t id, const Ctx& c, std::size_t i) {
    auto exact = [](const Decimal& d) {
      return Rational(boost::multiprecision::cpp_int(d.units),
                      boost::multiprecision::pow(boost::multiprecision::cpp_int(10), d.scale));
    };
    const NumNode& n = nodes[id];
    switch (n.op) {
      case NumOp::literal: return exact(n.number);
      case NumOp::param: {
        const ParamValue& p = m_.params[n.ref].value;
        return p.type == ParamType::percent ? exact(p.number) / 100 : exact(p.number);
      }
      case NumOp::attribute: return exact(number(attr_text(c, n.ref)));
      case NumOp::signal: {
        const SignalInfo& sig = m_.signals[n.ref];
        const std::string* v = signal_values(entity_id(sig, c), sig.name)[i];
        if (v == nullptr) return std::nullopt;
        return exact(number(*v));
      }
      case NumOp::chain: break;
    }
    std::optional<Rational> acc = mean_value(nodes, n.operands[0], c, i);
    for (std::size_t k = 0; k < n.ops.size(); ++k) {
      std::optional<Rational> rhs = mean_value(nodes, n.operands[k + 1], c, i);
      if (!acc || !rhs || (n.ops[k] == '/' && *rhs == 0)) return std::nullopt;
      if (n.ops[k] == '+') *acc += *rhs;
      else if (n.ops[k] == '-') *acc -= *rhs;
      else if (n.ops[k] == '*') *acc *= *rhs;
      else *acc /= *rhs;
    }
    return acc;
  }

  // `unknown as`'s value; a percentage param is in percent units: its fraction is a
  // hundredth of it.
  std::optional<Rational> unknown_value(const SlaInfo& s) const {
    if (!s.requirement.unknown_as) return std::nullopt;
    const Quantity& q = *s.requirement.unknown_as;
    const Decimal u = value(q);
    unsigned hundredths = q.param && m_.params[*q.param].value.type == ParamType::percent ? 2 : 0;
    return Rational(boost::multiprecision::cpp_int(u.units),
                    boost::multiprecision::pow(boost::multiprecision::cpp_int(10), u.scale + hundredths));
  }

  void mean_row(const SlaInfo& s, const Group& g, i64 ws, i64 we, Row& row) {
    row.outages_defined = false;
    std::optional<Rational> unknown_as = unknown_value(s);
    Rational integral;
    for (const auto& d : g.each) {
      for (std::size_t i = 0; i < n_; ++i) {
        if (at(i) < ws || at(i) >= we || !d.measured[i]) continue;
        const auto& v = d.value[i] ? d.value[i] : unknown_as;
        if (!v) continue;
        row.measured += minute;
        integral += *v * minute;
      }
    }
    if (row.measured > 0) row.mean = integral / row.measured;
    judge_device_time_row(s, g, row);
  }

  // The judgement of a row measured over device-time: by its exact mean when it has
  // one, else good / measured (or against D).
  void judge_device_time_row(const SlaInfo& s, const Group& g, Row& row) {
    if (s.is_kpi) return;
    // The attainment (SPEC 4.4): the mean of ratios, or good / measured (against D when
    // the target says so), in percent units, rounded when the SLA rounds.
    auto pct = [](const Decimal& p) { return percent(p); };
    std::optional<Rational> judged;
    if (row.measured > 0) {
      Rational a = row.mean ? *row.mean * 100
                   : s.target_of ? Rational(duration(*s.target_of) - (row.measured - row.good)) * 100 / duration(*s.target_of)
                                 : Rational(row.good) * 100 / row.measured;
      std::tie(judged, row.rounded) = judged_percent(s, a);
    }
    auto attains = [&](const Decimal& p) { return *judged >= pct(p); };
    if (s.target && judged && s.target_more_than) row.met = *judged > pct(value(*s.target));
    else row.met = !(s.target && judged && !attains(value(*s.target)));
    row.near_miss = row.met && s.warn && row.measured > 0 && !attains(value(*s.warn));
    if (!s.grouping.estate_verdict()) {
      std::optional<Rational> attained;
      if (judged) attained = *judged / 100;
      Decimal p;
      if (s.penalty && !row.met) p = money(s, *s.penalty, &g, attained, row.measured, row.good);
      if (!s.tiers.empty() && row.measured > 0) {
        std::optional<Decimal> lowest;
        const AmountSpec* charged = nullptr;
        for (const auto& t : s.tiers) {
          if (!attains(value(t.below)) && (!lowest || value(t.below) < *lowest)) {
            lowest = value(t.below);
            charged = &t.amount;
          }
        }
        if (charged != nullptr) p = money(s, *charged, &g, attained, row.measured, row.good);
      }
      row.penalty = p;
    }
  }

  // SPEC 4.4 + 5.2 for `mean of` (docs/status.md): no budget; the rest of the window
  // taken at each in-scope device's value at T; settled only when no rest is measured.
  StatusRow mean_status_row(const SlaInfo& s, const Group& g, i64 ws, i64 we, i64 T) {
    StatusRow r{s.name, ws, we, g.id, 0, 0, 0, false, Decimal{}, Decimal{}, 0, false, "", std::nullopt};
    std::optional<Rational> unknown_as = unknown_value(s);
    auto meets = [&](const Rational& mean) {
      if (!s.target) return true;
      Rational judged = judged_percent(s, mean * 100).first, p = percent(value(*s.target));
      return s.target_more_than ? judged > p : judged >= p;
    };
    Rational so_far, total;
    i64 rest_all = 0;
    for (const auto& d : g.each) {
      for (std::size_t i = 0; i < n_; ++i) {
        if (at(i) < ws || !d.measured[i]) continue;
        const auto& v = d.value[i] ? d.value[i] : unknown_as;
        if (!v) continue;
        r.measured_so_far += minute;
        so_far += *v * minute;
      }
      const auto& now = n_ > 0 && d.value[n_ - 1] ? d.value[n_ - 1] : unknown_as;
      if (!d.in_scope_last || n_ == 0 || !now) continue;
      std::optional<std::string> zone;
      if (s.during) {
        const CalendarInfo& cal = m_.calendars[*s.during];
        zone = cal.zone_kind == ast::ZoneKind::site    ? site_zone(d.site)
               : cal.zone_kind == ast::ZoneKind::named ? cal.zone.name
                                                       : m_.timezone.name;
      }
      i64 rest = 0;
      for (i64 u = T; u < we; u += minute) {
        if (!s.during || in_calendar(*s.during, *zone, u)) rest += minute;
      }
      rest_all += rest;
      total += *now * rest;
      if (!meets(*now)) r.failing_now = true;
    }
    r.failing_now = r.failing_now && s.target.has_value();
    // The integral so far, to the nearest millisecond (halves up).
    Rational half_up = so_far + Rational(1, 2);
    r.good_so_far = static_cast<i64>(boost::multiprecision::numerator(half_up) / boost::multiprecision::denominator(half_up));
    if (half_up < 0 && boost::multiprecision::denominator(half_up) != 1) r.good_so_far -= 1;
    r.measured_total = r.measured_so_far + rest_all;
    bool end_meets = r.measured_total == 0 || meets((so_far + total) / r.measured_total);
    r.state = rest_all == 0 ? (end_meets ? "secured" : "breached") : (end_meets ? "on_track" : "at_risk");
    return r;
  }

  // SPEC 4.4 + 5.2 for `on average`: device-time budgets; each device's rest on its own
  // site's calendar while it is in scope at T.
  StatusRow average_status_row(const SlaInfo& s, const Group& g, i64 ws, i64 we, i64 T) {
    StatusRow r{s.name, ws, we, g.id, 0, 0, 0, false, Decimal{}, Decimal{}, 0, false, "", std::nullopt};
    struct Fig {
      i64 m, good;
      std::vector<i64> rest;
      bool failing;
      i64 stake_good, stake_bad;  // of its unfinished counting interval
    };
    std::vector<Fig> figs;
    i64 stake_good = 0, stake_bad = 0;
    for (const auto& d : g.each) {
      Fig f{0, 0, {}, false, 0, 0};
      Bits q = counted(s, d.good, d.measured, ws, T, window_zone(s, g));
      for (std::size_t i = 0; i < n_; ++i) {
        if (at(i) < ws || !d.measured[i]) continue;
        f.m += minute;
        if (q[i]) f.good += minute;
      }
      if (d.in_scope_last) {
        std::optional<std::string> zone;
        if (s.during) {
          const CalendarInfo& cal = m_.calendars[*s.during];
          zone = cal.zone_kind == ast::ZoneKind::site    ? site_zone(d.site)
                 : cal.zone_kind == ast::ZoneKind::named ? cal.zone.name
                                                         : m_.timezone.name;
        }
        for (i64 u = T; u < we; u += minute) {
          if (!s.during || in_calendar(*s.during, *zone, u)) f.rest.push_back(u);
        }
        f.failing = !d.good_last;
        // Each device's unfinished counting interval is its own (SPEC 4.4).
        std::tie(f.stake_good, f.stake_bad) = at_stake(s, d.good, q, d.measured, f.rest, ws, we, T, window_zone(s, g));
      }
      stake_good += f.stake_good;
      stake_bad += f.stake_bad;
      r.failing_now = r.failing_now || f.failing;
      r.measured_so_far += f.m;
      r.good_so_far += f.good;
      r.measured_total += f.m + static_cast<i64>(f.rest.size()) * minute;
      figs.push_back(std::move(f));
    }
    r.used = r.measured_so_far - r.good_so_far;
    if (!s.target && !s.max_downtime) {
      r.state = "secured";
      return r;
    }
    if (s.requirement.kind == RequirementKind::average_pooled) {
      // Device-time budgets of every target form and of the downtime objective.
      Judged j = judge_budgets(s, r, r.measured_total - r.measured_so_far, stake_good, stake_bad);
      r.state = j.breached ? "breached" : j.secured ? "secured" : j.at_risk ? "at_risk" : "on_track";
      if (r.failing_now && j.need && r.state != "secured" && r.state != "breached") {
        // Minute by minute, the failing devices' measured minutes after T.
        i128 need = *j.need, acc = 0;
        for (i64 u = T; u < we && !r.breach_at; u += minute) {
          int k = 0;
          for (const auto& f : figs) {
            if (f.failing && std::binary_search(f.rest.begin(), f.rest.end(), u)) ++k;
          }
          if (k > 0 && acc + static_cast<i128>(k) * minute >= need) {
            r.breach_at = u + static_cast<i64>((need - acc + k - 1) / k);
          }
          acc += static_cast<i128>(k) * minute;
        }
      }
      return r;
    }
    // The mean of ratios, judged as eval judges it (rounded, strict), and the downtime
    // objective over the summed device-time.
    auto meets = [&](const Rational& mean, i64 good) {
      if (!downtime_met(s, r.measured_total, good)) return false;
      if (!s.target) return true;
      Rational a = judged_percent(s, mean * 100).first, p = percent(value(*s.target));
      return s.target_more_than ? a > p : a >= p;
    };
    Rational worst, best, trend;
    i64 worst_good = 0, best_good = 0, trend_good = 0;
    int measured_devices = 0;
    for (const auto& f : figs) {
      i64 rest = static_cast<i64>(f.rest.size()) * minute, total = f.m + rest;
      if (total == 0) continue;
      ++measured_devices;
      worst += Rational(f.good - f.stake_good, total);
      best += Rational(f.good + rest + f.stake_bad, total);
      trend += Rational(f.good + (f.failing ? 0 : rest), total);
      worst_good += f.good - f.stake_good;
      best_good += f.good + rest + f.stake_bad;
      trend_good += f.good + (f.failing ? 0 : rest);
    }
    if (measured_devices == 0 || meets(worst / measured_devices, worst_good)) r.state = "secured";
    else if (!meets(best / measured_devices, best_good)) r.state = "breached";
    else if (!meets(trend / measured_devices, trend_good)) r.state = "at_risk";
    else r.state = "on_track";
    return r;
  }

  // Under `counted in`: the good time so far of the interval holding T, lost should the
  // rest fail it; its bad time so far, regained should the rest pass it. `rest` holds
  // the measured minutes after T.
  std::pair<i64, i64> at_stake(const SlaInfo& s, const Bits& raw_holds, const Bits& holds, const Bits& measurable,
                               const std::vector<i64>& rest, i64 ws, i64 we, i64 T, const std::string& zone) {
    i64 stake_good = 0, stake_bad = 0;
    if (!s.counted || n_ == 0) return {0, 0};
    i64 length = duration(s.counted->length);
    i64 a = interval_start(s, length, T - minute, zone);
    // It ends after `length`, or earlier at the next day's start.
    i64 b = a + length;
    for (i64 u = a + minute; u < a + length; u += minute) {
      if (interval_start(s, length, u, zone) != a) {
        b = u;
        break;
      }
    }
    i64 rest_in = 0;
    for (i64 u : rest) rest_in += u < std::min(b, we) ? minute : 0;
    if (b > T && rest_in > 0) {
      i64 measured = 0, raw_bad = 0, good = 0;
      for (std::size_t i = 0; i < n_; ++i) {
        if (at(i) < std::max(a, ws) || !measurable[i]) continue;
        measured += minute;
        if (!raw_holds[i]) raw_bad += minute;
        if (holds[i]) good += minute;
      }
      auto fails = [&](i64 m, i64 bad) {
        return s.counted->failed_if == ast::FailedIf::any   ? bad > 0
               : s.counted->failed_if == ast::FailedIf::all ? bad == m
                                                            : !at_least_over(bad, m, value(*s.counted->over));
      };
      if (fails(measured + rest_in, raw_bad + rest_in)) stake_good = good;
      if (!fails(measured + rest_in, raw_bad)) stake_bad = measured - good;
    }
    return {stake_good, stake_bad};
  }

  // The budgets of a group-window so far (SPEC 4.4 target forms, the downtime
  // objective), with `r.used` and `r.measured_total` set; fills r's budget fields.
  struct Judged {
    bool secured = true, breached = false, at_risk = false;
    std::optional<i128> need;  // more downtime that breaches
  };
  Judged judge_budgets(const SlaInfo& s, StatusRow& r, i64 rest_ms, i64 stake_good, i64 stake_bad) {
    Judged j;
    // A budget of downtime over the window (ms, exact): met while the window's downtime
    // is at most it (under it when strict).
    auto judge_budget = [&](const Decimal& budget, bool strict, bool nothing_measured, bool fields) {
      Decimal left = *add(budget, Decimal::integer(-r.used));
      if (fields) {
        r.has_budget = true;
        r.budget = budget;
        r.left = left;
      }
      if (nothing_measured) return;
      // An unfinished counting interval may still lose good time or regain bad time.
      Decimal worst = Decimal::integer(r.used + rest_ms + stake_good);
      Decimal best_left = *add(left, Decimal::integer(stake_bad));
      j.secured = j.secured && (strict ? worst < budget : !(budget < worst));
      j.breached = j.breached || best_left.is_negative() || (strict && best_left == Decimal{});
      j.at_risk = j.at_risk || *multiply(left, 4) < budget;
      i128 need = std::max<i128>(ceil_integer(left), 0);
      j.need = j.need ? std::min(*j.need, need) : need;
    };
    if (s.target) {
      // SPEC 4.4: `at least` with `rounded to Q%` meets at P - Q/2, `more than` at P + Q/2.
      Decimal p = value(*s.target).normalized();
      bool strict = s.target_more_than;
      if (s.rounding) {
        Decimal half_q = value(*s.rounding).normalized();
        half_q = Decimal{half_q.units * 5, static_cast<std::uint8_t>(half_q.scale + 1)};
        p = *add(p, s.target_more_than ? half_q : Decimal{-half_q.units, half_q.scale});
        p = p.normalized();
        strict = false;
      }
      i64 base = s.target_of ? duration(*s.target_of) : r.measured_total;
      i128 units = static_cast<i128>(base) * (100 * pow10_128(p.scale) - p.units);
      judge_budget(Decimal{static_cast<i64>(units), static_cast<std::uint8_t>(p.scale + 2)}.normalized(), strict,
                   r.measured_total == 0, true);
    }
    if (s.max_downtime) {
      judge_budget(Decimal::integer(duration(*s.max_downtime)), s.downtime_less_than, false, !s.target);
    }
    return j;
  }

  StatusRow status_row(const SlaInfo& s, const Group& raw, i64 ws, i64 we, i64 T) {
    if (s.requirement.kind == RequirementKind::events) return event_status_row(s, raw, ws, we);
    if (s.requirement.kind == RequirementKind::mean) return mean_status_row(s, raw, ws, we, T);
    if (device_average(s.requirement.kind)) return average_status_row(s, raw, ws, we, T);
    StatusRow r{s.name, ws, we, raw.id, 0, 0, 0, false, Decimal{}, Decimal{}, 0, false, "", std::nullopt};
    // Under `counted in`, the requirement quantised in the window so far (the interval
    // holding T judged on its minutes before T).
    Group g = raw;
    g.holds = counted(s, raw.holds, raw.measurable, ws, T, window_zone(s, raw));
    for (std::size_t i = 0; i < n_; ++i) {
      if (at(i) < ws || !g.measurable[i]) continue;
      r.measured_so_far += minute;
      if (g.holds[i]) r.good_so_far += minute;
    }
    r.failing_now = n_ > 0 && !(s.counted ? counted(s, raw.holds, raw.measurable, t0_, T, window_zone(s, raw)) : g.holds)[n_ - 1];
    // The rest, standing still: the calendar goes on; scope as at T; an exclusion under
    // way at T ends at T (SPEC 5.2).
    std::vector<i64> rest;  // the measured minutes after T
    if (g.in_scope_last) {
      std::optional<std::string> zone;
      if (s.during) {
        const CalendarInfo& cal = m_.calendars[*s.during];
        zone = cal.zone_kind == ast::ZoneKind::site    ? site_zone(g.site.value_or(0))
               : cal.zone_kind == ast::ZoneKind::named ? cal.zone.name
                                                       : m_.timezone.name;
      }
      for (i64 u = T; u < we; u += minute) {
        if (!s.during || in_calendar(*s.during, *zone, u)) rest.push_back(u);
      }
    }
    r.measured_total = r.measured_so_far + static_cast<i64>(rest.size()) * minute;
    // Outages in the window so far; the last one is ongoing when failing now.
    std::vector<i64> outages;
    bool ongoing = false;
    for (std::size_t i = 0; i < n_;) {
      if (g.holds[i]) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < n_ && !g.holds[j]) ++j;
      i64 len = 0;
      for (std::size_t k = i; k < j; ++k) {
        if (at(k) >= ws && g.measurable[k]) len += minute;
      }
      if (len > 0) {
        outages.push_back(len);
        ongoing = j == n_;
      }
      i = j;
    }
    if (!r.failing_now) ongoing = false;
    i64 ongoing_length = ongoing ? outages.back() : 0;
    auto [stake_good, stake_bad] = at_stake(s, raw.holds, g.holds, g.measurable, rest, ws, we, T, window_zone(s, raw));
    r.used = r.measured_so_far - r.good_so_far;
    i64 rest_ms = static_cast<i64>(rest.size()) * minute;
    Judged j = judge_budgets(s, r, rest_ms, stake_good, stake_bad);
    bool target_secured = j.secured, target_breached = j.breached, budget_at_risk = j.at_risk;
    std::optional<i128> breach_need = j.need;
    auto outage_ok = [&](const std::vector<i64>& outs) {
      for (i64 l : outs) {
        if (s.max_outage && l > duration(*s.max_outage)) return false;
      }
      for (const auto& oc : s.outage_counts) {
        i64 limit = oc.longer_than ? duration(*oc.longer_than) : 0;
        i64 k = std::count_if(outs.begin(), outs.end(), [&](i64 l) { return l > limit; });
        if (Decimal::integer(k) > value(oc.count)) return false;
      }
      return true;
    };
    std::vector<i64> worst = outages;
    if (!rest.empty()) {
      if (ongoing) worst.back() += static_cast<i64>(rest.size()) * minute + stake_good;
      else worst.push_back(static_cast<i64>(rest.size()) * minute + stake_good);
    }
    if (target_breached || !outage_ok(outages)) {
      r.state = "breached";
    } else if (target_secured && outage_ok(worst)) {
      r.state = "secured";
    } else if (budget_at_risk) {
      r.state = "at_risk";
    } else if (!r.has_budget && r.failing_now) {
      r.state = "at_risk";
    } else {
      r.state = "on_track";
    }
    if (r.failing_now && r.state != "secured" && r.state != "breached") {
      auto reach = [&](i128 amount) -> std::optional<i64> {
        i128 acc = 0;
        for (i64 u : rest) {
          if (acc + minute >= amount) return u + static_cast<i64>(amount - acc);
          acc += minute;
        }
        return std::nullopt;
      };
      std::optional<i64> at_t;
      if (breach_need) at_t = reach(*breach_need);
      if (s.max_outage) {
        if (auto t = reach(std::max<i128>(duration(*s.max_outage) - ongoing_length, 0))) at_t = at_t ? std::min(*at_t, *t) : *t;
      }
      r.breach_at = at_t;
    }
    return r;
  }

  // Is the UTC minute `u` inside the calendar, in `zone`? From the spans of the local
  // days around it, resolved by their endpoints.
  bool in_calendar(std::size_t ci, const std::string& zone, i64 u) {
    const CalendarInfo& c = m_.calendars[ci];
    i64 d = day_of(zone, u);
    bool in = false;
    for (i64 day = d - 1; day <= d; ++day) {
      for (const auto& sp : c.spans) {
        if (!(sp.weekdays & (1u << weekday(day)))) continue;
        i64 ls = day * 86'400'000 + sp.start_minute * minute;
        i64 le = (sp.end_minute > sp.start_minute ? day : day + 1) * 86'400'000 + sp.end_minute * minute;
        if (u >= resolve(zone, ls) && u < resolve(zone, le)) in = true;
      }
    }
    if (!in) return false;
    for (std::size_t h : c.holidays) {
      for (i64 hd : m_.holidays[h].days) {
        if (u >= resolve(zone, hd * 86'400'000) && u < resolve(zone, (hd + 1) * 86'400'000)) return false;
      }
    }
    return true;
  }

  std::string canonical(const std::string& text, std::size_t a) const {
    const AttributeInfo& info = m_.attributes[a];
    if (info.type == ValueType::number) return number(text).to_string();
    if (info.type == ValueType::boolean) return (text == "true" || text == "1" || text == "TRUE") ? "true" : "false";
    return text;
  }

  const Model& m_;
  const World& w_;
  std::vector<Event> used_;
  i64 t0_ = 0, t1_ = 0;
  std::size_t n_ = 0;
  std::map<std::pair<std::size_t, std::string>, Bits> calendars_;
  std::map<std::pair<std::string, std::string>, std::vector<const std::string*>> values_;
  std::map<std::pair<std::string, i64>, i64> resolved_;
};

}  // namespace slac::oracle
