// Lookups on the checked model, param values as text, and the model's canonical text.
#include "compiler/model.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace slac {

std::string WindowSpec::start_text() const {
  std::string day = unit == ast::CalendarUnit::week
                        ? fmt::format("{} ", ast::weekday_word(static_cast<ast::Weekday>(start_weekday)))
                        : "";
  return fmt::format("{}{:02}:{:02}", day, start_minute / 60, start_minute % 60);
}

std::string_view type_name(ValueType t) {
  switch (t) {
    case ValueType::boolean: return "bool";
    case ValueType::number: return "number";
    case ValueType::string: return "string";
    case ValueType::event: return "event";
    case ValueType::enumeration: return "enum";
    case ValueType::timezone: return "timezone";
  }
  return "?";
}

std::string_view param_type_name(ParamType t) {
  switch (t) {
    case ParamType::percent: return "a percentage";
    case ParamType::number: return "a number";
    case ParamType::duration: return "a duration";
    case ParamType::boolean: return "true or false";
  }
  return "?";
}



std::string ParamValue::to_string() const {
  switch (type) {
    case ParamType::percent: return number.to_string() + "%";
    case ParamType::number: return number.to_string();
    case ParamType::duration: return canonical_duration(ms);
    case ParamType::boolean: return flag ? "true" : "false";
  }
  return "?";
}

std::string Scalar::to_string(const std::vector<std::string>& members) const {
  if (param) return fmt::format("param#{}", *param);
  switch (type) {
    case ValueType::boolean: return flag ? "true" : "false";
    case ValueType::number: return number.to_string();
    case ValueType::enumeration: return member < members.size() ? members[member] : "?";
    default: return fmt::format("\"{}\"", text);
  }
}

std::optional<std::size_t> Model::find_signal(std::string_view name) const {
  for (std::size_t i = 0; i < signals.size(); ++i) {
    if (signals[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Model::find_attribute(Level level, std::string_view name) const {
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if (attributes[i].level == level && attributes[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Model::find_param(std::string_view name) const {
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Model::find_sla(std::string_view name) const {
  for (std::size_t i = 0; i < slas.size(); ++i) {
    if (slas[i].name == name) return i;
  }
  return std::nullopt;
}


namespace {

// `99,5` for 99.5: a decimal comma, which `--set` cannot take.
std::optional<std::string> decimal_comma(std::string_view text) {
  auto comma = text.find(',');
  if (comma == std::string_view::npos || text.find(',', comma + 1) != std::string_view::npos) return std::nullopt;
  std::string dotted(text);
  dotted[comma] = '.';
  return fmt::format("a decimal is written with `.`: `{}`", dotted);
}

}  // namespace

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<ParamValue> parse_param_value(std::string_view text, ParamType type, std::string& why) {
  text = trim_blanks(text);
  ParamValue v;
  v.type = type;
  if (auto comma = decimal_comma(text); comma && type != ParamType::boolean) {
    why = *comma;
    return std::nullopt;
  }
  switch (type) {
    case ParamType::percent: {
      if (!text.ends_with('%')) {
        why = fmt::format("a percentage is written with `%`: {}", percent_hint(text));
        return std::nullopt;
      }
      auto d = Decimal::parse(text.substr(0, text.size() - 1));
      if (!d || *d < Decimal::integer(0) || *d > Decimal::integer(100)) {
        why = "expected a percentage between 0% and 100%";
        return std::nullopt;
      }
      v.number = *d;
      return v;
    }
    case ParamType::number: {
      auto d = Decimal::parse(text);
      if (!d) {
        why = "expected a number";
        return std::nullopt;
      }
      v.number = *d;
      return v;
    }
    case ParamType::duration: {
      auto ms = parse_duration(text);
      if (!ms) {
        why = duration_hint(text).value_or("expected a duration longer than 0, such as `4h` or `1h30m`");
        return std::nullopt;
      }
      if (*ms <= 0) {
        why = "expected a duration longer than 0, such as `4h` or `1h30m`";
        return std::nullopt;
      }
      v.ms = *ms;
      return v;
    }
    case ParamType::boolean:
      if (text == "true" || text == "false") {
        v.flag = text == "true";
        return v;
      }
      why = "expected true or false";
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> warn_at_target(const Model& model, const SlaInfo& sla, const std::vector<ParamValue>& params) {
  if (!sla.target || !sla.warn) return std::nullopt;
  auto value = [&](const Quantity& q) { return q.param && *q.param < params.size() ? params[*q.param] : q.literal; };
  if (value(*sla.target).number < value(*sla.warn).number) return std::nullopt;
  auto shown = [&](const Quantity& q) {
    if (!q.param) return q.literal.to_string();
    bool set = *q.param < params.size() && !(params[*q.param] == q.literal);
    return fmt::format("`{}` ({}{})", model.params[*q.param].name, value(q).to_string(), set ? ", as set" : "");
  };
  return fmt::format("`warn below` {} is at or under the target, {}, so no met window can be a near miss; "
                     "warn at a level above the target",
                     shown(*sla.warn), shown(*sla.target));
}

namespace {

std::string quantity_text(const Model& m, const Quantity& q) {
  if (q.param) return m.params[*q.param].name;
  return q.literal.to_string();
}

std::string_view op_text(ast::CmpOp op) {
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

std::string scalar_text(const Model& m, const Scalar& s, const std::vector<std::string>& members) {
  if (s.param) return m.params[*s.param].name;
  return s.to_string(members);
}

}  // namespace

std::string_view figure_name(AmountFigure f) {
  switch (f) {
    case AmountFigure::attainment: return "attainment";
    case AmountFigure::shortfall: return "shortfall";
    case AmountFigure::downtime_hours: return "downtime_hours";
  }
  return "?";
}

bool amount_uses_group(const std::vector<AmountNode>& postfix) {
  return std::any_of(postfix.begin(), postfix.end(), [](const AmountNode& n) {
    return n.kind == AmountNodeKind::figure || n.kind == AmountNodeKind::attribute;
  });
}

std::string amount_text(const Model& m, const AmountSpec& amount) {
  // Rebuilt from postfix: each entry is a text and its tier (0 sum, 1 product, 2 atom);
  // an operand of a lower tier, or the right operand of the same tier, is parenthesised.
  std::vector<std::pair<std::string, int>> stack;
  for (const AmountNode& n : amount.postfix) {
    switch (n.kind) {
      case AmountNodeKind::literal:
        stack.emplace_back(n.number.to_string() + (n.percent ? "%" : ""), 2);
        break;
      case AmountNodeKind::param: stack.emplace_back(m.params[n.ref].name, 2); break;
      case AmountNodeKind::figure: stack.emplace_back(std::string(figure_name(n.figure)), 2); break;
      case AmountNodeKind::attribute:
        stack.emplace_back(fmt::format("{}.{}", m.attributes[n.ref].level == Level::site ? "site" : "device",
                                       m.attributes[n.ref].name),
                           2);
        break;
      default: {
        if (stack.size() < 2) return "?";
        auto rhs = std::move(stack.back());
        stack.pop_back();
        auto lhs = std::move(stack.back());
        stack.pop_back();
        bool sum = n.kind == AmountNodeKind::add || n.kind == AmountNodeKind::subtract;
        int tier = sum ? 0 : 1;
        std::string_view op = n.kind == AmountNodeKind::add        ? "+"
                              : n.kind == AmountNodeKind::subtract ? "-"
                              : n.kind == AmountNodeKind::divide   ? "/"
                              : n.percent                          ? "of"
                                                                   : "*";
        std::string l = lhs.second < tier ? "(" + lhs.first + ")" : lhs.first;
        std::string r = rhs.second <= tier ? "(" + rhs.first + ")" : rhs.first;
        stack.emplace_back(fmt::format("{} {} {}", l, op, r), tier);
      }
    }
  }
  return stack.size() == 1 ? stack.front().first : "?";
}

std::string expr_text(const Model& m, ExprId id) {
  const CExpr& e = m.exprs[id];
  auto join = [&](std::string_view sep) {
    std::string out = "(";
    for (std::size_t i = 0; i < e.children.size(); ++i) {
      if (i > 0) out += sep;
      out += expr_text(m, e.children[i]);
    }
    return out + ")";
  };
  auto scalars = [&](const std::vector<std::string>& members) {
    std::string out;
    for (std::size_t i = 0; i < e.scalars.size(); ++i) {
      if (i > 0) out += ", ";
      out += scalar_text(m, e.scalars[i], members);
    }
    return out;
  };
  switch (e.kind) {
    case ExprKind::constant: return e.flag ? "true" : "false";
    case ExprKind::signal_compare: {
      const SignalInfo& s = m.signals[e.ref];
      return fmt::format("{} {} {}", s.name, op_text(e.op), scalars(s.members));
    }
    case ExprKind::signal_in: return fmt::format("{} in {{ {} }}", m.signals[e.ref].name, scalars(m.signals[e.ref].members));
    case ExprKind::bool_signal: return m.signals[e.ref].name;
    case ExprKind::attr_compare:
    case ExprKind::attr_in:
    case ExprKind::bool_attr: {
      const AttributeInfo& a = m.attributes[e.ref];
      std::string lhs = fmt::format("{}.{}", a.level == Level::device ? "device" : "site", a.name);
      if (e.kind == ExprKind::bool_attr) return lhs;
      if (e.kind == ExprKind::attr_in) return fmt::format("{} in {{ {} }}", lhs, scalars(a.members));
      return fmt::format("{} {} {}", lhs, op_text(e.op), scalars(a.members));
    }
    case ExprKind::seen: return fmt::format("seen {} within {}", m.signals[e.ref].name, quantity_text(m, e.duration));
    case ExprKind::during: return fmt::format("during {}", m.calendars[e.ref].name);
    case ExprKind::state: return m.states[e.ref].name;
    case ExprKind::bool_param: return m.params[e.ref].name;
    case ExprKind::not_: return fmt::format("not {}", expr_text(m, e.children[0]));
    case ExprKind::and_: return join(" and ");
    case ExprKind::or_: return join(" or ");
    case ExprKind::lasting:
      return fmt::format("({} lasting at least {})", expr_text(m, e.children[0]), quantity_text(m, e.duration));
    case ExprKind::ignoring_gaps:
      return fmt::format("({} ignoring gaps under {})", expr_text(m, e.children[0]), quantity_text(m, e.duration));
    case ExprKind::capped_each:
      return fmt::format("({} up to {} each)", expr_text(m, e.children[0]), quantity_text(m, e.duration));
    case ExprKind::capped_per:
      return fmt::format("({} up to {} per calendar {})", expr_text(m, e.children[0]), quantity_text(m, e.duration),
                         ast::unit_word(e.unit));
  }
  return "?";
}

std::string attribute_text(const Model& m, std::size_t attribute) {
  const AttributeInfo& a = m.attributes[attribute];
  return a.level == Level::site ? "site." + a.name : a.name;
}

std::string canonical_text(const Model& m) {
  std::string out;
  auto line = [&](std::string_view format, auto&&... args) {
    out += fmt::vformat(format, fmt::make_format_args(args...));
    out += '\n';
  };
  line("contract {:?} customer {:?} currency {:?} version {:?} timezone {}", m.name, m.customer.value_or(""),
       m.currency.value_or(""), m.version.value_or(""), m.timezone.name);
  for (const auto& s : m.signals) {
    line("{}signal {} : {} {{{}}}", s.level == Level::site ? "site " : "", s.name, type_name(s.type), fmt::join(s.members, ","));
  }
  for (const auto& a : m.attributes) {
    line("{} attribute {} : {} {{{}}} = {}", a.level == Level::site ? "site" : "device", a.name, type_name(a.type),
         fmt::join(a.members, ","), a.default_value ? a.default_value->to_string(a.members) : "-");
  }
  for (const auto& p : m.params) line("param {} = {}", p.name, p.value.to_string());
  for (const auto& h : m.holidays) line("holidays {} = {}", h.name, fmt::join(h.days, ","));
  for (const auto& c : m.calendars) {
    std::string spans;
    for (const auto& s : c.spans) spans += fmt::format("{:07b}:{}-{} ", s.weekdays, s.start_minute, s.end_minute);
    std::vector<std::string> hol;
    for (auto h : c.holidays) hol.push_back(m.holidays[h].name);
    line("calendar {} = {}zone {} {} except {}", c.name, spans, static_cast<int>(c.zone_kind), c.zone.name, fmt::join(hol, ","));
  }
  for (const auto& s : m.states) line("state {} = {}", s.name, expr_text(m, s.expr));
  for (const auto& s : m.slas) {
    line("{} {}", s.is_kpi ? "kpi" : "sla", s.name);
    line("  window rolling={} unit={} rolling_unit={} count={} start={}+{}m period={} anchor={} periods={}",
         s.window.rolling, static_cast<int>(s.window.unit), static_cast<int>(s.window.rolling_unit),
         s.window.rolling || s.window.period ? quantity_text(m, s.window.count) : "-", s.window.start_weekday,
         s.window.start_minute, s.window.period, s.window.anchor_day, s.window.period_days.size());
    line("  grouping {} attr={} percent={} where={}", static_cast<int>(s.grouping.kind),
         s.grouping.kind == GroupingKind::any_attribute ? attribute_text(m, s.grouping.attribute) : "-",
         s.grouping.kind == GroupingKind::percent_of_sites ? quantity_text(m, s.grouping.percent) : "-",
         s.grouping.where ? expr_text(m, *s.grouping.where) : "-");
    const auto& r = s.requirement;
    bool has_amount = r.kind != RequirementKind::all && r.kind != RequirementKind::per_device &&
                      r.kind != RequirementKind::site_attribute && r.kind != RequirementKind::events &&
                      r.kind != RequirementKind::mean;
    line("  requirement {} {} attr={} state={}", static_cast<int>(r.kind), has_amount ? quantity_text(m, r.amount) : "-",
         (r.kind == RequirementKind::weighted || r.kind == RequirementKind::site_attribute) ? m.attributes[r.attribute].name : "-",
         expr_text(m, r.state));
    if (r.kind == RequirementKind::events) line("  events of {}", m.signals[r.events_signal].name);
    if (r.kind == RequirementKind::mean) {
      std::vector<std::string> nodes;
      for (const NumNode& n : r.mean) {
        nodes.push_back(fmt::format("{}:{}:{}:{}:{}", static_cast<int>(n.op), n.number.to_string(), n.ref,
                                    fmt::join(n.operands, "."), n.ops));
      }
      line("  mean of {} unknown as {}", fmt::join(nodes, " "), r.unknown_as ? quantity_text(m, *r.unknown_as) : "-");
    }
    line("  target {} during {}", s.target ? quantity_text(m, *s.target) : "-",
         s.during ? m.calendars[*s.during].name : "-");
    line("  max_outage {}", s.max_outage ? quantity_text(m, *s.max_outage) : "-");
    if (s.target_more_than || s.rounding || s.target_of || s.max_downtime) {
      line("  more_than {} rounded {} of {} downtime {} {}", s.target_more_than, s.rounding ? quantity_text(m, *s.rounding) : "-",
           s.target_of ? quantity_text(m, *s.target_of) : "-", s.downtime_less_than ? "less than" : "at most",
           s.max_downtime ? quantity_text(m, *s.max_downtime) : "-");
    }
    for (const auto& oc : s.outage_counts) {
      line("  outages at most {} longer than {}", quantity_text(m, oc.count),
           oc.longer_than ? quantity_text(m, *oc.longer_than) : "-");
    }
    line("  only {}", s.only ? expr_text(m, *s.only) : "-");
    line("  excluding {}", s.excluding ? expr_text(m, *s.excluding) : "-");
    line("  penalty {} cap {} warn {}", s.penalty ? amount_text(m, *s.penalty) : "-",
         s.cap ? amount_text(m, *s.cap) : "-", s.warn ? quantity_text(m, *s.warn) : "-");
    for (const auto& t : s.tiers) line("  tier below {}: {}", quantity_text(m, t.below), amount_text(m, t.amount));
    if (s.counted) {
      line("  counted in {} failed if {} {}", quantity_text(m, s.counted->length), static_cast<int>(s.counted->failed_if),
           s.counted->over ? quantity_text(m, *s.counted->over) : "-");
    }
  }
  for (const auto& t : m.tests) {
    line("test {:?} from {} to {}", t.name, t.from ? format_instant(*t.from) : "-", t.to ? format_instant(*t.to) : "-");
    for (const auto& [p, v] : t.params) line("  set {} = {}", m.params[p].name, v.to_string());
    for (const auto& s : t.sites) {
      std::string attrs;
      for (const auto& a : s.attributes) attrs += fmt::format(" {}={}", m.attributes[a.attribute].name, a.value.to_string(m.attributes[a.attribute].members));
      line("  site {:?}{}", s.id, attrs);
    }
    for (const auto& d : t.devices) {
      std::string attrs;
      for (const auto& a : d.attributes) attrs += fmt::format(" {}={}", m.attributes[a.attribute].name, a.value.to_string(m.attributes[a.attribute].members));
      line("  device {:?} at {:?}{}", d.id, d.site, attrs);
    }
    for (const auto& e : t.events) {
      std::string repeat;
      if (e.daily_clock) repeat = fmt::format(" daily at {} until {}", format_duration(*e.daily_clock), format_instant(e.until));
      if (e.every > 0) repeat = fmt::format(" every {} until {}", format_duration(e.every), format_instant(e.until));
      line("  at {} {:?} {} {}{}", format_instant(e.time), e.entity, m.signals[e.signal].name,
           e.value ? e.value->to_string(m.signals[e.signal].members) : "-", repeat);
    }
    for (const auto& x : t.expectations) {
      line("  expect {} {} verdict={} group={} window={} {} {} {}", static_cast<int>(x.what),
           x.sla ? m.slas[*x.sla].name : "-", x.verdict, x.group.value_or("-"),
           x.window_start ? format_instant(*x.window_start) : "-", x.number.to_string(), x.ms, x.tolerance.to_string());
    }
  }
  return out;
}

}  // namespace slac
