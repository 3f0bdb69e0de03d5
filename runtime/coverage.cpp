// Data coverage and the warnings of judgements that reach past the data.
#include "runtime/coverage.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "base/time.hpp"
#include "runtime/calendar.hpp"
#include "runtime/output.hpp"

namespace slac::rt {

std::int64_t silence_grace(const Plan& plan) {
  std::int64_t longest = 0;
  bool any = false;
  for (const auto& n : plan.nodes) {
    if (n.op != NodeOp::seen) continue;
    any = true;
    longest = std::max(longest, n.duration);
  }
  return any ? longest : ms_per_day;
}

namespace {

bool bounds_recorded(const Dataset& data) {
  return data.site_bounds.size() == data.sites.size() && data.device_bounds.size() == data.devices.size();
}

// Per site, the bounds of its own events and of its devices'.
std::vector<EventBounds> site_event_bounds(const Dataset& data) {
  std::vector<EventBounds> sites = data.site_bounds;
  for (std::size_t d = 0; d < data.devices.size(); ++d) sites[data.devices[d].site].add(data.device_bounds[d]);
  return sites;
}

}  // namespace

Coverage data_coverage(const Plan& plan, const Dataset& data, std::int64_t until) {
  Coverage c;
  c.first_event = data.earliest;
  c.last_event = data.latest;
  c.until = until;
  c.grace = silence_grace(plan);
  if (!bounds_recorded(data)) return c;
  std::vector<EventBounds> sites = site_event_bounds(data);
  std::vector<bool> has_devices(data.sites.size(), false);
  for (const Device& d : data.devices) has_devices[d.site] = true;
  for (std::size_t s = 0; s < sites.size(); ++s) {
    if (!sites[s].any()) {
      if (has_devices[s]) c.silent_sites.push_back({s, std::nullopt});
    } else if (until - sites[s].last > c.grace) {
      c.silent_sites.push_back({s, sites[s].last});
    }
  }
  return c;
}

std::int64_t judged_until(const Evaluation& ev) {
  std::optional<std::int64_t> end;
  for (const auto& r : ev.rows) end = std::max(end.value_or(r.window_end), r.window_end);
  return end.value_or(ev.to);
}

bool judged_nothing(const Evaluation& ev, std::size_t sla) {
  return std::none_of(ev.rows.begin(), ev.rows.end(), [&](const ResultRow& r) { return r.sla == sla; });
}

namespace {

// A local date when the instant is a local midnight of the zone, else RFC 3339.
std::string instant_text(const Zone& zone, std::int64_t t) {
  if (local_midnight(zone, local_day(zone, t)) != t) return format_instant(t);
  int y;
  unsigned m, d;
  civil_from_days(local_day(zone, t), y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string span_text(const Zone& zone, std::int64_t from, std::int64_t to) {
  return fmt::format("{} .. {}", instant_text(zone, from), instant_text(zone, to));
}

std::string window_kind(const SlaPlan& s) {
  if (s.window.periods) return "period of its list";
  if (s.window.period) {
    bool weeks = s.window.rolling_unit == ast::RollingUnit::weeks;
    return fmt::format("period of {} {}{}", s.window_count, weeks ? "week" : "day", s.window_count == 1 ? "" : "s");
  }
  if (s.window.calendar()) {
    return fmt::format("calendar {}{}", ast::unit_word(s.window.unit),
                       s.window.moved_start() ? " starting " + s.window.start_text() : "");
  }
  std::string_view units = ast::unit_word(s.window.rolling_unit);
  std::string_view unit = units.substr(0, units.size() - 1);
  return fmt::format("rolling window of {} {}{}", s.window_count, unit, s.window_count == 1 ? "" : "s");
}

std::string what(const SlaPlan& s) { return fmt::format("{} `{}`", s.is_kpi ? "KPI" : "SLA", s.name); }

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// The first window lying wholly after `from`, looking up to 100 years ahead.
std::optional<std::pair<std::int64_t, std::int64_t>> first_window(const SlaPlan& s, const Zone& zone, std::int64_t from) {
  for (std::int64_t days = 2; days <= 2 * max_span_days; days *= 2) {
    auto found = windows(s.window, s.window_count, zone, from, from + days * ms_per_day);
    if (!found.empty()) return found.front();
  }
  return std::nullopt;
}

// The first event of a group of a site or device grouping (nullopt for others).
std::optional<std::int64_t> group_first_event(const SlaPlan& s, const Dataset& data,
                                              const std::vector<EventBounds>& site_bounds, const std::string& group) {
  if (site_bounds.empty()) return std::nullopt;
  EventBounds b;
  if (s.grouping == GroupingKind::any_device) {
    auto it = data.device_index.find(group);
    if (it == data.device_index.end()) return std::nullopt;
    b = data.device_bounds[it->second];
    b.add(data.site_bounds[data.devices[it->second].site]);
  } else if (s.grouping == GroupingKind::any_site || s.grouping == GroupingKind::every_site ||
             s.grouping == GroupingKind::percent_of_sites) {
    auto it = data.site_index.find(group);
    if (it == data.site_index.end()) return std::nullopt;
    b = site_bounds[it->second];
  }
  if (!b.any()) return std::nullopt;
  return b.first;
}

// Silent sites, unless the whole dataset ends too early (said once, by the caller).
void silent_sites_warning(std::vector<Warning>& out, const Dataset& data, const Coverage& c) {
  if (c.silent_sites.empty()) return;
  std::string list;
  std::size_t shown = std::min<std::size_t>(c.silent_sites.size(), 5);
  for (std::size_t i = 0; i < shown; ++i) {
    const SiteSilence& s = c.silent_sites[i];
    list += fmt::format("{}`{}` ({})", i == 0 ? "" : ", ", data.sites[s.site].id,
                        s.last_event ? "last event " + format_instant(*s.last_event) : "no event");
  }
  if (c.silent_sites.size() > shown) list += fmt::format(" and {} more", c.silent_sites.size() - shown);
  std::size_t n = c.silent_sites.size();
  out.push_back({"silent_sites", std::nullopt,
                 fmt::format("{} no event in the {} before {}: {}; {} silence is judged as it stands",
                             plural(n, "site has", "sites have"), format_duration(c.grace), format_instant(c.until), list,
                             n == 1 ? "its" : "their"),
                 std::nullopt});
}

}  // namespace

std::vector<Warning> eval_warnings(const Plan& plan, const Dataset& data, const Evaluation& ev, const Coverage& c,
                                   const std::vector<std::size_t>& selected) {
  const Zone& zone = plan.model->timezone;
  std::vector<Warning> out;
  if (plan.slas.empty()) {
    // A contract of declarations alone (often one that imports a standard contract,
    // expecting its SLAs): an empty result must not read as all met.
    out.push_back({"no_sla", std::nullopt,
                   "the contract has no SLA or KPI, so nothing was judged (an `import` brings in another file's "
                   "declarations, not its SLAs; judge that file itself, or copy its SLAs)",
                   std::nullopt});
  }
  std::vector<EventBounds> site_bounds = bounds_recorded(data) ? site_event_bounds(data) : std::vector<EventBounds>{};
  for (std::size_t i : selected) {
    const SlaPlan& s = plan.slas[i];
    if (judged_nothing(ev, i)) {
      // The zones the groups' windows are in: with `in site timezone` (SPEC 4.4), those
      // of the sites that have devices; else the contract's.
      std::vector<const Zone*> zones;
      if (s.window.site_zone) {
        std::set<std::string> seen;
        for (const Device& d : data.devices) {
          const Zone& z = data.sites[d.site].zone;
          if (seen.insert(z.name).second) zones.push_back(&z);
        }
      }
      if (zones.empty()) zones.push_back(&zone);
      bool any_window = std::any_of(zones.begin(), zones.end(), [&](const Zone* z) {
        return !windows(s.window, s.window_count, *z, ev.from, ev.to).empty();
      });
      if (any_window) {
        out.push_back({"no_group", i,
                       fmt::format("{}: no group to judge in {} (no site or device is in its groups); nothing was judged",
                                   what(s), span_text(zone, ev.from, ev.to)),
                       std::nullopt});
        continue;
      }
      // The first complete window after `from`, in whichever of the zones ends first.
      std::optional<std::pair<std::int64_t, std::int64_t>> next;
      const Zone* next_zone = zones.front();
      for (const Zone* z : zones) {
        auto w = first_window(s, *z, ev.from);
        if (w && (!next || w->second < next->second)) {
          next = w;
          next_zone = z;
        }
      }
      std::string in_zone = s.window.site_zone ? fmt::format(" in {}", next_zone->name) : "";
      std::string hint = next ? fmt::format("the first complete {} would be {}{}, which needs the span to reach {}",
                                            window_kind(s), window_label(s, *next_zone, next->first, next->second),
                                            in_zone, instant_text(zone, next->second))
                              : fmt::format("no complete {} starts within 100 years", window_kind(s));
      out.push_back({"no_complete_window", i,
                     fmt::format("{}: no complete window in {} ({}); nothing was judged", what(s),
                                 span_text(zone, ev.from, ev.to), hint),
                     next});
      continue;
    }
    // Windows that begin before their group's first event: the time before it is
    // judged with every signal unknown (`seen` false, comparisons false).
    std::uint64_t before = 0, affected = 0;
    std::optional<std::int64_t> data_start;  // the latest first event of the groups affected
    for (const auto& r : ev.rows) {
      if (r.sla != i || !r.before_data) continue;
      ++before;
      if (r.bad_before_data > 0 && (s.is_kpi || !r.met)) {
        ++affected;
        std::optional<std::int64_t> first = group_first_event(s, data, site_bounds, r.group);
        if (first) data_start = std::max(data_start.value_or(*first), *first);
      }
    }
    if (!data_start) data_start = c.first_event;
    if (affected > 0) {
      out.push_back({"windows_before_data", i,
                     fmt::format("{}: {} before the first event of {} group, judged with every signal unknown until "
                                 "then, and {} {}; start the span at the data with --from{}, or scope the devices with "
                                 "`only` (docs/semantics.md)",
                                 what(s), plural(before, "group-window begins", "group-windows begin"),
                                 before == 1 ? "its" : "their", affected,
                                 s.is_kpi ? (affected == 1 ? "falls short" : "fall short")
                                          : (affected == 1 ? "is breached" : "are breached"),
                                 data_start ? " " + format_instant(*data_start) + " or later" : ""),
                     std::nullopt});
    }
  }
  if (!c.last_event) {
    out.push_back({"no_data", std::nullopt,
                   fmt::format("the data has no event; every window in {} is judged on silence", span_text(zone, ev.from, ev.to)),
                   std::nullopt});
  } else if (c.until - *c.last_event > c.grace) {
    out.push_back({"span_past_data", std::nullopt,
                   fmt::format("the data ends at {}, but windows are judged to {}: the {} after its last event are "
                               "judged on silence (`seen … within` fails, other signals keep their last value); end the "
                               "span at the data with --to",
                               format_instant(*c.last_event), format_instant(c.until),
                               format_duration(c.until - *c.last_event)),
                   std::nullopt});
  } else {
    silent_sites_warning(out, data, c);
  }
  return out;
}

std::vector<Warning> status_warnings(const Dataset& data, std::int64_t as_of, const Coverage& c) {
  std::vector<Warning> out;
  if (!c.last_event) {
    out.push_back({"as_of_before_data", std::nullopt,
                   data.earliest_ignored
                       ? fmt::format("--as-of {} is before the data's first event ({}): every group is judged on no data",
                                     format_instant(as_of), format_instant(*data.earliest_ignored))
                       : fmt::format("the data has no event before --as-of {}: every group is judged on no data",
                                     format_instant(as_of)),
                   std::nullopt});
  } else if (as_of - *c.last_event > c.grace) {
    out.push_back({"as_of_past_data", std::nullopt,
                   fmt::format("--as-of {} is {} after the data's last event ({}), longer than {}: the silence is judged "
                               "as it stands (`seen … within` fails, other signals keep their last value)",
                               format_instant(as_of), format_duration(as_of - *c.last_event),
                               format_instant(*c.last_event), format_duration(c.grace)),
                   std::nullopt});
  } else {
    silent_sites_warning(out, data, c);
  }
  return out;
}

void coverage_json(JsonWriter& w, const Dataset& data, const Coverage& c) {
  w.key("coverage").begin_object();
  if (c.first_event) w.key("first_event").string(format_instant(*c.first_event));
  else w.key("first_event").null();
  if (c.last_event) w.key("last_event").string(format_instant(*c.last_event));
  else w.key("last_event").null();
  w.key("judged_until").string(format_instant(c.until));
  w.key("silence_s").raw(seconds_text(c.grace));
  w.key("silent_sites").begin_array();
  for (const auto& s : c.silent_sites) {
    w.begin_inline_object();
    w.key("site").string(data.sites[s.site].id);
    if (s.last_event) w.key("last_event").string(format_instant(*s.last_event));
    else w.key("last_event").null();
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void warnings_json(JsonWriter& w, const Plan& plan, const std::vector<Warning>& warnings) {
  w.key("warnings").begin_array();
  for (const auto& x : warnings) {
    w.begin_object();
    w.key("code").string(x.code);
    if (x.sla) w.key("sla").string(plan.slas[*x.sla].name);
    w.key("message").string(x.message);
    if (x.window) {
      w.key("first_window").begin_inline_object();
      w.key("start").string(format_instant(x.window->first));
      w.key("end").string(format_instant(x.window->second));
      w.end_object();
    }
    w.end_object();
  }
  w.end_array();
}

std::string warnings_text(const std::vector<Warning>& warnings) {
  std::string out;
  for (const auto& x : warnings) out += fmt::format("warning: {}\n", x.message);
  return out;
}

}  // namespace slac::rt
