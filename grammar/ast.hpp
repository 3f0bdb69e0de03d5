// The syntax tree of one .sla file, as written: every node carries its source range.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/decimal.hpp"
#include "base/source.hpp"

namespace slac::ast {

struct Name {
  std::string_view text;  // points into the source buffer
  Range range;
};

struct String {
  std::string value;  // unescaped
  Range range;
};

// ---------------------------------------------------------------------------
// Literals and values

struct NumberLit { Decimal value; };        // 3, 10_000, 22.5, -4
struct PercentLit { Decimal value; };       // 99.95% (value 99.95)
struct DurationLit { std::int64_t ms; };    // 1h30m
struct BoolLit { bool value; };
struct StringLit { std::string value; };
struct DateLit { int year; unsigned month; unsigned day; };
// A bare name where a value is expected: a param, or an enum member.
struct NameValue { std::string_view name; };

struct Value {
  std::variant<NumberLit, PercentLit, DurationLit, BoolLit, StringLit, DateLit, NameValue> v;
  Range range;
  bool invalid = false;  // already reported (too large, not a date): not checked again
};

// ---------------------------------------------------------------------------
// Expressions (SPEC 4.2)

enum class CmpOp { eq, ne, lt, le, gt, ge };
enum class CalendarUnit { day, week, month, quarter, year };
// The word of a unit as written in the canonical form: `day`, `month`.
inline std::string_view unit_word(CalendarUnit u) {
  static constexpr std::string_view words[] = {"day", "week", "month", "quarter", "year"};
  return words[static_cast<int>(u)];
}
enum class AttrScope { none, device, site };

// The left of a comparison: `status`, `device.kind`, `site.vip`.
struct Operand {
  AttrScope scope = AttrScope::none;
  Name name;
  Range range;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Compare { Operand lhs; CmpOp op; Value rhs; };
struct InSet { Operand lhs; std::vector<Value> members; };
// A bare name or attribute as a condition: a state, a bool signal, param or attribute.
struct Ref { Operand operand; };
struct Seen { Name signal; Value within; };
struct During { Name calendar; };
struct BoolConst { bool value; };
struct Not { ExprPtr operand; };
struct And { std::vector<ExprPtr> operands; };
struct Or { std::vector<ExprPtr> operands; };
struct Lasting { ExprPtr operand; Value at_least; };
struct IgnoringGaps { ExprPtr operand; Value under; };
// `A up to D each` (per: none), `A up to D per calendar UNIT` (SPEC 4.4).
struct Capped { ExprPtr operand; Value up_to; std::optional<CalendarUnit> per; };
struct Paren { ExprPtr inner; };  // kept so that fmt can print what was written

struct Expr {
  std::variant<Compare, InSet, Ref, Seen, During, BoolConst, Not, And, Or, Lasting, IgnoringGaps, Capped, Paren> v;
  Range range;
};

// A number expression of `mean of` (SPEC 4.4): a literal (number or percentage), a
// name or attribute, parentheses, or a chain of operands at one precedence, applied
// left to right (`a - b + c`, `a * b / c`), kept flat so that long chains nest nothing.
struct NumExpr;
using NumExprPtr = std::unique_ptr<NumExpr>;
struct NumChain { std::vector<NumExprPtr> operands; std::vector<char> ops; };  // ops[i] joins operands i and i + 1
struct NumParen { NumExprPtr inner; };

struct NumExpr {
  std::variant<Value, Operand, NumChain, NumParen> v;
  Range range;
};

// ---------------------------------------------------------------------------
// Declarations (SPEC 4.1)

struct ContractDecl {
  String name;
  std::optional<String> customer;
  std::optional<String> timezone;
  std::optional<Name> currency;
  std::optional<String> version;
  std::vector<Range> repeated_items;  // a header item given twice, for the checker
  Range range;
};

struct ImportDecl { String path; Range range; };

struct ParamDecl { Name name; Value value; Range range; };

struct TypeRef {
  Name name;                       // bool, number, string, event, timezone; `enum` for enums
  std::vector<Name> members;       // enum { a, b, c }
  bool is_enum = false;
  Range range;
};

enum class Level { device, site };

struct SignalDecl { Level level; Name name; TypeRef type; Range range; };
struct AttributeDecl { Level level; Name name; TypeRef type; std::optional<Value> default_value; Range range; };
struct HolidaysDecl { Name name; std::vector<Value> dates; Range range; };
// `periods NAME = DATE, DATE, ...` (SPEC 4.4): consecutive periods, the last date closing the last.
struct PeriodsDecl { Name name; std::vector<Value> dates; Range range; };

enum class Weekday : std::uint8_t { mon, tue, wed, thu, fri, sat, sun };

inline std::string_view weekday_word(Weekday d) {
  static constexpr std::string_view words[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  return words[static_cast<int>(d)];
}

struct ClockTime { unsigned hour; unsigned minute; Range range; };

struct Span {
  bool daily = false;
  Weekday first = Weekday::mon;
  Weekday last = Weekday::mon;     // == first for a single day
  bool is_range = false;
  ClockTime start;
  ClockTime end;
  Range range;
};

enum class ZoneKind { contract, site, named };

struct CalendarDecl {
  Name name;
  std::vector<Span> spans;
  ZoneKind zone = ZoneKind::contract;
  std::optional<String> zone_name;
  std::vector<Name> except;
  Range range;
};

struct StateDecl { Name name; ExprPtr expr; Range range; };

// ---------------------------------------------------------------------------
// SLA and KPI clauses (SPEC 4.3)

enum class RollingUnit { days, weeks, hours, months };

// The word of a rolling unit as written in the canonical form: `months`.
inline std::string_view unit_word(RollingUnit u) {
  static constexpr std::string_view words[] = {"days", "weeks", "hours", "months"};
  return words[static_cast<int>(u)];
}

struct WindowClause {
  bool rolling = false;
  CalendarUnit unit = CalendarUnit::month;
  Value count;                     // rolling only
  RollingUnit rolling_unit = RollingUnit::days;
  // `starting [DAY] HH:MM` (calendar windows, SPEC 4.4): where each window begins.
  std::optional<ClockTime> start_clock;
  std::optional<Weekday> start_day;
  Range start_range;               // the whole `starting ...`
  // `period of N days|weeks starting DATE` (count and rolling_unit as for rolling), and
  // `NAME period` (SPEC 4.4).
  bool period = false;
  std::optional<Value> anchor;
  std::optional<Name> periods;
  std::optional<Range> site_zone;  // `... in site timezone` (SPEC 4.4): each group's windows in its site's zone
};

enum class GroupingKind { any_site, any_device, any_attribute, any_site_attribute, every_site, percent_of_sites, all_sites };

struct GroupingClause {
  GroupingKind kind;
  std::optional<Name> attribute;   // on any ATTR, on any site.ATTR
  std::optional<Value> percent;    // on at least P% of sites
  ExprPtr where;                   // may be null
};

enum class RequirementKind {
  at_least,          // at least N STATE
  at_most,           // at most N STATE
  no_more_than,      // no more than N STATE
  percent_of_devices,// at least P% of devices STATE
  weighted,          // at least P% STATE weighted by ATTR
  percent_bare,      // at least P% STATE (an error the checker explains)
  site_attribute,    // at least site.ATTR STATE
  all,               // all STATE
  per_device,        // STATE
  average_pooled,    // on average STATE (SPEC 4.4)
  average_per_device,// on average per device STATE
  events,            // STATE of SIGNAL events (SPEC 4.4)
  mean,              // mean of EXPR [, unknown as NUMBER] (SPEC 4.4)
};

struct RequirementClause {
  RequirementKind kind;
  std::optional<Value> amount;     // N or P
  std::optional<Name> site_attribute;
  std::optional<Name> weight;      // weighted by ATTR
  ExprPtr state;                   // null for `mean of`
  std::optional<Name> events_signal;  // events: the signal whose events are counted
  NumExprPtr mean;                 // mean of EXPR
  std::optional<Value> unknown_as; // mean of EXPR, unknown as NUMBER
};

struct ForObjective {
  Value percent;
  bool of_the_time = false;
  std::optional<Name> calendar;    // of CALENDAR
  bool more_than = false;          // `for more than P%` (SPEC 4.4)
  std::optional<Value> of_duration;  // `of D`: against a fixed duration
  std::optional<Value> rounded_to; // `rounded to Q%`
  std::optional<Name> events_signal;  // of SIGNAL events: the sugar of an event measure
};
struct NoOutageObjective { Value longer_than; };
struct OutageCountObjective { Value count; std::optional<Value> longer_than; };
// `with at most D of downtime`, `with less than D of downtime` (SPEC 4.4).
struct DowntimeObjective { Value duration; bool less_than = false; };

struct DuringClause { Name calendar; };
struct OnlyClause { ExprPtr condition; };
struct ExcludingClause { ExprPtr condition; };
// A penalty amount (SPEC 4.4): a literal or bare name (a param or one of the row's
// figures), an attribute (`site.monthly_bill`), parentheses, or one precedence tier
// of operators applied left to right (`+ -`, or `* / of`), kept as a list so that a
// long chain does not nest.
struct Amount;
enum class AmountOp { add, subtract, multiply, divide, percent_of };
struct AmountStep;
struct AmountParen { std::unique_ptr<Amount> inner; };
struct AmountChain { std::unique_ptr<Amount> first; std::vector<AmountStep> rest; };
struct Amount {
  std::variant<Value, Operand, AmountParen, AmountChain> v;
  Range range;
  // The literal or name when the amount is nothing else.
  const Value* single_value() const { return std::get_if<Value>(&v); }
};
struct AmountStep { AmountOp op; Amount operand; Range op_range; };

struct PenaltyFixed { Amount amount; };
struct PenaltyTier { Value below; Amount amount; Range range; };
struct PenaltyTiers { std::vector<PenaltyTier> tiers; };
struct PenaltyCap { Amount amount; };
struct WarnClause { Value below; };
// `counted in D intervals, failed if any | all | over P%` (SPEC 4.4).
enum class FailedIf { any, all, over };
struct CountedClause { Value length; FailedIf failed_if = FailedIf::any; std::optional<Value> over; };

struct Clause {
  std::variant<WindowClause, GroupingClause, RequirementClause, ForObjective, NoOutageObjective,
               OutageCountObjective, DuringClause, OnlyClause, ExcludingClause, PenaltyFixed, PenaltyTiers,
               PenaltyCap, WarnClause, CountedClause, DowntimeObjective>
      v;
  Range range;
};

struct SlaDecl {
  bool is_kpi = false;
  Name name;
  std::vector<Clause> clauses;
  bool incomplete = false;         // a clause had a syntax error and was skipped
  Range range;
};

// ---------------------------------------------------------------------------
// Tests inside contracts (SPEC 5.4; syntax in docs/language.md)

// An instant as written: a date, an optional clock time, an optional offset. Without
// an offset it is local to the contract's time zone.
struct TimeLit {
  int year; unsigned month; unsigned day;
  bool has_clock = false;
  unsigned hour = 0, minute = 0, second = 0, millisecond = 0;
  bool has_offset = false;
  int offset_minutes = 0;          // east of UTC; `Z` is 0
  bool month_only = false;         // `2026-03`, only in expectations
  bool year_only = false;          // `2026`, only in expectations
  Range range;
};

struct EntityId { std::string text; Range range; };

struct AttrAssign { Name name; Value value; Range range; };

struct TestSpanItem { TimeLit from; TimeLit to; };
struct TestSetItem { Name param; Value value; };
struct TestSiteItem { EntityId id; std::vector<AttrAssign> attributes; };
struct TestDeviceItem { EntityId id; EntityId site; std::vector<AttrAssign> attributes; };
struct TestEventItem { TimeLit at; EntityId entity; Name signal; std::optional<Value> value; };
struct TestRepeatItem {
  Value every; TimeLit from; TimeLit to; EntityId entity; Name signal; std::optional<Value> value;
  std::optional<ClockTime> daily_at;  // `every day at HH:MM` (local, following DST) instead of `every`
};

enum class ExpectWhat {
  met, breached, near_miss, not_near_miss, attainment, attainment_none, penalty, outages,
  longest_outage, measured, good, total_penalty, rounded_attainment, downtime, events, good_events
};

struct TestExpectItem {
  std::optional<Name> sla;         // absent for `expect total penalty`
  bool verdict = false;            // `expect NAME verdict ...`
  std::optional<EntityId> group;
  std::optional<TimeLit> window;
  ExpectWhat what = ExpectWhat::met;
  std::optional<Value> value;
  std::optional<Value> tolerance;  // attainment ... within
};

struct TestItem {
  std::variant<TestSpanItem, TestSetItem, TestSiteItem, TestDeviceItem, TestEventItem, TestRepeatItem,
               TestExpectItem>
      v;
  Range range;
};

struct TestDecl {
  String name;
  std::vector<TestItem> items;
  bool incomplete = false;         // an item had a syntax error and was skipped
  // Sites and devices whose `site`/`device` item had a syntax error: declared, for the
  // checker, so that their uses are not reported as well.
  std::vector<EntityId> unparsed_sites;
  std::vector<EntityId> unparsed_devices;
  Range range;
};

// ---------------------------------------------------------------------------

struct Decl {
  std::variant<ContractDecl, ImportDecl, ParamDecl, SignalDecl, AttributeDecl, HolidaysDecl, PeriodsDecl, CalendarDecl,
               StateDecl, SlaDecl, TestDecl>
      v;
  Range range;
};

struct File {
  FileId file = 0;
  std::vector<Decl> decls;
  bool unreadable = false;                    // not UTF-8: nothing was parsed
  std::vector<std::string_view> unparsed_names;  // declared by declarations with syntax errors
};

}  // namespace slac::ast
