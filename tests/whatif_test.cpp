// `slac whatif`: every row equals a plain evaluation with the value set; sweeps are
// parsed by type; the recommendation follows its definition; errors are clear.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "compiler/loader.hpp"
#include "runtime/evaluate.hpp"
#include "tests/generators.hpp"
#include "tester/tester.hpp"
#include "tests/support.hpp"
#include "whatif/whatif.hpp"

using namespace slac;
namespace fs = std::filesystem;


TEST_CASE("whatif: each row equals an evaluation with the value set") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-whatif-{}", static_cast<long>(getpid()));
  int rows = 0;
  for (std::uint64_t seed = 500; seed < 540; ++seed) {
    gen::Case c = gen::make_case(seed);
    CAPTURE(seed);
    Compilation comp = compile_file("whatif.sla", c.contract);
    REQUIRE(comp.ok());
    const Model& m = comp.model;
    gen::write_plain_world(c, dir);
    std::vector<ParamValue> base;
    for (const auto& p : m.params) base.push_back(p.value);
    for (std::size_t sla = 0; sla < m.slas.size(); ++sla) {
      if (m.slas[sla].is_kpi) continue;
      std::vector<rt::Sweep> sweeps;
      std::string error;
      for (const char* text : {"target=50%..100%/12.5%", "n=0..2"}) {
        auto s = rt::parse_sweep(m, text, error);
        // A contract judging `for more than target` refuses 100% (nothing is more).
        if (!s && error.find("no attainment is more than 100%") != std::string::npos) {
          s = rt::parse_sweep(m, "target=50%..87.5%/12.5%", error);
        }
        REQUIRE(s);
        if (rt::sla_uses_param(m, sla, s->param)) sweeps.push_back(*s);
      }
      if (sweeps.empty()) continue;
      rt::LoadOptions all_raw;
      rt::Dataset data = rt::load_dataset(dir.string(), m, all_raw);
      auto span = rt::default_span(data, m.timezone, std::nullopt, std::nullopt, error);
      REQUIRE(span);
      auto result = rt::whatif(m, base, data, span->from, span->to, sla, sweeps);
      for (const auto& row : result.rows) {
        std::vector<ParamValue> params = base;
        for (std::size_t k = 0; k < sweeps.size(); ++k) params[sweeps[k].param] = row.values[k];
        rt::Dataset fresh = rt::load_dataset(dir.string(), m, all_raw);
        rt::Evaluation ev = rt::evaluate(lower(m, params), fresh, span->from, span->to, {sla});
        std::uint64_t judgements = 0, met = 0;
        if (m.slas[sla].grouping.estate_verdict()) {
          for (const auto& v : ev.verdicts) {
            ++judgements;
            met += v.met;
          }
        } else {
          for (const auto& r : ev.rows) {
            ++judgements;
            met += r.met;
          }
        }
        CHECK(row.judgements == judgements);
        CHECK(row.met == met);
        CHECK(row.penalty == ev.total_penalty);
        ++rows;
      }
    }
  }
  fs::remove_all(dir);
  CHECK(rows > 100);
}

TEST_CASE("whatif: sweeps of each type, and their errors") {
  Compilation c = compile_file("examples/acme-retail.sla");
  REQUIRE(c.ok());
  std::string error;
  auto t = rt::parse_sweep(c.model, "target=85%..99%/1%", error);
  REQUIRE(t);
  CHECK(t->values.size() == 15);
  CHECK(t->values.back().to_string() == "99%");
  auto d = rt::parse_sweep(c.model, "heartbeat_timeout=30m..2h/30m", error);
  REQUIRE(d);
  CHECK(d->values.size() == 4);
  CHECK(d->values[3].ms == 7'200'000);
  CHECK_FALSE(rt::parse_sweep(c.model, "target=85..99", error));
  CHECK(error.find("written with `%`") != std::string::npos);
  CHECK_FALSE(rt::parse_sweep(c.model, "heartbeat_timeout=30m..2h", error));
  CHECK(error.find("give a step") != std::string::npos);
  CHECK_FALSE(rt::parse_sweep(c.model, "targte=85%..99%", error));
  CHECK(error.find("did you mean `target`?") != std::string::npos);
  CHECK_FALSE(rt::parse_sweep(c.model, "target=99%..85%/1%", error));
  CHECK_FALSE(rt::parse_sweep(c.model, "target=0%..100%/0.01%", error));
  CHECK(error.find("more than 1000 values") != std::string::npos);
  CHECK_FALSE(rt::parse_sweep(c.model, "target", error));
}

TEST_CASE("whatif: the strictness of a param, and the recommendation") {
  Compilation c = compile_file("stdlib-contracts/ev-charging.sla");
  REQUIRE(c.ok());
  const Model& m = c.model;
  std::size_t sla = *m.find_sla("availability");
  std::string why;
  CHECK(rt::higher_is_stricter(m, sla, *m.find_param("target"), why) == true);
  CHECK(rt::higher_is_stricter(m, sla, *m.find_param("min_available"), why) == true);
  CHECK(rt::higher_is_stricter(m, sla, *m.find_param("warn_level"), why) == true);
  CHECK_FALSE(rt::higher_is_stricter(m, sla, *m.find_param("breach_penalty"), why));
  CHECK_FALSE(rt::higher_is_stricter(m, sla, *m.find_param("heartbeat_timeout"), why));
  CHECK(why.find("condition") != std::string::npos);
  Compilation r = compile_file("stdlib-contracts/repair.sla");
  CHECK(rt::higher_is_stricter(r.model, *r.model.find_sla("repair"), *r.model.find_param("max_repair"), why) == false);
  // The strictest value met in at least the share asked.
  rt::WhatifResult result;
  for (int v : {80, 85, 90, 95}) {
    rt::WhatifRow row;
    row.values.push_back(ParamValue{ParamType::percent, Decimal::integer(v), 0, false});
    row.judgements = 20;
    row.met = v == 95 ? 18 : v == 90 ? 19 : 20;
    result.rows.push_back(row);
  }
  auto pick = rt::recommend(result, *Decimal::parse("0.95"), true);
  REQUIRE(pick);
  CHECK(result.rows[*pick].values[0].to_string() == "90%");  // 19/20 = 0.95 exactly
  CHECK(rt::recommend(result, *Decimal::parse("0.951"), true).value() == 1);
  CHECK(rt::recommend(result, *Decimal::parse("0.95"), false).value() == 0);
  CHECK_FALSE(rt::recommend(result, *Decimal::parse("1.01"), true));
}

TEST_CASE("whatif: a `failed if over` share is stricter when lower, and each row is an evaluation") {
  const char* contract = R"(contract "Counted"
signal status : enum { ok, fault }
state up = status == ok
param share = 50%
sla minutes {
  in any calendar day, on any device,
  up
  counted in 10m intervals, failed if over share
  for at least 99%
  penalty 10
}
test "world" {
  site S
  device D at S
  at 2026-03-01 00:00 D status = ok
  at 2026-03-02 10:00 D status = fault
  at 2026-03-02 10:04 D status = ok
  at 2026-03-03 10:00 D status = fault
  at 2026-03-03 10:08 D status = ok
  at 2026-03-04 10:00 D status = fault
  at 2026-03-04 10:16 D status = ok
}
)";
  Compilation c = compile_file("counted.sla", contract);
  REQUIRE(c.ok());
  const Model& m = c.model;
  std::size_t share = *m.find_param("share");
  std::string why;
  CHECK(rt::higher_is_stricter(m, 0, share, why) == false);
  std::vector<ParamValue> base;
  for (const auto& p : m.params) base.push_back(p.value);
  std::string error;
  auto sweep = rt::parse_sweep(m, "share=0%..90%/10%", error);
  REQUIRE(sweep);
  std::int64_t from = *rt::parse_time("2026-03-02T00:00:00Z", error), to = *rt::parse_time("2026-03-05T00:00:00Z", error);
  rt::Dataset data = rt::test_dataset(m, m.tests.at(0));
  auto result = rt::whatif(m, base, data, from, to, 0, {*sweep});
  REQUIRE(result.rows.size() == 10);
  // Day 1: 4 of 10 minutes bad (40%); day 2: 80%; day 3: 10:00-10:10 wholly, 10:10-10:20
  // 60%. A day breaches when 20 or more minutes fail (99% of 1440 minutes is 1425.6).
  for (const auto& row : result.rows) {
    std::vector<ParamValue> params = base;
    params[share] = row.values[0];
    rt::Dataset fresh = rt::test_dataset(m, m.tests.at(0));
    rt::Evaluation ev = rt::evaluate(lower(m, params), fresh, from, to, {0});
    std::uint64_t met = 0;
    for (const auto& r : ev.rows) met += r.met;
    CHECK(row.met == met);
    CHECK(row.penalty == ev.total_penalty);
  }
  CHECK(result.rows[0].met == 2);  // over 0%: 10, 10 and 20 minutes fail
  CHECK(result.rows[5].met == 2);  // over 50%: 0, 10 and 20
  CHECK(result.rows[6].met == 3);  // over 60%: 0, 10 and 10
  CHECK(result.rows[9].met == 3);  // over 90%: 0, 0 and 10
  auto pick = rt::recommend(result, *Decimal::parse("0.9"), false);
  REQUIRE(pick);
  CHECK(result.rows[*pick].values[0].to_string() == "60%");  // the lowest share met everywhere
}

TEST_CASE("slac whatif: JSON, chart, recommendation and errors") {
  std::string base = "whatif examples/acme-retail.sla --data examples/ev-estate --sla availability ";
  auto r = test::run_slac(base + "--sweep target=85%..99%/1% --recommend 0.95 --format json");
  CHECK(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["sla"] == "availability");
  REQUIRE(j["rows"].size() == 15);
  CHECK(j["rows"][0]["params"]["target"] == 0.85);
  CHECK(j["rows"][5]["params"]["target"] == 0.9);
  CHECK(j["rows"][5]["group_windows"] == 60);
  CHECK(j["rows"][5]["met"] == 58);
  CHECK(j["rows"][5]["breaches"] == 2);
  CHECK(j["rows"][5]["penalty"] == 20000);
  CHECK(j["recommended"]["target"] == 0.97);
  // The row for 90% is what eval says with the declared target.
  auto ev = nlohmann::json::parse(
      test::run_slac("eval examples/acme-retail.sla --data examples/ev-estate --sla availability --format json").out);
  CHECK(ev["totals"]["penalty"] == j["rows"][5]["penalty"]);
  fs::path chart = fs::temp_directory_path() / fmt::format("slac-chart-{}.svg", static_cast<long>(getpid()));
  CHECK(test::run_slac(base + "--sweep target=85%..99%/1% --recommend 0.95 --format csv --chart " + chart.string()).exit_code == 0);
  std::string svg = test::read_file(chart.string());
  CHECK(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(svg.find("<polyline") != std::string::npos);
  // Drawn by the chart module (issue 16): an accessible name, the period judged and the
  // judgement count in the caption (the span eval judges: its from and to as local
  // dates), a legend, the recommended value marked, penalty
  // ticks at round values, and each mark's figure in its title.
  CHECK(svg.find("<title>What if: availability</title>") != std::string::npos);
  CHECK(svg.find(">target from 85% to 99%; judged 2026-01-31 to 2026-05-01 (Europe/London); 60 judgements per value</text>") !=
        std::string::npos);
  CHECK(svg.find(">share met</text>") != std::string::npos);
  CHECK(svg.find(">penalty (GBP)</text>") != std::string::npos);
  CHECK(svg.find(">recommended: 97%</text>") != std::string::npos);
  CHECK(svg.find("stroke-dasharray=\"4 3\"") != std::string::npos);
  CHECK(svg.find("<title>target = 90%: 58 of 60 met</title>") != std::string::npos);
  CHECK(svg.find("<title>target = 90%: penalty 20,000 GBP</title>") != std::string::npos);
  for (const char* tick : {">0</text>", ">20,000</text>", ">80,000</text>", ">100%</text>", ">0%</text>"}) {
    CAPTURE(tick);
    CHECK(svg.find(tick) != std::string::npos);
  }
  // The same input, the same bytes.
  CHECK(test::run_slac(base + "--sweep target=85%..99%/1% --recommend 0.95 --format csv --chart " + chart.string()).exit_code == 0);
  CHECK(test::read_file(chart.string()) == svg);
  fs::remove(chart);
  // Errors.
  auto e1 = test::run_slac(base + "--sweep tarqet=85%..99%");
  CHECK(e1.exit_code == 2);
  CHECK(e1.err.find("did you mean `target`?") != std::string::npos);
  // Without --sla, the contract's only SLA (its KPI has no terms).
  auto e2 = test::run_slac("whatif examples/acme-retail.sla --data examples/ev-estate --sweep target=89%..90% --format json");
  CHECK(e2.exit_code == 0);
  CHECK(e2.out == test::run_slac(base + "--sweep target=89%..90% --format json").out);
  auto several = test::run_slac("whatif tests/eval/penalties/contract.sla --data tests/eval/penalties --sweep target=85%..99%");
  CHECK(several.exit_code == 2);
  CHECK(several.err.find("SLAs (`") != std::string::npos);
  CHECK(several.err.find("); name one with --sla") != std::string::npos);
  auto two = test::run_slac(base + "--sla availability --sweep target=85%..99%");
  CHECK(two.exit_code == 2);
  CHECK(two.err.find("exactly one SLA") != std::string::npos);
  // The chart is SVG: another suffix is refused before any work, and nothing is written.
  fs::path png = fs::temp_directory_path() / fmt::format("slac-chart-{}.png", static_cast<long>(getpid()));
  auto png_refused = test::run_slac(base + "--sweep target=85%..99% --chart " + png.string());
  CHECK(png_refused.exit_code == 2);
  CHECK(png_refused.err == fmt::format("slac whatif: --chart {}: the chart is SVG; name a file ending in `.svg`, not `.png`\n", png.string()));
  CHECK(!fs::exists(png));
  CHECK(test::run_slac(base + "--sweep target=85%..99% --chart chart").exit_code == 2);
  fs::path upper = fs::temp_directory_path() / fmt::format("slac-chart-{}.SVG", static_cast<long>(getpid()));
  CHECK(test::run_slac(base + "--sweep target=89%..90% --format csv --chart " + upper.string()).exit_code == 0);
  CHECK(fs::exists(upper));
  fs::remove(upper);
  auto e3 = test::run_slac("whatif examples/acme-retail.sla --data examples/ev-estate --sla charger_uptime --sweep target=85%..99%");
  CHECK(e3.exit_code == 2);
  CHECK(e3.err.find("is a KPI") != std::string::npos);
  auto e4 = test::run_slac(base + "--sweep heartbeat_timeout=30m..2h/30m --recommend 0.9");
  CHECK(e4.exit_code == 2);
  CHECK(e4.err.find("stricter is not defined") != std::string::npos);
  // The same hints as in a contract and on --set.
  auto e5 = test::run_slac(base + "--sweep target=0.85..0.99/0.01");
  CHECK(e5.exit_code == 2);
  CHECK(e5.err.find("`0.85` reads as a fraction, so write `85%`") != std::string::npos);
  auto e6 = test::run_slac(base + "--sweep heartbeat_timeout=0.5h..2h/30mins");
  CHECK(e6.exit_code == 2);
  CHECK(e6.err.find("a fraction is written in a smaller unit: `30m`") != std::string::npos);
}

TEST_CASE("slac whatif: a param the SLA does not use is an error") {
  auto u = test::run_slac("whatif tests/whatif/unused.sla --data tests/eval/month_budget --sla availability --sweep other=1..3");
  CHECK(u.exit_code == 2);
  CHECK(u.err.find("SLA `availability` does not use param `other`") != std::string::npos);
}

TEST_CASE("slac whatif: --help says --sla takes one SLA") {
  auto help = test::run_slac("whatif --help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("the SLA to replay (one SLA, not a KPI; may be left out when the contract has one)") != std::string::npos);
  CHECK(help.out.find("judge only this SLA or KPI (repeatable)") == std::string::npos);
}

TEST_CASE("whatif: sweeping an event measure's target, each row as eval --set") {
  const std::string data = "tests/eval/event_attempts/contract.sla --data tests/eval/event_attempts --from 2026-03-01 --to 2026-04-01";
  auto j = nlohmann::json::parse(
      test::run_slac("whatif " + data + " --sla attempts --sweep target=30%..60%/10% --recommend 0.9 --format json").out);
  REQUIRE(j["rows"].size() == 4);
  // S1 has 2 good attempts of 5: 40% meets, exactly; 50% does not.
  CHECK(j["rows"][1]["met"] == 3);
  CHECK(j["rows"][2]["met"] == 2);
  CHECK(j["rows"][2]["penalty"] == 500);
  CHECK(j["recommended"]["target"] == 0.4);
  for (int k = 0; k < 4; ++k) {
    auto ev = nlohmann::json::parse(
        test::run_slac(fmt::format("eval {} --sla attempts --format json --set target={}%", data, 30 + 10 * k)).out);
    CHECK(ev["totals"]["penalty"] == j["rows"][static_cast<std::size_t>(k)]["penalty"]);
  }
}

TEST_CASE("slac whatif: a sweep of the target of `on average per device`, exactly") {
  // The mean is 173/224 = 77.23%: met at 77%, breached from 77.5% on.
  auto r = test::run_slac("whatif tests/whatif/averages.sla --data tests/eval/averages_two_zones --from 2026-03-02 --to 2026-03-03 "
                          "--sla per_device --sweep target=76.5%..78%/0.5% --format json");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["rows"].size() == 4);
  CHECK(j["rows"][0]["met"] == 1);
  CHECK(j["rows"][1]["met"] == 1);
  CHECK(j["rows"][2]["met"] == 0);
  CHECK(j["rows"][2]["penalty"] == 100);
  CHECK(j["rows"][3]["met"] == 0);
  CHECK(j["recommended"].is_null());
}

TEST_CASE("whatif: sweeping a param inside a penalty amount, each row as eval --set") {
  const std::string data =
      "tests/eval/amounts_cloud_credits/contract.sla --data tests/eval/amounts_cloud_credits --from 2026-03-01 --to 2026-04-01";
  auto j = nlohmann::json::parse(
      test::run_slac("whatif " + data + " --sla fee_shortfall --sweep annual_fee=12000..36000/12000 --format json").out);
  REQUIRE(j["rows"].size() == 3);
  // The shortfalls (0.000344086, 0.012440860, 0.063516129) times fee / 12, each rounded
  // to the cent: 0.34 + 12.44 + 63.52 at 12,000; 0.69 + 24.88 + 127.03 at 24,000.
  CHECK(j["rows"][0]["penalty"] == 76.3);
  CHECK(j["rows"][1]["penalty"] == 152.6);
  for (int k = 0; k < 3; ++k) {
    auto ev = nlohmann::json::parse(test::run_slac(
        fmt::format("eval {} --sla fee_shortfall --format json --set annual_fee={}", data, 12000 * (k + 1))).out);
    CHECK(ev["totals"]["penalty"] == j["rows"][static_cast<std::size_t>(k)]["penalty"]);
    CHECK(j["rows"][static_cast<std::size_t>(k)]["breaches"] == 3);
  }
}

TEST_CASE("slac whatif: a sweep of the target of `mean of`, exactly, and of a param inside it") {
  // S1's mean is 1122.834 / 1126 = 99.7188...%, S2's 99.95% (tests/eval/mean_error_rate).
  const std::string base = "whatif tests/whatif/means.sla --data tests/eval/mean_error_rate --from 2026-03-01 --to 2026-04-01 "
                           "--sla s3 --format json ";
  auto r = test::run_slac(base + "--sweep target=99.7%..99.95%/0.05%");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["rows"].size() == 6);
  for (std::size_t k = 0; k < 6; ++k) CHECK(j["rows"][k]["met"] == (k == 0 ? 2 : 1));
  CHECK(j["rows"][1]["penalty"] == 100);
  CHECK(j["recommended"].is_null());
  // Twice the error rate: S2's mean is 99.9% exactly, S1's 1119.668 / 1126 = 99.4376...%.
  auto w = nlohmann::json::parse(test::run_slac(base + "--sweep weight=1..2/1").out);
  REQUIRE(w["rows"].size() == 2);
  CHECK(w["rows"][0]["met"] == 1);
  CHECK(w["rows"][1]["met"] == 1);
  auto ev = nlohmann::json::parse(test::run_slac("eval tests/whatif/means.sla --data tests/eval/mean_error_rate --from 2026-03-01 "
                                                 "--to 2026-04-01 --format json --set weight=2 --set target=99.4%").out);
  CHECK(ev["results"][0]["met"] == true);
  CHECK(ev["results"][1]["attainment"] == 0.999);
}
