// The checker on conditions: comparisons, references, levels and the state graph
// (SPEC 4.2).
#include "compiler/checker/checker.hpp"

namespace slac::checking {

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
        } else if constexpr (std::is_same_v<T, ast::Capped>) {
          out.kind = node.per ? ExprKind::capped_per : ExprKind::capped_each;
          out.children.push_back(condition(*node.operand));
          // An allowance makes even a static condition change over time (it runs out).
          traits_.dynamic = true;
          if (node.per) out.unit = *node.per;
          if (auto q = duration(node.up_to, "`up to`")) {
            out.duration = *q;
            if (node.per && !q->param) allowance_fits(node, q->literal.ms);
          }
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

// `up to D per calendar UNIT` with D as long as the unit caps nothing: almost surely a
// slip of the unit (`72h per calendar day` for "72 hours a year").
void Checker::allowance_fits(const ast::Capped& capped, std::int64_t ms) {
  static constexpr std::int64_t longest_days[] = {1, 7, 31, 92, 366};
  const std::int64_t unit_ms = longest_days[static_cast<int>(*capped.per)] * 86'400'000;
  if (ms < unit_ms) return;
  error(Code::allowance_range, capped.up_to.range,
        fmt::format("an allowance of `{}` per calendar {} caps nothing: a calendar {} lasts at most {}; "
                    "did you mean a longer unit?",
                    text(capped.up_to.range), ast::unit_word(*capped.per),
                    ast::unit_word(*capped.per), canonical_duration(unit_ms)));
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
      else suggest(d, lhs.name.text, [&]() -> const auto& { return candidates({SymbolKind::signal}); });
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
        suggest(d, lhs.name.text, [&] { return sorted_names(table); });
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
        if (auto at = member_index(*members, nv->name)) {
          s.member = static_cast<std::uint32_t>(*at);
          good = true;
        } else {
          auto& d = error(Code::unknown_member, v->range,
                          fmt::format("`{}` is not a value of {} ({})", nv->name, subject, members_text(*members)));
          suggest(d, nv->name, [&] { return std::vector<std::string_view>(members->begin(), members->end()); });
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
      std::string want = type == ValueType::enumeration ? fmt::format("one of its values ({})", members_text(*members))
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
      suggest(d, operand.name.text, [&] { return sorted_names(table); });
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
    if (device_attrs_.contains(name.text)) {
      d.message += fmt::format("; did you mean `device.{}`?", name.text);
    } else if (site_attrs_.contains(name.text)) {
      d.message += fmt::format("; did you mean `site.{}`?", name.text);
    } else {
      suggest(d, name.text,
              [&]() -> const auto& { return candidates({SymbolKind::state, SymbolKind::signal, SymbolKind::param}); });
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
    case SymbolKind::periods:
      error(Code::wrong_kind, e.range,
            fmt::format("`{}` is a periods list; use it as a window, `in any {} period`", name.text, name.text));
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
      case ExprKind::capped_each:
      case ExprKind::capped_per:
        // Names the allowance for `dynamic` (it runs out over time); otherwise looks inside.
        if (which == &ExprTraits::dynamic) {
          dynamic = true;
          what = "an `up to` allowance";
          break;
        }
        stack.push_back(e.children[0]);
        continue;
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
  // dependencies until a state repeats. Each state is walked once: a walk that runs
  // into an earlier walk's states leads to a cycle already reported.
  constexpr std::size_t unwalked = static_cast<std::size_t>(-1);
  std::vector<std::size_t> walk_of(n, unwalked);
  std::vector<std::size_t> position(n, 0);
  std::vector<std::size_t> path;
  for (std::size_t i = 0; i < n; ++i) {
    if (done[i] || walk_of[i] != unwalked) continue;
    path.clear();
    std::size_t cur = i;
    while (walk_of[cur] == unwalked) {
      walk_of[cur] = i;
      position[cur] = path.size();
      path.push_back(cur);
      for (std::size_t d : state_deps_[cur]) {
        if (!done[d]) {
          cur = d;
          break;
        }
      }
    }
    for (std::size_t s : path) state_ok_[s] = false;
    if (walk_of[cur] != i) continue;
    std::vector<std::size_t> cycle(path.begin() + static_cast<std::ptrdiff_t>(position[cur]), path.end());
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
  }
}

}  // namespace slac::checking
