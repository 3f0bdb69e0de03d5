// What the data fuzzers share: a fixed contract and inventory, and an events file (CSV,
// or JSON Lines when SLAC_FUZZ_JSONL is set at build time) made of the input, whose
// first byte picks the options. The tables are held in memory (LoadOptions::files) and
// read by the readers that read the disk, so a run touches no file.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "compiler/loader.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::fuzz {

inline constexpr const char* contract = R"(contract "Fuzz"
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

#ifdef SLAC_FUZZ_JSONL
inline constexpr const char* events_name = "events.jsonl";
#else
inline constexpr const char* events_name = "events.csv";
#endif

struct Fixture {
  Compilation compiled = compile_file("fuzz.sla", contract);
  std::map<std::string, std::string> files = {
      {"sites.csv", "site,timezone\nS1,Europe/London\nS2,America/New_York\n"},
      {"devices.csv", "device,site,weight\nD1,S1,1\nD2,S1,2.5\nD3,S2,0\n"},
  };
};

// The input's events read under the fixture: the first byte's bits are --skip-bad-rows
// (1), --strict (2), two threads (4), blocks of 1 + (byte >> 4) bytes (8), and rows
// taken in late with their memory fetched ahead, as in a large estate (16). A
// dataset, or nullopt for a located DataError (a correct answer to bad input); traps
// when a row is not accounted for.
inline std::optional<rt::Dataset> load_events(Fixture& fixture, const std::uint8_t* data, std::size_t size) {
  if (!fixture.compiled.ok()) __builtin_trap();
  std::uint8_t options = size > 0 ? data[0] : 0;
  fixture.files[events_name].assign(reinterpret_cast<const char*>(data) + (size > 0 ? 1 : 0), size > 0 ? size - 1 : 0);
  rt::LoadOptions lo;
  lo.files = &fixture.files;
  lo.skip_bad_rows = (options & 1) != 0;
  lo.strict = (options & 2) != 0;
  lo.threads = 1 + (options >> 2 & 1);
  lo.block_size = (options & 8) ? 1 + (options >> 4) : (8u << 20);
  if (options & 16) lo.prefetch_from = 0;
  try {
    rt::Dataset d = rt::load_dataset("fuzz", fixture.compiled.model, lo);
    const auto& k = d.counts;
    if (k.events + k.skipped_rows + k.unknown_entities + k.undeclared_signals != k.rows) __builtin_trap();
    return d;
  } catch (const rt::DataError&) {
    return std::nullopt;
  }
}

}  // namespace slac::fuzz
