// The one translation unit that instantiates the PEGTL grammar: the error-reporting
// control, statement-level recovery, and the parse-tree to AST builder.
#include "grammar/parse.hpp"

#include <algorithm>
#include <new>
#include <utility>
#include <tuple>

#include <date/date.h>
#include <fmt/format.h>

#include <tao/pegtl/contrib/analyze.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "base/time.hpp"
#include "grammar/errors.hpp"
#include "grammar/grammar.hpp"

namespace slac {
namespace {

namespace pegtl = tao::pegtl;
namespace g = slac::grammar;

// A parse-tree node. The parser makes one for every selected rule it tries and drops it
// when the rule fails, so most nodes live briefly: they come from a free list of this
// thread's, not from the heap each time.
struct Node : pegtl::parse_tree::basic_node<Node> {
  static void* operator new(std::size_t size) {
    if (size != sizeof(Node)) return ::operator new(size);
    FreeList& f = free_list();
    if (f.head == nullptr) return ::operator new(size);
    void* p = f.head;
    f.head = f.head->next;
    --f.count;
    return p;
  }
  static void operator delete(void* p, std::size_t size) {
    FreeList& f = free_list();
    if (size != sizeof(Node) || f.count >= max_free) {
      ::operator delete(p);
      return;
    }
    f.head = new (p) Free{f.head};
    ++f.count;
  }

 private:
  struct Free {
    Free* next;
  };
  struct FreeList {
    Free* head = nullptr;
    std::size_t count = 0;
    ~FreeList() {
      while (head != nullptr) ::operator delete(std::exchange(head, head->next));
    }
  };
  static constexpr std::size_t max_free = 4096;
  static FreeList& free_list() {
    thread_local FreeList f;
    return f;
  }
};

// The state threaded through the parse: where errors go, and where the last one was
// (recover_item skips past it).
struct ParseState {
  const SourceFile& file;
  Diagnostics& diags;
  std::size_t last_error_byte = 0;
};

template <typename T, typename First, typename... Rest>
T& find_state(First& first, Rest&... rest) {
  if constexpr (std::is_same_v<std::decay_t<First>, T>) {
    return first;
  } else {
    return find_state<T>(rest...);
  }
}

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c == '_'; }

// What the parser found where it expected something else, for the message, and how
// many bytes it spans, for the caret.
std::pair<std::string, std::size_t> describe_found(const char* p, const char* end) {
  if (p >= end) return {"end of file", 0};
  auto c = static_cast<unsigned char>(*p);
  if (c == '\n' || c == '\r') return {"end of line", 1};
  if (is_word_byte(c)) {
    const char* q = p;
    while (q < end && (is_word_byte(static_cast<unsigned char>(*q)) || (*q == '.' && q + 1 < end && std::isdigit(static_cast<unsigned char>(q[1]))))) ++q;
    std::size_t n = static_cast<std::size_t>(q - p);
    if (n > 40) return {fmt::format("`{}...`", std::string_view(p, 40)), n};
    return {fmt::format("`{}`", std::string_view(p, n)), n};
  }
  if (c < 0x20 || c == 0x7f) return {fmt::format("the control character 0x{:02x}", c), 1};
  if (c >= 0x80) {
    std::size_t n = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;
    n = std::min<std::size_t>(n, static_cast<std::size_t>(end - p));
    return {fmt::format("`{}`", std::string_view(p, n)), n};
  }
  return {fmt::format("`{}`", std::string_view(p, 1)), 1};
}

bool is_literal_byte(unsigned char c) {
  return is_word_byte(c) || c == '.' || c == ':' || c == '%' || c == '+' || c == '-';
}

// `in-service` or `out-of-service` where the parser stopped at its first word or at
// its first `-`: the whole hyphenated word, or empty.
std::string_view hyphenated_word(const char* at, const char* text_begin, const char* end) {
  const char* start = at;
  if (at < end && *at == '-') {
    while (start > text_begin && is_word_byte(static_cast<unsigned char>(start[-1]))) --start;
    if (start == at) return {};
  }
  if (start >= end || !(std::isalpha(static_cast<unsigned char>(*start)) || *start == '_')) return {};
  const char* q = start;
  bool hyphen = false;
  while (q < end) {
    if (is_word_byte(static_cast<unsigned char>(*q))) {
      ++q;
    } else if (*q == '-' && q > start && q + 1 < end && is_word_byte(static_cast<unsigned char>(q[-1])) &&
               is_word_byte(static_cast<unsigned char>(q[1]))) {
      hyphen = true;
      ++q;
    } else {
      break;
    }
  }
  return hyphen ? std::string_view(start, static_cast<std::size_t>(q - start)) : std::string_view();
}

// `5 min`: the number just before `at` on its line, if any, for the duration hint.
std::string_view number_before(const char* at, const char* text_begin) {
  const char* q = at;
  while (q > text_begin && (q[-1] == ' ' || q[-1] == '\t')) --q;
  const char* number_end = q;
  while (q > text_begin && (std::isdigit(static_cast<unsigned char>(q[-1])) || q[-1] == '_' || q[-1] == '.')) --q;
  if (q == number_end || (q > text_begin && is_word_byte(static_cast<unsigned char>(q[-1])))) return {};
  return std::string_view(q, static_cast<std::size_t>(number_end - q));
}

// `business hours` where the parser took `business` for a name and stopped at `hours`,
// and the file has `business_hours`: the words around `at` on its line, from one
// before it at least, that joined with `_` make a word written elsewhere in the file
// (the longest such run), or nullopt. A name of the
// author's that has a space in it stops the parser half way with a message about
// what the grammar expected, which does not help; the name itself does.
struct SpacedName {
  std::string_view written;  // `business hours`, as in the text
  std::string name;          // `business_hours`
};
std::optional<SpacedName> spaced_name(const char* at, std::string_view text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto name_start = [](const char* p) { return std::isalpha(static_cast<unsigned char>(*p)) || *p == '_'; };
  if (at >= end || !name_start(at) || (at > begin && is_word_byte(static_cast<unsigned char>(at[-1])))) return std::nullopt;
  // Up to 3 words before and 3 after the one found, separated by blanks on one line.
  std::vector<std::string_view> words;
  const char* p = at;
  for (int i = 0; i < 3; ++i) {
    const char* q = p;
    while (q > begin && (q[-1] == ' ' || q[-1] == '\t')) --q;
    if (q == p) break;
    const char* w = q;
    while (w > begin && is_word_byte(static_cast<unsigned char>(w[-1]))) --w;
    if (w == q || !name_start(w)) break;
    words.insert(words.begin(), std::string_view(w, static_cast<std::size_t>(q - w)));
    p = w;
  }
  std::size_t found = words.size();
  if (found == 0) return std::nullopt;
  p = at;
  for (int i = 0; i < 4; ++i) {
    const char* q = p;
    if (i > 0) {
      while (q < end && (*q == ' ' || *q == '\t')) ++q;
      if (q == p || q == end || !name_start(q)) break;
    }
    const char* w = q;
    while (w < end && is_word_byte(static_cast<unsigned char>(*w))) ++w;
    words.emplace_back(q, static_cast<std::size_t>(w - q));
    p = w;
  }
  // The joined runs that include the word found and the one before it (the parser took
  // that for a name and stopped at what follows), longest first.
  struct Run {
    std::size_t first, last;
    std::string joined;
  };
  std::vector<Run> runs;
  for (std::size_t first = 0; first < found; ++first) {
    for (std::size_t last = found; last < words.size(); ++last) {
      std::string joined(words[first]);
      for (std::size_t k = first + 1; k <= last; ++k) joined += fmt::format("_{}", words[k]);
      runs.push_back({first, last, std::move(joined)});
    }
  }
  std::stable_sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.last - a.first > b.last - b.first; });
  // Each run looked for in the file as a whole word (a few searches with memchr and
  // memcmp, not a pass over the file's words: fuzzed text can have 100 errors).
  for (const Run& run : runs) {
    for (std::size_t at_byte = text.find(run.joined); at_byte != std::string_view::npos;
         at_byte = text.find(run.joined, at_byte + 1)) {
      std::size_t after = at_byte + run.joined.size();
      bool whole = (at_byte == 0 || !is_word_byte(static_cast<unsigned char>(text[at_byte - 1]))) &&
                   (after == text.size() || !is_word_byte(static_cast<unsigned char>(text[after])));
      if (!whole) continue;
      const char* from = words[run.first].data();
      const char* to = words[run.last].data() + words[run.last].size();
      return SpacedName{std::string_view(from, static_cast<std::size_t>(to - from)), run.joined};
    }
  }
  return std::nullopt;
}

// For text that looks like a duration written another way (`5min`, `0.5h`, `5 mins`).
std::string duration_suffix(std::string_view token) {
  std::size_t i = 0;
  while (i < token.size() && (std::isdigit(static_cast<unsigned char>(token[i])) || token[i] == '_' || token[i] == '.')) ++i;
  std::size_t j = i;
  while (j < token.size() && token[j] == ' ') ++j;
  if (i == 0 || j == token.size()) return "";
  for (std::size_t k = j; k < token.size(); ++k) {
    if (!std::isalpha(static_cast<unsigned char>(token[k]))) return "";
  }
  auto hint = duration_hint(token);
  return hint ? "; " + *hint : "";
}

template <typename Rule>
struct control : pegtl::normal<Rule> {
  template <typename ParseInput, typename... States>
  [[noreturn]] static void raise(const ParseInput& in, States&&... st) {
    ParseState& ps = find_state<ParseState>(st...);
    const char* at = in.current();
    std::pair<std::string, std::size_t> described;
    if constexpr (g::expects_value<Rule>) {
      // A literal that failed part way: report it from its start, whole.
      const char* text_begin = ps.file.text().data();
      while (at > text_begin && at < in.end() && is_literal_byte(static_cast<unsigned char>(*at)) &&
             is_literal_byte(static_cast<unsigned char>(at[-1]))) {
        --at;
      }
      while (at > text_begin && at == in.end() && is_literal_byte(static_cast<unsigned char>(at[-1])) &&
             !is_word_byte(static_cast<unsigned char>(at[-1]))) {
        --at;
      }
      const char* q = at;
      while (q < in.end() && is_literal_byte(static_cast<unsigned char>(*q))) ++q;
      if (q > at) {
        std::string_view token(at, static_cast<std::size_t>(q - at));
        described = {token.size() > 40 ? fmt::format("`{}...`", token.substr(0, 40)) : fmt::format("`{}`", token),
                     token.size()};
      } else {
        described = describe_found(at, in.end());
      }
    } else {
      described = describe_found(at, in.end());
    }
    auto [found, width] = described;
    std::string message;
    Code code = Code::syntax;
    if constexpr (std::is_same_v<Rule, g::too_deep>) {
      code = Code::nesting;
    }
    const char* expected = g::error_message<Rule>;
    if (expected == nullptr) expected = "unexpected text";
    message = fmt::format("{}, found {}", expected, found);
    if constexpr (g::expects_name<Rule>) {
      // A reserved word where a name belongs: say so rather than "expected a name".
      pegtl::memory_input<> probe(in.current(), in.end(), "");
      if (pegtl::parse<g::reserved>(probe)) {
        code = Code::reserved_name;
        message = fmt::format("{} is a reserved word and cannot be used as a name", found);
      }
    }
    if constexpr (std::is_same_v<Rule, g::too_deep> || std::is_same_v<Rule, g::single_equals>) {
      message = expected;
    }
    // What was found, without its backticks (empty for "end of line" and the like).
    auto quoted = [](std::string_view f) {
      return f.size() > 2 && f.front() == '`' && f.back() == '`' ? f.substr(1, f.size() - 2) : std::string_view();
    };
    if constexpr (g::expects_value<Rule>) {
      message += duration_suffix(quoted(found));
    }
    if constexpr (std::is_same_v<Rule, g::decimal_comma> || std::is_same_v<Rule, g::thousands_comma>) {
      const char* q = at;
      while (q < in.end() && (std::isdigit(static_cast<unsigned char>(*q)) || *q == ',' || *q == '_' || *q == '%')) ++q;
      std::string written(at, q);
      std::string fixed = written;
      if constexpr (std::is_same_v<Rule, g::decimal_comma>) {
        std::replace(fixed.begin(), fixed.end(), ',', '.');
        message = fmt::format("{}: write `{}`, not `{}`", expected, fixed, written);
      } else {
        std::string plain = written;
        plain.erase(std::remove(plain.begin(), plain.end(), ','), plain.end());
        std::replace(fixed.begin(), fixed.end(), ',', '_');
        message = fmt::format("{}: write `{}` or `{}`, not `{}`", expected, plain, fixed, written);
      }
      width = written.size();
    }
    if constexpr (std::is_same_v<Rule, g::clause_end> || std::is_same_v<Rule, g::penalty_end> ||
                  std::is_same_v<Rule, g::statement>) {
      // Past the blanks to what follows the clause.
      while (at < in.end() && (*at == ' ' || *at == '\t')) ++at;
      std::tie(found, width) = describe_found(at, in.end());
      std::string_view word = quoted(found);
      std::string after;
      if (std::string_view number = number_before(at, ps.file.text().data()); !number.empty() && !word.empty()) {
        after = duration_suffix(fmt::format("{} {}", number, word));
      }
      if constexpr (std::is_same_v<Rule, g::penalty_end>) {
        bool code_like = word.size() == 3 && std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        if (code_like) {
          message = fmt::format("unexpected {} after the penalty amount; the currency is set in the contract header "
                                "(`currency {}`)", found, word);
        } else if (word == "per") {
          message = fmt::format("unexpected {} after the penalty amount; a fixed penalty is charged once for each "
                                "breached group and window, and another clause on the same line needs a `,` before it",
                                found);
        } else {
          message = fmt::format("unexpected {} after the penalty amount; another clause on the same line needs a `,` "
                                "before it", found);
        }
      } else if constexpr (std::is_same_v<Rule, g::clause_end>) {
        std::string whole;  // a message of its own, not "expected ..., found ..."
        if (word == "in" && after.empty()) {
          // `in "Asia/Kolkata"`, `in site tz`, `in site timezone` after the wrong clause.
          after = "; the only zone a clause takes is a window's `in site timezone` (each site's own zone), right "
                  "after the window: `in any calendar month in site timezone`; the contract's zone is set in its "
                  "header (`timezone \"Asia/Kolkata\"`)";
        } else if (word == "of" && after.empty()) {
          // `on average up of heartbeat events`: two measures in one requirement.
          std::string_view text = ps.file.text();
          std::size_t here = static_cast<std::size_t>(at - text.data());
          std::size_t line = text.rfind('\n', here == 0 ? 0 : here - 1);
          std::string_view before = text.substr(line == std::string_view::npos ? 0 : line + 1,
                                                here - (line == std::string_view::npos ? 0 : line + 1));
          std::string_view rest = text.substr(here + 2);
          std::size_t s = rest.find_first_not_of(" \t");
          std::size_t e = s == std::string_view::npos ? s : rest.find_first_of(" \t\r\n", s);
          std::string_view signal = s == std::string_view::npos ? std::string_view() : rest.substr(s, e - s);
          std::string_view next = e == std::string_view::npos ? std::string_view() : rest.substr(e);
          next.remove_prefix(std::min(next.size(), next.find_first_not_of(" \t")));
          std::size_t avg = before.find("on average");
          if (avg != std::string_view::npos && !signal.empty() && next.starts_with("events")) {
            code = Code::event_measure;
            std::string_view requirement = before.substr(avg);
            while (!requirement.empty() && (requirement.back() == ' ' || requirement.back() == '\t')) {
              requirement.remove_suffix(1);
            }
            std::string_view state = requirement.substr(std::string_view("on average").size());
            state.remove_prefix(std::min(state.size(), state.find_first_not_of(" \t")));
            if (state.starts_with("per device")) state.remove_prefix(std::string_view("per device").size());
            state.remove_prefix(std::min(state.size(), state.find_first_not_of(" \t")));
            whole = fmt::format("`on average` measures each device's time, and `of {0} events` counts events: an "
                                  "SLA has one requirement; write `{1} of {0} events` (every event counted), or "
                                  "drop `of {0} events`",
                                  signal, state);
            width = 2;
          }
        } else if (word == "starting" && after.empty()) {
          after = "; `starting` comes right after the window's unit, before any `in site timezone`: `in any "
                  "calendar day starting 06:00 in site timezone`";
        }
        message = !whole.empty() ? whole
                                 : fmt::format("{}, found {}{}", expected, found,
                                               after.empty() ? "; two clauses on one line need a `,` between them" : after);
      } else {
        message = fmt::format("{}, found {}{}", expected, found, after);
      }
    }
    if constexpr (!std::is_same_v<Rule, g::test_entity>) {
      // `of business hours` for `of business_hours`: the name meant, not the grammar's view.
      const char* word = at;
      while (word < in.end() && (*word == ' ' || *word == '\t')) ++word;
      if (auto spaced = spaced_name(word, ps.file.text())) {
        code = Code::syntax;
        message = fmt::format("`{}` is not a name (names have no spaces); did you mean `{}`?", spaced->written,
                              spaced->name);
        at = spaced->written.data();
        width = spaced->written.size();
      }
      // A name with `-` in it stops the parser at its first part or at the `-`.
      if (std::string_view word = hyphenated_word(at, ps.file.text().data(), in.end()); !word.empty()) {
        std::string underscored(word);
        std::replace(underscored.begin(), underscored.end(), '-', '_');
        code = Code::syntax;
        message = fmt::format("`{}` cannot be a name: names are letters, digits and `_`, not `-`; write `{}`", word,
                              underscored);
        at = word.data();
        width = word.size();
      }
    }
    auto begin = static_cast<std::uint32_t>(at - ps.file.text().data());
    ps.diags.error(code, Range{ps.file.id(), begin, static_cast<std::uint32_t>(begin + width)}, std::move(message));
    // Recovery resumes past what was reported (the whole of `99,5%`, not its `,5%`).
    ps.last_error_byte = std::max(in.byte(), static_cast<std::size_t>(at - ps.file.text().data()) + width);
    throw pegtl::parse_error(expected, in);
  }
};

// Parse-tree nodes are made for these rules only; everything else is structure.
template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        // literals
        g::date_lit, g::duration_lit, g::percent_lit, g::number_lit, g::bool_lit, g::string_lit, g::name, g::clock,
        g::time_lit, g::month_lit, g::year_lit, g::entity_word, g::all_groups, g::currency_code,
        // expressions
        g::or_expr, g::and_expr, g::not_op, g::postfix_expr, g::lasting_op, g::gaps_op, g::cap_op, g::cap_each, g::paren_expr, g::seen_expr,
        g::during_expr, g::bool_const, g::operand_atom, g::attr_operand, g::attr_scope, g::cmp_op, g::in_tail,
        // declarations
        g::contract_decl, g::customer_item, g::timezone_item, g::currency_item, g::version_item, g::import_decl,
        g::param_decl, g::signal_decl, g::site_decl, g::device_decl, g::attribute_decl, g::attr_default, g::enum_type,
        g::type_name, g::holidays_decl, g::calendar_decl, g::span, g::span_days, g::site_zone, g::cal_zone,
        g::cal_except, g::state_decl, g::sla_decl, g::kpi_decl, g::test_decl,
        // clauses
        g::window_clause, g::window_site_zone, g::calendar_window, g::window_start_day, g::rolling_window,
        g::period_window, g::period_unit, g::named_period_window, g::periods_decl, g::calendar_unit, g::rolling_unit,
        g::on_grouping,
        g::across_grouping, g::where_tail, g::any_site_attribute, g::any_site, g::any_device, g::any_attribute, g::grouping_every,
        g::grouping_percent, g::at_least_requirement, g::at_most_requirement, g::no_more_than_requirement,
        g::all_requirement, g::per_device_requirement, g::average_requirement, g::average_per_device, g::mean_requirement, g::mean_unknown,
        g::num_paren, g::num_product, g::num_sum, g::num_mul_op, g::num_add_op, g::site_count, g::of_devices, g::weighted_tail,
        g::for_objective, g::for_more_than, g::of_the_time, g::of_calendar, g::of_events, g::events_of, g::for_rounded,
        g::downtime_at_most, g::downtime_less_than, g::no_outage, g::outage_count_objective, g::outage_longer,
        g::during_clause, g::only_clause, g::excluding_clause, g::penalty_clause, g::penalty_cap, g::penalty_tiers,
        g::penalty_tier, g::amount_sum, g::amount_product, g::amount_paren, g::amount_times, g::amount_plus,
        g::warn_clause, g::counted_clause, g::failed_if_any, g::failed_if_all, g::failed_if_over,
        g::recover_item,
        // tests
        g::test_span, g::test_set, g::test_site, g::test_device, g::attr_assign, g::test_event, g::event_value,
        g::test_repeat, g::repeat_daily, g::test_expect, g::expect_total, g::expect_sla, g::expect_verdict, g::expect_group,
        g::expect_window, g::expect_met, g::expect_breached, g::expect_near_miss, g::expect_not_near_miss,
        g::expect_attainment, g::expect_attainment_none, g::expect_tolerance, g::expect_penalty, g::expect_outages,
        g::expect_longest, g::expect_measured, g::expect_good, g::expect_rounded, g::expect_downtime, g::expect_events,
        g::expect_good_events>>;

}  // namespace
}  // namespace slac

namespace slac::grammar {

// Skips a failed block item: to the error, then to the end of its line, a `,` or the
// block's `}`, passing over any `{ }` opened on the way. Strings and comments are
// skipped whole so that braces inside them do not count.
template <apply_mode A, rewind_mode M, template <typename...> class Action, template <typename...> class Control,
          typename ParseInput, typename... States>
bool recover_item::match(ParseInput& in, States&&... st) {
  ParseState& ps = find_state<ParseState>(st...);
  const char* begin = in.current();
  const char* end = in.end();
  const char* error_at = begin + (ps.last_error_byte > in.byte() ? ps.last_error_byte - in.byte() : 0);
  if (error_at > end) error_at = end;
  const char* q = begin;
  int depth = 0;
  auto step = [&] {
    char c = *q;
    if (c == '"') {
      ++q;
      while (q < end && *q != '"' && *q != '\n') q += (*q == '\\' && q + 1 < end) ? 2 : 1;
      if (q < end && *q == '"') ++q;
      return;
    }
    if (c == '#') {
      while (q < end && *q != '\n') ++q;
      return;
    }
    if (c == '{') ++depth;
    if (c == '}') --depth;
    ++q;
  };
  while (q < error_at && q < end) {
    if (*q == '}' && depth == 0) break;  // the block's own end
    step();
  }
  while (q < end) {
    char c = *q;
    if (depth <= 0 && (c == '\n' || c == '}' || (c == ',' && q >= error_at))) break;
    step();
  }
  if (q == begin) return false;
  in.bump(static_cast<std::size_t>(q - begin));
  return true;
}

}  // namespace slac::grammar

namespace slac {
namespace {

// ---------------------------------------------------------------------------
// Parse tree to AST.

class Builder {
 public:
  Builder(const SourceFile& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  ast::Decl decl(const Node& n);

 private:
  Range range(const Node& n) const {
    return Range{file_.id(), static_cast<std::uint32_t>(n.m_begin.byte), static_cast<std::uint32_t>(n.m_end.byte)};
  }
  Range span(const Node& first, const Node& last) const {
    return Range{file_.id(), static_cast<std::uint32_t>(first.m_begin.byte), static_cast<std::uint32_t>(last.m_end.byte)};
  }
  std::string_view text(const Node& n) const {
    return file_.text().substr(n.m_begin.byte, n.m_end.byte - n.m_begin.byte);
  }

  ast::Name name(const Node& n) const { return ast::Name{text(n), range(n)}; }
  ast::CalendarUnit calendar_unit(const Node& n) const {
    std::string_view unit = text(n);
    return unit == "day"       ? ast::CalendarUnit::day
           : unit == "week"    ? ast::CalendarUnit::week
           : unit == "month"   ? ast::CalendarUnit::month
           : unit == "quarter" ? ast::CalendarUnit::quarter
                               : ast::CalendarUnit::year;
  }
  ast::String string(const Node& n);
  ast::Value value(const Node& n);
  bool is_value(const Node& n) const;
  const Node& child(const Node& n, std::size_t i) const { return *n.children.at(i); }
  const Node* find(const Node& n, std::string_view type_name) const;
  template <typename Rule>
  const Node* find(const Node& n) const {
    for (const auto& c : n.children) {
      if (c->is_type<Rule>()) return c.get();
    }
    return nullptr;
  }
  std::optional<ast::Value> find_value(const Node& n, std::size_t from = 0) {
    for (std::size_t i = from; i < n.children.size(); ++i) {
      if (is_value(*n.children[i])) return value(*n.children[i]);
    }
    return std::nullopt;
  }

  ast::ExprPtr expr(const Node& n);
  ast::NumExprPtr number_expr(const Node& n);
  ast::ExprPtr atom(const Node& n);
  ast::Operand operand(const Node& n);
  ast::Amount amount(const Node& n);
  std::int64_t duration_ms(const Node& n);
  ast::DateLit date(const Node& n);
  ast::ClockTime clock(const Node& n);
  static ast::Weekday weekday(std::string_view word);
  ast::TimeLit time(const Node& n);
  ast::EntityId entity(const Node& n);
  ast::TypeRef type(const Node& n);

  ast::ContractDecl contract(const Node& n);
  ast::AttributeDecl attribute(const Node& n, ast::Level level);
  ast::CalendarDecl calendar(const Node& n);
  ast::SlaDecl sla(const Node& n, bool is_kpi);
  std::optional<ast::Clause> clause(const Node& n);
  ast::GroupingClause grouping(const Node& n);
  ast::RequirementClause requirement(const Node& n);
  ast::CountedClause counted(const Node& n);
  ast::TestDecl test(const Node& n);
  std::optional<ast::TestItem> test_item(const Node& n);
  ast::TestExpectItem expectation(const Node& n);
  std::vector<ast::AttrAssign> attr_assigns(const Node& n);

  const SourceFile& file_;
  Diagnostics& diags_;
};

ast::String Builder::string(const Node& n) {
  std::string_view raw = text(n);
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 2 < raw.size()) {
      char e = raw[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      out += c;
    }
  }
  return ast::String{std::move(out), range(n)};
}

bool Builder::is_value(const Node& n) const {
  return n.is_type<g::date_lit>() || n.is_type<g::duration_lit>() || n.is_type<g::percent_lit>() ||
         n.is_type<g::number_lit>() || n.is_type<g::bool_lit>() || n.is_type<g::string_lit>() || n.is_type<g::name>();
}

std::int64_t Builder::duration_ms(const Node& n) {
  std::string_view s = text(n);
  i128 total = 0;
  i128 number = 0;
  bool overflow = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') continue;
    if (c >= '0' && c <= '9') {
      // Once too long, the rest is only read (40 digits would overflow even i128).
      if (!overflow) number = number * 10 + (c - '0');
      if (number > (static_cast<i128>(1) << 64)) overflow = true;
      continue;
    }
    std::int64_t unit = 1;
    if (c == 'm' && i + 1 < s.size() && s[i + 1] == 's') {
      ++i;
    } else {
      switch (c) {
        case 's': unit = 1000; break;
        case 'm': unit = 60'000; break;
        case 'h': unit = 3'600'000; break;
        case 'd': unit = 86'400'000; break;
        case 'w': unit = 604'800'000; break;
        default: break;
      }
    }
    if (!overflow) total += number * unit;
    number = 0;
    if (total > std::numeric_limits<std::int64_t>::max()) overflow = true;
  }
  if (overflow) {
    diags_.error(Code::number_range, range(n), fmt::format("duration `{}` is too long", s));
    return 0;
  }
  return static_cast<std::int64_t>(total);
}

ast::DateLit Builder::date(const Node& n) {
  std::string_view s = text(n);
  int y = std::stoi(std::string(s.substr(0, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  if (auto problem = date_problem(y, m, d)) {
    diags_.error(Code::bad_date, range(n), fmt::format("`{}` is not a date: {}", s, *problem));
  } else if (y < 1970) {
    diags_.error(Code::bad_date, range(n), fmt::format("`{}` is before 1970", s));
  }
  return ast::DateLit{y, m, d};
}

ast::Weekday Builder::weekday(std::string_view word) {
  for (int k = 0; k < 7; ++k) {
    if (ast::weekday_word(static_cast<ast::Weekday>(k)) == word) return static_cast<ast::Weekday>(k);
  }
  return ast::Weekday::mon;
}

ast::ClockTime Builder::clock(const Node& n) {
  std::string_view s = text(n);
  auto colon = s.find(':');
  unsigned h = static_cast<unsigned>(std::stoi(std::string(s.substr(0, colon))));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(colon + 1))));
  if (m > 59 || h > 24 || (h == 24 && m != 0)) {
    diags_.error(Code::bad_clock, range(n), fmt::format("`{}` is not a time of day between 00:00 and 24:00", s));
    h = 0;
    m = 0;
  }
  return ast::ClockTime{h, m, range(n)};
}

ast::TimeLit Builder::time(const Node& n) {
  std::string_view s = text(n);
  ast::TimeLit t{};
  t.range = range(n);
  auto num = [&](std::size_t pos, std::size_t len) { return std::stoi(std::string(s.substr(pos, len))); };
  t.year = num(0, 4);
  if (n.is_type<g::year_lit>()) {
    t.year_only = true;
    t.month = 1;
    t.day = 1;
    if (t.year < 1970) diags_.error(Code::bad_date, range(n), fmt::format("`{}` is not a year from 1970 on", s));
    return t;
  }
  t.month = static_cast<unsigned>(num(5, 2));
  if (n.is_type<g::month_lit>()) {
    t.month_only = true;
    t.day = 1;
    if (auto problem = date_problem(t.year, t.month, 1)) {
      diags_.error(Code::bad_date, range(n), fmt::format("`{}` is not a month: {}", s, *problem));
    } else if (t.year < 1970) {
      diags_.error(Code::bad_date, range(n), fmt::format("`{}` is before 1970", s));
    }
    return t;
  }
  t.day = static_cast<unsigned>(num(8, 2));
  if (auto problem = date_problem(t.year, t.month, t.day)) {
    diags_.error(Code::bad_date, range(n), fmt::format("`{}` is not a date: {}", s.substr(0, 10), *problem));
  } else if (t.year < 1970) {
    diags_.error(Code::bad_date, range(n), fmt::format("`{}` is before 1970", s.substr(0, 10)));
  }
  std::size_t i = 10;
  if (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == 'T' || s[i] == 't')) ++i;
    t.has_clock = true;
    t.hour = static_cast<unsigned>(num(i, 2));
    t.minute = static_cast<unsigned>(num(i + 3, 2));
    i += 5;
    if (i < s.size() && s[i] == ':') {
      t.second = static_cast<unsigned>(num(i + 1, 2));
      i += 3;
      if (i < s.size() && s[i] == '.') {
        std::size_t j = i + 1;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        std::string frac(s.substr(i + 1, j - i - 1));
        while (frac.size() < 3) frac += '0';
        t.millisecond = static_cast<unsigned>(std::stoi(frac));
        i = j;
      }
    }
    if (t.hour > 23 || t.minute > 59 || t.second > 59) {
      diags_.error(Code::bad_clock, range(n), fmt::format("`{}` is not a time of day", s.substr(10)));
    }
    if (i < s.size()) {
      t.has_offset = true;
      if (s[i] == 'Z' || s[i] == 'z') {
        t.offset_minutes = 0;
      } else {
        int sign = s[i] == '-' ? -1 : 1;
        int oh = num(i + 1, 2);
        int om = num(i + 4, 2);
        if (oh > 23 || om > 59) {
          diags_.error(Code::bad_clock, range(n), fmt::format("`{}` is not a UTC offset", s.substr(i)));
        }
        t.offset_minutes = sign * (oh * 60 + om);
      }
    }
  }
  return t;
}

ast::Value Builder::value(const Node& n) {
  ast::Value v;
  v.range = range(n);
  std::string_view s = text(n);
  std::size_t errors_before = diags_.error_count();
  if (n.is_type<g::date_lit>()) {
    v.v = date(n);
  } else if (n.is_type<g::duration_lit>()) {
    v.v = ast::DurationLit{duration_ms(n)};
  } else if (n.is_type<g::percent_lit>() || n.is_type<g::number_lit>()) {
    bool percent = n.is_type<g::percent_lit>();
    std::string_view digits = percent ? s.substr(0, s.size() - 1) : s;
    auto d = Decimal::parse(digits);
    if (!d) {
      diags_.error(Code::number_range, range(n),
                   fmt::format("`{}` is too large or has too many decimal places (at most 18 digits)", s));
      d = Decimal{};
    }
    if (percent) {
      v.v = ast::PercentLit{*d};
    } else {
      v.v = ast::NumberLit{*d};
    }
  } else if (n.is_type<g::bool_lit>()) {
    v.v = ast::BoolLit{s == "true"};
  } else if (n.is_type<g::string_lit>()) {
    v.v = ast::StringLit{string(n).value};
  } else {
    v.v = ast::NameValue{s};
  }
  v.invalid = diags_.error_count() > errors_before;
  return v;
}

ast::Operand Builder::operand(const Node& n) {
  ast::Operand op;
  op.range = range(n);
  if (n.is_type<g::attr_operand>()) {
    op.scope = text(child(n, 0)) == "device" ? ast::AttrScope::device : ast::AttrScope::site;
    op.name = name(child(n, 1));
  } else {
    op.name = name(n);
  }
  return op;
}

ast::Amount Builder::amount(const Node& n) {
  ast::Amount a;
  a.range = range(n);
  if (n.is_type<g::amount_sum>() || n.is_type<g::amount_product>()) {
    if (n.children.size() == 1) return amount(child(n, 0));
    ast::AmountChain chain{std::make_unique<ast::Amount>(amount(child(n, 0))), {}};
    for (std::size_t i = 1; i + 1 < n.children.size(); i += 2) {
      const Node& op = child(n, i);
      std::string_view t = text(op);
      ast::AmountOp o = t == "+"   ? ast::AmountOp::add
                        : t == "-" ? ast::AmountOp::subtract
                        : t == "*" ? ast::AmountOp::multiply
                        : t == "/" ? ast::AmountOp::divide
                                   : ast::AmountOp::percent_of;
      chain.rest.push_back(ast::AmountStep{o, amount(child(n, i + 1)), range(op)});
    }
    a.v = std::move(chain);
  } else if (n.is_type<g::amount_paren>()) {
    a.v = ast::AmountParen{std::make_unique<ast::Amount>(amount(child(n, 0)))};
  } else if (n.is_type<g::attr_operand>()) {
    a.v = operand(n);
  } else {
    a.v = value(n);
  }
  return a;
}

ast::ExprPtr Builder::expr(const Node& n) {
  auto make = [&](auto&& node, Range r) {
    auto e = std::make_unique<ast::Expr>();
    e->v = std::forward<decltype(node)>(node);
    e->range = r;
    return e;
  };
  if (n.is_type<g::or_expr>() || n.is_type<g::and_expr>()) {
    if (n.children.size() == 1) return expr(child(n, 0));
    std::vector<ast::ExprPtr> operands;
    for (const auto& c : n.children) operands.push_back(expr(*c));
    if (n.is_type<g::or_expr>()) return make(ast::Or{std::move(operands)}, range(n));
    return make(ast::And{std::move(operands)}, range(n));
  }
  if (n.is_type<g::not_op>()) {
    return make(ast::Not{expr(child(n, 0))}, range(n));
  }
  if (n.is_type<g::postfix_expr>()) {
    ast::ExprPtr e = atom(child(n, 0));
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      const Node& op = child(n, i);
      Range r = span(child(n, 0), op);
      ast::Value d = value(child(op, 0));
      if (op.is_type<g::lasting_op>()) {
        e = make(ast::Lasting{std::move(e), std::move(d)}, r);
      } else if (op.is_type<g::cap_op>()) {
        const Node& allowance = child(op, 1);
        std::optional<ast::CalendarUnit> per;
        if (allowance.is_type<g::calendar_unit>()) per = calendar_unit(allowance);
        e = make(ast::Capped{std::move(e), std::move(d), per}, r);
      } else {
        e = make(ast::IgnoringGaps{std::move(e), std::move(d)}, r);
      }
    }
    return e;
  }
  return atom(n);
}

ast::NumExprPtr Builder::number_expr(const Node& n) {
  auto e = std::make_unique<ast::NumExpr>();
  e->range = range(n);
  if (n.is_type<g::num_sum>() || n.is_type<g::num_product>()) {
    if (n.children.size() == 1) return number_expr(child(n, 0));
    ast::NumChain chain;
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      if (i % 2 == 1) {
        chain.ops.push_back(text(child(n, i)).front());
      } else {
        chain.operands.push_back(number_expr(child(n, i)));
      }
    }
    e->v = std::move(chain);
  } else if (n.is_type<g::num_paren>()) {
    e->v = ast::NumParen{number_expr(child(n, 0))};
  } else if (n.is_type<g::name>() || n.is_type<g::attr_operand>()) {
    e->v = operand(n);
  } else {
    e->v = value(n);
  }
  return e;
}

ast::ExprPtr Builder::atom(const Node& n) {
  auto e = std::make_unique<ast::Expr>();
  e->range = range(n);
  if (n.is_type<g::paren_expr>()) {
    e->v = ast::Paren{expr(child(n, 0))};
  } else if (n.is_type<g::seen_expr>()) {
    e->v = ast::Seen{name(child(n, 0)), value(child(n, 1))};
  } else if (n.is_type<g::during_expr>()) {
    e->v = ast::During{name(child(n, 0))};
  } else if (n.is_type<g::bool_const>()) {
    e->v = ast::BoolConst{text(n) == "true"};
  } else if (n.is_type<g::operand_atom>()) {
    ast::Operand lhs = operand(child(n, 0));
    if (n.children.size() == 1) {
      e->v = ast::Ref{std::move(lhs)};
    } else if (child(n, 1).is_type<g::cmp_op>()) {
      std::string_view op = text(child(n, 1));
      ast::CmpOp cmp = op == "==" ? ast::CmpOp::eq
                       : op == "!=" ? ast::CmpOp::ne
                       : op == "<=" ? ast::CmpOp::le
                       : op == ">=" ? ast::CmpOp::ge
                       : op == "<"  ? ast::CmpOp::lt
                                    : ast::CmpOp::gt;
      e->v = ast::Compare{std::move(lhs), cmp, value(child(n, 2))};
    } else {
      const Node& set = child(n, 1);
      ast::InSet in{std::move(lhs), {}};
      for (const auto& c : set.children) in.members.push_back(value(*c));
      e->v = std::move(in);
    }
  } else {
    return expr(n);
  }
  return e;
}

ast::EntityId Builder::entity(const Node& n) {
  if (n.is_type<g::string_lit>()) return ast::EntityId{string(n).value, range(n)};
  return ast::EntityId{std::string(text(n)), range(n)};
}

ast::TypeRef Builder::type(const Node& n) {
  ast::TypeRef t;
  t.range = range(n);
  if (n.is_type<g::enum_type>()) {
    t.is_enum = true;
    t.name = ast::Name{"enum", Range{file_.id(), t.range.begin, t.range.begin + 4}};
    for (const auto& c : n.children) t.members.push_back(name(*c));
  } else {
    t.name = name(child(n, 0));
  }
  return t;
}

ast::ContractDecl Builder::contract(const Node& n) {
  ast::ContractDecl c;
  c.range = range(n);
  c.name = string(child(n, 0));
  for (std::size_t i = 1; i < n.children.size(); ++i) {
    const Node& item = child(n, i);
    const Node& arg = child(item, 0);
    auto set = [&](auto& slot, auto v) {
      if (slot) c.repeated_items.push_back(range(item));
      slot = std::move(v);
    };
    if (item.is_type<g::customer_item>()) set(c.customer, string(arg));
    else if (item.is_type<g::timezone_item>()) set(c.timezone, string(arg));
    else if (item.is_type<g::version_item>()) set(c.version, string(arg));
    else set(c.currency, name(arg));
  }
  return c;
}

ast::AttributeDecl Builder::attribute(const Node& n, ast::Level level) {
  ast::AttributeDecl a;
  a.level = level;
  a.range = range(n);
  a.name = name(child(n, 0));
  a.type = type(child(n, 1));
  if (n.children.size() > 2) a.default_value = value(child(child(n, 2), 0));
  return a;
}

ast::CalendarDecl Builder::calendar(const Node& n) {
  ast::CalendarDecl c;
  c.range = range(n);
  c.name = name(child(n, 0));
  for (std::size_t i = 1; i < n.children.size(); ++i) {
    const Node& item = child(n, i);
    if (item.is_type<g::span>()) {
      ast::Span s;
      s.range = range(item);
      std::string_view days = text(child(item, 0));
      if (days == "daily") {
        s.daily = true;
      } else {
        auto dash = days.find('-');
        s.first = weekday(days.substr(0, 3));
        s.last = s.first;
        if (dash != std::string_view::npos) {
          s.is_range = true;
          std::string_view rest = days.substr(dash + 1);
          while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
          s.last = weekday(rest.substr(0, 3));
        }
      }
      s.start = clock(child(item, 1));
      s.end = clock(child(item, 2));
      c.spans.push_back(s);
    } else if (item.is_type<g::cal_zone>()) {
      const Node& z = child(item, 0);
      if (z.is_type<g::site_zone>()) {
        c.zone = ast::ZoneKind::site;
      } else {
        c.zone = ast::ZoneKind::named;
        c.zone_name = string(z);
      }
    } else if (item.is_type<g::cal_except>()) {
      for (const auto& h : item.children) c.except.push_back(name(*h));
    }
  }
  return c;
}

ast::GroupingClause Builder::grouping(const Node& n) {
  ast::GroupingClause gc;
  if (n.is_type<g::across_grouping>()) {
    gc.kind = ast::GroupingKind::all_sites;
  } else {
    const Node& target = child(n, 0);
    if (target.is_type<g::any_site>()) {
      gc.kind = ast::GroupingKind::any_site;
    } else if (target.is_type<g::any_device>()) {
      gc.kind = ast::GroupingKind::any_device;
    } else if (target.is_type<g::any_attribute>() || target.is_type<g::any_site_attribute>()) {
      gc.kind = target.is_type<g::any_attribute>() ? ast::GroupingKind::any_attribute
                                                   : ast::GroupingKind::any_site_attribute;
      gc.attribute = name(child(target, 0));
    } else if (target.is_type<g::grouping_every>()) {
      gc.kind = ast::GroupingKind::every_site;
    } else {
      gc.kind = ast::GroupingKind::percent_of_sites;
      gc.percent = value(child(target, 0));
    }
  }
  if (const Node* where = find<g::where_tail>(n)) gc.where = expr(child(*where, 0));
  return gc;
}

ast::RequirementClause Builder::requirement(const Node& n) {
  ast::RequirementClause r;
  if (n.is_type<g::per_device_requirement>()) {
    r.kind = ast::RequirementKind::per_device;
    r.state = expr(child(n, 0));
    if (const Node* of = find<g::events_of>(n)) {
      r.kind = ast::RequirementKind::events;
      r.events_signal = name(child(*of, 0));
    }
    return r;
  }
  if (n.is_type<g::mean_requirement>()) {
    r.kind = ast::RequirementKind::mean;
    r.mean = number_expr(child(n, 0));
    if (const Node* u = find<g::mean_unknown>(n)) r.unknown_as = value(child(*u, 0));
    return r;
  }
  if (n.is_type<g::average_requirement>()) {
    bool per_device = child(n, 0).is_type<g::average_per_device>();
    r.kind = per_device ? ast::RequirementKind::average_per_device : ast::RequirementKind::average_pooled;
    r.state = expr(child(n, per_device ? 1 : 0));
    return r;
  }
  if (n.is_type<g::all_requirement>()) {
    r.kind = ast::RequirementKind::all;
    r.state = expr(child(n, 0));
    return r;
  }
  if (n.is_type<g::at_most_requirement>() || n.is_type<g::no_more_than_requirement>()) {
    r.kind = n.is_type<g::at_most_requirement>() ? ast::RequirementKind::at_most : ast::RequirementKind::no_more_than;
    r.amount = value(child(n, 0));
    r.state = expr(child(n, 1));
    return r;
  }
  // at least ...
  std::size_t i = 0;
  const Node& first = child(n, i);
  if (first.is_type<g::site_count>()) {
    r.kind = ast::RequirementKind::site_attribute;
    r.site_attribute = name(child(first, 0));
    ++i;
  } else {
    r.amount = value(first);
    ++i;
    r.kind = ast::RequirementKind::at_least;
    if (child(n, i).is_type<g::of_devices>()) {
      r.kind = ast::RequirementKind::percent_of_devices;
      ++i;
    } else if (std::holds_alternative<ast::PercentLit>(r.amount->v)) {
      r.kind = ast::RequirementKind::percent_bare;
    }
  }
  r.state = expr(child(n, i));
  ++i;
  if (i < n.children.size() && child(n, i).is_type<g::weighted_tail>()) {
    r.weight = name(child(child(n, i), 0));
    if (r.kind == ast::RequirementKind::percent_bare) r.kind = ast::RequirementKind::weighted;
    else if (r.kind == ast::RequirementKind::at_least) r.kind = ast::RequirementKind::weighted;  // checker: needs %
  }
  return r;
}

ast::CountedClause Builder::counted(const Node& n) {
  ast::CountedClause c{value(child(n, 0)), ast::FailedIf::any, std::nullopt};
  const Node& how = child(n, 1);
  if (how.is_type<g::failed_if_all>()) {
    c.failed_if = ast::FailedIf::all;
  } else if (how.is_type<g::failed_if_over>()) {
    c.failed_if = ast::FailedIf::over;
    c.over = value(child(how, 0));
  }
  return c;
}

std::optional<ast::Clause> Builder::clause(const Node& n) {
  ast::Clause c;
  c.range = range(n);
  if (n.is_type<g::window_clause>()) {
    ast::WindowClause w;
    const Node& kind = child(n, 0);
    if (n.children.size() > 1) w.site_zone = range(child(n, 1));
    if (kind.is_type<g::calendar_window>()) {
      w.unit = calendar_unit(child(kind, 0));
      for (std::size_t k = 1; k < kind.children.size(); ++k) {
        const Node& part = *kind.children[k];
        if (part.is_type<g::window_start_day>()) {
          w.start_day = weekday(text(part));
          w.start_range = range(part);
        } else if (part.is_type<g::clock>()) {
          w.start_clock = clock(part);
          if (!w.start_day) w.start_range = range(part);
          w.start_range.end = range(part).end;
        }
      }
    } else if (kind.is_type<g::period_window>()) {
      w.period = true;
      w.count = value(child(kind, 0));
      w.rolling_unit = text(child(kind, 1)).starts_with("day") ? ast::RollingUnit::days : ast::RollingUnit::weeks;
      w.anchor = value(child(kind, 2));
    } else if (kind.is_type<g::named_period_window>()) {
      w.periods = name(child(kind, 0));
    } else {
      w.rolling = true;
      w.count = value(child(kind, 0));
      std::string_view unit = text(child(kind, 1));
      w.rolling_unit = unit.starts_with("day")    ? ast::RollingUnit::days
                       : unit.starts_with("week") ? ast::RollingUnit::weeks
                       : unit.starts_with("hour") ? ast::RollingUnit::hours
                                                  : ast::RollingUnit::months;
    }
    c.v = std::move(w);
  } else if (n.is_type<g::on_grouping>() || n.is_type<g::across_grouping>()) {
    c.v = grouping(n);
  } else if (n.is_type<g::at_least_requirement>() || n.is_type<g::at_most_requirement>() ||
             n.is_type<g::no_more_than_requirement>() || n.is_type<g::all_requirement>() ||
             n.is_type<g::per_device_requirement>() || n.is_type<g::average_requirement>() ||
             n.is_type<g::mean_requirement>()) {
    c.v = requirement(n);
  } else if (n.is_type<g::for_objective>()) {
    std::size_t i = 0;
    bool more_than = child(n, 0).is_type<g::for_more_than>();
    if (more_than) ++i;
    ast::ForObjective f{value(child(n, i++)), false, std::nullopt, more_than, std::nullopt, std::nullopt, std::nullopt};
    for (; i < n.children.size(); ++i) {
      const Node& tail = child(n, i);
      if (tail.is_type<g::for_rounded>()) {
        f.rounded_to = value(child(tail, 0));
      } else if (tail.is_type<g::of_the_time>()) {
        f.of_the_time = true;
      } else if (tail.is_type<g::duration_lit>()) {
        f.of_duration = value(tail);
      } else if (tail.is_type<g::of_events>()) {
        f.events_signal = name(child(tail, 0));
      } else {
        f.calendar = name(child(tail, 0));
      }
    }
    c.v = std::move(f);
  } else if (n.is_type<g::downtime_at_most>() || n.is_type<g::downtime_less_than>()) {
    c.v = ast::DowntimeObjective{value(child(n, 0)), n.is_type<g::downtime_less_than>()};
  } else if (n.is_type<g::no_outage>()) {
    c.v = ast::NoOutageObjective{value(child(n, 0))};
  } else if (n.is_type<g::outage_count_objective>()) {
    ast::OutageCountObjective o{value(child(n, 0)), std::nullopt};
    if (const Node* longer = find<g::outage_longer>(n)) o.longer_than = value(child(*longer, 0));
    c.v = std::move(o);
  } else if (n.is_type<g::during_clause>()) {
    c.v = ast::DuringClause{name(child(n, 0))};
  } else if (n.is_type<g::only_clause>()) {
    c.v = ast::OnlyClause{expr(child(n, 0))};
  } else if (n.is_type<g::excluding_clause>()) {
    c.v = ast::ExcludingClause{expr(child(n, 0))};
  } else if (n.is_type<g::penalty_clause>()) {
    const Node& what = child(n, 0);
    if (what.is_type<g::penalty_cap>()) {
      c.v = ast::PenaltyCap{amount(child(what, 0))};
    } else if (what.is_type<g::penalty_tiers>()) {
      ast::PenaltyTiers tiers;
      for (const auto& t : what.children) {
        tiers.tiers.push_back(ast::PenaltyTier{value(child(*t, 0)), amount(child(*t, 1)), range(*t)});
      }
      c.v = std::move(tiers);
    } else {
      c.v = ast::PenaltyFixed{amount(what)};
    }
  } else if (n.is_type<g::warn_clause>()) {
    c.v = ast::WarnClause{value(child(n, 0))};
  } else if (n.is_type<g::counted_clause>()) {
    c.v = counted(n);
  } else {
    return std::nullopt;
  }
  return c;
}

ast::SlaDecl Builder::sla(const Node& n, bool is_kpi) {
  ast::SlaDecl s;
  s.is_kpi = is_kpi;
  s.range = range(n);
  s.name = name(child(n, 0));
  for (std::size_t i = 1; i < n.children.size(); ++i) {
    const Node& c = child(n, i);
    if (c.is_type<g::recover_item>()) {
      s.incomplete = true;
      continue;
    }
    if (auto cl = clause(c)) s.clauses.push_back(std::move(*cl));
  }
  return s;
}

std::vector<ast::AttrAssign> Builder::attr_assigns(const Node& n) {
  std::vector<ast::AttrAssign> out;
  for (const auto& a : n.children) {
    if (!a->is_type<g::attr_assign>()) continue;
    out.push_back(ast::AttrAssign{name(child(*a, 0)), value(child(*a, 1)), range(*a)});
  }
  return out;
}

ast::TestExpectItem Builder::expectation(const Node& n) {
  ast::TestExpectItem e;
  const Node& body = child(n, 0);
  if (body.is_type<g::expect_total>()) {
    e.what = ast::ExpectWhat::total_penalty;
    e.value = value(child(body, 0));
    return e;
  }
  e.sla = name(child(body, 0));
  for (std::size_t i = 1; i < body.children.size(); ++i) {
    const Node& c = child(body, i);
    if (c.is_type<g::expect_verdict>()) {
      e.verdict = true;
    } else if (c.is_type<g::expect_group>()) {
      e.group = entity(child(c, 0));
    } else if (c.is_type<g::expect_window>()) {
      e.window = time(child(c, 0));
    } else if (c.is_type<g::expect_met>()) {
      e.what = ast::ExpectWhat::met;
    } else if (c.is_type<g::expect_breached>()) {
      e.what = ast::ExpectWhat::breached;
    } else if (c.is_type<g::expect_near_miss>()) {
      e.what = ast::ExpectWhat::near_miss;
    } else if (c.is_type<g::expect_not_near_miss>()) {
      e.what = ast::ExpectWhat::not_near_miss;
    } else if (c.is_type<g::expect_attainment>()) {
      const Node& what = child(c, 0);
      if (what.is_type<g::expect_attainment_none>()) {
        e.what = ast::ExpectWhat::attainment_none;
      } else {
        e.what = ast::ExpectWhat::attainment;
        e.value = value(what);
        if (const Node* tol = find<g::expect_tolerance>(c)) e.tolerance = value(child(*tol, 0));
      }
    } else {
      e.what = c.is_type<g::expect_rounded>()    ? ast::ExpectWhat::rounded_attainment
               : c.is_type<g::expect_downtime>() ? ast::ExpectWhat::downtime
               : c.is_type<g::expect_penalty>()  ? ast::ExpectWhat::penalty
               : c.is_type<g::expect_outages>()  ? ast::ExpectWhat::outages
               : c.is_type<g::expect_longest>()  ? ast::ExpectWhat::longest_outage
               : c.is_type<g::expect_measured>() ? ast::ExpectWhat::measured
               : c.is_type<g::expect_events>()   ? ast::ExpectWhat::events
               : c.is_type<g::expect_good_events>() ? ast::ExpectWhat::good_events
                                                 : ast::ExpectWhat::good;
      e.value = value(child(c, 0));
    }
  }
  return e;
}

std::optional<ast::TestItem> Builder::test_item(const Node& n) {
  ast::TestItem item;
  item.range = range(n);
  if (n.is_type<g::test_span>()) {
    item.v = ast::TestSpanItem{time(child(n, 0)), time(child(n, 1))};
  } else if (n.is_type<g::test_set>()) {
    item.v = ast::TestSetItem{name(child(n, 0)), value(child(n, 1))};
  } else if (n.is_type<g::test_site>()) {
    ast::TestSiteItem s{entity(child(n, 0)), {}};
    if (n.children.size() > 1) s.attributes = attr_assigns(n);
    item.v = std::move(s);
  } else if (n.is_type<g::test_device>()) {
    item.v = ast::TestDeviceItem{entity(child(n, 0)), entity(child(n, 1)), attr_assigns(n)};
  } else if (n.is_type<g::test_event>()) {
    ast::TestEventItem ev{time(child(n, 0)), entity(child(n, 1)), name(child(n, 2)), std::nullopt};
    if (n.children.size() > 3) ev.value = value(child(child(n, 3), 0));
    item.v = std::move(ev);
  } else if (n.is_type<g::test_repeat>()) {
    const Node& every = child(n, 0);
    ast::TestRepeatItem r{every.is_type<g::repeat_daily>() ? ast::Value{} : value(every), time(child(n, 1)),
                          time(child(n, 2)), entity(child(n, 3)), name(child(n, 4)), std::nullopt, std::nullopt};
    if (every.is_type<g::repeat_daily>()) r.daily_at = clock(child(every, 0));
    if (n.children.size() > 5) r.value = value(child(child(n, 5), 0));
    item.v = std::move(r);
  } else if (n.is_type<g::test_expect>()) {
    item.v = expectation(n);
  } else {
    return std::nullopt;
  }
  return item;
}

// The site or device that a failed `site ID { ... }` or `device ID at ...` item was
// declaring, so that its later uses are not reported as undeclared as well.
void note_unparsed_entity(ast::TestDecl& t, std::string_view item, Range range) {
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < item.size() && (item[i] == ' ' || item[i] == '\t' || item[i] == '\r' || item[i] == '\n')) ++i;
  };
  std::size_t word_begin = i;
  while (i < item.size() && is_word_byte(static_cast<unsigned char>(item[i]))) ++i;
  std::string_view keyword = item.substr(word_begin, i - word_begin);
  if (keyword != "site" && keyword != "device") return;
  skip_blanks();
  std::string id;
  if (i < item.size() && item[i] == '"') {
    for (++i; i < item.size() && item[i] != '"' && item[i] != '\n'; ++i) id += item[i];
  } else {
    while (i < item.size() && (is_word_byte(static_cast<unsigned char>(item[i])) || item[i] == '-' || item[i] == '.' ||
                               item[i] == ':')) {
      id += item[i++];
    }
  }
  if (id.empty()) return;
  (keyword == "site" ? t.unparsed_sites : t.unparsed_devices).push_back(ast::EntityId{std::move(id), range});
}

ast::TestDecl Builder::test(const Node& n) {
  ast::TestDecl t;
  t.range = range(n);
  t.name = string(child(n, 0));
  for (std::size_t i = 1; i < n.children.size(); ++i) {
    const Node& c = child(n, i);
    if (c.is_type<g::recover_item>()) {
      t.incomplete = true;
      note_unparsed_entity(t, text(c), range(c));
      continue;
    }
    if (auto item = test_item(c)) t.items.push_back(std::move(*item));
  }
  return t;
}

ast::Decl Builder::decl(const Node& n) {
  ast::Decl d;
  d.range = range(n);
  if (n.is_type<g::contract_decl>()) {
    d.v = contract(n);
  } else if (n.is_type<g::import_decl>()) {
    d.v = ast::ImportDecl{string(child(n, 0)), range(n)};
  } else if (n.is_type<g::param_decl>()) {
    d.v = ast::ParamDecl{name(child(n, 0)), value(child(n, 1)), range(n)};
  } else if (n.is_type<g::signal_decl>() || n.is_type<g::site_decl>()) {
    const Node& body = n.is_type<g::site_decl>() ? child(n, 0) : n;
    ast::Level level = n.is_type<g::site_decl>() ? ast::Level::site : ast::Level::device;
    if (body.is_type<g::attribute_decl>()) {
      d.v = attribute(body, level);
    } else {
      d.v = ast::SignalDecl{level, name(child(body, 0)), type(child(body, 1)), range(n)};
    }
  } else if (n.is_type<g::device_decl>()) {
    d.v = attribute(child(n, 0), ast::Level::device);
  } else if (n.is_type<g::holidays_decl>() || n.is_type<g::periods_decl>()) {
    std::vector<ast::Value> dates;
    for (std::size_t i = 1; i < n.children.size(); ++i) dates.push_back(value(child(n, i)));
    if (n.is_type<g::holidays_decl>()) {
      d.v = ast::HolidaysDecl{name(child(n, 0)), std::move(dates), range(n)};
    } else {
      d.v = ast::PeriodsDecl{name(child(n, 0)), std::move(dates), range(n)};
    }
  } else if (n.is_type<g::calendar_decl>()) {
    d.v = calendar(n);
  } else if (n.is_type<g::state_decl>()) {
    d.v = ast::StateDecl{name(child(n, 0)), expr(child(n, 1)), range(n)};
  } else if (n.is_type<g::sla_decl>() || n.is_type<g::kpi_decl>()) {
    d.v = sla(n, n.is_type<g::kpi_decl>());
  } else {
    d.v = test(n);
  }
  // Attribute declarations inside `site`/`device` report the whole statement's range.
  std::visit([&](auto& decl) {
    if constexpr (requires { decl.range; }) decl.range = range(n);
  }, d.v);
  return d;
}

// Where to resume after a failed top-level declaration: the first line, at or after
// the error's line and after the failed declaration's start, that begins with a
// declaration.
std::size_t resync(std::string_view text, std::size_t statement_begin, std::size_t error_at) {
  std::size_t line = text.rfind('\n', error_at == 0 ? 0 : error_at - 1);
  std::size_t pos = line == std::string_view::npos ? 0 : line + 1;
  while (pos < text.size()) {
    if (pos > statement_begin) {
      std::size_t q = pos;
      while (q < text.size() && (text[q] == ' ' || text[q] == '\t')) ++q;
      pegtl::memory_input<> probe(text.data() + q, text.data() + text.size(), "");
      if (pegtl::parse<g::statement_start>(probe)) return q;
    }
    std::size_t next = text.find('\n', pos);
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return text.size();
}

// The name a failed declaration was going to declare, so that later uses of it are not
// reported as unknown as well.
std::optional<std::string_view> declared_name(std::string_view text, std::size_t begin) {
  auto word_at = [&](std::size_t& i) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < text.size() && is_word_byte(static_cast<unsigned char>(text[i]))) ++i;
    return text.substr(start, i - start);
  };
  std::size_t i = begin;
  std::string_view kw = word_at(i);
  if (kw == "site" || kw == "device") kw = word_at(i);
  if (kw == "param" || kw == "signal" || kw == "attribute" || kw == "holidays" || kw == "periods" || kw == "calendar" ||
      kw == "state" || kw == "sla" || kw == "kpi") {
    std::string_view n = word_at(i);
    if (!n.empty()) return n;
  }
  return std::nullopt;
}

bool check_encoding(const SourceFile& file, Diagnostics& diags) {
  std::string_view t = file.text();
  std::size_t bad = invalid_utf8_at(t);
  std::size_t nul = t.substr(0, bad).find('\0');
  if (nul != std::string_view::npos) {
    diags.error(Code::encoding, Range{file.id(), static_cast<std::uint32_t>(nul), static_cast<std::uint32_t>(nul + 1)},
                "the file contains a NUL byte");
    return false;
  }
  if (bad != std::string_view::npos) {
    diags.error(Code::encoding, Range{file.id(), static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)},
                fmt::format("the file is not valid UTF-8 (byte 0x{:02x})", static_cast<unsigned char>(t[bad])));
    return false;
  }
  return true;
}

}  // namespace

ast::File parse_file(const SourceFile& file, Diagnostics& diags) {
  ast::File out;
  out.file = file.id();
  if (!check_encoding(file, diags)) {
    out.unreadable = true;
    return out;
  }
  std::string_view text = file.text();
  g::nesting_input<pegtl::memory_input<pegtl::tracking_mode::eager, pegtl::eol::lf_crlf, std::string>> in(
      text.data(), text.data() + text.size(), std::string());  // (ranges name the file, not PEGTL's source)
  if (text.starts_with("\xEF\xBB\xBF")) in.bump(3);
  ParseState state{file, diags};
  Builder builder(file, diags);
  (void)pegtl::parse<g::ws>(in);
  while (!in.empty() && !diags.full()) {
    std::size_t begin = in.byte();
    try {
      auto root = pegtl::parse_tree::parse<g::statement_must, Node, selector, pegtl::nothing, control>(in, state);
      if (root && !root->children.empty()) out.decls.push_back(builder.decl(*root->children.front()));
    } catch (const pegtl::parse_error& e) {
      std::size_t at = e.positions().empty() ? begin : e.positions().front().byte;
      if (auto n = declared_name(text, begin)) out.unparsed_names.push_back(*n);
      std::size_t target = resync(text, begin, at);
      if (target > in.byte()) in.bump(target - in.byte());
    }
    (void)pegtl::parse<g::ws>(in);
  }
  return out;
}

std::size_t analyze_grammar(bool verbose) { return pegtl::analyze<g::file>(verbose ? 1 : 0); }

}  // namespace slac
