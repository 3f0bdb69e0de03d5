// What the data commands share: compiling the contract, reading --set, --from, --to
// and --sla, loading the dataset, and reporting what the data left out.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/loader.hpp"
#include "compiler/plan.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::cli {

struct DataOptions {
  std::string contract;
  std::string data;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::vector<std::string> slas;
  std::vector<std::string> sets;   // NAME=VALUE
  std::string format;              // table | json | csv; empty: table on a terminal, else json
  bool skip_bad_rows = false;
  bool strict = false;
  std::string time_unit = "ms";             // --time-unit: ms | s
  std::optional<std::string> data_timezone; // --data-timezone: an IANA zone for times without an offset
  std::optional<std::string> data_schema;   // --data-schema: a database's schema
  std::string data_map;                     // --data-map: a database's relation and column names
  std::size_t threads = 0;                  // --threads: parts of the events file read at once; 0: the default
  // The library's ways in (python/): the contract's text instead of reading the file
  // `contract` (which then only names it in messages), and the dataset's tables held
  // in memory by file name (`sites.csv`, `devices.csv`, `events.csv`) instead of the
  // folder `data` (which then only names them).
  std::optional<std::string> contract_text;
  std::map<std::string, std::string> files;
};

// Thrown with an exit code and a message already fit for the user.
struct CommandError {
  int exit_code;
  std::string message;
};

struct Prepared {
  Compilation compilation;
  std::vector<ParamValue> params;
  std::vector<std::size_t> selected;  // SLA indices, declaration order
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
  rt::TimeReading times;  // --time-unit, --data-timezone
};

// Compiles the contract (printing its diagnostics), resolves --set, --sla, --from and
// --to. Throws CommandError.
Prepared prepare(const DataOptions& options, const char* command);

// Reads the dataset, printing warnings for what it left out. `storage` (from
// rt::signal_storage) lets it keep only what the plan needs; without `warn`, the
// warnings are not printed (a second reading of the same files). `history_from`: see
// rt::LoadOptions (a database may read less of the history). Throws CommandError.
rt::Dataset read_data(const DataOptions& options, const rt::TimeReading& times, const Model& model,
                      const std::vector<std::size_t>& selected,
                      std::optional<std::int64_t> ignore_after = std::nullopt,
                      std::vector<rt::SignalStorage> storage = {}, bool warn = true,
                      std::optional<std::int64_t> history_from = std::nullopt);

// The warnings of read_data: rows the data left out (unknown ids, undeclared signals,
// skipped rows), on standard error.
void print_data_warnings(const rt::Dataset& data);

// With --from: where the history that matters to eval's judgement starts
// (rt::history_needed, and a day to spare), for a database to read less of it.
std::optional<std::int64_t> history_from(const Prepared& p, const Plan& plan);

// `2026-03-01` is local midnight in the zone; otherwise an RFC 3339 instant, or an
// epoch number in the data's unit (`--time-unit`).
std::optional<std::int64_t> parse_instant(std::string_view text, const Zone& zone, rt::TimeUnit unit, std::string& why);

// --as-of: `now` (the system clock's instant, to the millisecond) or as parse_instant.
std::optional<std::int64_t> parse_as_of(std::string_view text, const Zone& zone, rt::TimeUnit unit, std::string& why);

std::string output_format(const DataOptions& options);

}  // namespace slac::cli
