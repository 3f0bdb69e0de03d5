// Differential testing: random contracts and datasets, evaluated by the runtime (from
// files on disk, through the CSV and JSONL readers) and by the brute-force oracle, must
// agree exactly. SLAC_DIFF_CASES sets the number of cases (default 400), SLAC_DIFF_SEED
// the first seed.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <cmath>
#include <random>
#include <sstream>

#include "compiler/loader.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/ingest/dataset.hpp"
#include "runtime/output.hpp"
#include "status/status.hpp"
#include "tests/generators.hpp"
#include "tests/oracle.hpp"
#include "tests/support.hpp"

using namespace slac;
namespace fs = std::filesystem;

namespace {

using namespace slac::gen;

void write_world(const Case& c, const fs::path& dir) {
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "sites.csv");
    f << "site,timezone,capacity,vip,unused\n";
    for (const auto& [id, a] : c.world.sites) {
      auto get = [&](const char* k) { return a.contains(k) ? a.at(k) : std::string(); };
      f << id << "," << get("timezone") << "," << get("capacity") << "," << get("vip") << ",x\n";
    }
  }
  {
    std::ofstream f(dir / "devices.csv");
    f << "device,site,kind,weight\n";
    for (const auto& [id, site, a] : c.world.devices) {
      auto get = [&](const char* k) { return a.contains(k) ? a.at(k) : std::string(); };
      f << id << "," << site << "," << get("kind") << "," << get("weight") << "\r\n";
    }
  }
  fs::remove(dir / "events.csv");
  fs::remove(dir / "events.jsonl");
  if (c.jsonl) {
    std::ofstream f(dir / "events.jsonl");
    for (const auto& e : c.world.events) {
      f << "{\"time\": " << e.time << ", \"entity\": \"" << e.entity << "\", \"signal\": \"" << e.signal << "\"";
      if (!e.value.empty()) {
        bool number = e.signal == "temp";
        f << ", \"value\": " << (number ? e.value : "\"" + e.value + "\"");
      }
      f << "}\n";
    }
  } else {
    std::ofstream f(dir / "events.csv");
    f << "time,entity,signal,value\n";
    for (const auto& e : c.world.events) {
      // Mix RFC 3339 and epoch milliseconds, and quote some fields.
      std::string t = (e.time / 60'000) % 3 == 0 ? std::to_string(e.time) : format_instant(e.time);
      f << t << "," << e.entity << "," << (e.signal == "status" ? "\"status\"" : e.signal) << "," << e.value << "\n";
    }
  }
}

std::string describe_row(const std::string& sla, std::int64_t s, std::int64_t e, const std::string& g, std::int64_t m,
                         std::int64_t good, std::int64_t outages, std::int64_t longest, bool met, bool near,
                         const std::optional<Decimal>& p, const std::optional<Decimal>& rounded) {
  return fmt::format("{} [{} {}) {} measured={} good={} outages={} longest={} met={} near={} penalty={} rounded={}", sla,
                     format_instant(s), format_instant(e), g, m, good, outages, longest, met, near,
                     p ? p->to_string() : "-", rounded ? rounded->to_string() : "-");
}

// The case's --from and --to (local midnights of the contract's zone), if it has them.
std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>> case_span(const Case& c, const Model& m) {
  if (!c.from_text) return {};
  auto midnight = [&](const std::string& text) {
    int y;
    unsigned mo, d;
    std::sscanf(text.c_str(), "%d-%u-%u", &y, &mo, &d);
    return local_to_utc(m.timezone, days_from_civil(y, mo, d) * ms_per_day);
  };
  return {midnight(*c.from_text), midnight(*c.to_text)};
}

// `eval --format csv` of a contract on a world written to `dir`.
std::string eval_csv_of(const std::string& contract, const Case& c, const fs::path& dir) {
  Compilation comp = compile_file("case.sla", contract);
  REQUIRE_MESSAGE(comp.ok(), test::joined(test::describe(comp.diags, comp.program->sources)));
  std::vector<ParamValue> params;
  for (const auto& p : comp.model.params) params.push_back(p.value);
  Plan plan = lower(comp.model, params);
  std::vector<std::size_t> all;
  for (std::size_t i = 0; i < comp.model.slas.size(); ++i) all.push_back(i);
  rt::Dataset data = rt::load_dataset(dir.string(), comp.model, rt::LoadOptions{});
  auto [from, to] = case_span(c, comp.model);
  std::string error;
  auto span = rt::default_span(data, comp.model.timezone, from, to, error);
  REQUIRE_MESSAGE(span, error);
  return rt::eval_csv(plan, rt::evaluate(plan, data, span->from, span->to, all));
}

}  // namespace

TEST_CASE("property: `up to D each` with D longer than every interval is the identity") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-capped-{}", static_cast<long>(getpid()));
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    Case c = make_case(seed);
    write_world(c, dir);
    // Every state and condition of the SLAs, capped at 100 years: longer than the data.
    std::string capped;
    std::istringstream in(c.contract);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("state ")) {
        auto eq = line.find(" = ");
        line = line.substr(0, eq + 3) + "(" + line.substr(eq + 3) + ") up to 36500d each";
      } else if (line.starts_with("  only ") || line.starts_with("  excluding ")) {
        auto sp = line.find(' ', 2);
        line = line.substr(0, sp + 1) + "(" + line.substr(sp + 1) + ") up to 36500d each";
      }
      capped += line + "\n";
    }
    INFO(capped);
    CHECK(eval_csv_of(capped, c, dir) == eval_csv_of(c.contract, c, dir));
  }
  fs::remove_all(dir);
}

TEST_CASE("differential: runtime and brute-force oracle agree on random contracts and data") {
  int cases = 400;
  if (const char* n = std::getenv("SLAC_DIFF_CASES")) cases = std::atoi(n);
  std::uint64_t first = 1;
  if (const char* s = std::getenv("SLAC_DIFF_SEED")) first = std::strtoull(s, nullptr, 10);
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-diff-{}", static_cast<long>(getpid()));
  int compared_rows = 0, average_rows = 0, event_rows = 0, mean_rows = 0, capped_cases = 0;
  int site_zone_rows = 0;  // rows of windows `in site timezone` in a zone not the contract's
  for (std::uint64_t seed = first; seed < first + static_cast<std::uint64_t>(cases); ++seed) {
    Case c = make_case(seed);
    CAPTURE(seed);
    Compilation comp = compile_file("diff.sla", c.contract);
    INFO(c.contract);
    REQUIRE_MESSAGE(comp.ok(), test::joined(test::describe(comp.diags, comp.program->sources)));
    const Model& m = comp.model;
    write_world(c, dir);
    std::vector<ParamValue> params;
    for (const auto& p : m.params) params.push_back(p.value);
    Plan plan = lower(m, params);
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < m.slas.size(); ++i) all.push_back(i);
    // Read as the CLI would (only what the plan needs, heartbeats as runs), in parallel
    // parts and small blocks, or everything raw.
    Rng io(seed * 31 + 7);
    rt::LoadOptions options;
    if (chance(io, 0.7)) options.storage = rt::signal_storage(plan, all);
    options.threads = static_cast<std::size_t>(pick(io, 1, 3));
    options.block_size = chance(io, 0.5) ? static_cast<std::size_t>(pick(io, 16, 4096)) : (8u << 20);
    if (chance(io, 0.5)) options.prefetch_from = 0;  // rows taken in late, fetched ahead
    rt::Dataset data = rt::load_dataset(dir.string(), m, options);
    auto [from, to] = case_span(c, m);
    std::string error;
    auto span = rt::default_span(data, m.timezone, from, to, error);
    REQUIRE_MESSAGE(span, error);
    rt::Evaluation got = rt::evaluate(plan, data, span->from, span->to, all);
    if (c.contract.find(" up to ") != std::string::npos) ++capped_cases;

    oracle::Oracle o(m, c.world);
    oracle::Result want = o.run(from, to);
    CHECK(format_instant(got.from) == format_instant(want.from));
    CHECK(format_instant(got.to) == format_instant(want.to));
    REQUIRE(got.rows.size() == want.rows.size());
    for (std::size_t i = 0; i < got.rows.size(); ++i) {
      const auto& g = got.rows[i];
      const auto& w = want.rows[i];
      bool kpi = m.slas[g.sla].is_kpi;
      std::string gs = describe_row(plan.slas[g.sla].name, g.window_start, g.window_end, g.group, g.measured, g.good,
                                    static_cast<std::int64_t>(g.outages), g.longest_outage, kpi || g.met, !kpi && g.near_miss,
                                    kpi ? std::nullopt : g.penalty, g.rounded_attainment);
      std::string ws = describe_row(w.sla, w.start, w.end, w.group, w.measured, w.good, w.outages, w.longest,
                                    kpi || w.met, !kpi && w.near_miss, kpi ? std::nullopt : w.penalty, w.rounded);
      CHECK(gs == ws);
      if (gs != ws) break;
      // `on average` and event measures: outages undefined; the per-device mean as the
      // oracle's rational.
      CHECK(g.outages_defined == w.outages_defined);
      REQUIRE(g.mean.has_value() == w.mean.has_value());
      // (`mean of` may average numbers far from 1: the bound is relative.)
      if (g.mean) {
        double want_mean = w.mean->convert_to<double>();
        CHECK(std::abs(g.mean->to_double() - want_mean) <= 1e-15 * std::max(1.0, std::abs(want_mean)));
      }
      if (g.zone != 0) ++site_zone_rows;
      if (device_average(plan.slas[g.sla].requirement)) ++average_rows;
      if (plan.slas[g.sla].requirement == RequirementKind::events) ++event_rows;
      if (plan.slas[g.sla].requirement == RequirementKind::mean && g.mean) ++mean_rows;
      ++compared_rows;
    }
    REQUIRE(got.verdicts.size() == want.verdicts.size());
    for (std::size_t i = 0; i < got.verdicts.size(); ++i) {
      const auto& g = got.verdicts[i];
      const auto& w = want.verdicts[i];
      CHECK(fmt::format("{} {} {} {} {} {}", plan.slas[g.sla].name, g.window_start, g.groups, g.groups_met, g.met,
                        g.penalty.to_string()) ==
            fmt::format("{} {} {} {} {} {}", w.sla, w.start, w.groups, w.groups_met, w.met, w.penalty.to_string()));
    }
  }
  fs::remove_all(dir);
  MESSAGE("compared rows: " << compared_rows << ", of which `on average`: " << average_rows
                            << ", event measures: " << event_rows << ", means measured: " << mean_rows
                            << "; cases with capped conditions: " << capped_cases
                            << "; rows in a site's own zone: " << site_zone_rows);
  CHECK(average_rows > 0);
  CHECK(mean_rows > 0);
  CHECK(capped_cases > 0);
  CHECK(site_zone_rows > 0);
  CHECK(event_rows > 0);
}

TEST_CASE("differential: status agrees with the oracle on so-far figures, budgets, states and breach_at") {
  int cases = 120;
  if (const char* n = std::getenv("SLAC_DIFF_CASES")) cases = std::atoi(n) / 3 + 1;
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-status-{}", static_cast<long>(getpid()));
  int compared = 0;
  for (std::uint64_t seed = 1000; seed < 1000 + static_cast<std::uint64_t>(cases); ++seed) {
    Case c = make_case(seed);
    CAPTURE(seed);
    Compilation comp = compile_file("status.sla", c.contract);
    REQUIRE(comp.ok());
    const Model& m = comp.model;
    write_world(c, dir);
    std::vector<ParamValue> params;
    for (const auto& p : m.params) params.push_back(p.value);
    Plan plan = lower(m, params);
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < m.slas.size(); ++i) all.push_back(i);
    Rng rng(seed);
    for (int k = 0; k < 3; ++k) {
      // A whole minute in the span, sometimes exactly a local midnight (a window's first
      // instant) or a minute before one.
      std::int64_t minutes = (c.span_end - c.span_start) / 60'000;
      std::int64_t T = c.span_start + std::uniform_int_distribution<std::int64_t>(1, minutes - 1)(rng) * 60'000;
      if (k == 1) T = local_to_utc(m.timezone, (floor_div(utc_to_local(m.timezone, T), ms_per_day) + 1) * ms_per_day);
      if (k == 2) T = local_to_utc(m.timezone, (floor_div(utc_to_local(m.timezone, T), ms_per_day) + 1) * ms_per_day) - 60'000;
      CAPTURE(format_instant(T));
      rt::LoadOptions options;
      options.ignore_after = T - 1;
      options.storage = rt::signal_storage(plan, all);
      rt::Dataset data = rt::load_dataset(dir.string(), m, options);
      auto got = rt::status(plan, data, T, all, rt::StatusOptions{});
      oracle::Oracle o(m, c.world);
      auto want = o.status(T);
      REQUIRE(got.size() == want.size());
      std::map<std::string, std::string> by_key;
      auto key = [](const std::string& sla, std::int64_t ws, std::int64_t we, const std::string& g) {
        return fmt::format("{} {} {} {}", sla, ws, we, g);
      };
      for (const auto& w : want) {
        by_key[key(w.sla, w.start, w.end, w.group)] =
            fmt::format("so_far={}/{} total={} budget={} used={} left={} failing={} state={} breach_at={}", w.good_so_far,
                        w.measured_so_far, w.measured_total, w.has_budget ? w.budget.to_string() : "-", w.used,
                        w.has_budget ? w.left.to_string() : "-", w.failing_now, w.state,
                        w.breach_at ? format_instant(*w.breach_at) : "-");
      }
      for (const auto& g : got) {
        std::string k2 = key(plan.slas[g.sla].name, g.window_start, g.window_end, g.group);
        REQUIRE(by_key.contains(k2));
        std::string line = fmt::format("so_far={}/{} total={} budget={} used={} left={} failing={} state={} breach_at={}",
                                       g.good_so_far, g.measured_so_far, g.measured_total,
                                       g.has_budget ? g.budget.to_string() : "-", g.budget_used,
                                       g.has_budget ? g.budget_left.to_string() : "-", g.failing_now, rt::state_name(g.state),
                                       g.breach_at ? format_instant(*g.breach_at) : "-");
        CAPTURE(k2);
        CHECK(line == by_key[k2]);
        // Exactly 1 when secured, 0 when breached, and never either otherwise (issue
        // 15); null only for `mean of` (no model of how numbers move).
        if (g.state == rt::GroupState::secured) CHECK(g.p_meet == 1.0);
        if (g.state == rt::GroupState::breached) CHECK(g.p_meet == 0.0);
        if (g.state != rt::GroupState::secured && g.state != rt::GroupState::breached && g.p_meet) {
          CHECK(*g.p_meet > 0);
          CHECK(*g.p_meet < 1);
        }
        ++compared;
      }
      // The order: failing and not breached (soonest breach first), the others by budget
      // left, breached last.
      auto rank = [](const rt::StatusRow& r) { return r.state == rt::GroupState::breached ? 2 : r.failing_now ? 0 : 1; };
      for (std::size_t i = 1; i < got.size(); ++i) {
        CHECK(rank(got[i - 1]) <= rank(got[i]));
        if (rank(got[i - 1]) == 0 && rank(got[i]) == 0 && got[i].breach_at) {
          CHECK(got[i - 1].breach_at.has_value());
          CHECK(*got[i - 1].breach_at <= *got[i].breach_at);
        }
        if (rank(got[i - 1]) == 1 && rank(got[i]) == 1 && got[i - 1].has_budget && got[i].has_budget) {
          CHECK(got[i - 1].budget_left <= got[i].budget_left);
        }
      }
    }
  }
  fs::remove_all(dir);
  MESSAGE("compared status rows: " << compared);
}

TEST_CASE("device mean: exact comparisons, and the double nearest to the mean") {
  rt::DeviceMean m;
  m.add(5, 7);
  m.add(7, 7);
  m.add(7, 8);
  m.add(2, 4);
  CHECK(m.devices() == 4);
  CHECK(m.to_double() == 173.0 / 224.0);  // one rounding of exact integers: the nearest
  CHECK(m.compare_fraction(*Decimal::parse("0.7723214285714285")) > 0);
  CHECK(m.compare_fraction(*Decimal::parse("0.7723214285714286")) < 0);
  CHECK(m.compare_percent(*Decimal::parse("77.23214285714285")) > 0);
  // 1/3 and 1: exactly 2/3, never equal to a decimal.
  rt::DeviceMean third;
  third.add(1, 3);
  third.add(3, 3);
  CHECK(third.to_double() == 2.0 / 3.0);
  CHECK(third.compare_percent(*Decimal::parse("66.666666666666666")) > 0);
  CHECK(third.compare_percent(*Decimal::parse("66.666666666666667")) < 0);
  // Many devices with coprime month lengths: the sum's denominator outgrows 128 bits.
  rt::DeviceMean many;
  boost::multiprecision::cpp_rational exact;
  for (std::int64_t d = 0; d < 200; ++d) {
    std::int64_t measured = 2'678'400'000 - 7 * d - 1, good = measured - 60'000 * (d % 13);
    many.add(good, measured);
    exact += boost::multiprecision::cpp_rational(good, measured);
  }
  exact /= 200;
  CHECK(many.to_double() == exact.convert_to<double>());
  CHECK(many.compare_percent(Decimal::integer(100)) < 0);
  rt::DeviceMean all_good;
  all_good.add(10, 10);
  CHECK(all_good.compare_percent(Decimal::integer(100)) == 0);
  CHECK(all_good.to_double() == 1.0);
  rt::DeviceMean none_good;
  none_good.add(0, 10);
  CHECK(none_good.to_double() == 0.0);
  CHECK(none_good.compare_fraction(Decimal::integer(0)) == 0);
}
