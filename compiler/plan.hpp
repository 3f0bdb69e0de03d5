// The evaluation plan: a DAG of interval operators with shared sub-expressions made
// once, and per SLA the numbers it needs, with every param resolved. The runtime sees
// only this, never the syntax tree.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/model.hpp"

namespace slac {

using NodeId = std::uint32_t;

// Where a node's value varies: nowhere (the same for every device), per site, or per
// device. A node is evaluated once at its level and shared below it.
enum class NodeLevel : std::uint8_t { global, site, device };

enum class NodeOp : std::uint8_t {
  constant,       // all or nothing
  signal_test,    // a value signal's value is one of `accepted` / compares so
  seen,           // an event of the signal in the last `duration`
  calendar,       // inside a calendar (in the zone its kind says)
  attribute_test, // a static attribute test: all or nothing per entity
  not_,
  and_,
  or_,
  lasting,
  ignoring_gaps,
  capped_each,    // the first `duration` of each maximal interval of the child
  capped_per,     // the child, at most `duration` of it per calendar `unit` of the contract's zone
};

struct PlanNode {
  NodeOp op = NodeOp::constant;
  NodeLevel level = NodeLevel::global;
  bool flag = false;                 // constant
  std::size_t ref = 0;               // signal, calendar or attribute
  // signal_test and attribute_test: the comparison, params resolved.
  ast::CmpOp cmp = ast::CmpOp::eq;
  std::vector<Scalar> values;        // `==`-like: any of them; ordering: values[0]
  bool negate_membership = false;    // `!=`: none of them
  std::int64_t duration = 0;         // seen, lasting, ignoring_gaps, capped_* (ms)
  ast::CalendarUnit unit = ast::CalendarUnit::day;  // capped_per
  std::vector<NodeId> children;
  Range source;                      // the text it came from
};

// A penalty amount (SPEC 4.4) with its params resolved: literals, figures and
// attributes in postfix order (compiler/model.hpp), evaluated per row by the runtime.
struct PlanAmount {
  std::vector<AmountNode> postfix;
  std::string text;                  // canonical, with the params' values
  bool per_group() const { return amount_uses_group(postfix); }
};

struct SlaPlan {
  std::size_t sla = 0;               // index in Model::slas
  std::string name;
  bool is_kpi = false;
  WindowSpec window;
  std::int64_t window_count = 0;     // rolling length, resolved

  GroupingKind grouping = GroupingKind::any_site;
  std::size_t group_attribute = 0;
  Decimal sites_percent;             // on at least P% of sites (percent units)
  std::optional<NodeId> where;       // static: evaluated per site or per device

  RequirementKind requirement = RequirementKind::at_least;
  Decimal amount;                    // count, or percent units
  std::size_t requirement_attribute = 0;
  NodeId state = 0;
  std::size_t events_signal = 0;     // RequirementKind::events: the counted signal
  std::vector<NumNode> mean;         // RequirementKind::mean: EXPR, params resolved to literals
  std::optional<Decimal> unknown_as; // mean: the value of instants where EXPR is unknown
  std::optional<NodeId> scope;       // only
  std::optional<NodeId> excluding;
  std::optional<NodeId> during;      // a calendar node

  std::optional<Decimal> target;     // percent units
  std::optional<std::int64_t> max_outage;
  struct OutageCount {
    std::int64_t count = 0;
    std::int64_t longer_than = 0;    // 0: every outage
  };
  std::vector<OutageCount> outage_counts;
  std::optional<PlanAmount> penalty;
  struct Tier {
    Decimal below;                   // percent units
    PlanAmount amount;
  };
  std::vector<Tier> tiers;           // sorted by threshold, ascending
  std::optional<PlanAmount> cap;
  std::optional<Decimal> warn;       // percent units
  // counted in D intervals, failed if ... (SPEC 4.4): the requirement quantised.
  struct Counting {
    std::int64_t length = 0;         // ms, dividing a day (an hour under rolling hours)
    std::int64_t day_start = 0;      // ms after local midnight at which the windows' days start
    ast::FailedIf failed_if = ast::FailedIf::any;
    Decimal over;                    // failed if over P% (percent units)
  };
  std::optional<Counting> counted;
  // The target forms of SPEC 4.4; compiler/targets.hpp says what they mean.
  bool target_more_than = false;     // for more than P%
  std::optional<Decimal> rounding;   // rounded to Q% (percent units)
  std::optional<std::int64_t> target_of;     // for ... of D: the fixed denominator (ms)
  std::optional<std::int64_t> max_downtime;  // with at most (less than) D of downtime (ms)
  bool downtime_less_than = false;
  Range source;
};

struct Plan {
  const Model* model = nullptr;
  std::vector<ParamValue> params;    // the values used (declared, or set)
  std::vector<PlanNode> nodes;       // children before parents
  std::vector<SlaPlan> slas;         // in declaration order
  // The decimals of the currency's minor unit (ISO 4217; 2 without a currency), to
  // which each row's penalty is rounded half up.
  unsigned money_decimals = 2;
};

// Lowers a checked model with these param values (one per Model::params).
Plan lower(const Model& model, const std::vector<ParamValue>& params);
// The declared values, with `--set NAME=VALUE` overrides applied; an error message
// for an unknown param or a value of the wrong type.
std::optional<std::vector<ParamValue>> param_values(const Model& model,
                                                    const std::vector<std::pair<std::string, std::string>>& sets,
                                                    std::string& error);
// Why these param values leave an SLA without windows (a param-sized window length set
// to 0), for a usage error rather than silence; nullopt when every SLA has windows.
std::optional<std::string> empty_windows(const Model& model, const std::vector<ParamValue>& params);
// The first SLA whose target, with these param values, is not a multiple of its
// `rounded to` step (SPEC 4.4; the checker's E512 for the contract's own values): what
// --set and --sweep refuse, as a message; nullopt when none.
std::optional<std::string> off_step_target(const Model& model, const std::vector<ParamValue>& params);
// A param value that the checker's E401 would refuse where a literal stands: a
// `rounded to` step of 0%, a `for more than` target of 100%, `failed if over 100%`.
// What --set and --sweep refuse, as a message; nullopt when none.
std::optional<std::string> meaningless_param(const Model& model, const std::vector<ParamValue>& params);

// `slac explain`: the plan, readably, each node with the contract line it comes from;
// only the nodes the plan's SLAs use.
std::string explain_plan(const Plan& plan, const SourceManager& sources);
// One SLA's or KPI's part of it (windows, groups, scope, requirement, what is measured,
// objectives, penalties), one `  name: words` line each, every condition written by
// `ref`: `#7` in the plan, the contract's own text in a report (SPEC 5.5).
std::string explain_sla(const Plan& plan, const SlaPlan& sla, const std::function<std::string(NodeId)>& ref);

}  // namespace slac
