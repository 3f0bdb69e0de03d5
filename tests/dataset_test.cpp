// Reading datasets: RFC 4180 CSV, JSON Lines, RFC 3339 times, typed values, and every
// malformed row answered by `file:line: message`, or skipped and counted.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <fstream>

#include <zlib.h>

#include "compiler/loader.hpp"
#include "base/time.hpp"
#include "runtime/ingest/dataset.hpp"
#include "tests/support.hpp"

using namespace slac;
namespace fs = std::filesystem;

namespace {

const char* contract = R"(contract "Data"
signal heartbeat : event
signal status : enum { ok, fault }
signal flag : bool
signal temp : number
signal note : string
site signal maintenance : bool
device attribute kind : enum { rapid, slow } = slow
device attribute weight : number
site attribute timezone : timezone = "UTC"
site attribute capacity : number = 2
)";

struct Folder {
  fs::path dir;
  Folder() {
    static int n = 0;
    dir = fs::temp_directory_path() / fmt::format("slac-data-{}-{}", static_cast<long>(getpid()), n++);
    fs::create_directories(dir);
    write("sites.csv", "site,timezone\nS1,Europe/London\nS2,\n");
    write("devices.csv", "device,site,weight\nD1,S1,1\nD2,S2,2.5\n");
  }
  ~Folder() { fs::remove_all(dir); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
  }
};

Model& model() {
  static Compilation c = compile_file("data.sla", contract);
  REQUIRE(c.ok());
  return c.model;
}

rt::Dataset load(const Folder& f, rt::LoadOptions options = {}) { return rt::load_dataset(f.dir.string(), model(), options); }

// The error message with the folder's path removed.
std::string load_error(const Folder& f, rt::LoadOptions options = {}) {
  try {
    load(f, options);
  } catch (const rt::DataError& e) {
    std::string m = e.what();
    std::string prefix = f.dir.string() + "/";
    if (m.starts_with(prefix)) m = m.substr(prefix.size());
    return m;
  }
  return "ok";
}

// One file of a dataset written as given (the others as Folder writes them, the events
// file with only a header), and what loading it must say.
struct FileCase {
  std::string file, text, error;
};
void check_load_errors(const std::vector<FileCase>& cases) {
  for (const auto& c : cases) {
    CAPTURE(c.text);
    Folder f;
    f.write("events.csv", "time,entity,signal,value\n");
    f.write(c.file, c.text);
    CHECK(load_error(f) == c.error);
  }
}

}  // namespace

TEST_CASE("times: RFC 3339 with offsets and fractions, and epoch milliseconds") {
  struct Case {
    std::string text;
    std::int64_t ms;
  };
  std::vector<Case> ok = {
      {"2026-03-02T08:00:00Z", 1772438400000},
      {"2026-03-02T09:00:00+01:00", 1772438400000},
      {"2026-03-02T03:00:00-05:00", 1772438400000},
      {"2026-03-02t08:00:00z", 1772438400000},
      {"2026-03-02 08:00:00Z", 1772438400000},
      {"2026-03-02T08:00:00.250Z", 1772438400250},
      {"2026-03-02T08:00:00.2Z", 1772438400200},
      {"2026-03-02T08:00:00.123456789Z", 1772438400123},
      {"1772438400000", 1772438400000},
      {"0", 0},
      {"1970-01-01T00:00:00Z", 0},
      {"9999-12-31T23:59:59.999Z", 253402300799999},
      {"2028-02-29T00:00:00Z", 1835395200000},
  };
  for (const auto& c : ok) {
    CAPTURE(c.text);
    std::string why;
    auto t = rt::parse_time(c.text, why);
    REQUIRE_MESSAGE(t, why);
    CHECK(*t == c.ms);
  }
  std::vector<std::string> bad = {"",
                                  "2026-03-02T08:00:00",
                                  "2026-03-02",
                                  "2026-02-30T00:00:00Z",
                                  "2026-03-02T24:00:00Z",
                                  "2026-03-02T08:60:00Z",
                                  "2026-12-31T23:59:60Z",
                                  "1969-12-31T23:59:59Z",
                                  "1970-01-01T00:30:00+01:00",
                                  "10000-01-01T00:00:00Z",
                                  "253402300800000",
                                  "-1",
                                  "2026-03-02T08:00:00+1:00",
                                  "2026-03-02T08:00:00+24:00",
                                  "2026-03-02T08:00:00.Z",
                                  "2026-03-02T08:00:00Zjunk",
                                  "yesterday",
                                  "1e12"};
  for (const auto& text : bad) {
    CAPTURE(text);
    std::string why;
    CHECK_FALSE(rt::parse_time(text, why));
    CHECK_FALSE(why.empty());
  }
}

TEST_CASE("CSV: quotes, CRLF, a BOM, blank lines, line ends inside quotes") {
  Folder f;
  f.write("events.csv",
          "\xEF\xBB\xBF" "time,entity,signal,value\r\n"
          "2026-03-02T08:00:00Z,D1,note,\"hello, \"\"world\"\"\"\r\n"
          "\r\n"
          "\"2026-03-02T08:01:00Z\",\"D1\",\"note\",\"two\nlines\"\n"
          "2026-03-02T08:02:00Z,D1,heartbeat,\n"
          "2026-03-02T08:03:00Z,D1,status,ok");
  auto data = load(f);
  CHECK(data.counts.rows == 4);
  CHECK(data.counts.events == 4);
  REQUIRE(data.strings[4].size() == 2);
  CHECK(data.strings[4][0] == "hello, \"world\"");
  CHECK(data.strings[4][1] == "two\nlines");
}

TEST_CASE("values: bool, number, enum, string, and the events of event signals") {
  Folder f;
  f.write("events.csv",
          "time,entity,signal,value\n"
          "1772438400000,D1,flag,TRUE\n"
          "1772438400000,D1,flag,0\n"
          "1772438400000,D1,temp,-12.50\n"
          "1772438400000,D1,heartbeat,ignored value\n"
          "1772438400000,S1,maintenance,False\n");
  auto data = load(f);
  CHECK(data.counts.events == 5);
  REQUIRE(data.device_events[0].size() == 4);
  CHECK(data.device_events[0][0].value == 1);
  CHECK(data.device_events[0][1].value == 0);
  CHECK(data.numbers[data.device_events[0][2].value] == *Decimal::parse("-12.5"));
}

TEST_CASE("malformed rows stop the run with file:line, the physical line the row starts on") {
  struct Case {
    std::string events;
    std::string error;
  };
  std::vector<Case> cases = {
      {"time,entity,signal,value\n2026-03-02T08:00:00,D1,flag,true\n",
       "events.csv:2: time `2026-03-02T08:00:00` has no offset; add `Z` for UTC or one such as `+01:00`, or give "
       "`--data-timezone ZONE` to read such times as local times of ZONE"},
      {"time,entity,signal,value\n1772438400000,D1,flag,maybe\n", "events.csv:2: `flag` is a bool signal, and `maybe` is not true, false, 1 or 0"},
      {"time,entity,signal,value\n1772438400000,D1,status,broken\n", "events.csv:2: `broken` is not a value of `status` (ok, fault)"},
      {"time,entity,signal,value\n1772438400000,D1,temp,1e3\n", "events.csv:2: `temp` is a number signal, and `1e3` is not a number"},
      {"time,entity,signal,value\n1772438400000,D1,temp,99999999999999999999999\n",
       "events.csv:2: `temp` is a number signal, and `99999999999999999999999` does not fit an exact decimal (up to 18 "
       "significant digits, 18 after the point)"},
      {"time,entity,signal,value\n1772438400000,D1,temp,0.0000000000000000001\n",
       "events.csv:2: `temp` is a number signal, and `0.0000000000000000001` does not fit an exact decimal (up to 18 "
       "significant digits, 18 after the point)"},
      {"time,entity,signal,value\n99999999999999999999999,D1,flag,true\n",
       "events.csv:2: time `99999999999999999999999` is outside the years 1970-9999"},
      {"time,entity,signal,value\n1772438400000,D1,flag\n", "events.csv:2: 3 fields, but the header has 4"},
      {"time,entity,signal,value\njunk\n", "events.csv:2: 1 field, but the header has 4"},
      {"time,entity,signal,value\n1772438400000,D1,flag,true,extra\n", "events.csv:2: 5 fields, but the header has 4"},
      {"time,entity,signal,value\n1772438400000,D1,note,\"a\nb\"\n1772438400000,D1,flag,maybe\n", "events.csv:4: `flag` is a bool signal, and `maybe` is not true, false, 1 or 0"},
      {"time,entity,signal,value\n1772438400000,D1,note,\"open\n", "events.csv:2: a quoted field is not closed"},
      {"time,entity,signal,value\n1772438400000,D1,note,\"x\"y\n", "events.csv:2: text after a closing quote; a quote inside a field is written \"\""},
      {"time,entity,signal,value\n1772438400000,D1,note,x\"y\n", "events.csv:2: a quote inside an unquoted field; quote the field and write \"\""},
      {"time,entity,signal,value\n1969-12-31T23:59:59Z,D1,flag,true\n",
       "events.csv:2: time `1969-12-31T23:59:59Z` is outside the years 1970-9999"},
      {"time,entity,signal,value\n2026-04-10T08:30.99Z,D1,flag,true\n",
       "events.csv:2: `2026-04-10T08:30.99Z` has a fraction of a minute; write the seconds (such as 2026-03-02T08:00:30.5Z)"},
      {"time,entity,signal\n", "events.csv:1: no `value` column in the header (time,entity,signal,value)"},
      {"", "events.csv:1: the file is empty; it needs a header row (time,entity,signal,value)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.events);
    Folder f;
    f.write("events.csv", c.events);
    CHECK(load_error(f) == c.error);
  }
}

TEST_CASE("hostile bytes: NUL, control characters and text that is not UTF-8 are located errors") {
  struct Case {
    std::string file, text, error;
  };
  std::string h = "time,entity,signal,value\n";
  std::vector<Case> cases = {
      {"events.csv", h + std::string("1772438400000,D1,note,a\0b\n", 26), "events.csv:2: the `value` field holds a NUL byte"},
      {"events.csv", h + "1772438400000,D1,note,\"a\x01" "b\"\n", "events.csv:2: the `value` field holds the control character 0x01"},
      {"events.csv", h + "1772438400000,D\xFF" "1,flag,true\n", "events.csv:2: the `entity` field is not UTF-8 text (byte 0xFF); data files are UTF-8"},
      {"events.csv", h + "1772438400000,D\xC2\x85" "1,flag,true\n", "events.csv:2: the `entity` field holds the control character U+0085"},
      {"events.jsonl", "{\"time\":0,\"entity\":\"D1\\u009b\",\"signal\":\"flag\",\"value\":true}\n",
       "events.jsonl:1: `entity` holds the control character U+009B"},
      {"events.csv", h + "1772438400000,D1,note,caf\xC3\xA9\xC2\xA0ok\n", "ok"},  // é and a no-break space are text
      {"events.csv", h + "1772438400000,D1,note,caf\xC3\n", "events.csv:2: the `value` field is not UTF-8 text (byte 0xC3); data files are UTF-8"},
      {"events.csv", h + "1772438400000,D1,note,\xED\xA0\x80\n", "events.csv:2: the `value` field is not UTF-8 text (byte 0xED); data files are UTF-8"},
      {"events.csv", "time,entity,sig\xFFnal,value\n", "events.csv:1: field 3 is not UTF-8 text (byte 0xFF); data files are UTF-8"},
      {"devices.csv", std::string("device,site,weight\nD\0,S1,1\n", 27), "devices.csv:2: the `device` field holds a NUL byte"},
      {"events.jsonl", "{\"time\":0,\"entity\":\"D1\\u0000\",\"signal\":\"flag\",\"value\":true}\n",
       "events.jsonl:1: `entity` holds a NUL byte"},
      {"events.jsonl", "{\"time\":0,\"entity\":\"D1\",\"signal\":\"note\",\"value\":\"\\u0007\"}\n",
       "events.jsonl:1: `value` holds the control character 0x07"},
      // A field twice: JSON does not say which one counts.
      {"events.jsonl", "{\"time\":0,\"entity\":\"D1\",\"signal\":\"flag\",\"value\":true,\"value\":false}\n",
       "events.jsonl:1: `value` appears twice in the object; keep one"},
      {"events.jsonl", "{\"time\":0,\"entity\":\"D1\",\"entity\":null,\"signal\":\"flag\",\"value\":true}\n",
       "events.jsonl:1: `entity` appears twice in the object; keep one"},
      // A carriage return inside an unquoted field is not a line end, nor text.
      {"events.csv", h + "1772438400000,D\r1,flag,true\n",
       "events.csv:2: the `entity` field holds a carriage return (0x0D) inside the line; a line end inside a field "
       "needs the field in quotes"},
      // Nothing after a line's object is dropped: a second object, a stray byte, or
      // lines that end with CR alone (one line to a reader of LF) are errors.
      {"events.jsonl",
       "{\"time\":1772438400000,\"entity\":\"D1\",\"signal\":\"flag\",\"value\":true}"
       "{\"time\":1772438400000,\"entity\":\"D2\",\"signal\":\"flag\",\"value\":true}\n",
       "events.jsonl:1: not valid JSON ([json.exception.parse_error.101] parse error at line 1, column 66: syntax error "
       "while parsing value - unexpected '{'; expected end of input)"},
      {"events.jsonl",
       "{\"time\":1772438400000,\"entity\":\"D1\",\"signal\":\"flag\",\"value\":true}\r"
       "{\"time\":1772438400000,\"entity\":\"D2\",\"signal\":\"flag\",\"value\":true}\r",
       "events.jsonl:1: holds a carriage return (0x0D) that does not end the line; lines end with LF or CRLF"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    Folder f;
    if (c.file != "events.jsonl") f.write("events.csv", h);
    f.write(c.file, c.text);
    CHECK(load_error(f) == c.error);
  }
  SUBCASE("raw bytes that are not UTF-8 in JSON Lines are echoed escaped") {
    Folder f;
    f.write("events.jsonl", "{\"time\":0,\"entity\":\"D\xFF\"}\n");
    std::string e = load_error(f);
    CHECK(e.starts_with("events.jsonl:1: not valid JSON"));
    CHECK(e.find("\\xFF") != std::string::npos);
    CHECK(e.find('\xFF') == std::string::npos);
  }
  SUBCASE("an object followed by spaces, and a CRLF line end, are fine") {
    Folder f;
    f.write("events.jsonl", "{\"time\":1772438400000,\"entity\":\"D1\",\"signal\":\"flag\",\"value\":true}  \t\r\n");
    CHECK(load(f).counts.events == 1);
  }
  SUBCASE("tabs and line ends inside quotes are text") {
    Folder f;
    f.write("events.csv", h + "1772438400000,D1,note,\"a\tb\r\nc\"\n");
    CHECK(load(f).counts.events == 1);
  }
  SUBCASE("with --skip-bad-rows they are skipped and counted") {
    Folder f;
    f.write("events.csv", h + std::string("1772438400000,D1,note,a\0b\n", 26) + "1772438400000,D1,flag,true\n");
    rt::LoadOptions o;
    o.skip_bad_rows = true;
    auto d = load(f, o);
    CHECK(d.counts.rows == 2);
    CHECK(d.counts.events == 1);
    CHECK(d.counts.skipped_rows == 1);
  }
}

TEST_CASE("files that are not regular files are refused, not waited on") {
  Folder f;
  f.write("events.csv", "time,entity,signal,value\n");
  fs::remove(f.dir / "devices.csv");
  REQUIRE(::mkfifo((f.dir / "devices.csv").c_str(), 0600) == 0);
  CHECK(load_error(f) == "devices.csv: not a regular file");
  fs::remove(f.dir / "devices.csv");
  fs::create_directory(f.dir / "devices.csv");
  CHECK(load_error(f) == "devices.csv: is a directory");
}

TEST_CASE("inventory errors") {
  check_load_errors({
      {"sites.csv", "site\nS1\nS1\n", "sites.csv:3: site `S1` is listed twice (first at line 2)"},
      {"sites.csv", "site,timezone\nS1,Mars/Olympus\n", "sites.csv:2: `timezone`: `Mars/Olympus` is not an IANA time zone"},
      {"sites.csv", "name\nS1\n", "sites.csv:1: no `site` column in the header"},
      {"sites.csv", "site,capacity\nS1,two\n", "sites.csv:2: `capacity`: `two` is not a number"},
      {"devices.csv", "device,site,weight\nD1,S9,1\n", "devices.csv:2: device `D1` is at site `S9`, which is not in sites.csv"},
      {"devices.csv", "device,site\nD1,S1\n", "devices.csv:1: no `weight` column, and device attribute `weight` has no default"},
      {"devices.csv", "device,site,weight\nD1,S1,\n", "devices.csv:2: `weight` is empty and has no default"},
      {"devices.csv", "device,site,weight\nD1,S1,1\nD1,S2,1\n", "devices.csv:3: device `D1` is listed twice (first at line 2)"},
      {"devices.csv", "device,site,weight,kind\nD1,S1,1,fast\n", "devices.csv:2: `kind`: `fast` is not one of rapid, slow"},
  });
  SUBCASE("a missing file") {
    Folder f;
    fs::remove(f.dir / "devices.csv");
    f.write("events.csv", "time,entity,signal,value\n");
    CHECK(load_error(f) == "devices.csv: missing (a dataset folder holds sites.csv, devices.csv and events.csv, each possibly gzipped, .gz)");
  }
  SUBCASE("no events file") {
    Folder f;
    CHECK(load_error(f).find("no events.csv or events.jsonl") != std::string::npos);
  }
  SUBCASE("a negative weight used by `weighted by`") {
    Folder f;
    f.write("devices.csv", "device,site,weight\nD1,S1,-1\n");
    f.write("events.csv", "time,entity,signal,value\n");
    rt::LoadOptions o;
    o.weight_attributes = {*model().find_attribute(Level::device, "weight")};
    CHECK(load_error(f, o) == "devices.csv:2: `weight` is -1, but it weighs devices and cannot be negative");
  }
}

TEST_CASE("nothing lost: every row is used, skipped, or reported, and they add up") {
  Folder f;
  f.write("events.csv",
          "time,entity,signal,value\n"
          "1772438400000,D1,flag,true\n"                 // used
          "1772438400000,D1,unknown_signal,1\n"          // undeclared
          "1772438400000,D9,flag,true\n"                 // unknown entity
          "1772438400000,S1,flag,true\n"                 // a device signal for a site
          "1772438400000,D1,maintenance,true\n"          // a site signal for a device
          "bad,D1,flag,true\n"               // malformed
          "1772438400000,D1,flag\n"                      // malformed
          "1772438460000,D2,status,ok\n");           // used
  rt::LoadOptions o;
  o.skip_bad_rows = true;
  auto data = load(f, o);
  const auto& c = data.counts;
  CHECK(c.rows == 8);
  CHECK(c.events == 2);
  CHECK(c.undeclared_signals == 1);
  CHECK(c.unknown_entities == 3);
  CHECK(c.skipped_rows == 2);
  CHECK(c.events + c.skipped_rows + c.unknown_entities + c.undeclared_signals == c.rows);
  CHECK(c.skipped_lines == std::vector<std::size_t>{7, 8});
  CHECK(c.undeclared.at("unknown_signal").first_line == 3);
  CHECK(data.earliest == 1772438400000);
  CHECK(data.latest == 1772438460000);
  SUBCASE("--strict makes unknown names errors") {
    o.strict = true;
    CHECK(load_error(f, o) == "events.csv:3: signal `unknown_signal` is not declared in the contract (--strict)");
  }
}

TEST_CASE("JSON Lines: strings, numbers, booleans, null; exact decimals") {
  Folder f;
  f.write("events.jsonl",
          "{\"time\": \"2026-03-02T08:00:00Z\", \"entity\": \"D1\", \"signal\": \"temp\", \"value\": 0.1}\n"
          "\n"
          "{\"time\": 1772438400000, \"entity\": \"D1\", \"signal\": \"flag\", \"value\": true}\n"
          "{\"time\": 1772438400000, \"entity\": \"D1\", \"signal\": \"heartbeat\", \"value\": null}\n"
          "{\"time\": 1772438400000, \"entity\": \"D1\", \"signal\": \"heartbeat\"}\r\n"
          "{\"entity\": \"D1\", \"time\": 1772438400000, \"value\": \"fault\", \"signal\": \"status\"}\n");
  auto data = load(f);
  CHECK(data.counts.events == 5);
  CHECK(data.numbers.at(0) == *Decimal::parse("0.1"));
  SUBCASE("malformed lines") {
    std::vector<std::pair<std::string, std::string>> cases = {
        {"not json\n", "events.jsonl:1: not valid JSON"},
        {"[1,2]\n", "events.jsonl:1: each line must be a JSON object"},
        {"{\"time\": 1772438400000, \"entity\": \"D1\"}\n", "events.jsonl:1: missing `signal`"},
        {"{\"time\": 1772438400000, \"entity\": \"D1\", \"signal\": \"flag\", \"value\": {\"a\": 1}}\n",
         "events.jsonl:1: `value` is an object; values are strings, numbers, booleans or null"},
        {"{\"time\": 1772438400000, \"entity\": \"D1\", \"signal\": \"flag\", \"value\": true, \"tags\": [1]}\n",
         "events.jsonl:1: `tags` is an array; values are strings, numbers, booleans or null"},
        // Nested a million deep: refused at the first level, no recursion.
        {"{\"time\": 1772438400000, \"entity\": \"D1\", \"signal\": \"flag\", \"value\": true, \"x\": " + std::string(1'000'000, '[') +
             std::string(1'000'000, ']') + "}\n",
         "events.jsonl:1: `x` is an array"},
        {"{\"time\": \"2026-03-02\", \"entity\": \"D1\", \"signal\": \"flag\", \"value\": true}\n",
         "events.jsonl:1: `2026-03-02` is not an RFC 3339 time (such as 2026-03-02T08:00:00Z) or epoch milliseconds"},
    };
    for (const auto& [text, error] : cases) {
      CAPTURE(text);
      Folder g;
      g.write("events.jsonl", text);
      CHECK(load_error(g).starts_with(error));
    }
  }
}

TEST_CASE("header-only files and a dataset with both event files") {
  Folder f;
  f.write("events.csv", "time,entity,signal,value\n");
  auto data = load(f);
  CHECK(data.counts.rows == 0);
  CHECK_FALSE(data.earliest.has_value());
  f.write("events.jsonl", "");
  CHECK(load_error(f).find("both events.csv and events.jsonl") != std::string::npos);
}

namespace {

// The folder's events read in 1, 2, 3 and 7 parts and in blocks of 1 byte and up give
// the same dataset, line numbers and first error as one part.
void check_parts_agree(const Folder& f, std::size_t skipped) {
  rt::LoadOptions base;
  base.skip_bad_rows = true;
  auto want = load(f, base);
  CHECK(want.counts.skipped_rows == skipped);
  for (std::size_t threads : {1u, 2u, 3u, 7u}) {
    for (std::size_t block : {1u, 2u, 17u, 64u, 1000u}) {
     // Rows taken in as read, or a few rows late with their memory fetched ahead.
     for (std::size_t prefetch_from : {std::size_t{0}, rt::LoadOptions{}.prefetch_from}) {
      CAPTURE(threads);
      CAPTURE(block);
      CAPTURE(prefetch_from);
      rt::LoadOptions o = base;
      o.threads = threads;
      o.block_size = block;
      o.prefetch_from = prefetch_from;
      auto got = load(f, o);
      CHECK(got.counts.rows == want.counts.rows);
      CHECK(got.counts.events == want.counts.events);
      CHECK(got.counts.skipped_lines == want.counts.skipped_lines);
      CHECK(got.counts.first_skip_reason == want.counts.first_skip_reason);
      CHECK(got.counts.unknown.at("D9").first_line == want.counts.unknown.at("D9").first_line);
      CHECK(got.strings == want.strings);
      for (std::size_t d = 0; d < want.device_events.size(); ++d) {
        REQUIRE(got.device_events[d].size() == want.device_events[d].size());
        for (std::size_t k = 0; k < want.device_events[d].size(); ++k) {
          CHECK(got.device_events[d][k].time == want.device_events[d][k].time);
          CHECK(got.device_events[d][k].value == want.device_events[d][k].value);
        }
      }
      o.skip_bad_rows = false;
      CHECK(load_error(f, o) == load_error(f, [] {
              rt::LoadOptions one;
              one.threads = 1;
              return one;
            }()));
      // With --strict the first error in the file stops the run: an unknown entity
      // found ahead must not be reported before a bad row above it.
      o.strict = true;
      CHECK(load_error(f, o) == load_error(f, [] {
              rt::LoadOptions one;
              one.threads = 1;
              one.strict = true;
              return one;
            }()));
     }
    }
  }
}

}  // namespace

TEST_CASE("reading in parallel parts and small blocks gives the same dataset, lines and errors") {
  Folder f;
  std::string events = "time,entity,signal,value\r\n";
  for (int i = 0; i < 400; ++i) {
    events += fmt::format("{},D{},status,{}\n", 1772438400000 + 60'000 * (i % 37), 1 + i % 2, i % 3 == 0 ? "fault" : "ok");
    if (i % 50 == 7) events += fmt::format("{},D1,note,\"multi\nline, \"\"quoted\"\"\"\n", 1772438400000 + 1000 * i);
    if (i % 90 == 11) events += "bad time,D1,flag,true\n";
    // An unknown entity, then a row the reader refuses: with --strict the first stops.
    if (i % 70 == 3) events += fmt::format("{},D9,flag,true\n{},D1\n", 1772438400000 + i, 1772438400000 + i);
    if (i % 60 == 5) events += "\n";
  }
  f.write("events.csv", events);
  check_parts_agree(f, 11);
}

TEST_CASE("JSON Lines read in parallel parts give the same dataset, lines and errors") {
  Folder f;
  std::string events = "\xEF\xBB\xBF";  // a byte-order mark, before the first part only
  for (int i = 0; i < 400; ++i) {
    events += fmt::format("{{\"time\":{},\"entity\":\"D{}\",\"signal\":\"status\",\"value\":\"{}\"}}\r\n",
                          1772438400000 + 60'000 * (i % 37), 1 + i % 2, i % 3 == 0 ? "fault" : "ok");
    if (i % 50 == 7) events += fmt::format("{{\"time\":{},\"entity\":\"D1\",\"signal\":\"note\",\"value\":\"multi\\nline\"}}\n", 1772438400000 + 1000 * i);
    if (i % 90 == 11) events += "{\"time\":\"bad time\",\"entity\":\"D1\",\"signal\":\"flag\",\"value\":true}\n";
    if (i % 80 == 13) events += "{\"time\":1772438400000,\n";  // not one object
    if (i % 70 == 3) events += fmt::format("{{\"time\":{},\"entity\":\"D9\",\"signal\":\"flag\",\"value\":true}}\n", 1772438400000 + i);
    if (i % 60 == 5) events += "\n";
  }
  f.write("events.jsonl", events);
  check_parts_agree(f, 10);
}

TEST_CASE("heartbeats kept as runs, late rows merged into them") {
  Folder f;
  f.write("events.csv",
          "time,entity,signal,value\n"
          "1772438400000,D1,heartbeat,\n"
          "1772438700000,D1,heartbeat,\n"       // 5m later: same run with a 10m gap
          "1772439000000,D1,heartbeat,\n"
          "1772440200000,D1,heartbeat,\n"       // 20m after the run: a new run
          "1772438460000,D1,heartbeat,\n"       // late, inside the first run: nothing new
          "1772438400000,D1,status,ok\n"
          "1772439600000,D1,heartbeat,\n"       // late, 10m from both runs: one run of the two
          "1772441400000,D1,heartbeat,\n"       // 20m after it: a new run
          "1772440860000,D1,heartbeat,\n");     // late, 9m before that run (11m after the first): extends it back
  rt::LoadOptions o;
  o.storage.assign(model().signals.size(), rt::SignalStorage{});
  o.storage[*model().find_signal("heartbeat")] = rt::SignalStorage{rt::SignalStorage::runs, 600'000};
  o.storage[*model().find_signal("flag")] = rt::SignalStorage{rt::SignalStorage::none, 0};
  auto data = load(f, o);
  REQUIRE(data.device_runs[0].size() == 2);
  CHECK(data.device_runs[0][0].first == 1772438400000);
  CHECK(data.device_runs[0][0].last == 1772438400000 + 1800000);
  CHECK(data.device_runs[0][1].first == 1772438400000 + 2460000);
  CHECK(data.device_runs[0][1].last == 1772438400000 + 3000000);
  CHECK(data.device_events[0].size() == 1);  // the status event
  CHECK(data.counts.events == 9);
}

TEST_CASE("data times: epoch seconds are refused as milliseconds, read with --time-unit s, exactly") {
  rt::TimeReading ms;
  rt::TimeReading s;
  s.unit = rt::TimeUnit::s;
  struct Case {
    std::string text;
    rt::TimeReading how;
    std::int64_t want;
  };
  std::vector<Case> ok = {
      {"1772438400000", ms, 1772438400000},
      {"31536000000", ms, 31536000000},  // 1971-01-01, the first accepted
      {"1772438400", s, 1772438400000},
      {"1772438400.25", s, 1772438400250},
      {"1772438400.2", s, 1772438400200},
      {"1772438400.123999", s, 1772438400123},  // digits past milliseconds are dropped
      {"0001772438400", s, 1772438400000},
      {"31536000", s, 31536000000},
      {"253402300799.999", s, 253402300799999},
      {"2026-03-02T08:00:00Z", s, 1772438400000},  // RFC 3339 whatever the unit
  };
  for (const auto& c : ok) {
    CAPTURE(c.text);
    std::string why;
    auto t = rt::parse_data_time(c.text, c.how, why);
    REQUIRE_MESSAGE(t, why);
    CHECK(*t == c.want);
  }
  struct Bad {
    std::string text;
    rt::TimeReading how;
    std::string why;
  };
  std::vector<Bad> bad = {
      {"1772319600", ms,
       "time `1772319600` as epoch milliseconds is 1970-01-21T12:18:39.600Z, in 1970: this looks like epoch seconds; "
       "give `--time-unit s`, or write milliseconds or RFC 3339"},
      {"31535999999", ms,
       "time `31535999999` as epoch milliseconds is 1970-12-31T23:59:59.999Z, in 1970: this looks like epoch seconds; "
       "give `--time-unit s`, or write milliseconds or RFC 3339"},
      {"0", ms, "time `0` as epoch milliseconds is 1970-01-01T00:00:00Z, in 1970, which data does not mean; write a time from 1971 on"},
      {"31535999", s, "time `31535999` as epoch seconds is 1970-12-31T23:59:59Z, in 1970, which data does not mean; write a time from 1971 on"},
      {"1772438400000", s,
       "time `1772438400000` as epoch seconds is after the year 9999: this looks like epoch milliseconds; leave out `--time-unit s`"},
      {"1772438400.5", ms,
       "time `1772438400.5` is not a whole number of epoch milliseconds; for epoch seconds with a fraction give `--time-unit s`"},
      {"1772438400.", s, "`1772438400.` is not a time: a `.` needs digits on both sides"},
      {".5", s, "`.5` is not a time: a `.` needs digits on both sides"},
      {"1.2.3", s, "`1.2.3` is not an RFC 3339 time (such as 2026-03-02T08:00:00Z) or epoch seconds"},
      {"-1772438400", s, "time `-1772438400` is outside the years 1970-9999"},
      {"253402300800", s,  // as milliseconds, 1978
       "time `253402300800` as epoch seconds is after the year 9999: this looks like epoch milliseconds; leave out `--time-unit s`"},
      {"9999999999999999", s, "time `9999999999999999` is outside the years 1970-9999"},
      {"1000000000000000", ms, "time `1000000000000000` is outside the years 1970-9999"},
      {"1772438400000 ", ms, "`1772438400000 ` (ends with a space) is not an RFC 3339 time (such as 2026-03-02T08:00:00Z) or epoch milliseconds"},
      {"2026-03-02T08:00:00Z  ", ms, "`2026-03-02T08:00:00Z  ` (ends with 2 spaces) has text after the time"},
  };
  for (const auto& c : bad) {
    CAPTURE(c.text);
    std::string why;
    CHECK_FALSE(rt::parse_data_time(c.text, c.how, why));
    CHECK(why == c.why);
  }
  // Times given on the command line are not data: --from 0 stays 1970.
  std::string why;
  CHECK(rt::parse_time("0", why) == 0);
}

TEST_CASE("data times: without an offset, local times of --data-timezone, by the gap and fold rules") {
  rt::TimeReading london;
  london.zone = find_zone("Europe/London");
  struct Case {
    std::string text;
    std::int64_t want;
  };
  std::vector<Case> ok = {
      {"2026-03-01 14:05", 1772373900000},               // GMT, no seconds
      {"2026-03-01T14:05:00", 1772373900000},
      {"2026-07-01T14:05:00.5", 1782911100500},           // BST: 13:05:00.5Z
      {"2026-03-29T01:30:00", 1774746000000},             // in the spring-forward gap: the gap's end, 01:00Z
      {"2026-10-25T01:30:00", 1792888200000},             // twice: the earlier, 00:30Z (BST)
      {"2026-03-01T14:05:00Z", 1772373900000},            // an offset still rules
      {"2026-03-01T14:05:00+01:00", 1772370300000},
  };
  for (const auto& c : ok) {
    CAPTURE(c.text);
    std::string why;
    auto t = rt::parse_data_time(c.text, london, why);
    REQUIRE_MESSAGE(t, why);
    CHECK(*t == c.want);
  }
  std::string why;
  CHECK_FALSE(rt::parse_data_time("2026-03-01 14:05", rt::TimeReading{}, why));
  CHECK(why == "time `2026-03-01 14:05` has no offset; add `Z` for UTC or one such as `+01:00`, or give `--data-timezone "
               "ZONE` to read such times as local times of ZONE");
  rt::TimeReading paris;
  paris.zone = find_zone("Europe/Paris");
  CHECK_FALSE(rt::parse_data_time("1970-01-01T00:30:00", paris, why));  // 1969 in UTC
  CHECK(why == "time `1970-01-01T00:30:00` is outside the years 1970-9999");
  CHECK_FALSE(rt::parse_data_time("2026-02-30 14:05", london, why));
  CHECK(why == "`2026-02-30 14:05` is not a date and time: there is no 30 February 2026 (February 2026 has 28 days)");
  CHECK_FALSE(rt::parse_data_time("2026-03-01T24:05:00Z", london, why));
  CHECK(why == "`2026-03-01T24:05:00Z` is not a date and time: 24:05:00 is not a time of day");
  CHECK_FALSE(rt::parse_data_time("2026-03-01 14", london, why));
}

TEST_CASE("CSV dialects: `;` and tab, a space after each separator, header names in any case") {
  std::vector<std::string> headers = {"time,entity,signal,value", "Time,Entity,Signal,Value", "TIME;ENTITY;SIGNAL;VALUE",
                                      "time\tentity\tsignal\tvalue", "time, entity, signal, value", " Time ; Entity ; Signal ; Value"};
  for (const auto& header : headers) {
    CAPTURE(header);
    char sep = header.find(';') != std::string::npos ? ';' : header.find('\t') != std::string::npos ? '\t' : ',';
    std::string after = header.find(", ") != std::string::npos ? " " : "";
    auto row = [&](std::vector<std::string> fields) {
      std::string out;
      for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? std::string(1, sep) + after : "") + fields[i];
      return out + "\n";
    };
    Folder f;
    f.write("events.csv", header + "\n" + row({"2026-03-02T08:00:00Z", "D1", "note", "\"a, b; c\""}) +
                              row({"2026-03-02T08:01:00Z", "D1", "temp", "-1.5"}) + row({"2026-03-02T08:02:00Z", "D2", "status", "fault"}));
    auto data = load(f);
    CHECK(data.counts.events == 3);
    REQUIRE(data.strings[4].size() == 1);
    CHECK(data.strings[4][0] == "a, b; c");
    CHECK(data.numbers.at(0) == *Decimal::parse("-1.5"));
  }
  SUBCASE("the inventory tables too") {
    Folder f;
    f.write("sites.csv", "Site;TimeZone;Capacity\nS1;Europe/London;3\nS2;;\n");
    f.write("devices.csv", "DEVICE\tSITE\tWeight\tKind\nD1\tS1\t1\trapid\nD2\tS2\t2.5\t\n");
    f.write("events.csv", "time,entity,signal,value\n");
    auto data = load(f);
    REQUIRE(data.sites.size() == 2);
    CHECK(data.sites[0].zone.name == "Europe/London");
    CHECK(data.devices.at(1).site == 1);
  }
  SUBCASE("refusals name what they found") {
    check_load_errors({
        {"events.csv", "time|entity|signal|value\n",
         "events.csv:1: the header `time|entity|signal|value` has no `,`, `;` or tab between its names, but `|`; columns "
         "are separated by `,`, `;` or a tab"},
        {"events.csv", "Time,TIME,entity,signal,value\n",
         "events.csv:1: two columns could be `time`: `Time` and `TIME`; name one of them exactly `time`"},
        {"events.csv", "time;entity;signal\n", "events.csv:1: no `value` column in the header (time,entity,signal,value)"},
        {"events.csv", "time,entity,signal,value\n2026-03-02T08:00:00Z,D1,status,ok  \n",
         "events.csv:2: `ok  ` (ends with 2 spaces) is not a value of `status` (ok, fault)"},
        {"events.csv", "time,entity,signal,value\n2026-03-02T08:00:00Z,D1,flag,\ttrue\n",
         "events.csv:2: `flag` is a bool signal, and `\\x09true` (starts with a tab) is not true, false, 1 or 0"},
        {"sites.csv", "site;capacity\nS1;two \n", "sites.csv:2: `capacity`: `two ` (ends with a space) is not a number"},
    });
  }
}

TEST_CASE("gzipped events: events.csv.gz and events.jsonl.gz read like the plain files") {
  auto gzip = [](const fs::path& path, const std::string& text) {
    gzFile gz = gzopen(path.c_str(), "wb");
    REQUIRE(gz != nullptr);
    REQUIRE(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
    gzclose(gz);
  };
  std::string csv = "\xEF\xBB\xBF" "Time;Entity;Signal;Value\r\n";
  for (int i = 0; i < 300; ++i) {
    csv += fmt::format("{};D{};status;{}\n", 1772438400000 + 60'000 * i, 1 + i % 2, i % 3 ? "ok" : "fault");
    if (i % 40 == 9) csv += fmt::format("{};D1;note;\"two\nlines\"\n", 1772438400000 + i);
  }
  Folder plain;
  plain.write("events.csv", csv);
  rt::LoadOptions small;
  small.block_size = 64;  // rows cut by the blocks of the inflated stream
  auto want = load(plain);
  Folder zipped;
  gzip(zipped.dir / "events.csv.gz", csv);
  auto got = load(zipped, small);
  CHECK(got.events_file == (zipped.dir / "events.csv.gz").string());
  CHECK(got.counts.rows == want.counts.rows);
  CHECK(got.strings == want.strings);
  REQUIRE(got.device_events.size() == want.device_events.size());
  for (std::size_t d = 0; d < want.device_events.size(); ++d) {
    REQUIRE(got.device_events[d].size() == want.device_events[d].size());
    for (std::size_t k = 0; k < want.device_events[d].size(); ++k) CHECK(got.device_events[d][k].time == want.device_events[d][k].time);
  }
  SUBCASE("errors name the .gz file and the line in its text") {
    Folder g;
    gzip(g.dir / "events.csv.gz", "time,entity,signal,value\n2026-03-02T08:00:00Z,D1,status,ok\n1772319600,D1,status,ok\n");
    CHECK(load_error(g).starts_with("events.csv.gz:3: time `1772319600` as epoch milliseconds"));
    Folder j;
    gzip(j.dir / "events.jsonl.gz", "{\"time\": 1772438400, \"entity\": \"D1\", \"signal\": \"flag\", \"value\": true}\n");
    CHECK(load_error(j).find("events.jsonl.gz:1: time `1772438400` as epoch milliseconds") == 0);
    rt::LoadOptions seconds;
    seconds.times.unit = rt::TimeUnit::s;
    CHECK(load(j, seconds).earliest == 1772438400000);
  }
  SUBCASE("a file that is not gzip, or is cut short") {
    Folder g;
    g.write("events.csv.gz", "time,entity,signal,value\n");
    CHECK(load_error(g) == "events.csv.gz: not gzip data, though its name ends in .gz");
    gzip(g.dir / "events.csv.gz", csv);
    std::string bytes = test::read_file((g.dir / "events.csv.gz").string());
    g.write("events.csv.gz", bytes.substr(0, bytes.size() / 2));
    CHECK(load_error(g) == "events.csv.gz: not readable as gzip data (the file is cut short)");
  }
  SUBCASE("one events file only") {
    plain.write("events.csv.gz", "");
    CHECK(load_error(plain) == plain.dir.string() + ": both events.csv and events.csv.gz are present; keep one");
  }
  SUBCASE("sites.csv.gz and devices.csv.gz read like the plain files") {
    Folder g;
    gzip(g.dir / "events.csv.gz", csv);
    for (const char* name : {"sites.csv", "devices.csv"}) {
      gzip(g.dir / (std::string(name) + ".gz"), test::read_file((g.dir / name).string()));
      fs::remove(g.dir / name);
    }
    auto inventory = load(g);
    CHECK(inventory.sites.size() == want.sites.size());
    CHECK(inventory.devices.size() == want.devices.size());
    CHECK(inventory.devices[1].id == want.devices[1].id);
    CHECK(inventory.counts.rows == want.counts.rows);
    gzip(g.dir / "devices.csv.gz", "device,site,weight\nD1,S1,1\nD2,S3,1\n");
    CHECK(load_error(g) == "devices.csv.gz:3: device `D2` is at site `S3`, which is not in sites.csv.gz");
    g.write("devices.csv", "device,site\n");
    CHECK(load_error(g) == g.dir.string() + ": both devices.csv and devices.csv.gz are present; keep one");
    fs::remove(g.dir / "devices.csv");
    g.write("sites.csv.gz", "site\nS1\n");
    CHECK(load_error(g) == "sites.csv.gz: not gzip data, though its name ends in .gz");
  }
}

TEST_CASE("a dataset held in memory is read as the same files on disk are") {
  // LoadOptions::files (for the fuzzers) goes through the readers of the disk: same
  // rows, same counts, same messages with the same lines.
  std::map<std::string, std::string> files = {
      {"sites.csv", "site,timezone\nS1,Europe/London\nS2,\n"},
      {"devices.csv", "device,site,weight\nD1,S1,1\nD2,S2,2.5\n"},
      {"events.csv", "time,entity,signal,value\n2026-03-01T00:00:00Z,D1,status,ok\n2026-03-01T00:05:00Z,D2,heartbeat,\n"
                     "2026-03-01T00:06:00Z,D9,status,ok\n2026-03-01T00:07:00Z,D1,temp,81.5\n"},
  };
  Folder disk;
  for (const auto& [name, text] : files) disk.write(name, text);
  for (std::size_t threads : {1, 2}) {
    rt::LoadOptions lo;
    lo.threads = threads;
    lo.block_size = 7;
    rt::Dataset from_disk = load(disk, lo);
    lo.files = &files;
    rt::Dataset in_memory = rt::load_dataset("mem", model(), lo);
    CHECK(in_memory.counts.rows == 4);
    CHECK(in_memory.counts.rows == from_disk.counts.rows);
    CHECK(in_memory.counts.events == from_disk.counts.events);
    CHECK(in_memory.counts.unknown_entities == 1);
    CHECK(in_memory.events_file == "mem/events.csv");
  }
  files["events.csv"] += "2026-03-01T00:08:00,D1,status,ok\n";
  disk.write("events.csv", files["events.csv"]);
  rt::LoadOptions lo;
  lo.files = &files;
  try {
    rt::load_dataset("mem", model(), lo);
    FAIL("a time without an offset must be refused");
  } catch (const rt::DataError& e) {
    CHECK(std::string(e.what()) == "mem/events.csv:6: " + load_error(disk).substr(std::string("events.csv:6: ").size()));
  }
  files.erase("events.csv");
  files["events.jsonl"] = "{\"time\":\"2026-03-01T00:00:00Z\",\"entity\":\"D1\",\"signal\":\"status\",\"value\":\"ok\"}\n";
  CHECK(rt::load_dataset("mem", model(), lo).counts.events == 1);
  files.erase("devices.csv");
  CHECK_THROWS_WITH_AS(rt::load_dataset("mem", model(), lo), doctest::Contains("mem/devices.csv: missing"), rt::DataError);
}
