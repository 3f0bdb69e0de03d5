// What every events reader feeds: rows checked against the contract and the inventory,
// stored in parts that readers fill in parallel and merge in source order, with every
// row accounted for (SPEC 3). A reader (CSV, JSON Lines; a database next) only finds
// the rows and their four fields; this is the one place that decides what a row means.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "runtime/ingest/dataset.hpp"
#include "runtime/ingest/file.hpp"

namespace slac::rt::ingest {

// What one part of the events file yields. Parts are parsed in parallel, with line
// numbers counted from the part's start, and merged in file order.
struct EventPart {
  std::vector<std::vector<RawEvent>> device_events;
  std::vector<std::vector<RawEvent>> site_events;
  std::vector<std::vector<Run>> device_runs;
  std::vector<std::vector<Run>> site_runs;
  std::vector<Decimal> numbers;
  std::vector<std::vector<std::string>> strings;
  std::vector<std::unordered_map<std::string, std::size_t>> string_ids;
  DataCounts counts;                  // lines relative to the part's first
  std::size_t first_skip_line = 0;
  std::string first_skip_message;
  std::optional<std::int64_t> earliest, latest;
  std::vector<EventBounds> device_bounds, site_bounds;
  std::optional<std::int64_t> earliest_ignored;
  std::size_t lines = 0;              // line ends in the part
  std::optional<std::pair<std::size_t, std::string>> error;  // the row that stops the run
};

// Ids to indices: Abseil's open-addressing table (twice as fast here as
// std::unordered_map), looked up without a copy through id_key (Debian's Abseil has
// a string_view of its own); it is read on every row.
using IdMap = absl::flat_hash_map<std::string, std::size_t>;
inline absl::string_view id_key(std::string_view s) { return {s.data(), s.size()}; }

// Turns rows into the dataset's events. Built once the inventory is read; readers call
// `row` for each row of a part (from any thread, one part per thread) and `merge` once.
class EventIngest {
 public:
  EventIngest(Dataset& data, const Model& model, const LoadOptions& options);

  // Unwinds a part's parse once its error is recorded (the row that stops the run).
  struct Stop {};

  const LoadOptions& options() const { return options_; }
  const Dataset& data() const { return data_; }  // the inventory, read before the events
  EventPart new_part() const;
  // One row, fields already split: used, counted or skipped; a row that stops the run
  // records its error in the part and throws Stop. `line` counts from the part's start.
  void row(EventPart& part, std::size_t line, std::string_view time_text, std::string_view entity,
           std::string_view signal, std::string_view value, bool value_present);
  // The same with the time already read (a database's timestamptz, as epoch ms).
  void row_at(EventPart& part, std::size_t line, std::int64_t time, std::string_view entity, std::string_view signal,
              std::string_view value, bool value_present);
  // A row the reader could not split into fields: skipped with --skip-bad-rows, else
  // the part's error (throws Stop).
  void bad_row(EventPart& part, std::size_t line, const std::string& message);
  // Merges parts in source order: line numbers made absolute from `first_line`, events
  // appended, value indices renumbered, counts summed, and the first error in the
  // source reported as `SOURCE:LINE: message` (DataError).
  void merge(std::vector<EventPart>& parts, std::size_t first_line);

 private:
  [[noreturn]] void fail(EventPart& part, std::size_t line, const std::string& message);
  std::optional<std::size_t> signal_index(std::string_view name) const;
  SignalStorage storage(std::size_t signal) const;

  Dataset& data_;
  const Model& model_;
  const LoadOptions& options_;
  IdMap device_ids_;
  IdMap site_ids_;
  std::vector<std::unordered_map<std::string, std::size_t>> string_ids_;
};

// An events source: finds its rows and feeds them to an EventIngest, then merges its
// parts: the dataset folder's `events.csv` and `events.jsonl`, and a database's
// events relation (postgres.cpp).
class EventReader {
 public:
  virtual ~EventReader() = default;
  // What messages name for a row: `SOURCE:LINE: ...` (the file's path).
  virtual const std::string& source() const = 0;
  virtual void read(EventIngest& ingest) = 0;
  // What the source adds to the dataset once read (a database's row keys).
  virtual void annotate(Dataset&) {}
};

// Reads the bytes [begin, file.size()) of a file of lines in parts cut at line ends,
// each parsed by `parse` (from its own range, line numbers counted from the part's
// start) on a thread of its own, the first on this one; returns the parts in file
// order. `threads` 0: one part below 16 MB (a thread costs more than it saves there),
// else one per CPU the process may use, at most 8.
std::vector<EventPart> read_in_parts(EventIngest& ingest, const File& file, std::size_t begin, std::size_t threads,
                                     const std::function<void(EventPart&, ByteSource&)>& parse);

// `memory`: the file's bytes, held in memory (LoadOptions::files); null to read `path`.
std::unique_ptr<EventReader> csv_event_reader(std::string path, const std::string* memory = nullptr);
std::unique_ptr<EventReader> jsonl_event_reader(std::string path, const std::string* memory = nullptr);

// `PATH:LINE: message` as a DataError, the message made printable.
[[noreturn]] void fail_at(const std::string& path, std::size_t line, const std::string& message);

}  // namespace slac::rt::ingest
