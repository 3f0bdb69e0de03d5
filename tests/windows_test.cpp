// The windows of SPEC 4.4's "More windows": where a new form coincides with an older one it
// gives exactly its windows; the forms' own shapes; and what status and --set make of them.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <unistd.h>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/time.hpp"
#include "compiler/loader.hpp"
#include "runtime/calendar.hpp"
#include "runtime/ingest/dataset.hpp"
#include "tests/support.hpp"

using namespace slac;

namespace {

const char* const zones[] = {"UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"};

std::int64_t midnight(const Zone& zone, int y, unsigned m, unsigned d) { return rt::local_midnight(zone, days_from_civil(y, m, d)); }

}  // namespace

TEST_CASE("windows: rolling 1 months are the calendar months") {
  for (const char* name : zones) {
    CAPTURE(name);
    Zone zone = *find_zone(name);
    WindowSpec months;
    months.rolling = true;
    months.rolling_unit = ast::RollingUnit::months;
    WindowSpec calendar;
    calendar.unit = ast::CalendarUnit::month;
    std::int64_t from = midnight(zone, 2025, 11, 17), to = midnight(zone, 2028, 3, 2);
    auto got = rt::windows(months, 1, zone, from, to);
    CHECK(got.size() == 27);
    CHECK(got == rt::windows(calendar, 0, zone, from, to));
  }
}

TEST_CASE("windows: rolling 12 months end at each first of a month, twelve calendar months long") {
  Zone zone = *find_zone("America/New_York");
  WindowSpec spec;
  spec.rolling = true;
  spec.rolling_unit = ast::RollingUnit::months;
  auto got = rt::windows(spec, 12, zone, midnight(zone, 2026, 1, 1), midnight(zone, 2027, 12, 1));
  REQUIRE(got.size() == 12);
  for (unsigned k = 0; k < 12; ++k) {
    CHECK(got[k].first == midnight(zone, 2026, k + 1, 1));
    CHECK(got[k].second == midnight(zone, 2027, k + 1, 1));
  }
  // Across a year end, and with a 29 February inside.
  auto leap = rt::windows(spec, 14, zone, midnight(zone, 2027, 11, 1), midnight(zone, 2029, 2, 1));
  // Two windows lie wholly inside: the one ending at `to` itself counts.
  REQUIRE(leap.size() == 2);
  CHECK(leap[0].first == midnight(zone, 2027, 11, 1));
  CHECK(leap[0].second == midnight(zone, 2029, 1, 1));
  CHECK(leap[1].first == midnight(zone, 2027, 12, 1));
  CHECK(leap[1].second == midnight(zone, 2029, 2, 1));
}

TEST_CASE("windows: a param-sized window set to 0 is a usage error, not silence") {
  const std::string base = "tests/whatif/windows.sla --data tests/eval/nevi_rolling_months --from 2026-01-01 --to 2027-12-01";
  auto set = test::run_slac("eval " + base + " --set months_back=0");
  CHECK(set.exit_code == 2);
  CHECK(set.err ==
        "slac eval: --set months_back=0: SLA `trailing` is measured in rolling windows of `months_back` months, which "
        "must be at least 1\n");
  auto sweep = test::run_slac("whatif " + base + " --sla trailing --sweep months_back=0..2");
  CHECK(sweep.exit_code == 2);
  CHECK(sweep.err.find("--sweep months_back=0..2: months_back=0: SLA `trailing` is measured in rolling windows of "
                       "`months_back` months") != std::string::npos);
  CHECK(test::run_slac("whatif " + base + " --sla trailing --sweep months_back=1..2").exit_code == 0);
}

namespace {

// The window of the only SLA of a contract whose window clause is `window`.
WindowSpec compiled_window(const std::string& window) {
  auto c = compile_file("w.sla", "signal s : bool\nkpi k {\n  " + window + ", on any device,\n  s\n}\n");
  REQUIRE(c.ok());
  return c.model.slas.at(0).window;
}

}  // namespace

TEST_CASE("windows: `starting 00:00` (and weeks `starting mon 00:00`) are the plain calendar windows") {
  for (const char* unit : {"day", "week", "month", "quarter", "year"}) {
    CAPTURE(unit);
    WindowSpec plain = compiled_window(fmt::format("in any calendar {}", unit));
    WindowSpec midnight_start = compiled_window(fmt::format("in any calendar {} starting 00:00", unit));
    for (const char* name : zones) {
      CAPTURE(name);
      Zone zone = *find_zone(name);
      std::int64_t from = midnight(zone, 2025, 12, 3), to = midnight(zone, 2027, 2, 2);
      auto want = rt::windows(plain, 0, zone, from, to);
      CHECK(!want.empty());
      CHECK(rt::windows(midnight_start, 0, zone, from, to) == want);
      if (std::string_view(unit) == "week") {
        CHECK(rt::windows(compiled_window("in any calendar week starting mon 00:00"), 0, zone, from, to) == want);
      }
    }
  }
}

TEST_CASE("windows: `starting [DAY] HH:MM` tiles the timeline from that local time, by SPEC 2's rules") {
  for (const char* name : zones) {
    CAPTURE(name);
    Zone zone = *find_zone(name);
    for (const char* at : {"00:30", "01:30", "02:00", "02:30", "05:00", "23:59"}) {
      CAPTURE(at);
      unsigned h = static_cast<unsigned>(std::stoi(std::string(at).substr(0, 2)));
      unsigned mi = static_cast<unsigned>(std::stoi(std::string(at).substr(3)));
      std::int64_t offset = (h * 60 + mi) * 60'000LL;
      std::int64_t from = midnight(zone, 2026, 1, 1), to = midnight(zone, 2027, 1, 1);
      auto days = rt::windows(compiled_window(fmt::format("in any calendar day starting {}", at)), 0, zone, from, to);
      REQUIRE(days.size() >= 364);
      for (std::size_t k = 0; k < days.size(); ++k) {
        std::int64_t day = floor_div(utc_to_local(zone, days[k].first) - offset, ms_per_day);
        CHECK(days[k].first == local_to_utc(zone, day * ms_per_day + offset));
        if (k + 1 < days.size()) CHECK(days[k].second == days[k + 1].first);
      }
      auto weeks = rt::windows(compiled_window(fmt::format("in any calendar week starting thu {}", at)), 0, zone, from, to);
      REQUIRE(weeks.size() >= 51);
      for (std::size_t k = 0; k < weeks.size(); ++k) {
        std::int64_t local = utc_to_local(zone, weeks[k].first);
        // Thursday at that time; or, where that time fell in a gap, the instant the gap ends.
        CHECK(weekday_from_days(floor_div(local - offset, ms_per_day)) == 3);
        if (k + 1 < weeks.size()) CHECK(weeks[k].second == weeks[k + 1].first);
      }
    }
  }
}

TEST_CASE("windows: `period of 7 days starting` a Monday (or of 1 week) is the calendar week") {
  WindowSpec week = compiled_window("in any calendar week");
  for (const char* name : zones) {
    CAPTURE(name);
    Zone zone = *find_zone(name);
    std::int64_t from = midnight(zone, 2025, 12, 3), to = midnight(zone, 2027, 2, 2);
    auto want = rt::windows(week, 0, zone, from, to);
    REQUIRE(want.size() >= 60);
    // Mondays before, inside and after the span.
    for (const char* monday : {"2024-01-01", "2026-03-30", "2030-12-30"}) {
      CAPTURE(monday);
      CHECK(rt::windows(compiled_window(fmt::format("in any period of 7 days starting {}", monday)), 7, zone, from, to) == want);
      CHECK(rt::windows(compiled_window(fmt::format("in any period of 1 week starting {}", monday)), 1, zone, from, to) == want);
    }
    CHECK(rt::windows(compiled_window("in any period of 7 days starting 2026-03-31"), 7, zone, from, to) != want);
  }
}

TEST_CASE("windows: a periods list runs from each date to the next, and nothing outside it") {
  auto c = compile_file("p.sla", "signal s : bool\nperiods p = 2026-04-01, 2026-04-28, 2026-05-26\n"
                                 "kpi k {\n  in any p period, on any device,\n  s\n}\n");
  REQUIRE(c.ok());
  Zone zone = *find_zone("Europe/London");
  auto got = rt::windows(c.model.slas[0].window, 0, zone, midnight(zone, 2026, 1, 1), midnight(zone, 2027, 1, 1));
  REQUIRE(got.size() == 2);
  CHECK(got[0] == std::make_pair(midnight(zone, 2026, 4, 1), midnight(zone, 2026, 4, 28)));
  CHECK(got[1] == std::make_pair(midnight(zone, 2026, 4, 28), midnight(zone, 2026, 5, 26)));
  // Only whole periods inside the span.
  CHECK(rt::windows(c.model.slas[0].window, 0, zone, midnight(zone, 2026, 4, 2), midnight(zone, 2027, 1, 1)).size() == 1);
}

TEST_CASE("windows: status finds every rolling-months window holding T, and its table fits their labels") {
  const std::string base = "status tests/eval/nevi_rolling_months/contract.sla --data tests/eval/nevi_rolling_months --as-of 2027-06-15";
  auto json = nlohmann::json::parse(test::run_slac(base + " --format json").out);
  // The twelve windows ending on the firsts of July 2027 to June 2028, for two ports.
  REQUIRE(json["groups"].size() == 24);
  std::set<std::string> starts;
  for (const auto& g : json["groups"]) starts.insert(g["window"]["start"].get<std::string>());
  CHECK(starts.size() == 12);
  auto table = test::run_slac(base + " --format table").out;
  std::regex row(R"(\d{4}-\d{2}-\d{2} \.\. \d{4}-\d{2}-\d{2} +(secured|on_track|at_risk|breached) )");
  CHECK(std::distance(std::sregex_iterator(table.begin(), table.end(), row), std::sregex_iterator()) == 24);
}

TEST_CASE("windows: a window's local name, through daylight-saving gaps and folds (`in site timezone`)") {
  // Santiago skips its midnight on 6 September 2026 (00:00 -> 01:00): that day starts at
  // 01:00 local, 04:00 UTC, and is still named by its midnight, so that it shares a
  // verdict with the other zones' 6 September.
  Zone santiago = *find_zone("America/Santiago");
  WindowSpec days;
  days.unit = ast::CalendarUnit::day;
  std::int64_t sep6 = days_from_civil(2026, 9, 6) * ms_per_day;
  std::string why;
  auto t = [&](const char* text) { return *rt::parse_time(text, why); };
  CHECK(rt::window_name(days, santiago, t("2026-09-06T04:00:00Z")) == rt::WindowName{sep6, false});
  CHECK(rt::window_name(days, santiago, t("2026-09-07T03:00:00Z")) == rt::WindowName{sep6 + ms_per_day, false});
  // A day starting 05:00 is named by its 05:00.
  WindowSpec gas = days;
  gas.start_minute = 5 * 60;
  Zone london = *find_zone("Europe/London");
  CHECK(rt::window_name(gas, london, t("2026-10-25T05:00:00Z")) ==
        rt::WindowName{days_from_civil(2026, 10, 25) * ms_per_day + 5 * 3'600'000, false});
  // Rolling hours in New York's fold: two windows start at 01:00 local on 1 November,
  // 05:00 and 06:00 UTC; the second is the repeated one.
  Zone new_york = *find_zone("America/New_York");
  WindowSpec hours;
  hours.rolling = true;
  hours.rolling_unit = ast::RollingUnit::hours;
  std::int64_t one = days_from_civil(2026, 11, 1) * ms_per_day + 3'600'000;
  CHECK(rt::window_name(hours, new_york, t("2026-11-01T05:00:00Z")) == rt::WindowName{one, false});
  CHECK(rt::window_name(hours, new_york, t("2026-11-01T06:00:00Z")) == rt::WindowName{one, true});
}

TEST_CASE("windows: `in site timezone` verdicts keep a fold's two windows apart and a skipped midnight's day together") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-site-zone-{}", ::getpid());
  fs::create_directories(dir);
  auto write = [&](const char* name, const std::string& text) { std::ofstream(dir / name) << text; };
  write("c.sla", R"(contract "Folds and gaps"
  timezone "Europe/London"

signal status : enum { ok, fault }
site attribute timezone : timezone = "Europe/London"

state up = status == ok

sla two_hours {
  in any rolling 2 hours in site timezone, on any site,
  at least 1 up for at least 99%
  penalty 7
  penalty cap 10
}

sla local_days {
  in any calendar day in site timezone, on any site,
  at least 1 up for at least 99%
}
)");
  write("sites.csv", "site,timezone\nC,America/Chicago\nN,America/New_York\nS,America/Santiago\n");
  write("devices.csv", "device,site\nDC,C\nDN,N\nDS,S\n");
  write("events.csv",
        "time,entity,signal,value\n2026-08-30T00:00:00Z,DC,status,ok\n2026-08-30T00:00:00Z,DN,status,ok\n"
        "2026-08-30T00:00:00Z,DS,status,ok\n2026-11-01T07:10:00Z,DN,status,fault\n2026-11-01T07:20:00Z,DN,status,ok\n");
  auto verdicts = [&](const std::string& span, const std::string& sla) {
    auto r = test::run_slac(fmt::format("eval {} --data {} {} --sla {} --format json", (dir / "c.sla").string(), dir.string(), span, sla));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return nlohmann::json::parse(r.out)["verdicts"];
  };
  // Windows end at each whole local hour, 2 h long. 01:00 local happens twice in Chicago
  // (CDT -05:00, then CST -06:00) and New York (EDT, EST) on 1 November, once in
  // Santiago (-03:00): the first 01:00 is one verdict of the three (Chicago's offset, the
  // first group), the repeated one another of two; New York's repeated window, 06:00 to
  // 08:00 UTC, holds the fault of 07:10-07:20 UTC. Merged, that verdict would have had 5
  // groups and its penalty capped at 10.
  auto folds = verdicts("--from 2026-11-01T04:00:00Z --to 2026-11-01T12:00:00Z", "two_hours");
  std::vector<std::string> got;
  for (const auto& v : folds) {
    got.push_back(fmt::format("{} {} {} {}", v["window"]["start"].get<std::string>(), v["groups"].get<int>(),
                              v["groups_met"].get<int>(), v["penalty"].dump()));
  }
  CHECK(std::count(got.begin(), got.end(), "2026-11-01T01:00:00-05:00 3 3 0") == 1);
  CHECK(std::count(got.begin(), got.end(), "2026-11-01T01:00:00-06:00 2 1 7") == 1);
  CHECK(std::count(got.begin(), got.end(), "2026-11-01T02:00:00-06:00 3 2 7") == 1);
  for (const auto& v : folds) CHECK(v["groups"].get<int>() <= 3);
  // Santiago's 6 September, which starts at 01:00 local, is one verdict with Chicago's
  // and New York's 6 September.
  auto days = verdicts("--from 2026-09-05T00:00:00Z --to 2026-09-08T12:00:00Z", "local_days");
  bool found = false;
  for (const auto& v : days) {
    if (v["window"]["start"].get<std::string>().starts_with("2026-09-06T00:00:00")) {
      found = true;
      CHECK(v["groups"].get<int>() == 3);
    }
    CHECK(v["groups"].get<int>() <= 3);
  }
  CHECK(found);
  fs::remove_all(dir);
}
