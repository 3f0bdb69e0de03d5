// The checked contract: every name resolved, every expression typed, every value in
// range. This is what the checker produces and what lowering turns into a plan.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/decimal.hpp"
#include "base/source.hpp"
#include "base/time.hpp"
#include "grammar/ast.hpp"

namespace slac {

using ast::Level;

enum class ValueType { boolean, number, string, event, enumeration, timezone };
enum class ParamType { percent, number, duration, boolean };

std::string_view type_name(ValueType t);
std::string_view param_type_name(ParamType t);

// A param's value: a percentage (in percent units: 90 for 90%), a number, a duration
// in milliseconds, or a bool.
struct ParamValue {
  ParamType type = ParamType::number;
  Decimal number;          // percent and number
  std::int64_t ms = 0;     // duration
  bool flag = false;       // boolean

  std::string to_string() const;  // as written in a contract: 90%, 3, 1h30m, true
  friend bool operator==(const ParamValue&, const ParamValue&) = default;
};

// A literal, or a reference to a param whose value is looked up when the plan is made
// (so that `--set` and `whatif` can change it).
struct Quantity {
  std::optional<std::size_t> param;
  ParamValue literal;
  Range range;
};

// A static value of a signal or attribute, for comparisons and defaults.
struct Scalar {
  ValueType type = ValueType::number;
  bool flag = false;              // boolean
  Decimal number;                 // number
  std::string text;               // string, timezone
  std::uint32_t member = 0;       // enumeration: index into the declaration's members
  std::optional<std::size_t> param;  // a number or bool param standing for the value

  std::string to_string(const std::vector<std::string>& members) const;
};

struct SignalInfo {
  std::string name;
  Level level = Level::device;
  ValueType type = ValueType::event;
  std::vector<std::string> members;
  Range decl;
};

struct AttributeInfo {
  std::string name;
  Level level = Level::device;
  ValueType type = ValueType::string;
  std::vector<std::string> members;
  std::optional<Scalar> default_value;
  Range decl;
};

struct ParamInfo {
  std::string name;
  ParamValue value;
  Range decl;
};

struct HolidaysInfo {
  std::string name;
  std::vector<std::int64_t> days;  // days since 1970-01-01, sorted, unique
  Range decl;
};

// `periods NAME = DATE, ...` (SPEC 4.4): the local days on which its periods start,
// increasing; the last only closes the last period.
struct PeriodsInfo {
  std::string name;
  std::vector<std::int64_t> days;
  Range decl;
};

struct SpanInfo {
  std::uint8_t weekdays = 0;       // bit d set: the span starts on weekday d (0 = Monday)
  int start_minute = 0;            // minutes after local midnight
  int end_minute = 0;              // <= start_minute: runs past midnight
  Range range;
};

struct CalendarInfo {
  std::string name;
  std::vector<SpanInfo> spans;
  ast::ZoneKind zone_kind = ast::ZoneKind::contract;
  Zone zone;                       // for named zones
  std::vector<std::size_t> holidays;
  Range decl;
};

// ---------------------------------------------------------------------------
// Typed expressions, stored in one arena (`Model::exprs`) and referred to by index.

using ExprId = std::uint32_t;

enum class ExprKind {
  constant,      // flag
  signal_compare,// signal, op, scalars[0]
  signal_in,     // signal, scalars
  bool_signal,   // signal
  attr_compare,  // attribute, op, scalars[0]
  attr_in,       // attribute, scalars
  bool_attr,     // attribute
  seen,          // signal, duration
  during,        // calendar
  state,         // state
  bool_param,    // param
  not_,          // children[0]
  and_,          // children
  or_,           // children
  lasting,       // children[0], duration
  ignoring_gaps, // children[0], duration
  capped_each,   // children[0], duration: the first `duration` of each maximal interval
  capped_per,    // children[0], duration, unit: at most `duration` per calendar unit
};

struct CExpr {
  ExprKind kind = ExprKind::constant;
  bool flag = false;
  ast::CmpOp op = ast::CmpOp::eq;
  std::size_t ref = 0;             // signal, attribute, calendar, state or param index
  std::vector<Scalar> scalars;
  Quantity duration;
  ast::CalendarUnit unit = ast::CalendarUnit::day;  // capped_per
  std::vector<ExprId> children;
  Range range;
};

// What an expression depends on, for the level rules of SPEC 4.2 and 4.3.
struct ExprTraits {
  bool device_dependent = false;   // device signals or device attributes
  bool site_dependent = false;     // site signals, site attributes, site-timezone calendars
  bool dynamic = false;            // signals, seen, calendars: changes over time
};

struct StateInfo {
  std::string name;
  ExprId expr = 0;
  ExprTraits traits;
  Range decl;
};

// ---------------------------------------------------------------------------
// SLAs and KPIs

enum class GroupingKind { any_site, any_device, any_attribute, every_site, percent_of_sites, all_sites };
enum class RequirementKind { at_least, at_most, percent_of_devices, weighted, site_attribute, all, per_device,
                             average_pooled, average_per_device,
                             events /* STATE of SIGNAL events (SPEC 4.4): good events / counted events */,
                             mean /* mean of EXPR (SPEC 4.4): the time-weighted mean of a number expression */ };
// `on average [per device]` (SPEC 4.4): measured per device, in device-time.
inline bool device_average(RequirementKind k) {
  return k == RequirementKind::average_pooled || k == RequirementKind::average_per_device;
}
// The measures over device-time: each device measured alone, in its own site's zone
// (`on average` and `mean of`), so groups spanning sites may use site calendars.
inline bool device_time_measure(RequirementKind k) { return device_average(k) || k == RequirementKind::mean; }

struct WindowSpec {
  bool rolling = false;
  ast::CalendarUnit unit = ast::CalendarUnit::month;
  ast::RollingUnit rolling_unit = ast::RollingUnit::days;
  Quantity count;                  // rolling
  // Calendar windows `starting [DAY] HH:MM` (SPEC 4.4): each starts this many minutes
  // after local midnight, weeks on this day (0 = Monday).
  std::int64_t start_minute = 0;
  unsigned start_weekday = 0;
  // `period of N days|weeks starting DATE`: count and rolling_unit give the length, from
  // the local midnight of anchor_day (days since 1970-01-01).
  bool period = false;
  std::int64_t anchor_day = 0;
  // `in any NAME period`: the list's days (PeriodsInfo), copied so the runtime needs no model.
  std::optional<std::size_t> periods;
  std::vector<std::int64_t> period_days;
  // `... in site timezone`: each group's windows are those of its site's zone (SPEC 4.4).
  bool site_zone = false;
  Range range;

  // Windows of calendar units (`starting` or not), as opposed to rolling and periods.
  bool calendar() const { return !rolling && !period && !periods; }
  bool moved_start() const { return start_minute != 0 || start_weekday != 0; }
  // Where calendar windows start, as written after `starting`: `05:00`, `mon 08:00`.
  std::string start_text() const;
};

struct GroupingSpec {
  GroupingKind kind = GroupingKind::any_site;
  std::size_t attribute = 0;       // any_attribute: a device attribute, or a site attribute (`on any site.ATTR`)
  Quantity percent;                // percent_of_sites
  std::optional<ExprId> where;
  Range range;

  bool by_site() const {
    return kind == GroupingKind::any_site || kind == GroupingKind::every_site || kind == GroupingKind::percent_of_sites;
  }
  bool spans_sites() const { return kind == GroupingKind::any_attribute || kind == GroupingKind::all_sites; }
  bool estate_verdict() const { return kind == GroupingKind::every_site || kind == GroupingKind::percent_of_sites; }
};

// `mean of EXPR` (SPEC 4.4): the number expression, children before parents and the
// root last. Percentages are read as fractions (`100%` is 1).
enum class NumOp : std::uint8_t { literal, param, signal, attribute, chain };
struct NumNode {
  NumOp op = NumOp::literal;
  Decimal number;                  // literal
  std::size_t ref = 0;             // param, signal or attribute index
  std::vector<std::uint32_t> operands;  // chain, left to right
  std::string ops;                 // chain: ops[i] ('+', '-', '*', '/') joins operands i and i + 1
  Range range;
};

struct RequirementSpec {
  RequirementKind kind = RequirementKind::at_least;
  Quantity amount;                 // count or percent
  std::size_t attribute = 0;       // site_attribute: the site attribute; weighted: the device attribute
  ExprId state = 0;
  bool written_no_more_than = false;
  std::size_t events_signal = 0;   // events: the signal whose events are counted
  std::vector<NumNode> mean;       // mean: EXPR
  std::optional<Quantity> unknown_as;  // mean: `unknown as NUMBER` (a number, or a fraction)
  Range range;
};

struct OutageCountSpec {
  Quantity count;
  std::optional<Quantity> longer_than;
  Range range;
};

// A penalty amount (SPEC 4.4), in postfix order (each operator after its two
// operands), so that it is evaluated with a stack and never recursively. `P% of X` is
// a product; percentages (literals, params, `attainment`, `shortfall`) are fractions.
enum class AmountFigure { attainment, shortfall, downtime_hours };
enum class AmountNodeKind { literal, param, figure, attribute, add, subtract, multiply, divide };
struct AmountNode {
  AmountNodeKind kind = AmountNodeKind::literal;
  Decimal number;                  // literal: percent units when `percent`
  bool percent = false;            // literal: a percentage, read as a fraction; multiply: written `of`
  std::size_t ref = 0;             // param or attribute index
  AmountFigure figure = AmountFigure::attainment;
  Range range;
};
bool amount_uses_group(const std::vector<AmountNode>& postfix);
struct AmountSpec {
  std::vector<AmountNode> postfix;
  Range range;
  // Uses the row's figures or the group's attributes: only per-group penalties may.
  bool per_group() const { return amount_uses_group(postfix); }
  // The single literal or param it is, if it is nothing more.
  const AmountNode* single() const { return postfix.size() == 1 ? &postfix.front() : nullptr; }
};
std::string_view figure_name(AmountFigure f);

struct TierSpec {
  Quantity below;
  AmountSpec amount;
  Range range;
};

// `counted in D intervals, failed if any | all | over P%` (SPEC 4.4).
struct CountedSpec {
  Quantity length;                 // a duration dividing a day (an hour under rolling hours)
  ast::FailedIf failed_if = ast::FailedIf::any;
  std::optional<Quantity> over;    // failed if over P%
  Range range;
};

struct SlaInfo {
  std::string name;
  bool is_kpi = false;
  WindowSpec window;
  GroupingSpec grouping;
  RequirementSpec requirement;
  std::optional<Quantity> target;          // for at least P%
  bool of_calendar = false;                // the target was written `of CALENDAR`
  std::optional<std::size_t> during;       // calendar
  Range during_range;
  std::optional<Quantity> max_outage;      // with no outage longer than D
  std::vector<OutageCountSpec> outage_counts;
  std::optional<ExprId> only;
  std::optional<ExprId> excluding;
  std::optional<AmountSpec> penalty;
  std::vector<TierSpec> tiers;
  std::optional<AmountSpec> cap;
  std::optional<Quantity> warn;
  std::optional<CountedSpec> counted;
  // The target forms of SPEC 4.4 (checked in checker/targets.cpp).
  bool target_more_than = false;           // for more than P%
  std::optional<Quantity> rounding;        // rounded to Q%
  std::optional<Quantity> target_of;       // for ... of D: against a fixed duration
  std::optional<Quantity> max_downtime;    // with at most (less than) D of downtime
  bool downtime_less_than = false;
  Range decl;
  Range text;                              // the whole declaration, `sla NAME {` to `}` (the report's terms as written)
};

// ---------------------------------------------------------------------------
// Test blocks, resolved: the data they declare and what they expect.

struct TestAttr {
  std::size_t attribute = 0;
  Scalar value;
};

struct TestEntity {
  std::string id;
  std::string site;                // devices
  std::vector<TestAttr> attributes;
  Range range;
};

struct TestEvent {
  Millis time = 0;
  std::string entity;
  std::size_t signal = 0;
  std::optional<Scalar> value;
  Range range;
  // A repetition (`every D from A to B`, `every day at HH:MM from A to B`) is kept as
  // one entry, so that checking a contract never expands it: it stands for an event
  // at `time` and then each `every` later, or for one each local day at `daily_clock`
  // (ms after local midnight in the contract's zone) from `time`; all before `until`.
  Millis every = 0;
  std::optional<Millis> daily_clock;
  Millis until = 0;
};

// The instants of a test event, in order: one, or each of a repetition's (SPEC 2 for
// the daily form: a time in a gap is the gap's end, a repeated one its earlier
// occurrence).
template <typename OnTime>
void for_each_occurrence(const TestEvent& e, const Zone& zone, OnTime on_time) {
  if (e.daily_clock) {
    std::int64_t first_day = floor_div(utc_to_local(zone, e.time), ms_per_day) - 1;
    std::int64_t last_day = floor_div(utc_to_local(zone, e.until), ms_per_day) + 1;
    for (std::int64_t day = first_day; day <= last_day; ++day) {
      Millis t = local_to_utc(zone, day * ms_per_day + *e.daily_clock);
      if (t >= e.time && t < e.until) on_time(t);
    }
  } else if (e.every > 0) {
    for (Millis t = e.time; t < e.until; t += e.every) on_time(t);
  } else {
    on_time(e.time);
  }
}

struct TestExpectation {
  ast::ExpectWhat what = ast::ExpectWhat::met;
  std::optional<std::size_t> sla;
  bool verdict = false;
  std::optional<std::string> group;
  std::optional<Millis> window_start;
  // The window's name as local wall-clock time (ms since 1970-01-01 local) when written
  // without an offset: windows `in site timezone` are matched in the group's zone.
  std::optional<Millis> window_local;
  Decimal number;                  // attainment as a fraction, penalty amount, outage count
  std::int64_t ms = 0;             // durations
  Decimal tolerance;               // attainment, as a fraction
  Range range;
};

struct TestInfo {
  std::string name;
  std::optional<Millis> from;
  std::optional<Millis> to;
  std::vector<std::pair<std::size_t, ParamValue>> params;
  std::vector<TestEntity> sites;
  std::vector<TestEntity> devices;
  std::vector<TestEvent> events;   // in the order written (repeats expanded)
  std::vector<TestExpectation> expectations;
  Range decl;
};

// ---------------------------------------------------------------------------

struct Model {
  std::string name;
  std::optional<std::string> customer;
  std::optional<std::string> currency;
  std::optional<std::string> version;
  Zone timezone = utc_zone();

  std::vector<SignalInfo> signals;
  std::vector<AttributeInfo> attributes;   // device and site
  std::vector<ParamInfo> params;
  std::vector<HolidaysInfo> holidays;
  std::vector<PeriodsInfo> periods;
  std::vector<CalendarInfo> calendars;
  std::vector<StateInfo> states;
  std::vector<SlaInfo> slas;               // SLAs and KPIs in declaration order
  std::vector<TestInfo> tests;
  std::vector<CExpr> exprs;

  std::optional<std::size_t> find_signal(std::string_view name) const;
  std::optional<std::size_t> find_attribute(Level level, std::string_view name) const;
  std::optional<std::size_t> find_param(std::string_view name) const;
  std::optional<std::size_t> find_sla(std::string_view name) const;
};

// Text without the spaces and tabs around it.
std::string_view trim_blanks(std::string_view text);

// Parses a param value as `--set` gives it (`95%`, `3`, `4h`, `true`), for a param of
// type `type`; nullopt with a reason when it does not fit. Spaces around the value
// (`--set "target= 95%"`) are not part of it.
std::optional<ParamValue> parse_param_value(std::string_view text, ParamType type, std::string& why);

// W001's message when an SLA's `warn below` is at or under its target, so that no met
// window can be a near miss; nullopt otherwise. Params take the values `params` gives
// (one per Model::params, as `--set` leaves them), or their declared ones when empty.
std::optional<std::string> warn_at_target(const Model& model, const SlaInfo& sla,
                                          const std::vector<ParamValue>& params = {});

// A penalty amount as text, with the parentheses it needs: `10% of site.monthly_bill`.
std::string amount_text(const Model& model, const AmountSpec& amount);

// A condition as text, fully parenthesised.
std::string expr_text(const Model& model, ExprId id);
// A grouping attribute as written after `on any`: `kind`, or `site.region`.
std::string attribute_text(const Model& model, std::size_t attribute);

// A deterministic text of the checked model without source positions: two contracts
// mean the same exactly when their canonical texts are equal (used by fmt's tests).
std::string canonical_text(const Model& model);

}  // namespace slac
