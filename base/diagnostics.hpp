// Diagnostics are data: stages append them to a sink, the driver renders them.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/source.hpp"

namespace slac {

enum class Severity { error, warning };

// Every diagnostic has a stable code. The registry (code, summary) is in
// diagnostics.cpp and printed in docs/diagnostics.md; tests trigger each one.
enum class Code {
  // E0xx: text
  syntax,               // E001 the text does not follow the grammar
  number_range,         // E002 a number, duration or amount that does not fit
  bad_date,             // E003 a date that does not exist
  bad_clock,            // E004 a clock time outside 00:00-24:00
  nesting,              // E005 a condition nested too deeply (parentheses, `not`, postfix operators)
  encoding,             // E006 not UTF-8, or a NUL byte
  reserved_name,        // E007 a reserved word used as a name
  // E1xx: names and files
  unknown_name,         // E101
  duplicate,            // E102
  wrong_kind,           // E103 a name of another kind than the place needs
  state_cycle,          // E104
  import_not_found,     // E105
  import_cycle,         // E106
  duplicate_header,     // E107
  unknown_member,       // E108 an enum member that does not exist
  // E2xx: types
  type_mismatch,        // E201
  not_bool,             // E202 a condition that is not a bool
  param_type,           // E203 a param of the wrong type for its place
  unknown_type,         // E204
  event_compare,        // E205 an event signal compared
  type_not_allowed,     // E206 a type not allowed in that declaration
  default_type,         // E207 an attribute default of the wrong type
  site_timezone,        // E208 `in site timezone` without a timezone site attribute
  // E3xx: levels
  device_level,         // E301 a device-level condition where a site-level one is needed
  not_static,           // E302 a changing condition where a static one is needed
  spanning_calendar,    // E303 a site-timezone calendar on a group spanning sites
  spanning_excluding,   // E304 a site-dependent exclusion on a group spanning sites
  // E4xx: values
  percent_range,        // E401
  duration_range,       // E402
  count_range,          // E403
  unknown_timezone,     // E404
  amount_range,         // E405
  currency_code,        // E406
  // E5xx: SLA rules
  missing_clause,       // E501
  duplicate_clause,     // E502
  kpi_clause,           // E503 a target, objective or penalty in a KPI
  tiers_grouping,       // E504 tiers on an estate-level grouping
  penalty_mix,          // E505 a fixed penalty and tiers together, or a cap alone
  calendar_conflict,    // E506 `of CAL` with `during` another calendar
  per_device_requirement,  // E507 the bare STATE form without `on any device`
  site_count,           // E508 `at least site.ATTR` misuse
  weighted_by,          // E509 `weighted by` misuse
  percent_requirement,  // E510 a percentage requirement without `of devices` / `weighted by`
  duplicate_tier,       // E511
  rounding_step,        // E512 a target that is not a multiple of its `rounded to` step
  interval_length,      // E520 a `counted in` interval length that does not divide a day (an hour)
  average_outage,       // E521 an outage objective or expectation with `on average`
  event_measure,        // E530 an event measure on a name that is not a signal, at the wrong level, or with outages
  mean_measure,         // E531 `mean of` over what is not a number, or with what needs a share of time
  amount_scope,         // E540 a figure or attribute where a penalty amount cannot take it
  amount_name,          // E541 a name in an amount that is not a number param, figure or number attribute
  amount_percent,       // E542 `of` without a percentage on its left
  window_start,         // E550 a window as written cannot be judged: a start day for a unit other than weeks, 24:00, `in site timezone`
  periods_list,         // E551 a periods list with dates that do not increase, or fewer than two
  allowance_range,      // E560 `up to D per calendar UNIT` with D as long as the unit
  // E6xx: tests
  test_entity,          // E601 an unknown or duplicate site or device in a test
  test_attribute,       // E602 a missing or unknown attribute in a test
  test_value,           // E603 an event or expectation that does not fit the contract
  test_span,            // E604 a test span that is empty or repeated
  // Wxxx: warnings, which never change an exit code
  warn_at_target,       // W001 `warn below` at or under the target: no near miss can happen
  unused_signal,        // W002 a signal that no state, SLA or KPI uses
  unusual_currency,     // W003 a rarely used ISO 4217 code one letter from a common one
};

struct CodeInfo {
  Code code;
  std::string_view id;       // "E101", or "W001" for a warning
  std::string_view summary;  // one line, for SARIF rules and the docs
};

const std::vector<CodeInfo>& code_registry();
std::string_view code_id(Code code);

struct Note {
  std::string message;
  std::optional<Range> range;
};

struct Diagnostic {
  Severity severity = Severity::error;
  Code code = Code::syntax;
  std::string message;
  Range range;
  std::vector<Note> notes;
};

// The sink. Stages keep going after an error; past `cap` errors, further ones are
// counted but not kept, and one line says how many were left out.
class Diagnostics {
 public:
  explicit Diagnostics(std::size_t cap = 100) : cap_(cap) {}

  Diagnostic& error(Code code, Range range, std::string message);
  Diagnostic& warning(Code code, Range range, std::string message);
  // The returned reference is valid until the next diagnostic is added.
  Diagnostic& add(Diagnostic d);

  const std::vector<Diagnostic>& list() const { return list_; }
  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return warnings_; }
  std::size_t dropped() const { return dropped_; }
  bool has_errors() const { return errors_ > 0; }
  bool full() const { return list_.size() >= cap_; }
  // Whether `d` (a reference returned by error/warning/add) is kept and shown: past the
  // cap, work that only improves a message (a "did you mean") can be skipped.
  bool shown(const Diagnostic& d) const { return &d != &overflow_; }
  std::size_t cap() const { return cap_; }
  // Sorted by file, then position, for stable output.
  void sort();

 private:
  std::vector<Diagnostic> list_;
  std::size_t cap_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  std::size_t dropped_ = 0;
  Diagnostic overflow_;
};

struct RenderOptions {
  bool color = false;
};

// `file:line:col: error: message [CODE]`, the source line and a caret under the range.
std::string render_text(const Diagnostics& diags, const SourceManager& sources, RenderOptions opts = {});
// One JSON object per diagnostic: file, line, column, end_line, end_column,
// severity, code, message, notes.
nlohmann::ordered_json diagnostics_json(const Diagnostics& diags, const SourceManager& sources);
// SARIF 2.1.0 `results` entries, and the whole log around them.
nlohmann::ordered_json sarif_results(const Diagnostics& diags, const SourceManager& sources);
nlohmann::ordered_json sarif_log(nlohmann::ordered_json results, std::string_view version);

// "did you mean" suggestion: the closest candidate by edit distance, if close enough.
// Linear in the candidates, each compared in time bounded by the names' lengths (only
// distances up to the threshold are computed).
std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace slac
