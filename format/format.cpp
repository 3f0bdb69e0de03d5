// The formatter: prints the syntax tree in one canonical layout (docs/authoring.md),
// with each comment kept before, or at the end of the line of, what it annotates.
#include "format/format.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "base/time.hpp"
#include "grammar/ast.hpp"
#include "grammar/keywords.hpp"
#include "grammar/parse.hpp"

namespace slac {
namespace {

struct Comment {
  std::uint32_t begin;
  std::uint32_t end;  // before the line end
  std::string text;   // from `#`, trailing spaces removed
  bool own_line;      // nothing but blanks before it on its line
  bool used = false;
};

// Every comment of the file, found by a scan that skips texts in quotes.
std::vector<Comment> find_comments(std::string_view t) {
  std::vector<Comment> out;
  bool line_blank = true;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '"') {
      line_blank = false;
      ++i;
      while (i < t.size() && t[i] != '"' && t[i] != '\n') i += (t[i] == '\\' && i + 1 < t.size()) ? 2 : 1;
      continue;
    }
    if (c == '#') {
      std::size_t e = t.find('\n', i);
      if (e == std::string_view::npos) e = t.size();
      std::string text(t.substr(i, e - i));
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.pop_back();
      out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e), text, line_blank});
      i = e;
      line_blank = true;
      continue;
    }
    if (c == '\n') {
      line_blank = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      line_blank = false;
    }
  }
  return out;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  return out + "\"";
}


class Printer {
 public:
  Printer(const SourceFile& file, std::vector<Comment> comments) : file_(file), comments_(std::move(comments)) {}

  std::string run(const ast::File& ast);

 private:
  std::uint32_t line_of(std::uint32_t offset) const { return file_.location(offset).line; }

  // Comments before `begin` not yet printed, as lines (own-line comments) at `indent`.
  void leading(std::uint32_t begin, const std::string& indent) {
    for (auto& c : comments_) {
      if (c.used || c.begin >= begin) continue;
      c.used = true;
      out_ += indent + c.text + "\n";
    }
  }
  // Comments inside [begin, end) that are not at the end of its last line: moved before it.
  void inside(std::uint32_t begin, std::uint32_t end, const std::string& indent) {
    std::uint32_t last_line = line_of(end == 0 ? 0 : end - 1);
    for (auto& c : comments_) {
      if (c.used || c.begin < begin || c.begin >= end) continue;
      if (line_of(c.begin) == last_line && !c.own_line) continue;
      c.used = true;
      out_ += indent + c.text + "\n";
    }
  }
  // A comment on the same line after `end`, before `limit` (where the next element
  // starts): printed at the end of the line.
  const Comment* find_trailing(std::uint32_t end, std::uint32_t limit) const {
    std::uint32_t line = line_of(end == 0 ? 0 : end - 1);
    for (const auto& c : comments_) {
      if (c.used || c.own_line || c.begin < end) continue;
      if (line_of(c.begin) != line || c.begin >= limit) return nullptr;
      return &c;
    }
    return nullptr;
  }
  std::string trailing(std::uint32_t end, std::uint32_t limit = UINT32_MAX) {
    const Comment* c = find_trailing(end, limit);
    if (c == nullptr) return "";
    const_cast<Comment*>(c)->used = true;
    return "  " + c->text;
  }
  bool has_trailing(std::uint32_t end, std::uint32_t limit) const { return find_trailing(end, limit) != nullptr; }
  bool blank_line_between(std::uint32_t from, std::uint32_t to) const {
    std::string_view t = file_.text();
    int newlines = 0;
    for (std::uint32_t i = from; i < to && i < t.size(); ++i) {
      if (t[i] == '\n') {
        if (++newlines >= 2) return true;
      } else if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r') {
        newlines = 0;  // a comment in between: count from after it
      }
    }
    return false;
  }

  std::string value(const ast::Value& v) const;
  std::string fixed_duration(const ast::Value& v) const;
  std::string expr(const ast::Expr& e) const;
  std::string number_expr(const ast::NumExpr& e) const;
  std::string operand(const ast::Operand& o) const;
  std::string amount(const ast::Amount& a) const;
  std::string time(const ast::TimeLit& t) const;
  std::string entity(const ast::EntityId& id) const;
  std::string type(const ast::TypeRef& t) const;
  std::string clause(const ast::Clause& c) const;
  std::string test_item(const ast::TestItem& item) const;
  std::string attrs(const std::vector<ast::AttrAssign>& a) const;

  void contract(const ast::ContractDecl& c);
  void sla(const ast::SlaDecl& s);
  void test(const ast::TestDecl& t);
  std::string simple(const ast::Decl& d, std::size_t pad) const;

  const SourceFile& file_;
  std::vector<Comment> comments_;
  std::string out_;
};

// The duration of `for ... of D` and of `up to D` as written: it quotes a regulation's
// figure (NEVI's 525,600 minutes would read as `365d`, California's 72 hours a year
// as `3d`).
std::string Printer::fixed_duration(const ast::Value& v) const {
  if (!std::holds_alternative<ast::DurationLit>(v.v)) return value(v);
  return std::string(file_.text().substr(v.range.begin, v.range.end - v.range.begin));
}

std::string Printer::value(const ast::Value& v) const {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::NumberLit>) return x.value.to_string();
        if constexpr (std::is_same_v<T, ast::PercentLit>) return x.value.to_string() + "%";
        if constexpr (std::is_same_v<T, ast::DurationLit>) return canonical_duration(x.ms);
        if constexpr (std::is_same_v<T, ast::BoolLit>) return x.value ? "true" : "false";
        if constexpr (std::is_same_v<T, ast::StringLit>) return quote(x.value);
        if constexpr (std::is_same_v<T, ast::DateLit>) return fmt::format("{:04}-{:02}-{:02}", x.year, x.month, x.day);
        if constexpr (std::is_same_v<T, ast::NameValue>) return std::string(x.name);
        return "";
      },
      v.v);
}

std::string Printer::operand(const ast::Operand& o) const {
  switch (o.scope) {
    case ast::AttrScope::device: return fmt::format("device.{}", o.name.text);
    case ast::AttrScope::site: return fmt::format("site.{}", o.name.text);
    default: return std::string(o.name.text);
  }
}

std::string Printer::amount(const ast::Amount& a) const {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::Value>) return value(x);
        if constexpr (std::is_same_v<T, ast::Operand>) return operand(x);
        if constexpr (std::is_same_v<T, ast::AmountParen>) return "(" + amount(*x.inner) + ")";
        if constexpr (std::is_same_v<T, ast::AmountChain>) {
          static constexpr std::string_view ops[] = {"+", "-", "*", "/", "of"};
          std::string out = amount(*x.first);
          for (const auto& step : x.rest) out += fmt::format(" {} {}", ops[static_cast<int>(step.op)], amount(step.operand));
          return out;
        }
        return "";
      },
      a.v);
}

// Operators spaced, parentheses kept as written.
std::string Printer::number_expr(const ast::NumExpr& e) const {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::Value>) {
          return value(x);
        } else if constexpr (std::is_same_v<T, ast::Operand>) {
          return operand(x);
        } else if constexpr (std::is_same_v<T, ast::NumParen>) {
          return "(" + number_expr(*x.inner) + ")";
        } else {
          std::string out = number_expr(*x.operands[0]);
          for (std::size_t i = 0; i < x.ops.size(); ++i) out += fmt::format(" {} {}", x.ops[i], number_expr(*x.operands[i + 1]));
          return out;
        }
      },
      e.v);
}

std::string Printer::expr(const ast::Expr& e) const {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::Compare>) {
          static constexpr std::string_view ops[] = {"==", "!=", "<", "<=", ">", ">="};
          return fmt::format("{} {} {}", operand(x.lhs), ops[static_cast<int>(x.op)], value(x.rhs));
        } else if constexpr (std::is_same_v<T, ast::InSet>) {
          std::vector<std::string> vs;
          for (const auto& v : x.members) vs.push_back(value(v));
          return fmt::format("{} in {{ {} }}", operand(x.lhs), fmt::join(vs, ", "));
        } else if constexpr (std::is_same_v<T, ast::Ref>) {
          return operand(x.operand);
        } else if constexpr (std::is_same_v<T, ast::Seen>) {
          return fmt::format("seen {} within {}", x.signal.text, value(x.within));
        } else if constexpr (std::is_same_v<T, ast::During>) {
          return fmt::format("during {}", x.calendar.text);
        } else if constexpr (std::is_same_v<T, ast::BoolConst>) {
          return x.value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, ast::Not>) {
          return "not " + expr(*x.operand);
        } else if constexpr (std::is_same_v<T, ast::And> || std::is_same_v<T, ast::Or>) {
          std::vector<std::string> parts;
          for (const auto& o : x.operands) parts.push_back(expr(*o));
          return fmt::format("{}", fmt::join(parts, std::is_same_v<T, ast::And> ? " and " : " or "));
        } else if constexpr (std::is_same_v<T, ast::Lasting>) {
          return fmt::format("{} lasting at least {}", expr(*x.operand), value(x.at_least));
        } else if constexpr (std::is_same_v<T, ast::IgnoringGaps>) {
          return fmt::format("{} ignoring gaps under {}", expr(*x.operand), value(x.under));
        } else if constexpr (std::is_same_v<T, ast::Capped>) {
          if (!x.per) return fmt::format("{} up to {} each", expr(*x.operand), fixed_duration(x.up_to));
          return fmt::format("{} up to {} per calendar {}", expr(*x.operand), fixed_duration(x.up_to),
                             ast::unit_word(*x.per));
        } else {
          return "(" + expr(*x.inner) + ")";
        }
      },
      e.v);
}

std::string Printer::time(const ast::TimeLit& t) const {
  if (t.year_only) return fmt::format("{:04}", t.year);
  if (t.month_only) return fmt::format("{:04}-{:02}", t.year, t.month);
  std::string out = fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
  if (!t.has_clock) return out;
  std::string clock = fmt::format("{:02}:{:02}", t.hour, t.minute);
  if (t.second != 0 || t.millisecond != 0 || t.has_offset) clock += fmt::format(":{:02}", t.second);
  if (t.millisecond != 0) clock += fmt::format(".{:03}", t.millisecond);
  if (!t.has_offset) return out + " " + clock;
  std::string zone = t.offset_minutes == 0 ? "Z"
                                           : fmt::format("{}{:02}:{:02}", t.offset_minutes < 0 ? '-' : '+',
                                                         std::abs(t.offset_minutes) / 60, std::abs(t.offset_minutes) % 60);
  return out + "T" + clock + zone;
}

std::string Printer::entity(const ast::EntityId& id) const {
  const std::string& s = id.text;
  bool word = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':';
  });
  if (word && !grammar::is_reserved_word(s)) return s;
  return quote(s);
}

std::string Printer::type(const ast::TypeRef& t) const {
  if (!t.is_enum) return std::string(t.name.text);
  std::vector<std::string_view> ms;
  for (const auto& m : t.members) ms.push_back(m.text);
  return fmt::format("enum {{ {} }}", fmt::join(ms, ", "));
}

std::string Printer::attrs(const std::vector<ast::AttrAssign>& a) const {
  if (a.empty()) return "";
  std::vector<std::string> parts;
  for (const auto& x : a) parts.push_back(fmt::format("{} = {}", x.name.text, value(x.value)));
  return fmt::format(" {{ {} }}", fmt::join(parts, ", "));
}

std::string Printer::clause(const ast::Clause& c) const {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::WindowClause>) {
          std::string out;
          if (x.rolling) {
            out = fmt::format("in any rolling {} {}", value(x.count), ast::unit_word(x.rolling_unit));
          } else if (x.period) {
            out = fmt::format("in any period of {} {} starting {}", value(x.count), ast::unit_word(x.rolling_unit),
                              value(*x.anchor));
          } else if (x.periods) {
            out = fmt::format("in any {} period", x.periods->text);
          } else {
            out = fmt::format("in any calendar {}", ast::unit_word(x.unit));
            if (x.start_clock) {
              out += " starting ";
              if (x.start_day) out += fmt::format("{} ", ast::weekday_word(*x.start_day));
              out += fmt::format("{:02}:{:02}", x.start_clock->hour, x.start_clock->minute);
            }
          }
          return out + (x.site_zone ? " in site timezone" : "");
        } else if constexpr (std::is_same_v<T, ast::GroupingClause>) {
          std::string g;
          switch (x.kind) {
            case ast::GroupingKind::any_site: g = "on any site"; break;
            case ast::GroupingKind::any_device: g = "on any device"; break;
            case ast::GroupingKind::any_attribute: g = fmt::format("on any {}", x.attribute->text); break;
            case ast::GroupingKind::any_site_attribute: g = fmt::format("on any site.{}", x.attribute->text); break;
            case ast::GroupingKind::every_site: g = "on every site"; break;
            case ast::GroupingKind::percent_of_sites: g = fmt::format("on at least {} of sites", value(*x.percent)); break;
            case ast::GroupingKind::all_sites: g = "across all sites"; break;
          }
          if (x.where) g += " where " + expr(*x.where);
          return g;
        } else if constexpr (std::is_same_v<T, ast::RequirementClause>) {
          if (x.kind == ast::RequirementKind::mean) {
            std::string unknown = x.unknown_as ? ", unknown as " + value(*x.unknown_as) : "";
            return fmt::format("mean of {}{}", number_expr(*x.mean), unknown);
          }
          std::string state = expr(*x.state);
          switch (x.kind) {
            case ast::RequirementKind::at_least:
            case ast::RequirementKind::percent_bare:
              return fmt::format("at least {} {}", value(*x.amount), state);
            case ast::RequirementKind::percent_of_devices: return fmt::format("at least {} of devices {}", value(*x.amount), state);
            case ast::RequirementKind::weighted:
              return fmt::format("at least {} {} weighted by {}", value(*x.amount), state, x.weight->text);
            case ast::RequirementKind::site_attribute: return fmt::format("at least site.{} {}", x.site_attribute->text, state);
            case ast::RequirementKind::at_most: return fmt::format("at most {} {}", value(*x.amount), state);
            case ast::RequirementKind::no_more_than: return fmt::format("no more than {} {}", value(*x.amount), state);
            case ast::RequirementKind::all: return "all " + state;
            case ast::RequirementKind::per_device: return state;
            case ast::RequirementKind::average_pooled: return "on average " + state;
            case ast::RequirementKind::average_per_device: return "on average per device " + state;
            case ast::RequirementKind::events: return fmt::format("{} of {} events", state, x.events_signal->text);
            case ast::RequirementKind::mean: break;  // above
          }
          return state;
        } else if constexpr (std::is_same_v<T, ast::ForObjective>) {
          std::string of = x.calendar      ? fmt::format(" of {}", x.calendar->text)
                           : x.of_duration ? " of " + fixed_duration(*x.of_duration)
                           : x.of_the_time ? " of the time"
                                           : "";
          if (x.events_signal) of = fmt::format(" of {} events", x.events_signal->text);
          std::string rounded = x.rounded_to ? " rounded to " + value(*x.rounded_to) : "";
          return fmt::format("for {} {}{}{}", x.more_than ? "more than" : "at least", value(x.percent), of, rounded);
        } else if constexpr (std::is_same_v<T, ast::NoOutageObjective>) {
          return fmt::format("with no outage longer than {}", value(x.longer_than));
        } else if constexpr (std::is_same_v<T, ast::OutageCountObjective>) {
          std::string n = value(x.count);
          std::string out = fmt::format("with at most {} {}", n, n == "1" ? "outage" : "outages");
          if (x.longer_than) out += " longer than " + value(*x.longer_than);
          return out;
        } else if constexpr (std::is_same_v<T, ast::DowntimeObjective>) {
          return fmt::format("with {} {} of downtime", x.less_than ? "less than" : "at most", value(x.duration));
        } else if constexpr (std::is_same_v<T, ast::DuringClause>) {
          return fmt::format("during {}", x.calendar.text);
        } else if constexpr (std::is_same_v<T, ast::OnlyClause>) {
          return "only " + expr(*x.condition);
        } else if constexpr (std::is_same_v<T, ast::ExcludingClause>) {
          return "excluding " + expr(*x.condition);
        } else if constexpr (std::is_same_v<T, ast::PenaltyFixed>) {
          return "penalty " + amount(x.amount);
        } else if constexpr (std::is_same_v<T, ast::PenaltyTiers>) {
          std::vector<std::string> tiers;
          for (const auto& t : x.tiers) tiers.push_back(fmt::format("below {}: {}", value(t.below), amount(t.amount)));
          return fmt::format("penalty {{ {} }}", fmt::join(tiers, ", "));
        } else if constexpr (std::is_same_v<T, ast::PenaltyCap>) {
          return "penalty cap " + amount(x.amount);
        } else if constexpr (std::is_same_v<T, ast::CountedClause>) {
          std::string how = x.failed_if == ast::FailedIf::any   ? "any"
                            : x.failed_if == ast::FailedIf::all ? "all"
                                                                : "over " + value(*x.over);
          return fmt::format("counted in {} intervals, failed if {}", value(x.length), how);
        } else {
          return "warn below " + value(x.below);
        }
      },
      c.v);
}

// The canonical order of clauses; objectives `with ...` keep their written order.
int clause_rank(const ast::Clause& c) {
  return std::visit(
      [](const auto& x) -> int {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::WindowClause>) return 0;
        if constexpr (std::is_same_v<T, ast::GroupingClause>) return 1;
        if constexpr (std::is_same_v<T, ast::RequirementClause>) return 2;
        if constexpr (std::is_same_v<T, ast::CountedClause>) return 3;
        if constexpr (std::is_same_v<T, ast::ForObjective>) return 4;
        if constexpr (std::is_same_v<T, ast::NoOutageObjective> || std::is_same_v<T, ast::OutageCountObjective> ||
                      std::is_same_v<T, ast::DowntimeObjective>) {
          return 5;
        }
        if constexpr (std::is_same_v<T, ast::DuringClause>) return 6;
        if constexpr (std::is_same_v<T, ast::OnlyClause>) return 7;
        if constexpr (std::is_same_v<T, ast::ExcludingClause>) return 8;
        if constexpr (std::is_same_v<T, ast::PenaltyFixed> || std::is_same_v<T, ast::PenaltyTiers>) return 9;
        if constexpr (std::is_same_v<T, ast::PenaltyCap>) return 10;
        return 11;
      },
      c.v);
}

std::string Printer::test_item(const ast::TestItem& item) const {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::TestSpanItem>) {
          return fmt::format("from {} to {}", time(x.from), time(x.to));
        } else if constexpr (std::is_same_v<T, ast::TestSetItem>) {
          return fmt::format("set {} = {}", x.param.text, value(x.value));
        } else if constexpr (std::is_same_v<T, ast::TestSiteItem>) {
          return fmt::format("site {}{}", entity(x.id), attrs(x.attributes));
        } else if constexpr (std::is_same_v<T, ast::TestDeviceItem>) {
          return fmt::format("device {} at {}{}", entity(x.id), entity(x.site), attrs(x.attributes));
        } else if constexpr (std::is_same_v<T, ast::TestEventItem>) {
          return fmt::format("at {} {} {}{}", time(x.at), entity(x.entity), x.signal.text, x.value ? " = " + value(*x.value) : "");
        } else if constexpr (std::is_same_v<T, ast::TestRepeatItem>) {
          return fmt::format("every {} from {} to {} {} {}{}",
                             x.daily_at ? fmt::format("day at {:02}:{:02}", x.daily_at->hour, x.daily_at->minute)
                                        : value(x.every),
                             time(x.from), time(x.to), entity(x.entity),
                             x.signal.text, x.value ? " = " + value(*x.value) : "");
        } else {
          if (x.what == ast::ExpectWhat::total_penalty) return "expect total penalty " + value(*x.value);
          std::string out = fmt::format("expect {}", x.sla->text);
          if (x.verdict) out += " verdict";
          if (x.group) out += " on " + (x.group->text == "*" ? std::string("*") : entity(*x.group));
          if (x.window) out += " in " + time(*x.window);
          switch (x.what) {
            case ast::ExpectWhat::met: return out + " met";
            case ast::ExpectWhat::breached: return out + " breached";
            case ast::ExpectWhat::near_miss: return out + " near miss";
            case ast::ExpectWhat::not_near_miss: return out + " not near miss";
            case ast::ExpectWhat::attainment:
              return out + " attainment " + value(*x.value) + (x.tolerance ? " within " + value(*x.tolerance) : "");
            case ast::ExpectWhat::attainment_none: return out + " attainment none";
            case ast::ExpectWhat::penalty: return out + " penalty " + value(*x.value);
            case ast::ExpectWhat::outages: return out + " outages " + value(*x.value);
            case ast::ExpectWhat::longest_outage: return out + " longest outage " + value(*x.value);
            case ast::ExpectWhat::measured: return out + " measured " + value(*x.value);
            case ast::ExpectWhat::good: return out + " good " + value(*x.value);
            case ast::ExpectWhat::rounded_attainment: return out + " rounded attainment " + value(*x.value);
            case ast::ExpectWhat::downtime: return out + " downtime " + value(*x.value);
            case ast::ExpectWhat::events: return out + " events " + value(*x.value);
            case ast::ExpectWhat::good_events: return out + " good events " + value(*x.value);
            default: return out;
          }
        }
      },
      item.v);
}

void Printer::contract(const ast::ContractDecl& c) {
  out_ += fmt::format("contract {}", quote(c.name.value));
  out_ += trailing(c.name.range.end);
  out_ += '\n';
  auto item = [&](const char* key, std::string text, Range r) {
    leading(r.begin, "  ");
    out_ += fmt::format("  {} {}", key, text);
    out_ += trailing(r.end);
    out_ += '\n';
  };
  if (c.customer) item("customer", quote(c.customer->value), c.customer->range);
  if (c.timezone) item("timezone", quote(c.timezone->value), c.timezone->range);
  if (c.currency) item("currency", std::string(c.currency->text), c.currency->range);
  if (c.version) item("version", quote(c.version->value), c.version->range);
}

void Printer::sla(const ast::SlaDecl& s) {
  out_ += fmt::format("{} {} {{", s.is_kpi ? "kpi" : "sla", s.name.text);
  // A comment after `{` on the first line.
  std::uint32_t brace = s.name.range.end;
  out_ += trailing(brace + 1);
  out_ += '\n';
  std::vector<const ast::Clause*> clauses;
  for (const auto& c : s.clauses) clauses.push_back(&c);
  // Where the next clause (in the text) starts: a comment after that belongs to it.
  auto limit = [&](const ast::Clause& c) {
    std::uint32_t next = s.range.end - 1;
    for (const auto& o : s.clauses) {
      if (o.range.begin >= c.range.end) next = std::min(next, o.range.begin);
    }
    return next;
  };
  std::stable_sort(clauses.begin(), clauses.end(), [](const auto* a, const auto* b) { return clause_rank(*a) < clause_rank(*b); });
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    const ast::Clause& c = *clauses[i];
    // The window and grouping share the first line, the requirement and `for at least`
    // the second, unless a comment ends the first of a pair.
    const ast::Clause* partner = nullptr;
    int rank = clause_rank(c);
    if (i + 1 < clauses.size() && ((rank == 0 && clause_rank(*clauses[i + 1]) == 1) || (rank == 2 && clause_rank(*clauses[i + 1]) == 4)) &&
        !has_trailing(c.range.end, limit(c))) {
      partner = clauses[i + 1];
    }
    leading(c.range.begin, "  ");
    inside(c.range.begin, c.range.end, "  ");
    std::string line = "  " + clause(c);
    if (partner != nullptr) {
      leading(partner->range.begin, "  ");
      inside(partner->range.begin, partner->range.end, "  ");
      line += (rank == 0 ? ", " : " ") + clause(*partner);
      if (rank == 0) line += ",";
      line += trailing(partner->range.end, limit(*partner));
      ++i;
    } else {
      if (rank == 0 || rank == 1) line += ",";
      line += trailing(c.range.end, limit(c));
    }
    out_ += line + "\n";
  }
  std::uint32_t close = s.range.end - 1;
  leading(close, "  ");
  out_ += "}";
  out_ += trailing(s.range.end);
  out_ += '\n';
}

void Printer::test(const ast::TestDecl& t) {
  out_ += fmt::format("test {} {{", quote(t.name.value));
  out_ += trailing(t.name.range.end + 2);
  out_ += '\n';
  for (std::size_t i = 0; i < t.items.size(); ++i) {
    const auto& item = t.items[i];
    std::uint32_t next = i + 1 < t.items.size() ? t.items[i + 1].range.begin : t.range.end - 1;
    leading(item.range.begin, "  ");
    inside(item.range.begin, item.range.end, "  ");
    out_ += "  " + test_item(item) + trailing(item.range.end, next) + "\n";
  }
  leading(t.range.end - 1, "  ");
  out_ += "}";
  out_ += trailing(t.range.end);
  out_ += '\n';
}

// The text of a one-line declaration; `pad` aligns its `:` or `=` within a run.
std::string Printer::simple(const ast::Decl& d, std::size_t pad) const {
  auto padded = [&](std::string_view name) { return std::string(name) + std::string(pad > name.size() ? pad - name.size() : 0, ' '); };
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::ImportDecl>) {
          return "import " + quote(x.path.value);
        } else if constexpr (std::is_same_v<T, ast::ParamDecl>) {
          return fmt::format("param {} = {}", padded(x.name.text), value(x.value));
        } else if constexpr (std::is_same_v<T, ast::SignalDecl>) {
          return fmt::format("{}signal {} : {}", x.level == ast::Level::site ? "site " : "", padded(x.name.text), type(x.type));
        } else if constexpr (std::is_same_v<T, ast::AttributeDecl>) {
          return fmt::format("{} attribute {} : {}{}", x.level == ast::Level::site ? "site" : "device", padded(x.name.text),
                             type(x.type), x.default_value ? " = " + value(*x.default_value) : "");
        } else if constexpr (std::is_same_v<T, ast::HolidaysDecl> || std::is_same_v<T, ast::PeriodsDecl>) {
          std::vector<std::string> ds;
          for (const auto& v : x.dates) ds.push_back(value(v));
          return fmt::format("{} {} = {}", std::is_same_v<T, ast::HolidaysDecl> ? "holidays" : "periods", x.name.text,
                             fmt::join(ds, ", "));
        } else if constexpr (std::is_same_v<T, ast::CalendarDecl>) {
          std::vector<std::string> spans;
          for (const auto& s : x.spans) {
            std::string d = s.daily      ? "daily"
                            : s.is_range ? fmt::format("{}-{}", ast::weekday_word(s.first), ast::weekday_word(s.last))
                                         : std::string(ast::weekday_word(s.first));
            spans.push_back(fmt::format("{} {:02}:{:02}-{:02}:{:02}", d, s.start.hour, s.start.minute, s.end.hour, s.end.minute));
          }
          std::string out = fmt::format("calendar {} = {}", x.name.text, fmt::join(spans, ", "));
          if (x.zone == ast::ZoneKind::site) out += " in site timezone";
          if (x.zone == ast::ZoneKind::named && x.zone_name) out += " in " + quote(x.zone_name->value);
          if (!x.except.empty()) {
            std::vector<std::string_view> hs;
            for (const auto& h : x.except) hs.push_back(h.text);
            out += fmt::format(" except {}", fmt::join(hs, ", "));
          }
          return out;
        } else if constexpr (std::is_same_v<T, ast::StateDecl>) {
          return fmt::format("state {} = {}", padded(x.name.text), expr(*x.expr));
        } else {
          return "";
        }
      },
      d.v);
}

// Which run of aligned declarations a declaration belongs to, if any.
std::string run_kind(const ast::Decl& d) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::ParamDecl>) return "param";
        if constexpr (std::is_same_v<T, ast::StateDecl>) return "state";
        if constexpr (std::is_same_v<T, ast::SignalDecl>) return x.level == ast::Level::site ? "site signal" : "signal";
        if constexpr (std::is_same_v<T, ast::AttributeDecl>) return x.level == ast::Level::site ? "site attribute" : "device attribute";
        return "";
      },
      d.v);
}

std::string_view decl_name(const ast::Decl& d) {
  return std::visit(
      [](const auto& x) -> std::string_view {
        if constexpr (requires { x.name.text; }) {
          if constexpr (std::is_same_v<decltype(x.name.text), std::string_view>) return x.name.text;
        }
        return {};
      },
      d.v);
}

std::string Printer::run(const ast::File& file) {
  const auto& decls = file.decls;
  // Alignment: the longest name in each run of consecutive declarations of one kind
  // with no blank line between them.
  // Trailing comments in a run line up too, two spaces after its longest line.
  std::vector<std::size_t> pad(decls.size(), 0);
  std::vector<std::size_t> comment_column(decls.size(), 0);
  for (std::size_t i = 0; i < decls.size();) {
    std::string kind = run_kind(decls[i]);
    std::size_t j = i + 1;
    if (!kind.empty()) {
      while (j < decls.size() && run_kind(decls[j]) == kind && !blank_line_between(decls[j - 1].range.end, decls[j].range.begin)) ++j;
      std::size_t width = 0;
      for (std::size_t k = i; k < j; ++k) width = std::max(width, decl_name(decls[k]).size());
      std::size_t longest = 0;
      for (std::size_t k = i; k < j; ++k) {
        pad[k] = width;
        longest = std::max(longest, simple(decls[k], width).size());
      }
      if (j - i > 1) {
        for (std::size_t k = i; k < j; ++k) comment_column[k] = longest;
      }
    }
    i = j;
  }
  // One blank line wherever the text had at least one between two declarations or
  // comments; none at the start.
  std::uint32_t cursor = 0;
  bool first = true;
  for (std::size_t i = 0; i < decls.size(); ++i) {
    const ast::Decl& d = decls[i];
    for (auto& c : comments_) {
      if (c.used || c.begin >= d.range.begin) continue;
      if (!first && blank_line_between(cursor, c.begin)) out_ += '\n';
      c.used = true;
      out_ += c.text + "\n";
      cursor = c.end;
      first = false;
    }
    if (!first && blank_line_between(cursor, d.range.begin)) out_ += '\n';
    first = false;
    if (const auto* c = std::get_if<ast::ContractDecl>(&d.v)) {
      contract(*c);
    } else if (const auto* s = std::get_if<ast::SlaDecl>(&d.v)) {
      sla(*s);
    } else if (const auto* t = std::get_if<ast::TestDecl>(&d.v)) {
      test(*t);
    } else {
      inside(d.range.begin, d.range.end, "");
      std::string text = simple(d, pad[i]);
      std::string comment = trailing(d.range.end, i + 1 < decls.size() ? decls[i + 1].range.begin : UINT32_MAX);
      if (!comment.empty() && comment_column[i] > text.size()) text += std::string(comment_column[i] - text.size(), ' ');
      out_ += text + comment + "\n";
    }
    cursor = d.range.end;
  }
  // Comments after the last declaration.
  for (auto& c : comments_) {
    if (c.used) continue;
    if (!first && blank_line_between(cursor, c.begin)) out_ += '\n';
    first = false;
    c.used = true;
    out_ += c.text + "\n";
    cursor = c.end;
  }
  return out_;
}

}  // namespace

std::optional<std::string> format_source(const SourceFile& file, Diagnostics& diags) {
  ast::File ast = parse_file(file, diags);
  if (diags.has_errors()) return std::nullopt;
  Printer printer(file, find_comments(file.text()));
  return printer.run(ast);
}

namespace {

std::vector<std::string_view> split_lines(const std::string& s) {
  std::vector<std::string_view> lines;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t nl = s.find('\n', at);
    if (nl == std::string::npos) nl = s.size();
    lines.push_back(std::string_view(s).substr(at, nl - at));
    at = nl + 1;
  }
  return lines;
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after, const std::string& name) {
  if (before == after) return "";
  auto a = split_lines(before);
  auto b = split_lines(after);
  // Myers' O(ND) shortest edit script, with the trace kept to walk it back.
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  const long max = n + m;
  std::vector<long> v(static_cast<std::size_t>(2 * max + 2), 0);
  std::vector<std::vector<long>> trace;
  long d_end = 0;
  for (long d = 0; d <= max; ++d) {
    trace.push_back(v);
    bool done = false;
    for (long k = -d; k <= d; k += 2) {
      long x;
      if (k == -d || (k != d && v[static_cast<std::size_t>(k - 1 + max)] < v[static_cast<std::size_t>(k + 1 + max)])) {
        x = v[static_cast<std::size_t>(k + 1 + max)];
      } else {
        x = v[static_cast<std::size_t>(k - 1 + max)] + 1;
      }
      long y = x - k;
      while (x < n && y < m && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) {
        ++x;
        ++y;
      }
      v[static_cast<std::size_t>(k + max)] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    if (done) {
      d_end = d;
      break;
    }
  }
  // Walk back: a list of (kind, line) with kind ' ', '-' or '+'.
  std::vector<std::pair<char, std::string_view>> script;
  long x = n, y = m;
  for (long d = d_end; d > 0; --d) {
    const auto& vv = trace[static_cast<std::size_t>(d)];
    long k = x - y;
    long prev_k;
    if (k == -d || (k != d && vv[static_cast<std::size_t>(k - 1 + max)] < vv[static_cast<std::size_t>(k + 1 + max)])) {
      prev_k = k + 1;
    } else {
      prev_k = k - 1;
    }
    long prev_x = vv[static_cast<std::size_t>(prev_k + max)];
    long prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      script.push_back({' ', a[static_cast<std::size_t>(x - 1)]});
      --x;
      --y;
    }
    if (x == prev_x) {
      script.push_back({'+', b[static_cast<std::size_t>(y - 1)]});
      --y;
    } else {
      script.push_back({'-', a[static_cast<std::size_t>(x - 1)]});
      --x;
    }
  }
  while (x > 0 && y > 0) {
    script.push_back({' ', a[static_cast<std::size_t>(x - 1)]});
    --x;
    --y;
  }
  std::reverse(script.begin(), script.end());
  // Hunks with 3 lines of context.
  std::string out = fmt::format("--- {}\n+++ {} (formatted)\n", name, name);
  const std::size_t context = 3;
  std::size_t i = 0;
  while (i < script.size()) {
    if (script[i].first == ' ') {
      ++i;
      continue;
    }
    std::size_t start = i >= context ? i - context : 0;
    std::size_t end = i;
    // Extend while changes come within 2*context lines.
    std::size_t last_change = i;
    for (std::size_t j = i; j < script.size(); ++j) {
      if (script[j].first != ' ') last_change = j;
      if (j - last_change > 2 * context) break;
      end = j;
    }
    end = std::min(script.size() - 1, last_change + context);
    // Line numbers of the hunk's first line in each text.
    std::size_t a_line = 1, b_line = 1;
    for (std::size_t j = 0; j < start; ++j) {
      if (script[j].first != '+') ++a_line;
      if (script[j].first != '-') ++b_line;
    }
    std::size_t a_count = 0, b_count = 0;
    std::string body;
    for (std::size_t j = start; j <= end; ++j) {
      if (script[j].first != '+') ++a_count;
      if (script[j].first != '-') ++b_count;
      body += fmt::format("{}{}\n", script[j].first, script[j].second);
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_count == 0 ? a_line - 1 : a_line, a_count, b_count == 0 ? b_line - 1 : b_line, b_count);
    out += body;
    i = end + 1;
  }
  return out;
}

}  // namespace slac
