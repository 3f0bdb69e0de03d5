// A dataset: sites, devices and their events, read from a folder (SPEC section 3),
// with every row accounted for.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/model.hpp"

namespace slac::rt {

// A bad input: stops the run with `file:line: message` and exit code 3.
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One observation. `value` is the bool (0/1), the enum member, an index into
// Dataset::numbers, or an index into the signal's string table.
struct RawEvent {
  std::int64_t time = 0;
  std::uint32_t signal = 0;
  std::uint32_t value = 0;
};

// A stretch of events of an `event` signal, none more than the run gap after the one
// before: for any `seen ... within D` with D at least that gap, the run contributes
// [first, last + D). Heartbeat streams are kept this way, a day in one run.
struct Run {
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::uint32_t signal = 0;
};

// How the events of a signal are kept, from what the plan needs of them.
struct SignalStorage {
  enum Kind : std::uint8_t { raw, runs, none };
  Kind kind = raw;
  std::int64_t run_gap = 0;  // runs: the shortest `within` the plan uses
};

struct Site {
  std::string id;
  std::vector<Scalar> attributes;  // indexed like Model::attributes (site ones filled)
  Zone zone;                       // its `timezone` attribute, or the contract's zone
  std::size_t line = 0;
};

struct Device {
  std::string id;
  std::size_t site = 0;
  std::vector<Scalar> attributes;  // indexed like Model::attributes (device ones filled)
  std::size_t line = 0;
};

// What happened to the rows of the events file; the four counts add up to `rows`.
struct DataCounts {
  std::uint64_t rows = 0;
  std::uint64_t events = 0;             // used
  std::uint64_t skipped_rows = 0;       // malformed, with --skip-bad-rows
  std::uint64_t unknown_entities = 0;   // unknown ids, and device signals for a site or the reverse
  std::uint64_t undeclared_signals = 0;
  std::uint64_t after_as_of = 0;        // used rows later than --as-of (status), among `events`
  std::vector<std::size_t> skipped_lines;  // the first few
  std::string first_skip_reason;
  struct Unknown {
    std::uint64_t rows = 0;
    std::size_t first_line = 0;
  };
  std::map<std::string, Unknown> undeclared;  // by signal name
  std::map<std::string, Unknown> unknown;     // by entity id
  // Rows of a device signal for a site or the reverse, by entity and signal name.
  std::map<std::pair<std::string, std::string>, Unknown> wrong_level;
};

// The first and last used event of an entity (for what the data covers).
struct EventBounds {
  std::int64_t first = INT64_MAX;
  std::int64_t last = INT64_MIN;
  bool any() const { return first <= last; }
  void add(std::int64_t t) {
    first = std::min(first, t);
    last = std::max(last, t);
  }
  void add(const EventBounds& other) {
    first = std::min(first, other.first);
    last = std::max(last, other.last);
  }
};

struct Dataset {
  std::string events_file;
  std::vector<Site> sites;
  std::vector<Device> devices;
  std::unordered_map<std::string, std::size_t> site_index;
  std::unordered_map<std::string, std::size_t> device_index;
  std::vector<std::vector<RawEvent>> device_events;
  std::vector<std::vector<RawEvent>> site_events;
  std::vector<std::vector<Run>> device_runs;
  std::vector<std::vector<Run>> site_runs;
  std::vector<Decimal> numbers;
  std::vector<std::vector<std::string>> strings;  // per signal
  DataCounts counts;
  std::optional<std::int64_t> earliest;          // of the used events
  std::optional<std::int64_t> latest;
  // Per device (its device signals) and per site (its own site signals); events after
  // LoadOptions::ignore_after are not in them. Empty when not recorded.
  std::vector<EventBounds> device_bounds;
  std::vector<EventBounds> site_bounds;
  std::optional<std::int64_t> earliest_ignored;  // the first used event after ignore_after
  // A database source: rows have no lines; the counts' line numbers are row ordinals
  // of the events stream, and these are the keys of the ones that messages name.
  bool database = false;
  std::map<std::size_t, std::string> row_keys;
  // Instants at which one entity's signal had several different values and no order
  // column said which came last (a database source; ingest::order_ties_by_value).
  std::uint64_t tied_instants = 0;
  // A database that gave no row: why, when it can say (the signals it holds instead).
  std::string no_rows_reason;

  // How a message names the events row at `line`: `line 12`, or a database row's key.
  std::string where(std::size_t line) const {
    if (!database) return "line " + std::to_string(line);
    auto it = row_keys.find(line);
    return it == row_keys.end() ? "row " + std::to_string(line) : "row (" + it->second + ")";
  }

  // Once the inventory is known: one (empty) table of events, runs and bounds per
  // device and per site, one string table per signal.
  void size_tables(std::size_t signals) {
    device_events.resize(devices.size());
    site_events.resize(sites.size());
    device_runs.resize(devices.size());
    site_runs.resize(sites.size());
    device_bounds.resize(devices.size());
    site_bounds.resize(sites.size());
    strings.resize(signals);
  }
};

// How the data's times are read: epoch numbers as milliseconds or seconds
// (`--time-unit`), and times without an offset as local times of a zone
// (`--data-timezone`), by the gap and fold rules of SPEC 2.
enum class TimeUnit : std::uint8_t { ms, s };
struct TimeReading {
  TimeUnit unit = TimeUnit::ms;
  std::optional<Zone> zone;
};

struct LoadOptions {
  TimeReading times;
  bool skip_bad_rows = false;
  bool strict = false;                       // undeclared signals and unknown entities are errors
  std::optional<std::int64_t> ignore_after;  // status --as-of: later events are not kept
  std::vector<std::size_t> weight_attributes;// device attributes used by `weighted by`: must be >= 0
  std::vector<SignalStorage> storage;        // per signal; empty: every signal raw
  std::size_t threads = 0;                   // parts read in parallel (--threads); 0: usable_cpus() for large files
  std::size_t block_size = 8u << 20;         // bytes read at a time
  // From how many entities (devices and sites) on the rows of a CSV file are taken in
  // a few rows late, their memory fetched ahead (RowPipeline, events.hpp): below it the
  // inventory's ids and states stay in the caches and fetching ahead costs more than it
  // saves. Tests set 0 to read every file so.
  std::size_t prefetch_from = 1u << 14;
  // The folder's files held in memory, by name (`sites.csv`, `events.csv`, ...), read
  // instead of the disk by the same readers: for the fuzzers and tests. Not gzip.
  const std::map<std::string, std::string>* files = nullptr;
  // A database source (`postgresql://...` as the folder): the schema (`--data-schema`)
  // and the data map file (`--data-map`), both optional.
  std::optional<std::string> data_schema;
  std::string data_map;
  // The judged span starts this long after here (from - evaluate's history_needed): a
  // database with an (entity, signal, time) index may leave out the events before it,
  // except each entity's and signal's first and last instant before it. Ignored with
  // `strict` (every row is read to be checked). Not set: all of the history is read.
  std::optional<std::int64_t> history_from;
};

// `dir`: a dataset folder, or a PostgreSQL URI (ingest/postgres.hpp).
Dataset load_dataset(const std::string& dir, const Model& model, const LoadOptions& options);

// The CPUs this process may run on (sched_getaffinity: `taskset -c 0` gives 1), at
// least 1: the default number of threads that read data.
std::size_t usable_cpus();

// Parses an RFC 3339 time with an offset, or integer epoch milliseconds, within years
// 1970-9999; nullopt with the reason otherwise. Digits past milliseconds are dropped.
std::optional<std::int64_t> parse_time(std::string_view text, std::string& why);

// A time of the data, read as `how` says: RFC 3339 (seconds may be left out; without
// an offset only with a zone), or an epoch number in its unit (fractional seconds
// exact to the millisecond, digits past it dropped). An epoch number before 1971 is
// refused: it is a number in the wrong unit far more often than a time in 1970.
std::optional<std::int64_t> parse_data_time(std::string_view text, const TimeReading& how, std::string& why);

// The text of a data value for a signal or attribute of `type`, or nullopt with why.
std::optional<Scalar> parse_data_value(std::string_view text, ValueType type, const std::vector<std::string>& members,
                                       std::string& why);

}  // namespace slac::rt
