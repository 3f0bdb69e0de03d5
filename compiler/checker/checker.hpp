// The checker's shared state and helpers: the symbol table, the diagnostics it
// writes, and the members each concern's file defines (SPEC 4: declarations,
// conditions, SLA clauses, test blocks). Internal to compiler/.
#pragma once
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "base/time.hpp"
#include "compiler/loader.hpp"
#include "compiler/model.hpp"

namespace slac::checking {

enum class SymbolKind { param, signal, holidays, calendar, state, periods };

inline std::string_view kind_name(SymbolKind k) {
  switch (k) {
    case SymbolKind::param: return "param";
    case SymbolKind::signal: return "signal";
    case SymbolKind::holidays: return "holidays list";
    case SymbolKind::calendar: return "calendar";
    case SymbolKind::state: return "state";
    case SymbolKind::periods: return "periods list";
  }
  return "name";
}

struct Symbol {
  SymbolKind kind;
  std::size_t index;
  Range decl;
};

inline std::string_view article(std::string_view word) {
  return (!word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos) ? "an" : "a";
}

inline std::string describe_signal(const SignalInfo& s) {
  std::string_view t = type_name(s.type);
  return fmt::format("{} {}{} signal", article(s.level == Level::site ? "site" : t),
                     s.level == Level::site ? "site " : "", t);
}

inline std::string describe_value_kind(const ast::Value& v) {
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
inline const std::vector<std::string_view>& clause_words() {
  static const std::vector<std::string_view> words = {"in", "on", "across", "at", "no", "all", "for", "with",
                                                      "during", "only", "excluding", "penalty", "warn"};
  return words;
}

// Where a penalty amount stands (SPEC 4.4), which decides what it may use.
struct AmountPlace {
  std::string_view what;                // "a penalty", "a tier's amount", "a penalty cap"
  bool per_group = false;               // the row's figures and the group's attributes
  std::string_view why_static;          // why not, for the message
  std::optional<GroupingKind> grouping; // known when the SLA has a grouping
  std::optional<std::size_t> group_attribute;  // `on any ATTR`, `on any site.ATTR`: the attribute
  bool has_target = false;              // a `for ...%` objective: `shortfall` is defined
  bool counts_events = false;           // an event measure: no `downtime_hours`
  bool averages_numbers = false;        // `mean of EXPR`: no `downtime_hours` either
};

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
  // The declared names of these kinds, sorted; made once per set of kinds.
  const std::vector<std::string_view>& candidates(std::initializer_list<SymbolKind> kinds);
  // Appends "; did you mean `X`?" to a shown diagnostic, `names()` giving the
  // candidates. Past the cap nothing more is shown and the search is skipped, so that N
  // unknown names among N declared ones cost N, not N².
  template <typename Names>
  void suggest(Diagnostic& d, std::string_view name, Names&& names) {
    if (!diags_.shown(d)) return;
    if (auto near = closest_name(name, names())) d.message += fmt::format("; did you mean `{}`?", *near);
  }
  static std::vector<std::string_view> sorted_names(const std::unordered_map<std::string_view, std::size_t>& table);
  // The position of `name` among an enum's members. A large enum is indexed once, so
  // that N comparisons with an enum of N members cost N, not N².
  std::optional<std::size_t> member_index(const std::vector<std::string>& members, std::string_view name);
  // An enum's members for a message: the first 10, then how many more.
  static std::string members_text(const std::vector<std::string>& members);
  void unknown(std::string_view what, const ast::Name& name, std::initializer_list<SymbolKind> kinds);
  std::optional<std::size_t> resolve(const ast::Name& name, SymbolKind kind);

  // -- declarations
  void header();
  void check_currency(const ast::Name& currency);
  void unknown_zone(std::string_view name, Range range);
  void declare_all();
  void check_param(const ast::ParamDecl& d, ParamInfo& info);
  std::optional<ValueType> check_type(const ast::TypeRef& t, bool is_attribute, Level level,
                                      std::vector<std::string>& members);
  std::optional<Scalar> check_value(const ast::Value& v, ValueType type, const std::vector<std::string>& members,
                                    std::string_view subject);
  void check_calendar(const ast::CalendarDecl& d, CalendarInfo& info);
  void check_states();
  void warn_unused_signals();

  // -- quantities
  std::optional<Quantity> percent(const ast::Value& v, std::string_view where);
  std::optional<Quantity> duration(const ast::Value& v, std::string_view where, bool allow_zero = false);
  std::optional<Quantity> count(const ast::Value& v, std::string_view where);
  std::optional<Quantity> amount(const ast::Value& v, std::string_view where);
  std::optional<Quantity> quantity(const ast::Value& v, ParamType want, std::string_view where);

  // -- penalty amounts (amounts.cpp)
  std::optional<AmountSpec> check_amount(const ast::Amount& a, const AmountPlace& place);
  bool amount_parts(const ast::Amount& a, const AmountPlace& place, std::vector<AmountNode>& out);
  bool amount_value(const ast::Value& v, const AmountPlace& place, std::vector<AmountNode>& out);
  bool amount_attribute(const ast::Operand& o, const AmountPlace& place, std::vector<AmountNode>& out);
  bool percent_operand(const ast::Amount& a);
  std::string amount_names_hint(const AmountPlace& place);

  // -- expressions
  ExprId add(CExpr e) {
    model_.exprs.push_back(std::move(e));
    return static_cast<ExprId>(model_.exprs.size() - 1);
  }
  // Checks a condition; `traits_` and `state_refs_` collect what it depends on.
  ExprId condition(const ast::Expr& e);
  void allowance_fits(const ast::Capped& capped, std::int64_t ms);
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
  void check_penalty_amounts(SlaInfo& sla, bool have_grouping, const ast::Amount* penalty,
                             const std::vector<const ast::Amount*>& tiers, const ast::Amount* cap);
  bool misspelt_clause(const ast::RequirementClause& r);
  void check_counted(const ast::CountedClause& c, Range range, SlaInfo& sla);
  // -- the windows of SPEC 4.4 (windows.cpp)
  void check_window_start(const ast::WindowClause& w, WindowSpec& window);
  void check_periods(const ast::PeriodsDecl& d);
  void check_period_window(const ast::WindowClause& w, WindowSpec& window);
  // -- the measures of SPEC 4.4 (measures.cpp)
  void check_event_measure(SlaInfo& sla, const ast::Name& signal, const Checked& condition,
                           const ast::Expr& condition_expr, bool have_grouping);
  void check_measure_combinations(const SlaInfo& sla, const ast::RequirementClause* requirement,
                                  const ast::Name* events_sugar, Range requirement_range);
  void check_mean(SlaInfo& sla, const ast::RequirementClause& requirement);
  std::optional<std::uint32_t> mean_node(const ast::NumExpr& e, std::vector<NumNode>& nodes);
  bool expectation_fits_measure(const SlaInfo& sla, const ast::TestExpectItem& expect, Range range);
  void check_target_form(const ast::ForObjective& f, SlaInfo& sla);
  void check_downtime(const ast::DowntimeObjective& d, SlaInfo& sla);
  void check_device_average(const std::vector<Range>& outage_objectives);
  void check_test(const ast::TestDecl& d);
  std::optional<Millis> instant(const ast::TimeLit& t);
  // The literal as local wall-clock time, its offset (if any) ignored.
  static Millis local_instant(const ast::TimeLit& t);

  const Program& program_;
  Diagnostics& diags_;
  Model model_;
  std::unordered_map<std::string_view, Symbol> names_;
  std::map<unsigned, std::vector<std::string_view>> candidates_;  // by set of kinds; cleared by declare()
  struct MemberIndex {
    const std::string* data;  // the indexed vector's buffer and size: a vector moved
    std::size_t size;         // or rebuilt since is not taken for it
    std::unordered_map<std::string_view, std::size_t> position;
  };
  std::unordered_map<const std::vector<std::string>*, MemberIndex> member_indexes_;
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

}  // namespace slac::checking
