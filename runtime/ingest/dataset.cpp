// Reading a dataset folder (SPEC 3): the inventory tables `sites.csv` and
// `devices.csv`, then the events through the reader of `events.csv` or `events.jsonl`.
#include "runtime/ingest/dataset.hpp"

#include <sched.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/time.hpp"
#include "runtime/ingest/csv.hpp"
#include "runtime/ingest/events.hpp"
#include "runtime/ingest/file.hpp"
#include "runtime/ingest/postgres.hpp"

namespace slac::rt {
namespace {

namespace fs = std::filesystem;
using ingest::CsvReader;
using ingest::Next;
using ingest::RowError;

// Rows that fail are errors, or skipped and counted with --skip-bad-rows.
class Loader {
 public:
  Loader(const std::string& dir, const Model& model, const LoadOptions& options)
      : dir_(dir), model_(model), options_(options) {}

  Dataset run() {
    if (ingest::is_database_uri(dir_)) return run_database();
    std::error_code ec;
    if (!options_.files && !fs::is_directory(dir_, ec)) throw DataError(fmt::format("{}: not a dataset folder", dir_));
    read_sites();
    read_devices();
    // The events file: exactly one of these.
    std::vector<std::string> found;
    for (const char* name : {"events.csv", "events.csv.gz", "events.jsonl", "events.jsonl.gz"}) {
      if (exists(name)) found.emplace_back(name);
    }
    if (found.size() == 2) throw DataError(fmt::format("{}: both {} and {} are present; keep one", dir_, found[0], found[1]));
    if (found.size() > 2) throw DataError(fmt::format("{}: {} events files ({}); keep one", dir_, found.size(), fmt::join(found, ", ")));
    if (found.empty()) throw DataError(fmt::format("{}: no events.csv or events.jsonl (or either gzipped, .gz)", dir_));
    std::string path = (fs::path(dir_) / found[0]).string();
    if (options_.files && ingest::gzip_name(path)) throw DataError(fmt::format("{}: gzip is read from disk only", path));
    std::unique_ptr<ingest::EventReader> reader = found[0].starts_with("events.csv")
                                                      ? ingest::csv_event_reader(path, memory(found[0]))
                                                      : ingest::jsonl_event_reader(path, memory(found[0]));
    read_events(*reader);
    return std::move(data_);
  }

  // The three relations of a database, in one snapshot.
  Dataset run_database() {
    ingest::DataMap map = options_.data_map.empty() ? ingest::DataMap{} : ingest::read_data_map(options_.data_map);
    ingest::Database db(dir_, map, model_, options_);
    database_ = &db;
    read_sites();
    read_devices();
    read_events(*db.events_reader());
    database_ = nullptr;
    return std::move(data_);
  }

  void read_events(ingest::EventReader& reader) {
    data_.events_file = reader.source();
    ingest::EventIngest rows(data_, model_, options_);
    reader.read(rows);
    reader.annotate(data_);
    finish_counts();
  }

 private:
  // A file of the folder: on disk, or held in memory (LoadOptions::files).
  const std::string* memory(const std::string& name) const {
    if (!options_.files) return nullptr;
    auto it = options_.files->find(name);
    return it == options_.files->end() ? nullptr : &it->second;
  }
  bool exists(const std::string& name) const {
    std::error_code ec;
    return options_.files ? memory(name) != nullptr : fs::exists(fs::path(dir_) / name, ec);
  }

  [[noreturn]] void fail(const std::string& file, std::size_t line, const std::string& message) {
    ingest::fail_at(file, line, message);
  }

  // A bad row of an inventory table: `file:line: message`, or for a database the
  // relation and the row's id(s).
  [[noreturn]] void fail_row(const std::string& where, std::size_t line, const std::vector<std::string_view>& ids,
                             const std::string& message) {
    if (!database_) fail(where, line, message);
    std::string key;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      // A site row has its id; a device row its id and its site's.
      key += fmt::format("{}{}={}", k ? ", " : "", k == 0 && ids.size() == 2 ? "device" : "site", ingest::quoted(ids[k]));
    }
    throw DataError(fmt::format("{} row ({}): {}", where, key, message));
  }
  std::string sites_file_ = "sites.csv";  // or sites.csv.gz: the sites' file as read
  std::string sites_label() const { return database_ ? database_->label(database_->map().sites) : ""; }

  // Reads an inventory table: the id column(s) and one column per declared attribute
  // of `level`; missing columns take defaults.
  template <typename OnRow>
  void read_inventory(const std::string& name, Level level, const std::vector<std::string>& id_columns, OnRow on_row) {
    // A database's relation comes as CSV with the columns named as a file's are.
    std::string path;
    std::string text;
    if (database_) {
      const ingest::RelationMap& rel = level == Level::site ? database_->map().sites : database_->map().devices;
      path = database_->label(rel);
      text = database_->inventory_csv(level, id_columns);
    } else {
      // `sites.csv` or `sites.csv.gz` (from disk only), as the events file may be.
      std::string gzipped = name + ".gz";
      bool plain = exists(name);
      bool zipped = !options_.files && exists(gzipped);
      if (plain && zipped) throw DataError(fmt::format("{}: both {} and {} are present; keep one", dir_, name, gzipped));
      path = (fs::path(dir_) / (zipped ? gzipped : name)).string();
      if (level == Level::site) sites_file_ = zipped ? gzipped : name;
      if (!plain && !zipped) {
        throw DataError(fmt::format("{}: missing (a dataset folder holds sites.csv, devices.csv and events.csv, each "
                                    "possibly gzipped, .gz)",
                                    path));
      }
      if (zipped) {
        ingest::GzipSource source(path);
        char block[1 << 16];
        while (std::size_t n = source.read(block, sizeof block)) text.append(block, n);
      } else {
        text = ingest::File(path, memory(name)).read_all();
      }
    }
    std::string_view body = std::string_view(text).substr(std::string_view(text).starts_with("\xEF\xBB\xBF") ? 3 : 0);
    CsvReader reader(text, 1, true, ingest::detect_dialect(body, path));
    reader.skip_bom();
    std::vector<std::string_view> fields;
    std::size_t line = 0;
    RowError error;
    Next n = reader.next(fields, line, error);
    if (n == Next::end) fail(path, 1, "the file is empty; it needs a header row");
    if (n == Next::bad_row) fail(path, error.line, error.message);
    std::vector<std::string> header(fields.begin(), fields.end());
    reader.name_columns(header);
    std::vector<std::optional<std::size_t>> id_pos;
    for (const auto& col : id_columns) {
      auto pos = ingest::find_column(header, col, path);
      if (!pos) fail(path, line, fmt::format("no `{}` column in the header", col));
      id_pos.push_back(pos);
    }
    // Declared attributes: their column, if present.
    std::vector<std::pair<std::size_t, std::optional<std::size_t>>> attrs;
    for (std::size_t a = 0; a < model_.attributes.size(); ++a) {
      const AttributeInfo& info = model_.attributes[a];
      if (info.level != level) continue;
      std::optional<std::size_t> pos = ingest::find_column(header, info.name, path);
      if (!pos && !info.default_value) {
        fail(path, line, fmt::format("no `{}` column, and {} attribute `{}` has no default", info.name,
                                     level == Level::site ? "site" : "device", info.name));
      }
      attrs.emplace_back(a, pos);
    }
    while ((n = reader.next(fields, line, error)) != Next::end) {
      if (n == Next::bad_row) {
        // A database's text that a file could not hold: its row, counted from 1.
        if (database_) throw DataError(fmt::format("{} row {}: {}", path, error.line - 1, error.message));
        fail(path, error.line, error.message);
      }
      if (fields.size() != header.size()) {
        fail(path, line, fmt::format("{} field{}, but the header has {}", fields.size(), fields.size() == 1 ? "" : "s", header.size()));
      }
      std::vector<std::string_view> ids;
      for (auto p : id_pos) ids.push_back(fields[*p]);
      std::vector<Scalar> values(model_.attributes.size());
      for (const auto& [a, pos] : attrs) {
        const AttributeInfo& info = model_.attributes[a];
        std::string_view cell = pos ? fields[*pos] : std::string_view();
        if (cell.empty()) {
          if (!info.default_value) {
            fail_row(path, line, ids, fmt::format("`{}` is {} and has no default", info.name, database_ ? "NULL or empty" : "empty"));
          }
          values[a] = *info.default_value;
          continue;
        }
        std::string why;
        auto v = parse_data_value(cell, info.type, info.members, why);
        if (!v) fail_row(path, line, ids, fmt::format("`{}`: {}", info.name, why));
        values[a] = *v;
      }
      on_row(path, line, ids, std::move(values));
    }
  }

  void read_sites() {
    std::optional<std::size_t> tz_attr;
    if (auto a = model_.find_attribute(Level::site, "timezone"); a && model_.attributes[*a].type == ValueType::timezone) {
      tz_attr = a;
    }
    read_inventory("sites.csv", Level::site, {"site"},
                   [&](const std::string& path, std::size_t line, const std::vector<std::string_view>& ids,
                       std::vector<Scalar> values) {
                     std::string id(ids[0]);
                     if (id.empty()) fail_row(path, line, ids, database_ ? "the site id is NULL or empty" : "the site id is empty");
                     auto [it, inserted] = data_.site_index.try_emplace(id, data_.sites.size());
                     if (!inserted) {
                       fail_row(path, line, ids, fmt::format("site {} is listed twice{}", ingest::quoted(id), first_at(data_.sites[it->second].line)));
                     }
                     Site s;
                     s.id = id;
                     s.line = line;
                     s.zone = model_.timezone;
                     if (tz_attr) s.zone = *find_zone(values[*tz_attr].text);
                     s.attributes = std::move(values);
                     data_.sites.push_back(std::move(s));
                   });
  }

  // For a device whose site is not listed: a listed site that differs only in spaces
  // around it, which backticks do not show.
  std::string near_site(std::string_view site) const {
    auto trim = [](std::string_view t) {
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
      return t;
    };
    for (const auto& listed : data_.sites) {
      if (listed.id != site && trim(listed.id) == trim(site)) return fmt::format(" (it lists {})", ingest::quoted(listed.id));
    }
    return "";
  }

  void read_devices() {
    read_inventory("devices.csv", Level::device, {"device", "site"},
                   [&](const std::string& path, std::size_t line, const std::vector<std::string_view>& ids,
                       std::vector<Scalar> values) {
                     std::string id(ids[0]);
                     if (id.empty()) fail_row(path, line, ids, database_ ? "the device id is NULL or empty" : "the device id is empty");
                     auto site = data_.site_index.find(std::string(ids[1]));
                     if (site == data_.site_index.end()) {
                       fail_row(path, line, ids, fmt::format("device {} is at site {}, which is not in {}{}", ingest::quoted(id), ingest::quoted(ids[1]),
                                                              database_ ? sites_label() : sites_file_, near_site(ids[1])));
                     }
                     auto [it, inserted] = data_.device_index.try_emplace(id, data_.devices.size());
                     if (!inserted) {
                       fail_row(path, line, ids, fmt::format("device {} is listed twice{}", ingest::quoted(id), first_at(data_.devices[it->second].line)));
                     }
                     for (std::size_t w : options_.weight_attributes) {
                       if (values[w].number.is_negative()) {
                         fail_row(path, line, ids, fmt::format("`{}` is {}, but it weighs devices and cannot be negative",
                                                      model_.attributes[w].name, values[w].number.to_string()));
                       }
                     }
                     Device d;
                     d.id = id;
                     d.site = site->second;
                     d.line = line;
                     d.attributes = std::move(values);
                     data_.devices.push_back(std::move(d));
                   });
  }

  void finish_counts() {
    for (auto& events : data_.device_events) events.shrink_to_fit();
    for (auto& events : data_.site_events) events.shrink_to_fit();
  }

  // ` (first at line N)` for a file; a database's rows have no lines.
  std::string first_at(std::size_t line) const { return database_ ? "" : fmt::format(" (first at line {})", line); }

  std::string dir_;
  const Model& model_;
  LoadOptions options_;
  Dataset data_;
  ingest::Database* database_ = nullptr;
};

}  // namespace

std::size_t usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

Dataset load_dataset(const std::string& dir, const Model& model, const LoadOptions& options) {
  return Loader(dir, model, options).run();
}

}  // namespace slac::rt