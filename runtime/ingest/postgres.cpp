// PostgreSQL through libpq: the relations' columns found in the catalogue, the
// inventory copied out as CSV and the events streamed with COPY in text format, row by
// row into the same EventIngest as files (docs/data.md).
#include "runtime/ingest/postgres.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include "base/source.hpp"
#include "base/time.hpp"
#include "runtime/ingest/values.hpp"

namespace slac::rt::ingest {

bool is_database_uri(std::string_view text) { return text.starts_with("postgresql://") || text.starts_with("postgres://"); }

std::optional<std::string> uri_problem(std::string_view uri) {
  // An unencoded `@` in a password makes libpq read part of it as the host, which its
  // messages would then show.
  if (std::count(uri.begin(), uri.end(), '@') > 1) {
    return "the URI holds more than one `@`; percent-encode an `@` in a user name or password as %40";
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(uri).c_str(), &error);
  if (!options) {
    // libpq's message may quote the part it could not read, a password among them.
    PQfreemem(error);
    return "libpq cannot read the URI; percent-encode the characters @ : / ? # & % in a user name or password";
  }
  PQconninfoFree(options);
  return std::nullopt;
}

std::string redact_uri(std::string_view uri) {
  // Rebuilt from what libpq reads, less the secrets: nothing the user typed is shown
  // unless libpq took it for something other than a password.
  if (uri_problem(uri)) return "postgresql://(a URI libpq cannot read)";
  PQconninfoOption* options = PQconninfoParse(std::string(uri).c_str(), nullptr);
  std::map<std::string, std::string> given;
  for (PQconninfoOption* o = options; o && o->keyword; ++o) {
    if (o->val) given[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  std::string out = "postgresql://";
  auto take = [&](const char* key) {
    auto it = given.find(key);
    if (it == given.end()) return std::string();
    std::string v = it->second;
    given.erase(it);
    return v;
  };
  // Percent-encoded again where a character would read otherwise in a URI.
  auto encode = [](const std::string& text, std::string_view reserved) {
    std::string e;
    for (char c : text) {
      if (reserved.find(c) != std::string_view::npos) e += fmt::format("%{:02X}", static_cast<unsigned char>(c));
      else e += c;
    }
    return e;
  };
  std::string user = take("user"), host = take("host"), port = take("port"), dbname = take("dbname");
  bool secret = given.erase("password") > 0;
  if (!user.empty()) out += encode(user, "@:/?#&%=") + (secret ? ":***@" : "@");
  std::vector<std::string> params;
  // A socket folder, or a list of hosts, reads better as a parameter.
  if (host.find_first_of("/,") != std::string::npos) {
    params.push_back("host=" + encode(host, "&#%="));
    if (!port.empty()) params.push_back("port=" + encode(port, "&#%="));
  } else {
    out += host.find(':') != std::string::npos ? "[" + host + "]" : host;  // IPv6
    if (!port.empty()) out += ":" + port;
  }
  out += "/" + encode(dbname, "@:/?#&%=");
  if (given.erase("sslpassword") > 0) params.push_back("sslpassword=***");
  if (secret && user.empty()) params.push_back("password=***");
  for (const auto& [key, value] : given) params.push_back(key + "=" + encode(value, "&#%="));
  for (std::size_t k = 0; k < params.size(); ++k) out += (k ? "&" : "?") + params[k];
  return printable(out);
}

namespace {

using json = nlohmann::json;

// A name of the map: printable text (a NUL or a control character is a mistake, and
// would cut or garble the messages that show it).
std::string checked_name(const std::string& path, const std::string& key, const std::string& name) {
  if (auto problem = text_problem(name); problem || name.find_first_of("\t\n\r") != std::string::npos) {
    throw DataError(fmt::format("{}: `{}` {}", path, printable(key), problem ? *problem : "holds a tab or a line end"));
  }
  return name;
}

void read_relation(const json& j, const std::string& path, const char* name, RelationMap& into, bool events) {
  if (!j.contains(name)) return;
  const json& r = j.at(name);
  if (!r.is_object()) throw DataError(fmt::format("{}: `{}` must be an object", path, name));
  for (const auto& [key, value] : r.items()) {
    if (key == "relation") {
      if (!value.is_string() || value.get<std::string>().empty()) throw DataError(fmt::format("{}: `{}.relation` must be a name", path, name));
      into.relation = checked_name(path, fmt::format("{}.relation", name), value.get<std::string>());
    } else if (key == "columns") {
      if (!value.is_object()) throw DataError(fmt::format("{}: `{}.columns` must be an object of names", path, name));
      for (const auto& [from, to] : value.items()) {
        if (!to.is_string() || to.get<std::string>().empty()) {
          throw DataError(fmt::format("{}: `{}.columns.{}` must be a column name", path, name, printable(from)));
        }
        if (events && from != "time" && from != "entity" && from != "signal" && from != "value") {
          throw DataError(fmt::format("{}: `events.columns` has no key `{}` (it takes time, entity, signal, value)", path, printable(from)));
        }
        into.columns[from] = checked_name(path, fmt::format("{}.columns.{}", name, from), to.get<std::string>());
      }
    } else if (key == "order" && events) {
      if (!value.is_string() || value.get<std::string>().empty()) throw DataError(fmt::format("{}: `events.order` must be a column name", path));
      into.order = checked_name(path, "events.order", value.get<std::string>());
    } else {
      throw DataError(fmt::format("{}: `{}` has no key `{}` (it takes relation, columns{})", path, name, printable(key), events ? ", order" : ""));
    }
  }
}

}  // namespace

DataMap read_data_map(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(fmt::format("{}: cannot read the data map", path));
  std::stringstream text;
  text << in.rdbuf();
  json j;
  try {
    j = json::parse(text.str());
  } catch (const json::parse_error& e) {
    // Without the library's `[json.exception.parse_error.101] ` prefix.
    std::string what = e.what();
    if (std::size_t close = what.find("] "); what.starts_with("[json.exception") && close != std::string::npos) what = what.substr(close + 2);
    throw DataError(fmt::format("{}: not JSON: {}", path, what));
  }
  if (!j.is_object()) throw DataError(fmt::format("{}: a data map is a JSON object", path));
  DataMap map;
  map.path = path;
  for (const auto& [key, value] : j.items()) {
    if (key == "schema") {
      if (!value.is_string() || value.get<std::string>().empty()) throw DataError(fmt::format("{}: `schema` must be a name", path));
      map.schema = checked_name(path, "schema", value.get<std::string>());
    } else if (key != "sites" && key != "devices" && key != "events") {
      throw DataError(fmt::format("{}: no key `{}` in a data map (it takes schema, sites, devices, events)", path, printable(key)));
    }
  }
  read_relation(j, path, "sites", map.sites, false);
  read_relation(j, path, "devices", map.devices, false);
  read_relation(j, path, "events", map.events, true);
  return map;
}

namespace {

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultFree>;

// A column of a relation: its name and its type as format_type prints it.
struct Column {
  std::string name;
  std::string type;
  std::string number;  // attnum
};

bool is_integer(const std::string& type) { return type == "bigint" || type == "integer" || type == "smallint"; }

}  // namespace

struct Database::Impl {
  PGconn* conn = nullptr;
  std::string uri;  // redacted
  const Model* model = nullptr;
  const LoadOptions* options = nullptr;

  ~Impl() {
    if (conn) PQfinish(conn);
  }

  // The server's message, on one line.
  std::string server_message(const PGresult* r) const {
    std::string m = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    // libpq's messages break lines and indent with tabs.
    std::string one;
    for (char c : m) {
      if (c == '\n' || c == '\t' || c == '\r') c = ' ';
      if (c == ' ' && !one.empty() && one.back() == ' ') continue;
      one += c;
    }
    return one;
  }

  Result exec(const std::string& sql, const std::string& what, ExecStatusType want = PGRES_TUPLES_OK) {
    Result r(PQexec(conn, sql.c_str()));
    if (!r || PQresultStatus(r.get()) != want) throw DataError(fmt::format("{}: {}: {}", uri, what, server_message(r.get())));
    return r;
  }

  Result exec_params(const std::string& sql, const std::vector<std::string>& params, const std::string& what) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    Result r(PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw DataError(fmt::format("{}: {}: {}", uri, what, server_message(r.get())));
    return r;
  }

  std::string identifier(const std::string& name) const {
    char* q = PQescapeIdentifier(conn, name.data(), name.size());
    if (!q) throw DataError(fmt::format("{}: cannot quote the name {}", uri, ingest::quoted(name)));
    std::string out(q);
    PQfreemem(q);
    return out;
  }
  std::string literal(const std::string& text) const {
    char* q = PQescapeLiteral(conn, text.data(), text.size());
    if (!q) throw DataError(fmt::format("{}: cannot quote the text {}", uri, ingest::quoted(text)));
    std::string out(q);
    PQfreemem(q);
    return out;
  }
};

Database::Database(const std::string& uri, const DataMap& map, const Model& model, const LoadOptions& options)
    : impl_(std::make_unique<Impl>()), map_(map) {
  impl_->uri = redact_uri(uri);
  impl_->model = &model;
  impl_->options = &options;
  if (options.data_schema) map_.schema = options.data_schema;
  if (auto problem = uri_problem(uri)) throw DataError(fmt::format("--data: {}", *problem));
  // libpq reads what the URI leaves out from the PG* variables and ~/.pgpass. A server
  // that never answers is given up after 30 s, unless the URI or PGCONNECT_TIMEOUT
  // says otherwise (the URI's keywords, expanded from dbname, override this one).
  const char* connect_timeout = std::getenv("PGCONNECT_TIMEOUT") ? nullptr : "30";
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {connect_timeout ? connect_timeout : std::getenv("PGCONNECT_TIMEOUT"), uri.c_str(), nullptr};
  impl_->conn = PQconnectdbParams(keywords, values, 1);
  if (!impl_->conn) throw DataError(fmt::format("{}: cannot connect: out of memory", impl_->uri));
  if (PQstatus(impl_->conn) != CONNECTION_OK) {
    throw DataError(fmt::format("{}: cannot connect: {}", impl_->uri, impl_->server_message(nullptr)));
  }
  if (PQsetClientEncoding(impl_->conn, "UTF8") != 0) {
    throw DataError(fmt::format("{}: cannot read text as UTF-8: {}", impl_->uri, impl_->server_message(nullptr)));
  }
  // One snapshot for the inventory and the events; times and numbers in fixed forms.
  impl_->exec("BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ", "cannot start a read-only transaction", PGRES_COMMAND_OK);
  impl_->exec("SET LOCAL DateStyle = 'ISO, YMD'", "cannot set DateStyle", PGRES_COMMAND_OK);
  impl_->exec("SET LOCAL TimeZone = 'UTC'", "cannot set TimeZone", PGRES_COMMAND_OK);
  impl_->exec("SET LOCAL extra_float_digits = 1", "cannot set extra_float_digits", PGRES_COMMAND_OK);
  // A table locked by a migration is an error after a minute, not a wait without end.
  impl_->exec("SET LOCAL lock_timeout = '60s'", "cannot set lock_timeout", PGRES_COMMAND_OK);
}

Database::~Database() = default;

std::string Database::label(const RelationMap& relation) const {
  return map_.schema ? fmt::format("{}.{}", *map_.schema, relation.relation) : relation.relation;
}

namespace {

// A relation's columns, in order; DataError when it does not exist.
std::vector<Column> relation_columns(Database::Impl& db, const std::optional<std::string>& schema, const std::string& relation,
                                     const std::string& label) {
  std::string regclass = schema ? db.identifier(*schema) + "." + db.identifier(relation) : db.identifier(relation);
  Result r = db.exec_params(
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod), to_regclass($1) IS NOT NULL, a.attnum "
      "FROM (SELECT to_regclass($1) AS oid) c LEFT JOIN pg_attribute a "
      "ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {regclass}, fmt::format("cannot look up `{}`", label));
  if (PQntuples(r.get()) == 0 || std::string_view(PQgetvalue(r.get(), 0, 2)) != "t") {
    throw DataError(fmt::format("{}: no relation `{}`{} (a table or view; --data-schema and --data-map name others)", db.uri, label,
                                schema ? "" : " on the search_path"));
  }
  std::vector<Column> columns;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    if (PQgetisnull(r.get(), i, 0)) continue;
    columns.push_back(Column{PQgetvalue(r.get(), i, 0), PQgetvalue(r.get(), i, 1), PQgetvalue(r.get(), i, 3)});
  }
  return columns;
}

// The column that `name` (a SPEC 3 name or an attribute) maps to: the map's, else the
// name itself; found exactly, else case-insensitively when that is unique.
const Column* find_column(const std::vector<Column>& columns, const RelationMap& map, const std::string& name) {
  auto mapped = map.columns.find(name);
  const std::string& want = mapped == map.columns.end() ? name : mapped->second;
  for (const auto& c : columns) {
    if (c.name == want) return &c;
  }
  const Column* found = nullptr;
  for (const auto& c : columns) {
    if (iequals(c.name, want)) {
      if (found) return nullptr;
      found = &c;
    }
  }
  return found;
}

// Why no column was found for `name`: two that match only ignoring case, or none.
std::string no_column(const std::string& uri, const std::string& label, const std::vector<Column>& columns, const RelationMap& map,
                      const std::string& name, const std::string& hint) {
  auto mapped = map.columns.find(name);
  const std::string& want = mapped == map.columns.end() ? name : mapped->second;
  std::vector<std::string> near;
  for (const auto& c : columns) {
    if (iequals(c.name, want)) near.push_back("`" + printable(c.name) + "`");
  }
  if (near.size() > 1) {
    return fmt::format("{}: `{}` has {} columns that could be `{}`: {}; name one with --data-map", uri, label, near.size(),
                       printable(want), fmt::join(near, " and "));
  }
  return fmt::format("{}: `{}` has no column `{}`{}", uri, label, printable(want), mapped == map.columns.end() ? hint : "");
}


// A column as text in the server's output: jsonb scalars unquoted.
// Whether a `json` value holds `\u0000`, which no text can hold (reading it as text
// is an error of the whole query, not of the row).
std::string json_nul(const std::string& id) { return id + R"(::text ~ '(^|[^\\])(\\\\)*\\u0000')"; }

std::string as_text(Database::Impl& db, const Column& c) {
  std::string id = db.identifier(c.name);
  if (c.type == "jsonb") return id + " #>> '{}'";
  if (c.type == "json") return fmt::format("CASE WHEN {} THEN NULL ELSE {} #>> '{{}}' END", json_nul(id), id);
  if (c.type == "text") return id;
  // A float's shortest exact text may have an exponent (`1e-05`), which a data number
  // does not; as numeric it is the same decimal without one. (A float cast to numeric
  // directly keeps only 15 digits, 6 for real.)
  if (c.type == "double precision" || c.type == "real") return id + "::text::numeric::text";
  return id + "::text";
}

// `COPY (query) TO STDOUT ...` started; DataError naming `label` if the server refuses.
void start_copy(Database::Impl& db, const std::string& sql, const std::string& label) {
  Result r(PQexec(db.conn, sql.c_str()));
  if (!r || PQresultStatus(r.get()) != PGRES_COPY_OUT) {
    throw DataError(fmt::format("{}: cannot read `{}`: {}", db.uri, label, db.server_message(r.get())));
  }
}

// The end of a COPY: the server's verdict on it (an error that came midway, such as
// a value its cast refuses).
void finish_copy(Database::Impl& db, const std::string& label) {
  Result r(PQgetResult(db.conn));
  if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    throw DataError(fmt::format("{}: cannot read `{}`: {}", db.uri, label, db.server_message(r.get())));
  }
  while (PGresult* more = PQgetResult(db.conn)) PQclear(more);
}

}  // namespace

std::string Database::inventory_csv(Level level, const std::vector<std::string>& id_columns) {
  Impl& db = *impl_;
  const RelationMap& rel = level == Level::site ? map_.sites : map_.devices;
  // A mapped name that is neither an id nor a declared attribute is a typo, which
  // would leave the attribute at its default without a word.
  for (const auto& [name, column] : rel.columns) {
    bool known = std::find(id_columns.begin(), id_columns.end(), name) != id_columns.end();
    for (const auto& info : db.model->attributes) known |= info.level == level && info.name == name;
    if (!known) {
      throw DataError(fmt::format("{}: `{}.columns` names `{}`, which is not {} nor a {} attribute of the contract", map_.path,
                                  level == Level::site ? "sites" : "devices", printable(name),
                                  level == Level::site ? "`site`" : "`device`, `site`", level == Level::site ? "site" : "device"));
    }
  }
  std::string label = this->label(rel);
  std::vector<Column> columns = relation_columns(db, map_.schema, rel.relation, label);
  std::vector<std::string> select;
  for (const auto& id : id_columns) {
    const Column* c = find_column(columns, rel, id);
    if (!c) throw DataError(no_column(db.uri, label, columns, rel, id, fmt::format(" (a data map can name the column that holds the {} id)", id)));
    select.push_back(fmt::format("{} AS {}", as_text(db, *c), db.identifier(id)));
  }
  for (const auto& info : db.model->attributes) {
    if (info.level != level) continue;
    const Column* c = find_column(columns, rel, info.name);
    if (!c && rel.columns.contains(info.name)) {
      // The map names it: a column that is not there is a mistake, not a default.
      throw DataError(no_column(db.uri, label, columns, rel, info.name, ""));
    }
    if (!c) {
      if (!info.default_value) {
        throw DataError(no_column(db.uri, label, columns, rel, info.name,
                                  fmt::format(", and {} attribute `{}` has no default", level == Level::site ? "site" : "device", info.name)));
      }
      continue;
    }
    select.push_back(fmt::format("{} AS {}", as_text(db, *c), db.identifier(info.name)));
  }
  std::string table = map_.schema ? db.identifier(*map_.schema) + "." + db.identifier(rel.relation) : db.identifier(rel.relation);
  start_copy(db, fmt::format("COPY (SELECT {} FROM {}) TO STDOUT (FORMAT csv, HEADER)", fmt::join(select, ", "), table), label);
  std::string text;
  char* buffer = nullptr;
  int n;
  while ((n = PQgetCopyData(db.conn, &buffer, 0)) > 0) {
    text.append(buffer, static_cast<std::size_t>(n));
    PQfreemem(buffer);
  }
  if (n == -2) throw DataError(fmt::format("{}: cannot read `{}`: {}", db.uri, label, db.server_message(nullptr)));
  finish_copy(db, label);
  return text;
}

namespace {

// A binary COPY's bytes, read as they arrive (PostgreSQL's COPY BINARY format: a
// header, then tuples of length-prefixed fields, then -1).
class CopyStream {
 public:
  CopyStream(Database::Impl& db, const std::string& label, int fields) : db_(db), label_(label), fields_(fields) {}

  void header() {
    static constexpr char signature[] = "PGCOPY\n\377\r\n";
    if (!fill(19) || std::memcmp(buf_.data() + pos_, signature, 11) != 0) bad("no binary COPY header");
    pos_ += 15;
    std::uint32_t extension = u32();
    if (!fill(extension)) bad("the header is cut short");
    pos_ += extension;
  }

  // The next tuple's four fields (views into the stream, valid until the next call);
  // false at the end.
  bool tuple(std::string_view (&fields)[5], bool (&null)[5]) {
    if (!fill(2)) bad("the data ends without its trailer");
    auto count = static_cast<std::int16_t>(u16());
    if (count == -1) {
      drain();
      return false;
    }
    if (count != fields_) bad(fmt::format("a row of {} field{}", count, count == 1 ? "" : "s"));
    // Offsets first: reading on may move the buffer.
    std::size_t at[5];
    std::int32_t length[5];
    for (int k = 0; k < fields_; ++k) {
      if (!fill(4)) bad("a row is cut short");
      length[k] = static_cast<std::int32_t>(u32());
      at[k] = pos_;
      if (length[k] > 0) {
        if (!fill(static_cast<std::size_t>(length[k]))) bad("a row is cut short");
        at[k] = pos_;
        pos_ += static_cast<std::size_t>(length[k]);
      }
    }
    for (int k = 0; k < fields_; ++k) {
      null[k] = length[k] < 0;
      fields[k] = null[k] ? std::string_view() : std::string_view(buf_).substr(at[k], static_cast<std::size_t>(length[k]));
    }
    return true;
  }

 private:
  // At least `n` unread bytes; false if the stream ends first.
  bool fill(std::size_t n) {
    while (buf_.size() - pos_ < n) {
      if (ended_) return false;
      if (pos_ == buf_.size()) {
        buf_.clear();
        pos_ = 0;
      } else if (pos_ > (1u << 20)) {
        buf_.erase(0, pos_);
        pos_ = 0;
      }
      char* chunk = nullptr;
      int got = PQgetCopyData(db_.conn, &chunk, 0);
      if (got == -2) throw DataError(fmt::format("{}: cannot read `{}`: {}", db_.uri, label_, db_.server_message(nullptr)));
      if (got < 0) {
        // The end: the server's verdict on the COPY, which may be an error midway.
        ended_ = true;
        finish_copy(db_, label_);
        continue;
      }
      buf_.append(chunk, static_cast<std::size_t>(got));
      PQfreemem(chunk);
    }
    return true;
  }
  void drain() {
    while (fill(buf_.size() - pos_ + 1)) pos_ = buf_.size();
  }
  std::uint16_t u16() {
    auto b = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
    pos_ += 2;
    return static_cast<std::uint16_t>(b[0] << 8 | b[1]);
  }
  std::uint32_t u32() {
    auto b = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
    pos_ += 4;
    return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
  }
  [[noreturn]] void bad(const std::string& what) {
    throw DataError(fmt::format("{}: cannot read `{}`: {} in the server's COPY data", db_.uri, label_, what));
  }

  Database::Impl& db_;
  const std::string& label_;
  int fields_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool ended_ = false;
};

// A binary timestamptz (microseconds since 2000-01-01T00:00:00Z) as epoch
// milliseconds, digits past them dropped; nullopt for +-infinity.
std::optional<std::int64_t> binary_ms(std::string_view field) {
  if (field.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (unsigned char c : field) v = v << 8 | c;
  auto us = static_cast<std::int64_t>(v);
  if (us == INT64_MAX || us == INT64_MIN) return std::nullopt;
  return floor_div(us, 1000) + 946684800000;
}

}  // namespace

// The events relation through COPY in binary format: fields as their text, except a
// timestamptz time, as its 8 bytes.
class PgEventReader : public EventReader {
 public:
  PgEventReader(Database& db, Database::Impl& impl) : db_(db), impl_(impl), label_(db.label(db.map().events)) {}
  const std::string& source() const override { return label_; }

  void read(EventIngest& ingest) override {
    const RelationMap& rel = db_.map().events;
    std::vector<Column> columns = relation_columns(impl_, db_.map().schema, rel.relation, label_);
    auto need = [&](const char* name) {
      const Column* c = find_column(columns, rel, name);
      if (!c) throw DataError(no_column(impl_.uri, label_, columns, rel, name, " (a data map can name the column that holds it)"));
      return c;
    };
    const Column* time = need("time");
    const Column* entity = need("entity");
    const Column* signal = need("signal");
    const Column* value = need("value");
    std::string time_sql;
    const LoadOptions& options = ingest.options();
    time_column_ = time->name;
    if (time->type == "timestamp with time zone") {
      // Sent in binary: microseconds since 2000-01-01T00:00:00Z, read to the millisecond.
      time_sql = impl_.identifier(time->name);
      epoch_us_ = true;
    } else if (time->type == "timestamp without time zone") {
      if (!options.times.zone) {
        throw DataError(fmt::format("{}: `{}.{}` is a timestamp without time zone; give --data-timezone ZONE to read it as local "
                                    "times of ZONE",
                                    impl_.uri, label_, time->name));
      }
      time_sql = impl_.identifier(time->name) + "::text";
    } else if (is_integer(time->type) || time->type.starts_with("numeric") || time->type == "double precision" ||
               time->type == "real" || time->type == "text" || time->type.starts_with("character varying")) {
      time_sql = as_text(impl_, *time);
    } else {
      throw DataError(fmt::format("{}: `{}.{}` is of type {}; slac reads a time from timestamptz, timestamp (with "
                                  "--data-timezone), an integer or numeric epoch (--time-unit), or RFC 3339 text",
                                  impl_.uri, label_, time->name, time->type));
    }
    if (value->type == "bytea") {
      throw DataError(fmt::format("{}: `{}.{}` is of type bytea; slac reads values as text, numbers, booleans or JSON", impl_.uri,
                                  label_, value->name));
    }
    entity_column_ = entity->name;
    signal_column_ = signal->name;
    value_column_ = value->name;
    std::string table = db_.map().schema ? impl_.identifier(*db_.map().schema) + "." + impl_.identifier(rel.relation)
                                         : impl_.identifier(rel.relation);
    const Column* order = nullptr;
    if (!rel.order.empty()) {
      order = find_column(columns, RelationMap{}, rel.order);
      if (!order) throw DataError(fmt::format("{}: `{}` has no column `{}` (the data map's order column)", impl_.uri, label_, rel.order));
    }
    // Only declared signals are read, unless --strict must see the others to refuse them.
    std::string signals;
    if (!options.strict) {
      std::vector<std::string> names;
      for (const auto& s : impl_.model->signals) names.push_back(impl_.literal(s.name));
      if (names.empty()) names.push_back("NULL");
      signals = fmt::format("{} IN ({})", as_text(impl_, *signal), fmt::join(names, ", "));
    }
    std::string source = table;
    if (auto cut = history_cut(table, *time, *entity, *signal, options)) {
      // The history before the cut matters only through each entity's and signal's
      // value there (its last instant before it) and where its events begin (its first
      // instant), found by the index one pair at a time.
      std::string raw = fmt::format("{}, {}, {}, {}{}", impl_.identifier(time->name), impl_.identifier(entity->name),
                                    impl_.identifier(signal->name), impl_.identifier(value->name),
                                    order ? ", " + impl_.identifier(order->name) : "");
      std::string t = impl_.identifier(time->name), e = impl_.identifier(entity->name), g = impl_.identifier(signal->name);
      // NULL times too, to be refused as in a whole read.
      std::vector<std::string> parts{fmt::format("SELECT {} FROM {} WHERE ({} >= {} OR {} IS NULL){}", raw, table, t, *cut, t,
                                                 signals.empty() ? "" : " AND " + signals)};
      const Dataset& data = ingest.data();
      for (Level level : {Level::device, Level::site}) {
        std::vector<std::string> ids, names;
        if (level == Level::device) {
          for (const auto& d : data.devices) ids.push_back(impl_.literal(d.id));
        } else {
          for (const auto& st : data.sites) ids.push_back(impl_.literal(st.id));
        }
        for (const auto& sig : impl_.model->signals) {
          if (sig.level == level) names.push_back(impl_.literal(sig.name));
        }
        if (ids.empty() || names.empty()) continue;
        std::string pairs = fmt::format("unnest(ARRAY[{}]::text[]) AS k_e(id) CROSS JOIN unnest(ARRAY[{}]::text[]) AS k_s(name)",
                                        fmt::join(ids, ","), fmt::join(names, ","));
        // A pair's instants are milliseconds, as slac reads times: the rows of its last
        // millisecond before the cut, and of its first when that is earlier.
        bool stamp = time->type == "timestamp with time zone";
        auto bucket = [&](const std::string& x) { return stamp ? fmt::format("date_trunc('milliseconds', {})", x) : x; };
        auto next = [&](const std::string& x) {
          return stamp ? fmt::format("date_trunc('milliseconds', {}) + interval '1 millisecond'", x) : fmt::format("{} + 1", x);
        };
        std::string pair_rows = fmt::format("FROM {} WHERE {} = k_e.id AND {} = k_s.name AND {} < {}", table, e, g, t, *cut);
        std::string last = fmt::format("SELECT {} AS lo, {} AS hi {}", bucket(fmt::format("max({})", t)), *cut, pair_rows);
        std::string first = fmt::format("SELECT {} AS lo, {} AS hi {}", bucket(fmt::format("min({})", t)),
                                        next(fmt::format("min({})", t)), pair_rows);
        // Laterally, so that each pair's rows are an index scan, not a join over the
        // table (OFFSET 0 keeps the planner from flattening it into one).
        std::string rows = fmt::format("CROSS JOIN LATERAL (SELECT {raw} FROM {table} WHERE {e} = k_e.id AND {g} = k_s.name "
                                       "AND {t} >= b.lo AND {t} < b.hi OFFSET 0) r",
                                       fmt::arg("raw", raw), fmt::arg("table", table), fmt::arg("e", e), fmt::arg("g", g),
                                       fmt::arg("t", t));
        std::string r_raw = "r.*";
        parts.push_back(fmt::format("SELECT {} FROM {} CROSS JOIN LATERAL ({}) b {}", r_raw, pairs, last, rows));
        parts.push_back(fmt::format("SELECT {} FROM {} CROSS JOIN LATERAL ({}) f CROSS JOIN LATERAL ({}) b0 "
                                    "CROSS JOIN LATERAL (SELECT f.lo, f.hi WHERE f.lo < b0.lo) b {}",
                                    r_raw, pairs, first, last, rows));
      }
      source = "(" + fmt::format("{}", fmt::join(parts, " UNION ALL ")) + ") AS history";
      signals.clear();  // filtered inside
    }
    // A JSON value's kind too: an array or an object is refused, as in JSON Lines.
    json_value_ = value->type == "jsonb" || value->type == "json";
    std::string v = impl_.identifier(value->name);
    std::string kind = !json_value_                ? ""
                       : value->type == "jsonb" ? fmt::format(", jsonb_typeof({})", v)
                                                : fmt::format(", CASE WHEN {} THEN 'nul' ELSE json_typeof({}) END", json_nul(v), v);
    std::string sql = fmt::format("SELECT {}, {}, {}, {}{} FROM {}", time_sql, as_text(impl_, *entity), as_text(impl_, *signal),
                                  as_text(impl_, *value), kind, source);
    if (!signals.empty()) sql += " WHERE " + signals;
    // Equal order values (and NULLs, which come first) by the value's text: the same
    // rows give the same order, whatever their place on disk.
    if (order) sql += fmt::format(" ORDER BY {} NULLS FIRST, 4", impl_.identifier(order->name));
    // Binary: a timestamptz needs no formatting on the server, text no escapes here.
    start_copy(impl_, fmt::format("COPY ({}) TO STDOUT (FORMAT binary)", sql), label_);

    std::vector<EventPart> parts;
    parts.push_back(ingest.new_part());
    EventPart& part = parts[0];
    std::size_t ordinal = 0;
    CopyStream in(impl_, label_, json_value_ ? 5 : 4);
    in.header();
    std::string_view fields[5];
    bool null[5] = {false, false, false, false, false};
    try {
      while (in.tuple(fields, null)) row(ingest, part, ++ordinal, fields, null);
    } catch (const EventIngest::Stop&) {
      // The fields still hold the row that stopped the run. The COPY is left unread:
      // the connection closes with the Database.
      throw DataError(fmt::format("{} row ({}): {}", label_, key(fields, null), part.error ? part.error->second : std::string("stopped")));
    }
    std::string first_skip = part.first_skip_message;
    std::size_t first_skip_row = part.first_skip_line;
    ingest.merge(parts, 0);
    if (!first_skip.empty()) {
      auto it = keys_.find(first_skip_row);
      ingest_first_skip_ = fmt::format("{} row ({}): {}", label_, it == keys_.end() ? std::to_string(first_skip_row) : it->second, first_skip);
    }
    // No row of a declared signal: say which signals the relation does hold (of its
    // first rows; reading all of them to say so would cost a whole pass).
    if (ordinal == 0 && !options.strict) {
      Result r = impl_.exec(fmt::format("SELECT DISTINCT s FROM (SELECT {} AS s FROM {} LIMIT 10000) AS first_rows ORDER BY 1 LIMIT 12",
                                        as_text(impl_, *signal), table),
                            fmt::format("cannot read `{}`", label_));
      std::vector<std::string> held;
      for (int i = 0; i < PQntuples(r.get()) && i < 11; ++i) {
        held.push_back(PQgetisnull(r.get(), i, 0) ? "NULL" : "`" + printable(PQgetvalue(r.get(), i, 0)) + "`");
      }
      if (held.size() > 10) held.back() = "...";
      no_rows_ = held.empty() ? std::string("the relation is empty")
                              : fmt::format("none of its rows is of a signal the contract declares; its signals include {}",
                                            fmt::join(held, ", "));
    }
  }

  // The instant before which the history may be left out, as a literal of the time
  // column's type: with LoadOptions::history_from (after 1970), not --strict nor
  // --skip-bad-rows, a timestamptz (or an epoch-ms integer) time, text ids under
  // deterministic collations, and an index on (entity, signal, time) to find each
  // pair's bounds without reading the rest. nullopt: read all of it.
  std::optional<std::string> history_cut(const std::string& table, const Column& time, const Column& entity, const Column& signal,
                                         const LoadOptions& options) {
    // Every row is read to be checked with --strict; with --skip-bad-rows a pair's last
    // row before the cut may be skipped, and the one before it is then needed.
    if (!options.history_from || options.strict || options.skip_bad_rows || *options.history_from <= 0) return std::nullopt;
    auto text = [](const Column& c) { return c.type == "text" || c.type.starts_with("character varying"); };
    if (!text(entity) || !text(signal)) return std::nullopt;
    std::string cut;
    if (time.type == "timestamp with time zone") {
      cut = fmt::format("'{}'::timestamptz", format_instant(*options.history_from));
    } else if (is_integer(time.type) && options.times.unit == TimeUnit::ms) {
      cut = std::to_string(*options.history_from);
    } else {
      return std::nullopt;
    }
    Result r = impl_.exec_params(
        "SELECT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = to_regclass($1) AND i.indpred IS NULL "
        "AND i.indnkeyatts >= 3 AND i.indkey[0] = $2::int2 AND i.indkey[1] = $3::int2 AND i.indkey[2] = $4::int2) "
        // Ids compared as slac compares them, byte for byte: not under a collation
        // that takes `a` for `A`.
        "AND NOT EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
        "WHERE a.attrelid = to_regclass($1) AND a.attnum IN ($2::int2, $3::int2) AND NOT c.collisdeterministic)",
        {table, entity.number, signal.number, time.number}, fmt::format("cannot look up the indexes of `{}`", label_));
    if (std::string_view(PQgetvalue(r.get(), 0, 0)) != "t") return std::nullopt;
    return cut;
  }

  void annotate(Dataset& data) override {
    data.database = true;
    data.no_rows_reason = no_rows_;
    data.row_keys = std::move(keys_);
    if (!ingest_first_skip_.empty()) data.counts.first_skip_reason = ingest_first_skip_;
    // Without an order column, ties at one instant are ordered by value, and counted.
    if (db_.map().events.order.empty()) data.tied_instants = order_ties_by_value(data, *impl_.model);
  }

 private:
  // The row's key as messages give it.
  // A binary timestamptz as messages show it.
  static std::string shown_time(std::string_view field) {
    if (std::optional<std::int64_t> ms = binary_ms(field)) {
      return *ms >= 0 && *ms < max_ms ? format_instant(*ms) : fmt::format("{} ms from 1970", *ms);
    }
    return field.size() == 8 && static_cast<unsigned char>(field[0]) >= 0x80 ? "-infinity" : "infinity";
  }

  std::string key(const std::string_view (&f)[5], const bool (&null)[5]) const {
    auto shown = [](std::string_view text, bool is_null) { return is_null ? std::string("NULL") : ingest::quoted(printable(text)); };
    std::string time = null[0] ? "NULL" : epoch_us_ ? shown_time(f[0]) : printable(f[0]);
    // A NULL value is shown too: it is why a row of a signal that needs one is bad.
    return fmt::format("{}={}, {}={}, {}={}{}", time_column_, time, entity_column_, shown(f[1], null[1]), signal_column_,
                       shown(f[2], null[2]), null[3] ? fmt::format(", {}=NULL", value_column_) : "");
  }

  // What is wrong with a row before its fields are read as a file's are: a NULL
  // where a value is required, text a file could not hold, a JSON array or object.
  std::optional<std::string> refusal(const std::string_view (&f)[5], const bool (&null)[5]) const {
    const std::string* names[] = {&time_column_, &entity_column_, &signal_column_, &value_column_};
    for (int k = 0; k < 3; ++k) {
      if (null[k]) return fmt::format("`{}` is NULL", *names[k]);
    }
    for (int k = epoch_us_ ? 1 : 0; k < 4; ++k) {
      if (null[k]) continue;
      if (auto problem = text_problem(f[k])) return fmt::format("`{}` {}", *names[k], *problem);
    }
    if (json_value_ && !null[4] && (f[4] == "array" || f[4] == "object")) {
      return fmt::format("`{}` is a JSON {}; values are strings, numbers, booleans or null", value_column_, f[4]);
    }
    if (json_value_ && !null[4] && f[4] == "nul") return fmt::format("`{}` holds \\u0000, a NUL, which no text holds", value_column_);
    if (epoch_us_) {
      std::optional<std::int64_t> ms = binary_ms(f[0]);
      if (!ms) return fmt::format("`{}` is {}", time_column_, shown_time(f[0]));
      if (*ms < 0 || *ms >= max_ms) return fmt::format("`{}` is outside the years 1970-9999", time_column_);
    }
    return std::nullopt;
  }

  void row(EventIngest& ingest, EventPart& part, std::size_t ordinal, const std::string_view (&f)[5], const bool (&null)[5]) {
    const DataCounts& c = part.counts;
    auto noted = [&] { return c.undeclared.size() + c.unknown.size() + c.wrong_level.size() + c.skipped_lines.size(); };
    std::size_t before = noted();
    bool present = !null[3] && !f[3].empty();
    if (auto why = refusal(f, null)) {
      ++part.counts.rows;
      ingest.bad_row(part, ordinal, *why);
    } else if (epoch_us_) {
      ingest.row_at(part, ordinal, *binary_ms(f[0]), f[1], f[2], f[3], present);
    } else {
      ingest.row(part, ordinal, f[0], f[1], f[2], f[3], present);
    }
    // A row that the counts name (the first of its kind, the first skipped) keeps its key.
    if (noted() != before) keys_[ordinal] = key(f, null);
  }

  static constexpr std::int64_t max_ms = 253402300800000;  // 10000-01-01T00:00:00Z

  Database& db_;
  Database::Impl& impl_;
  std::string label_;
  bool epoch_us_ = false;  // time: a binary timestamptz
  bool json_value_ = false;  // value: json or jsonb, its kind a fifth field
  std::string time_column_, entity_column_, signal_column_, value_column_;
  std::map<std::size_t, std::string> keys_;
  std::string ingest_first_skip_;
  std::string no_rows_;
};

std::unique_ptr<EventReader> Database::events_reader() { return std::make_unique<PgEventReader>(*this, *impl_); }

std::uint64_t order_ties_by_value(Dataset& data, const Model& model) {
  std::uint64_t ties = 0;
  auto value_before = [&](const RawEvent& a, const RawEvent& b) {
    // Whether a's value sorts before b's.
    switch (model.signals[a.signal].type) {
      case ValueType::number:
        return data.numbers[a.value] < data.numbers[b.value];
      case ValueType::string:
      case ValueType::timezone:
        return data.strings[a.signal][a.value] < data.strings[a.signal][b.value];
      default:
        return a.value < b.value;
    }
  };
  auto same_value = [&](const RawEvent& a, const RawEvent& b) { return !value_before(a, b) && !value_before(b, a); };
  for (auto* list : {&data.device_events, &data.site_events}) {
    for (auto& events : *list) {
      std::sort(events.begin(), events.end(), [&](const RawEvent& a, const RawEvent& b) {
        if (a.signal != b.signal) return a.signal < b.signal;
        if (a.time != b.time) return a.time < b.time;
        return value_before(a, b);
      });
      // Sorted by value within an instant: the instant holds different values when its
      // first and last do.
      for (std::size_t i = 0; i < events.size();) {
        std::size_t j = i + 1;
        while (j < events.size() && events[j].signal == events[i].signal && events[j].time == events[i].time) ++j;
        if (j - i > 1 && !same_value(events[i], events[j - 1])) ++ties;
        i = j;
      }
    }
  }
  return ties;
}

}  // namespace slac::rt::ingest
