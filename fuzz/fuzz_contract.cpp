// libFuzzer target: a contract text through the parser and the checker, and, when it
// checks, the formatter (idempotent) and the planner. Must never crash or hang.
#include <cstdint>
#include <string>

#include "compiler/loader.hpp"
#include "compiler/plan.hpp"
#include "format/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  slac::Compilation c = slac::compile_file("fuzz.sla", text);
  (void)slac::render_text(c.diags, c.program->sources);
  slac::SourceManager sm;
  slac::Diagnostics d;
  auto once = slac::format_source(sm.add("fuzz.sla", text), d);
  if (once) {
    slac::Diagnostics d2;
    auto twice = slac::format_source(sm.add("fuzz2.sla", *once), d2);
    if (!twice || *twice != *once) __builtin_trap();  // fmt must be idempotent
  }
  if (c.ok()) {
    std::vector<slac::ParamValue> params;
    for (const auto& p : c.model.params) params.push_back(p.value);
    slac::Plan plan = slac::lower(c.model, params);
    (void)slac::explain_plan(plan, c.program->sources);
  }
  return 0;
}
