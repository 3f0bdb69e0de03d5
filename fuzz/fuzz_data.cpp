// libFuzzer target: an events file (CSV, or JSON Lines when SLAC_FUZZ_JSONL is set at
// build time) under the seed contract, read with the options the first byte picks,
// then evaluated. Every row must be accounted for; nothing may crash or hang.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/loader.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/ingest/dataset.hpp"
#include "runtime/output.hpp"

namespace {

const char* contract = R"(contract "Fuzz"
  timezone "Europe/London"
signal heartbeat : event
signal status : enum { ok, fault }
signal session : enum { idle, charging }
signal temp : number
signal note : string
site signal maintenance : bool
site attribute timezone : timezone = "Europe/London"
device attribute weight : number = 1
calendar open = mon-fri 08:00-18:00 in site timezone
state up = seen heartbeat within 10m and status == ok and temp < 80
sla a { in any calendar day, on any site, at least 1 up for at least 90% of open, excluding maintenance, penalty 10 }
sla b { in any rolling 2 hours, across all sites, at least 50% up weighted by weight, for at least 50% }
kpi c { in any calendar week, on any device, up and session != charging }
)";

struct Setup {
  slac::Compilation c = slac::compile_file("fuzz.sla", contract);
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("slac-fuzz-" + std::to_string(getpid()));
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
  lo.threads = 1 + (options >> 1 & 3);
  lo.block_size = (options & 8) ? 1 + (options >> 4) : (8u << 20);
  try {
    slac::rt::Dataset d = slac::rt::load_dataset(setup.dir.string(), setup.c.model, lo);
    const auto& k = d.counts;
    if (k.events + k.skipped_rows + k.unknown_entities + k.undeclared_signals != k.rows) __builtin_trap();
    std::string error;
    auto span = slac::rt::default_span(d, setup.c.model.timezone, std::nullopt, std::nullopt, error);
    if (span && span->to - span->from <= 40LL * slac::ms_per_day) {
      std::vector<slac::ParamValue> params;
      for (const auto& p : setup.c.model.params) params.push_back(p.value);
      slac::Plan plan = slac::lower(setup.c.model, params);
      auto ev = slac::rt::evaluate(plan, d, span->from, span->to, {0, 1, 2});
      (void)slac::rt::eval_json(plan, ev, d.counts);
    }
  } catch (const slac::rt::DataError&) {
    // A located error is a correct answer to bad input.
  }
  return 0;
}
