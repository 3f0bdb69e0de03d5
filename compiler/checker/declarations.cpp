// The checker on the contract header and the declarations: params, signals,
// attributes, holidays and calendars, and the quantities they take (SPEC 4.1).
#include "compiler/checker/checker.hpp"

#include "base/currency.hpp"

namespace slac::checking {

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
      check_currency(*c->currency);
      model_.currency = std::string(c->currency->text);
    }
    if (c->timezone) {
      if (auto z = find_zone(c->timezone->value)) {
        model_.timezone = *z;
      } else {
        unknown_zone(c->timezone->value, c->timezone->range);
      }
    }
  }
}

// A currency is an ISO 4217 code (a table, base/currency.hpp); a fund or non-currency
// code is valid but warned about, with the common code it may have been meant for.
void Checker::check_currency(const ast::Name& currency) {
  std::string_view code = currency.text;
  auto near_common = [&](std::string_view c) {
    auto near = common_currencies_near(c);
    return near.empty() ? std::string() : fmt::format("; did you mean `{}`?", near.front());
  };
  if (auto info = find_currency(code)) {
    if (special_currency(code)) {
      diags_.warning(Code::unusual_currency, currency.range,
                     fmt::format("currency `{}` ({}) is an ISO 4217 code but not money a penalty is paid in{}", code,
                                 info->name, near_common(code)));
    }
    return;
  }
  std::string upper(code);
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string hint;
  if (upper != code && find_currency(upper)) {
    hint = fmt::format("; currency codes are upper case: `{}`", upper);
  } else if (code.size() != 3) {
    hint = "; it is three letters, such as `GBP`, `EUR` or `USD`";
  } else if (std::string near = near_common(upper); !near.empty()) {
    hint = near;
  } else {
    std::vector<std::string_view> codes;
    for (const auto& c : currencies()) codes.push_back(c.code);
    if (auto close = closest_name(upper, codes)) hint = fmt::format("; did you mean `{}`?", *close);
  }
  error(Code::currency_code, currency.range, fmt::format("currency `{}` is not an ISO 4217 code{}", code, hint));
}

void Checker::unknown_zone(std::string_view name, Range range) {
  error(Code::unknown_timezone, range, fmt::format("unknown time zone \"{}\"{}", name, unknown_zone_hint(name)));
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
      } else if (const auto* p = std::get_if<ast::PeriodsDecl>(&d.v)) {
        if (declare(p->name.text, SymbolKind::periods, model_.periods.size(), p->name.range)) check_periods(*p);
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
      info.text = s->range;
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
          unknown_zone(str->value, v.range);
          return std::nullopt;
        }
        s.text = str->value;
        return s;
      }
      return mismatch("a time zone in quotes (such as \"Europe/London\")");
    case ValueType::enumeration:
      if (const auto* nv = std::get_if<ast::NameValue>(&v.v)) {
        if (auto at = member_index(members, nv->name)) {
          s.member = static_cast<std::uint32_t>(*at);
          return s;
        }
        auto& d = error(Code::unknown_member, v.range,
                        fmt::format("`{}` is not a value of {} ({})", nv->name, subject, members_text(members)));
        suggest(d, nv->name, [&] { return std::vector<std::string_view>(members.begin(), members.end()); });
        return std::nullopt;
      }
      return mismatch(fmt::format("one of {}", members_text(members)));
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
      unknown_zone(d.zone_name->value, d.zone_name->range);
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

// A signal of the root file that no condition reads (W002): data is loaded for nothing,
// or a state meant to read it reads another. Signals of imported files (the standard
// library's) are there to be picked from, and are not warned about.
void Checker::warn_unused_signals() {
  // With errors, conditions that failed to check record no uses: every warning could
  // be wrong.
  if (diags_.has_errors()) return;
  std::vector<bool> used(model_.signals.size(), false);
  for (const CExpr& e : model_.exprs) {
    if (e.kind == ExprKind::signal_compare || e.kind == ExprKind::signal_in || e.kind == ExprKind::bool_signal ||
        e.kind == ExprKind::seen) {
      if (e.ref < used.size()) used[e.ref] = true;
    }
  }
  for (const SlaInfo& s : model_.slas) {
    if (s.requirement.kind == RequirementKind::events) used[s.requirement.events_signal] = true;
    for (const NumNode& n : s.requirement.mean) {
      if (n.op == NumOp::signal) used[n.ref] = true;
    }
  }
  FileId root = program_.units[0].file;
  for (std::size_t i = 0; i < model_.signals.size(); ++i) {
    const SignalInfo& s = model_.signals[i];
    if (used[i] || s.decl.file != root) continue;
    diags_.warning(Code::unused_signal, s.decl,
                   fmt::format("signal `{}` is declared but no state, SLA or KPI uses it", s.name));
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
        suggest(d, nv->name, [&]() -> const auto& { return candidates({SymbolKind::param}); });
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
      hint = "; " + percent_hint(text(v.range));
    } else if (want == ParamType::duration && std::holds_alternative<ast::NumberLit>(v.v)) {
      // `5 min`: the unit may be the next word, written apart.
      std::string_view after = program_.sources.file(v.range.file).text().substr(v.range.end);
      std::size_t from = 0;
      while (from < after.size() && (after[from] == ' ' || after[from] == '\t')) ++from;
      std::size_t to = from;
      while (to < after.size() && std::isalpha(static_cast<unsigned char>(after[to]))) ++to;
      auto apart = duration_hint(fmt::format("{} {}", text(v.range), after.substr(from, to - from)));
      if (to > from && apart && apart->find("write `") != std::string::npos) {
        hint = "; " + *apart;
      } else if (auto h = duration_hint(text(v.range))) {
        hint = "; " + *h;
      }
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

}  // namespace slac::checking
