// Lowering: checked model + param values -> plan, with hash-consing so that a
// sub-expression used by several states and SLAs is one node, evaluated once.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "base/currency.hpp"
#include "base/diagnostics.hpp"
#include "compiler/plan.hpp"
#include "compiler/targets.hpp"

#include "compiler/measures.hpp"

namespace slac {
namespace {

class Lowerer {
 public:
  Lowerer(const Model& m, const std::vector<ParamValue>& params) : m_(m), params_(params) {
    plan_.model = &m;
    plan_.params = params;
    if (m.currency) plan_.money_decimals = minor_unit(*m.currency);
  }

  Plan run() {
    state_nodes_.assign(m_.states.size(), std::nullopt);
    for (std::size_t i = 0; i < m_.slas.size(); ++i) plan_.slas.push_back(sla(i));
    return std::move(plan_);
  }

 private:
  ParamValue value(const Quantity& q) const { return q.param ? params_[*q.param] : q.literal; }
  Scalar resolve(const Scalar& s) const {
    if (!s.param) return s;
    Scalar out = s;
    const ParamValue& p = params_[*s.param];
    out.param.reset();
    out.number = p.number;
    out.flag = p.flag;
    return out;
  }

  // Identical nodes are made once. The key is the node's content without its source.
  NodeId intern(PlanNode n) {
    std::string key = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|", static_cast<int>(n.op), n.flag, n.ref, static_cast<int>(n.cmp),
                                  n.negate_membership, n.duration, static_cast<int>(n.level), static_cast<int>(n.unit));
    for (const auto& v : n.values) key += fmt::format("{}:{}:{}:{}:{};", static_cast<int>(v.type), v.flag, v.number.to_string(), v.text, v.member);
    key += '|';
    for (NodeId c : n.children) key += fmt::format("{},", c);
    auto [it, inserted] = interned_.try_emplace(key, static_cast<NodeId>(plan_.nodes.size()));
    if (inserted) plan_.nodes.push_back(std::move(n));
    return it->second;
  }

  NodeLevel level_of(const std::vector<NodeId>& children) const {
    NodeLevel l = NodeLevel::global;
    for (NodeId c : children) l = std::max(l, plan_.nodes[c].level);
    return l;
  }

  NodeId constant(bool flag, Range source) {
    PlanNode n;
    n.op = NodeOp::constant;
    n.flag = flag;
    n.source = source;
    return intern(std::move(n));
  }

  // Lowers a condition without recursion: states may chain without limit (`s2 = s1
  // and x`, `s3 = s2 and x`, ...), so a state's expression is lowered on an explicit
  // stack, in the order a recursive descent would take (children first, and an `and`
  // or `or` stops at its first absorbing constant), so node numbers stay the same.
  NodeId expr(ExprId root) {
    struct Frame {
      ExprId id;
      std::vector<NodeId> done;  // the lowered children so far
    };
    std::vector<Frame> stack;
    stack.push_back({root, {}});
    NodeId result = 0;
    while (true) {
      Frame& f = stack.back();
      const CExpr& e = m_.exprs[f.id];
      if (auto next = next_child(e, f.done)) {
        stack.push_back({*next, {}});
        continue;
      }
      result = node(e, f.done);
      if (e.kind == ExprKind::state) state_nodes_[e.ref] = result;
      stack.pop_back();
      if (stack.empty()) return result;
      stack.back().done.push_back(result);
    }
  }

  // The next sub-condition to lower before `e` itself, given those lowered so far.
  std::optional<ExprId> next_child(const CExpr& e, const std::vector<NodeId>& done) const {
    switch (e.kind) {
      case ExprKind::state:
        if (state_nodes_[e.ref] || !done.empty()) return std::nullopt;
        return m_.states[e.ref].expr;
      case ExprKind::and_:
      case ExprKind::or_: {
        if (!done.empty()) {
          const PlanNode& last = plan_.nodes[done.back()];
          if (last.op == NodeOp::constant && last.flag != (e.kind == ExprKind::and_)) return std::nullopt;  // absorbing
        }
        if (done.size() < e.children.size()) return e.children[done.size()];
        return std::nullopt;
      }
      case ExprKind::not_:
      case ExprKind::lasting:
      case ExprKind::ignoring_gaps:
      case ExprKind::capped_each:
      case ExprKind::capped_per:
        if (done.empty()) return e.children[0];
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  // The node of `e`, its sub-conditions already lowered (`kids`, in order).
  NodeId node(const CExpr& e, const std::vector<NodeId>& kids) {
    PlanNode n;
    n.source = e.range;
    switch (e.kind) {
      case ExprKind::constant:
        return constant(e.flag, e.range);
      case ExprKind::bool_param:
        return constant(params_[e.ref].flag, e.range);
      case ExprKind::state:
        return kids.empty() ? *state_nodes_[e.ref] : kids[0];
      case ExprKind::signal_compare:
      case ExprKind::signal_in:
      case ExprKind::bool_signal: {
        const SignalInfo& s = m_.signals[e.ref];
        n.op = NodeOp::signal_test;
        n.level = s.level == Level::device ? NodeLevel::device : NodeLevel::site;
        n.ref = e.ref;
        if (e.kind == ExprKind::bool_signal) {
          Scalar t;
          t.type = ValueType::boolean;
          t.flag = true;
          n.values.push_back(t);
        } else {
          for (const auto& v : e.scalars) n.values.push_back(resolve(v));
          n.cmp = e.kind == ExprKind::signal_in ? ast::CmpOp::eq : e.op;
          if (n.cmp == ast::CmpOp::ne) {
            n.cmp = ast::CmpOp::eq;
            n.negate_membership = true;
          }
        }
        return intern(std::move(n));
      }
      case ExprKind::attr_compare:
      case ExprKind::attr_in:
      case ExprKind::bool_attr: {
        const AttributeInfo& a = m_.attributes[e.ref];
        n.op = NodeOp::attribute_test;
        n.level = a.level == Level::device ? NodeLevel::device : NodeLevel::site;
        n.ref = e.ref;
        if (e.kind == ExprKind::bool_attr) {
          Scalar t;
          t.type = ValueType::boolean;
          t.flag = true;
          n.values.push_back(t);
        } else {
          for (const auto& v : e.scalars) n.values.push_back(resolve(v));
          n.cmp = e.kind == ExprKind::attr_in ? ast::CmpOp::eq : e.op;
          if (n.cmp == ast::CmpOp::ne) {
            n.cmp = ast::CmpOp::eq;
            n.negate_membership = true;
          }
        }
        return intern(std::move(n));
      }
      case ExprKind::seen: {
        const SignalInfo& s = m_.signals[e.ref];
        n.op = NodeOp::seen;
        n.level = s.level == Level::device ? NodeLevel::device : NodeLevel::site;
        n.ref = e.ref;
        n.duration = value(e.duration).ms;
        return intern(std::move(n));
      }
      case ExprKind::during:
        return calendar(e.ref, e.range);
      case ExprKind::not_: {
        NodeId c = kids[0];
        const PlanNode& child = plan_.nodes[c];
        if (child.op == NodeOp::constant) return constant(!child.flag, e.range);
        if (child.op == NodeOp::not_) return child.children[0];
        n.op = NodeOp::not_;
        n.children = {c};
        n.level = child.level;
        return intern(std::move(n));
      }
      case ExprKind::and_:
      case ExprKind::or_: {
        bool is_and = e.kind == ExprKind::and_;
        std::set<NodeId> operands;  // sorted and unique: `a and a` is `a`
        for (NodeId id : kids) {
          const PlanNode& child = plan_.nodes[id];
          if (child.op == NodeOp::constant) {
            if (child.flag != is_and) return constant(!is_and, e.range);  // absorbing
            continue;                                                      // neutral
          }
          // Nested operators are kept, not flattened: a nested one is usually a state,
          // computed once and shared.
          operands.insert(id);
        }
        if (operands.empty()) return constant(is_and, e.range);
        if (operands.size() == 1) return *operands.begin();
        n.op = is_and ? NodeOp::and_ : NodeOp::or_;
        n.children.assign(operands.begin(), operands.end());
        n.level = level_of(n.children);
        return intern(std::move(n));
      }
      case ExprKind::lasting:
      case ExprKind::ignoring_gaps:
      case ExprKind::capped_each:
      case ExprKind::capped_per: {
        // A postfix operator with a duration. Capped conditions are counted per entity
        // at the child's level: a device's own incidents, a site's, or (for a global
        // child such as a contract-zone calendar) the same everywhere.
        NodeId c = kids[0];
        const PlanNode& child = plan_.nodes[c];
        if (child.op == NodeOp::constant && !child.flag) return c;
        n.op = e.kind == ExprKind::lasting         ? NodeOp::lasting
               : e.kind == ExprKind::ignoring_gaps ? NodeOp::ignoring_gaps
               : e.kind == ExprKind::capped_each   ? NodeOp::capped_each
                                                   : NodeOp::capped_per;
        n.children = {c};
        n.level = child.level;
        n.duration = value(e.duration).ms;
        if (e.kind == ExprKind::capped_each || e.kind == ExprKind::capped_per) n.unit = e.unit;
        return intern(std::move(n));
      }
    }
    return constant(false, e.range);
  }

  // An amount with each param replaced by its value (a percentage stays one).
  PlanAmount amount(const AmountSpec& spec) {
    AmountSpec resolved = spec;
    for (AmountNode& n : resolved.postfix) {
      if (n.kind != AmountNodeKind::param) continue;
      const ParamValue& v = params_[n.ref];
      n.kind = AmountNodeKind::literal;
      n.number = v.number;
      n.percent = v.type == ParamType::percent;
    }
    return PlanAmount{resolved.postfix, amount_text(m_, resolved)};
  }

  NodeId calendar(std::size_t index, Range source) {
    PlanNode n;
    n.op = NodeOp::calendar;
    n.ref = index;
    n.source = source;
    n.level = m_.calendars[index].zone_kind == ast::ZoneKind::site ? NodeLevel::site : NodeLevel::global;
    return intern(std::move(n));
  }

  SlaPlan sla(std::size_t index) {
    const SlaInfo& s = m_.slas[index];
    SlaPlan p;
    p.sla = index;
    p.name = s.name;
    p.is_kpi = s.is_kpi;
    p.source = s.decl;
    p.window = s.window;
    if (s.window.rolling || s.window.period) p.window_count = floor_integer(value(s.window.count).number);
    p.grouping = s.grouping.kind;
    p.group_attribute = s.grouping.attribute;
    if (s.grouping.kind == GroupingKind::percent_of_sites) p.sites_percent = value(s.grouping.percent).number;
    if (s.grouping.where) p.where = expr(*s.grouping.where);
    p.requirement = s.requirement.kind;
    p.requirement_attribute = s.requirement.attribute;
    if (s.requirement.kind != RequirementKind::all && s.requirement.kind != RequirementKind::per_device &&
        s.requirement.kind != RequirementKind::site_attribute && s.requirement.kind != RequirementKind::events &&
        s.requirement.kind != RequirementKind::mean) {
      p.amount = value(s.requirement.amount).number;
    }
    p.state = expr(s.requirement.state);
    p.events_signal = s.requirement.events_signal;
    p.mean = s.requirement.mean;
    for (NumNode& n : p.mean) {
      if (n.op != NumOp::param) continue;
      const ParamValue& v = params_[n.ref];
      n.op = NumOp::literal;
      n.number = v.type == ParamType::percent ? percent_fraction(v.number)
                                              : v.number;
    }
    if (s.requirement.unknown_as) {
      // A percentage param stands for its fraction, as in EXPR (`unknown as half`, half = 50%).
      const ParamValue& v = value(*s.requirement.unknown_as);
      p.unknown_as = v.type == ParamType::percent ? percent_fraction(v.number) : v.number;
    }
    if (s.only) p.scope = expr(*s.only);
    if (s.excluding) p.excluding = expr(*s.excluding);
    if (s.during) p.during = calendar(*s.during, s.during_range);
    if (s.target) p.target = value(*s.target).number;
    if (s.max_outage) p.max_outage = value(*s.max_outage).ms;
    for (const auto& oc : s.outage_counts) {
      SlaPlan::OutageCount o;
      o.count = floor_integer(value(oc.count).number);
      if (oc.longer_than) o.longer_than = value(*oc.longer_than).ms;
      p.outage_counts.push_back(o);
    }
    if (s.penalty) p.penalty = amount(*s.penalty);
    for (const auto& t : s.tiers) p.tiers.push_back({value(t.below).number, amount(t.amount)});
    std::sort(p.tiers.begin(), p.tiers.end(), [](const auto& a, const auto& b) { return a.below < b.below; });
    if (s.cap) p.cap = amount(*s.cap);
    if (s.warn) p.warn = value(*s.warn).number;
    if (s.counted) {
      SlaPlan::Counting c;
      c.length = value(s.counted->length).ms;
      c.day_start = s.window.start_minute * 60'000;
      c.failed_if = s.counted->failed_if;
      if (s.counted->over) c.over = value(*s.counted->over).number;
      p.counted = c;
    }
    p.target_more_than = s.target_more_than;
    if (s.rounding) p.rounding = value(*s.rounding).number;
    if (s.target_of) p.target_of = value(*s.target_of).ms;
    if (s.max_downtime) p.max_downtime = value(*s.max_downtime).ms;
    p.downtime_less_than = s.downtime_less_than;
    return p;
  }

  const Model& m_;
  const std::vector<ParamValue>& params_;
  Plan plan_;
  std::map<std::string, NodeId> interned_;
  std::vector<std::optional<NodeId>> state_nodes_;
};

std::string_view op_name(NodeOp op) {
  switch (op) {
    case NodeOp::constant: return "constant";
    case NodeOp::signal_test: return "signal";
    case NodeOp::seen: return "seen";
    case NodeOp::calendar: return "calendar";
    case NodeOp::attribute_test: return "attribute";
    case NodeOp::not_: return "not";
    case NodeOp::and_: return "and";
    case NodeOp::or_: return "or";
    case NodeOp::lasting: return "lasting";
    case NodeOp::ignoring_gaps: return "fill-gaps";
    case NodeOp::capped_each: return "cap-each";
    case NodeOp::capped_per: return "cap-per";
  }
  return "?";
}

std::string_view cmp_text(ast::CmpOp op) {
  switch (op) {
    case ast::CmpOp::eq: return "==";
    case ast::CmpOp::ne: return "!=";
    case ast::CmpOp::lt: return "<";
    case ast::CmpOp::le: return "<=";
    case ast::CmpOp::gt: return ">";
    case ast::CmpOp::ge: return ">=";
  }
  return "?";
}

// The percentage objective's lines: what the attainment is, and when it meets.
std::string explain_target(const SlaPlan& s) {
  if (!has_target_form(s)) return fmt::format("  objective:   attainment >= {}%\n", s.target->to_string());
  std::string out;
  if (s.target_of) {
    out += fmt::format("  attainment:  ({0} - downtime) / {0}, downtime = measured - good\n", format_duration(*s.target_of));
  }
  std::string op = s.target_more_than ? ">" : ">=";
  if (s.rounding) {
    auto th = target_threshold(s);
    out += fmt::format("  attainment:  rounded half up to a multiple of {}% for the target, tiers and warn\n",
                       s.rounding->to_string());
    out += fmt::format("  objective:   rounded attainment {} {}%, that is attainment >= {}%\n", op, s.target->to_string(),
                       th->percent.to_string());
  } else {
    out += fmt::format("  objective:   attainment {} {}%\n", op, s.target->to_string());
  }
  return out;
}

}  // namespace

Plan lower(const Model& model, const std::vector<ParamValue>& params) { return Lowerer(model, params).run(); }

std::optional<std::vector<ParamValue>> param_values(const Model& model,
                                                    const std::vector<std::pair<std::string, std::string>>& sets,
                                                    std::string& error) {
  std::vector<ParamValue> values;
  for (const auto& p : model.params) values.push_back(p.value);
  for (const auto& [name, text] : sets) {
    auto idx = model.find_param(name);
    if (!idx) {
      std::vector<std::string_view> names;
      for (const auto& p : model.params) names.push_back(p.name);
      error = fmt::format("--set {}: the contract has no param `{}`", name, name);
      if (auto near = closest_name(name, names)) error += fmt::format("; did you mean `{}`?", *near);
      else if (!names.empty()) error += fmt::format(" (its params: {})", fmt::join(names, ", "));
      return std::nullopt;
    }
    std::string why;
    auto v = parse_param_value(text, model.params[*idx].value.type, why);
    if (!v) {
      error = fmt::format("--set {}={}: {} is {}; {}", name, text, name, param_type_name(model.params[*idx].value.type), why);
      return std::nullopt;
    }
    values[*idx] = *v;
  }
  if (auto why = empty_windows(model, values)) {
    error = "--set " + *why;
    return std::nullopt;
  }
  if (auto why = off_step_target(model, values)) {
    error = "--set " + *why;
    return std::nullopt;
  }
  if (auto why = meaningless_param(model, values)) {
    error = "--set " + *why;
    return std::nullopt;
  }
  return values;
}

std::optional<std::string> meaningless_param(const Model& model, const std::vector<ParamValue>& params) {
  auto shown = [&](std::size_t p) { return fmt::format("{}={}", model.params[p].name, params[p].to_string()); };
  auto what = [](const SlaInfo& s) { return fmt::format("{} `{}`", s.is_kpi ? "KPI" : "SLA", s.name); };
  for (const auto& s : model.slas) {
    if (s.rounding && s.rounding->param && params[*s.rounding->param].number == Decimal::integer(0)) {
      return fmt::format("{}: {} would round its attainment to 0%, which rounds to nothing; give a step such as 1% or "
                         "0.1% (E401 for the contract's own values)",
                         shown(*s.rounding->param), what(s));
    }
    if (s.target && s.target->param && s.target_more_than &&
        !(params[*s.target->param].number < Decimal::integer(100))) {
      return fmt::format("{}: {} is met for more than its target, and no attainment is more than 100%, so it could never "
                         "be met (E401 for the contract's own values)",
                         shown(*s.target->param), what(s));
    }
    if (s.counted && s.counted->over && s.counted->over->param &&
        params[*s.counted->over->param].number == Decimal::integer(100)) {
      return fmt::format("{}: {} fails an interval for over this share of it, and no interval fails for over 100% of its "
                         "time; use a share under 100% (E401 for the contract's own values)",
                         shown(*s.counted->over->param), what(s));
    }
  }
  return std::nullopt;
}

std::optional<std::string> off_step_target(const Model& model, const std::vector<ParamValue>& params) {
  auto value = [&](const Quantity& q) { return q.param ? params[*q.param].number : q.literal.number; };
  for (const auto& s : model.slas) {
    if (!s.target || !s.rounding || !(s.target->param || s.rounding->param)) continue;
    Decimal t = value(*s.target), q = value(*s.rounding);
    if (q.units == 0) continue;
    // Both at the finer scale: the target is a multiple when the units divide.
    unsigned scale = std::max(t.scale, q.scale);
    i128 tu = static_cast<i128>(t.units) * pow10_128(scale - t.scale);
    i128 qu = static_cast<i128>(q.units) * pow10_128(scale - q.scale);
    if (tu % qu == 0) continue;
    // Name the param given a value of its own (by --set or --sweep), else the target's.
    auto changed = [&](const Quantity& q) { return q.param && !(params[*q.param] == model.params[*q.param].value); };
    const Quantity& set = changed(*s.rounding) && !changed(*s.target) ? *s.rounding
                          : s.target->param                           ? *s.target
                                                                      : *s.rounding;
    return fmt::format("{}={}: {} `{}` rounds its attainment to {}%, and its target {}% is not a multiple of that step, "
                       "so no rounded attainment equals it (SPEC 4.4; E512 for the contract's own values)",
                       model.params[*set.param].name, params[*set.param].to_string(), s.is_kpi ? "KPI" : "SLA", s.name,
                       q.to_string(), t.to_string());
  }
  return std::nullopt;
}

std::optional<std::string> empty_windows(const Model& model, const std::vector<ParamValue>& params) {
  for (const auto& s : model.slas) {
    if (!(s.window.rolling || s.window.period) || !s.window.count.param) continue;
    std::size_t p = *s.window.count.param;
    if (params[p].number < Decimal::integer(1)) {
      return fmt::format("{}={}: {} `{}` is measured in {} of `{}` {}, which must be at least 1", model.params[p].name,
                         params[p].to_string(), s.is_kpi ? "KPI" : "SLA", s.name,
                         s.window.rolling ? "rolling windows" : "periods", model.params[p].name,
                         ast::unit_word(s.window.rolling_unit));
    }
  }
  return std::nullopt;
}

// A civil day as YYYY-MM-DD.
static std::string day_text(std::int64_t day) {
  int y;
  unsigned mo, d;
  civil_from_days(day, y, mo, d);
  return fmt::format("{:04}-{:02}-{:02}", y, mo, d);
}

// Where calendar windows start, when not at local midnight (SPEC 4.4).
static std::string window_start_text(const WindowSpec& w) {
  if (!w.moved_start()) return "";
  return fmt::format(", each starting {} local time (a time in a gap: when the gap ends; in a fold: its first "
                     "occurrence)",
                     w.start_text());
}

// `counted in ...` in plain words: how the intervals are cut and when one fails.
static std::string explain_counting(const SlaPlan::Counting& c, const std::string& zone) {
  std::string fails = c.failed_if == ast::FailedIf::any   ? "the requirement fails at some measured instant of it"
                      : c.failed_if == ast::FailedIf::all ? "the requirement fails at every measured instant of it"
                                                          : fmt::format("the requirement fails for over {}% of its measured time",
                                                                        c.over.to_string());
  return fmt::format("  counted:     in {} intervals from each local {} in {} (a day's last one ends at the next day)\n"
                     "               an interval fails when {} (nothing measured: it does not)\n"
                     "               the requirement then fails at every measured instant of a failed interval, and holds at those of the others\n",
                     format_duration(c.length),
                     c.day_start == 0 ? std::string("midnight")
                                      : fmt::format("{:02}:{:02}", c.day_start / 3'600'000, c.day_start / 60'000 % 60),
                     zone, fails);
}

std::string explain_sla(const Plan& plan, const SlaPlan& s, const std::function<std::string(NodeId)>& ref) {
  const Model& m = *plan.model;
  std::string out;
  // SPEC 4.4: `in site timezone` windows follow each group's site.
  std::string zone = s.window.site_zone ? "each site's own time zone (its `timezone`)" : m.timezone.name;
  if (s.window.periods) {
    const auto& days = s.window.period_days;
    out += fmt::format("  windows:     the {} periods of `{}`, from local midnight of one date to the next ({} to {}) "
                       "in {}\n",
                       days.empty() ? 0 : days.size() - 1, m.periods[*s.window.periods].name,
                       days.empty() ? "-" : day_text(days.front()), days.empty() ? "-" : day_text(days.back()),
                       zone);
  } else if (s.window.period) {
    out += fmt::format("  windows:     periods of {} {} from local midnight of {} (and before it) in {}\n",
                       s.window_count, ast::unit_word(s.window.rolling_unit), day_text(s.window.anchor_day),
                       zone);
  } else if (s.window.rolling) {
    out += fmt::format("  windows:     rolling {} {} in {}\n", s.window_count, ast::unit_word(s.window.rolling_unit),
                       zone);
  } else {
    out += fmt::format("  windows:     calendar {}s in {}{}\n", ast::unit_word(s.window.unit), zone,
                       window_start_text(s.window));
  }
  static constexpr std::string_view groupings[] = {"each site", "each device", "each value of attribute ",
                                                   "the estate: every site must meet", "the estate: at least ",
                                                   "one group of all devices (*)"};
  std::string grouping(groupings[static_cast<int>(s.grouping)]);
  if (s.grouping == GroupingKind::any_attribute) grouping += attribute_text(m, s.group_attribute);
  if (s.grouping == GroupingKind::percent_of_sites) grouping += s.sites_percent.to_string() + "% of sites must meet";
  out += fmt::format("  groups:      {}{}\n", grouping, s.where ? fmt::format(", where {}", ref(*s.where)) : "");
  out += fmt::format("  in scope:    {}\n", s.scope ? fmt::format("devices while {}", ref(*s.scope)) : "every device, always");
  std::string req;
  switch (s.requirement) {
    case RequirementKind::at_least:
      req = fmt::format("at least {} device{} in {}", s.amount.to_string(), s.amount == Decimal::integer(1) ? "" : "s", ref(s.state));
      break;
    case RequirementKind::at_most:
      req = fmt::format("at most {} device{} in {}", s.amount.to_string(), s.amount == Decimal::integer(1) ? "" : "s", ref(s.state));
      break;
    case RequirementKind::percent_of_devices:
      req = fmt::format("at least {}% of in-scope devices in {}", s.amount.to_string(), ref(s.state));
      break;
    case RequirementKind::weighted:
      req = fmt::format("devices in {} carry at least {}% of the in-scope {}", ref(s.state), s.amount.to_string(),
                        m.attributes[s.requirement_attribute].name);
      break;
    case RequirementKind::site_attribute:
      req = fmt::format("at least site.{} devices in {}", m.attributes[s.requirement_attribute].name, ref(s.state));
      break;
    case RequirementKind::all: req = fmt::format("every in-scope device in {}", ref(s.state)); break;
    case RequirementKind::per_device: req = fmt::format("the device in {}", ref(s.state)); break;
    case RequirementKind::average_pooled:
      req = fmt::format("on average over device-time: attainment = the devices' time in {} / their measured time", ref(s.state));
      break;
    case RequirementKind::average_per_device:
      req = fmt::format("on average per device: attainment = the mean, over devices measured in the window, of each "
                        "one's time in {} / its measured time",
                        ref(s.state));
      break;
    case RequirementKind::events: req = explain_events_requirement(plan, s, ref(s.state)); break;
    case RequirementKind::mean: req = explain_mean_requirement(plan, s); break;
  }
  out += fmt::format("  requirement: {}\n", req);
  std::string measured = "the window";
  if (s.during) measured += fmt::format(", inside {}", ref(*s.during));
  if (s.excluding) measured += fmt::format(", minus {}", ref(*s.excluding));
  if (s.requirement == RequirementKind::events) {
    measured += explain_events_scope(plan, s);
  } else if (device_time_measure(s.requirement)) {
    measured = "per device, while in scope: " + measured + (s.during || s.excluding ? " (of the device's site)" : "") +
               (s.requirement == RequirementKind::mean ? explain_mean_scope(s) : "") + "; outages are not defined";
  } else {
    measured += ", minus instants with no device in scope";
  }
  if (s.requirement == RequirementKind::weighted) measured += " (or zero weight)";
  out += fmt::format("  measured:    {}\n", measured);
  if (s.counted) out += explain_counting(*s.counted, zone);
  if (s.target && s.requirement == RequirementKind::events) {
    // Strict and rounded targets judge the same ratio (`of D` is refused with events),
    // which the requirement's line already gives.
    out += has_target_form(s) ? explain_target(s)
                              : fmt::format("  objective:   attainment >= {}% (good events / counted events)\n",
                                            s.target->to_string());
  } else if (s.target) {
    out += explain_target(s);
  }
  if (s.max_downtime) {
    out += fmt::format("  objective:   downtime (measured - good) {} {}\n", s.downtime_less_than ? "<" : "<=",
                       format_duration(*s.max_downtime));
  }
  if (s.max_outage) out += fmt::format("  objective:   no outage longer than {}\n", format_duration(*s.max_outage));
  for (const auto& oc : s.outage_counts) {
    out += fmt::format("  objective:   at most {} outages{}\n", oc.count,
                       oc.longer_than > 0 ? fmt::format(" longer than {}", format_duration(oc.longer_than)) : "");
  }
  if (s.penalty) out += fmt::format("  penalty:     {} per breach\n", s.penalty->text);
  for (const auto& t : s.tiers) {
    out += fmt::format("  penalty:     {} when {}attainment is below {}%\n", t.amount.text, s.rounding ? "rounded " : "",
                       t.below.to_string());
  }
  if (s.cap) out += fmt::format("  cap:         {} per window\n", s.cap->text);
  bool computed = (s.penalty && s.penalty->postfix.size() > 1) ||
                  std::any_of(s.tiers.begin(), s.tiers.end(), [](const auto& t) { return t.amount.postfix.size() > 1; });
  if (computed) {
    out += fmt::format("  amounts:     exact; each row's rounded half up to {} decimal{}{}, before the cap and totals\n",
                       plan.money_decimals, plan.money_decimals == 1 ? "" : "s",
                       plan.model->currency ? fmt::format(" ({})", *plan.model->currency) : "");
  }
  if (s.warn) out += fmt::format("  near miss:   met below {}%{}\n", s.warn->to_string(), s.rounding ? " (rounded)" : "");
  return out;
}

std::string explain_plan(const Plan& plan, const SourceManager& sources) {
  const Model& m = *plan.model;
  std::string out;
  auto where = [&](const Range& r) {
    if (r.end == 0 && r.begin == 0) return std::string();
    const SourceFile& f = sources.file(r.file);
    Location at = f.location(r.begin);
    return fmt::format("{}:{}", f.path(), at.line);
  };
  out += fmt::format("plan for contract \"{}\" (time zone {})\n", m.name, m.timezone.name);
  if (!m.params.empty()) {
    out += "\nparams\n";
    for (std::size_t i = 0; i < m.params.size(); ++i) {
      bool set = !(plan.params[i] == m.params[i].value);
      out += fmt::format("  {} = {}{}\n", m.params[i].name, plan.params[i].to_string(),
                         set ? fmt::format("  (set; declared {})", m.params[i].value.to_string()) : "");
    }
  }
  // The nodes used by the SLAs shown.
  std::vector<bool> used(plan.nodes.size(), false);
  std::vector<NodeId> stack;
  for (const auto& s : plan.slas) {
    stack.push_back(s.state);
    for (auto n : {s.scope, s.excluding, s.during, s.where}) {
      if (n) stack.push_back(*n);
    }
  }
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    if (used[id]) continue;
    used[id] = true;
    for (NodeId c : plan.nodes[id].children) stack.push_back(c);
  }
  std::size_t count = static_cast<std::size_t>(std::count(used.begin(), used.end(), true));
  out += fmt::format("\nnodes ({}; shared sub-expressions are computed once, children before parents)\n", count);
  static constexpr std::string_view levels[] = {"global", "site", "device"};
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    if (!used[i]) continue;
    const PlanNode& n = plan.nodes[i];
    std::string what;
    auto values_text = [&](const std::vector<std::string>& members) {
      std::vector<std::string> vs;
      for (const auto& v : n.values) vs.push_back(v.to_string(members));
      return fmt::format("{}", fmt::join(vs, ", "));
    };
    switch (n.op) {
      case NodeOp::constant: what = n.flag ? "always" : "never"; break;
      case NodeOp::signal_test: {
        const SignalInfo& s = m.signals[n.ref];
        if (n.values.size() == 1 && n.cmp != ast::CmpOp::eq) {
          what = fmt::format("{} {} {}", s.name, cmp_text(n.cmp), values_text(s.members));
        } else {
          what = fmt::format("{} {} {{ {} }}", s.name, n.negate_membership ? "known and not in" : "in", values_text(s.members));
        }
        break;
      }
      case NodeOp::attribute_test: {
        const AttributeInfo& a = m.attributes[n.ref];
        std::string name = fmt::format("{}.{}", a.level == Level::device ? "device" : "site", a.name);
        if (n.values.size() == 1 && n.cmp != ast::CmpOp::eq) {
          what = fmt::format("{} {} {}", name, cmp_text(n.cmp), values_text(a.members));
        } else {
          what = fmt::format("{} {} {{ {} }}", name, n.negate_membership ? "not in" : "in", values_text(a.members));
        }
        break;
      }
      case NodeOp::seen:
        what = fmt::format("union of [t, t+{}) over events of {}", format_duration(n.duration), m.signals[n.ref].name);
        break;
      case NodeOp::calendar: {
        const CalendarInfo& c = m.calendars[n.ref];
        std::string zone = c.zone_kind == ast::ZoneKind::site    ? "the site's time zone"
                           : c.zone_kind == ast::ZoneKind::named ? c.zone.name
                                                                 : m.timezone.name;
        what = fmt::format("calendar {} in {}", c.name, zone);
        break;
      }
      case NodeOp::not_: what = fmt::format("timeline minus #{}", n.children[0]); break;
      case NodeOp::and_:
      case NodeOp::or_: {
        std::vector<std::string> cs;
        for (NodeId c : n.children) cs.push_back(fmt::format("#{}", c));
        what = fmt::format("{} of {}", n.op == NodeOp::and_ ? "intersection" : "union", fmt::join(cs, ", "));
        break;
      }
      case NodeOp::lasting:
        what = fmt::format("runs of #{} lasting at least {}", n.children[0], format_duration(n.duration));
        break;
      case NodeOp::ignoring_gaps:
        what = fmt::format("#{} with gaps under {} filled", n.children[0], format_duration(n.duration));
        break;
      case NodeOp::capped_each:
        what = fmt::format("the first {} of each run of #{}", format_duration(n.duration), n.children[0]);
        break;
      case NodeOp::capped_per:
        what = fmt::format("#{}, at most {} of it per calendar {} in {}", n.children[0], format_duration(n.duration),
                           ast::unit_word(n.unit), m.timezone.name);
        break;
    }
    out += fmt::format("  #{:<3} {:<6} {:<10} {:<60} {}\n", i, levels[static_cast<int>(n.level)], op_name(n.op), what,
                       where(n.source));
  }
  for (const auto& s : plan.slas) {
    out += fmt::format("\n{} {}  ({})\n", s.is_kpi ? "kpi" : "sla", s.name, where(s.source));
    out += explain_sla(plan, s, [](NodeId n) { return fmt::format("#{}", n); });
  }
  return out;
}

}  // namespace slac
