// The fast paths of the events reader against plain references: the CSV row scan that
// reads eight bytes at a time, and the reading of the common RFC 3339 shapes with its
// per-thread memo of the last date. Random inputs, including every byte the scan
// treats apart (separators, quotes, line ends, control bytes, DEL, UTF-8 bytes).
#include <doctest/doctest.h>

#include <random>

#include <date/date.h>

#include "runtime/ingest/csv.hpp"
#include "runtime/ingest/dataset.hpp"

using namespace slac;
using slac::rt::ingest::CsvDialect;
using slac::rt::ingest::CsvReader;
using slac::rt::ingest::Next;
using slac::rt::ingest::RowError;

namespace {

// What a row of unquoted fields is: split at every separator, or refused for the first
// field that holds a byte text_problem refuses or a carriage return.
struct Expected {
  std::vector<std::string> fields;
  bool bad = false;
};

Expected reference_row(const std::string& line, char separator) {
  Expected e;
  std::string content = !line.empty() && line.back() == '\r' ? line.substr(0, line.size() - 1) : line;
  std::size_t from = 0;
  while (true) {
    std::size_t at = content.find(separator, from);
    e.fields.push_back(content.substr(from, at == std::string::npos ? std::string::npos : at - from));
    if (at == std::string::npos) break;
    from = at + 1;
  }
  // A carriage return inside an unquoted field (not the line's CRLF) is refused too.
  for (const auto& f : e.fields) e.bad |= rt::ingest::text_problem_slow(f).has_value() || f.find('\r') != std::string::npos;
  return e;
}

}  // namespace

TEST_CASE("csv scan: rows of random bytes split and checked as byte by byte") {
  std::mt19937 rng(20261203);
  // Bytes the scan must stop at, and plain ones; no quote (a quoted row takes the
  // general path) and no line end inside a row.
  const std::string unusual = std::string("\t\r\x01\x1F\x7F\x80\xC3\xA9\xFF\0", 11);
  for (char separator : {',', ';', '\t'}) {
    for (int round = 0; round < 3000; ++round) {
      std::vector<std::string> lines;
      std::string text;
      int rows = 1 + static_cast<int>(rng() % 5);
      for (int r = 0; r < rows; ++r) {
        std::string line;
        int length = static_cast<int>(rng() % 40);
        for (int i = 0; i < length; ++i) {
          unsigned pick = rng() % 20;
          if (pick < 3) line += separator;
          else if (pick < 5) line += unusual[rng() % unusual.size()];
          else line += static_cast<char>('a' + rng() % 26);
        }
        if (line.find_first_not_of("\r") == std::string::npos) line = "x" + line;  // not a blank line
        if (separator == '\t') std::erase(line, '\t') , line += "\t1";  // tab is the separator, not a tab in a field
        lines.push_back(line);
        text += line + "\n";
      }
      CsvReader reader(text, 1, true, CsvDialect{separator, false});
      std::vector<std::string_view> fields;
      std::size_t line = 0;
      RowError error;
      for (std::size_t r = 0; r < lines.size(); ++r) {
        Expected e = reference_row(lines[r], separator);
        Next n = reader.next(fields, line, error);
        INFO("row " << r << ": " << lines[r]);
        CHECK(line == r + 1);
        if (e.bad) {
          CHECK(n == Next::bad_row);
        } else {
          REQUIRE(n == Next::row);
          CHECK(std::vector<std::string>(fields.begin(), fields.end()) == e.fields);
        }
      }
      CHECK(reader.next(fields, line, error) == Next::end);
    }
  }
}

TEST_CASE("csv scan: a row cut by the end of a block is incomplete, wherever the cut falls") {
  std::string text = "2026-03-01T00:00:00Z,S001-C1,heartbeat,\n2026-03-01T00:05:00.250Z,S001-C1,status,ok\r\n";
  for (std::size_t cut = 1; cut < text.size(); ++cut) {
    CsvReader reader(std::string_view(text).substr(0, cut), 1, false, CsvDialect{});
    std::vector<std::string_view> fields;
    std::size_t line = 0, rows = 0;
    RowError error;
    Next n;
    while ((n = reader.next(fields, line, error)) == Next::row) ++rows;
    // A block that ends just after a line end holds whole rows only.
    CHECK(n == (cut == 40 ? Next::end : Next::incomplete));
    CHECK(rows == (cut >= 40 ? 1u : 0u));
  }
}

TEST_CASE("times: the fast shapes read as the general reader does, dates remembered or not") {
  std::mt19937 rng(3);
  std::string why;
  auto reference = [](int y, int mo, int d, int h, int mi, int s, int ms) -> std::optional<std::int64_t> {
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)}, date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || y < 1970 || h > 23 || mi > 59 || s > 59) return std::nullopt;
    return (date::sys_days(ymd).time_since_epoch().count() * 86400LL + h * 3600 + mi * 60 + s) * 1000 + ms;
  };
  for (int i = 0; i < 200000; ++i) {
    // Mostly valid, often the same date as the last (the memo), sometimes a day or a
    // time that does not exist, a year before 1970, or a byte that is not a digit.
    int y = 1968 + static_cast<int>(rng() % 8) * (rng() % 4 == 0 ? 1000 : 1);
    if (y > 9999) y = 9999;
    int mo = static_cast<int>(rng() % 13), d = static_cast<int>(rng() % 32), h = static_cast<int>(rng() % 25),
        mi = static_cast<int>(rng() % 61), s = static_cast<int>(rng() % 61), ms = static_cast<int>(rng() % 1000);
    bool fraction = rng() % 2 == 0;
    std::string text = fraction ? fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, mo, d, h, mi, s, ms)
                                : fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, mo, d, h, mi, s);
    std::optional<std::int64_t> want = reference(y, mo, d, h, mi, s, fraction ? ms : 0);
    if (rng() % 50 == 0) {
      std::size_t at = rng() % text.size();
      char was = text[at];
      text[at] = "x/:-T.Z 9"[rng() % 9];
      if (text[at] != was) want = std::nullopt;
      if (text[at] != was && std::isdigit(static_cast<unsigned char>(was)) && std::isdigit(static_cast<unsigned char>(text[at]))) continue;
      if (text[at] != was && at == 10 && text[at] == ' ') continue;  // a space for T is RFC 3339 too
    }
    INFO(text);
    auto got = rt::parse_time(text, why);
    CHECK(got == want);
    // The same text twice in a row reads the same (the second from the memo).
    CHECK(rt::parse_time(text, why) == want);
  }
}
