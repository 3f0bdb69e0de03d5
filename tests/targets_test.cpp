// The target forms of SPEC 4.4 (`for more than`, `rounded to`, `of D`, downtime
// objectives) beyond the golden cases: their words stay free as names, fmt round-trips
// them, explain shows them, CSV and table outputs, status budgets and whatif sweeps.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "compiler/loader.hpp"
#include "compiler/targets.hpp"
#include "format/format.hpp"
#include "runtime/evaluate.hpp"
#include "status/status.hpp"
#include "tester/tester.hpp"
#include "tests/support.hpp"
#include "whatif/whatif.hpp"

using namespace slac;

namespace {

Compilation compiled(const std::string& text) {
  Compilation c = compile_file("targets.sla", text);
  REQUIRE_MESSAGE(c.ok(), test::joined(test::describe(c.diags, c.program->sources)));
  return c;
}

SlaPlan plan_of(const std::string& objective) {
  Compilation c = compiled(fmt::format(R"(contract "T"
signal status : enum {{ ok, fault }}
state up = status == ok
sla s {{
  in any calendar day, on any device,
  up {}
}}
)",
                                       objective));
  std::vector<ParamValue> params;
  for (const auto& p : c.model.params) params.push_back(p.value);
  return lower(c.model, params).slas.at(0);
}

std::string formatted_text(const std::string& text) {
  SourceManager sm;
  Diagnostics d;
  auto out = format_source(sm.add("forms.sla", text), d);
  REQUIRE(out);
  return *out;
}

}  // namespace

TEST_CASE("targets: the new words stay free as names") {
  compiled(R"(contract "Names"
param rounded = 90%
param downtime = 4h
signal less : enum { ok, fault }
device attribute to : number = 1
state up = less == ok
state per = up
calendar counted = mon-fri 08:00-18:00
sla downtime_sla {
  in any calendar day, on any device,
  per for more than rounded rounded to 1%
  with at most downtime of downtime
}
kpi rounded_kpi { in any calendar day, on any device, per }
)");
}

TEST_CASE("targets: a state named `rounded` on the next line is a requirement, not a rounding") {
  auto p = test::parse_text(R"(contract "Next line"
signal status : enum { ok, fault }
state rounded = status == ok
sla s {
  in any calendar day, on any device,
  for at least 90%
  rounded
}
)");
  CHECK(p.errors().empty());
}

TEST_CASE("targets: exact attainment, rounding half up, thresholds") {
  SlaPlan strict = plan_of("for more than 97%");
  // 97.000% does not meet "more than 97%"; one millisecond more good time does.
  CHECK_FALSE(target_met(strict, 100'000, 97'000));
  CHECK(target_met(strict, 100'000, 97'001));
  SlaPlan rounded = plan_of("for at least 97% rounded to 1%");
  auto r = [&](std::int64_t measured, std::int64_t good) {
    return rounded_attainment(rounded, *attainment_ratio(rounded, measured, good))->to_string();
  };
  CHECK(r(1000, 965) == "97");   // exactly half: up
  CHECK(r(1000, 964) == "96");
  CHECK(r(100'000, 96'499) == "96");
  CHECK(target_met(rounded, 1000, 965));
  CHECK_FALSE(target_met(rounded, 100'000, 96'499));
  CHECK(target_threshold(rounded)->percent.to_string() == "96.5");
  SlaPlan more_rounded = plan_of("for more than 97% rounded to 0.5%");
  CHECK(target_threshold(more_rounded)->percent.to_string() == "97.25");
  CHECK_FALSE(target_threshold(more_rounded)->strict);
  CHECK(target_met(more_rounded, 10'000, 9725));
  CHECK_FALSE(target_met(more_rounded, 10'000, 9724));
  // Against a fixed duration: (D - downtime) / D, and negative past D.
  SlaPlan fixed = plan_of("for more than 97% of 100s");
  auto a = attainment_ratio(fixed, 50'000, 40'000);
  CHECK(attainment_double(*a) == 0.9);
  CHECK(attainment_double(*attainment_ratio(fixed, 500'000, 300'000)) == -1.0);
  CHECK_FALSE(attainment_ratio(fixed, 0, 0));
  SlaPlan downtime = plan_of("with less than 1h of downtime");
  CHECK(downtime_met(downtime, 7'200'000, 3'600'001));
  CHECK_FALSE(downtime_met(downtime, 7'200'000, 3'600'000));
}

TEST_CASE("targets: fmt round-trips every form") {
  std::string text = R"(contract "Forms"
param allowed = 4h
signal status : enum { ok, fault }
state up = status == ok
sla a {
  in any calendar month,   on any device,
  up   for   more than 97%   of 525600m rounded to 0.1%
  with less than   allowed of downtime
}
sla b { in any calendar month, on any device, up for at least 95% rounded to 1%, with at most 0s of downtime }
sla c { in any calendar month, on any device, up with at most 4h of downtime }
)";
  std::string formatted = formatted_text(text);
  CHECK(formatted.find("  up for more than 97% of 525600m rounded to 0.1%\n  with less than allowed of downtime\n") !=
        std::string::npos);
  CHECK(formatted.find("  up for at least 95% rounded to 1%\n  with at most 0s of downtime\n") != std::string::npos);
  CHECK(formatted_text(formatted) == formatted);
  Compilation before = compiled(text), after = compiled(formatted);
  CHECK(canonical_text(before.model) == canonical_text(after.model));
}

TEST_CASE("slac explain shows the target forms") {
  auto r = test::run_slac("explain tests/eval/nevi_fixed_year/contract.sla");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("  attainment:  (365d - downtime) / 365d, downtime = measured - good\n"
                   "  objective:   attainment > 97%\n") != std::string::npos);
  auto t = test::run_slac("explain tests/eval/target_forms/contract.sla");
  CHECK(t.out.find("  objective:   rounded attainment > 97%, that is attainment >= 97.5%\n") != std::string::npos);
  CHECK(t.out.find("  attainment:  rounded half up to a multiple of 1% for the target, tiers and warn\n"
                   "  objective:   rounded attainment >= 95%, that is attainment >= 94.5%\n") != std::string::npos);
  auto d = test::run_slac("explain tests/eval/downtime_month_dst/contract.sla");
  CHECK(d.out.find("  objective:   downtime (measured - good) < 4h\n") != std::string::npos);
}

TEST_CASE("slac eval: rounded attainment in CSV and the table; the older forms' CSV is unchanged") {
  auto csv = test::run_slac(
      "eval tests/eval/target_forms/contract.sla --data tests/eval/target_forms --from 2026-03-02 --to 2026-03-03 "
      "--format csv --sla at_least_rounded");
  CHECK(csv.exit_code == 0);
  CHECK(csv.out.starts_with(
      "sla,kind,window_start,window_end,group,measured_s,good_s,attainment,outages,longest_outage_s,target,met,near_miss,"
      "penalty,rounded_attainment\n"));
  CHECK(csv.out.find("at_least_rounded,sla,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,S2,86400,81648,0.945,1,4752,0.95,"
                     "true,true,0,0.95\n") != std::string::npos);
  auto plain = test::run_slac(
      "eval tests/eval/exact_thresholds/contract.sla --data tests/eval/exact_thresholds --from 2026-03-02 --to 2026-03-03 "
      "--format csv");
  CHECK(plain.out.starts_with(
      "sla,kind,window_start,window_end,group,measured_s,good_s,attainment,outages,longest_outage_s,target,met,near_miss,"
      "penalty\n"));
  auto table = test::run_slac(
      "eval tests/eval/target_forms/contract.sla --data tests/eval/target_forms --from 2026-03-02 --to 2026-03-03 "
      "--format table");
  CHECK(table.out.find("SLA at_least_rounded  (target 95% rounded to 1%, tiered penalties)") != std::string::npos);
  CHECK(table.out.find("94.50% (95%)") != std::string::npos);  // B's near miss: exact, then as judged
  CHECK(table.out.find("SLA strict  (target more than 95%)") != std::string::npos);
  auto nevi = test::run_slac(
      "eval tests/eval/nevi_fixed_year/contract.sla --data tests/eval/nevi_fixed_year --from 2028-01-01 --to 2029-01-01 "
      "--format table");
  CHECK(nevi.out.find("SLA port_uptime  (target more than 97% of 365d)") != std::string::npos);
}

TEST_CASE("status: budgets of strict, rounded and downtime objectives") {
  Compilation c = compiled(R"(contract "Budgets"
signal status : enum { ok, fault }
state up = status == ok
sla strict { in any calendar day, on any device, up for more than 50% }
sla rounded { in any calendar day, on any device, up for at least 50% rounded to 10% }
sla downtime { in any calendar day, on any device, up with at most 6h of downtime }
sla both { in any calendar day, on any device, up for at least 50% with at most 6h of downtime }
sla strictly_under { in any calendar day, on any device, up with less than 3h of downtime }
sla fixed { in any calendar day, on any device, up for at least 90% of 10h }
test "world" {
  site S
  device A at S
  at 2026-03-02 00:00 A status = ok
  at 2026-03-02 10:00 A status = fault
}
)");
  std::vector<ParamValue> params;
  for (const auto& p : c.model.params) params.push_back(p.value);
  Plan plan = lower(c.model, params);
  rt::Dataset data = rt::test_dataset(c.model, c.model.tests.at(0));
  std::string why;
  std::vector<std::size_t> all;
  for (std::size_t i = 0; i < c.model.slas.size(); ++i) all.push_back(i);
  // At 13:00, A has been failing for 3h; 11h of the day are left.
  auto rows = rt::status(plan, data, *rt::parse_time("2026-03-02T13:00:00Z", why), all, rt::StatusOptions{});
  auto find = [&](const std::string& sla) -> const rt::StatusRow& {
    for (const auto& r : rows) {
      if (plan.slas[r.sla].name == sla) return r;
    }
    FAIL("no row for " << sla);
    return rows.front();
  };
  auto hours = [](std::int64_t h) { return Decimal::integer(h * 3'600'000); };
  const auto& strict = find("strict");
  CHECK(strict.budget == hours(12));
  CHECK(strict.budget_left == hours(9));
  CHECK(format_instant(*strict.breach_at) == "2026-03-02T22:00:00Z");
  // Rounded to 10%, 50% is met down to 45%: a budget of 55% of 24h.
  const auto& rounded = find("rounded");
  CHECK(rounded.budget == Decimal::integer(13 * 3'600'000 + 12 * 60'000));
  CHECK(format_instant(*rounded.breach_at) == "2026-03-02T23:12:00Z");
  // A downtime objective alone is the budget.
  const auto& downtime = find("downtime");
  CHECK(downtime.has_budget);
  CHECK(downtime.budget == hours(6));
  CHECK(downtime.budget_used == 3 * 3'600'000);
  CHECK(downtime.budget_left == hours(3));
  CHECK(format_instant(*downtime.breach_at) == "2026-03-02T16:00:00Z");
  // With both, the fields are the percentage's and breach_at the earlier.
  const auto& both = find("both");
  CHECK(both.budget == hours(12));
  CHECK(format_instant(*both.breach_at) == "2026-03-02T16:00:00Z");
  // `less than 3h` is breached at 3h.
  CHECK(rt::state_name(find("strictly_under").state) == "breached");
  // Against a fixed 10h, 90% allows 1h: 3h used is a breach.
  const auto& fixed = find("fixed");
  CHECK(fixed.budget == hours(1));
  CHECK(rt::state_name(fixed.state) == "breached");
}

TEST_CASE("whatif: a downtime param sweeps, lower is stricter; a strict target's param, higher") {
  Compilation c = compiled(R"(contract "Sweeps"
param allowed = 4h
param goal = 97%
param step = 1%
signal status : enum { ok, fault }
state up = status == ok
sla down { in any calendar day, on any device, up with at most allowed of downtime }
sla strict { in any calendar day, on any device, up for more than goal rounded to step }
test "world" {
  site S
  device A at S
  device B at S
  at 2026-03-02 00:00 A status = ok
  at 2026-03-02 10:00 A status = fault
  at 2026-03-02 12:00 A status = ok
  at 2026-03-02 00:00 B status = ok
  at 2026-03-02 10:00 B status = fault
  at 2026-03-02 13:00 B status = ok
}
)");
  const Model& m = c.model;
  std::string why;
  CHECK(rt::higher_is_stricter(m, *m.find_sla("down"), *m.find_param("allowed"), why) == false);
  CHECK(rt::higher_is_stricter(m, *m.find_sla("strict"), *m.find_param("goal"), why) == true);
  CHECK_FALSE(rt::higher_is_stricter(m, *m.find_sla("strict"), *m.find_param("step"), why));
  std::vector<ParamValue> base;
  for (const auto& p : m.params) base.push_back(p.value);
  rt::Dataset data = rt::test_dataset(m, m.tests.at(0));
  std::string error;
  auto sweep = rt::parse_sweep(m, "allowed=1h..4h/1h", error);
  REQUIRE(sweep);
  auto from = *rt::parse_time("2026-03-02T00:00:00Z", why), to = *rt::parse_time("2026-03-03T00:00:00Z", why);
  auto result = rt::whatif(m, base, data, from, to, *m.find_sla("down"), {*sweep});
  REQUIRE(result.rows.size() == 4);
  // A is down 2h, B 3h: met by none, none, A, both.
  CHECK(result.rows[0].met == 0);
  CHECK(result.rows[1].met == 1);
  CHECK(result.rows[2].met == 2);
  CHECK(result.rows[3].met == 2);
  auto pick = rt::recommend(result, *Decimal::parse("0.5"), false);
  REQUIRE(pick);
  CHECK(result.rows[*pick].values[0].to_string() == "2h");
  // The CLI: `--recommend` on a `for more than` target picks the highest met.
  auto goal = rt::parse_sweep(m, "goal=85%..90%/1%", error);
  REQUIRE(goal);
  auto strict = rt::whatif(m, base, data, from, to, *m.find_sla("strict"), {*goal});
  // A: 22/24 = 91.67% rounds to 92%; B: 21/24 = 87.5% rounds half up to 88%.
  CHECK(strict.rows[2].met == 2);  // more than 87%
  CHECK(strict.rows[3].met == 1);  // more than 88%: B's 88% is not more
  auto best = rt::recommend(strict, *Decimal::parse("1"), true);
  REQUIRE(best);
  CHECK(strict.rows[*best].values[0].to_string() == "87%");
}

TEST_CASE("slac test: rounded attainment and downtime expectations") {
  auto r = test::run_slac("test tests/testblocks/targets.sla");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("tests/testblocks/targets.sla:42: expected rounded attainment 96%, got rounded attainment 95% for "
                   "rounded on S1 in 2026-03-02") != std::string::npos);
  CHECK(r.out.find("tests/testblocks/targets.sla:43: expected downtime 1h, got downtime 1h12m for rounded on S1 in "
                   "2026-03-02") != std::string::npos);
  CHECK(r.out.ends_with("2 passed, 1 failed\n"));
}

TEST_CASE("--set and --sweep refuse a target off its `rounded to` step, as the checker does (E512)") {
  namespace fs = std::filesystem;
  fs::path file = fs::temp_directory_path() / fmt::format("slac-step-{}.sla", static_cast<long>(getpid()));
  std::ofstream(file) << "contract \"c\"\nsignal status : enum { ok, fault }\nparam tg = 99%\nparam step = 0.5%\n"
                         "state up = status == ok\n"
                         "sla sw { in any calendar day, on any device, up for more than tg rounded to step }\n";
  const std::string data = " --data tests/eval/month_budget --from 2026-03-01 --to 2026-03-02";
  auto ok = test::run_slac("eval " + file.string() + data + " --set tg=98.5%");
  CHECK(ok.exit_code == 0);
  auto off = test::run_slac("eval " + file.string() + data + " --set tg=98.3%");
  CHECK(off.exit_code == 2);
  CHECK(off.err.find("--set tg=98.3%: SLA `sw` rounds its attainment to 0.5%, and its target 98.3% is not a multiple") !=
        std::string::npos);
  // The step set finer makes the same target fine; coarser, not.
  CHECK(test::run_slac("eval " + file.string() + data + " --set tg=98.3% --set step=0.1%").exit_code == 0);
  CHECK(test::run_slac("eval " + file.string() + data + " --set step=2%").exit_code == 2);
  auto sweep = test::run_slac("whatif " + file.string() + data + " --sla sw --sweep tg=98%..99.5%/0.3%");
  CHECK(sweep.exit_code == 2);
  CHECK(sweep.err.find("--sweep tg=98%..99.5%/0.3%: tg=98.3%: SLA `sw` rounds") != std::string::npos);
  CHECK(test::run_slac("whatif " + file.string() + data + " --sla sw --sweep tg=98%..99.5%/0.5%").exit_code == 0);
  fs::remove(file);
}
