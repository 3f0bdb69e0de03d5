// `slac whatif`: the history replayed over candidate terms (SPEC 5.3). Evaluations are
// shared between values: a target sweep judges one evaluation again, a count sweep
// reuses each group's counts over time; only terms that change conditions re-evaluate.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "compiler/plan.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::rt {

struct Sweep {
  std::size_t param = 0;
  std::vector<ParamValue> values;
};

// `target=85%..99%/1%`, `min_available=1..3`, `repair=2h..8h/30m`: the values, of the
// param's type, from A to B inclusive; nullopt with a message otherwise.
std::optional<Sweep> parse_sweep(const Model& model, std::string_view text, std::string& error);

// Does the SLA (or what its conditions use) depend on the param?
bool sla_uses_param(const Model& model, std::size_t sla, std::size_t param);

// Whether a higher value of the param makes the SLA stricter (true) or looser (false);
// nullopt with the reason when it is not a term of strictness (an amount, a condition).
std::optional<bool> higher_is_stricter(const Model& model, std::size_t sla, std::size_t param, std::string& why);

struct WhatifRow {
  std::vector<ParamValue> values;    // one per sweep
  std::uint64_t judgements = 0;      // group-windows, or windows for estate verdicts
  std::uint64_t met = 0;
  Decimal penalty;                   // the verdicts' penalties, capped
};

struct WhatifResult {
  std::size_t sla = 0;
  std::vector<std::size_t> params;   // swept, in order
  std::vector<WhatifRow> rows;       // the first sweep varies slowest
  std::size_t evaluations = 0;       // how many times conditions were evaluated
};

WhatifResult whatif(const Model& model, const std::vector<ParamValue>& base, Dataset& data, std::int64_t from,
                    std::int64_t to, std::size_t sla, const std::vector<Sweep>& sweeps);

// The index of the strictest row whose share met is at least `confidence` (a fraction).
std::optional<std::size_t> recommend(const WhatifResult& result, const Decimal& confidence, bool higher_stricter);

std::string whatif_json(const Model& model, const WhatifResult& result, std::optional<std::size_t> recommended);
std::string whatif_csv(const Model& model, const WhatifResult& result);
std::string whatif_table(const Model& model, const WhatifResult& result, std::optional<std::size_t> recommended,
                         const std::optional<Decimal>& confidence, bool color);
// The chart (--chart, SPEC 5.3): share met and penalty against the swept value, the
// recommended value marked, the period judged [from, to) in the caption. SVG text.
std::string whatif_svg(const Model& model, const WhatifResult& result, std::optional<std::size_t> recommended,
                       std::int64_t from, std::int64_t to);

// A param value as JSON: percentages as fractions, durations in seconds.
std::string param_json(const ParamValue& v);

}  // namespace slac::rt
