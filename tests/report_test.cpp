// `slac report` (SPEC 5.5): the outage timelines count what eval counts, every figure
// in the HTML is eval's, the file is deterministic and self-contained, and its errors
// are clear. The report in a real browser is tests/browser/report.test.mjs.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "compiler/loader.hpp"
#include "report/figures.hpp"
#include "runtime/evaluate.hpp"
#include "tests/generators.hpp"
#include "tests/support.hpp"

using namespace slac;
namespace fs = std::filesystem;

TEST_CASE("window_timeline: its outages, measured time and downtime are the evaluation's") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-timeline-{}", static_cast<long>(getpid()));
  std::size_t checked = 0, with_outages = 0, undefined = 0;
  for (std::uint64_t seed = 900; seed < 960; ++seed) {
    gen::Case c = gen::make_case(seed);
    CAPTURE(seed);
    Compilation comp = compile_file("timeline.sla", c.contract);
    REQUIRE(comp.ok());
    gen::write_plain_world(c, dir);
    std::vector<ParamValue> params;
    for (const auto& p : comp.model.params) params.push_back(p.value);
    Plan plan = lower(comp.model, params);
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < plan.slas.size(); ++i) all.push_back(i);
    rt::LoadOptions raw;
    rt::Dataset data = rt::load_dataset(dir.string(), comp.model, raw);
    std::string error;
    auto span = rt::default_span(data, comp.model.timezone, std::nullopt, std::nullopt, error);
    REQUIRE(span);
    auto series = rt::build_series(plan, data, rt::timeline_start(data, span->from), span->to, span->from, span->to, all);
    rt::Evaluation ev = rt::judge(plan, series, span->from, span->to);
    for (const auto& r : ev.rows) {
      const rt::SlaSeries* s = nullptr;
      for (const auto& x : series) {
        if (x.sla == r.sla) s = &x;
      }
      REQUIRE(s != nullptr);
      auto g = std::find_if(s->groups.begin(), s->groups.end(), [&](const auto& x) { return x.id == r.group; });
      REQUIRE(g != s->groups.end());
      auto t = rt::window_timeline(plan, *s, *g, r.window_start, r.window_end);
      const SlaPlan& sla = plan.slas[r.sla];
      bool events = sla.requirement == RequirementKind::events;
      CHECK(t.has_value() == (r.outages_defined && !events && sla.requirement != RequirementKind::mean));
      if (!t) {
        ++undefined;
        continue;
      }
      CAPTURE(r.group);
      CAPTURE(r.window_start);
      std::int64_t measured = 0, down = 0, longest = 0, previous_end = r.window_start;
      for (auto [a, b] : t->measured) {
        CHECK(a >= previous_end);  // in order, apart, inside the window
        CHECK(a < b);
        previous_end = b;
        measured += b - a;
      }
      CHECK(previous_end <= r.window_end);
      for (auto [a, b] : t->downtime) down += b - a;
      for (const auto& o : t->outages) {
        CHECK(o.start >= r.window_start);
        CHECK(o.end <= r.window_end);
        CHECK(o.measured > 0);
        CHECK(o.measured <= o.end - o.start);
        longest = std::max(longest, o.measured);
      }
      CHECK(measured == r.measured);
      CHECK(down == r.measured - r.good);
      CHECK(t->outages.size() == r.outages);
      CHECK(longest == r.longest_outage);
      ++checked;
      if (r.outages > 0) ++with_outages;
    }
  }
  fs::remove_all(dir);
  // The cases reach every kind: time measures with and without outages, and averages.
  CHECK(checked > 100);
  CHECK(with_outages > 20);
  CHECK(undefined > 0);
}

namespace {

std::string attribute(std::string_view tag, std::string_view name) {
  std::string key = fmt::format(" {}=\"", name);
  auto at = tag.find(key);
  if (at == std::string_view::npos) return "(absent)";
  at += key.size();
  return std::string(tag.substr(at, tag.find('"', at) - at));
}

// The opening tags of the elements whose tag starts with `prefix`, between `from` and `to`.
std::vector<std::string> tags(std::string_view html, std::string_view prefix, std::size_t from = 0,
                              std::size_t to = std::string::npos) {
  std::vector<std::string> out;
  for (std::size_t at = html.find(prefix, from); at < to && at != std::string_view::npos; at = html.find(prefix, at + 1)) {
    out.emplace_back(html.substr(at, html.find('>', at) - at + 1));
  }
  return out;
}

std::string json_text(const nlohmann::json& v) { return v.is_null() ? "(absent)" : v.dump(); }

std::string number_text(const nlohmann::json& v) {
  // nlohmann prints doubles in shortest round-trip form, as eval does.
  return v.is_null() ? "(absent)" : v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

TEST_CASE("slac report: every figure of the bundled example is eval's") {
  fs::path out = fs::temp_directory_path() / fmt::format("slac-report-{}.html", static_cast<long>(getpid()));
  std::string args = "examples/acme-retail.sla --data examples/ev-estate";
  auto r = test::run_slac(fmt::format("report {} -o {}", args, out.string()));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("report written to " + out.string()) != std::string::npos);
  std::string html = test::read_file(out.string());
  auto e = test::run_slac("eval " + args + " --format json");
  REQUIRE(e.exit_code == 0);
  auto j = nlohmann::json::parse(e.out);

  CHECK(attribute(tags(html, "<span class=\"big\" id=\"total-penalty\"")[0], "data-amount") == number_text(j["totals"]["penalty"]));
  std::string coverage = tags(html, "<dl id=\"coverage\"")[0];
  CHECK(attribute(coverage, "data-events") == json_text(j["data"]["events"]));
  CHECK(attribute(coverage, "data-skipped-rows") == json_text(j["data"]["skipped_rows"]));
  CHECK(attribute(coverage, "data-first-event") == j["coverage"]["first_event"].get<std::string>());
  CHECK(attribute(coverage, "data-last-event") == j["coverage"]["last_event"].get<std::string>());
  std::string period = tags(html, "<p id=\"period\"")[0];
  CHECK(attribute(period, "data-from") == j["from"].get<std::string>());
  CHECK(attribute(period, "data-to") == j["to"].get<std::string>());

  // Each result row is a heat-map cell of its SLA's section, in its group's row.
  std::size_t cells = 0;
  for (const auto& row : j["results"]) {
    std::string sla = row["sla"].get<std::string>();
    CAPTURE(sla);
    std::size_t section = html.find(fmt::format("<section class=\"sla{}\" id=\"sla-{}\"", row["kind"] == "kpi" ? " kpi" : "", sla));
    REQUIRE(section != std::string::npos);
    std::size_t heat = html.find("<table class=\"heatmap", section);
    std::size_t tr = html.find(fmt::format("<tr data-group=\"{}\">", row["group"].get<std::string>()), heat);
    REQUIRE(tr != std::string::npos);
    std::size_t tr_end = html.find("</tr>", tr);
    const std::string start = row["window"]["start"].get<std::string>();
    std::string cell;
    for (const auto& td : tags(html, "<td class=", tr, tr_end)) {
      if (attribute(td, "data-window-start") == start) cell = td;
    }
    REQUIRE(!cell.empty());
    CAPTURE(cell);
    CHECK(attribute(cell, "data-attainment") == number_text(row["attainment"]));
    CHECK(attribute(cell, "data-measured-s") == number_text(row["measured_s"]));
    CHECK(attribute(cell, "data-good-s") == number_text(row["good_s"]));
    CHECK(attribute(cell, "data-outages") == number_text(row["outages"]));
    CHECK(attribute(cell, "data-longest-outage-s") == number_text(row["longest_outage_s"]));
    CHECK(attribute(cell, "data-penalty") == number_text(row["penalty"]));
    CHECK(attribute(cell, "data-met") == (row["met"].is_null() ? "(absent)" : row["met"].dump()));
    CHECK(attribute(cell, "data-near-miss") == (row["near_miss"].is_null() ? "(absent)" : row["near_miss"].dump()));
    ++cells;
  }
  CHECK(cells == tags(html, "<td class=\"met\"").size() + tags(html, "<td class=\"breach\"").size() +
                     tags(html, "<td class=\"near-miss\"").size() + tags(html, "<td class=\"kpi\"").size());
  // Each verdict is a row of its SLA's verdict table.
  std::vector<std::string> verdict_rows = tags(html, "<tr data-window-start=");
  REQUIRE(verdict_rows.size() == j["verdicts"].size());
  for (std::size_t i = 0; i < verdict_rows.size(); ++i) {
    const auto& v = j["verdicts"][i];
    CHECK(attribute(verdict_rows[i], "data-window-start") == v["window"]["start"].get<std::string>());
    CHECK(attribute(verdict_rows[i], "data-met") == v["met"].dump());
    CHECK(attribute(verdict_rows[i], "data-groups-met") == v["groups_met"].dump());
    CHECK(attribute(verdict_rows[i], "data-penalty") == number_text(v["penalty"]));
  }
  // The breach table lists exactly the breached, near-miss and charged rows; each has
  // its outage timeline and burn-down (a time measure).
  std::size_t notable = 0, breached = 0;
  for (const auto& row : j["results"]) {
    if (row["kind"] == "sla" && (row["met"] == false || row["near_miss"] == true ||
                                 (row["penalty"].is_number() && row["penalty"].get<double>() > 0))) {
      ++notable;
    }
    if (row["kind"] == "sla" && row["met"] == false) ++breached;
  }
  std::size_t table = html.find("<table class=\"breaches\"");
  std::size_t table_end = html.find("</table>", table);
  CHECK(tags(html, "<tr data-group=", table, table_end).size() + tags(html, "<tr class=\"near-miss\"", table, table_end).size() +
            tags(html, "<tr class=\"charged\"", table, table_end).size() ==
        notable);
  CHECK(tags(html, "<figure class=\"timeline\"").size() == notable);
  CHECK(tags(html, "<figure class=\"burndown\"").size() == notable);
  CHECK(breached > 0);
  // The terms as written are the contract's own text.
  CHECK(html.find("<pre class=\"as-written\">sla availability {\n  in any calendar month, on any site,") != std::string::npos);
  // And in plain words, its conditions as written and its amounts as money.
  CHECK(html.find("<li><strong>requirement</strong>: at least 1 device in \u201cup and session != charging\u201d</li>") !=
        std::string::npos);
  CHECK(html.find("<li><strong>penalty</strong>: 10,000 GBP per breach</li>") != std::string::npos);
  fs::remove(out);
}

TEST_CASE("slac report: the same input gives the same bytes, and nothing is fetched") {
  fs::path a = fs::temp_directory_path() / fmt::format("slac-report-a-{}.html", static_cast<long>(getpid()));
  fs::path b = fs::temp_directory_path() / fmt::format("slac-report-b-{}.html", static_cast<long>(getpid()));
  std::string args = "examples/acme-retail.sla --data examples/ev-estate --as-of 2026-04-15";
  REQUIRE(test::run_slac(fmt::format("report {} -o {}", args, a.string())).exit_code == 0);
  REQUIRE(test::run_slac(fmt::format("report {} -o {}", args, b.string())).exit_code == 0);
  std::string html = test::read_file(a.string());
  CHECK(html == test::read_file(b.string()));
  CHECK(html.find("<section id=\"status\" data-as-of=\"2026-04-14T23:00:00Z\">") != std::string::npos);
  // No address to fetch: no link, source, import or url(); the only http text is the
  // SVG namespace.
  for (const char* fetches : {"<link", " src=", "@import", "url(", "<iframe", "<img"}) {
    CAPTURE(fetches);
    CHECK(html.find(fetches) == std::string::npos);
  }
  std::size_t http = 0;
  for (std::size_t at = html.find("http"); at != std::string::npos; at = html.find("http", at + 1)) {
    CHECK(html.compare(at, 26, "http://www.w3.org/2000/svg") == 0);
    ++http;
  }
  CHECK(http > 0);
  fs::remove(a);
  fs::remove(b);
}

TEST_CASE("slac report: usage errors are clear and write nothing") {
  std::string args = "report examples/acme-retail.sla --data examples/ev-estate";
  auto pdf = test::run_slac(args + " -o /tmp/report.pdf");
  CHECK(pdf.exit_code == 2);
  CHECK(pdf.err.find("slac report: -o /tmp/report.pdf: the report is HTML; name a file ending in `.html`, not `.pdf`") !=
        std::string::npos);
  auto missing = test::run_slac(args);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("--output is required") != std::string::npos);
  auto folder = test::run_slac(args + " -o /nonexistent-folder/report.html");
  CHECK(folder.exit_code == 2);
  CHECK(folder.err == "slac report: -o /nonexistent-folder/report.html: there is no folder /nonexistent-folder\n");
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-report-dir-{}.html", static_cast<long>(getpid()));
  fs::create_directories(dir);
  auto is_folder = test::run_slac(args + " -o " + dir.string());
  CHECK(is_folder.exit_code == 2);
  CHECK(is_folder.err.find("that is a folder; name a file in it") != std::string::npos);
  fs::remove(dir);
  auto seed = test::run_slac(args + " -o /tmp/never.html --seed 3");
  CHECK(seed.exit_code == 2);
  CHECK(seed.err.find("--seed is the seed of p_meet's simulation, which runs with --as-of only") != std::string::npos);
  auto as_of = test::run_slac(args + " -o /tmp/never.html --as-of 2026-02-30");
  CHECK(as_of.exit_code == 2);
  CHECK(as_of.err.find("slac report: --as-of 2026-02-30:") != std::string::npos);
  CHECK(!fs::exists("/tmp/never.html"));
}

TEST_CASE("slac report: ids and names are text, never markup") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-report-hostile-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "contract.sla") << "contract \"A <b>&</b> \\\"quoted\\\"\"\n  customer \"</title><script>alert(1)</script>\"\n"
                                         "  currency GBP\nsignal status : enum { ok, fault }\nstate up = status == ok\n"
                                         "sla availability {\n  in any calendar month, on any device,\n  up for at least 90%\n"
                                         "  penalty 10000\n}\n";
  std::ofstream(dir / "sites.csv") << "site\n\"S<1>&\"\"x\"\"\"\n";
  std::ofstream(dir / "devices.csv") << "device,site\n\"<img src=x onerror=alert(1)>\",\"S<1>&\"\"x\"\"\"\n";
  std::ofstream(dir / "events.csv") << "time,entity,signal,value\n2026-04-01T00:00:00Z,<img src=x onerror=alert(1)>,status,ok\n"
                                       "2026-04-10T00:00:00Z,<img src=x onerror=alert(1)>,status,fault\n"
                                       "2026-05-01T00:00:00Z,<img src=x onerror=alert(1)>,status,ok\n";
  auto r = test::run_slac(fmt::format("report {0}/contract.sla --data {0} -o {0}/r.html", dir.string()));
  REQUIRE(r.exit_code == 0);
  std::string html = test::read_file((dir / "r.html").string());
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(html.find("data-group=\"&lt;img src=x onerror=alert(1)&gt;\"") != std::string::npos);
  CHECK(html.find("A &lt;b&gt;&amp;&lt;/b&gt; &quot;quoted&quot;") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("report: local times say which of a repeated hour they are") {
  Zone london = *find_zone("Europe/London");
  // 2026-10-25: the clocks go back at 02:00 BST, so 01:00 to 02:00 comes twice.
  std::int64_t first = days_from_civil(2026, 10, 25) * ms_per_day + 30 * 60'000;  // 00:30Z = 01:30 BST
  CHECK(report::local_text(london, first) == "2026-10-25 01:30 (UTC+01:00)");
  CHECK(report::local_text(london, first + 3'600'000) == "2026-10-25 01:30 (UTC+00:00)");
  CHECK(report::local_text(london, first + 2 * 3'600'000) == "2026-10-25 02:30");
  CHECK(report::local_text(london, first - 3'600'000 + 7'250) == "2026-10-25 00:30:07.250");
}

TEST_CASE("slac report: the contract's warnings are in the report, located") {
  fs::path out = fs::temp_directory_path() / fmt::format("slac-report-w-{}.html", static_cast<long>(getpid()));
  // With the target set to 95%, `warn below 92%` can never mark a near miss (W001).
  auto r = test::run_slac(fmt::format("report examples/acme-retail.sla --data examples/ev-estate --set target=95% -o {}",
                                      out.string()));
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("[W001]") != std::string::npos);
  std::string html = test::read_file(out.string());
  auto at = html.find("<ul class=\"contract-warnings\">\n<li><code>acme-retail.sla:");
  REQUIRE(at != std::string::npos);
  CHECK(html.find("[W001]</code></li>", at) != std::string::npos);
  CHECK(html.find("<code>target = 95%</code> (the contract says 90%)") != std::string::npos);
  fs::remove(out);
}

TEST_CASE("report: the verdict strip marks breaches by shape as well as colour, however narrow") {
  std::vector<report::StripCell> few{{"2026-01", true, "met"}, {"2026-02", false, "breached"}};
  std::string wide = report::verdict_strip("availability", few);
  CHECK(wide.starts_with("<svg class=\"verdict-strip\" "));
  CHECK(wide.find(">\u2717</text>") != std::string::npos);
  CHECK(wide.find(">\u2713</text>") != std::string::npos);
  std::vector<report::StripCell> many;
  for (int i = 0; i < 90; ++i) many.push_back({fmt::format("w{}", i), i != 7, ""});
  std::string narrow = report::verdict_strip("availability", many);
  CHECK(narrow.find("\u2717") == std::string::npos);
  std::size_t bars = 0;
  for (std::size_t at = narrow.find("y=\"40.0\""); at != std::string::npos; at = narrow.find("y=\"40.0\"", at + 1)) ++bars;
  CHECK(bars == 1);
  CHECK(narrow.find("90 windows: 89 met, 1 breached") != std::string::npos);
}
