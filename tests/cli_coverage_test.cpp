// What eval and status say about what they judged: an SLA that judged nothing (and
// the exit code 4 with --fail-on-breach), windows that begin before the data, spans
// and --as-of past the data, silent sites; in the table (standard error) and in JSON.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using slac::test::run_slac;
namespace fs = std::filesystem;

namespace {

const std::string budget = "eval tests/eval/month_budget/contract.sla --data tests/eval/month_budget";

// A folder removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(std::string_view name)
      : path(fs::temp_directory_path() / fmt::format("slac-coverage-{}-{}", name, static_cast<long>(getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& file, const std::string& text) const { std::ofstream(path / file, std::ios::binary) << text; }
  std::string str() const { return path.string(); }
};

// Heartbeats every 5 minutes from `from` (inclusive) to `to` (exclusive), both hours of 2026-04-DD.
std::string heartbeats(const std::string& device, int from_day, int from_hour, int to_day, int to_hour) {
  std::string out;
  for (int day = from_day, hour = from_hour; day < to_day || (day == to_day && hour < to_hour);) {
    for (int minute = 0; minute < 60; minute += 5) {
      out += fmt::format("2026-04-{:02}T{:02}:{:02}:00Z,{},heartbeat,\n", day, hour, minute, device);
    }
    if (++hour == 24) {
      hour = 0;
      ++day;
    }
  }
  return out;
}

// S1's device A starts reporting at 05:00 on 1 April; S2's device B reports from
// midnight and stops at midnight on 2 April. The data runs to 3 April. Returns the
// command line of `command` over it.
std::string rolling_world(const TempDir& dir, std::string_view command) {
  dir.write("contract.sla",
            "contract \"Rolling\"\n"
            "\n"
            "signal heartbeat : event\n"
            "\n"
            "state up = seen heartbeat within 10m\n"
            "\n"
            "sla daily_up {\n"
            "  in any rolling 24 hours, on any site,\n"
            "  at least 1 up for at least 90%\n"
            "}\n");
  dir.write("sites.csv", "site\nS1\nS2\nS3\n");
  dir.write("devices.csv", "device,site\nA,S1\nB,S2\n");
  dir.write("events.csv", "time,entity,signal,value\n" + heartbeats("A", 1, 5, 3, 0) + heartbeats("B", 1, 0, 2, 0));
  return fmt::format("{0} {1}/contract.sla --data {1}", command, dir.str());
}

}  // namespace

TEST_CASE("eval: an SLA with no complete window says so, and --fail-on-breach exits 4") {
  // Two weeks under a monthly SLA.
  auto r = run_slac(budget + " --from 2026-04-03 --to 2026-04-17 --format table");
  CHECK(r.exit_code == 0);
  const std::string note =
      "SLA `availability`: no complete window in 2026-04-03 .. 2026-04-17 (the first complete calendar month would be "
      "2026-05, which needs the span to reach 2026-06-01); nothing was judged";
  CHECK(r.err.find("warning: " + note + "\n") != std::string::npos);
  // The SLA keeps its section in the table, with the reason.
  CHECK(r.out.find("SLA availability  (target 90%, penalty 10,000 GBP)\n  no complete window in 2026-04-03") != std::string::npos);
  CHECK(run_slac(budget + " --from 2026-04-03 --to 2026-04-17 --format table --fail-on-breach").exit_code == 4);
  CHECK(run_slac(budget + " --from 2026-04-03 --to 2026-04-17 --format csv --fail-on-breach").exit_code == 4);

  // One day short of the month: the first complete month is that month itself.
  auto j = nlohmann::json::parse(run_slac(budget + " --from 2026-04-01 --to 2026-04-30 --format json").out);
  CHECK(j["results"].empty());
  REQUIRE(j["warnings"].size() >= 1);
  CHECK(j["warnings"][0]["code"] == "no_complete_window");
  CHECK(j["warnings"][0]["sla"] == "availability");
  CHECK(j["warnings"][0]["first_window"]["start"] == "2026-04-01T00:00:00Z");
  CHECK(j["warnings"][0]["first_window"]["end"] == "2026-05-01T00:00:00Z");
  CHECK(j["warnings"][0]["message"].get<std::string>().find("would be 2026-04, which needs the span to reach 2026-05-01") !=
        std::string::npos);

  // A whole month is judged: no note, and exit 0 (met) or 1 (breached), never 4.
  auto whole = run_slac(budget + " --from 2026-04-01 --to 2026-05-01 --format json --fail-on-breach");
  CHECK(whole.exit_code == 1);
  auto wj = nlohmann::json::parse(whole.out);
  for (const auto& w : wj["warnings"]) CHECK(w["code"] != "no_complete_window");
  CHECK(run_slac(budget + " --from 2026-04-01 --to 2026-05-01 --format json --fail-on-breach --set target=80%").exit_code == 0);
}

TEST_CASE("eval: a breach wins over nothing judged; a KPI that judged nothing is noted but does not fail") {
  TempDir dir("two-slas");
  dir.write("contract.sla",
            "contract \"Two\"\n"
            "\n"
            "signal status : enum { ok, fault }\n"
            "\n"
            "state up = status == ok\n"
            "\n"
            "sla per_day {\n"
            "  in any calendar day, on any device,\n"
            "  up for at least 99%\n"
            "}\n"
            "\n"
            "sla quarterly {\n"
            "  in any calendar quarter, on any device,\n"
            "  up for at least 50%\n"
            "}\n"
            "\n"
            "kpi yearly {\n"
            "  in any calendar year, on any device,\n"
            "  up\n"
            "}\n");
  dir.write("sites.csv", "site\nS1\n");
  dir.write("devices.csv", "device,site\nA,S1\n");
  dir.write("events.csv", "time,entity,signal,value\n2026-04-01T00:00:00Z,A,status,ok\n2026-04-01T12:00:00Z,A,status,fault\n"
                          "2026-04-02T00:00:00Z,A,status,ok\n2026-04-03T00:00:00Z,A,status,ok\n");
  std::string base = fmt::format("eval {0}/contract.sla --data {0} --fail-on-breach --format json", dir.str());
  auto r = run_slac(base);
  CHECK(r.exit_code == 1);  // `per_day` breached on 1 April
  auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> noted;
  for (const auto& w : j["warnings"]) {
    if (w["code"] == "no_complete_window") noted.push_back(w["sla"]);
  }
  CHECK(noted == std::vector<std::string>{"quarterly", "yearly"});
  CHECK(j["warnings"][1]["message"].get<std::string>().starts_with("KPI `yearly`: no complete window in 2026-04-01 .. 2026-04-03"));
  // The per-day SLA met on the days without a fault: nothing breached, one SLA judged nothing.
  CHECK(run_slac(base + " --from 2026-04-02").exit_code == 4);
  // Only the KPI judged nothing: it has no verdict to fail.
  CHECK(run_slac(base + " --from 2026-04-02 --sla per_day --sla yearly").exit_code == 0);
}

TEST_CASE("eval: windows before a group's first event, silent sites, and a span past the data") {
  TempDir dir("rolling");
  std::string base = rolling_world(dir, "eval");
  auto r = run_slac(base + " --format table");
  CHECK(r.exit_code == 0);
  // S1's windows starting at 00:00 to 04:00 begin before its first event (05:00); those
  // starting at 00:00, 01:00 and 02:00 have less than 90% up.
  CHECK(r.err.find("warning: SLA `daily_up`: 5 group-windows begin before the first event of their group, judged with "
                   "every signal unknown until then, and 3 are breached; start the span at the data with --from "
                   "2026-04-01T05:00:00Z or later") != std::string::npos);
  // S2 fell silent at midnight on 2 April, a day before the end; S3 has no device.
  CHECK(r.err.find("warning: 1 site has no event in the 10m before 2026-04-03T00:00:00Z: `S2` (last event "
                   "2026-04-01T23:55:00Z); its silence is judged as it stands\n") != std::string::npos);
  auto j = nlohmann::json::parse(run_slac(base + " --format json").out);
  CHECK(j["coverage"]["first_event"] == "2026-04-01T00:00:00Z");
  CHECK(j["coverage"]["last_event"] == "2026-04-02T23:55:00Z");
  CHECK(j["coverage"]["judged_until"] == "2026-04-03T00:00:00Z");
  CHECK(j["coverage"]["silence_s"] == 600);
  REQUIRE(j["coverage"]["silent_sites"].size() == 1);
  CHECK(j["coverage"]["silent_sites"][0]["site"] == "S2");
  CHECK(r.err.find("span_past_data") == std::string::npos);

  // Starting at S1's data: no window begins before it.
  auto scoped = run_slac(base + " --format table --from 2026-04-01T05:00:00Z");
  CHECK(scoped.err.find("begin before the first event") == std::string::npos);

  // A span reaching a week past the data: said once, not per site.
  auto past = run_slac(base + " --format table --to 2026-04-10");
  CHECK(past.err.find("warning: the data ends at 2026-04-02T23:55:00Z, but windows are judged to 2026-04-10T00:00:00Z: "
                      "the 7d5m after its last event are judged on silence") != std::string::npos);
  CHECK(past.err.find("site has no event") == std::string::npos);
  auto pj = nlohmann::json::parse(run_slac(base + " --format json --to 2026-04-10").out);
  CHECK(pj["warnings"].back()["code"] == "span_past_data");
}

TEST_CASE("status: --as-of past the data or before it is a warning, in the table and in JSON") {
  TempDir dir("status");
  std::string base = rolling_world(dir, "status");
  auto past = run_slac(base + " --as-of 2026-05-01 --format table");
  CHECK(past.exit_code == 0);
  CHECK(past.err.find("warning: --as-of 2026-05-01T00:00:00Z is 28d5m after the data's last event "
                      "(2026-04-02T23:55:00Z), longer than 10m: the silence is judged as it stands") != std::string::npos);
  auto pj = nlohmann::json::parse(run_slac(base + " --as-of 2026-05-01 --format json").out);
  REQUIRE(pj["warnings"].size() == 1);
  CHECK(pj["warnings"][0]["code"] == "as_of_past_data");

  auto before = nlohmann::json::parse(run_slac(base + " --as-of 2026-03-20 --format json").out);
  REQUIRE(before["warnings"].size() == 1);
  CHECK(before["warnings"][0]["code"] == "as_of_before_data");
  CHECK(before["warnings"][0]["message"] ==
        "--as-of 2026-03-20T00:00:00Z is before the data's first event (2026-04-01T00:00:00Z): every group is judged on "
        "no data");

  // Within the data, S2 silent since midnight: only that site is named.
  auto within = nlohmann::json::parse(run_slac(base + " --as-of 2026-04-02T12:00:00Z --format json").out);
  REQUIRE(within["warnings"].size() == 1);
  CHECK(within["warnings"][0]["code"] == "silent_sites");
  // Data up to the instant: no warning at all.
  auto fine = run_slac(base + " --as-of 2026-04-01T20:00:00Z --format json");
  CHECK(nlohmann::json::parse(fine.out)["warnings"].empty());
}

TEST_CASE("eval: windows before a group's first event are noted only when that time was measured") {
  // Device A is commissioned at 05:00 on 1 April, its first event. Scoped with `only
  // deployed`, the hours before are out of scope, not judged as down: the shortfall of
  // A's windows is its own (a fault at noon), and no warning blames the missing data.
  TempDir dir("scoped");
  dir.write("contract.sla",
            "contract \"Scoped\"\n"
            "\n"
            "signal heartbeat : event\n"
            "signal lifecycle : enum { deployed, retired }\n"
            "\n"
            "state up = seen heartbeat within 10m\n"
            "state deployed = lifecycle == deployed\n"
            "\n"
            "kpi uptime {\n"
            "  in any calendar day, on any device,\n"
            "  up\n"
            "  only deployed\n"
            "}\n"
            "\n"
            "sla daily_up {\n"
            "  in any calendar day, on any site,\n"
            "  at least 1 up for at least 99%\n"
            "  only deployed\n"
            "}\n");
  dir.write("sites.csv", "site\nS1\n");
  dir.write("devices.csv", "device,site\nA,S1\n");
  dir.write("events.csv", "time,entity,signal,value\n2026-04-01T05:00:00Z,A,lifecycle,deployed\n" +
                              heartbeats("A", 1, 5, 1, 12) + heartbeats("A", 1, 13, 3, 0));
  std::string base = fmt::format("eval {0}/contract.sla --data {0} --format json", dir.str());
  auto scoped = run_slac(base);
  auto j = nlohmann::json::parse(scoped.out);
  CHECK(j["results"][0]["good_s"] < j["results"][0]["measured_s"]);  // the fault at noon
  for (const auto& w : j["warnings"]) CHECK(w["code"] != "windows_before_data");

  // Without `only`, the hours before 05:00 are measured as down, and that is said.
  std::string text = slac::test::read_file(dir.str() + "/contract.sla");
  for (auto at = text.find("  only deployed\n"); at != std::string::npos; at = text.find("  only deployed\n")) {
    text.erase(at, 16);
  }
  dir.write("contract.sla", text);
  auto unscoped = nlohmann::json::parse(run_slac(base).out);
  std::vector<std::string> noted;
  for (const auto& w : unscoped["warnings"]) {
    if (w["code"] == "windows_before_data") noted.push_back(w["sla"]);
  }
  CHECK(noted == std::vector<std::string>{"uptime", "daily_up"});
}

TEST_CASE("eval: an SLA with no group at all says so once, and the table shows no verdict as met") {
  // `where` matches no site: SPEC 5.1 keeps each window's verdict (no group, vacuously
  // met), but nothing was judged, and the output must not read as "all met".
  TempDir dir("nogroup");
  std::string base = rolling_world(dir, "eval");
  std::string text = slac::test::read_file(dir.str() + "/contract.sla");
  text.replace(text.find("on any site,"), 12, "on every site where site.vip,");
  text.replace(text.find("state up"), 0, "site attribute vip : bool = false\n\n");
  dir.write("contract.sla", text);
  auto json = run_slac(base + " --format json");
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["verdicts"][0]["groups"] == 0);
  CHECK(j["verdicts"][0]["met"] == true);
  std::size_t no_group = 0;
  for (const auto& w : j["warnings"]) no_group += w["code"] == "no_group" ? 1 : 0;
  CHECK(no_group == 1);
  auto table = run_slac(base + " --format table");
  CHECK(table.out.find("no group to judge") != std::string::npos);
  CHECK(table.out.find("estate met") == std::string::npos);
  CHECK(table.err.find("warning: SLA `daily_up`: no group to judge") != std::string::npos);
}

TEST_CASE("eval: `in site timezone`, no complete window says which site's zone would have one") {
  // Only Kolkata's site of tests/eval/site_zone_quarters, with London's Q1 as the span:
  // Kolkata's Q1 began at 18:30 UTC on 31 December, before it; its first complete
  // quarter is Q2. (A site without devices in a zone with a window is not a group.)
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-zone-coverage-{}", ::getpid());
  fs::create_directories(dir);
  fs::copy_file("tests/eval/site_zone_quarters/sites.csv", dir / "sites.csv");
  std::ofstream(dir / "devices.csv") << "device,site\nDK,K\n";
  std::ofstream(dir / "events.csv") << "time,entity,signal,value\n2025-12-30T00:00:00Z,DK,status,ok\n"
                                       "2026-04-02T00:00:00Z,DK,status,ok\n";
  auto r = run_slac(fmt::format("eval tests/eval/site_zone_quarters/contract.sla --data {} --from 2026-01-01 --to 2026-04-01 "
                                "--sla quarterly --format json --fail-on-breach",
                                dir.string()));
  CHECK(r.exit_code == 4);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["warnings"].size() >= 1);
  CHECK(j["warnings"][0]["code"] == "no_complete_window");
  CHECK(j["warnings"][0]["message"].get<std::string>().find(
            "the first complete calendar quarter would be 2026-Q2 in Asia/Kolkata, which needs the span to reach "
            "2026-06-30T18:30:00Z") != std::string::npos);
  fs::remove_all(dir);
}
