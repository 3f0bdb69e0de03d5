// The checker: name resolution, types, levels, ranges and the SLA rules of SPEC 4.3,
// from the syntax trees of a program to its checked model.
#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "compiler/loader.hpp"
#include "compiler/model.hpp"
#include "compiler/timezones.hpp"

namespace slac {
namespace {

enum class SymbolKind { param, signal, holidays, calendar, state };

std::string_view kind_name(SymbolKind k) {
  switch (k) {
    case SymbolKind::param: return "param";
    case SymbolKind::signal: return "signal";
    case SymbolKind::holidays: return "holidays list";
    case SymbolKind::calendar: return "calendar";
    case SymbolKind::state: return "state";
  }
  return "name";
}

struct Symbol {
  SymbolKind kind;
  std::size_t index;
  Range decl;
};

std::string_view article(std::string_view word) {
  return (!word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos) ? "an" : "a";
}

std::string describe_signal(const SignalInfo& s) {
  std::string_view t = type_name(s.type);
  return fmt::format("{} {}{} signal", article(s.level == Level::site ? "site" : t),
                     s.level == Level::site ? "site " : "", t);
}

std::string describe_value_kind(const ast::Value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::NumberLit>) return "a number";
        if constexpr (std::is_same_v<T, ast::PercentLit>) return "a percentage";
        if constexpr (std::is_same_v<T, ast::DurationLit>) return "a duration";
        if constexpr (std::is_same_v<T, ast::BoolLit>) return "a bool";
        if constexpr (std::is_same_v<T, ast::StringLit>) return "a text";
        if constexpr (std::is_same_v<T, ast::DateLit>) return "a date";
        if constexpr (std::is_same_v<T, ast::NameValue>) return fmt::format("`{}`", x.name);
        return "a value";
      },
      v.v);
}

// Clause keywords, for "did you mean" when a misspelt clause reads as a state name.
const std::vector<std::string_view>& clause_words() {
  static const std::vector<std::string_view> words = {"in", "on", "across", "at", "no", "all", "for", "with",
                                                      "during", "only", "excluding", "penalty", "warn"};
  return words;
}

class Checker {
 public:
  Checker(const Program& program, Diagnostics& diags) : program_(program), diags_(diags) {}

  Model run();

 private:
  // -- helpers
  std::string_view text(const Range& r) const { return program_.sources.text(r); }
  Diagnostic& error(Code code, Range r, std::string msg) { return diags_.error(code, r, std::move(msg)); }
  void previous_note(Diagnostic& d, Range prev, std::string_view what) {
    d.notes.push_back({fmt::format("{} declared here", what), prev});
  }
  void first_note(Diagnostic& d, Range prev) { d.notes.push_back({"the first is here", prev}); }
  void note(Diagnostic& d, Range where, std::string text) { d.notes.push_back({std::move(text), where}); }
  bool declare(std::string_view name, SymbolKind kind, std::size_t index, Range range);
  const Symbol* lookup(std::string_view name) const {
    auto it = names_.find(name);
    return it == names_.end() ? nullptr : &it->second;
  }
  bool unparsed(std::string_view name) const { return unparsed_.contains(name); }
  std::vector<std::string_view> candidates(std::initializer_list<SymbolKind> kinds) const;
  void unknown(std::string_view what, const ast::Name& name, std::initializer_list<SymbolKind> kinds);
  std::optional<std::size_t> resolve(const ast::Name& name, SymbolKind kind);

  // -- declarations
  void header();
  void declare_all();
  void check_param(const ast::ParamDecl& d, ParamInfo& info);
  std::optional<ValueType> check_type(const ast::TypeRef& t, bool is_attribute, Level level,
                                      std::vector<std::string>& members);
  std::optional<Scalar> check_value(const ast::Value& v, ValueType type, const std::vector<std::string>& members,
                                    std::string_view subject);
  void check_calendar(const ast::CalendarDecl& d, CalendarInfo& info);
  void check_states();

  // -- quantities
  std::optional<Quantity> percent(const ast::Value& v, std::string_view where);
  std::optional<Quantity> duration(const ast::Value& v, std::string_view where, bool allow_zero = false);
  std::optional<Quantity> count(const ast::Value& v, std::string_view where);
  std::optional<Quantity> amount(const ast::Value& v, std::string_view where);
  std::optional<Quantity> quantity(const ast::Value& v, ParamType want, std::string_view where);

  // -- expressions
  ExprId add(CExpr e) {
    model_.exprs.push_back(std::move(e));
    return static_cast<ExprId>(model_.exprs.size() - 1);
  }
  // Checks a condition; `traits_` and `state_refs_` collect what it depends on.
  ExprId condition(const ast::Expr& e);
  ExprId compare(const ast::Expr& e, const ast::Operand& lhs, ast::CmpOp op, const std::vector<const ast::Value*>& rhs,
                 bool is_in);
  ExprId reference(const ast::Expr& e, const ast::Operand& operand);
  struct Checked {
    ExprId id;
    ExprTraits traits;
  };
  Checked top_condition(const ast::Expr& e);
  // The leaf that makes an expression device-level / site-dependent / dynamic, to name it.
  std::string culprit(ExprId id, bool ExprTraits::*which);

  // -- SLAs and tests
  void check_sla(const ast::SlaDecl& d);
  bool misspelt_clause(const ast::RequirementClause& r);
  void check_test(const ast::TestDecl& d);
  std::optional<Millis> instant(const ast::TimeLit& t);

  const Program& program_;
  Diagnostics& diags_;
  Model model_;
  std::unordered_map<std::string_view, Symbol> names_;
  std::unordered_map<std::string_view, std::size_t> device_attrs_;
  std::unordered_map<std::string_view, std::size_t> site_attrs_;
  std::unordered_map<std::string_view, std::size_t> sla_names_;
  std::unordered_set<std::string_view> unparsed_;
  std::vector<const ast::StateDecl*> state_decls_;
  std::vector<std::vector<std::size_t>> state_deps_;
  std::vector<bool> state_ok_;
  ExprTraits traits_;
  std::set<std::size_t> state_refs_;
};

bool Checker::declare(std::string_view name, SymbolKind kind, std::size_t index, Range range) {
  auto [it, inserted] = names_.try_emplace(name, Symbol{kind, index, range});
  if (!inserted) {
    auto& d = error(Code::duplicate, range,
                    fmt::format("`{}` is already declared as a {}", name, kind_name(it->second.kind)));
    previous_note(d, it->second.decl, "first");
    return false;
  }
  return true;
}

std::vector<std::string_view> Checker::candidates(std::initializer_list<SymbolKind> kinds) const {
  std::vector<std::string_view> out;
  for (const auto& [name, sym] : names_) {
    if (std::find(kinds.begin(), kinds.end(), sym.kind) != kinds.end()) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void Checker::unknown(std::string_view what, const ast::Name& name, std::initializer_list<SymbolKind> kinds) {
  if (unparsed(name.text)) return;  // its declaration had a syntax error, already reported
  auto& d = error(Code::unknown_name, name.range, fmt::format("unknown {} `{}`", what, name.text));
  if (auto near = closest_name(name.text, candidates(kinds))) d.message += fmt::format("; did you mean `{}`?", *near);
}

std::optional<std::size_t> Checker::resolve(const ast::Name& name, SymbolKind kind) {
  const Symbol* s = lookup(name.text);
  if (s == nullptr) {
    unknown(kind_name(kind), name, {kind});
    return std::nullopt;
  }
  if (s->kind != kind) {
    auto& d = error(Code::wrong_kind, name.range,
                    fmt::format("`{}` is a {}, not a {}", name.text, kind_name(s->kind), kind_name(kind)));
    previous_note(d, s->decl, fmt::format("`{}`", name.text));
    return std::nullopt;
  }
  return s->index;
}

// ---------------------------------------------------------------------------
// Header and declarations

void Checker::header() {
  const ast::ContractDecl* first = nullptr;
  for (const auto& d : program_.units[0].ast.decls) {
    const auto* c = std::get_if<ast::ContractDecl>(&d.v);
    if (c == nullptr) continue;
    if (first != nullptr) {
      auto& e = error(Code::duplicate_header, c->range, "a file has at most one `contract` header");
      first_note(e, first->range);
      continue;
    }
    first = c;
    for (const auto& r : c->repeated_items) {
      error(Code::duplicate_header, r, fmt::format("`{}` is given twice in the contract header",
                                                  text(r).substr(0, text(r).find_first_of(" \t\r\n"))));
    }
    model_.name = c->name.value;
    if (c->customer) model_.customer = c->customer->value;
    if (c->version) model_.version = c->version->value;
    if (c->currency) {
      std::string_view code = c->currency->text;
      bool ok = code.size() == 3 && std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
      if (!ok) {
        error(Code::currency_code, c->currency->range,
              fmt::format("currency `{}` is not a three-letter ISO 4217 code such as `GBP`", code));
      }
      model_.currency = std::string(code);
    }
    if (c->timezone) {
      if (auto z = find_zone(c->timezone->value)) {
        model_.timezone = *z;
      } else {
        auto& e = error(Code::unknown_timezone, c->timezone->range,
                        fmt::format("unknown time zone \"{}\"", c->timezone->value));
        if (auto s = suggest_zone(c->timezone->value)) e.message += fmt::format("; did you mean \"{}\"?", *s);
      }
    }
  }
}

void Checker::declare_all() {
  // Declarations of imported files first, so that a duplicate in the importing file
  // points at the imported one as the first.
  for (std::size_t u = program_.units.size(); u-- > 0;) {
    const Unit& unit = program_.units[u];
    for (auto n : unit.ast.unparsed_names) unparsed_.insert(n);
    for (const auto& d : unit.ast.decls) {
      if (const auto* p = std::get_if<ast::ParamDecl>(&d.v)) {
        if (declare(p->name.text, SymbolKind::param, model_.params.size(), p->name.range)) {
          model_.params.push_back(ParamInfo{std::string(p->name.text), {}, p->name.range});
          check_param(*p, model_.params.back());
        }
      } else if (const auto* s = std::get_if<ast::SignalDecl>(&d.v)) {
        if (declare(s->name.text, SymbolKind::signal, model_.signals.size(), s->name.range)) {
          SignalInfo info{std::string(s->name.text), s->level, ValueType::event, {}, s->name.range};
          if (auto t = check_type(s->type, false, s->level, info.members)) info.type = *t;
          model_.signals.push_back(std::move(info));
        }
      } else if (const auto* a = std::get_if<ast::AttributeDecl>(&d.v)) {
        auto& table = a->level == Level::device ? device_attrs_ : site_attrs_;
        auto [it, inserted] = table.try_emplace(a->name.text, model_.attributes.size());
        if (!inserted) {
          auto& e = error(Code::duplicate, a->name.range,
                          fmt::format("{} attribute `{}` is already declared",
                                      a->level == Level::device ? "device" : "site", a->name.text));
          previous_note(e, model_.attributes[it->second].decl, "first");
          continue;
        }
        AttributeInfo info{std::string(a->name.text), a->level, ValueType::string, {}, std::nullopt, a->name.range};
        if (auto t = check_type(a->type, true, a->level, info.members)) {
          info.type = *t;
          if (a->default_value) {
            info.default_value = check_value(*a->default_value, info.type, info.members,
                                             fmt::format("`{}`", a->name.text));
          }
        }
        model_.attributes.push_back(std::move(info));
      } else if (const auto* h = std::get_if<ast::HolidaysDecl>(&d.v)) {
        if (declare(h->name.text, SymbolKind::holidays, model_.holidays.size(), h->name.range)) {
          HolidaysInfo info{std::string(h->name.text), {}, h->name.range};
          for (const auto& v : h->dates) {
            if (const auto* date = std::get_if<ast::DateLit>(&v.v)) {
              info.days.push_back(days_from_civil(date->year, date->month, date->day));
            }
          }
          std::sort(info.days.begin(), info.days.end());
          info.days.erase(std::unique(info.days.begin(), info.days.end()), info.days.end());
          model_.holidays.push_back(std::move(info));
        }
      } else if (const auto* c = std::get_if<ast::CalendarDecl>(&d.v)) {
        if (declare(c->name.text, SymbolKind::calendar, model_.calendars.size(), c->name.range)) {
          model_.calendars.push_back(CalendarInfo{std::string(c->name.text), {}, c->zone, utc_zone(), {}, c->name.range});
        }
      } else if (const auto* st = std::get_if<ast::StateDecl>(&d.v)) {
        if (declare(st->name.text, SymbolKind::state, model_.states.size(), st->name.range)) {
          model_.states.push_back(StateInfo{std::string(st->name.text), 0, {}, st->name.range});
          state_decls_.push_back(st);
        }
      }
    }
  }
  // SLAs and KPIs of the root file only: imports bring declarations, not obligations.
  for (const auto& d : program_.units[0].ast.decls) {
    if (const auto* s = std::get_if<ast::SlaDecl>(&d.v)) {
      auto [it, inserted] = sla_names_.try_emplace(s->name.text, model_.slas.size());
      if (!inserted) {
        auto& e = error(Code::duplicate, s->name.range, fmt::format("`{}` is already the name of an SLA or KPI", s->name.text));
        previous_note(e, model_.slas[it->second].decl, "first");
        continue;
      }
      SlaInfo info;
      info.name = std::string(s->name.text);
      info.is_kpi = s->is_kpi;
      info.decl = s->name.range;
      model_.slas.push_back(std::move(info));
    }
  }
}

void Checker::check_param(const ast::ParamDecl& d, ParamInfo& info) {
  const ast::Value& v = d.value;
  if (v.invalid) return;
  if (const auto* p = std::get_if<ast::PercentLit>(&v.v)) {
    info.value.type = ParamType::percent;
    info.value.number = p->value;
    if (p->value < Decimal::integer(0) || p->value > Decimal::integer(100)) {
      error(Code::percent_range, v.range, fmt::format("`{}` is not a percentage between 0% and 100%", text(v.range)));
    }
  } else if (const auto* n = std::get_if<ast::NumberLit>(&v.v)) {
    info.value.type = ParamType::number;
    info.value.number = n->value;
  } else if (const auto* du = std::get_if<ast::DurationLit>(&v.v)) {
    info.value.type = ParamType::duration;
    info.value.ms = du->ms;
    if (du->ms <= 0) error(Code::duration_range, v.range, fmt::format("duration `{}` must be longer than 0", text(v.range)));
  } else if (const auto* b = std::get_if<ast::BoolLit>(&v.v)) {
    info.value.type = ParamType::boolean;
    info.value.flag = b->value;
  } else {
    error(Code::param_type, v.range,
          fmt::format("a param is a percentage, a number, a duration or true/false, not {}", describe_value_kind(v)));
  }
}

std::optional<ValueType> Checker::check_type(const ast::TypeRef& t, bool is_attribute, Level level,
                                             std::vector<std::string>& members) {
  if (t.is_enum) {
    std::set<std::string_view> seen;
    for (const auto& m : t.members) {
      if (!seen.insert(m.text).second) {
        error(Code::duplicate, m.range, fmt::format("enum member `{}` is listed twice", m.text));
      }
      members.emplace_back(m.text);
    }
    return ValueType::enumeration;
  }
  std::string_view n = t.name.text;
  ValueType type;
  if (n == "bool") type = ValueType::boolean;
  else if (n == "number") type = ValueType::number;
  else if (n == "string") type = ValueType::string;
  else if (n == "event") type = ValueType::event;
  else if (n == "timezone") type = ValueType::timezone;
  else {
    static const std::vector<std::string_view> types = {"bool", "number", "string", "event", "timezone", "enum"};
    auto& d = error(Code::unknown_type, t.name.range, fmt::format("unknown type `{}`", n));
    if (auto near = closest_name(n, types)) d.message += fmt::format("; did you mean `{}`?", *near);
    else d.message += "; the types are bool, number, string, event, timezone and enum { ... }";
    return std::nullopt;
  }
  if (type == ValueType::event && is_attribute) {
    error(Code::type_not_allowed, t.name.range, "an attribute cannot be an `event`; events are signals");
    return std::nullopt;
  }
  if (type == ValueType::timezone && !(is_attribute && level == Level::site)) {
    error(Code::type_not_allowed, t.name.range, "only a site attribute can be a `timezone`");
    return std::nullopt;
  }
  return type;
}

std::optional<Scalar> Checker::check_value(const ast::Value& v, ValueType type, const std::vector<std::string>& members,
                                           std::string_view subject) {
  Scalar s;
  s.type = type;
  if (v.invalid) return std::nullopt;
  auto mismatch = [&](std::string_view want) {
    error(Code::default_type, v.range, fmt::format("{} takes {}, not {}", subject, want, describe_value_kind(v)));
    return std::nullopt;
  };
  switch (type) {
    case ValueType::boolean:
      if (const auto* b = std::get_if<ast::BoolLit>(&v.v)) {
        s.flag = b->value;
        return s;
      }
      return mismatch("true or false");
    case ValueType::number:
      if (const auto* n = std::get_if<ast::NumberLit>(&v.v)) {
        s.number = n->value;
        return s;
      }
      return mismatch("a number");
    case ValueType::string:
      if (const auto* str = std::get_if<ast::StringLit>(&v.v)) {
        s.text = str->value;
        return s;
      }
      return mismatch("a text in quotes");
    case ValueType::timezone:
      if (const auto* str = std::get_if<ast::StringLit>(&v.v)) {
        if (!find_zone(str->value)) {
          auto& d = error(Code::unknown_timezone, v.range, fmt::format("unknown time zone \"{}\"", str->value));
          if (auto near = suggest_zone(str->value)) d.message += fmt::format("; did you mean \"{}\"?", *near);
          return std::nullopt;
        }
        s.text = str->value;
        return s;
      }
      return mismatch("a time zone in quotes (such as \"Europe/London\")");
    case ValueType::enumeration:
      if (const auto* nv = std::get_if<ast::NameValue>(&v.v)) {
        for (std::size_t i = 0; i < members.size(); ++i) {
          if (members[i] == nv->name) {
            s.member = static_cast<std::uint32_t>(i);
            return s;
          }
        }
        std::vector<std::string_view> cands(members.begin(), members.end());
        auto& d = error(Code::unknown_member, v.range,
                        fmt::format("`{}` is not a value of {} ({})", nv->name, subject, fmt::join(members, ", ")));
        if (auto near = closest_name(nv->name, cands)) d.message += fmt::format("; did you mean `{}`?", *near);
        return std::nullopt;
      }
      return mismatch(fmt::format("one of {}", fmt::join(members, ", ")));
    case ValueType::event:
      return mismatch("nothing: an event has no value");
  }
  return std::nullopt;
}

void Checker::check_calendar(const ast::CalendarDecl& d, CalendarInfo& info) {
  for (const auto& s : d.spans) {
    SpanInfo span;
    span.range = s.range;
    if (s.daily) {
      span.weekdays = 0x7F;
    } else {
      auto first = static_cast<unsigned>(s.first);
      auto last = static_cast<unsigned>(s.last);
      for (unsigned k = first;; k = (k + 1) % 7) {
        span.weekdays |= static_cast<std::uint8_t>(1u << k);
        if (k == last) break;
      }
    }
    span.start_minute = static_cast<int>(s.start.hour * 60 + s.start.minute);
    span.end_minute = static_cast<int>(s.end.hour * 60 + s.end.minute);
    if (span.start_minute == 24 * 60) {
      error(Code::bad_clock, s.start.range, "a span cannot start at 24:00; write 00:00 of the next day");
    }
    info.spans.push_back(span);
  }
  if (d.zone == ast::ZoneKind::named && d.zone_name) {
    if (auto z = find_zone(d.zone_name->value)) {
      info.zone = *z;
    } else {
      auto& e = error(Code::unknown_timezone, d.zone_name->range, fmt::format("unknown time zone \"{}\"", d.zone_name->value));
      if (auto near = suggest_zone(d.zone_name->value)) e.message += fmt::format("; did you mean \"{}\"?", *near);
    }
  } else if (d.zone == ast::ZoneKind::site) {
    auto it = site_attrs_.find("timezone");
    if (it == site_attrs_.end() || model_.attributes[it->second].type != ValueType::timezone) {
      Range r = d.name.range;
      auto& e = error(Code::site_timezone, r,
                      fmt::format("calendar `{}` is `in site timezone`, which needs `site attribute timezone : timezone`", d.name.text));
      if (it != site_attrs_.end()) previous_note(e, model_.attributes[it->second].decl, "`timezone` is not of type timezone; it is");
    }
  }
  for (const auto& h : d.except) {
    if (auto idx = resolve(h, SymbolKind::holidays)) info.holidays.push_back(*idx);
  }
}

// ---------------------------------------------------------------------------
// Quantities: a literal or a param of the right type, in range.

std::optional<Quantity> Checker::quantity(const ast::Value& v, ParamType want, std::string_view where) {
  if (v.invalid) return std::nullopt;
  Quantity q;
  q.range = v.range;
  q.literal.type = want;
  static constexpr std::string_view names[] = {"a percentage", "a number", "a duration", "true or false"};
  std::string_view want_name = names[static_cast<int>(want)];
  if (const auto* nv = std::get_if<ast::NameValue>(&v.v)) {
    const Symbol* s = lookup(nv->name);
    if (s == nullptr) {
      if (!unparsed(nv->name)) {
        auto& d = error(Code::unknown_name, v.range, fmt::format("unknown param `{}` ({} expects {})", nv->name, where, want_name));
        if (auto near = closest_name(nv->name, candidates({SymbolKind::param}))) {
          d.message += fmt::format("; did you mean `{}`?", *near);
        }
      }
      return std::nullopt;
    }
    if (s->kind != SymbolKind::param) {
      auto& d = error(Code::wrong_kind, v.range,
                      fmt::format("`{}` is a {}, but {} expects {}", nv->name, kind_name(s->kind), where, want_name));
      previous_note(d, s->decl, fmt::format("`{}`", nv->name));
      return std::nullopt;
    }
    const ParamInfo& p = model_.params[s->index];
    if (p.value.type != want) {
      auto& d = error(Code::param_type, v.range,
                      fmt::format("param `{}` is {}, but {} expects {}", nv->name,
                                  names[static_cast<int>(p.value.type)], where, want_name));
      previous_note(d, s->decl, fmt::format("`{}`", nv->name));
      return std::nullopt;
    }
    q.param = s->index;
    q.literal = p.value;
    return q;
  }
  bool ok = false;
  if (want == ParamType::percent) {
    if (const auto* p = std::get_if<ast::PercentLit>(&v.v)) {
      q.literal.number = p->value;
      ok = true;
    }
  } else if (want == ParamType::number) {
    if (const auto* n = std::get_if<ast::NumberLit>(&v.v)) {
      q.literal.number = n->value;
      ok = true;
    }
  } else if (want == ParamType::duration) {
    if (const auto* du = std::get_if<ast::DurationLit>(&v.v)) {
      q.literal.ms = du->ms;
      ok = true;
    }
  } else if (const auto* b = std::get_if<ast::BoolLit>(&v.v)) {
    q.literal.flag = b->value;
    ok = true;
  }
  if (!ok) {
    std::string hint;
    if (want == ParamType::percent && std::holds_alternative<ast::NumberLit>(v.v)) {
      hint = fmt::format("; write `{}%`", text(v.range));
    } else if (want == ParamType::duration && std::holds_alternative<ast::NumberLit>(v.v)) {
      hint = fmt::format("; give a unit, as in `{}m`", text(v.range));
    }
    error(Code::type_mismatch, v.range,
          fmt::format("{} expects {}, found {} `{}`{}", where, want_name, describe_value_kind(v), text(v.range), hint));
    return std::nullopt;
  }
  return q;
}

std::optional<Quantity> Checker::percent(const ast::Value& v, std::string_view where) {
  auto q = quantity(v, ParamType::percent, where);
  if (q && !q->param && (q->literal.number < Decimal::integer(0) || q->literal.number > Decimal::integer(100))) {
    error(Code::percent_range, v.range, fmt::format("`{}` is not a percentage between 0% and 100%", text(v.range)));
    return std::nullopt;
  }
  return q;
}

std::optional<Quantity> Checker::duration(const ast::Value& v, std::string_view where, bool allow_zero) {
  auto q = quantity(v, ParamType::duration, where);
  if (q && !q->param && (q->literal.ms < 0 || (!allow_zero && q->literal.ms == 0))) {
    error(Code::duration_range, v.range, fmt::format("{} must be a duration longer than 0", where));
    return std::nullopt;
  }
  return q;
}

std::optional<Quantity> Checker::count(const ast::Value& v, std::string_view where) {
  auto q = quantity(v, ParamType::number, where);
  if (q && (!q->literal.number.is_integer() || q->literal.number.is_negative())) {
    error(Code::count_range, v.range,
          q->param ? fmt::format("param `{}` is {}, but {} must be a whole number, 0 or more",
                                 model_.params[*q->param].name, q->literal.number.to_string(), where)
                   : fmt::format("{} must be a whole number, 0 or more, not `{}`", where, text(v.range)));
    return std::nullopt;
  }
  return q;
}

std::optional<Quantity> Checker::amount(const ast::Value& v, std::string_view where) {
  auto q = quantity(v, ParamType::number, where);
  if (q && q->literal.number.is_negative()) {
    error(Code::amount_range, v.range, fmt::format("{} cannot be negative", where));
    return std::nullopt;
  }
  return q;
}

// ---------------------------------------------------------------------------
// Expressions

ExprId Checker::condition(const ast::Expr& e) {
  CExpr out;
  out.range = e.range;
  return std::visit(
      [&](const auto& node) -> ExprId {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, ast::Paren>) {
          return condition(*node.inner);
        } else if constexpr (std::is_same_v<T, ast::BoolConst>) {
          out.kind = ExprKind::constant;
          out.flag = node.value;
          return add(std::move(out));
        } else if constexpr (std::is_same_v<T, ast::Not>) {
          out.kind = ExprKind::not_;
          out.children.push_back(condition(*node.operand));
          return add(std::move(out));
        } else if constexpr (std::is_same_v<T, ast::And> || std::is_same_v<T, ast::Or>) {
          out.kind = std::is_same_v<T, ast::And> ? ExprKind::and_ : ExprKind::or_;
          for (const auto& o : node.operands) out.children.push_back(condition(*o));
          return add(std::move(out));
        } else if constexpr (std::is_same_v<T, ast::Lasting> || std::is_same_v<T, ast::IgnoringGaps>) {
          constexpr bool lasting = std::is_same_v<T, ast::Lasting>;
          out.kind = lasting ? ExprKind::lasting : ExprKind::ignoring_gaps;
          out.children.push_back(condition(*node.operand));
          const ast::Value* d = nullptr;
          if constexpr (lasting) {
            d = &node.at_least;
          } else {
            d = &node.under;
          }
          if (auto q = duration(*d, lasting ? "`lasting at least`" : "`ignoring gaps under`")) out.duration = *q;
          return add(std::move(out));
        } else if constexpr (std::is_same_v<T, ast::Seen>) {
          out.kind = ExprKind::seen;
          if (auto idx = resolve(node.signal, SymbolKind::signal)) {
            out.ref = *idx;
            const SignalInfo& s = model_.signals[*idx];
            (s.level == Level::device ? traits_.device_dependent : traits_.site_dependent) = true;
          }
          traits_.dynamic = true;
          if (auto q = duration(node.within, "`seen ... within`")) out.duration = *q;
          return add(std::move(out));
        } else if constexpr (std::is_same_v<T, ast::During>) {
          out.kind = ExprKind::during;
          if (auto idx = resolve(node.calendar, SymbolKind::calendar)) {
            out.ref = *idx;
            if (model_.calendars[*idx].zone_kind == ast::ZoneKind::site) traits_.site_dependent = true;
          }
          traits_.dynamic = true;
          return add(std::move(out));
        } else if constexpr (std::is_same_v<T, ast::Compare>) {
          return compare(e, node.lhs, node.op, {&node.rhs}, false);
        } else if constexpr (std::is_same_v<T, ast::InSet>) {
          std::vector<const ast::Value*> members;
          for (const auto& m : node.members) members.push_back(&m);
          return compare(e, node.lhs, ast::CmpOp::eq, members, true);
        } else {
          static_assert(std::is_same_v<T, ast::Ref>);
          return reference(e, node.operand);
        }
      },
      e.v);
}

ExprId Checker::compare(const ast::Expr& e, const ast::Operand& lhs, ast::CmpOp op,
                        const std::vector<const ast::Value*>& rhs, bool is_in) {
  CExpr out;
  out.range = e.range;
  out.kind = ExprKind::constant;
  out.op = op;
  ValueType type;
  const std::vector<std::string>* members = nullptr;
  std::string subject;
  if (lhs.scope == ast::AttrScope::none) {
    const Symbol* s = lookup(lhs.name.text);
    if (s == nullptr) {
      if (unparsed(lhs.name.text)) return add(std::move(out));
      auto& d = error(Code::unknown_name, lhs.name.range, fmt::format("unknown signal `{}`", lhs.name.text));
      if (device_attrs_.contains(lhs.name.text)) d.message += fmt::format("; did you mean `device.{}`?", lhs.name.text);
      else if (site_attrs_.contains(lhs.name.text)) d.message += fmt::format("; did you mean `site.{}`?", lhs.name.text);
      else if (auto near = closest_name(lhs.name.text, candidates({SymbolKind::signal}))) {
        d.message += fmt::format("; did you mean `{}`?", *near);
      }
      return add(std::move(out));
    }
    if (s->kind != SymbolKind::signal) {
      auto& d = error(Code::wrong_kind, lhs.name.range,
                      fmt::format("`{}` is a {}; only signals and attributes are compared", lhs.name.text, kind_name(s->kind)));
      previous_note(d, s->decl, fmt::format("`{}`", lhs.name.text));
      return add(std::move(out));
    }
    const SignalInfo& sig = model_.signals[s->index];
    out.kind = is_in ? ExprKind::signal_in : ExprKind::signal_compare;
    out.ref = s->index;
    type = sig.type;
    members = &sig.members;
    subject = fmt::format("`{}`", sig.name);
    (sig.level == Level::device ? traits_.device_dependent : traits_.site_dependent) = true;
    traits_.dynamic = true;
    if (type == ValueType::event) {
      error(Code::event_compare, lhs.name.range,
            fmt::format("`{}` is an event signal and has no value; use `seen {} within DURATION`", sig.name, sig.name));
      out.kind = ExprKind::constant;
      return add(std::move(out));
    }
  } else {
    bool device = lhs.scope == ast::AttrScope::device;
    auto& table = device ? device_attrs_ : site_attrs_;
    auto it = table.find(lhs.name.text);
    if (it == table.end()) {
      auto& d = error(Code::unknown_name, lhs.name.range,
                      fmt::format("unknown {} attribute `{}`", device ? "device" : "site", lhs.name.text));
      auto& other = device ? site_attrs_ : device_attrs_;
      if (other.contains(lhs.name.text)) {
        d.message += fmt::format("; `{}` is a {} attribute: `{}.{}`", lhs.name.text, device ? "site" : "device",
                                 device ? "site" : "device", lhs.name.text);
      } else {
        std::vector<std::string_view> cands;
        for (const auto& [n, i] : table) cands.push_back(n);
        std::sort(cands.begin(), cands.end());
        if (auto near = closest_name(lhs.name.text, cands)) d.message += fmt::format("; did you mean `{}`?", *near);
      }
      return add(std::move(out));
    }
    const AttributeInfo& attr = model_.attributes[it->second];
    out.kind = is_in ? ExprKind::attr_in : ExprKind::attr_compare;
    out.ref = it->second;
    type = attr.type;
    members = &attr.members;
    subject = fmt::format("`{}.{}`", device ? "device" : "site", attr.name);
    (device ? traits_.device_dependent : traits_.site_dependent) = true;
  }
  bool ordering = op == ast::CmpOp::lt || op == ast::CmpOp::le || op == ast::CmpOp::gt || op == ast::CmpOp::ge;
  if (ordering && type != ValueType::number) {
    error(Code::type_mismatch, e.range,
          fmt::format("`<`, `<=`, `>` and `>=` compare numbers, but {} is {} {}", subject, article(type_name(type)),
                      type_name(type)));
    out.kind = ExprKind::constant;
    return add(std::move(out));
  }
  bool ok = true;
  for (const ast::Value* v : rhs) {
    if (v->invalid) {
      ok = false;
      continue;
    }
    Scalar s;
    s.type = type;
    bool good = false;
    if (type == ValueType::enumeration) {
      if (const auto* nv = std::get_if<ast::NameValue>(&v->v)) {
        auto it = std::find(members->begin(), members->end(), nv->name);
        if (it != members->end()) {
          s.member = static_cast<std::uint32_t>(it - members->begin());
          good = true;
        } else {
          std::vector<std::string_view> cands(members->begin(), members->end());
          auto& d = error(Code::unknown_member, v->range,
                          fmt::format("`{}` is not a value of {} ({})", nv->name, subject, fmt::join(*members, ", ")));
          if (auto near = closest_name(nv->name, cands)) d.message += fmt::format("; did you mean `{}`?", *near);
          ok = false;
          continue;
        }
      }
    } else if (type == ValueType::number || type == ValueType::boolean) {
      ParamType want = type == ValueType::number ? ParamType::number : ParamType::boolean;
      bool literal_fits = type == ValueType::number ? std::holds_alternative<ast::NumberLit>(v->v)
                                                    : std::holds_alternative<ast::BoolLit>(v->v);
      if (literal_fits || std::holds_alternative<ast::NameValue>(v->v)) {
        auto q = quantity(*v, want, subject);
        if (!q) {
          ok = false;
          continue;
        }
        s.param = q->param;
        s.number = q->literal.number;
        s.flag = q->literal.flag;
        good = true;
      }
    } else if (const auto* str = std::get_if<ast::StringLit>(&v->v)) {
      s.text = str->value;
      good = true;
    }
    if (!good) {
      std::string want = type == ValueType::enumeration ? fmt::format("one of its values ({})", fmt::join(*members, ", "))
                         : type == ValueType::number    ? "a number"
                         : type == ValueType::boolean   ? "true or false"
                                                        : "a text in quotes";
      error(Code::type_mismatch, v->range,
            fmt::format("{} is {} {} and is compared with {}, not {}", subject, article(type_name(type)), type_name(type),
                        want, describe_value_kind(*v)));
      ok = false;
      continue;
    }
    out.scalars.push_back(std::move(s));
  }
  if (!ok) {
    out.kind = ExprKind::constant;
    out.scalars.clear();
  }
  return add(std::move(out));
}

ExprId Checker::reference(const ast::Expr& e, const ast::Operand& operand) {
  CExpr out;
  out.range = e.range;
  out.kind = ExprKind::constant;
  if (operand.scope != ast::AttrScope::none) {
    bool device = operand.scope == ast::AttrScope::device;
    auto& table = device ? device_attrs_ : site_attrs_;
    auto it = table.find(operand.name.text);
    if (it == table.end()) {
      auto& d = error(Code::unknown_name, operand.name.range,
                      fmt::format("unknown {} attribute `{}`", device ? "device" : "site", operand.name.text));
      std::vector<std::string_view> cands;
      for (const auto& [n, i] : table) cands.push_back(n);
      std::sort(cands.begin(), cands.end());
      if (auto near = closest_name(operand.name.text, cands)) d.message += fmt::format("; did you mean `{}`?", *near);
      return add(std::move(out));
    }
    const AttributeInfo& a = model_.attributes[it->second];
    if (a.type != ValueType::boolean) {
      error(Code::not_bool, e.range,
            fmt::format("`{}.{}` is {} {} attribute, not a condition; compare it, as in `{}.{} == ...`",
                        device ? "device" : "site", a.name, article(type_name(a.type)), type_name(a.type),
                        device ? "device" : "site", a.name));
      return add(std::move(out));
    }
    (device ? traits_.device_dependent : traits_.site_dependent) = true;
    out.kind = ExprKind::bool_attr;
    out.ref = it->second;
    return add(std::move(out));
  }
  const ast::Name& name = operand.name;
  const Symbol* s = lookup(name.text);
  if (s == nullptr) {
    if (unparsed(name.text)) return add(std::move(out));
    auto& d = error(Code::unknown_name, name.range, fmt::format("unknown state `{}`", name.text));
    std::vector<std::string_view> cands = candidates({SymbolKind::state, SymbolKind::signal, SymbolKind::param});
    if (device_attrs_.contains(name.text)) {
      d.message += fmt::format("; did you mean `device.{}`?", name.text);
    } else if (site_attrs_.contains(name.text)) {
      d.message += fmt::format("; did you mean `site.{}`?", name.text);
    } else if (auto near = closest_name(name.text, cands)) {
      d.message += fmt::format("; did you mean `{}`?", *near);
    }
    return add(std::move(out));
  }
  switch (s->kind) {
    case SymbolKind::state:
      out.kind = ExprKind::state;
      out.ref = s->index;
      state_refs_.insert(s->index);
      return add(std::move(out));
    case SymbolKind::signal: {
      const SignalInfo& sig = model_.signals[s->index];
      if (sig.type != ValueType::boolean) {
        std::string hint = sig.type == ValueType::event
                               ? fmt::format("use `seen {} within DURATION`", sig.name)
                               : sig.type == ValueType::enumeration
                                     ? fmt::format("compare it, as in `{} == {}`", sig.name,
                                                   sig.members.empty() ? "..." : sig.members.front())
                                     : fmt::format("compare it, as in `{} == ...`", sig.name);
        auto& d = error(Code::not_bool, e.range, fmt::format("`{}` is {}, not a condition; {}", sig.name, describe_signal(sig), hint));
        previous_note(d, sig.decl, fmt::format("`{}`", sig.name));
        return add(std::move(out));
      }
      (sig.level == Level::device ? traits_.device_dependent : traits_.site_dependent) = true;
      traits_.dynamic = true;
      out.kind = ExprKind::bool_signal;
      out.ref = s->index;
      return add(std::move(out));
    }
    case SymbolKind::param: {
      const ParamInfo& p = model_.params[s->index];
      if (p.value.type != ParamType::boolean) {
        error(Code::not_bool, e.range,
              fmt::format("param `{}` is {}, not true/false, so it is not a condition", p.name,
                          param_type_name(p.value.type)));
        return add(std::move(out));
      }
      out.kind = ExprKind::bool_param;
      out.ref = s->index;
      return add(std::move(out));
    }
    case SymbolKind::calendar:
      error(Code::wrong_kind, e.range,
            fmt::format("`{}` is a calendar; write `during {}` for the time inside it", name.text, name.text));
      return add(std::move(out));
    case SymbolKind::holidays:
      error(Code::wrong_kind, e.range,
            fmt::format("`{}` is a holidays list; use it in a calendar's `except`", name.text));
      return add(std::move(out));
  }
  return add(std::move(out));
}

Checker::Checked Checker::top_condition(const ast::Expr& e) {
  traits_ = {};
  state_refs_.clear();
  ExprId id = condition(e);
  ExprTraits t = traits_;
  for (std::size_t s : state_refs_) {
    if (s < state_ok_.size() && !state_ok_[s]) continue;
    const ExprTraits& st = model_.states[s].traits;
    t.device_dependent |= st.device_dependent;
    t.site_dependent |= st.site_dependent;
    t.dynamic |= st.dynamic;
  }
  return {id, t};
}

std::string Checker::culprit(ExprId root, bool ExprTraits::*which) {
  // Depth-first over the arena, without recursion; names the first leaf (or state)
  // that has the trait.
  std::vector<ExprId> stack{root};
  while (!stack.empty()) {
    ExprId id = stack.back();
    stack.pop_back();
    const CExpr& e = model_.exprs[id];
    bool device = false, site = false, dynamic = false;
    std::string what;
    switch (e.kind) {
      case ExprKind::signal_compare:
      case ExprKind::signal_in:
      case ExprKind::bool_signal:
      case ExprKind::seen: {
        const SignalInfo& s = model_.signals[e.ref];
        (s.level == Level::device ? device : site) = true;
        dynamic = true;
        what = fmt::format("{} `{}`", s.level == Level::device ? "device signal" : "site signal", s.name);
        break;
      }
      case ExprKind::attr_compare:
      case ExprKind::attr_in:
      case ExprKind::bool_attr: {
        const AttributeInfo& a = model_.attributes[e.ref];
        (a.level == Level::device ? device : site) = true;
        what = fmt::format("{} attribute `{}`", a.level == Level::device ? "device" : "site", a.name);
        break;
      }
      case ExprKind::during: {
        const CalendarInfo& c = model_.calendars[e.ref];
        site = c.zone_kind == ast::ZoneKind::site;
        dynamic = true;
        what = fmt::format("calendar `{}`{}", c.name, site ? " (in site timezone)" : "");
        break;
      }
      case ExprKind::state: {
        const StateInfo& s = model_.states[e.ref];
        device = s.traits.device_dependent;
        site = s.traits.site_dependent;
        dynamic = s.traits.dynamic;
        what = fmt::format("state `{}`", s.name);
        break;
      }
      default:
        for (auto it = e.children.rbegin(); it != e.children.rend(); ++it) stack.push_back(*it);
        continue;
    }
    ExprTraits t{device, site, dynamic};
    if (t.*which) return what;
  }
  return "part of it";
}

void Checker::check_states() {
  std::size_t n = model_.states.size();
  state_deps_.assign(n, {});
  state_ok_.assign(n, true);
  std::vector<ExprTraits> local(n);
  for (std::size_t i = 0; i < n; ++i) {
    traits_ = {};
    state_refs_.clear();
    model_.states[i].expr = condition(*state_decls_[i]->expr);
    local[i] = traits_;
    state_deps_[i].assign(state_refs_.begin(), state_refs_.end());
  }
  // Kahn's algorithm: states left over afterwards lie on (or behind) a cycle.
  std::vector<std::size_t> indegree(n, 0);
  std::vector<std::vector<std::size_t>> users(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t d : state_deps_[i]) {
      users[d].push_back(i);
      ++indegree[i];
    }
  }
  std::vector<std::size_t> ready;
  for (std::size_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) ready.push_back(i);
  }
  std::vector<bool> done(n, false);
  while (!ready.empty()) {
    std::size_t i = ready.back();
    ready.pop_back();
    done[i] = true;
    ExprTraits t = local[i];
    for (std::size_t d : state_deps_[i]) {
      t.device_dependent |= model_.states[d].traits.device_dependent;
      t.site_dependent |= model_.states[d].traits.site_dependent;
      t.dynamic |= model_.states[d].traits.dynamic;
    }
    model_.states[i].traits = t;
    for (std::size_t u : users[i]) {
      if (--indegree[u] == 0) ready.push_back(u);
    }
  }
  // Report each cycle once: walk from an unfinished state along unfinished
  // dependencies until a state repeats.
  std::vector<bool> reported(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    if (done[i] || reported[i]) continue;
    state_ok_[i] = false;
    std::vector<std::size_t> path;
    std::vector<int> position(n, -1);
    std::size_t cur = i;
    while (position[cur] < 0) {
      position[cur] = static_cast<int>(path.size());
      path.push_back(cur);
      std::size_t next = cur;
      for (std::size_t d : state_deps_[cur]) {
        if (!done[d]) {
          next = d;
          break;
        }
      }
      if (next == cur && std::find(state_deps_[cur].begin(), state_deps_[cur].end(), cur) == state_deps_[cur].end()) break;
      cur = next;
    }
    if (position[cur] < 0) continue;
    std::vector<std::size_t> cycle(path.begin() + position[cur], path.end());
    bool already = std::any_of(cycle.begin(), cycle.end(), [&](std::size_t s) { return reported[s]; });
    for (std::size_t s : path) state_ok_[s] = false;
    if (already) continue;
    std::string chain;
    for (std::size_t s : cycle) chain += fmt::format("`{}` -> ", model_.states[s].name);
    chain += fmt::format("`{}`", model_.states[cycle.front()].name);
    const StateInfo& first = model_.states[cycle.front()];
    auto& d = error(Code::state_cycle, first.decl,
                    cycle.size() == 1 ? fmt::format("state `{}` is defined in terms of itself", first.name)
                                      : fmt::format("states depend on each other in a cycle: {}", chain));
    for (std::size_t k = 1; k < cycle.size(); ++k) {
      d.notes.push_back({fmt::format("`{}` is part of the cycle", model_.states[cycle[k]].name), model_.states[cycle[k]].decl});
    }
    for (std::size_t s : cycle) reported[s] = true;
  }
}

// ---------------------------------------------------------------------------
// SLAs and KPIs

// A lone unknown word read as a per-device requirement is more likely a misspelt
// clause keyword (`penalti 1000`): say so instead of "unknown state".
bool Checker::misspelt_clause(const ast::RequirementClause& r) {
  if (r.kind != ast::RequirementKind::per_device) return false;
  const auto* ref = std::get_if<ast::Ref>(&r.state->v);
  if (ref == nullptr || ref->operand.scope != ast::AttrScope::none) return false;
  const ast::Name& n = ref->operand.name;
  if (n.text.size() < 4 || lookup(n.text) != nullptr || unparsed(n.text)) return false;
  auto near = closest_name(n.text, clause_words());
  if (!near) return false;
  error(Code::syntax, n.range, fmt::format("unknown clause `{}`; did you mean `{}`?", n.text, *near));
  return true;
}

void Checker::check_sla(const ast::SlaDecl& d) {
  auto it = sla_names_.find(d.name.text);
  if (it == sla_names_.end() || model_.slas[it->second].decl != d.name.range) return;  // a duplicate
  SlaInfo& sla = model_.slas[it->second];
  std::string_view what = d.is_kpi ? "KPI" : "SLA";

  std::map<std::string, Range> seen;
  auto once = [&](const std::string& clause, Range r) {
    auto [pos, inserted] = seen.try_emplace(clause, r);
    if (!inserted) {
      auto& e = error(Code::duplicate_clause, r, fmt::format("{} `{}` has two {} clauses", what, d.name.text, clause));
      first_note(e, pos->second);
    }
    return inserted;
  };
  bool have_window = false, have_grouping = false, have_requirement = false, have_objective = false;
  std::optional<std::size_t> of_calendar;
  Range of_calendar_range;
  std::optional<Range> penalty_range, tiers_range, cap_range;
  const ast::ExcludingClause* excluding = nullptr;
  Range excluding_range;
  const ast::GroupingClause* grouping = nullptr;
  const ast::RequirementClause* requirement = nullptr;
  Range requirement_range;

  for (const auto& c : d.clauses) {
    std::visit(
        [&](const auto& cl) {
          using T = std::decay_t<decltype(cl)>;
          if constexpr (std::is_same_v<T, ast::WindowClause>) {
            if (!once("window (`in any ...`)", c.range)) return;
            have_window = true;
            sla.window.rolling = cl.rolling;
            sla.window.unit = cl.unit;
            sla.window.rolling_unit = cl.rolling_unit;
            sla.window.range = c.range;
            if (cl.rolling) {
              if (auto q = count(cl.count, "a rolling window's length")) {
                if (q->literal.number == Decimal::integer(0)) {
                  error(Code::count_range, cl.count.range, "a rolling window is at least 1 long");
                } else {
                  sla.window.count = *q;
                }
              }
            }
          } else if constexpr (std::is_same_v<T, ast::GroupingClause>) {
            if (!once("grouping (`on ...` or `across all sites`)", c.range)) return;
            have_grouping = true;
            grouping = &cl;
          } else if constexpr (std::is_same_v<T, ast::RequirementClause>) {
            if (misspelt_clause(cl)) return;
            if (!once("requirement (`at least ...`, `at most ...`, `all ...`)", c.range)) return;
            have_requirement = true;
            requirement = &cl;
            requirement_range = c.range;
          } else if constexpr (std::is_same_v<T, ast::ForObjective>) {
            have_objective = true;
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI measures and has no target; make it an `sla` to judge it");
              return;
            }
            if (!once("`for at least`", c.range)) return;
            sla.target = percent(cl.percent, "`for at least`");
            if (cl.calendar) {
              if (auto idx = resolve(*cl.calendar, SymbolKind::calendar)) {
                of_calendar = idx;
                of_calendar_range = cl.calendar->range;
              }
            }
          } else if constexpr (std::is_same_v<T, ast::NoOutageObjective>) {
            have_objective = true;
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI measures and has no objective; make it an `sla` to judge it");
              return;
            }
            if (!once("`with no outage longer than`", c.range)) return;
            sla.max_outage = duration(cl.longer_than, "`no outage longer than`");
          } else if constexpr (std::is_same_v<T, ast::OutageCountObjective>) {
            have_objective = true;
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI measures and has no objective; make it an `sla` to judge it");
              return;
            }
            OutageCountSpec spec;
            spec.range = c.range;
            auto n = count(cl.count, "the number of outages");
            if (cl.longer_than) spec.longer_than = duration(*cl.longer_than, "`longer than`");
            if (n) {
              spec.count = *n;
              sla.outage_counts.push_back(std::move(spec));
            }
          } else if constexpr (std::is_same_v<T, ast::DuringClause>) {
            if (!once("`during`", c.range)) return;
            if (auto idx = resolve(cl.calendar, SymbolKind::calendar)) {
              sla.during = idx;
              sla.during_range = cl.calendar.range;
            }
          } else if constexpr (std::is_same_v<T, ast::OnlyClause>) {
            if (!once("`only`", c.range)) return;
            sla.only = top_condition(*cl.condition).id;
          } else if constexpr (std::is_same_v<T, ast::ExcludingClause>) {
            if (!once("`excluding`", c.range)) return;
            excluding = &cl;
            excluding_range = c.range;
          } else if constexpr (std::is_same_v<T, ast::PenaltyFixed>) {
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI has no penalty; make it an `sla` to charge one");
              return;
            }
            if (!once("`penalty AMOUNT`", c.range)) return;
            penalty_range = c.range;
            sla.penalty = amount(cl.amount, "a penalty");
          } else if constexpr (std::is_same_v<T, ast::PenaltyTiers>) {
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI has no penalty; make it an `sla` to charge one");
              return;
            }
            if (!once("`penalty { ... }` tiers", c.range)) return;
            tiers_range = c.range;
            std::vector<std::pair<Decimal, Range>> thresholds;
            for (const auto& t : cl.tiers) {
              auto below = percent(t.below, "a tier's `below`");
              auto amt = amount(t.amount, "a tier's amount");
              if (!below || !amt) continue;
              if (!below->param) {
                for (const auto& [prev, r] : thresholds) {
                  if (prev == below->literal.number) {
                    auto& e = error(Code::duplicate_tier, t.range,
                                    fmt::format("two tiers are `below {}%`", below->literal.number.to_string()));
                    first_note(e, r);
                  }
                }
                thresholds.emplace_back(below->literal.number, t.range);
              }
              sla.tiers.push_back(TierSpec{*below, *amt, t.range});
            }
          } else if constexpr (std::is_same_v<T, ast::PenaltyCap>) {
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI has no penalty; make it an `sla` to charge one");
              return;
            }
            if (!once("`penalty cap`", c.range)) return;
            cap_range = c.range;
            sla.cap = amount(cl.amount, "a penalty cap");
          } else if constexpr (std::is_same_v<T, ast::WarnClause>) {
            if (d.is_kpi) {
              error(Code::kpi_clause, c.range, "a KPI has no target, so no near misses; make it an `sla` to warn");
              return;
            }
            if (!once("`warn below`", c.range)) return;
            sla.warn = percent(cl.below, "`warn below`");
          }
        },
        c.v);
  }

  // Grouping.
  if (grouping != nullptr) {
    GroupingSpec& gs = sla.grouping;
    gs.range = Range{};
    switch (grouping->kind) {
      case ast::GroupingKind::any_site: gs.kind = GroupingKind::any_site; break;
      case ast::GroupingKind::any_device: gs.kind = GroupingKind::any_device; break;
      case ast::GroupingKind::every_site: gs.kind = GroupingKind::every_site; break;
      case ast::GroupingKind::all_sites: gs.kind = GroupingKind::all_sites; break;
      case ast::GroupingKind::percent_of_sites:
        gs.kind = GroupingKind::percent_of_sites;
        if (auto q = percent(*grouping->percent, "`on at least ... of sites`")) gs.percent = *q;
        break;
      case ast::GroupingKind::any_attribute: {
        gs.kind = GroupingKind::any_attribute;
        const ast::Name& attr = *grouping->attribute;
        auto ai = device_attrs_.find(attr.text);
        if (ai != device_attrs_.end()) {
          gs.attribute = ai->second;
        } else if (site_attrs_.contains(attr.text)) {
          error(Code::wrong_kind, attr.range,
                fmt::format("`on any {}` groups by a device attribute, and `{}` is a site attribute; group by site with `on any site`",
                            attr.text, attr.text));
        } else {
          std::vector<std::string_view> cands;
          for (const auto& [n, i] : device_attrs_) cands.push_back(n);
          std::sort(cands.begin(), cands.end());
          auto& e = error(Code::unknown_name, attr.range,
                          fmt::format("unknown device attribute `{}`: `on any` takes `site`, `device` or a device attribute", attr.text));
          if (auto near = closest_name(attr.text, cands)) e.message += fmt::format("; did you mean `{}`?", *near);
        }
        break;
      }
    }
    if (grouping->where) {
      auto w = top_condition(*grouping->where);
      gs.where = w.id;
      if (w.traits.dynamic) {
        error(Code::not_static, grouping->where->range,
              fmt::format("`where` chooses groups once, so it takes attributes only, but {} changes over time",
                          culprit(w.id, &ExprTraits::dynamic)));
      } else if (gs.by_site() && w.traits.device_dependent) {
        error(Code::device_level, grouping->where->range,
              fmt::format("`where` of a site grouping chooses sites, so it takes site attributes only, but it uses {}",
                          culprit(w.id, &ExprTraits::device_dependent)));
      }
    }
  }

  // Requirement.
  if (requirement != nullptr) {
    RequirementSpec& rs = sla.requirement;
    rs.range = requirement_range;
    auto st = top_condition(*requirement->state);
    rs.state = st.id;
    switch (requirement->kind) {
      case ast::RequirementKind::at_least:
      case ast::RequirementKind::at_most:
      case ast::RequirementKind::no_more_than:
        rs.kind = requirement->kind == ast::RequirementKind::at_least ? RequirementKind::at_least : RequirementKind::at_most;
        rs.written_no_more_than = requirement->kind == ast::RequirementKind::no_more_than;
        if (std::holds_alternative<ast::PercentLit>(requirement->amount->v) && requirement->kind != ast::RequirementKind::at_least) {
          error(Code::percent_requirement, requirement->amount->range,
                "`at most` and `no more than` take a count of devices, not a percentage");
        } else if (auto q = count(*requirement->amount, "the number of devices")) {
          rs.amount = *q;
        }
        break;
      case ast::RequirementKind::percent_of_devices:
        rs.kind = RequirementKind::percent_of_devices;
        if (auto q = percent(*requirement->amount, "`at least ... of devices`")) rs.amount = *q;
        break;
      case ast::RequirementKind::percent_bare:
        rs.kind = RequirementKind::percent_of_devices;
        error(Code::percent_requirement, requirement->amount->range,
              fmt::format("a percentage of devices is written `at least {} of devices STATE` (or `... weighted by ATTRIBUTE`)",
                          text(requirement->amount->range)));
        break;
      case ast::RequirementKind::weighted: {
        rs.kind = RequirementKind::weighted;
        if (!std::holds_alternative<ast::PercentLit>(requirement->amount->v) &&
            !std::holds_alternative<ast::NameValue>(requirement->amount->v)) {
          error(Code::weighted_by, requirement->amount->range,
                fmt::format("`weighted by` needs a percentage, as in `at least 90% {} weighted by ...`",
                            text(requirement->state->range)));
        } else if (auto q = percent(*requirement->amount, "`at least ... weighted by`")) {
          rs.amount = *q;
        }
        const ast::Name& w = *requirement->weight;
        auto ai = device_attrs_.find(w.text);
        if (ai == device_attrs_.end()) {
          error(Code::weighted_by, w.range,
                fmt::format("`weighted by` takes a number device attribute; `{}` is {}", w.text,
                            site_attrs_.contains(w.text) ? "a site attribute" : "not a device attribute"));
        } else if (model_.attributes[ai->second].type != ValueType::number) {
          auto& e = error(Code::weighted_by, w.range,
                          fmt::format("`weighted by` takes a number device attribute; `{}` is {} {}", w.text,
                                      article(type_name(model_.attributes[ai->second].type)),
                                      type_name(model_.attributes[ai->second].type)));
          previous_note(e, model_.attributes[ai->second].decl, fmt::format("`{}`", w.text));
        } else {
          rs.attribute = ai->second;
        }
        break;
      }
      case ast::RequirementKind::site_attribute: {
        rs.kind = RequirementKind::site_attribute;
        const ast::Name& a = *requirement->site_attribute;
        auto ai = site_attrs_.find(a.text);
        if (ai == site_attrs_.end()) {
          error(Code::site_count, a.range, fmt::format("`at least site.{}` needs a number site attribute `{}`", a.text, a.text));
        } else if (model_.attributes[ai->second].type != ValueType::number) {
          auto& e = error(Code::site_count, a.range,
                          fmt::format("`at least site.{}` needs a number site attribute, and `{}` is {} {}", a.text, a.text,
                                      article(type_name(model_.attributes[ai->second].type)),
                                      type_name(model_.attributes[ai->second].type)));
          previous_note(e, model_.attributes[ai->second].decl, fmt::format("`{}`", a.text));
        } else {
          rs.attribute = ai->second;
        }
        if (grouping != nullptr && !sla.grouping.by_site()) {
          error(Code::site_count, requirement_range,
                "`at least site.ATTRIBUTE` counts devices of one site, so it needs `on any site`, `on every site` or `on at least P% of sites`");
        }
        break;
      }
      case ast::RequirementKind::all:
        rs.kind = RequirementKind::all;
        break;
      case ast::RequirementKind::per_device: {
        rs.kind = RequirementKind::per_device;
        // A lone unknown word may be a misspelt clause keyword rather than a state.
        if (grouping != nullptr && sla.grouping.kind != GroupingKind::any_device) {
          error(Code::per_device_requirement, requirement_range,
                fmt::format("`{}` alone is a per-device requirement, which needs `on any device`; for a site, write `at least 1 {}` or `all {}`",
                            text(requirement->state->range), text(requirement->state->range), text(requirement->state->range)));
        }
        break;
      }
    }
  }

  // `of CALENDAR` and `during`.
  if (of_calendar) {
    sla.of_calendar = true;
    if (sla.during && *sla.during != *of_calendar) {
      auto& e = error(Code::calendar_conflict, sla.during_range,
                      fmt::format("`during {}` contradicts `of {}`: the target is measured over one calendar",
                                  model_.calendars[*sla.during].name, model_.calendars[*of_calendar].name));
      note(e, of_calendar_range, "the target's calendar is named here");
    }
    sla.during = of_calendar;
    sla.during_range = of_calendar_range;
  }

  // Exclusions: site-level, and independent of the site on groups that span sites.
  if (excluding != nullptr) {
    auto ex = top_condition(*excluding->condition);
    sla.excluding = ex.id;
    if (ex.traits.device_dependent) {
      error(Code::device_level, excluding->condition->range,
            fmt::format("`excluding` removes time from a whole group, so it needs a site-level condition, but it uses {}",
                        culprit(ex.id, &ExprTraits::device_dependent)));
    } else if (grouping != nullptr && sla.grouping.spans_sites() && ex.traits.site_dependent) {
      error(Code::spanning_excluding, excluding->condition->range,
            fmt::format("this SLA's groups span sites, so `excluding` cannot depend on a site, but it uses {}",
                        culprit(ex.id, &ExprTraits::site_dependent)));
    }
  }
  if (sla.during && grouping != nullptr && sla.grouping.spans_sites() &&
      model_.calendars[*sla.during].zone_kind == ast::ZoneKind::site) {
    auto& e = error(Code::spanning_calendar, sla.during_range,
                    fmt::format("this SLA's groups span sites, so calendar `{}` cannot be `in site timezone`; give it a zone, as in `in \"Europe/London\"`",
                                model_.calendars[*sla.during].name));
    previous_note(e, model_.calendars[*sla.during].decl, fmt::format("`{}`", model_.calendars[*sla.during].name));
  }

  // Penalties.
  if (tiers_range && penalty_range) {
    auto& e = error(Code::penalty_mix, *tiers_range, "an SLA has a fixed penalty or tiers, not both");
    note(e, *penalty_range, "the fixed penalty is here");
  }
  if (tiers_range && grouping != nullptr && sla.grouping.estate_verdict()) {
    error(Code::tiers_grouping, *tiers_range,
          "tiers price each group's attainment, so they need `on any ...` or `across all sites`; the estate-level verdict takes a fixed penalty");
  }
  if (cap_range && !penalty_range && !tiers_range) {
    error(Code::penalty_mix, *cap_range, "`penalty cap` limits a penalty, but this SLA has none");
  }

  if (!d.incomplete) {
    if (!have_window) {
      error(Code::missing_clause, d.name.range,
            fmt::format("{} `{}` has no window; add one such as `in any calendar month`", what, d.name.text));
    }
    if (!have_grouping) {
      error(Code::missing_clause, d.name.range,
            fmt::format("{} `{}` has no grouping; add one such as `on any site`", what, d.name.text));
    }
    if (!have_requirement) {
      error(Code::missing_clause, d.name.range,
            fmt::format("{} `{}` has no requirement; add one such as `at least 1 available`", what, d.name.text));
    }
    if (!d.is_kpi && !have_objective) {
      error(Code::missing_clause, d.name.range,
            fmt::format("SLA `{}` has no objective; add `for at least P%`, `with no outage longer than D` or `with at most N outages`, or make it a `kpi`",
                        d.name.text));
    }
  }
}

// ---------------------------------------------------------------------------
// Tests

std::optional<Millis> Checker::instant(const ast::TimeLit& t) {
  std::int64_t days = days_from_civil(t.year, t.month, t.day);
  Millis local = days * ms_per_day + static_cast<Millis>(t.hour) * 3'600'000 + static_cast<Millis>(t.minute) * 60'000 +
                 static_cast<Millis>(t.second) * 1000 + t.millisecond;
  if (t.has_offset) return local - static_cast<Millis>(t.offset_minutes) * 60'000;
  return local_to_utc(model_.timezone, local);
}

void Checker::check_test(const ast::TestDecl& d) {
  TestInfo test;
  test.name = d.name.value;
  test.decl = d.name.range;
  std::map<std::string, Range> sites, devices;
  std::optional<Range> span_range;

  auto attributes = [&](const std::vector<ast::AttrAssign>& given, Level level, std::string_view owner, Range owner_range) {
    std::vector<TestAttr> out;
    auto& table = level == Level::device ? device_attrs_ : site_attrs_;
    std::set<std::size_t> have;
    for (const auto& a : given) {
      auto it = table.find(a.name.text);
      if (it == table.end()) {
        std::vector<std::string_view> cands;
        for (const auto& [n, i] : table) cands.push_back(n);
        std::sort(cands.begin(), cands.end());
        auto& e = error(Code::test_attribute, a.name.range,
                        fmt::format("unknown {} attribute `{}`", level == Level::device ? "device" : "site", a.name.text));
        if (auto near = closest_name(a.name.text, cands)) e.message += fmt::format("; did you mean `{}`?", *near);
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
            pending.push_back({&it.entity, item.range});
            test.events.push_back(TestEvent{*t, it.entity.text, static_cast<std::size_t>(sig - model_.signals.data()), *v, item.range});
          } else if constexpr (std::is_same_v<T, ast::TestRepeatItem>) {
            const SignalInfo* sig = signal_for(it.signal);
            auto every = duration(it.every, "`every`");
            auto from = instant(it.from);
            auto to = instant(it.to);
            if (sig == nullptr || !every || !from || !to) return;
            auto v = event_value(*sig, it.value, item.range);
            if (!v) return;
            if (*from >= *to) {
              error(Code::test_value, item.range, "`every ... from ... to ...` needs `from` before `to`");
              return;
            }
            Millis step = every->literal.ms;
            if ((*to - *from) / step > 5'000'000) {
              error(Code::test_value, item.range, "this repetition makes more than 5,000,000 events; use a longer step");
              return;
            }
            pending.push_back({&it.entity, item.range});
            for (Millis t = *from; t < *to; t += step) {
              test.events.push_back(TestEvent{t, it.entity.text, static_cast<std::size_t>(sig - model_.signals.data()), *v, item.range});
            }
          } else if constexpr (std::is_same_v<T, ast::TestExpectItem>) {
            TestExpectation ex;
            ex.what = it.what;
            ex.range = item.range;
            ex.verdict = it.verdict;
            if (it.sla) {
              auto s = sla_names_.find(it.sla->text);
              if (s == sla_names_.end()) {
                std::vector<std::string_view> cands;
                for (const auto& [n, i] : sla_names_) cands.push_back(n);
                std::sort(cands.begin(), cands.end());
                auto& e = error(Code::unknown_name, it.sla->range, fmt::format("unknown SLA or KPI `{}`", it.sla->text));
                if (auto near = closest_name(it.sla->text, cands)) e.message += fmt::format("; did you mean `{}`?", *near);
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
              if (it.verdict && it.group) {
                error(Code::test_value, it.group->range, "a verdict is for the whole estate; drop `on ...`");
                return;
              }
            }
            if (it.group) ex.group = it.group->text;
            if (it.window) ex.window_start = instant(*it.window);
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
                  if (*f < Decimal::integer(0) || *f > Decimal::integer(1)) {
                    error(Code::percent_range, it.value->range, "an attainment is between 0% and 100%");
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
              case ast::ExpectWhat::penalty:
              case ast::ExpectWhat::total_penalty:
                if (auto q = amount(*it.value, "an expected penalty")) ex.number = q->literal.number;
                else return;
                break;
              case ast::ExpectWhat::outages:
                if (auto q = count(*it.value, "an expected number of outages")) ex.number = q->literal.number;
                else return;
                break;
              case ast::ExpectWhat::longest_outage:
              case ast::ExpectWhat::measured:
              case ast::ExpectWhat::good:
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

Model Checker::run() {
  header();
  declare_all();
  // Calendars and states need all names declared.
  for (std::size_t u = program_.units.size(); u-- > 0;) {
    for (const auto& d : program_.units[u].ast.decls) {
      if (const auto* c = std::get_if<ast::CalendarDecl>(&d.v)) {
        const Symbol* s = lookup(c->name.text);
        if (s != nullptr && s->kind == SymbolKind::calendar && s->decl == c->name.range) {
          check_calendar(*c, model_.calendars[s->index]);
        }
      }
    }
  }
  check_states();
  for (const auto& d : program_.units[0].ast.decls) {
    if (const auto* s = std::get_if<ast::SlaDecl>(&d.v)) check_sla(*s);
  }
  for (const auto& d : program_.units[0].ast.decls) {
    if (const auto* t = std::get_if<ast::TestDecl>(&d.v)) check_test(*t);
  }
  return std::move(model_);
}

}  // namespace

Model check_program(const Program& program, Diagnostics& diags) {
  Checker checker(program, diags);
  return checker.run();
}

}  // namespace slac
