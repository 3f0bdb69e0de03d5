// What every events reader feeds: rows checked against the contract and the inventory,
// stored in parts that readers fill in parallel and merge in source order, with every
// row accounted for (SPEC 3). A reader (CSV, JSON Lines; a database next) only finds
// the rows and their four fields; this is the one place that decides what a row means.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
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

// A row's signal and entity as indices: the declared signal, and the device or site
// (of the signal's level) in the inventory; `none` when there is none.
struct RowKey {
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t signal = none;
  std::size_t entity = none;
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
  // `row` with the signal and entity already looked up (RowPipeline).
  void row(EventPart& part, std::size_t line, std::string_view time_text, std::string_view entity,
           std::string_view signal, std::string_view value, bool value_present, RowKey key);

  // The lookups of `row`, without a side effect, for RowPipeline: the signal's index;
  // a hint to fetch the entity's slot of the id table; the entity's index; hints to
  // fetch its state in `part`, then the ends of its runs and events there.
  // A contract has a few signals: comparing lengths first beats any hash.
  std::size_t signal_of(std::string_view name) const {
    for (std::size_t i = 0; i < model_.signals.size(); ++i) {
      const std::string& n = model_.signals[i].name;
      if (n.size() == name.size() && n[0] == name[0] && std::memcmp(n.data(), name.data(), n.size()) == 0) return i;
    }
    return RowKey::none;
  }
  void prefetch_id(std::size_t signal, std::string_view entity) const {
    if (signal != RowKey::none) (device_level(signal) ? device_ids_ : site_ids_).prefetch(id_key(entity));
  }
  std::size_t entity_of(std::size_t signal, std::string_view entity) const {
    if (signal == RowKey::none) return RowKey::none;
    const IdMap& own = device_level(signal) ? device_ids_ : site_ids_;
    auto it = own.find(id_key(entity));
    return it == own.end() ? RowKey::none : it->second;
  }
  void prefetch_state(const EventPart& part, RowKey key) const {
    if (key.entity == RowKey::none) return;
    bool device = device_level(key.signal);
    __builtin_prefetch(&(device ? part.device_bounds : part.site_bounds)[key.entity]);
    __builtin_prefetch(&(device ? part.device_runs : part.site_runs)[key.entity]);
    __builtin_prefetch(&(device ? part.device_events : part.site_events)[key.entity]);
  }
  void prefetch_tail(const EventPart& part, RowKey key) const {
    if (key.entity == RowKey::none) return;
    bool device = device_level(key.signal);
    const auto& runs = (device ? part.device_runs : part.site_runs)[key.entity];
    if (!runs.empty()) __builtin_prefetch(&runs.back());
    const auto& events = (device ? part.device_events : part.site_events)[key.entity];
    __builtin_prefetch(events.data() + events.size());
  }
  // Whether the ids and states of the inventory are too many for the caches, so that
  // fetching them ahead (RowPipeline) pays for its own cost.
  bool large_estate() const;
  // A row the reader could not split into fields: skipped with --skip-bad-rows, else
  // the part's error (throws Stop).
  void bad_row(EventPart& part, std::size_t line, const std::string& message);
  // Merges parts in source order: line numbers made absolute from `first_line`, events
  // appended, value indices renumbered, counts summed, and the first error in the
  // source reported as `SOURCE:LINE: message` (DataError).
  void merge(std::vector<EventPart>& parts, std::size_t first_line);

 private:
  [[noreturn]] void fail(EventPart& part, std::size_t line, const std::string& message);
  std::optional<std::int64_t> row_time(EventPart& part, std::size_t line, std::string_view text);
  void take(EventPart& part, std::size_t line, std::int64_t time, std::string_view entity, std::string_view signal,
            std::string_view value, bool value_present, RowKey key);
  bool device_level(std::size_t signal) const { return model_.signals[signal].level == Level::device; }
  SignalStorage storage(std::size_t signal) const;

  Dataset& data_;
  const Model& model_;
  const LoadOptions& options_;
  IdMap device_ids_;
  IdMap site_ids_;
  std::vector<std::unordered_map<std::string, std::size_t>> string_ids_;
};

// Rows taken in a few rows after a reader hands them over, in the same order, so that
// what is reported, counted and kept is the same as row by row. Meanwhile the memory a
// row will touch is fetched (prefetch): its id's slot in the id table when it is
// handed over, its entity's state `find_at` rows later once the id is found, the ends
// of its runs and events `tail_at` rows later. In an
// estate of 100,000 devices every row's id and state miss the cache; fetched ahead,
// the misses of several rows overlap instead of stalling each row in turn.
// The text handed over must stay valid until `flush`, which a reader calls before it
// reuses that memory (a new block; a quoted row's own buffer) and at its end.
class RowPipeline {
 public:
  RowPipeline(EventIngest& ingest, EventPart& part) : ingest_(ingest), part_(part) {}
  void push(std::size_t line, std::string_view time, std::string_view entity, std::string_view signal,
            std::string_view value, bool value_present) {
    if (count_ == depth) take_first();
    Pending& r = at(count_);
    r = Pending{line, time, entity, signal, value, value_present, false, {}};
    r.key.signal = ingest_.signal_of(signal);
    ingest_.prefetch_id(r.key.signal, entity);
    ++count_;
    if (count_ > find_at) {
      Pending& m = at(count_ - 1 - find_at);
      find(m);
      ingest_.prefetch_state(part_, m.key);
    }
    if (count_ > tail_at) ingest_.prefetch_tail(part_, at(count_ - 1 - tail_at).key);
  }
  void flush() {
    while (count_ > 0) take_first();
  }

 private:
  // A row's id slot is fetched when it comes, its state `find_at` rows later, the end
  // of its state's runs or events `tail_at` rows later, and it is taken in at `depth`.
  static constexpr std::size_t depth = 16, find_at = 6, tail_at = 11;
  struct Pending {
    std::size_t line;
    std::string_view time, entity, signal, value;
    bool value_present;
    bool found;
    RowKey key;
  };
  Pending& at(std::size_t k) { return rows_[(head_ + k) % depth]; }
  void find(Pending& r) {
    r.key.entity = ingest_.entity_of(r.key.signal, r.entity);
    r.found = true;
  }
  void take_first() {
    Pending& r = rows_[head_];
    if (!r.found) find(r);
    head_ = (head_ + 1) % depth;
    --count_;
    ingest_.row(part_, r.line, r.time, r.entity, r.signal, r.value, r.value_present, r.key);
  }
  EventIngest& ingest_;
  EventPart& part_;
  Pending rows_[depth];
  std::size_t head_ = 0, count_ = 0;
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
