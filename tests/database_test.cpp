// The parts of the PostgreSQL source that need no server: the password never shown,
// the data map read strictly, and rows at one instant ordered by value (docs/data.md).
// The server itself is tested end to end by tests/postgres_test.py.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

#include "compiler/loader.hpp"
#include "runtime/ingest/postgres.hpp"

using namespace slac;
using rt::ingest::redact_uri;
namespace fs = std::filesystem;

TEST_CASE("database: a URI's password is never shown") {
  using rt::ingest::uri_problem;
  CHECK(redact_uri("postgresql://slac:pw@db.example.com:5432/estate") == "postgresql://slac:***@db.example.com:5432/estate");
  CHECK(redact_uri("postgres://u:pw@host/estate") == "postgresql://u:***@host/estate");
  CHECK(redact_uri("postgresql://slac@host/estate") == "postgresql://slac@host/estate");
  CHECK(redact_uri("postgresql:///estate") == "postgresql:///estate");
  // Percent-encoded reserved characters; `?` and `:` are read as part of a password.
  CHECK(redact_uri("postgresql://slac:p%40s%2Fs@host/estate") == "postgresql://slac:***@host/estate");
  CHECK(redact_uri("postgresql://pwuser:ab?cd@/slac?host=/run/pg") == "postgresql://pwuser:***@/slac?host=/run/pg");
  // As parameters, and an sslpassword.
  CHECK(redact_uri("postgresql:///estate?password=pw&host=/run/pg") == "postgresql:///estate?host=/run/pg&password=***");
  CHECK(redact_uri("postgresql:///estate?host=/run/pg&password=pw&user=u") == "postgresql://u:***@/estate?host=/run/pg");
  CHECK(redact_uri("postgresql://u@h/db?sslpassword=key&sslmode=require") == "postgresql://u@h/db?sslpassword=***&sslmode=require");
  // Shown as a URI again: encoded where needed, an IPv6 host in brackets.
  CHECK(redact_uri("postgresql://us%3Aer:pw@[::1]:5433/my%2Fdb") == "postgresql://us%3Aer:***@[::1]:5433/my%2Fdb");
  // What libpq would misread, or not read at all, is refused without quoting it.
  for (const char* bad : {"postgresql://slac:p@s/s:w@host/estate", "postgresql://u:sec%zzret@h/db", "postgresql:///db?password=%zzsecret",
                          "postgresql://u:secret@[::1:1/slac", "postgresql:///db?PASSWORD=secret"}) {
    CAPTURE(bad);
    REQUIRE(uri_problem(bad));
    CHECK(uri_problem(bad)->find("sec") == std::string::npos);
    CHECK(redact_uri(bad) == "postgresql://(a URI libpq cannot read)");
  }
  CHECK(rt::ingest::is_database_uri("postgres://h/db"));
  CHECK(rt::ingest::is_database_uri("postgresql:///db"));
  CHECK_FALSE(rt::ingest::is_database_uri("examples/ev-estate"));
  CHECK_FALSE(rt::ingest::is_database_uri("postgresql:"));
}

namespace {

std::string map_error(const std::string& text) {
  fs::path path = fs::temp_directory_path() / fmt::format("slac-map-{}.json", static_cast<long>(getpid()));
  std::ofstream(path) << text;
  try {
    rt::ingest::read_data_map(path.string());
  } catch (const rt::DataError& e) {
    fs::remove(path);
    std::string m = e.what();
    return m.substr(m.find(": ") + 2);
  }
  fs::remove(path);
  return "";
}

}  // namespace

TEST_CASE("database: a data map is read strictly") {
  fs::path path = fs::temp_directory_path() / fmt::format("slac-map-ok-{}.json", static_cast<long>(getpid()));
  std::ofstream(path) << R"({"schema": "telemetry", "events": {"relation": "ev", "columns": {"time": "ts"}, "order": "id"},
                            "devices": {"columns": {"device": "charger_id"}}})";
  rt::ingest::DataMap map = rt::ingest::read_data_map(path.string());
  fs::remove(path);
  CHECK(map.schema == "telemetry");
  CHECK(map.events.relation == "ev");
  CHECK(map.events.columns.at("time") == "ts");
  CHECK(map.events.order == "id");
  CHECK(map.devices.relation == "devices");
  CHECK(map.devices.columns.at("device") == "charger_id");
  CHECK(map.sites.relation == "sites");

  CHECK(map_error(R"({"events": {"colums": {}}})") == "`events` has no key `colums` (it takes relation, columns, order)");
  CHECK(map_error(R"({"sites": {"order": "id"}})") == "`sites` has no key `order` (it takes relation, columns)");
  CHECK(map_error(R"({"event": {}})") == "no key `event` in a data map (it takes schema, sites, devices, events)");
  CHECK(map_error(R"({"events": {"columns": {"time": 3}}})") == "`events.columns.time` must be a column name");
  CHECK(map_error(R"({"schema": ""})") == "`schema` must be a name");
  CHECK(map_error("[1]") == "a data map is a JSON object");
  CHECK(map_error("{\"schema\": ").starts_with("not JSON: "));
  CHECK_THROWS_WITH_AS(rt::ingest::read_data_map("/nonexistent/map.json"), "/nonexistent/map.json: cannot read the data map",
                       rt::DataError);
}

TEST_CASE("database: rows at one instant without an order column: the greatest value wins, differing instants counted") {
  Compilation c = compile_file("ties.sla", R"(contract "Ties"
signal up : bool
signal mode : enum { idle, charging, fault }
signal temp : number
signal note : string
signal ping : event
)");
  REQUIRE(c.ok());
  const Model& m = c.model;
  auto sig = [&](std::string_view name) {
    for (std::size_t i = 0; i < m.signals.size(); ++i) {
      if (m.signals[i].name == name) return static_cast<std::uint32_t>(i);
    }
    FAIL("no signal");
    return 0u;
  };
  rt::Dataset data;
  data.devices.resize(1);
  data.size_tables(m.signals.size());
  data.numbers = {Decimal::parse("10").value(), Decimal::parse("9.5").value(), Decimal::parse("-1").value()};
  data.strings[sig("note")] = {"b", "a", "c"};
  auto& ev = data.device_events[0];
  // In arrival order, as a table might give them.
  ev = {{100, sig("up"), 1},   {100, sig("up"), 0},                            // differ: true wins
        {100, sig("mode"), 2}, {100, sig("mode"), 0}, {100, sig("mode"), 1},  // differ: fault wins
        {200, sig("temp"), 1}, {200, sig("temp"), 0}, {200, sig("temp"), 2},  // differ: 10 wins
        {300, sig("note"), 0}, {300, sig("note"), 2}, {300, sig("note"), 1},  // differ: c wins
        {400, sig("up"), 0},   {400, sig("up"), 0},                            // equal: not a tie
        {50, sig("up"), 1},    {500, sig("ping"), 0}, {500, sig("ping"), 0}};
  CHECK(rt::ingest::order_ties_by_value(data, m) == 4);
  // Sorted by signal, then time; the greatest value last at each instant.
  for (std::size_t i = 1; i < ev.size(); ++i) {
    CHECK((ev[i - 1].signal < ev[i].signal || (ev[i - 1].signal == ev[i].signal && ev[i - 1].time <= ev[i].time)));
  }
  auto last_at = [&](std::uint32_t s, std::int64_t t) {
    const rt::RawEvent* found = nullptr;
    for (const auto& e : ev) {
      if (e.signal == s && e.time == t) found = &e;
    }
    REQUIRE(found);
    return found->value;
  };
  CHECK(last_at(sig("up"), 100) == 1);
  CHECK(last_at(sig("mode"), 100) == 2);
  CHECK(last_at(sig("temp"), 200) == 0);   // numbers[0] = 10
  CHECK(last_at(sig("note"), 300) == 2);   // strings[2] = "c"
  CHECK(ev.size() == 16);                  // nothing dropped
}
