// The checker on penalty amounts (SPEC 4.4): what a name in an amount is, which
// figures and attributes a place allows, and `P% of AMOUNT`.
#include "compiler/checker/checker.hpp"

#include <fmt/ranges.h>

namespace slac::checking {

namespace {

constexpr std::string_view figure_words[] = {"attainment", "shortfall", "downtime_hours"};

std::optional<AmountFigure> figure_named(std::string_view name) {
  if (name == "attainment") return AmountFigure::attainment;
  if (name == "shortfall") return AmountFigure::shortfall;
  if (name == "downtime_hours") return AmountFigure::downtime_hours;
  return std::nullopt;
}

}  // namespace

std::string Checker::amount_names_hint(const AmountPlace& place) {
  std::vector<std::string_view> params;
  for (const auto& p : model_.params) {
    if ((p.value.type == ParamType::number || p.value.type == ParamType::percent) && !figure_named(p.name)) {
      params.push_back(p.name);
    }
  }
  std::string out = place.per_group ? "an amount takes numbers, params, the figures `attainment`, `shortfall` and "
                                      "`downtime_hours`, and the group's number attributes"
                                    : fmt::format("{} takes numbers and params", place.what);
  if (params.empty()) return out + " (no number or percentage param is declared)";
  if (params.size() > 10) params.resize(10);
  return fmt::format("{}; the params are `{}`", out, fmt::join(params, "`, `"));
}

bool Checker::percent_operand(const ast::Amount& a) {
  if (const ast::Value* v = a.single_value()) {
    if (std::holds_alternative<ast::PercentLit>(v->v)) return true;
    if (const auto* nv = std::get_if<ast::NameValue>(&v->v)) {
      if (auto f = figure_named(nv->name)) return *f != AmountFigure::downtime_hours;
      const Symbol* s = lookup(nv->name);
      return s != nullptr && s->kind == SymbolKind::param && model_.params[s->index].value.type == ParamType::percent;
    }
    return false;
  }
  if (const auto* p = std::get_if<ast::AmountParen>(&a.v)) return percent_operand(*p->inner);
  return false;
}

// Appends the amount's postfix form to `out`; false when a part of it is wrong (each
// wrong part is reported).
bool Checker::amount_parts(const ast::Amount& a, const AmountPlace& place, std::vector<AmountNode>& out) {
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::AmountParen>) {
          return amount_parts(*x.inner, place, out);
        } else if constexpr (std::is_same_v<T, ast::AmountChain>) {
          bool ok = amount_parts(*x.first, place, out);
          const ast::Amount* left = x.first.get();
          for (const auto& step : x.rest) {
            if (step.op == ast::AmountOp::percent_of && !percent_operand(*left)) {
              error(Code::amount_percent, left->range,
                    fmt::format("`of` takes a percentage on its left, as in `10% of site.monthly_bill`, and `{}` is "
                                "not one; to multiply, write `{} * {}`",
                                text(left->range), text(left->range), text(step.operand.range)));
              ok = false;
            }
            ok = amount_parts(step.operand, place, out) && ok;
            AmountNode n;
            n.range = step.op_range;
            switch (step.op) {
              case ast::AmountOp::add: n.kind = AmountNodeKind::add; break;
              case ast::AmountOp::subtract: n.kind = AmountNodeKind::subtract; break;
              case ast::AmountOp::divide: n.kind = AmountNodeKind::divide; break;
              case ast::AmountOp::multiply: n.kind = AmountNodeKind::multiply; break;
              case ast::AmountOp::percent_of:
                n.kind = AmountNodeKind::multiply;
                n.percent = true;
                break;
            }
            out.push_back(n);
            left = &step.operand;
          }
          return ok;
        } else if constexpr (std::is_same_v<T, ast::Operand>) {
          return amount_attribute(x, place, out);
        } else {
          return amount_value(x, place, out);
        }
      },
      a.v);
}

bool Checker::amount_attribute(const ast::Operand& o, const AmountPlace& place, std::vector<AmountNode>& out) {
  bool site = o.scope == ast::AttrScope::site;
  std::string_view level = site ? "site" : "device";
  const auto& table = site ? site_attrs_ : device_attrs_;
  auto it = table.find(o.name.text);
  if (it == table.end()) {
    auto& e = error(Code::amount_name, o.range,
                    fmt::format("unknown {} attribute `{}` in {}; {}", level, o.name.text, place.what,
                                amount_names_hint(place)));
    suggest(e, o.name.text, [&] { return sorted_names(table); });
    return false;
  }
  const AttributeInfo& attr = model_.attributes[it->second];
  if (attr.type != ValueType::number) {
    auto& e = error(Code::amount_name, o.range,
                    fmt::format("`{}.{}` is {} {} attribute, and an amount needs a number attribute", level,
                                o.name.text, article(type_name(attr.type)), type_name(attr.type)));
    previous_note(e, attr.decl, fmt::format("`{}`", o.name.text));
    return false;
  }
  if (!place.per_group) {
    error(Code::amount_scope, o.range,
          fmt::format("{} is the same for every group, so it cannot use `{}.{}`; {}", place.what, level, o.name.text,
                      place.why_static));
    return false;
  }
  GroupingKind wanted = site ? GroupingKind::any_site : GroupingKind::any_device;
  // `on any site.ATTR` groups the sites sharing ATTR's value: that one attribute is the
  // group's own (SPEC 4.4).
  bool group_value = site && place.grouping == GroupingKind::any_attribute && place.group_attribute == it->second;
  if (place.grouping && *place.grouping != wanted && !group_value) {
    error(Code::amount_scope, o.range,
          fmt::format("`{}.{}` is the attribute of one {}, so it needs `on any {}`{}; this SLA's groups are not single {}s",
                      level, o.name.text, level, level,
                      site ? fmt::format(" (or `on any site.{}`, whose groups share it)", o.name.text) : "", level));
    return false;
  }
  AmountNode n;
  n.kind = AmountNodeKind::attribute;
  n.ref = it->second;
  n.range = o.range;
  out.push_back(n);
  return true;
}

bool Checker::amount_value(const ast::Value& v, const AmountPlace& place, std::vector<AmountNode>& out) {
  AmountNode n;
  n.range = v.range;
  if (const auto* nv = std::get_if<ast::NameValue>(&v.v)) {
    const Symbol* s = lookup(nv->name);
    if (auto f = figure_named(nv->name)) {
      if (s != nullptr && s->kind == SymbolKind::param) {
        auto& e = error(Code::amount_name, v.range,
                        fmt::format("in an amount `{}` is the row's figure, so a param of that name is ambiguous "
                                    "there; rename the param",
                                    nv->name));
        previous_note(e, s->decl, fmt::format("param `{}`", nv->name));
        return false;
      }
      if (!place.per_group) {
        error(Code::amount_scope, v.range,
              fmt::format("{} is the same for every group, so it cannot use the figure `{}`; {}", place.what,
                          nv->name, place.why_static));
        return false;
      }
      if (*f == AmountFigure::shortfall && !place.has_target) {
        error(Code::amount_scope, v.range,
              "`shortfall` is the target minus the attainment, so it needs a `for at least P%` (or `for more than "
              "P%`) objective; without one, price `attainment` or `downtime_hours`");
        return false;
      }
      if (*f == AmountFigure::downtime_hours && place.counts_events) {
        error(Code::amount_scope, v.range,
              "an event measure counts events, not time, so it has no `downtime_hours`; price `attainment` or "
              "`shortfall`");
        return false;
      }
      if (*f == AmountFigure::downtime_hours && place.averages_numbers) {
        error(Code::amount_scope, v.range,
              "a `mean of` averages numbers, so it has no downtime and no `downtime_hours`; price `attainment` (the "
              "mean) or `shortfall`");
        return false;
      }
      n.kind = AmountNodeKind::figure;
      n.figure = *f;
      out.push_back(n);
      return true;
    }
    if (s == nullptr) {
      if (unparsed(nv->name)) return false;
      auto& e = error(Code::amount_name, v.range,
                      fmt::format("unknown name `{}` in {}; {}", nv->name, place.what, amount_names_hint(place)));
      suggest(e, nv->name, [&] {
        std::vector<std::string_view> names(std::begin(figure_words), std::end(figure_words));
        for (const auto& p : model_.params) names.push_back(p.name);
        return names;
      });
      return false;
    }
    if (s->kind != SymbolKind::param) {
      auto& e = error(Code::amount_name, v.range,
                      fmt::format("`{}` is a {}, not a number; {}", nv->name, kind_name(s->kind),
                                  amount_names_hint(place)));
      previous_note(e, s->decl, fmt::format("`{}`", nv->name));
      return false;
    }
    const ParamInfo& p = model_.params[s->index];
    if (p.value.type != ParamType::number && p.value.type != ParamType::percent) {
      auto& e = error(Code::param_type, v.range,
                      fmt::format("param `{}` is {}, but {} takes numbers and percentages", nv->name,
                                  param_type_name(p.value.type), place.what));
      previous_note(e, s->decl, fmt::format("`{}`", nv->name));
      return false;
    }
    n.kind = AmountNodeKind::param;
    n.ref = s->index;
    out.push_back(n);
    return true;
  }
  if (const auto* pl = std::get_if<ast::PercentLit>(&v.v)) {
    n.number = pl->value;
    n.percent = true;
    out.push_back(n);
    return true;
  }
  // A number, or a literal of another type, which `quantity` explains.
  auto q = quantity(v, ParamType::number, place.what);
  if (!q) return false;
  n.number = q->literal.number;
  out.push_back(n);
  return true;
}

std::optional<AmountSpec> Checker::check_amount(const ast::Amount& a, const AmountPlace& place) {
  AmountSpec spec;
  spec.range = a.range;
  if (!amount_parts(a, place, spec.postfix)) return std::nullopt;
  // A single number or param keeps the rule of amounts before expressions: not negative.
  if (const AmountNode* n = spec.single()) {
    bool negative = n->kind == AmountNodeKind::literal ? n->number.is_negative()
                    : n->kind == AmountNodeKind::param ? model_.params[n->ref].value.number.is_negative()
                                                       : false;
    if (negative) {
      error(Code::amount_range, a.range, fmt::format("{} cannot be negative", place.what));
      return std::nullopt;
    }
  }
  return spec;
}

}  // namespace slac::checking
