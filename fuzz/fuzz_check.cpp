// libFuzzer target, the fast one for the front end: a contract text through the parser
// and the checker, and its diagnostics rendered. Must never crash, hang or blow up;
// fuzz_contract runs the whole pipeline (formatter, planner) at a slower pace.
#include <cstdint>
#include <string>

#include "compiler/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  slac::Compilation c = slac::compile_file("fuzz.sla", text);
  (void)slac::render_text(c.diags, c.program->sources);
  return 0;
}
