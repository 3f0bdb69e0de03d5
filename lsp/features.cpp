// The language server's answers: diagnostics, hover, definitions, references,
// completion, the outline and formatting, from one document's Analysis.
#include "lsp/features.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "base/time.hpp"
#include "compiler/plan.hpp"
#include "compiler/stdlib.hpp"
#include "format/format.hpp"
#include "grammar/keywords.hpp"

namespace slac::lsp {

namespace fs = std::filesystem;

namespace {

// The text of a declaration, without the blanks around it.
std::string_view source_text(const Analysis& a, Range r) { return trim_blanks(a.program().sources.text(r)); }

// Writes a standard contract's text to `dir/NAME.sla`, read-only, unless it is there
// already with that text; false when it cannot be written.
bool write_stdlib_copy(const fs::path& file, std::string_view text) {
  std::error_code ec;
  if (fs::exists(file, ec)) {
    try {
      if (read_text_file(file.string()) == text) return true;
    } catch (const FileError&) {
    }
    fs::permissions(file, fs::perms::owner_write, fs::perm_options::add, ec);
    fs::remove(file, ec);
  }
  fs::create_directories(file.parent_path(), ec);
  fs::path temp = file;
  temp += fmt::format(".{}.tmp", ::getpid());
  {
    std::ofstream out(temp, std::ios::binary);
    out << text;
    if (!out) return false;
  }
  fs::permissions(temp, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read, ec);
  fs::rename(temp, file, ec);
  if (ec) {
    fs::remove(temp, ec);
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> Locator::uri(const Analysis& a, std::size_t unit) const {
  if (unit == 0) return a.uri;
  const Unit& u = a.program().units.at(unit);
  if (u.key.starts_with("std/")) {
    std::string_view name = std::string_view(u.key).substr(4);
    if (stdlib_dir_.empty()) return std::nullopt;
    if (auto it = written_.find(name); it != written_.end()) return it->second;
    for (const auto& c : stdlib_contracts()) {
      if (c.name != name) continue;
      std::error_code ec;
      fs::path file = fs::absolute(fs::path(stdlib_dir_) / fmt::format("{}.sla", name), ec).lexically_normal();
      if (ec || !write_stdlib_copy(file, c.text)) return std::nullopt;
      return written_[std::string(name)] = uri_from_path(file.string());
    }
    return std::nullopt;
  }
  std::error_code ec;
  fs::path path = fs::absolute(a.program().sources.file(u.file).path(), ec);
  if (ec) return std::nullopt;
  return uri_from_path(path.lexically_normal().string());
}

std::optional<json> Locator::location(const Analysis& a, Range range) const {
  const auto& units = a.program().units;
  for (std::size_t u = 0; u < units.size(); ++u) {
    if (units[u].file != range.file) continue;
    auto target = uri(a, u);
    if (!target) return std::nullopt;
    return json{{"uri", *target}, {"range", range_json(a.program().sources.file(range.file), range)}};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Diagnostics

namespace {

// The unit an import of the root loaded: its key is `std/NAME` or the canonical path
// of the file named (`.sla` may be left out); nullopt when it was not loaded.
std::optional<std::size_t> unit_of_import(const Analysis& a, const ast::ImportDecl& imp) {
  const Program& p = a.program();
  std::string target = imp.path.value;
  std::vector<std::string> keys;
  if (target.starts_with("std/")) {
    if (target.ends_with(".sla")) target.resize(target.size() - 4);
    keys.push_back(target);
  } else {
    fs::path dir = fs::path(p.sources.file(p.units[0].file).path()).parent_path();
    fs::path path = fs::path(target).is_relative() ? dir / target : fs::path(target);
    for (const fs::path& candidate : {path, fs::path(path.string() + ".sla")}) {
      std::error_code ec;
      fs::path canonical = fs::weakly_canonical(candidate, ec);
      if (!ec) keys.push_back(canonical.string());
    }
  }
  for (std::size_t u = 1; u < p.units.size(); ++u) {
    if (std::find(keys.begin(), keys.end(), p.units[u].key) != keys.end()) return u;
  }
  return std::nullopt;
}

// The root's import through which a file was loaded: the one naming it, else the
// first import (it came through another file); nullopt without imports.
std::optional<Range> import_of(const Analysis& a, FileId file) {
  const Program& p = a.program();
  std::optional<Range> first;
  for (const ast::Decl& d : p.units[0].ast.decls) {
    const auto* imp = std::get_if<ast::ImportDecl>(&d.v);
    if (imp == nullptr) continue;
    if (!first) first = imp->range;
    if (auto u = unit_of_import(a, *imp); u && p.units[*u].file == file) return imp->range;
  }
  return first;
}

}  // namespace

json diagnostics(const Analysis& a, const Locator& where) {
  json out = json::array();
  const Program& p = a.program();
  const SourceFile& root = a.root();
  for (const Diagnostic& d : a.compilation.diags.list()) {
    json item = {{"severity", d.severity == Severity::error ? 1 : 2},
                 {"code", std::string(code_id(d.code))},
                 {"source", "slac"},
                 {"message", d.message}};
    json related = json::array();
    if (d.range.file == root.id()) {
      item["range"] = range_json(root, d.range);
    } else {
      // A problem in an imported file: shown on the import, pointing at the file.
      const SourceFile& other = p.sources.file(d.range.file);
      Location at = other.location(d.range.begin);
      std::optional<Range> imp = import_of(a, d.range.file);
      item["range"] = range_json(root, imp.value_or(Range{root.id(), 0, 0}));
      item["message"] = fmt::format("in {}:{}:{}: {}", other.path(), at.line, at.column, d.message);
      if (auto loc = where.location(a, d.range)) related.push_back({{"location", *loc}, {"message", d.message}});
    }
    for (const Note& note : d.notes) {
      std::optional<json> loc = note.range ? where.location(a, *note.range) : std::nullopt;
      if (loc) {
        related.push_back({{"location", *loc}, {"message", note.message}});
      } else {
        item["message"] = item["message"].get<std::string>() + "\nnote: " + note.message;
      }
    }
    if (!related.empty()) item["relatedInformation"] = std::move(related);
    out.push_back(std::move(item));
  }
  if (a.compilation.diags.dropped() > 0) {
    out.push_back({{"severity", 3},
                   {"source", "slac"},
                   {"range", range_json(root, Range{root.id(), 0, 0})},
                   {"message", fmt::format("{} more diagnostics not shown", a.compilation.diags.dropped())}});
  }
  return out;
}

// ---------------------------------------------------------------------------
// Hover

namespace {

std::string weekday_name(ast::Weekday d) {
  static constexpr std::string_view names[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                               "Friday", "Saturday", "Sunday"};
  return std::string(names[static_cast<int>(d)]);
}

std::string clock_text(const ast::ClockTime& t) { return fmt::format("{:02}:{:02}", t.hour, t.minute); }

// A calendar's spans in words: `Monday to Friday 08:00-18:00`, one a line.
std::string calendar_words(const Analysis& a, const ast::CalendarDecl& c) {
  std::string out;
  for (const ast::Span& s : c.spans) {
    std::string days = s.daily       ? "every day"
                       : s.is_range ? fmt::format("{} to {}", weekday_name(s.first), weekday_name(s.last))
                                    : weekday_name(s.first);
    bool overnight = s.end.hour * 60 + s.end.minute <= s.start.hour * 60 + s.start.minute;
    out += fmt::format("- {}, {} to {}{}\n", days, clock_text(s.start), clock_text(s.end),
                       overnight ? " the next day" : "");
  }
  switch (c.zone) {
    case ast::ZoneKind::contract:
      out += fmt::format("- in the contract's time zone ({})\n", a.compilation.model.timezone.name);
      break;
    case ast::ZoneKind::site: out += "- in each site's own time zone (its `timezone` attribute)\n"; break;
    case ast::ZoneKind::named:
      out += fmt::format("- in {}\n", c.zone_name ? c.zone_name->value : std::string("the zone named"));
      break;
  }
  for (const ast::Name& h : c.except) {
    std::size_t dates = 0;
    if (auto g = a.global(h.text); g && a.names[*g].kind == NameKind::holidays) {
      if (const auto* list = std::get_if<ast::HolidaysDecl>(&a.names[*g].ast->v)) dates = list->dates.size();
    }
    out += fmt::format("- except the {} date{} of `{}`\n", dates, dates == 1 ? "" : "s", h.text);
  }
  return out;
}

// `used 3 times: lines 12, 18, 30`; with the files of uses in other files.
std::string uses_text(const Analysis& a, std::size_t declared) {
  const Program& p = a.program();
  std::vector<std::string> places;
  std::size_t uses = 0;
  for (std::size_t o : a.occurrences_of(declared)) {
    const Occurrence& occ = a.occurrences[o];
    if (occ.range == a.names[declared].name_range) continue;
    ++uses;
    if (places.size() >= 12) continue;
    const SourceFile& f = p.sources.file(occ.range.file);
    Location at = f.location(occ.range.begin);
    places.push_back(f.id() == a.root().id() ? fmt::format("line {}", at.line)
                                             : fmt::format("{}:{}", f.path(), at.line));
  }
  if (uses == 0) return "not used\n";
  return fmt::format("used {} time{}: {}{}\n", uses, uses == 1 ? "" : "s", fmt::join(places, ", "),
                     uses > places.size() ? ", ..." : "");
}

// A declaration as written, in a code block; a long one (an enum of thousands of
// members) cut after its first 1,000 bytes, at a line end when there is one.
std::string code_block(std::string_view text) {
  constexpr std::size_t limit = 1000;
  if (text.size() <= limit) return fmt::format("```sla\n{}\n```\n", text);
  std::string_view head = text.substr(0, limit);
  if (std::size_t line_end = head.rfind('\n'); line_end != std::string_view::npos && line_end > 0) {
    head = head.substr(0, line_end);
  }
  while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0xC0) == 0x80) head.remove_suffix(1);
  if (!head.empty() && static_cast<unsigned char>(head.back()) >= 0xC0) head.remove_suffix(1);
  return fmt::format("```sla\n{} ...\n```\n({} bytes in all)\n\n", head, text.size());
}

// The members of an enum, quoted: the first 20, then how many more.
std::string members_text(const ast::TypeRef& t) {
  constexpr std::size_t shown = 20;
  std::vector<std::string> members;
  for (std::size_t i = 0; i < t.members.size() && i < shown; ++i) members.push_back(fmt::format("`{}`", t.members[i].text));
  std::string more = t.members.size() > shown ? fmt::format(" and {} more", t.members.size() - shown) : "";
  return fmt::format("{}{}", fmt::join(members, ", "), more);
}

// explain's plain words for an SLA or KPI, each condition as written; nullopt while the
// contract has errors (there is no plan to explain).
std::optional<std::string> sla_words(const Analysis& a, std::string_view name) {
  if (!a.compilation.ok()) return std::nullopt;
  const Model& m = a.compilation.model;
  std::vector<ParamValue> values;
  for (const auto& p : m.params) values.push_back(p.value);
  try {
    Plan plan = lower(m, values);
    for (const SlaPlan& s : plan.slas) {
      if (s.name != name) continue;
      return explain_sla(plan, s, [&](NodeId n) {
        std::string text(trim_blanks(a.program().sources.text(plan.nodes[n].source)));
        return text.empty() ? std::string("(the condition)") : "\u201c" + text + "\u201d";
      });
    }
  } catch (const std::exception&) {
    // A plan that cannot be made for these values (the evaluator says why): no summary.
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> hover(const Analysis& a, std::uint32_t offset) {
  auto at = a.occurrence_at(offset);
  if (!at) return std::nullopt;
  std::size_t index = a.occurrences[*at].declared;
  const Declared& d = a.names[index];
  const Model& model = a.compilation.model;
  std::string out;
  std::string where = d.unit == 0 ? std::string()
                                  : fmt::format("declared in `{}`\n\n", a.program().units[d.unit].key);
  switch (d.kind) {
    case NameKind::param: {
      out += code_block(source_text(a, d.decl));
      for (const ParamInfo& p : model.params) {
        if (p.decl == d.name_range) {
          out += fmt::format("value **{}** ({})\n\n", p.value.to_string(), param_type_name(p.value.type));
        }
      }
      out += where + uses_text(a, index);
      break;
    }
    case NameKind::signal:
    case NameKind::attribute: {
      const ast::TypeRef* type = nullptr;
      if (const auto* s = std::get_if<ast::SignalDecl>(&d.ast->v)) type = &s->type;
      if (const auto* s = std::get_if<ast::AttributeDecl>(&d.ast->v)) type = &s->type;
      out += code_block(source_text(a, d.decl));
      out += fmt::format("{} {} of type `{}`", d.level == Level::site ? "site" : "device", kind_word(d.kind),
                         type ? (type->is_enum ? std::string("enum") : std::string(type->name.text)) : "?");
      if (type && type->is_enum) out += fmt::format(", members {}", members_text(*type));
      out += "\n\n" + where + uses_text(a, index);
      break;
    }
    case NameKind::member: {
      const Declared& owner = a.names[*d.owner];
      const ast::TypeRef* type = nullptr;
      if (const auto* s = std::get_if<ast::SignalDecl>(&owner.ast->v)) type = &s->type;
      if (const auto* s = std::get_if<ast::AttributeDecl>(&owner.ast->v)) type = &s->type;
      out += fmt::format("`{}`: a member of the enum {} `{}` ({})\n\n", d.name, kind_word(owner.kind), owner.name,
                         type ? members_text(*type) : "");
      out += where + uses_text(a, index);
      break;
    }
    case NameKind::state: {
      out += code_block(source_text(a, d.decl));
      for (const StateInfo& s : model.states) {
        if (s.decl != d.name_range) continue;
        std::string_view level = s.traits.device_dependent ? "a device-level condition"
                                 : s.traits.site_dependent ? "a site-level condition"
                                                           : "a condition the same for every site and device";
        out += fmt::format("{}{}\n\n", level, s.traits.dynamic ? " that changes over time" : ", fixed over time");
      }
      out += where + uses_text(a, index);
      break;
    }
    case NameKind::calendar: {
      out += code_block(source_text(a, d.decl));
      if (const auto* c = std::get_if<ast::CalendarDecl>(&d.ast->v)) out += calendar_words(a, *c) + "\n";
      out += where + uses_text(a, index);
      break;
    }
    case NameKind::holidays:
    case NameKind::periods:
      out += code_block(source_text(a, d.decl)) + where + uses_text(a, index);
      break;
    case NameKind::sla:
    case NameKind::kpi: {
      out += fmt::format("**{} {}**\n\n", d.kind == NameKind::kpi ? "kpi" : "sla", d.name);
      if (auto words = sla_words(a, d.name)) {
        out += fmt::format("```text\n{}```\n", *words);
      } else {
        out += "(no summary while the contract has errors)\n";
      }
      out += where;
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Definitions and references

std::optional<json> definition(const Analysis& a, std::uint32_t offset, const Locator& where) {
  if (auto at = a.occurrence_at(offset)) return where.location(a, a.names[a.occurrences[*at].declared].name_range);
  // On the file name of an import: the file's start.
  const Program& p = a.program();
  for (const ast::Decl& d : p.units[0].ast.decls) {
    const auto* imp = std::get_if<ast::ImportDecl>(&d.v);
    if (imp == nullptr || offset < imp->path.range.begin || offset > imp->path.range.end) continue;
    if (auto u = unit_of_import(a, *imp)) return where.location(a, Range{p.units[*u].file, 0, 0});
  }
  return std::nullopt;
}

json references(const Analysis& a, std::uint32_t offset, bool with_declaration, const Locator& where) {
  json out = json::array();
  auto at = a.occurrence_at(offset);
  if (!at) return out;
  std::size_t declared = a.occurrences[*at].declared;
  for (std::size_t o : a.occurrences_of(declared)) {
    const Range& r = a.occurrences[o].range;
    if (!with_declaration && r == a.names[declared].name_range) continue;
    if (auto loc = where.location(a, r)) out.push_back(std::move(*loc));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Completion

namespace {

// LSP CompletionItemKind values.
enum ItemKind { item_function = 3, item_field = 5, item_variable = 6, item_class = 7, item_property = 10,
                item_value = 12, item_keyword = 14, item_enum_member = 20, item_constant = 21, item_event = 23 };

constexpr std::string_view top_words[] = {"contract", "customer", "timezone", "currency", "version", "import",
                                          "param", "signal", "site", "device", "attribute", "holidays",
                                          "periods", "calendar", "state", "sla", "kpi", "test"};
constexpr std::string_view clause_words[] = {
    "in", "any", "calendar", "rolling", "day", "week", "month", "quarter", "year", "days", "weeks", "hours",
    "months", "starting", "period", "timezone", "on", "site", "device", "sites", "devices", "every", "all",
    "at", "least", "most", "no", "more", "than", "of", "weighted", "by", "where", "average", "per", "mean",
    "events", "unknown", "as", "for", "the", "time", "rounded", "to", "with", "outage", "outages", "longer",
    "downtime", "less", "during", "only", "excluding", "penalty", "below", "cap", "warn", "counted",
    "intervals", "failed", "if", "over", "attainment", "shortfall", "downtime_hours"};
constexpr std::string_view test_words[] = {"from", "to", "set", "site", "device", "at", "every", "day",
                                           "expect", "on", "in", "met", "breached", "near", "miss", "not",
                                           "attainment", "none", "within", "penalty", "outages", "longest",
                                           "outage", "measured", "good", "total", "rounded", "downtime",
                                           "events", "verdict"};
constexpr std::string_view condition_words[] = {"seen", "within", "not", "and", "or", "during", "lasting",
                                                "at", "least", "ignoring", "gaps", "under", "up", "to", "each",
                                                "per", "calendar", "in", "true", "false", "site", "device"};
constexpr std::string_view type_words[] = {"bool", "number", "string", "event", "timezone", "enum"};

struct Items {
  json list = json::array();
  std::set<std::string> seen;
  void add(std::string_view label, int kind, std::string_view detail = {}, std::optional<std::string> insert = {}) {
    if (!seen.insert(std::string(label)).second) return;
    json item = {{"label", label}, {"kind", kind}};
    if (!detail.empty()) item["detail"] = detail;
    if (insert) item["insertText"] = *insert;
    list.push_back(std::move(item));
  }
  template <std::size_t N>
  void keywords(const std::string_view (&words)[N]) {
    for (std::string_view w : words) add(w, item_keyword);
  }
};

int item_kind(NameKind k) {
  switch (k) {
    case NameKind::param: return item_variable;
    case NameKind::signal: return item_event;
    case NameKind::attribute: return item_property;
    case NameKind::holidays:
    case NameKind::periods: return item_constant;
    case NameKind::calendar: return item_value;
    case NameKind::state: return item_function;
    case NameKind::sla:
    case NameKind::kpi: return item_class;
    case NameKind::member: return item_enum_member;
  }
  return item_value;
}

void add_names(const Analysis& a, Items& items, std::initializer_list<NameKind> kinds) {
  for (const Declared& d : a.names) {
    if (std::find(kinds.begin(), kinds.end(), d.kind) == kinds.end()) continue;
    if (d.kind == NameKind::attribute) continue;  // attributes are reached through site. and device.
    items.add(d.name, item_kind(d.kind), kind_word(d.kind));
  }
}

// The block the cursor is in: top level, an SLA or KPI, or a test.
enum class Block { top, sla, test };

}  // namespace

json completion(const Analysis& a, std::uint32_t offset) {
  const std::vector<Token>& tokens = a.tokens;
  std::string_view text = a.root().text();
  auto word = [&](std::size_t i) { return text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin); };
  // The tokens wholly before the cursor. A word, number or unclosed string the cursor is
  // in or just after is being typed and left out; punctuation (`==`, `.`, `{`) and a
  // closed string just before the cursor are complete.
  std::size_t before = 0;
  while (before < tokens.size() && tokens[before].end < offset) ++before;
  bool in_string = false;
  if (before < tokens.size() && tokens[before].begin < offset) {
    const Token& t = tokens[before];
    bool closed_string = t.kind == TokenKind::string && t.end - t.begin >= 2 && text[t.end - 1] == '"';
    if (t.end == offset && (t.kind == TokenKind::punct || closed_string)) {
      ++before;
    } else {
      in_string = t.kind == TokenKind::string;
    }
  }
  Items items;
  auto prev = [&](std::size_t back) -> std::string_view {
    return before >= back ? word(before - back) : std::string_view();
  };
  // Zone names: in the string after `timezone` or a calendar's `in`, or as a new string.
  if (prev(1) == "timezone" || (in_string && prev(1) == "in")) {
    for (std::string_view zone : zone_names()) {
      items.add(zone, item_value, "IANA time zone", in_string ? std::optional<std::string>{} : fmt::format("\"{}\"", zone));
    }
    return items.list;
  }
  if (in_string) return items.list;
  // Enum members after `==`, `!=`, `in {`.
  std::optional<std::size_t> owner;
  if ((prev(1) == "==" || prev(1) == "!=") && before >= 2) {
    owner = operand_owner(a, text, tokens, before - 2);
  } else if (prev(1) == "{" || prev(1) == ",") {
    std::size_t i = before;
    while (i > 0 && (word(i - 1) == "," || tokens[i - 1].kind == TokenKind::word)) --i;
    if (i >= 3 && word(i - 1) == "{" && word(i - 2) == "in") owner = operand_owner(a, text, tokens, i - 3);
  }
  if (owner) {
    for (std::size_t m : a.members_of(*owner)) items.add(a.names[m].name, item_enum_member, a.names[*owner].name);
    return items.list;
  }
  if (prev(1) == "." && (prev(2) == "site" || prev(2) == "device")) {
    Level level = prev(2) == "site" ? Level::site : Level::device;
    for (const Declared& d : a.names) {
      if (d.kind == NameKind::attribute && d.level == level) items.add(d.name, item_property, "attribute");
    }
    return items.list;
  }
  if (prev(1) == ":") {
    items.keywords(type_words);
    return items.list;
  }
  if (prev(1) == "during") {
    add_names(a, items, {NameKind::calendar});
    return items.list;
  }
  if (prev(1) == "except") {
    add_names(a, items, {NameKind::holidays});
    return items.list;
  }
  if (prev(1) == "seen") {
    add_names(a, items, {NameKind::signal});
    return items.list;
  }
  if (prev(1) == "expect") {
    add_names(a, items, {NameKind::sla, NameKind::kpi});
    items.add("total", item_keyword);
    return items.list;
  }
  if (prev(1) == "set") {
    add_names(a, items, {NameKind::param});
    return items.list;
  }
  if (prev(1) == "by" || (prev(1) == "any" && prev(2) == "on")) {
    for (const Declared& d : a.names) {
      if (d.kind == NameKind::attribute) items.add(d.name, item_property, "attribute");
    }
    if (prev(1) == "any") {
      items.add("site", item_keyword);
      items.add("device", item_keyword);
    }
    return items.list;
  }
  // A condition: after `only`, `excluding`, `where`, `and`, `or`, `not`, `(`, or a
  // state's `=`: states, signals and params, and the words of conditions.
  auto is_one_of = [](std::string_view w, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), w) != words.end();
  };
  if (is_one_of(prev(1), {"only", "excluding", "where", "and", "or", "not", "("}) ||
      (prev(1) == "=" && prev(3) == "state")) {
    items.keywords(condition_words);
    add_names(a, items, {NameKind::state, NameKind::signal, NameKind::param});
    return items.list;
  }
  // A requirement's state: `at least 2 `, `at most 1 `, `no more than 3 `, `all `.
  if (prev(1) == "all" ||
      (before >= 2 && tokens[before - 1].kind == TokenKind::number && is_one_of(prev(2), {"least", "most", "than"}))) {
    add_names(a, items, {NameKind::state});
    items.add("of", item_keyword);
    return items.list;
  }
  // After `of`: a calendar (`of business_hours`), `devices`, `the time`, a signal's events.
  if (prev(1) == "of") {
    add_names(a, items, {NameKind::calendar, NameKind::signal});
    items.add("devices", item_keyword);
    items.add("the", item_keyword);
    return items.list;
  }
  // A penalty amount: params, the row's figures, attributes.
  if (is_one_of(prev(1), {"penalty", "cap"})) {
    add_names(a, items, {NameKind::param});
    for (std::string_view w : {"attainment", "shortfall", "downtime_hours", "site", "device", "below"}) {
      items.add(w, item_keyword);
    }
    return items.list;
  }
  // The block: count braces, not those of `enum { ... }` and `in { ... }`.
  Block block = Block::top;
  int depth = 0;
  std::vector<bool> inline_braces;
  for (std::size_t i = 0; i < before; ++i) {
    std::string_view w = word(i);
    if (w == "{") {
      bool inline_set = i > 0 && (word(i - 1) == "enum" || word(i - 1) == "in");
      inline_braces.push_back(inline_set);
      if (!inline_set && depth++ == 0) {
        block = Block::top;
        for (std::size_t k = i; k-- > 0;) {
          std::string_view opener = word(k);
          if (opener == "sla" || opener == "kpi") block = Block::sla;
          if (opener == "test") block = Block::test;
          if (opener == "sla" || opener == "kpi" || opener == "test" || opener == "}") break;
        }
      }
    } else if (w == "}" && !inline_braces.empty()) {
      bool inline_set = inline_braces.back();
      inline_braces.pop_back();
      if (!inline_set && --depth == 0) block = Block::top;
    }
  }
  if (depth <= 0) block = Block::top;
  // The start of a line: a new declaration, clause or item.
  bool line_start = before == 0 || a.root().location(tokens[before - 1].end).line < a.root().location(offset).line;
  switch (block) {
    case Block::top:
      if (line_start) {
        items.keywords(top_words);
      } else {
        items.keywords(condition_words);
        add_names(a, items, {NameKind::state, NameKind::signal, NameKind::param, NameKind::calendar});
      }
      break;
    case Block::sla:
      items.keywords(clause_words);
      items.keywords(condition_words);
      add_names(a, items, {NameKind::state, NameKind::signal, NameKind::param, NameKind::calendar, NameKind::periods});
      break;
    case Block::test:
      items.keywords(test_words);
      add_names(a, items, {NameKind::sla, NameKind::kpi, NameKind::signal, NameKind::param});
      break;
  }
  return items.list;
}

// ---------------------------------------------------------------------------
// Outline

json document_symbols(const Analysis& a) {
  // LSP SymbolKind values.
  enum { module = 2, klass = 5, method = 6, property = 7, function = 12, constant = 14, array = 18, object = 19,
         enum_member = 22, event = 24 };
  json out = json::array();
  const SourceFile& root = a.root();
  auto symbol = [&](std::string_view name, int kind, Range whole, Range selection, std::string_view detail) {
    json s = {{"name", name.empty() ? std::string("(unnamed)") : std::string(name)},
              {"kind", kind},
              {"range", range_json(root, whole)},
              {"selectionRange", range_json(root, selection)}};
    if (!detail.empty()) s["detail"] = detail;
    return s;
  };
  std::vector<std::size_t> root_names;
  for (std::size_t i = 0; i < a.names.size(); ++i) {
    if (a.names[i].unit == 0) root_names.push_back(i);
  }
  std::size_t next = 0;
  for (const ast::Decl& decl : a.program().units[0].ast.decls) {
    if (const auto* c = std::get_if<ast::ContractDecl>(&decl.v)) {
      out.push_back(symbol(c->name.value, module, decl.range, c->name.range, "contract"));
      continue;
    }
    if (const auto* t = std::get_if<ast::TestDecl>(&decl.v)) {
      out.push_back(symbol(t->name.value, method, decl.range, t->name.range, "test"));
      continue;
    }
    if (const auto* imp = std::get_if<ast::ImportDecl>(&decl.v)) {
      out.push_back(symbol(imp->path.value, module, decl.range, imp->path.range, "import"));
      continue;
    }
    json* owner = nullptr;
    for (; next < root_names.size() && a.names[root_names[next]].ast == &decl; ++next) {
      const Declared& d = a.names[root_names[next]];
      static constexpr int kinds[] = {constant, event, property, array, array, object, function, klass, klass, enum_member};
      Range whole = d.kind == NameKind::member ? d.name_range : d.decl;
      json s = symbol(d.name, kinds[static_cast<int>(d.kind)], whole, d.name_range, kind_word(d.kind));
      if (d.kind == NameKind::member && owner != nullptr) {
        if (!owner->contains("children")) (*owner)["children"] = json::array();
        (*owner)["children"].push_back(std::move(s));
      } else {
        out.push_back(std::move(s));
        owner = &out.back();
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Formatting

Formatting formatting(const Analysis& a) {
  const Diagnostics& diags = a.compilation.diags;
  if (diags.has_errors()) {
    return {std::nullopt, fmt::format("the contract has {} error{}; not formatted (as `slac fmt` leaves it)",
                                      diags.error_count(), diags.error_count() == 1 ? "" : "s")};
  }
  Diagnostics syntax;
  auto formatted = format_source(a.root(), syntax);
  if (!formatted) return {std::nullopt, "the contract has syntax errors; not formatted"};
  json edits = json::array();
  if (*formatted != a.root().text()) {
    edits.push_back({{"range", range_json(a.root(), Range{a.root().id(), 0, static_cast<std::uint32_t>(a.root().text().size())})},
                     {"newText", *formatted}});
  }
  return {std::move(edits), {}};
}

}  // namespace slac::lsp
