// The evaluation engine. Devices are evaluated one at a time (their events are freed
// as soon as they are done), nodes in plan order with global and per-site results
// shared; groups aggregate their devices' intervals with one sorted sweep.
#include "runtime/evaluate.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "base/time.hpp"
#include "compiler/targets.hpp"
#include "runtime/amounts.hpp"
#include "runtime/averages.hpp"
#include "runtime/calendar.hpp"
#include "runtime/counting.hpp"
#include "runtime/event_measures.hpp"
#include "runtime/intervals.hpp"
#include "runtime/number_mean.hpp"

namespace slac::rt {
namespace {

// Money is summed exactly or not at all: a sum beyond what an exact decimal holds is a
// data error naming the SLA and the window, never a silently wrong total.
Decimal add_money(const Decimal& a, const Decimal& b, const SlaPlan& sla, std::int64_t window_start, bool total) {
  if (auto sum = add(a, b)) return *sum;
  throw DataError(fmt::format("the penalties {} `{}` in the window starting {} add up to more than an exact decimal "
                              "holds (18 significant digits); slac does not round money",
                              total ? "of every SLA, up to" : "of", sla.name, format_instant(window_start)));
}

// Each attribute that the SLA's per-group amounts use, once.
template <typename OnAttribute>
void for_each_amount_attribute(const SlaPlan& s, OnAttribute on_attribute) {
  std::vector<std::size_t> seen;
  auto visit = [&](const PlanAmount& a) {
    for (const AmountNode& n : a.postfix) {
      if (n.kind != AmountNodeKind::attribute || std::find(seen.begin(), seen.end(), n.ref) != seen.end()) continue;
      seen.push_back(n.ref);
      on_attribute(n.ref);
    }
  };
  if (s.penalty) visit(*s.penalty);
  for (const auto& t : s.tiers) visit(t.amount);
}

using Flat = std::vector<std::pair<Time, Time>>;

Flat flatten(const IntervalSet& s) {
  Flat out;
  out.reserve(s.iterative_size());
  for (const auto& iv : s) out.emplace_back(iv.lower(), iv.upper());
  return out;
}

IntervalSet unflatten(const Flat& f) {
  SetBuilder b;
  for (const auto& [s, e] : f) b.add(s, e);
  return b.take();
}

// Does a static value satisfy a plan node's test?
bool test_scalar(const PlanNode& n, const Scalar& v, const std::vector<std::string>& members) {
  (void)members;
  bool ordering = n.cmp != ast::CmpOp::eq;
  if (ordering) {
    const Decimal& rhs = n.values[0].number;
    switch (n.cmp) {
      case ast::CmpOp::lt: return v.number < rhs;
      case ast::CmpOp::le: return v.number <= rhs;
      case ast::CmpOp::gt: return v.number > rhs;
      case ast::CmpOp::ge: return v.number >= rhs;
      default: return false;
    }
  }
  bool any = false;
  for (const auto& x : n.values) {
    switch (v.type) {
      case ValueType::boolean: any |= v.flag == x.flag; break;
      case ValueType::number: any |= v.number == x.number; break;
      case ValueType::enumeration: any |= v.member == x.member; break;
      default: any |= v.text == x.text; break;
    }
  }
  return n.negate_membership ? !any : any;
}

class NodeEvaluator {
 public:
  NodeEvaluator(const Plan& plan, const Dataset& data, Time t0, Time t1)
      : plan_(plan), model_(*plan.model), data_(data), t0_(t0), t1_(t1) {
    global_.resize(plan.nodes.size());
    site_.resize(data.sites.size());
  }

  // Nodes reachable from `roots`, children first (plan order is topological).
  std::vector<NodeId> closure(const std::vector<NodeId>& roots) const {
    std::vector<bool> need(plan_.nodes.size(), false);
    std::vector<NodeId> stack(roots.begin(), roots.end());
    while (!stack.empty()) {
      NodeId id = stack.back();
      stack.pop_back();
      if (need[id]) continue;
      need[id] = true;
      for (NodeId c : plan_.nodes[id].children) stack.push_back(c);
    }
    std::vector<NodeId> out;
    for (NodeId i = 0; i < need.size(); ++i) {
      if (need[i]) out.push_back(i);
    }
    return out;
  }

  // Evaluates `order` (a closure) for a device (or only the site and global levels when
  // device is null); results stay in `memo` for device-level nodes.
  void run(const std::vector<NodeId>& order, const Device* device, std::size_t site,
           std::vector<std::optional<IntervalSet>>& memo) {
    auto& site_memo = site_[site];
    if (site_memo.empty()) site_memo.resize(plan_.nodes.size());
    for (NodeId id : order) {
      const PlanNode& n = plan_.nodes[id];
      std::optional<IntervalSet>* slot = n.level == NodeLevel::global ? &global_[id]
                                         : n.level == NodeLevel::site ? &site_memo[id]
                                                                      : &memo[id];
      if (n.level == NodeLevel::device && device == nullptr) continue;
      if (slot->has_value()) continue;
      *slot = compute(n, device, site, memo);
    }
  }

  const IntervalSet& result(NodeId id, std::size_t site, const std::vector<std::optional<IntervalSet>>& memo) const {
    const PlanNode& n = plan_.nodes[id];
    if (n.level == NodeLevel::global) return *global_[id];
    if (n.level == NodeLevel::site) return *site_[site][id];
    return *memo[id];
  }

 private:
  IntervalSet compute(const PlanNode& n, const Device* device, std::size_t site,
                      const std::vector<std::optional<IntervalSet>>& memo) {
    auto child = [&](std::size_t i) -> const IntervalSet& { return result(n.children[i], site, memo); };
    switch (n.op) {
      case NodeOp::constant:
        return n.flag ? full_set(t0_, t1_) : IntervalSet();
      case NodeOp::attribute_test: {
        const AttributeInfo& a = model_.attributes[n.ref];
        const Scalar& v = a.level == Level::device ? device->attributes[n.ref] : data_.sites[site].attributes[n.ref];
        return test_scalar(n, v, a.members) ? full_set(t0_, t1_) : IntervalSet();
      }
      case NodeOp::calendar: {
        const CalendarInfo& c = model_.calendars[n.ref];
        const Zone& zone = c.zone_kind == ast::ZoneKind::site    ? data_.sites[site].zone
                           : c.zone_kind == ast::ZoneKind::named ? c.zone
                                                                 : model_.timezone;
        auto key = std::make_pair(n.ref, zone.name);
        auto it = calendars_.find(key);
        if (it == calendars_.end()) {
          it = calendars_.emplace(key, calendar_intervals(model_, c, zone, t0_, t1_)).first;
        }
        return it->second;
      }
      case NodeOp::signal_test:
      case NodeOp::seen: {
        const SignalInfo& s = model_.signals[n.ref];
        std::size_t entity = s.level == Level::device ? static_cast<std::size_t>(device - data_.devices.data()) : site;
        if (n.op == NodeOp::seen && s.type == ValueType::event) {
          const auto& runs = s.level == Level::device ? data_.device_runs[entity] : data_.site_runs[entity];
          const auto& raw = s.level == Level::device ? data_.device_events[entity] : data_.site_events[entity];
          if (!runs.empty() || raw.empty()) return seen_runs(runs, n.ref, n.duration);
        }
        const auto& events = s.level == Level::device ? data_.device_events[entity] : data_.site_events[entity];
        auto range = std::equal_range(events.begin(), events.end(), RawEvent{0, static_cast<std::uint32_t>(n.ref), 0},
                                      [](const RawEvent& a, const RawEvent& b) { return a.signal < b.signal; });
        return n.op == NodeOp::seen ? seen(range.first, range.second, n.duration) : step(n, s, range.first, range.second);
      }
      case NodeOp::not_:
        return complement(child(0), t0_, t1_);
      case NodeOp::and_: {
        IntervalSet out = child(0);
        for (std::size_t i = 1; i < n.children.size() && !out.empty(); ++i) out &= child(i);
        return out;
      }
      case NodeOp::or_: {
        IntervalSet out = child(0);
        for (std::size_t i = 1; i < n.children.size(); ++i) out += child(i);
        return out;
      }
      case NodeOp::lasting:
        return lasting_at_least(child(0), n.duration);
      case NodeOp::ignoring_gaps:
        return fill_gaps_under(child(0), n.duration);
      case NodeOp::capped_each:
        return capped_each(child(0), n.duration);
      case NodeOp::capped_per: {
        // The calendar units of the contract's zone that meet the timeline, whatever
        // the SLA's windows; a unit lasts at most 366 days.
        WindowSpec unit;
        unit.unit = n.unit;
        const Time margin = 400 * ms_per_day;
        return capped_per(child(0), windows(unit, 0, model_.timezone, t0_ - margin, t1_ + margin), n.duration);
      }
    }
    return {};
  }

  // Union of [t, t + d) over the events, within the timeline.
  IntervalSet seen(std::vector<RawEvent>::const_iterator begin, std::vector<RawEvent>::const_iterator end, Time d) const {
    SetBuilder b;
    bool open = false;
    Time s = 0, e = 0;
    for (auto it = begin; it != end; ++it) {
      Time t = it->time;
      if (t >= t1_) break;
      Time a = std::max(t, t0_), z = std::min(t + d, t1_);
      if (a >= z) continue;
      if (open && a <= e) {
        e = std::max(e, z);
        continue;
      }
      if (open) b.add(s, e);
      s = a;
      e = z;
      open = true;
    }
    if (open) b.add(s, e);
    return b.take();
  }

  // The same from runs: each contributes [first, last + d).
  IntervalSet seen_runs(const std::vector<Run>& runs, std::size_t signal, Time d) const {
    std::vector<std::pair<Time, Time>> spans;
    for (const Run& r : runs) {
      if (r.signal != signal) continue;
      Time a = std::max(r.first, t0_), z = std::min(r.last + d, t1_);
      if (a < z) spans.emplace_back(a, z);
    }
    std::sort(spans.begin(), spans.end());
    SetBuilder b;
    bool open = false;
    Time s = 0, e = 0;
    for (const auto& [a, z] : spans) {
      if (open && a <= e) {
        e = std::max(e, z);
        continue;
      }
      if (open) b.add(s, e);
      s = a;
      e = z;
      open = true;
    }
    if (open) b.add(s, e);
    return b.take();
  }

  // A value signal as a step function: each event's value holds until the next event
  // at a later instant; of several at one instant the last (in file order) wins.
  IntervalSet step(const PlanNode& n, const SignalInfo& s, std::vector<RawEvent>::const_iterator begin,
                   std::vector<RawEvent>::const_iterator end) const {
    SetBuilder b;
    for (auto it = begin; it != end;) {
      Time t = it->time;
      if (t >= t1_) break;
      auto last = it;
      while (last + 1 != end && (last + 1)->time == t) ++last;
      auto next = last + 1;
      Time until = next == end ? t1_ : std::min(next->time, t1_);
      if (matches(n, s, last->value)) b.add(std::max(t, t0_), until);
      it = next;
    }
    return b.take();
  }

  bool matches(const PlanNode& n, const SignalInfo& s, std::uint32_t value) const {
    Scalar v;
    v.type = s.type;
    switch (s.type) {
      case ValueType::boolean: v.flag = value != 0; break;
      case ValueType::enumeration: v.member = value; break;
      case ValueType::number: v.number = data_.numbers[value]; break;
      case ValueType::string:
      case ValueType::timezone: {
        const std::string& text = data_.strings[n.ref][value];
        bool any = false;
        for (const auto& x : n.values) any |= x.text == text;
        return n.negate_membership ? !any : any;
      }
      case ValueType::event: return false;
    }
    return test_scalar(n, v, s.members);
  }

  const Plan& plan_;
  const Model& model_;
  const Dataset& data_;
  Time t0_, t1_;
  std::vector<std::optional<IntervalSet>> global_;
  std::vector<std::vector<std::optional<IntervalSet>>> site_;
  std::map<std::pair<std::size_t, std::string>, IntervalSet> calendars_;
};

// The events of a site signal for an event measure of a site grouping: its condition
// is site-level (the checker sees to it), so it is evaluated for the site alone.
std::vector<EventMark> site_event_marks(NodeEvaluator& nodes, const Plan& plan, const SlaPlan& s, const Dataset& data,
                                        std::size_t site, const IntervalSet& timeline) {
  if (plan.nodes[s.state].level == NodeLevel::device) return {};
  std::vector<std::optional<IntervalSet>> none;
  nodes.run(nodes.closure({s.state}), nullptr, site, none);
  return event_marks(data.site_events[site], s.events_signal, flatten(timeline),
                     flatten(nodes.result(s.state, site, none)));
}

// A static condition (`where`) for a site or a device: evaluated on attributes only.
bool static_holds(const Plan& plan, NodeId root, const Dataset& data, const Device* device, std::size_t site) {
  std::vector<NodeId> stack{root};
  std::vector<std::optional<bool>> value(plan.nodes.size());
  // Post-order without recursion.
  while (!stack.empty()) {
    NodeId id = stack.back();
    const PlanNode& n = plan.nodes[id];
    bool ready = true;
    for (NodeId c : n.children) {
      if (!value[c]) {
        stack.push_back(c);
        ready = false;
      }
    }
    if (!ready) continue;
    stack.pop_back();
    if (value[id]) continue;
    bool v = false;
    switch (n.op) {
      case NodeOp::constant: v = n.flag; break;
      case NodeOp::attribute_test: {
        const AttributeInfo& a = plan.model->attributes[n.ref];
        const Scalar& s = a.level == Level::device ? device->attributes[n.ref] : data.sites[site].attributes[n.ref];
        v = test_scalar(n, s, a.members);
        break;
      }
      case NodeOp::not_: v = !*value[n.children[0]]; break;
      case NodeOp::and_:
        v = true;
        for (NodeId c : n.children) v = v && *value[c];
        break;
      case NodeOp::or_:
        v = false;
        for (NodeId c : n.children) v = v || *value[c];
        break;
      case NodeOp::lasting:
      case NodeOp::ignoring_gaps:
        v = *value[n.children[0]];  // a static set is all or nothing
        break;
      default: v = false; break;  // the checker admits no dynamic node here
    }
    value[id] = v;
  }
  return *value[root];
}

// A device attribute's value as a group id: canonical text.
std::string group_id(const Scalar& v, const AttributeInfo& a) {
  switch (v.type) {
    case ValueType::boolean: return v.flag ? "true" : "false";
    case ValueType::number: return v.number.to_string();
    case ValueType::enumeration: return a.members[v.member];
    default: return v.text;
  }
}

struct DeviceSets {
  Flat scope;  // in scope
  Flat good;   // in scope and in the state
};

struct GroupPlan {
  std::string id;
  std::optional<std::size_t> site;
  std::vector<std::size_t> devices;
};

std::vector<GroupPlan> form_groups(const Plan& plan, const SlaPlan& sla, const Dataset& data) {
  std::vector<GroupPlan> groups;
  const Model& m = *plan.model;
  std::vector<std::vector<std::size_t>> by_site(data.sites.size());
  for (std::size_t d = 0; d < data.devices.size(); ++d) by_site[data.devices[d].site].push_back(d);
  switch (sla.grouping) {
    case GroupingKind::any_site:
    case GroupingKind::every_site:
    case GroupingKind::percent_of_sites:
      for (std::size_t s = 0; s < data.sites.size(); ++s) {
        if (by_site[s].empty()) continue;
        if (sla.where && !static_holds(plan, *sla.where, data, nullptr, s)) continue;
        groups.push_back(GroupPlan{data.sites[s].id, s, by_site[s]});
      }
      break;
    case GroupingKind::any_device:
      for (std::size_t d = 0; d < data.devices.size(); ++d) {
        const Device& dev = data.devices[d];
        if (sla.where && !static_holds(plan, *sla.where, data, &dev, dev.site)) continue;
        groups.push_back(GroupPlan{dev.id, dev.site, {d}});
      }
      break;
    case GroupingKind::any_attribute: {
      // A device attribute, or a site attribute (`on any site.ATTR`): the devices of
      // every site with that value.
      std::map<std::string, std::vector<std::size_t>> by_value;
      const AttributeInfo& a = m.attributes[sla.group_attribute];
      for (std::size_t d = 0; d < data.devices.size(); ++d) {
        const Device& dev = data.devices[d];
        if (sla.where && !static_holds(plan, *sla.where, data, &dev, dev.site)) continue;
        const Scalar& v = a.level == Level::device ? dev.attributes[sla.group_attribute]
                                                   : data.sites[dev.site].attributes[sla.group_attribute];
        by_value[group_id(v, a)].push_back(d);
      }
      for (auto& [id, devices] : by_value) groups.push_back(GroupPlan{id, std::nullopt, std::move(devices)});
      break;
    }
    case GroupingKind::all_sites: {
      GroupPlan all{"*", std::nullopt, {}};
      for (std::size_t d = 0; d < data.devices.size(); ++d) {
        const Device& dev = data.devices[d];
        if (sla.where && !static_holds(plan, *sla.where, data, &dev, dev.site)) continue;
        all.devices.push_back(d);
      }
      if (!all.devices.empty()) groups.push_back(std::move(all));
      break;
    }
  }
  std::sort(groups.begin(), groups.end(), [](const GroupPlan& a, const GroupPlan& b) { return a.id < b.id; });
  return groups;
}

// Weights as integers of a common decimal scale, so that sums are exact.
std::int64_t scaled(const Decimal& d, std::int64_t scale) {
  Decimal n = d.normalized();
  i128 v = static_cast<i128>(n.units) * pow10_128(static_cast<unsigned>(scale - n.scale));
  if (v > std::numeric_limits<std::int64_t>::max() / 1'000'000) {
    throw DataError(fmt::format("weight {} is too large to sum exactly", d.to_string()));
  }
  return static_cast<std::int64_t>(v);
}

// The sweep: in-scope and in-state counts (or weights) as contiguous segments.
std::vector<GroupSeries::Segment> sweep(const std::vector<const DeviceSets*>& members,
                                        const std::vector<std::int64_t>& weights, Time t0, Time t1) {
  struct Edge {
    Time t;
    std::int64_t scope;
    std::int64_t state;
  };
  std::vector<Edge> edges;
  for (std::size_t i = 0; i < members.size(); ++i) {
    std::int64_t w = weights.empty() ? 1 : weights[i];
    for (const auto& [s, e] : members[i]->scope) {
      edges.push_back({s, w, 0});
      edges.push_back({e, -w, 0});
    }
    for (const auto& [s, e] : members[i]->good) {
      edges.push_back({s, 0, w});
      edges.push_back({e, 0, -w});
    }
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.t < b.t; });
  std::vector<GroupSeries::Segment> out;
  std::int64_t scope = 0, state = 0;
  Time at = t0;
  std::size_t i = 0;
  while (at < t1) {
    while (i < edges.size() && edges[i].t <= at) {
      scope += edges[i].scope;
      state += edges[i].state;
      ++i;
    }
    Time next = i < edges.size() ? std::min(edges[i].t, t1) : t1;
    if (!out.empty() && out.back().in_scope == scope && out.back().in_state == state && out.back().end == at) {
      out.back().end = next;
    } else {
      out.push_back({at, next, scope, state});
    }
    at = next;
  }
  return out;
}

// Why the data gives no span, naming the events file.
std::string no_events(const Dataset& data) {
  if (data.counts.rows == 0) {
    return fmt::format("{}: no events ({}), so the span is unknown; give --from and --to", data.events_file,
                       data.database ? "no rows of the signals the contract declares" : "no rows after the header");
  }
  return fmt::format("{}: none of its {} row{} is a used event (see the warnings), so the span is unknown; give --from and --to",
                     data.events_file, data.counts.rows, data.counts.rows == 1 ? "" : "s");
}

}  // namespace

std::optional<Span> default_span(const Dataset& data, const Zone& zone, std::optional<std::int64_t> from,
                                 std::optional<std::int64_t> to, std::string& error) {
  Span span;
  if (from) {
    span.from = *from;
  } else if (data.earliest) {
    span.from = local_midnight(zone, local_day(zone, *data.earliest));
    if (span.from > *data.earliest) span.from = local_midnight(zone, local_day(zone, *data.earliest) - 1);
  } else {
    error = no_events(data);
    return std::nullopt;
  }
  if (to) {
    span.to = *to;
  } else if (data.latest) {
    std::int64_t day = local_day(zone, *data.latest);
    span.to = local_midnight(zone, day);
    if (span.to < *data.latest) span.to = local_midnight(zone, day + 1);
    // Events only at one midnight would make the span empty: take that day.
    if (span.to <= span.from) span.to = local_midnight(zone, local_day(zone, span.from) + 1);
  } else {
    error = no_events(data);
    return std::nullopt;
  }
  if (span.from >= span.to) {
    error = fmt::format("the span is empty: --from {} is not before --to {}", format_instant(span.from), format_instant(span.to));
    return std::nullopt;
  }
  if (span.to - span.from > max_span_days * ms_per_day) {
    error = fmt::format("the span from {} to {} is longer than 100 years; slac judges at most 100 years at a time{}",
                        format_instant(span.from), format_instant(span.to),
                        from && to ? "" : " (the span comes from the events' times: give --from and --to)");
    return std::nullopt;
  }
  return span;
}

std::int64_t timeline_start(const Dataset& data, std::int64_t from) {
  Time t0 = from;
  if (data.earliest && *data.earliest < t0) t0 = *data.earliest;
  return std::max(t0, from - max_span_days * ms_per_day);
}

std::vector<SignalStorage> signal_storage(const Plan& plan, const std::vector<std::size_t>& selected) {
  const Model& m = *plan.model;
  std::vector<SignalStorage> out(m.signals.size(), SignalStorage{SignalStorage::none, 0});
  std::vector<NodeId> roots;
  for (std::size_t i : selected) {
    const SlaPlan& s = plan.slas[i];
    roots.push_back(s.state);
    for (auto n : {s.scope, s.excluding, s.during, s.where}) {
      if (n) roots.push_back(*n);
    }
  }
  // An event measure counts each event of its signal; a mean reads each value.
  for (std::size_t i : selected) {
    if (plan.slas[i].requirement == RequirementKind::events) out[plan.slas[i].events_signal].kind = SignalStorage::raw;
    for (const NumNode& n : plan.slas[i].mean) {
      if (n.op == NumOp::signal) out[n.ref].kind = SignalStorage::raw;
    }
  }
  std::vector<bool> seen(plan.nodes.size(), false);
  while (!roots.empty()) {
    NodeId id = roots.back();
    roots.pop_back();
    if (seen[id]) continue;
    seen[id] = true;
    const PlanNode& n = plan.nodes[id];
    for (NodeId c : n.children) roots.push_back(c);
    if (n.op != NodeOp::signal_test && n.op != NodeOp::seen) continue;
    SignalStorage& st = out[n.ref];
    if (n.op == NodeOp::seen && m.signals[n.ref].type == ValueType::event && st.kind != SignalStorage::raw) {
      st.run_gap = st.kind == SignalStorage::runs ? std::min(st.run_gap, n.duration) : n.duration;
      st.kind = SignalStorage::runs;
    } else {
      st.kind = SignalStorage::raw;
    }
  }
  return out;
}

namespace {

// At most how long a calendar unit lasts, in any zone (a day of 25 hours, a year of
// 366 days).
std::int64_t unit_bound(ast::CalendarUnit unit) {
  switch (unit) {
    case ast::CalendarUnit::day: return 2 * ms_per_day;
    case ast::CalendarUnit::week: return 8 * ms_per_day;
    case ast::CalendarUnit::month: return 32 * ms_per_day;
    case ast::CalendarUnit::quarter: return 93 * ms_per_day;
    case ast::CalendarUnit::year: return 367 * ms_per_day;
  }
  return 367 * ms_per_day;
}

}  // namespace

std::int64_t history_needed(const Plan& plan, const std::vector<std::size_t>& selected) {
  constexpr std::int64_t max_look_back = 2 * max_span_days * ms_per_day;
  // A node agrees with the full history from `need` after its inputs do: `seen`,
  // `lasting`, `ignoring gaps` and `at most D of each` look back their duration,
  // `at most D per UNIT` to the start of the unit.
  std::vector<std::int64_t> need(plan.nodes.size(), 0);  // children come before parents
  for (std::size_t id = 0; id < plan.nodes.size(); ++id) {
    const PlanNode& n = plan.nodes[id];
    std::int64_t inputs = 0;
    for (NodeId c : n.children) inputs = std::max(inputs, need[c]);
    std::int64_t own = 0;
    switch (n.op) {
      case NodeOp::seen:
      case NodeOp::lasting:
      case NodeOp::ignoring_gaps:
      case NodeOp::capped_each:
        own = n.duration;
        break;
      case NodeOp::capped_per:
        own = unit_bound(n.unit);
        break;
      default:
        break;
    }
    // At most 200 years: a longer look-back reads the whole history anyway, and the
    // sums must not overflow.
    need[id] = std::min(inputs + std::min(own, max_look_back), max_look_back);
  }
  std::int64_t out = 0;
  for (std::size_t i : selected) {
    const SlaPlan& s = plan.slas[i];
    out = std::max(out, need[s.state]);
    for (auto n : {s.scope, s.excluding, s.during, s.where}) {
      if (n) out = std::max(out, need[*n]);
    }
  }
  return out;
}

bool requirement_holds(const SlaPlan& sla, const GroupSeries& group, const GroupSeries::Segment& seg,
                       const Decimal& amount) {
  std::int64_t n = seg.in_scope, c = seg.in_state;
  switch (sla.requirement) {
    case RequirementKind::at_least:
      return n > 0 && Decimal::integer(c) >= amount;
    case RequirementKind::at_most:
      return Decimal::integer(c) <= amount;
    case RequirementKind::percent_of_devices:
    case RequirementKind::weighted:
      // c / n >= amount / 100, exactly.
      return n > 0 && ratio_at_least(static_cast<i128>(c) * 100, n, amount);
    case RequirementKind::site_attribute:
      return n > 0 && Decimal::integer(c) >= group.site_count;
    case RequirementKind::all:
      return n > 0 && c == n;
    case RequirementKind::per_device:
      return n > 0 && c > 0;
    case RequirementKind::average_pooled:
    case RequirementKind::average_per_device:
      return n > 0 && c == n;  // every in-scope device in STATE (status: failing now)
    case RequirementKind::events:
      return n > 0 && c == n;  // judged per event (event_measures.cpp); this is the condition now
    case RequirementKind::mean:
      return n > 0;  // judged by its mean (number_mean.cpp); any device in scope is measured
  }
  return false;
}

bool segment_measurable(const SlaPlan&, const GroupSeries::Segment& seg) { return seg.in_scope > 0; }

const Windows& group_windows(const SlaSeries& series, const GroupSeries& group) { return series.windows[group.zone]; }
const Zone& group_zone(const SlaSeries& series, const GroupSeries& group) { return series.zones[group.zone]; }

std::vector<SlaSeries> build_series(const Plan& plan, Dataset& data, Time t0, Time t1, Time from, Time to,
                                    const std::vector<std::size_t>& selected, bool consume,
                                    const std::vector<bool>* owned) {
  const Model& m = *plan.model;
  NodeEvaluator nodes(plan, data, t0, t1);
  // Events sorted by signal, then time; equal times keep file order.
  for (auto* list : {&data.device_events, &data.site_events}) {
    for (auto& events : *list) {
      std::stable_sort(events.begin(), events.end(), [](const RawEvent& a, const RawEvent& b) {
        return a.signal != b.signal ? a.signal < b.signal : a.time < b.time;
      });
    }
  }
  std::vector<NodeId> device_roots, site_roots;
  for (std::size_t i : selected) {
    const SlaPlan& s = plan.slas[i];
    device_roots.push_back(s.state);
    if (s.scope) device_roots.push_back(*s.scope);
    if (s.excluding) site_roots.push_back(*s.excluding);
    if (s.during) site_roots.push_back(*s.during);
  }
  std::vector<NodeId> device_order = nodes.closure(device_roots);
  std::vector<NodeId> site_order = nodes.closure(site_roots);

  // Which devices each SLA needs, by its groups.
  std::vector<std::vector<GroupPlan>> groups(plan.slas.size());
  std::vector<std::vector<bool>> wanted(plan.slas.size());
  for (std::size_t i : selected) {
    groups[i] = form_groups(plan, plan.slas[i], data);
    if (owned) {
      // A partition's share: the groups formed over the whole inventory (so that ids and
      // static values are the whole's), each with the devices this partition owns.
      for (auto& g : groups[i]) std::erase_if(g.devices, [&](std::size_t d) { return !(*owned)[d]; });
      std::erase_if(groups[i], [](const GroupPlan& g) { return g.devices.empty(); });
    }
    wanted[i].assign(data.devices.size(), false);
    for (const auto& g : groups[i]) {
      for (std::size_t d : g.devices) wanted[i][d] = true;
    }
  }

  // Devices in site order, so that per-site results can be dropped when a site is done.
  std::vector<std::size_t> order(data.devices.size());
  for (std::size_t d = 0; d < order.size(); ++d) order[d] = d;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return data.devices[a].site < data.devices[b].site; });

  std::vector<std::vector<DeviceSets>> sets(plan.slas.size());
  for (std::size_t i : selected) sets[i].resize(data.devices.size());
  std::vector<std::vector<std::vector<EventMark>>> marks(plan.slas.size());  // event measures, per device
  std::vector<std::vector<MeanSteps>> steps(plan.slas.size());  // `mean of`, per device
  std::vector<std::shared_ptr<MeanValues>> mean_values(plan.slas.size());
  for (std::size_t i : selected) {
    if (plan.slas[i].requirement != RequirementKind::mean) continue;
    steps[i].resize(data.devices.size());
    mean_values[i] = std::make_shared<MeanValues>();
  }
  std::vector<std::optional<IntervalSet>> memo(plan.nodes.size());
  IntervalSet timeline = full_set(t0, t1);
  for (std::size_t d : order) {
    if (owned && !(*owned)[d]) continue;
    const Device& dev = data.devices[d];
    std::fill(memo.begin(), memo.end(), std::nullopt);
    nodes.run(device_order, &dev, dev.site, memo);
    for (std::size_t i : selected) {
      if (!wanted[i][d]) continue;
      const SlaPlan& s = plan.slas[i];
      IntervalSet scope = s.scope ? nodes.result(*s.scope, dev.site, memo) : timeline;
      IntervalSet good = nodes.result(s.state, dev.site, memo) & scope;
      sets[i][d] = DeviceSets{flatten(scope), flatten(good)};
      if (s.requirement == RequirementKind::events && m.signals[s.events_signal].level == Level::device) {
        if (marks[i].empty()) marks[i].resize(data.devices.size());
        marks[i][d] = event_marks(data.device_events[d], s.events_signal, sets[i][d].scope, sets[i][d].good);
      }
      if (s.requirement == RequirementKind::mean) steps[i][d] = mean_steps(plan, s, data, d, t0, *mean_values[i]);
    }
    // The device's events are no longer needed.
    if (consume) {
      std::vector<RawEvent>().swap(data.device_events[d]);
      std::vector<Run>().swap(data.device_runs[d]);
    }
  }
  std::fill(memo.begin(), memo.end(), std::nullopt);

  std::vector<SlaSeries> out;
  for (std::size_t i : selected) {
    const SlaPlan& s = plan.slas[i];
    SlaSeries series;
    series.sla = i;
    series.zones.push_back(m.timezone);
    series.windows.push_back(windows(s.window, s.window_count, m.timezone, from, to));
    // `in site timezone`: the windows of each zone the groups' sites are in, once per zone.
    auto zone_of = [&](const GroupPlan& g) -> std::size_t {
      if (!s.window.site_zone || !g.site || *g.site >= data.sites.size()) return 0;
      const Zone& z = data.sites[*g.site].zone;
      for (std::size_t k = 0; k < series.zones.size(); ++k) {
        if (series.zones[k].name == z.name) return k;
      }
      series.zones.push_back(z);
      series.windows.push_back(windows(s.window, s.window_count, z, from, to));
      return series.zones.size() - 1;
    };
    series.mean_values = mean_values[i];
    // The measurable instants of a site: the timeline inside `during`, minus `excluding`.
    auto site_measurable = [&](std::size_t site, bool& excluded_at_end) {
      IntervalSet base = timeline;
      if (s.during || s.excluding) {
        std::vector<std::optional<IntervalSet>> none;
        if (!data.sites.empty()) {
          nodes.run(site_order, nullptr, site, none);
          if (s.during) base &= nodes.result(*s.during, site, none);
          if (s.excluding) {
            const IntervalSet& ex = nodes.result(*s.excluding, site, none);
            base -= ex;
            excluded_at_end = t1 > t0 && boost::icl::contains(ex, t1 - 1);
          }
        }
      }
      return base;
    };
    std::vector<std::optional<std::pair<Flat, bool>>> site_bases(device_time_measure(s.requirement) ? data.sites.size() : 0);
    // Weighted requirements: a common scale for every weight.
    std::int64_t scale = 0;
    if (s.requirement == RequirementKind::weighted) {
      for (const auto& dev : data.devices) scale = std::max<std::int64_t>(scale, dev.attributes[s.requirement_attribute].number.normalized().scale);
    }
    for (const auto& g : groups[i]) {
      GroupSeries gs;
      gs.id = g.id;
      gs.site = g.site;
      gs.zone = zone_of(g);
      gs.weight_scale = scale;
      std::vector<const DeviceSets*> members;
      std::vector<std::int64_t> weights;
      for (std::size_t d : g.devices) {
        members.push_back(&sets[i][d]);
        if (s.requirement == RequirementKind::weighted) {
          weights.push_back(scaled(data.devices[d].attributes[s.requirement_attribute].number, scale));
        }
      }
      gs.counts = sweep(members, weights, t0, t1);
      if (data.device_bounds.size() == data.devices.size() && data.site_bounds.size() == data.sites.size()) {
        EventBounds events;
        if (g.site) events.add(data.site_bounds[*g.site]);
        for (std::size_t d : g.devices) {
          events.add(data.device_bounds[d]);
          events.add(data.site_bounds[data.devices[d].site]);
        }
        gs.events = events;
      }
      if (s.requirement == RequirementKind::site_attribute && g.site) {
        gs.site_count = data.sites[*g.site].attributes[s.requirement_attribute].number;
      }
      for_each_amount_attribute(s, [&](std::size_t a) {
        if (m.attributes[a].level == Level::site && g.site && *g.site < data.sites.size()) {
          gs.amount_attributes.emplace_back(a, data.sites[*g.site].attributes[a].number);
        } else if (m.attributes[a].level == Level::site && s.grouping == GroupingKind::any_attribute &&
                   a == s.group_attribute && !g.devices.empty()) {
          // `on any site.ATTR`: every site of the group has the group's value.
          gs.amount_attributes.emplace_back(a, data.sites[data.devices[g.devices.front()].site].attributes[a].number);
        } else if (m.attributes[a].level == Level::device && g.devices.size() == 1) {
          gs.amount_attributes.emplace_back(a, data.devices[g.devices.front()].attributes[a].number);
        }
      });
      // Measured before counting devices: during, minus excluding.
      IntervalSet base = site_measurable(g.site.value_or(0), gs.excluded_at_end);
      gs.base_measurable = flatten(base);
      if (device_time_measure(s.requirement)) {
        // Each device on its own site's calendar and exclusions.
        for (std::size_t d : g.devices) {
          std::size_t ds = data.devices[d].site;
          if (!site_bases[ds]) {
            bool excluded = false;
            Flat b = flatten(site_measurable(ds, excluded));
            site_bases[ds] = std::make_pair(std::move(b), excluded);
          }
          gs.devices.push_back(device_time(d, ds, sets[i][d].scope, sets[i][d].good, site_bases[ds]->first,
                                           site_bases[ds]->second, t1));
          if (s.requirement == RequirementKind::mean) gs.mean_steps.push_back(std::move(steps[i][d]));
        }
      }
      if (s.requirement == RequirementKind::events) {
        if (m.signals[s.events_signal].level == Level::device) {
          std::vector<const std::vector<EventMark>*> of_devices;
          for (std::size_t d : g.devices) of_devices.push_back(&marks[i][d]);
          gs.event_marks = merge_event_marks(of_devices);
        } else if (g.site && !data.sites.empty()) {
          gs.event_marks = site_event_marks(nodes, plan, s, data, *g.site, timeline);
        }
      }
      series.groups.push_back(std::move(gs));
    }
    out.push_back(std::move(series));
  }
  return out;
}

namespace {

// The window's attainment (measured > 0) as the SLA judges it (SPEC 4.4), compared with
// a percentage: -1, 0 or 1. Good / measured or against a fixed duration, or the mean of
// device ratios under `on average per device`, or good events / counted events for an
// event measure; rounded when the SLA rounds.
AttainmentRatio window_ratio(const SlaPlan& s, const WindowStats& st) {
  if (st.counts_events) return AttainmentRatio{st.good, st.measured};
  return *attainment_ratio(s, st.measured, st.good);
}

int compare_window(const SlaPlan& s, const WindowStats& st, const Decimal& percent) {
  if (st.mean) return compare_judged_mean(s, *st.mean, percent);
  return compare_judged(s, window_ratio(s, st), percent);
}

WindowStats window_stats(const IntervalSet& holds, const IntervalSet& measurable, const IntervalSet& not_holds, Time ws,
                         Time we, Time first_event) {
  WindowStats st;
  st.measured = measure_within(measurable, ws, we);
  IntervalSet good = holds & Interval(ws, we);
  good &= measurable;
  st.good = measure(good);
  if (ws < first_event) {
    Time known = std::min(we, first_event);
    st.measured_before_data = measure_within(measurable, ws, known);
    if (st.measured_before_data > 0) st.good_before_data = measure_within(good, ws, known);
  }
  const IntervalSet& measured = measurable;  // (a structured binding is not captured by clang 14)
  for_each_within(not_holds, ws, we, [&](Time a, Time b) {
    Time length = measure_within(measured, a, b);
    if (length > 0) st.outages.push_back(length);
  });
  return st;
}

// A time measure's sets over a group's whole timeline: where the requirement holds,
// the measured instants, and where it does not hold (the outages, before measuring).
struct GroupSets {
  IntervalSet holds;
  IntervalSet measurable;
  IntervalSet not_holds;
};

GroupSets group_sets(const SlaPlan& s, const GroupSeries& g) {
  SetBuilder holds_b, scope_b;
  for (const auto& seg : g.counts) {
    if (requirement_holds(s, g, seg, s.amount)) holds_b.add(seg.start, seg.end);
    if (segment_measurable(s, seg)) scope_b.add(seg.start, seg.end);
  }
  GroupSets out;
  out.holds = holds_b.take();
  out.measurable = scope_b.take() & unflatten(g.base_measurable);
  Time t0 = g.counts.empty() ? 0 : g.counts.front().start;
  Time t1 = g.counts.empty() ? 0 : g.counts.back().end;
  out.not_holds = complement(out.holds, t0, t1);
  return out;
}

}  // namespace

std::vector<std::vector<WindowStats>> group_window_stats(const Plan& plan, const SlaSeries& series) {
  const SlaPlan& s = plan.slas[series.sla];
  if (device_average(s.requirement)) return device_average_stats(plan, series);
  if (s.requirement == RequirementKind::mean) return number_mean_stats(plan, series);
  std::vector<std::vector<WindowStats>> out;
  for (const GroupSeries& g : series.groups) {
    if (s.requirement == RequirementKind::events) {
      out.push_back(event_window_stats(g, group_windows(series, g)));
      continue;
    }
    auto [holds, measurable, not_holds] = group_sets(s, g);
    Time first_event = g.events ? g.events->first : std::numeric_limits<Time>::min();  // INT64_MAX: no event
    std::vector<WindowStats> per_window;
    for (auto [ws, we] : group_windows(series, g)) {
      if (s.counted) {
        // Quantised per window: an interval is judged on its measured instants inside it.
        IntervalSet counted = quantise(holds, measurable, *s.counted, group_zone(series, g), ws, we);
        per_window.push_back(window_stats(counted, measurable, complement(counted, ws, we), ws, we, first_event));
        continue;
      }
      per_window.push_back(window_stats(holds, measurable, not_holds, ws, we, first_event));
    }
    out.push_back(std::move(per_window));
  }
  return out;
}

std::optional<WindowTimeline> window_timeline(const Plan& plan, const SlaSeries& series, const GroupSeries& g, Time ws,
                                              Time we) {
  const SlaPlan& s = plan.slas[series.sla];
  if (device_time_measure(s.requirement) || s.requirement == RequirementKind::events) return std::nullopt;
  auto [holds, measurable, not_holds] = group_sets(s, g);
  if (s.counted) {
    // As group_window_stats: the requirement quantised per interval inside the window.
    IntervalSet counted = quantise(holds, measurable, *s.counted, group_zone(series, g), ws, we);
    not_holds = complement(counted, ws, we);
  }
  WindowTimeline out;
  for_each_within(measurable, ws, we, [&](Time a, Time b) { out.measured.emplace_back(a, b); });
  const IntervalSet& measured = measurable;  // (a structured binding is not captured by clang 14)
  for_each_within(not_holds, ws, we, [&](Time a, Time b) {
    Time length = measure_within(measured, a, b);
    if (length > 0) out.outages.push_back({a, b, length});
  });
  IntervalSet down = measurable & not_holds;
  for_each_within(down, ws, we, [&](Time a, Time b) { out.downtime.emplace_back(a, b); });
  return out;
}

Evaluation judge(const Plan& plan, const std::vector<SlaSeries>& all, Time from, Time to) {
  std::vector<std::vector<std::vector<WindowStats>>> stats;
  for (const SlaSeries& series : all) stats.push_back(group_window_stats(plan, series));
  return decide(plan, all, stats, from, to);
}

Evaluation decide(const Plan& plan, const std::vector<SlaSeries>& all,
                  const std::vector<std::vector<std::vector<WindowStats>>>& stats, Time from, Time to) {
  Evaluation ev;
  ev.from = from;
  ev.to = to;
  for (std::size_t si = 0; si < all.size(); ++si) {
    const SlaSeries& series = all[si];
    const SlaPlan& s = plan.slas[series.sla];
    std::size_t first_row = ev.rows.size();
    // The verdicts' windows, by local start (SPEC 4.4: with `in site timezone` a verdict
    // covers the groups whose windows start at the same local time; otherwise every
    // group has the same windows). Each: the first group's window and zone, and the rows.
    struct VerdictWindow {
      Time start = 0, end = 0;
      std::uint32_t zone = 0;
      std::vector<std::size_t> rows;
    };
    std::map<WindowName, VerdictWindow> verdict_windows;
    std::vector<std::uint32_t> zone_index(series.zones.size(), 0);  // series zone -> ResultRow::zone
    for (std::size_t k = 1; k < series.zones.size(); ++k) {
      auto it = std::find_if(ev.site_zones.begin(), ev.site_zones.end(),
                             [&](const Zone& z) { return z.name == series.zones[k].name; });
      if (it == ev.site_zones.end()) it = ev.site_zones.insert(it, series.zones[k]);
      zone_index[k] = static_cast<std::uint32_t>(it - ev.site_zones.begin()) + 1;
    }
    auto verdict_window = [&](const GroupSeries& g, Time ws, Time we) -> VerdictWindow& {
      WindowName key = s.window.site_zone ? window_name(s.window, group_zone(series, g), ws) : WindowName{ws, false};
      auto [it, added] = verdict_windows.try_emplace(key);
      if (added) it->second = VerdictWindow{ws, we, zone_index[g.zone], {}};
      return it->second;
    };
    // An estate with no group still has its windows, in the contract's zone.
    if (series.groups.empty()) {
      for (auto [ws, we] : series.windows[0]) verdict_windows.try_emplace(WindowName{ws, false}, VerdictWindow{ws, we, 0, {}});
    }
    for (std::size_t gi = 0; gi < series.groups.size(); ++gi) {
      const GroupSeries& g = series.groups[gi];
      const Windows& windows = group_windows(series, g);
      for (std::size_t w = 0; w < windows.size(); ++w) {
        auto [ws, we] = windows[w];
        const WindowStats& st = stats[si][gi][w];
        ResultRow row;
        row.sla = series.sla;
        row.window_start = ws;
        row.window_end = we;
        row.zone = zone_index[g.zone];
        row.group = g.id;
        row.measured = st.measured;
        row.good = st.good;
        row.outages = st.outages.size();
        row.longest_outage = st.outages.empty() ? 0 : *std::max_element(st.outages.begin(), st.outages.end());
        row.before_data = st.measured_before_data > 0;
        row.bad_before_data = st.measured_before_data - st.good_before_data;
        row.mean = st.mean;
        row.integral_s = st.integral_s;
        row.outages_defined = st.outages_defined;
        if (!s.is_kpi) {
          bool measured = st.measured > 0;
          if (measured) {
            row.rounded_attainment =
                st.mean ? rounded_mean(s, *st.mean) : rounded_attainment(s, window_ratio(s, st));
          }
          // An event measure has no downtime (the checker refuses the objective).
          bool met = st.counts_events || downtime_met(s, st.measured, st.good);
          if (s.target && measured) {
            int c = compare_window(s, st, *s.target);
            if (s.target_more_than ? c <= 0 : c < 0) met = false;
          }
          if (s.max_outage && row.longest_outage > *s.max_outage) met = false;
          for (const auto& oc : s.outage_counts) {
            auto n = std::count_if(st.outages.begin(), st.outages.end(), [&](Time l) { return l > oc.longer_than; });
            if (n > oc.count) met = false;
          }
          row.met = met;
          row.near_miss = met && s.warn && measured && compare_window(s, st, *s.warn) < 0;
          if (!s.is_kpi && (s.grouping == GroupingKind::any_site || s.grouping == GroupingKind::any_device ||
                            s.grouping == GroupingKind::any_attribute || s.grouping == GroupingKind::all_sites)) {
            Decimal p;
            AmountRow figures{&st, row.rounded_attainment, &g};
            if (s.penalty && !met) p = amount_value(plan, s, *s.penalty, &figures, g.id, ws);
            if (!s.tiers.empty() && measured) {
              // The lowest threshold that the attainment is under.
              for (const auto& t : s.tiers) {
                if (compare_window(s, st, t.below) < 0) {
                  p = amount_value(plan, s, t.amount, &figures, g.id, ws);
                  break;
                }
              }
            }
            row.penalty = p;
          }
        }
        verdict_window(g, ws, we).rows.push_back(ev.rows.size());
        ev.rows.push_back(std::move(row));
      }
    }
    if (!s.is_kpi) {
      for (const auto& [key, vw] : verdict_windows) {
        Time ws = vw.start;
        Verdict v;
        v.sla = series.sla;
        v.window_start = vw.start;
        v.window_end = vw.end;
        v.zone = vw.zone;
        v.local_window = s.window.site_zone;
        Decimal total;
        for (std::size_t r : vw.rows) {
          const ResultRow& row = ev.rows[r];
          ++v.groups;
          if (row.met) ++v.groups_met;
          if (row.penalty) total = add_money(total, *row.penalty, s, ws, false);
        }
        if (s.grouping == GroupingKind::every_site || s.grouping == GroupingKind::percent_of_sites) {
          v.met = s.grouping == GroupingKind::every_site
                      ? v.groups_met == v.groups
                      : v.groups == 0 || ratio_at_least(static_cast<i128>(v.groups_met) * 100, v.groups, s.sites_percent);
          total = (!v.met && s.penalty) ? amount_value(plan, s, *s.penalty, nullptr, "", ws) : Decimal{};
        } else {
          v.met = v.groups_met == v.groups;
        }
        if (s.cap) total = std::min(total, amount_value(plan, s, *s.cap, nullptr, "", ws));
        v.penalty = total;
        ev.total_penalty = add_money(ev.total_penalty, total, s, ws, true);
        ev.verdicts.push_back(v);
      }
    }
    // Rows by window start (then end), then group id; groups are already in id order.
    // With `in site timezone`, by the verdict they belong to: by local start.
    if (s.window.site_zone) {
      std::vector<ResultRow> sorted;
      sorted.reserve(ev.rows.size() - first_row);
      for (auto& [key, vw] : verdict_windows) {
        for (std::size_t r : vw.rows) sorted.push_back(std::move(ev.rows[r]));
      }
      std::move(sorted.begin(), sorted.end(), ev.rows.begin() + static_cast<std::ptrdiff_t>(first_row));
    } else {
      std::stable_sort(ev.rows.begin() + static_cast<std::ptrdiff_t>(first_row), ev.rows.end(),
                       [](const ResultRow& a, const ResultRow& b) {
                         if (a.window_start != b.window_start) return a.window_start < b.window_start;
                         return a.window_end < b.window_end;
                       });
    }
  }
  return ev;
}

const Zone& window_zone(const Model& model, const Evaluation& ev, std::uint32_t zone) {
  return zone == 0 ? model.timezone : ev.site_zones[zone - 1];
}

Evaluation evaluate(const Plan& plan, Dataset& data, Time from, Time to, const std::vector<std::size_t>& selected) {
  auto series = build_series(plan, data, timeline_start(data, from), to, from, to, selected);
  return judge(plan, series, from, to);
}

}  // namespace slac::rt
