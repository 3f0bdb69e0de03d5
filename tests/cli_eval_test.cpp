// `slac eval` and `slac explain` end to end: formats, selection, params, exit codes.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using slac::test::run_slac;
namespace fs = std::filesystem;

namespace {
const std::string budget = "eval tests/eval/month_budget/contract.sla --data tests/eval/month_budget --from 2026-04-01 --to 2026-05-01";
const std::string penalties = "eval tests/eval/penalties/contract.sla --data tests/eval/penalties";
}  // namespace

TEST_CASE("eval: --fail-on-breach exits 1 when an SLA was breached") {
  CHECK(run_slac(budget + " --format json").exit_code == 0);
  CHECK(run_slac(budget + " --format json --fail-on-breach").exit_code == 1);
  CHECK(run_slac(budget + " --format json --fail-on-breach --set target=89%").exit_code == 0);
}

TEST_CASE("eval: --set changes a param, --sla selects") {
  auto j = nlohmann::json::parse(run_slac(budget + " --format json --set target=89%").out);
  CHECK(j["results"][1]["target"] == 0.89);
  CHECK(j["results"][1]["met"] == true);
  auto s = nlohmann::json::parse(run_slac(penalties + " --format json --sla estate --sla most_sites").out);
  CHECK(s["results"].size() == 8);
  CHECK(s["verdicts"].size() == 2);
  CHECK(s["results"][0]["sla"] == "estate");
  CHECK(s["totals"]["penalty"] == 5000);
}

TEST_CASE("eval: usage errors exit 2 with a clear message") {
  auto r = run_slac(budget + " --set tarqet=90%");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("the contract has no param `tarqet`; did you mean `target`?") != std::string::npos);
  r = run_slac(budget + " --set target=90");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("written with `%`") != std::string::npos);
  // A fraction is not written as `0.9%`, nor a decimal comma dropped.
  r = run_slac(budget + " --set target=0.9");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("`0.9` reads as a fraction, so write `90%`") != std::string::npos);
  r = run_slac(budget + " --set target=99,5%");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("a decimal is written with `.`: `99.5%`") != std::string::npos);
  r = run_slac("eval examples/acme-retail.sla --data examples/ev-estate --set heartbeat_timeout=5min");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("durations are whole numbers with a unit: ms, s, m, h, d or w (`10m`, `1h30m`); write `5m`") !=
        std::string::npos);
  r = run_slac("eval examples/acme-retail.sla --data examples/ev-estate --set heartbeat_timeout=0.5h");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("a fraction is written in a smaller unit: `30m`") != std::string::npos);
  r = run_slac(budget + " --sla availabilty");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("did you mean `availability`?") != std::string::npos);
  r = run_slac("eval tests/eval/month_budget/contract.sla --data tests/eval/month_budget --from 2026-02-30");
  CHECK(r.exit_code == 2);
  CHECK(run_slac("eval tests/eval/month_budget/contract.sla").exit_code == 2);
}

TEST_CASE("eval: a data error exits 3 with file:line") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-cli-eval-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "sites.csv") << "site\nS1\n";
  std::ofstream(dir / "devices.csv") << "device,site\nA,S1\n";
  std::ofstream(dir / "events.csv") << "time,entity,signal,value\n2026-04-01T00:00:00Z,A,status,ok\n2026-04-02T00:00:00,A,status,ok\n";
  std::string span = " --from 2026-04-01 --to 2026-05-01";
  auto r = run_slac(fmt::format("eval tests/eval/month_budget/contract.sla --data {}", dir.string()) + span);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("events.csv:3: time `2026-04-02T00:00:00` has no offset") != std::string::npos);
  auto skipped = run_slac(fmt::format("eval tests/eval/month_budget/contract.sla --data {} --skip-bad-rows --format json", dir.string()) + span);
  CHECK(skipped.exit_code == 0);
  CHECK(skipped.err.find("skipped 1 bad row (line 3)") != std::string::npos);
  CHECK(nlohmann::json::parse(skipped.out)["data"]["skipped_rows"] == 1);
  fs::remove_all(dir);
}

TEST_CASE("eval: warnings for rows left out, and --strict") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-cli-warn-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "sites.csv") << "site\nS1\n";
  std::ofstream(dir / "devices.csv") << "device,site\nA,S1\n";
  std::ofstream(dir / "events.csv") << "time,entity,signal,value\n2026-04-01T00:00:00Z,A,status,ok\n2026-04-01T00:00:00Z,X,status,ok\n"
                                       "2026-04-01T00:00:00Z,A,power,3\n";
  auto r = run_slac(fmt::format("eval tests/eval/month_budget/contract.sla --data {} --format json --to 2026-05-01", dir.string()));
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("1 row of signal `power`, which the contract does not declare (first at line 4)") != std::string::npos);
  CHECK(r.err.find("1 row of `X`, which is not in the inventory (first at line 3)") != std::string::npos);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["data"]["events"] == 1);
  CHECK(j["data"]["unknown_entities"] == 1);
  CHECK(j["data"]["undeclared_signals"] == 1);
  CHECK(run_slac(fmt::format("eval tests/eval/month_budget/contract.sla --data {} --strict", dir.string())).exit_code == 3);
  fs::remove_all(dir);
}

TEST_CASE("eval: csv and table formats") {
  auto csv = run_slac(budget + " --format csv");
  CHECK(csv.exit_code == 0);
  CHECK(csv.out.starts_with("sla,kind,window_start,window_end,group,measured_s,good_s,attainment,outages,longest_outage_s,target,met,near_miss,penalty\n"));
  CHECK(csv.out.find("availability,sla,2026-04-01T00:00:00Z,2026-05-01T00:00:00Z,B,2592000,2332740,0.8999768518518518,1,259260,0.9,false,false,10000\n") != std::string::npos);
  auto table = run_slac(budget + " --format table");
  CHECK(table.out.find("breaches (1):") != std::string::npos);
  CHECK(table.out.find("near misses (1, met below 92%):") != std::string::npos);
  CHECK(table.out.find("Total penalty: 10,000 GBP") != std::string::npos);
  CHECK(table.out.find("\x1b[") == std::string::npos);
}

TEST_CASE("explain prints the plan with shared nodes and source lines") {
  auto r = run_slac("explain examples/ev-charging.sla --set target=95%");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("target = 95%  (set; declared 90%)") != std::string::npos);
  CHECK(r.out.find("#2   device and        intersection of #0, #1") != std::string::npos);
  CHECK(r.out.find("examples/ev-charging.sla:17") != std::string::npos);
  CHECK(r.out.find("objective:   attainment >= 95%") != std::string::npos);
}

TEST_CASE("explain says what an event measure counts, and eval's table, CSV and JSON show its counts") {
  auto r = run_slac("explain tests/eval/event_attempts/contract.sla");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("requirement: each event of attempt (an in-scope device's, at a measured instant) counts; it is good "
                   "when #0 holds at its instant") != std::string::npos);
  CHECK(r.out.find("measured:    the window, inside #3, minus #2, while the event's device is in scope") != std::string::npos);
  CHECK(r.out.find("objective:   attainment >= 95% (good events / counted events)") != std::string::npos);
  const std::string eval = "eval tests/eval/event_attempts/contract.sla --data tests/eval/event_attempts --from 2026-03-01 "
                           "--to 2026-04-01";
  auto table = run_slac(eval + " --format table");
  CHECK(table.out.find("2026-03                  S1                  40.00%  2 of 5 events good 500") != std::string::npos);
  CHECK(table.out.find("2026-03                        4        0.00%       36.36%      n/a") != std::string::npos);
  // Rows of other measures keep their columns; these add two.
  auto csv = run_slac(eval + " --format csv");
  CHECK(csv.out.find(",penalty,measured_events,good_events\n") != std::string::npos);
  CHECK(run_slac("eval tests/eval/month_budget/contract.sla --data tests/eval/month_budget --format csv")
            .out.find("measured_events") == std::string::npos);
}

TEST_CASE("eval: a span over 100 years is refused; far-off spans and status instants finish") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-cli-span-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "sites.csv") << "site\nS1\n";
  std::ofstream(dir / "devices.csv") << "device,site\nA,S1\n";
  // Events at both ends of the representable times: the default span is 8000 years.
  std::ofstream(dir / "events.csv") << "time,entity,signal,value\n1970-01-01T00:00:00Z,A,status,ok\n"
                                       "9999-12-31T23:59:59.999Z,A,status,fault\n";
  std::string eval = fmt::format("eval tests/eval/month_budget/contract.sla --data {}", dir.string());
  auto whole = run_slac(eval);
  CHECK(whole.exit_code == 3);
  CHECK(whole.err.find("is longer than 100 years; slac judges at most 100 years at a time (the span comes from the "
                       "events' times: give --from and --to)") != std::string::npos);
  auto explicit_span = run_slac(eval + " --from 1970-01-01 --to 2071-01-01");
  CHECK(explicit_span.exit_code == 3);
  CHECK(explicit_span.err.find("the span from 1970-01-01T00:00:00Z to 2071-01-01T00:00:00Z is longer than 100 years") !=
        std::string::npos);
  // A month 8000 years after the first event: the history looked at is bounded, and the
  // status set in 1970 still holds.
  auto late = run_slac(eval + " --from 9999-11-01 --to 9999-12-01 --format json");
  CHECK(late.exit_code == 0);
  auto results = nlohmann::json::parse(late.out)["results"];
  REQUIRE(results.size() == 1);
  CHECK(results[0]["good_s"] == 30 * 86'400);
  auto status = run_slac(fmt::format("status tests/eval/month_budget/contract.sla --data {} --as-of 9999-12-31T12:00:00Z "
                                     "--format json", dir.string()));
  CHECK(status.exit_code == 0);
  CHECK(nlohmann::json::parse(status.out)["groups"].size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("eval: penalties beyond an exact decimal are a data error, never a wrong total") {
  // 20 breached sites a month at 2e17 each: 4e18 fits, the three months' 1.2e19 does not.
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-big-penalty-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::string text = slac::test::read_file("examples/ev-charging.sla");
  for (const auto& [amount, name] : {std::pair{"200000000000000000", "total"}, std::pair{"123456789012345678.9", "window"}}) {
    std::string copy = text;
    copy.replace(copy.find("penalty 10000"), 13, std::string("penalty ") + amount);
    std::ofstream(dir / (std::string(name) + ".sla")) << copy;
    for (const char* command : {"eval", "whatif"}) {
      CAPTURE(command);
      CAPTURE(name);
      auto r = run_slac(fmt::format("{} {} --data examples/ev-estate{}", command, (dir / (std::string(name) + ".sla")).string(),
                                    std::string(command) == "whatif" ? " --sweep target=85%..90%" : " --format json"));
      CHECK(r.exit_code == 3);
      CHECK(r.out.empty());
      CHECK(r.err.find(fmt::format("slac {}: the penalties of {}`availability` in the window starting ", command,
                                   std::string(name) == "total" ? "every SLA, up to " : "")) == 0);
      CHECK(r.err.find("add up to more than an exact decimal holds (18 significant digits); slac does not round money") !=
            std::string::npos);
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("slac explain and the table say what the averages over devices are") {
  auto x = run_slac("explain tests/eval/averages_two_zones/contract.sla");
  REQUIRE(x.exit_code == 0);
  CHECK(x.out.find("requirement: on average over device-time: attainment = the devices' time in #") != std::string::npos);
  CHECK(x.out.find("requirement: on average per device: attainment = the mean, over devices measured in the window") !=
        std::string::npos);
  CHECK(x.out.find("measured:    per device, while in scope: the window, inside #") != std::string::npos);
  auto t = run_slac("eval tests/eval/averages_two_zones/contract.sla --data tests/eval/averages_two_zones --from 2026-03-02 "
                    "--to 2026-03-03 --format table");
  REQUIRE(t.exit_code == 0);
  // The breach line has the mean and no outage figures; the KPI's outages are `-`.
  CHECK(t.out.find("    2026-03-02               *                   77.23%  100\n") != std::string::npos);
  CHECK(t.out.find("68.75%       80.77%        -\n") != std::string::npos);
}

TEST_CASE("data commands print the contract's warnings, located, on standard error; W001 judges --set") {
  const std::string acme = "examples/acme-retail.sla --data examples/ev-estate";
  // Declared, the levels are fine (warn below 92%, target 90%): nothing to say.
  auto plain = run_slac("eval " + acme + " --sla availability --format json");
  CHECK(plain.err.find("[W001]") == std::string::npos);
  // Set to 95%, the target passes the warning level: said at the `warn below`, and the
  // JSON on standard output stays whole.
  auto set = run_slac("eval " + acme + " --sla availability --format json --set target=95%");
  CHECK(set.exit_code == 0);
  CHECK(set.err.find("examples/acme-retail.sla:36:14: warning: `warn below` 92% is at or under the target, `target` "
                     "(95%, as set), so no met window can be a near miss; warn at a level above the target [W001]\n"
                     "    warn below 92%\n") != std::string::npos);
  CHECK(nlohmann::json::parse(set.out)["results"][0]["target"] == 0.95);
  auto status = run_slac("status " + acme + " --sla availability --as-of 2026-03-17T11:00:00Z --format json --set target=95%");
  CHECK(status.err.find("[W001]") != std::string::npos);
  CHECK(nlohmann::json::parse(status.out).contains("groups"));
  auto whatif = run_slac("whatif " + acme + " --sweep target=85%..86%/1% --format json --set target=95%");
  CHECK(whatif.err.find("[W001]") != std::string::npos);
  CHECK(nlohmann::json::parse(whatif.out)["rows"].size() == 2);
  CHECK(run_slac("explain examples/acme-retail.sla --set target=95%").err.find("[W001]") != std::string::npos);
  // Set back under the warning level, a declared W001 is gone.
  auto w001 = run_slac("explain tests/check/W001_warn_at_target.sla");
  CHECK(w001.err.find("tests/check/W001_warn_at_target.sla:15:14: warning: `warn below` `near` (90%) is at or under "
                      "the target, `target` (95%)") != std::string::npos);
  auto lowered = run_slac("explain tests/check/W001_warn_at_target.sla --set target=80%");
  CHECK(lowered.err.find(":15:14:") == std::string::npos);
  CHECK(lowered.err.find(":10:14:") != std::string::npos);  // the literal levels stay as written
  // W002 and W003 too: any warning of the contract.
  auto unused = run_slac("explain tests/check/W002_unused_signal.sla");
  CHECK(unused.exit_code == 0);
  CHECK(unused.err.find("[W002]") != std::string::npos);
}

TEST_CASE("--set and --sweep take spaces around the name and the value") {
  auto spaced = nlohmann::json::parse(run_slac(budget + " --format json --set 'target = 89% '").out);
  CHECK(spaced["results"][1]["target"] == 0.89);
  auto sweep = run_slac("whatif examples/acme-retail.sla --data examples/ev-estate --format json "
                        "--sweep 'target = 85% .. 86% / 1%'");
  CHECK(sweep.exit_code == 0);
  CHECK(nlohmann::json::parse(sweep.out)["rows"].size() == 2);
  // Spaces inside a value are still wrong, and said to be.
  auto inside = run_slac(budget + " --set 'target=8 9%'");
  CHECK(inside.exit_code == 2);
}

TEST_CASE("eval: a date that does not exist says why; a missing --data folder is a usage error") {
  auto r = run_slac("eval tests/eval/month_budget/contract.sla --data tests/eval/month_budget --from 2026-02-30");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "slac eval: --from 2026-02-30: `2026-02-30` is not a date: there is no 30 February 2026 (February "
                 "2026 has 28 days)\n");
  r = run_slac("eval tests/eval/month_budget/contract.sla --data tests/eval/month_budget --to 2026-13-01");
  CHECK(r.err.find("there is no month 13") != std::string::npos);
  r = run_slac("eval tests/eval/month_budget/contract.sla --data tests/eval/month_budget --from 1969-12-31");
  CHECK(r.err.find("`1969-12-31` is before 1970") != std::string::npos);
  // --data naming no folder is a mistake on the command line (exit 2), for every data command.
  for (std::string command : {"eval", "whatif", "status --as-of 2026-04-02"}) {
    auto missing = run_slac(command + " tests/eval/month_budget/contract.sla --data /nonexistent-slac-data" +
                            (command == "whatif" ? " --sweep target=85%..86%/1%" : ""));
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("--data /nonexistent-slac-data: no such folder") != std::string::npos);
  }
  auto file = run_slac("eval tests/eval/month_budget/contract.sla --data tests/eval/month_budget/contract.sla");
  CHECK(file.exit_code == 2);
  CHECK(file.err.find("not a folder") != std::string::npos);
}

TEST_CASE("eval: a penalty amount that divides by zero is a data error naming the SLA, the group and the window") {
  auto r = run_slac("eval tests/data_errors/amount_divide_by_zero/contract.sla --data tests/data_errors/amount_divide_by_zero "
                    "--from 2026-03-02 --to 2026-03-03 --format json");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("the penalty `1000 / site.chargers` divides by zero (SLA `per_charger`, group `S2`, window starting "
                   "2026-03-02T00:00:00Z)") != std::string::npos);
}

TEST_CASE("explain: penalty amounts, with params resolved and the rounding stated") {
  auto r = run_slac("explain tests/eval/amounts_cloud_credits/contract.sla");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("penalty:     10% of site.monthly_bill when attainment is below 99.99%") != std::string::npos);
  CHECK(r.out.find("penalty:     shortfall * 12000 / 12 per breach") != std::string::npos);
  CHECK(r.out.find("each row's rounded half up to 2 decimals (USD)") != std::string::npos);
}

TEST_CASE("explain: `mean of` says what is averaged, how unknown values count, and that it has no outages") {
  auto r = run_slac("explain tests/eval/mean_error_rate/contract.sla");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("requirement: mean of 1 - error_rate (percentages as fractions), weighted by each device's measured time")
        != std::string::npos);
  CHECK(r.out.find("the window, minus instants where it is unknown or divides by zero; outages are not defined")
        != std::string::npos);
  CHECK(r.out.find("the window, instants where it is unknown or divides by zero counted as 0") != std::string::npos);
  CHECK(r.out.find("requirement: mean of failures / requests") != std::string::npos);
}

TEST_CASE("explain: the windows of SPEC 4.4, each as the plan cuts it") {
  auto r = run_slac("explain tests/testblocks/windows.sla");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("windows:     rolling 2 months in Europe/London") != std::string::npos);
  CHECK(r.out.find("windows:     the 2 periods of `periods`, from local midnight of one date to the next (2026-04-01 to "
                   "2026-05-26)") != std::string::npos);
  CHECK(r.out.find("windows:     periods of 2 weeks from local midnight of 2026-04-06 (and before it)") != std::string::npos);
  CHECK(r.out.find("windows:     calendar days in Europe/London, each starting 05:00 local time") != std::string::npos);
}

TEST_CASE("eval: the table states a contract's durations exactly, to the second") {
  // 13374 s is 3h 42m 54s: a heading that said "3h 42m" would misstate the term.
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-exact-terms-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::string text = slac::test::read_file("tests/eval/downtime_month_dst/contract.sla");
  text.replace(text.find("with at most 4h of downtime"), 27, "with at most 13374s of downtime");
  text.replace(text.find("of 744h"), 7, "of 744h1s");
  std::ofstream(dir / "c.sla") << text;
  auto r = run_slac(fmt::format("eval {} --data tests/eval/downtime_month_dst --from 2026-03-01 --to 2026-04-01 --format table",
                                (dir / "c.sla").string()));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("SLA at_most_4h  (downtime at most 3h 42m 54s)") != std::string::npos);
  CHECK(r.out.find("of 31d 1s") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("eval and whatif: --set and --sweep refuse what E401 refuses of a literal, naming the param set") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-param-rules-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "c.sla") << R"(contract "Rules"
signal status : enum { ok, fault }
state up = status == ok
param step = 0.5%
param target = 99.5%
param share = 50%
sla rounded { in any calendar month, on any device, up for at least target rounded to step }
sla strict { in any calendar month, on any device, up for more than target }
sla counted {
  in any calendar month, on any device, up for at least 90%
  counted in 1m intervals, failed if over share
}
)";
  std::string data = " --data tests/eval/downtime_month_dst --from 2026-03-01 --to 2026-04-01";
  std::string c = (dir / "c.sla").string();
  auto r = run_slac("eval " + c + data + " --set step=0%");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set step=0%: SLA `rounded` would round its attainment to 0%, which rounds to nothing") != std::string::npos);
  r = run_slac("eval " + c + data + " --set step=3%");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set step=3%: SLA `rounded` rounds its attainment to 3%, and its target 99.5%") != std::string::npos);
  r = run_slac("eval " + c + data + " --set target=100%");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set target=100%: SLA `strict` is met for more than its target, and no attainment is more than 100%") !=
        std::string::npos);
  r = run_slac("eval " + c + data + " --set share=100%");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set share=100%: SLA `counted` fails an interval for over this share of it") != std::string::npos);
  r = run_slac("whatif " + c + data + " --sla counted --sweep share=0%..100%/50%");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--sweep share=0%..100%/50%: share=100%: SLA `counted`") != std::string::npos);
  CHECK(run_slac("eval " + c + data + " --set share=99% --set target=99% --format json").exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("eval: a contract with no SLA or KPI says nothing was judged (an import brings no SLAs)") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-no-sla-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "c.sla") << "contract \"Only an import\"\nimport \"std/ev-charging\"\n";
  std::string args = "eval " + (dir / "c.sla").string() + " --data examples/ev-estate --from 2026-03-01 --to 2026-04-01";
  auto j = run_slac(args + " --format json");
  CHECK(j.exit_code == 0);
  auto out = nlohmann::json::parse(j.out);
  CHECK(out["results"].empty());
  REQUIRE(out["warnings"].size() >= 1);
  CHECK(out["warnings"][0]["code"] == "no_sla");
  auto t = run_slac(args + " --format table");
  CHECK(t.err.find("the contract has no SLA or KPI, so nothing was judged") != std::string::npos);
  CHECK(run_slac(args + " --format json --fail-on-breach").exit_code == 4);
  fs::remove_all(dir);
}

TEST_CASE("eval: a duration param stands for the fixed duration of `of D`") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-of-param-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::string text = slac::test::read_file("tests/eval/downtime_month_dst/contract.sla");
  std::ofstream(dir / "literal.sla") << text;
  std::string with_param = text;
  with_param.replace(with_param.find("of 744h"), 7, "of month_hours");
  with_param += "\nparam month_hours = 744h\n";
  std::ofstream(dir / "param.sla") << with_param;
  std::string data = " --data tests/eval/downtime_month_dst --from 2026-03-01 --to 2026-04-01 --format json";
  auto literal = run_slac("eval " + (dir / "literal.sla").string() + data);
  auto param = run_slac("eval " + (dir / "param.sla").string() + data);
  REQUIRE(literal.exit_code == 0);
  CHECK(param.exit_code == 0);
  auto a = nlohmann::json::parse(literal.out), b = nlohmann::json::parse(param.out);
  CHECK(a["results"] == b["results"]);
  auto zero = run_slac("eval " + (dir / "param.sla").string() + data + " --set month_hours=0s");
  CHECK(zero.exit_code == 2);
  CHECK(zero.err.find("--set month_hours=0s: month_hours is a duration; expected a duration longer than 0") !=
        std::string::npos);
  auto sweep = run_slac("whatif " + (dir / "param.sla").string() +
                        " --data tests/eval/downtime_month_dst --from 2026-03-01 --to 2026-04-01 --sla fixed "
                        "--sweep month_hours=700h..744h/44h --format json");
  CHECK(sweep.exit_code == 0);
  fs::remove_all(dir);
}
