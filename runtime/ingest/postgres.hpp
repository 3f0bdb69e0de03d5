// A dataset read from PostgreSQL (or TimescaleDB): the relations `sites`, `devices`
// and `events` with the columns of SPEC 3, or the ones a data map names, read in one
// read-only snapshot and streamed with COPY through the same checks as files
// (docs/data.md).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ingest/dataset.hpp"
#include "runtime/ingest/events.hpp"

namespace slac::rt::ingest {

// `postgresql://...` or `postgres://...`: a libpq connection URI.
bool is_database_uri(std::string_view text);

// Why libpq would read a URI otherwise than meant (an unencoded `@` in a password),
// or not at all; nullopt when it reads it. Never quotes the URI.
std::optional<std::string> uri_problem(std::string_view uri);

// The URI as libpq reads it, rebuilt without its secrets (a password, an
// sslpassword: `***`): what every message shows of it.
std::string redact_uri(std::string_view uri);

// Where one of the three tables is, and what its columns are called (`--data-map`).
struct RelationMap {
  std::string relation;                        // the table or view
  std::map<std::string, std::string> columns;  // SPEC 3 name (or attribute) -> column
  std::string order;                           // events: the column that orders ties
};

struct DataMap {
  std::string path;  // the file it was read from, for messages; empty: no map
  std::optional<std::string> schema;
  RelationMap sites{"sites", {}, {}};
  RelationMap devices{"devices", {}, {}};
  RelationMap events{"events", {}, {}};
};

// Reads a data map: a JSON object `{"schema": ..., "sites": {"relation": ...,
// "columns": {...}}, "devices": ..., "events": {..., "order": ...}}`. DataError with
// the file's name (and the JSON parser's position) when it cannot be read or holds a
// key it does not know.
DataMap read_data_map(const std::string& path);

// The database of a `--data` URI, connected in a read-only, repeatable-read
// transaction: the inventory and the events are one snapshot.
class Database {
 public:
  Database(const std::string& uri, const DataMap& map, const Model& model, const LoadOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // `schema.relation` as messages name it.
  std::string label(const RelationMap& relation) const;
  const DataMap& map() const { return map_; }

  // An inventory relation as CSV text with a header: the id column(s) named as SPEC 3
  // names them, then each declared attribute of `level` that the relation holds.
  std::string inventory_csv(Level level, const std::vector<std::string>& id_columns);
  // The events relation, streamed with COPY.
  std::unique_ptr<EventReader> events_reader();

  struct Impl;  // the connection (postgres.cpp)

 private:
  std::unique_ptr<Impl> impl_;
  DataMap map_;
};

// Events of one entity and signal at one instant whose order a table does not give
// (no `order` column): ordered by value so that the greatest wins (false < true, enum
// members in declared order, numbers by value, strings by bytes); returns how many
// such instants held different values. Sorts each entity's raw events by signal, then
// time.
std::uint64_t order_ties_by_value(Dataset& data, const Model& model);

}  // namespace slac::rt::ingest
