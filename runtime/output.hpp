// What `slac eval` prints: the JSON of SPEC 5.1, CSV, and the table a finance person
// reads at month end.
#pragma once
#include <string>

#include "compiler/plan.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::rt {

// A small JSON builder with exact control of number text (SPEC 5.1: numbers in full,
// shortest round-trip form).
class JsonWriter {
 public:
  explicit JsonWriter(bool pretty = true) : pretty_(pretty) {}
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& string(std::string_view s);
  JsonWriter& raw(std::string_view number_or_literal);  // a number, true, false or null
  JsonWriter& boolean(bool b) { return raw(b ? "true" : "false"); }
  JsonWriter& null() { return raw("null"); }
  // A compact one-line object, for rows of arrays.
  JsonWriter& begin_inline_object();
  std::string take();

 private:
  void before_value();
  void newline();
  std::string out_;
  struct Level {
    bool first = true;
    bool inline_ = false;
  };
  std::vector<Level> stack_;
  bool pretty_;
  bool after_key_ = false;
};

std::string json_string(std::string_view s);
// Milliseconds as seconds, exactly: 864000, 7.5, 0.001.
std::string seconds_text(std::int64_t ms);
// The double nearest good / measured, in shortest round-trip form.
std::string attainment_text(std::int64_t good, std::int64_t measured);
// A row's: the mean of device ratios under `on average per device`.
std::string attainment_text(const ResultRow& r);
// good_s: good time in seconds, or under `mean of` the integral of its number.
std::string good_seconds_text(const ResultRow& r);
// A percentage in percent units as a fraction: 90 -> 0.9.
std::string fraction_text(const Decimal& percent);

struct Coverage;
struct Warning;
// With `coverage` (and the dataset it names sites of), the JSON also holds the
// `coverage` object and the `warnings` list, and the table a section for each SLA
// that judged nothing, with its note.
std::string eval_json(const Plan& plan, const Evaluation& ev, const DataCounts& counts, const Dataset* data = nullptr,
                      const Coverage* coverage = nullptr, const std::vector<Warning>* warnings = nullptr);
std::string eval_csv(const Plan& plan, const Evaluation& ev);
std::string eval_table(const Plan& plan, const Evaluation& ev, const DataCounts& counts, bool color,
                       const std::vector<Warning>* warnings = nullptr);

// What eval's JSON and table say of a row, for the report to say the same (SPEC 5.5).
// Whether an SLA's penalties are per group (not `on every` / `on at least P%`).
bool per_group_penalty(const SlaPlan& s);
// Whether an SLA's rows count events rather than time (SPEC 4.4).
bool counts_events(const SlaPlan& s);
// The JSON `attainment` and `rounded_attainment` of a row (`null` when nothing was measured).
std::string row_attainment_text(const SlaPlan& s, const ResultRow& r);
std::string rounded_text(const ResultRow& r);
// The table's `98.38%` (`n/a` when nothing was measured), and for a breach or near
// miss against a fixed duration or rounded, as judged: `96.96% (97%)`.
std::string percent_text(const ResultRow& r);
std::string row_percent_text(const SlaPlan& s, const ResultRow& r);
// The target as the table's terms line gives it: `target 90%`, `target more than 97% of 365d`.
std::string target_terms(const SlaPlan& s);
// A penalty as the table's heading states it: a plain amount as money, an expression
// as written.
std::string amount_terms(const PlanAmount& amount, const std::optional<std::string>& currency);

// How a window is named for people, in the contract's time zone: `2026-03`,
// `2026-03-02`, `week of 2026-03-02`, `2026-Q1`, `2026`, or `START .. END`.
std::string window_label(const SlaPlan& sla, const Zone& zone, std::int64_t start, std::int64_t end);
// `1,234.5` with the currency, or a bare amount when there is none.
std::string money(const Decimal& amount, const std::optional<std::string>& currency);
// `26h 10m`, `3d 4h`, `45s`.
std::string human_duration(std::int64_t ms);
// A contract's term, exactly: every unit that is not zero (`3h 42m 54s`, `1d 30m`),
// where human_duration rounds to two units (results, not terms).
std::string exact_duration(std::int64_t ms);

}  // namespace slac::rt
