// libFuzzer target: an events file read under the fixture (fuzz/fixture.hpp), then,
// when its span is at most 40 days, evaluated and written as JSON. Every row must be
// accounted for; nothing may crash or hang.
#include <cstdint>

#include "compiler/plan.hpp"
#include "fuzz/fixture.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/output.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static slac::fuzz::Fixture fixture;
  std::optional<slac::rt::Dataset> d = slac::fuzz::load_events(fixture, data, size);
  if (!d) return 0;
  const slac::Model& model = fixture.compiled.model;
  try {
    std::string error;
    auto span = slac::rt::default_span(*d, model.timezone, std::nullopt, std::nullopt, error);
    if (span && span->to - span->from <= 40LL * slac::ms_per_day) {
      std::vector<slac::ParamValue> params;
      for (const auto& p : model.params) params.push_back(p.value);
      slac::Plan plan = slac::lower(model, params);
      auto ev = slac::rt::evaluate(plan, *d, span->from, span->to, {0, 1, 2});
      (void)slac::rt::eval_json(plan, ev, d->counts);
    }
  } catch (const slac::rt::DataError&) {
    // A located error is a correct answer to bad input.
  }
  return 0;
}
