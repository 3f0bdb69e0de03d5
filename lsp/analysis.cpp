// The language server's index of a document: declarations from the AST, uses from a
// token scan resolved the way the checker resolves names.
#include "lsp/analysis.hpp"

#include <algorithm>

#include "grammar/keywords.hpp"

namespace slac::lsp {

std::string_view kind_word(NameKind kind) {
  static constexpr std::string_view words[] = {"param",    "signal", "attribute", "holidays list", "periods list",
                                               "calendar", "state",  "SLA",       "KPI",           "enum member"};
  return words[static_cast<int>(kind)];
}

namespace {

bool word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool word_char(char c) { return word_start(c) || digit(c); }

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto push = [&](TokenKind kind, std::size_t begin, std::size_t end) {
    out.push_back({kind, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
  };
  while (i < n) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '#') {
      while (i < n && text[i] != '\n') ++i;
    } else if (c == '"') {
      std::size_t begin = i++;
      while (i < n && text[i] != '"' && text[i] != '\n') i += text[i] == '\\' && i + 1 < n && text[i + 1] != '\n' ? 2 : 1;
      if (i < n && text[i] == '"') ++i;
      push(TokenKind::string, begin, i);
    } else if (word_start(c)) {
      std::size_t begin = i;
      while (i < n && word_char(text[i])) ++i;
      push(TokenKind::word, begin, i);
    } else if (digit(c)) {
      std::size_t begin = i;
      while (i < n && (word_char(text[i]) || text[i] == '.' || text[i] == ':' || text[i] == '%' ||
                       ((text[i] == '-' || text[i] == '+') && i + 1 < n && digit(text[i + 1])))) {
        ++i;
      }
      push(TokenKind::number, begin, i);
    } else if ((c == '=' || c == '!' || c == '<' || c == '>') && i + 1 < n && text[i + 1] == '=') {
      push(TokenKind::punct, i, i + 2);
      i += 2;
    } else {
      std::size_t len = static_cast<unsigned char>(c) < 0x80 ? 1 : std::max<std::size_t>(1, utf8_sequence_length(text, i));
      push(TokenKind::punct, i, i + len);
      i += len;
    }
  }
  return out;
}

std::optional<std::size_t> Analysis::global(std::string_view name) const {
  auto it = globals.find(name);
  if (it == globals.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> Analysis::attribute(Level level, std::string_view name) const {
  const auto& table = attributes[static_cast<int>(level)];
  auto it = table.find(name);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

std::vector<std::size_t> Analysis::members_of(std::size_t owner) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].owner == owner) out.push_back(i);
  }
  return out;
}

std::optional<std::size_t> Analysis::member(std::size_t owner, std::string_view name) const {
  auto of = members.find(owner);
  if (of == members.end()) return std::nullopt;
  auto it = of->second.find(name);
  if (it == of->second.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> Analysis::occurrence_at(std::uint32_t offset) const {
  FileId file = program().units.at(0).file;
  auto first = std::lower_bound(occurrences.begin(), occurrences.end(), file,
                                [](const Occurrence& o, FileId f) { return o.range.file < f; });
  std::optional<std::size_t> touching;
  for (auto it = first; it != occurrences.end() && it->range.file == file && it->range.begin <= offset; ++it) {
    if (offset < it->range.end) return static_cast<std::size_t>(it - occurrences.begin());
    if (offset == it->range.end) touching = static_cast<std::size_t>(it - occurrences.begin());
  }
  return touching;
}

std::vector<std::size_t> Analysis::occurrences_of(std::size_t declared) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < occurrences.size(); ++i) {
    if (occurrences[i].declared == declared) out.push_back(i);
  }
  return out;
}

namespace {

// Declarations of one unit, in the order written.
void declare_unit(Analysis& a, std::size_t unit) {
  const ast::File& file = a.program().units[unit].ast;
  for (const ast::Decl& decl : file.decls) {
    auto add = [&](NameKind kind, const ast::Name& name, Range range, Level level = Level::device) {
      if (name.text.empty()) return std::optional<std::size_t>{};
      a.names.push_back({kind, name.text, level, unit, name.range, range, &decl, std::nullopt});
      return std::optional<std::size_t>{a.names.size() - 1};
    };
    auto add_members = [&](std::optional<std::size_t> owner, const ast::TypeRef& type) {
      if (!owner || !type.is_enum) return;
      for (const ast::Name& m : type.members) {
        if (m.text.empty()) continue;
        a.names.push_back({NameKind::member, m.text, a.names[*owner].level, unit, m.range, m.range, &decl, owner});
      }
    };
    std::visit(
        [&](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, ast::ParamDecl>) add(NameKind::param, d.name, d.range);
          if constexpr (std::is_same_v<T, ast::SignalDecl>) add_members(add(NameKind::signal, d.name, d.range, d.level), d.type);
          if constexpr (std::is_same_v<T, ast::AttributeDecl>) {
            add_members(add(NameKind::attribute, d.name, d.range, d.level), d.type);
          }
          if constexpr (std::is_same_v<T, ast::HolidaysDecl>) add(NameKind::holidays, d.name, d.range);
          if constexpr (std::is_same_v<T, ast::PeriodsDecl>) add(NameKind::periods, d.name, d.range);
          if constexpr (std::is_same_v<T, ast::CalendarDecl>) add(NameKind::calendar, d.name, d.range);
          if constexpr (std::is_same_v<T, ast::StateDecl>) add(NameKind::state, d.name, d.range);
          if constexpr (std::is_same_v<T, ast::SlaDecl>) add(d.is_kpi ? NameKind::kpi : NameKind::sla, d.name, d.range);
        },
        decl.v);
  }
}

bool is_text(std::string_view source, const Token& t, std::string_view word) {
  return source.substr(t.begin, t.end - t.begin) == word;
}

}  // namespace

std::optional<std::size_t> operand_owner(const Analysis& a, std::string_view source, const std::vector<Token>& tokens,
                                         std::size_t operand) {
  if (tokens[operand].kind != TokenKind::word) return std::nullopt;
  std::string_view name = source.substr(tokens[operand].begin, tokens[operand].end - tokens[operand].begin);
  if (operand >= 2 && is_text(source, tokens[operand - 1], ".")) {
    bool site = is_text(source, tokens[operand - 2], "site");
    if (!site && !is_text(source, tokens[operand - 2], "device")) return std::nullopt;
    return a.attribute(site ? Level::site : Level::device, name);
  }
  if (auto g = a.global(name); g && a.names[*g].kind == NameKind::signal) return g;
  if (auto d = a.attribute(Level::device, name)) return d;
  return a.attribute(Level::site, name);
}

namespace {

void scan_unit(Analysis& a, std::size_t unit, std::vector<Token> tokens) {
  const Unit& u = a.program().units[unit];
  std::string_view source = a.program().sources.file(u.file).text();
  std::unordered_map<std::uint32_t, std::size_t> declared_at;
  for (std::size_t i = 0; i < a.names.size(); ++i) {
    if (a.names[i].unit == unit) declared_at.emplace(a.names[i].name_range.begin, i);
  }
  // The operand of the `in { ... }` member list the scan is in, found going forward
  // (looking back from each member would be quadratic in a long list).
  std::optional<std::size_t> set_operand;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == TokenKind::punct) {
      if (is_text(source, t, "{")) {
        set_operand.reset();
        if (i >= 2 && is_text(source, tokens[i - 1], "in")) set_operand = i - 2;
      } else if (is_text(source, t, "}")) {
        set_operand.reset();
      }
      continue;
    }
    if (t.kind != TokenKind::word) continue;
    // A member: after `==` or `!=`, or in an `in { ... }` list.
    std::optional<std::size_t> operand = set_operand;
    if (i >= 2 && (is_text(source, tokens[i - 1], "==") || is_text(source, tokens[i - 1], "!="))) operand = i - 2;
    Range range{u.file, t.begin, t.end};
    if (auto d = declared_at.find(t.begin); d != declared_at.end() && a.names[d->second].name_range == range) {
      a.occurrences.push_back({range, d->second});
      continue;
    }
    std::string_view word = source.substr(t.begin, t.end - t.begin);
    std::optional<std::size_t> target;
    if (i >= 2 && is_text(source, tokens[i - 1], ".") &&
        (is_text(source, tokens[i - 2], "site") || is_text(source, tokens[i - 2], "device"))) {
      target = a.attribute(is_text(source, tokens[i - 2], "site") ? Level::site : Level::device, word);
    } else if (auto owner = operand ? operand_owner(a, source, tokens, *operand) : std::nullopt) {
      target = a.member(*owner, word);
    } else if (!grammar::is_reserved_word(word)) {
      // `timezone "Europe/London"` in the header is the keyword, not an attribute.
      bool header_word = i + 1 < tokens.size() && tokens[i + 1].kind == TokenKind::string;
      target = a.global(word);
      if (!target && !header_word) target = a.attribute(Level::device, word);
      if (!target && !header_word) target = a.attribute(Level::site, word);
    }
    if (target) a.occurrences.push_back({range, *target});
  }
  if (unit == 0) a.tokens = std::move(tokens);
}

}  // namespace

Analysis analyze(std::string uri, const std::string& path, std::string text) {
  Analysis a;
  a.uri = std::move(uri);
  a.compilation = compile_file(path, std::move(text));
  const Program& program = a.program();
  for (std::size_t u = 0; u < program.units.size(); ++u) declare_unit(a, u);
  // Later units first, then the root: the root's own declaration of a repeated name is
  // the one its uses jump to (the checker reports the repetition).
  for (std::size_t i = a.names.size(); i-- > 0;) {
    const Declared& d = a.names[i];
    if (d.kind == NameKind::member) {
      a.members[*d.owner][d.name] = i;
      continue;
    }
    if (d.kind == NameKind::attribute) {
      a.attributes[static_cast<int>(d.level)][d.name] = i;
    } else {
      a.globals[d.name] = i;
    }
  }
  for (std::size_t u = 0; u < program.units.size(); ++u) {
    scan_unit(a, u, tokenize(program.sources.file(program.units[u].file).text()));
  }
  std::sort(a.occurrences.begin(), a.occurrences.end(), [](const Occurrence& x, const Occurrence& y) {
    return std::tie(x.range.file, x.range.begin) < std::tie(y.range.file, y.range.begin);
  });
  return a;
}

}  // namespace slac::lsp
