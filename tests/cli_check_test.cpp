// `slac check` end to end: exit codes, the three output formats, help and version.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

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
  // The files that can be read are still checked and reported, in every format.
  auto json = run_slac("check --format json no-such-file.sla tests/check/W001_warn_at_target.sla");
  CHECK(json.exit_code == 2);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["files"][0]["ok"] == false);
  CHECK(j["files"][0]["unreadable"].get<std::string>().find("cannot read 'no-such-file.sla'") != std::string::npos);
  CHECK(j["files"][1]["diagnostics"][0]["code"] == "W001");
  auto sarif = run_slac("check --format sarif no-such-file.sla tests/check/W001_warn_at_target.sla");
  CHECK(sarif.exit_code == 2);
  CHECK(nlohmann::json::parse(sarif.out)["runs"][0]["results"][0]["ruleId"] == "W001");
  auto text = run_slac("check no-such-file.sla examples/ev-charging.sla");
  CHECK(text.exit_code == 2);
  CHECK(text.out.find("examples/ev-charging.sla: ok") != std::string::npos);
}

TEST_CASE("check and fmt take folders, searched for .sla files like test") {
  // A folder of clean contracts: each is checked, in name order.
  auto r = run_slac("check stdlib-contracts");
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("stdlib-contracts/"));
  CHECK(r.out.find(".sla: ok (") != std::string::npos);
  std::size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator("stdlib-contracts")) files += e.path().extension() == ".sla";
  CHECK(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')) == files);
  // A folder with broken contracts fails like the files would.
  auto broken = run_slac("check tests/check");
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("tests/check/E104_state_cycle.sla:") != std::string::npos);
  // A folder and a file together.
  CHECK(run_slac("check stdlib-contracts examples/ev-charging.sla").out.ends_with("examples/ev-charging.sla: ok (1 SLA, 0 KPIs, 3 states, 0 tests)\n"));
  // fmt --check over folders: the repository's contracts are formatted.
  auto f = run_slac("fmt --check stdlib-contracts examples tests/testblocks/forms.sla");
  CHECK(f.exit_code == 0);
  CHECK(f.out.empty());
  // A folder with no contract: nothing was checked, which CI must not take for success
  // (exit 4, as `slac test` finding no test); the other paths are still checked, and
  // an error among them wins.
  std::filesystem::path empty = std::filesystem::temp_directory_path() / fmt::format("slac-empty-{}", static_cast<long>(getpid()));
  std::filesystem::create_directories(empty);
  auto none = run_slac("check " + empty.string());
  CHECK(none.exit_code == 4);
  CHECK(none.err == fmt::format("slac check: no .sla files in {}\n", empty.string()));
  auto with_file = run_slac("check " + empty.string() + " examples/ev-charging.sla");
  CHECK(with_file.exit_code == 4);
  CHECK(with_file.out == "examples/ev-charging.sla: ok (1 SLA, 0 KPIs, 3 states, 0 tests)\n");
  CHECK(run_slac("check " + empty.string() + " tests/check/E104_state_cycle.sla").exit_code == 1);
  auto fmt_none = run_slac("fmt --check " + empty.string());
  CHECK(fmt_none.exit_code == 4);
  CHECK(fmt_none.err == fmt::format("slac fmt: no .sla files in {}\n", empty.string()));
  std::filesystem::remove_all(empty);
}

TEST_CASE("check: standard input is `<stdin>` in text, JSON and SARIF alike") {
  auto text = run_slac("check - < examples/ev-charging.sla");
  CHECK(text.out == "<stdin>: ok (1 SLA, 0 KPIs, 3 states, 0 tests)\n");
  auto json = nlohmann::json::parse(run_slac("check --format json - < tests/check/E104_state_cycle.sla").out);
  CHECK(json["files"][0]["file"] == "<stdin>");
  CHECK(json["files"][0]["diagnostics"][0]["file"] == "<stdin>");
  auto broken = run_slac("check - < tests/check/E104_state_cycle.sla");
  CHECK(broken.err.starts_with("<stdin>:"));
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
  // The words work as well as the flags.
  CHECK(run_slac("version").out == version.out);
  CHECK(run_slac("version").exit_code == 0);
  auto help_word = run_slac("help");
  CHECK(help_word.exit_code == 0);
  CHECK(help_word.out == help.out);
  auto help_check = run_slac("help check");
  CHECK(help_check.exit_code == 0);
  CHECK(help_check.out == check_help.out);
  CHECK(help.out.find("4 nothing judged") != std::string::npos);
}

TEST_CASE("an unknown command names the nearest one") {
  auto r = run_slac("chek examples/ev-charging.sla");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "slac: unknown command `chek`; did you mean `check`?\n");
  CHECK(run_slac("evl").err == "slac: unknown command `evl`; did you mean `eval`?\n");
  auto far = run_slac("frobnicate");
  CHECK(far.exit_code == 2);
  CHECK(far.err.starts_with("slac: unknown command `frobnicate` (the commands: check, eval, explain, test, status, whatif, "
                            "report, fmt, lsp, help, version, completion)"));
  auto help_typo = run_slac("help stauts");
  CHECK(help_typo.exit_code == 2);
  CHECK(help_typo.err == "slac: unknown command `stauts`; did you mean `status`?\n");
  auto nothing = run_slac("");
  CHECK(nothing.exit_code == 2);
  CHECK(nothing.err.starts_with("slac: a command is required (check, eval"));
}

namespace {
// What bash completes for the words of a command line (the last one being completed).
std::string complete_bash(const std::string& script, const std::string& line) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / fmt::format("slac-complete-{}.bash", static_cast<long>(getpid()));
  std::ofstream(file) << script;
  std::string words = line;
  std::size_t count = static_cast<std::size_t>(std::count(line.begin(), line.end(), ' '));
  std::string cmd = fmt::format("bash -c 'source {}; COMP_WORDS=({}); COMP_CWORD={}; _slac; echo \"${{COMPREPLY[*]}}\"'",
                                file.string(), words, count);
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  std::filesystem::remove(file);
  return out;
}
}  // namespace

TEST_CASE("completion scripts for bash, zsh and fish, from the command tree") {
  auto bash = run_slac("completion bash");
  REQUIRE(bash.exit_code == 0);
  CHECK(complete_bash(bash.out, "slac ch") == "check\n");
  CHECK(complete_bash(bash.out, "slac e") == "eval explain\n");
  CHECK(complete_bash(bash.out, "slac eval x --format \"\"") == "table json csv\n");
  CHECK(complete_bash(bash.out, "slac check --format s") == "sarif\n");
  CHECK(complete_bash(bash.out, "slac status x --as") == "--as-of\n");
  CHECK(complete_bash(bash.out, "slac completion \"\"") == "bash zsh fish\n");
  CHECK(complete_bash(bash.out, "slac ls") == "lsp\n");
  CHECK(complete_bash(bash.out, "slac lsp --std") == "--stdio --stdlib-dir\n");
  CHECK(complete_bash(bash.out, "slac whatif x --re") == "--recommend\n");
  CHECK(complete_bash(bash.out, "slac eval x --data docs/tut") == "docs/tutorial\n");
  // A flag takes no value: what follows it is completed as usual.
  CHECK(complete_bash(bash.out, "slac eval x --strict --fo") == "--format\n");
  CHECK(complete_bash(bash.out, "slac fmt --check docs/tut") == "docs/tutorial docs/tutorial.md\n");

  auto zsh = run_slac("completion zsh");
  CHECK(zsh.exit_code == 0);
  CHECK(zsh.out.starts_with("#compdef slac\n"));
  CHECK(zsh.out.find("'--format[table, json or csv; default\\: table on a terminal, json otherwise]:value:(table json csv)'") !=
        std::string::npos);
  CHECK(zsh.out.find("'*--sla[") != std::string::npos);  // repeatable
  CHECK(zsh.out.find("'--data[") != std::string::npos);
  CHECK(zsh.out.find("compdef _slac slac") != std::string::npos);
  CHECK(zsh.out.find("'--strict[treat events of undeclared signals or unknown entities as errors instead of warnings]' \\\n") !=
        std::string::npos);  // a flag: no `:value:`

  auto fish = run_slac("completion fish");
  CHECK(fish.exit_code == 0);
  CHECK(fish.out.find("complete -c slac -n __fish_use_subcommand -a whatif -d ") != std::string::npos);
  CHECK(fish.out.find("complete -c slac -n '__fish_seen_subcommand_from eval' -l format -x -a 'table json csv'") !=
        std::string::npos);
  CHECK(fish.out.find("complete -c slac -n '__fish_seen_subcommand_from eval' -l data -x -a '(__fish_complete_directories)'") !=
        std::string::npos);
  CHECK(fish.out.find("complete -c slac -n '__fish_seen_subcommand_from eval' -l strict -d ") != std::string::npos);

  auto other = run_slac("completion powershell");
  CHECK(other.exit_code == 2);
  CHECK(run_slac("completion").exit_code == 2);
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

TEST_CASE("check: a long line is shown as a window around the error") {
  std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("slac-long-line-{}.sla", static_cast<long>(getpid()))).string();
  {
    std::ofstream out(path);
    out << "signal s : bool\nstate a = s";
    for (int i = 0; i < 200'000; ++i) out << " lasting at least 1m";
    out << "\n";
  }
  auto r = run_slac("check " + path);
  std::filesystem::remove(path);
  CHECK(r.exit_code == 1);
  CHECK(r.err.size() < 1000);
  CHECK(r.err.find(path + ":2:2013: error: condition nested too deeply") != std::string::npos);
  // The caret stands under the operator that passes the limit, in the window shown.
  auto shown = r.err.find("\n  ...lasting");
  auto caret = r.err.find('^');
  REQUIRE(shown != std::string::npos);
  REQUIRE(caret != std::string::npos);
  std::size_t line_start = r.err.rfind('\n', caret) + 1;
  CHECK(r.err.substr(shown + 1 + (caret - line_start), 7) == "lasting");
}
