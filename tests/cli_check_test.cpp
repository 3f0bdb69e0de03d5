// `slac check` end to end: exit codes, the three output formats, help and version.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using slac::test::run_slac;

TEST_CASE("check: a clean contract exits 0") {
  auto r = run_slac("check examples/ev-charging.sla");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("examples/ev-charging.sla: ok") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("check: errors exit 1 with file:line:col, the line and a caret") {
  auto r = run_slac("check tests/check/E101_unknown_name.sla");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("tests/check/E101_unknown_name.sla:11:11: error: unknown state `avaliable`; did you mean "
                   "`available`? [E101]\n  state x = avaliable\n            ^~~~~~~~~\n") != std::string::npos);
  CHECK(r.err.find("\x1b[") == std::string::npos);
}

TEST_CASE("check: usage errors exit 2") {
  CHECK(run_slac("check").exit_code == 2);
  CHECK(run_slac("check --format xml examples/ev-charging.sla").exit_code == 2);
  CHECK(run_slac("frobnicate").exit_code == 2);
  auto missing = run_slac("check no-such-file.sla");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot read 'no-such-file.sla'") != std::string::npos);
  auto directory = run_slac("check tests");
  CHECK(directory.exit_code == 2);
  CHECK(directory.err.find("cannot read 'tests': it is a directory") != std::string::npos);
}

TEST_CASE("check: a named pipe is refused, not waited on") {
  std::string fifo = (std::filesystem::temp_directory_path() / fmt::format("slac-fifo-{}.sla", static_cast<long>(getpid()))).string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto r = run_slac("check " + fifo);
  std::filesystem::remove(fifo);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not a regular file") != std::string::npos);
}

TEST_CASE("check: JSON output is valid and complete") {
  auto r = run_slac("check --format json examples/ev-charging.sla tests/check/E104_state_cycle.sla");
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["files"].size() == 2);
  CHECK(j["files"][0]["ok"] == true);
  CHECK(j["files"][1]["ok"] == false);
  CHECK(j["errors"] == 2);
  auto d = j["files"][1]["diagnostics"][0];
  CHECK(d["code"] == "E104");
  CHECK(d["line"] == 10);
  CHECK(d["column"] == 7);
  CHECK(d["severity"] == "error");
  CHECK(d["notes"].size() == 2);
}

TEST_CASE("check: SARIF output is valid SARIF 2.1.0, even with errors") {
  auto r = run_slac("check --format sarif tests/check/E001_syntax.sla tests/check/E102_duplicate.sla");
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == "2.1.0");
  REQUIRE(j["runs"].size() == 1);
  const auto& run = j["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "slac");
  const auto& rules = run["tool"]["driver"]["rules"];
  REQUIRE(run["results"].size() == 5);
  for (const auto& result : run["results"]) {
    std::size_t index = result["ruleIndex"];
    REQUIRE(index < rules.size());
    CHECK(rules[index]["id"] == result["ruleId"]);
    CHECK(result["level"] == "error");
    const auto& region = result["locations"][0]["physicalLocation"]["region"];
    CHECK(region["startLine"].get<int>() >= 1);
    CHECK(region["startColumn"].get<int>() >= 1);
    CHECK(region["endColumn"].get<int>() > region["startColumn"].get<int>());
  }
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/check/E001_syntax.sla");
}

TEST_CASE("check: colour only when asked by a terminal, never with NO_COLOR") {
  // Pipes are not terminals: no escapes even without NO_COLOR.
  auto r = run_slac("check tests/check/E104_state_cycle.sla", "TERM=xterm");
  CHECK(r.err.find("\x1b[") == std::string::npos);
}

TEST_CASE("help and version") {
  auto help = run_slac("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("check") != std::string::npos);
  auto check_help = run_slac("check --help");
  CHECK(check_help.exit_code == 0);
  CHECK(check_help.out.find("--format") != std::string::npos);
  auto version = run_slac("--version");
  CHECK(version.exit_code == 0);
  CHECK(version.out.starts_with("slac "));
}

TEST_CASE("check: 10,000 undeclared names show the first 100, then how many more") {
  std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("slac-many-{}.sla", static_cast<long>(getpid()))).string();
  {
    std::ofstream out(path);
    out << "signal open : bool\nstate opne = open\n";
    for (int i = 0; i < 10'000; ++i) out << fmt::format("state s{} = missing{}\n", i, i);
    out << "state t = opn\n";
  }
  auto r = run_slac("check " + path);
  auto j = nlohmann::json::parse(run_slac("check --format json " + path).out);
  std::filesystem::remove(path);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(path + ":3:12: error: unknown state `missing0` [E101]") != std::string::npos);
  CHECK(r.err.find(":102:") != std::string::npos);
  CHECK(r.err.find(":103:") == std::string::npos);
  CHECK(r.err.find("... and 9901 more (only the first 100 are shown)\n") != std::string::npos);
  CHECK(r.err.find("10001 errors in 1 file") != std::string::npos);
  CHECK(j["files"][0]["errors"] == 10'001);
  CHECK(j["files"][0]["diagnostics"].size() == 100);
  CHECK(j["files"][0]["not_shown"] == 9'901);
}

TEST_CASE("check: suggestions are kept for the diagnostics shown") {
  std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("slac-near-{}.sla", static_cast<long>(getpid()))).string();
  {
    std::ofstream out(path);
    out << "signal open : bool\n";
    for (int i = 0; i < 5'000; ++i) out << fmt::format("state state_{} = open\n", i);
    out << "state t = stat_17\n";
  }
  auto r = run_slac("check " + path);
  std::filesystem::remove(path);
  CHECK(r.err.find("unknown state `stat_17`; did you mean `state_17`?") != std::string::npos);
}

TEST_CASE("check: warnings show in text, JSON and SARIF and never change the exit code") {
  auto text = run_slac("check tests/check/W001_warn_at_target.sla");
  CHECK(text.exit_code == 0);
  CHECK(text.err.find("tests/check/W001_warn_at_target.sla:10:14: warning: `warn below` 95% is at or under the "
                      "target, 95%, so no met window can be a near miss") != std::string::npos);
  CHECK(text.out.find("tests/check/W001_warn_at_target.sla: ok") != std::string::npos);
  auto json = run_slac("check --format json tests/check/W002_unused_signal.sla");
  CHECK(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["errors"] == 0);
  CHECK(j["warnings"] == 2);
  CHECK(j["files"][0]["ok"] == true);
  CHECK(j["files"][0]["diagnostics"][0]["severity"] == "warning");
  CHECK(j["files"][0]["diagnostics"][0]["code"] == "W002");
  auto sarif = run_slac("check --format sarif tests/check/W003_unusual_currency.sla");
  CHECK(sarif.exit_code == 0);
  auto s = nlohmann::json::parse(sarif.out);
  const auto& run = s["runs"][0];
  REQUIRE(run["results"].size() == 1);
  CHECK(run["results"][0]["level"] == "warning");
  CHECK(run["results"][0]["ruleId"] == "W003");
  const auto& rule = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"].get<std::size_t>()];
  CHECK(rule["id"] == "W003");
  CHECK(rule["defaultConfiguration"]["level"] == "warning");
  // A warning with an error: the error alone decides the exit code.
  CHECK(run_slac("check tests/check/W003_unusual_currency.sla tests/check/E406_currency_typo.sla").exit_code == 1);
}

TEST_CASE("check: the repository's own contracts do not warn") {
  for (const char* dir : {"stdlib-contracts", "examples", "tests/eval", "tests/testblocks", "tests/whatif"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".sla") continue;
      CAPTURE(e.path().string());
      auto r = run_slac("check " + e.path().string());
      CHECK(r.err.find("warning:") == std::string::npos);
    }
  }
}
