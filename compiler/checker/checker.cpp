// The checker's driver and symbol table: declare, look up and resolve names, then run
// the concerns in order (declarations, calendars, states, SLAs, tests).
#include "compiler/checker/checker.hpp"

namespace slac::checking {

bool Checker::declare(std::string_view name, SymbolKind kind, std::size_t index, Range range) {
  candidates_.clear();
  auto [it, inserted] = names_.try_emplace(name, Symbol{kind, index, range});
  if (!inserted) {
    auto& d = error(Code::duplicate, range,
                    fmt::format("`{}` is already declared as a {}", name, kind_name(it->second.kind)));
    previous_note(d, it->second.decl, "first");
    return false;
  }
  return true;
}

const std::vector<std::string_view>& Checker::candidates(std::initializer_list<SymbolKind> kinds) {
  unsigned key = 0;
  for (SymbolKind k : kinds) key |= 1u << static_cast<unsigned>(k);
  auto [it, made] = candidates_.try_emplace(key);
  if (made) {
    for (const auto& [name, sym] : names_) {
      if (std::find(kinds.begin(), kinds.end(), sym.kind) != kinds.end()) it->second.push_back(name);
    }
    std::sort(it->second.begin(), it->second.end());
  }
  return it->second;
}

std::optional<std::size_t> Checker::member_index(const std::vector<std::string>& members, std::string_view name) {
  if (members.size() <= 16) {
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (members[i] == name) return i;
    }
    return std::nullopt;
  }
  MemberIndex& index = member_indexes_[&members];
  if (index.data != members.data() || index.size != members.size()) {
    index = MemberIndex{members.data(), members.size(), {}};
    for (std::size_t i = members.size(); i-- > 0;) index.position[members[i]] = i;  // the first of a repeated name
  }
  auto it = index.position.find(name);
  if (it == index.position.end()) return std::nullopt;
  return it->second;
}

std::string Checker::members_text(const std::vector<std::string>& members) {
  constexpr std::size_t shown = 10;
  if (members.size() <= shown) return fmt::format("{}", fmt::join(members, ", "));
  return fmt::format("{}, ... and {} more", fmt::join(members.begin(), members.begin() + shown, ", "),
                     members.size() - shown);
}

std::vector<std::string_view> Checker::sorted_names(const std::unordered_map<std::string_view, std::size_t>& table) {
  std::vector<std::string_view> out;
  for (const auto& [n, i] : table) out.push_back(n);
  std::sort(out.begin(), out.end());
  return out;
}

void Checker::unknown(std::string_view what, const ast::Name& name, std::initializer_list<SymbolKind> kinds) {
  if (unparsed(name.text)) return;  // its declaration had a syntax error, already reported
  auto& d = error(Code::unknown_name, name.range, fmt::format("unknown {} `{}`", what, name.text));
  suggest(d, name.text, [&]() -> const auto& { return candidates(kinds); });
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
