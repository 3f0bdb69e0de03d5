// `slac status`: the windows in progress at an instant, managed to the SLA (SPEC 5.2):
// budgets, the state of each group, when an ongoing failure would breach, and the
// probability of meeting the SLA by the end of the window.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/plan.hpp"
#include "runtime/coverage.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::rt {

enum class GroupState { secured, on_track, at_risk, breached };
std::string_view state_name(GroupState s);

struct StatusRow {
  std::size_t sla = 0;
  std::int64_t window_start = 0;
  std::int64_t window_end = 0;
  std::string group;
  std::optional<std::size_t> site;
  std::int64_t measured_so_far = 0;  // ms
  std::int64_t good_so_far = 0;
  std::int64_t measured_total = 0;
  bool has_budget = false;           // the SLA has a percentage or downtime objective (SPEC 4.4)
  Decimal budget;                    // ms, exact
  std::int64_t budget_used = 0;
  Decimal budget_left;
  bool failing_now = false;
  GroupState state = GroupState::on_track;
  std::optional<std::int64_t> breach_at;
  std::optional<double> p_meet;      // null: no model of the future (`mean of`, docs/status.md)
  bool counts_events = false;        // an event measure: the so-far figures are counts of events
};

// An SLA whose windows containing T are too many to show: a rolling window of N days
// contains every instant in N windows; status shows at most max_status_windows.
struct StatusError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
inline constexpr std::int64_t max_status_windows = 1'000;

// How much work a call did, for tests that keep its cost in check: the simulation must
// not read the whole history again for every simulated window.
struct StatusWork {
  std::size_t group_windows = 0;     // rows computed
  std::size_t simulations = 0;       // simulated windows, for p_meet
  std::size_t run_lengths_read = 0;  // history runs read to prepare p_meet's draws
};

struct StatusOptions {
  std::uint64_t seed = 20260301;
  int simulations = 2000;            // per group-window, fewer when there are very many
  bool time_of_week = true;          // fit hour-of-week (and holiday) rates; off: runs in plain measured time
  // Called after each group-window with how many are done out of how many.
  std::function<void(std::size_t done, std::size_t total)> progress;
  StatusWork* work = nullptr;        // when set, counts the work done
};

// The rows for every selected SLA's windows that contain `as_of`, in the order in which
// to work on them. Events at or after `as_of` play no part. With `consume`, events are
// freed as devices are done.
std::vector<StatusRow> status(const Plan& plan, Dataset& data, std::int64_t as_of, const std::vector<std::size_t>& selected,
                              const StatusOptions& options, bool consume = true);

// With `warnings` (rt::status_warnings), a `warnings` list follows the groups.
std::string status_json(const Plan& plan, std::int64_t as_of, const std::vector<StatusRow>& rows,
                        const std::vector<Warning>* warnings = nullptr);
// The table's words for a row: p_meet as a percentage with one decimal, a probability
// that is not 0 or 1 never shown as 0.0% or 100.0% (`<0.1%`, `>99.9%`, `-` for null);
// the budget left as a duration, whole seconds towards zero, `-` without a budget.
std::string p_meet_text(const std::optional<double>& p);
std::string budget_left_text(const StatusRow& r);
std::string status_table(const Plan& plan, const Dataset& data, std::int64_t as_of, const std::vector<StatusRow>& rows,
                         bool color);

}  // namespace slac::rt
