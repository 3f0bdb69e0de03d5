// What the data covers, and the warnings a judgement needs when it reaches past the
// data: silence is judged (`seen … within` fails, other signals keep their last
// value), so a month after the data ends looks like an estate-wide outage, and a
// span that judges no window looks like all met. Nothing of this is dropped silently.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/plan.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::rt {

class JsonWriter;

struct Warning {
  std::string code;                 // stable, for machines: `no_complete_window`, `span_past_data`, ...
  std::optional<std::size_t> sla;   // index in Plan::slas, for a note on one SLA or KPI
  std::string message;              // for people, naming the SLA when there is one
  std::optional<std::pair<std::int64_t, std::int64_t>> window;  // no_complete_window: the first one there would be
};

// How long silence is normal before it is judged as something: the longest
// `seen … within` of the plan, or a day when the plan has none.
std::int64_t silence_grace(const Plan& plan);

struct SiteSilence {
  std::size_t site = 0;
  std::optional<std::int64_t> last_event;  // of its devices and its own signals; nullopt: none
};

struct Coverage {
  std::optional<std::int64_t> first_event;
  std::optional<std::int64_t> last_event;
  std::int64_t until = 0;                  // the end of what was judged
  std::int64_t grace = 0;                  // silence_grace
  std::vector<SiteSilence> silent_sites;   // last event more than `grace` before `until`, site order
};

// The dataset's first and last event, and the sites silent for longer than the grace
// before `until` (sites with devices or events only).
Coverage data_coverage(const Plan& plan, const Dataset& data, std::int64_t until);

// The end of what an evaluation judged: its latest window end, or its span's end.
std::int64_t judged_until(const Evaluation& ev);

// Whether an SLA or KPI judged nothing: no window lay wholly inside the span, or it
// had no group.
bool judged_nothing(const Evaluation& ev, std::size_t sla);

// eval's warnings: per selected SLA or KPI that judged nothing, or whose windows
// begin before its groups' data; a span reaching past the data; silent sites.
std::vector<Warning> eval_warnings(const Plan& plan, const Dataset& data, const Evaluation& ev, const Coverage& coverage,
                                   const std::vector<std::size_t>& selected);

// status's warnings: `--as-of` before the data's first event or past its last one by
// more than the grace; silent sites.
std::vector<Warning> status_warnings(const Dataset& data, std::int64_t as_of, const Coverage& coverage);

// `"coverage": {...}` and `"warnings": [...]` members of a JSON object being written.
void coverage_json(JsonWriter& w, const Dataset& data, const Coverage& coverage);
void warnings_json(JsonWriter& w, const Plan& plan, const std::vector<Warning>& warnings);
// One `warning: MESSAGE` line each, for standard error.
std::string warnings_text(const std::vector<Warning>& warnings);

}  // namespace slac::rt
