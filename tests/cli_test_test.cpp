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
