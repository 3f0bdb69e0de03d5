// libFuzzer target, the fast one for ingest: an events file read under the fixture's
// contract and inventory (fuzz/fixture.hpp), from memory, and nothing evaluated. A
// result or a located DataError; every row accounted for. fuzz_data also evaluates.
#include <cstdint>

#include "fuzz/fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static slac::fuzz::Fixture fixture;
  (void)slac::fuzz::load_events(fixture, data, size);
  return 0;
}
