// libFuzzer target, the fast one for ingest: an events file (CSV, or JSON Lines when
// SLAC_FUZZ_JSONL is set at build time) read under a fixed contract and inventory, with
// the options the first byte picks, and nothing evaluated. A result or a located
// DataError; every row accounted for. fuzz_data also evaluates, at a slower pace.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/loader.hpp"
#include "runtime/ingest/dataset.hpp"

namespace {

const char* contract = R"(contract "Fuzz"
  timezone "Europe/London"
signal heartbeat : event
signal status : enum { ok, fault }
signal temp : number
signal note : string
site signal maintenance : bool
site attribute timezone : timezone = "Europe/London"
device attribute weight : number = 1
state up = seen heartbeat within 10m and status == ok and temp < 80
sla a { in any calendar day, on any site, at least 1 up for at least 90%, excluding maintenance }
)";

struct Setup {
  slac::Compilation c = slac::compile_file("fuzz.sla", contract);
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("slac-fuzz-ingest-" + std::to_string(getpid()));
  Setup() {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "sites.csv") << "site,timezone\nS1,Europe/London\nS2,America/New_York\n";
    std::ofstream(dir / "devices.csv") << "device,site,weight\nD1,S1,1\nD2,S1,2.5\nD3,S2,0\n";
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Setup setup;
  if (!setup.c.ok()) __builtin_trap();
  std::uint8_t options = size > 0 ? data[0] : 0;
  std::string text(reinterpret_cast<const char*>(data) + (size > 0 ? 1 : 0), size > 0 ? size - 1 : 0);
#ifdef SLAC_FUZZ_JSONL
  const char* name = "events.jsonl";
#else
  const char* name = "events.csv";
#endif
  std::ofstream(setup.dir / name, std::ios::binary | std::ios::trunc) << text;
  slac::rt::LoadOptions lo;
  lo.skip_bad_rows = (options & 1) != 0;
  lo.strict = (options & 2) != 0;
  lo.threads = 1 + (options >> 2 & 1);
  lo.block_size = (options & 8) ? 1 + (options >> 4) : (8u << 20);
  try {
    slac::rt::Dataset d = slac::rt::load_dataset(setup.dir.string(), setup.c.model, lo);
    const auto& k = d.counts;
    if (k.events + k.skipped_rows + k.unknown_entities + k.undeclared_signals != k.rows) __builtin_trap();
  } catch (const slac::rt::DataError&) {
    // A located error is a correct answer to bad input.
  }
  return 0;
}
