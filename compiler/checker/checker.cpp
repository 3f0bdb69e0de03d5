// The checker's driver and symbol table: declare, look up and resolve names, then run
// the concerns in order (declarations, calendars, states, SLAs, tests).
#include "compiler/checker/checker.hpp"

namespace slac::checking {

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
  warn_unused_signals();
  return std::move(model_);
}

}  // namespace slac::checking

namespace slac {

Model check_program(const Program& program, Diagnostics& diags) {
  checking::Checker checker(program, diags);
  return checker.run();
}

}  // namespace slac
