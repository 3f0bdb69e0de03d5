// `slac test`: the stdlib and docs pass; failures are reported at their lines, with a
// summary, as JSON and as JUnit XML; a changed contract is caught.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "compiler/loader.hpp"
#include "tester/tester.hpp"
#include "tests/support.hpp"

using slac::test::read_file;
using slac::test::run_slac;
namespace fs = std::filesystem;

TEST_CASE("slac test: every standard contract passes its tests") {
  auto r = run_slac("test stdlib-contracts");
  CHECK(r.exit_code == 0);
  CHECK(r.out.ends_with(" passed, 0 failed\n"));
  // At least the seven standard contracts, each with tests.
  auto j = nlohmann::json::parse(run_slac("test stdlib-contracts --format json").out);
  CHECK(j["files"].size() >= 7);
  for (const auto& f : j["files"]) {
    CAPTURE(f["file"].get<std::string>());
    CHECK(f["tests"].size() >= 1);
  }
}

TEST_CASE("slac test: failed expectations at file:line, and the summary last") {
  auto r = run_slac("test tests/testblocks/failing.sla");
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        "tests/testblocks/failing.sla:29: expected met, got breached for per_day on S1 in 2026-03-02 (test \"fails twice\")\n"
        "tests/testblocks/failing.sla:30: expected attainment 49% (within 0.5%), got attainment 50% for uptime on D1 in "
        "2026-03-02 (test \"fails twice\")\n"
        "tests/testblocks/failing.sla:32: expected met, got no result for per_day on S9 (test \"fails twice\")\n"
        "1 passed, 1 failed\n");
}

TEST_CASE("slac test: JSON and JUnit") {
  fs::path junit = fs::temp_directory_path() / fmt::format("slac-junit-{}.xml", static_cast<long>(getpid()));
  auto r = run_slac(fmt::format("test tests/testblocks/failing.sla --format json --junit {}", junit.string()));
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["passed"] == 1);
  CHECK(j["failed"] == 1);
  const auto& t = j["files"][0]["tests"][1];
  CHECK(t["name"] == "fails twice");
  CHECK(t["expectations"].size() == 4);
  CHECK(t["expectations"][2]["passed"] == true);
  // What was got is there for a passing expectation too, for a report of both.
  for (const auto& e : t["expectations"]) CHECK(e.contains("got"));
  CHECK(!t["expectations"][2]["got"].get<std::string>().empty());
  CHECK(t["expectations"][0]["got"] == "breached for per_day on S1 in 2026-03-02");
  std::string xml = read_file(junit.string());
  CHECK(xml.find("<testsuites name=\"slac\" tests=\"2\" failures=\"1\">") != std::string::npos);
  CHECK(xml.find("<testcase name=\"passes\" classname=\"tests/testblocks/failing.sla\"/>") != std::string::npos);
  CHECK(xml.find("<failure message=\"an expectation failed\">") != std::string::npos);
  fs::remove(junit);
}

TEST_CASE("slac test: a contract whose meaning changed is caught") {
  // The EV contract with its target lowered: its own tests must fail.
  std::string text = read_file("stdlib-contracts/ev-charging.sla");
  std::string changed = text;
  changed.replace(changed.find("param target            = 90%"), 29, "param target            = 80%");
  fs::path file = fs::temp_directory_path() / fmt::format("slac-changed-{}.sla", static_cast<long>(getpid()));
  std::ofstream(file) << changed;
  auto r = run_slac(fmt::format("test {}", file.string()));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("1 failed") != std::string::npos);
  fs::remove(file);
}

TEST_CASE("slac test: contract errors fail, and usage errors exit 2") {
  auto r = run_slac("test tests/check/E101_unknown_name.sla");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("the contract has errors; its tests did not run") != std::string::npos);
  CHECK(r.out.ends_with("0 passed, 1 failed\n"));
  CHECK(run_slac("test no/such/place").exit_code == 2);
}

TEST_CASE("the tests inside the docs' contracts pass") {
  for (const auto& entry : fs::directory_iterator("docs")) {
    if (entry.path().extension() != ".md") continue;
    std::string text = read_file(entry.path().generic_string());
    std::size_t at = 0;
    while ((at = text.find("```sla\n", at)) != std::string::npos) {
      std::size_t end = text.find("```", at + 7);
      std::string block = text.substr(at + 7, end - at - 7);
      at = end;
      if (block.find("test \"") == std::string::npos) continue;
      slac::Compilation c = slac::compile_file(entry.path().generic_string(), block);
      REQUIRE(c.ok());
      for (const auto& t : slac::rt::run_tests(c.model)) {
        CAPTURE(t.name);
        CHECK(t.passed);
      }
    }
  }
}

TEST_CASE("slac test: finding no test is not success") {
  // A contract without test blocks.
  auto r = run_slac("test examples/acme-retail.sla");
  CHECK(r.exit_code == 4);
  CHECK(r.out == "0 passed, 0 failed\n");
  CHECK(r.err == "slac test: no test found in examples/acme-retail.sla (1 contract); add `test` blocks "
                 "(docs/language.md#tests)\n");
  // A folder without contracts: warned about, and no test.
  fs::path empty = fs::temp_directory_path() / fmt::format("slac-no-tests-{}", static_cast<long>(getpid()));
  fs::create_directories(empty);
  auto e = run_slac("test " + empty.string());
  CHECK(e.exit_code == 4);
  CHECK(e.err.starts_with(fmt::format("slac test: no .sla files in {}\n", empty.string())));
  // ... even beside a folder whose tests pass.
  CHECK(run_slac(fmt::format("test {} stdlib-contracts/ev-charging.sla", empty.string())).exit_code == 4);
  fs::remove_all(empty);
  // A failure still exits 1, a pass 0, whatever else was found.
  CHECK(run_slac("test tests/testblocks/failing.sla examples/acme-retail.sla").exit_code == 1);
  CHECK(run_slac("test stdlib-contracts/ev-charging.sla examples/acme-retail.sla").exit_code == 0);
}

TEST_CASE("slac test: one outage, two outages") {
  fs::path file = fs::temp_directory_path() / fmt::format("slac-outages-{}.sla", static_cast<long>(getpid()));
  std::ofstream(file) << "contract \"Outages\"\n"
                         "\n"
                         "signal status : enum { ok, fault }\n"
                         "\n"
                         "state up = status == ok\n"
                         "\n"
                         "kpi uptime {\n"
                         "  in any calendar day, on any device,\n"
                         "  up\n"
                         "}\n"
                         "\n"
                         "test \"counts\" {\n"
                         "  from 2026-03-02 to 2026-03-03\n"
                         "  site S1\n"
                         "  device D1 at S1\n"
                         "  at 2026-03-02 00:00 D1 status = ok\n"
                         "  at 2026-03-02 10:00 D1 status = fault\n"
                         "  at 2026-03-02 11:00 D1 status = ok\n"
                         "  expect uptime outages 2\n"
                         "  expect uptime outages 1\n"
                         "  expect uptime outages 0\n"
                         "}\n";
  auto r = run_slac("test " + file.string());
  fs::remove(file);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("expected 2 outages, got 1 outage for uptime on D1 in 2026-03-02") != std::string::npos);
  CHECK(r.out.find("expected 0 outages, got 1 outage for uptime") != std::string::npos);
  CHECK(r.out.find("expected 1 outage,") == std::string::npos);  // that one held
}

TEST_CASE("slac test: a year as a window, `on *`, and every day at a local time") {
  auto r = run_slac("test tests/testblocks/forms.sla");
  CHECK(r.out == "1 passed, 0 failed\n");
  CHECK(r.exit_code == 0);
  // A failure names the group as it is written.
  auto j = nlohmann::json::parse(run_slac("test tests/testblocks/forms.sla --format json").out);
  CHECK(j["files"][0]["tests"][0]["expectations"].size() == 6);
  // The forms are canonical, and a bad one gets its message.
  CHECK(run_slac("fmt --check tests/testblocks/forms.sla").exit_code == 0);
  fs::path file = fs::temp_directory_path() / fmt::format("slac-forms-{}.sla", static_cast<long>(getpid()));
  std::ofstream(file) << "signal s : bool\nkpi k {\n  in any calendar year, across all sites,\n  s\n}\n"
                         "test \"t\" {\n  every day from 2026-01-01 to 2026-01-02 \"*\" s = true\n  expect k on + met\n}\n";
  auto bad = run_slac("check " + file.string());
  fs::remove(file);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find(":7:9: error: expected a duration or `day at HH:MM` after `every`") != std::string::npos);
  CHECK(bad.err.find(":8:15: error: expected a group id (a word or text in quotes), or `*` for `across all sites`") !=
        std::string::npos);
}

TEST_CASE("slac test: the windows of SPEC 4.4 named by their start") {
  auto r = run_slac("test tests/testblocks/windows.sla");
  CHECK(r.out == "4 passed, 0 failed\n");
  CHECK(r.exit_code == 0);
}

TEST_CASE("slac test: a gas day named by its date alone says which window holds that instant") {
  fs::path file = fs::temp_directory_path() / fmt::format("slac-gasday-{}.sla", static_cast<long>(getpid()));
  std::ofstream(file) << "contract \"G\"\n  timezone \"Europe/London\"\nsignal status : enum { ok, fault }\n"
                         "state up = status == ok\n"
                         "sla gas_day {\n  in any calendar day starting 05:00, on any device,\n  up for at least 99%\n}\n"
                         "test \"named by the date\" {\n  from 2026-10-23 05:00 to 2026-10-25 05:00\n  site S1\n"
                         "  device D1 at S1\n  at 2026-10-20 00:00 D1 status = ok\n"
                         "  expect gas_day on D1 in 2026-10-24 met\n}\n";
  auto r = run_slac("test " + file.string());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("got no result for gas_day on D1 in the window starting 2026-10-23T23:00:00Z; the window holding "
                   "that instant starts at 2026-10-23 05:00: name a window by its start, `in 2026-10-23 05:00`") !=
        std::string::npos);
  fs::remove(file);
}

TEST_CASE("test blocks: repetitions stay compact until run, and a test makes at most 5,000,000 events") {
  std::string head = R"(signal ping : event
signal status : enum { ok, fault }
state up = seen ping within 1m and status == ok
sla a {
  in any calendar day, on any device,
  up for at least 50%
}
test "many" {
  site S1
  device D1 at S1
)";
  // Each line alone is within the limit (4,505,143 events); together they are not.
  std::string line = "  every 7s from 2026-01-01 to 2027-01-01 D1 status = ok\n";
  auto two = slac::compile_file("many.sla", head + line + line + "}\n");
  REQUIRE(two.diags.list().size() == 1);
  CHECK(slac::test::describe(two.diags, two.program->sources)[0] ==
        "12:3 E603 this test makes more than 5,000,000 events in all; use longer steps or shorter spans");
  // Checked, a repetition is one entry; the tester expands it, in order, DST included.
  auto one = slac::compile_file("one.sla", head + line + "  every day at 01:30 from 2026-03-28 to 2026-03-31 D1 ping\n}\n");
  REQUIRE(one.ok());
  const auto& events = one.model.tests[0].events;
  REQUIRE(events.size() == 2);
  CHECK(events[0].every == 7000);
  std::vector<slac::Millis> daily;
  slac::for_each_occurrence(events[1], slac::utc_zone(), [&](slac::Millis t) { daily.push_back(t); });
  CHECK(daily == std::vector<slac::Millis>{1774661400000, 1774747800000, 1774834200000});
  std::int64_t count = 0;
  slac::for_each_occurrence(events[0], slac::utc_zone(), [&](slac::Millis) { ++count; });
  CHECK(count == 4'505'143);
}

TEST_CASE("slac test: SPEC 4.4's words stay free as names, and `events N`, `good events N` are checked") {
  auto r = run_slac("test tests/testblocks/contextual_words.sla");
  CHECK(r.out == "1 passed, 0 failed\n");
  CHECK(r.exit_code == 0);
  fs::path file = fs::temp_directory_path() / fmt::format("slac-events-{}.sla", static_cast<long>(getpid()));
  std::ofstream(file) << "signal attempt : enum { success, failure }\n"
                         "kpi k {\n  in any calendar day, on any device,\n  attempt == success of attempt events\n}\n"
                         "test \"t\" {\n  from 2026-03-02 to 2026-03-03\n  site S\n  device D at S\n"
                         "  at 2026-03-02 10:00 D attempt = success\n  at 2026-03-02 11:00 D attempt = failure\n"
                         "  expect k on D events 3\n  expect k on D good events 1\n  expect k on D attainment 50%\n}\n";
  auto failed = run_slac("test " + file.string());
  fs::remove(file);
  CHECK(failed.exit_code == 1);
  CHECK(failed.out.find(":12: expected 3 events, got 2 events for k on D in 2026-03-02") != std::string::npos);
  CHECK(failed.out.find(":13:") == std::string::npos);
  CHECK(failed.out.ends_with("0 passed, 1 failed\n"));
}

TEST_CASE("slac test: the averages over devices, the mean exactly") {
  auto r = run_slac("test tests/testblocks/averages.sla");
  CHECK(r.out == "1 passed, 0 failed\n");
  CHECK(r.exit_code == 0);
  CHECK(run_slac("fmt --check tests/testblocks/averages.sla").exit_code == 0);
}
