// Partial evaluation (runtime/partial.hpp, cli/partial.cpp): random contracts and data
// split by site into partitions, scanned, mapped to partials, shipped as bytes, merged
// in any order and judged, print exactly what `slac eval` prints on the whole.
// SLAC_PARTIAL_CASES sets the number of cases (default 150).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "runtime/partial.hpp"
#include "tests/generators.hpp"
#include "tests/support.hpp"

using namespace slac;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// What a command wrote on standard output and error, and its exit code.
struct Captured {
  int code = 0;
  std::string out, err;
};

template <typename Command>
Captured capture(Command command) {
  char *out_buf = nullptr, *err_buf = nullptr;
  std::size_t out_size = 0, err_size = 0;
  std::FILE* out = open_memstream(&out_buf, &out_size);
  std::FILE* err = open_memstream(&err_buf, &err_size);
  cli::Streams saved = cli::streams();
  cli::streams() = {out, err};
  Captured c;
  try {
    c.code = command();
  } catch (const cli::CommandError& e) {
    std::fprintf(err, "%s\n", e.message.c_str());
    c.code = e.exit_code;
  }
  cli::streams() = saved;
  std::fclose(out);
  std::fclose(err);
  c.out.assign(out_buf, out_size);
  c.err.assign(err_buf, err_size);
  std::free(out_buf);
  std::free(err_buf);
  return c;
}

// The whole dataset's files, and per partition the events rows its sites own (rows of
// unknown ids go to one partition each, at random).
struct Split {
  std::map<std::string, std::string> whole;
  std::vector<std::string> events;             // per partition, with the header
  std::vector<std::vector<std::int64_t>> lines;  // per partition, each row's line in the whole file
  std::vector<std::vector<std::string>> sites; // per partition, the sites it owns
};

Split split(const fs::path& dir, std::size_t partitions, std::mt19937_64& rng) {
  Split s;
  for (const char* f : {"sites.csv", "devices.csv", "events.csv"}) s.whole[f] = slurp(dir / f);
  std::map<std::string, std::size_t> owner;  // entity -> partition
  s.sites.resize(partitions);
  std::istringstream sites(s.whole["sites.csv"]);
  std::string line;
  std::getline(sites, line);
  while (std::getline(sites, line)) {
    std::string id = line.substr(0, line.find(','));
    owner[id] = rng() % partitions;
    s.sites[owner[id]].push_back(id);
  }
  std::istringstream devices(s.whole["devices.csv"]);
  std::getline(devices, line);
  while (std::getline(devices, line)) {
    std::string id = line.substr(0, line.find(','));
    std::string rest = line.substr(line.find(',') + 1);
    owner[id] = owner[rest.substr(0, rest.find(','))];
  }
  s.events.assign(partitions, "time,entity,signal,value\n");
  s.lines.resize(partitions);
  std::istringstream events(s.whole["events.csv"]);
  std::getline(events, line);
  for (std::int64_t number = 2; std::getline(events, line); ++number) {
    std::string rest = line.substr(line.find(',') + 1);
    auto it = owner.find(rest.substr(0, rest.find(',')));
    std::size_t k = it == owner.end() ? rng() % partitions : it->second;
    s.events[k] += line + "\n";
    s.lines[k].push_back(number);
  }
  return s;
}

cli::DataOptions options_for(const gen::Case& c, std::map<std::string, std::string> files) {
  cli::DataOptions o;
  o.contract = "diff.sla";
  o.contract_text = c.contract;
  o.data = "DataFrame";
  o.files = std::move(files);
  o.format = "json";
  o.threads = 1;
  if (c.from_text) o.from = *c.from_text;
  if (c.to_text) o.to = *c.to_text;
  return o;
}

}  // namespace

TEST_CASE("partials: random contracts and data in partitions judge exactly as the whole") {
  int cases = 150;
  if (const char* n = std::getenv("SLAC_PARTIAL_CASES")) cases = std::atoi(n);
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-partial-{}", static_cast<long>(getpid()));
  int compared = 0, spanning = 0;
  for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(cases); ++seed) {
    gen::Case c = gen::make_case(seed);
    CAPTURE(seed);
    INFO(c.contract);
    gen::write_plain_world(c, dir);
    std::mt19937_64 rng(seed);
    std::size_t partitions = 1 + rng() % 4;
    Split s = split(dir, partitions, rng);
    cli::DataOptions whole = options_for(c, s.whole);
    Captured want = capture([&] { return cli::run_eval(cli::EvalOptions{whole, false}); });
    if (want.code != 0) continue;  // the whole is refused (no span): nothing to compare
    cli::EvalScan scan;
    for (std::size_t k = 0; k < partitions; ++k) {
      auto files = s.whole;
      files["events.csv"] = s.events[k];
      capture([&] {  // the contract's warnings, kept off the test's output
        scan.add(cli::run_eval_scan(options_for(c, files)));
        return 0;
      });
    }
    std::vector<std::string> partials;
    for (std::size_t k = 0; k < partitions; ++k) {
      auto files = s.whole;
      files["events.csv"] = s.events[k];
      Captured none = capture([&] {
        partials.push_back(cli::run_eval_map(cli::EvalMapOptions{options_for(c, files), s.sites[k], scan, s.lines[k]}));
        return 0;
      });
      REQUIRE_MESSAGE(none.code == 0, none.err);
    }
    std::shuffle(partials.begin(), partials.end(), rng);
    if (partials.size() > 2) {
      // A tree of merges: the first two merged into one partial.
      std::string two;
      capture([&] {
        two = cli::run_eval_merge(whole, {partials[0], partials[1]});
        return 0;
      });
      partials.erase(partials.begin(), partials.begin() + 2);
      partials.push_back(two);
    }
    Captured got = capture([&] { return cli::run_eval_reduce(cli::EvalOptions{whole, false}, partials); });
    REQUIRE_MESSAGE(got.code == 0, got.err);
    CHECK(got.out == want.out);
    CHECK(got.err == want.err);
    ++compared;
    if (c.contract.find("across all sites") != std::string::npos || c.contract.find("on any site.") != std::string::npos ||
        c.contract.find("on any kind") != std::string::npos) {
      ++spanning;
    }
  }
  fs::remove_all(dir);
  CHECK(compared > cases / 2);
  CHECK(spanning > 5);
}

// The estate's events of the sites whose ids `keep` accepts (a device `S001-C1` is of
// site `S001`), as an events.csv text.
template <typename Keep>
std::string events_of(const std::string& events_csv, Keep keep) {
  std::istringstream in(events_csv);
  std::string line, out;
  std::getline(in, line);
  out = line + "\n";
  while (std::getline(in, line)) {
    std::size_t comma = line.find(',');
    std::string entity = line.substr(comma + 1, line.find(',', comma + 1) - comma - 1);
    if (keep(entity.substr(0, entity.find('-')))) out += line + "\n";
  }
  return out;
}

TEST_CASE("partials: what cannot be merged exactly is refused") {
  std::string contract = test::read_file("examples/acme-retail.sla");
  std::map<std::string, std::string> files;
  for (const char* f : {"sites.csv", "devices.csv", "events.csv"}) {
    files[f] = slurp(fs::path(test::source_dir()) / "examples/ev-estate" / f);
  }
  cli::DataOptions o;
  o.contract = "acme.sla";
  o.contract_text = contract;
  o.data = "DataFrame";
  o.files = files;
  o.format = "json";
  cli::EvalScan scan = cli::run_eval_scan(o);
  CHECK(scan.rows > 1000);
  auto with_events = [&](std::string events) {
    cli::DataOptions part = o;
    part.files["events.csv"] = std::move(events);
    return part;
  };
  auto north = [](const std::string& site) { return site == "S001" || site == "S002"; };
  cli::DataOptions o1 = with_events(events_of(files["events.csv"], north));
  cli::DataOptions o2 = with_events(events_of(files["events.csv"], [&](const std::string& s) { return !north(s); }));
  std::vector<std::string> south_sites;
  for (int k = 3; k <= 20; ++k) south_sites.push_back(fmt::format("S{:03}", k));
  std::string s1 = cli::run_eval_map(cli::EvalMapOptions{o1, {"S001", "S002"}, scan, {}});
  std::string s2 = cli::run_eval_map(cli::EvalMapOptions{o2, south_sites, scan, {}});
  cli::DataOptions o2b = with_events(events_of(files["events.csv"], [](const std::string& s) { return s == "S002"; }));
  std::string s2b = cli::run_eval_map(cli::EvalMapOptions{o2b, {"S002"}, scan, {}});
  auto reduce = [&](const cli::DataOptions& with, std::vector<std::string> partials) {
    return capture([&] { return cli::run_eval_reduce(cli::EvalOptions{with, false}, partials); });
  };
  Captured whole = reduce(o, {s1, s2});
  CHECK_MESSAGE(whole.code == 0, whole.err);
  Captured twice = reduce(o, {s1, s2b});
  CHECK(twice.code == cli::exit_usage);
  CHECK(twice.err.find("two partials hold the devices of the site at row 2") != std::string::npos);
  Captured missing = reduce(o, {s1});
  CHECK(missing.code == cli::exit_usage);
  CHECK(missing.err.find("no partial holds the devices of 18 sites: `S003`") != std::string::npos);
  cli::DataOptions other = o;
  other.sets = {"target=95%"};
  Captured another = reduce(other, {s1});
  CHECK(another.code == cli::exit_usage);
  CHECK(another.err.find("another evaluation") != std::string::npos);
  Captured cut = reduce(o, {s1.substr(0, s1.size() / 2)});
  CHECK(cut.code == cli::exit_usage);
  CHECK(cut.err.find("cut short") != std::string::npos);
  Captured garbage = reduce(o, {"not a partial"});
  CHECK(garbage.err.find("not a slac partial") != std::string::npos);

  // A share that owns no site (rows of an unknown id) merged twice, or left out: the
  // rows do not add up to the scans, and nothing is judged.
  cli::DataOptions stray = with_events("time,entity,signal,value\n2026-02-03T10:00:00Z,S999-C1,status,ok\n");
  cli::EvalScan with_stray = scan;
  with_stray.add(cli::run_eval_scan(stray));
  std::string t1 = cli::run_eval_map(cli::EvalMapOptions{o1, {"S001", "S002"}, with_stray, {}});
  std::string t2 = cli::run_eval_map(cli::EvalMapOptions{o2, south_sites, with_stray, {}});
  std::string t3 = cli::run_eval_map(cli::EvalMapOptions{stray, {}, with_stray, {}});
  Captured once = reduce(o, {t1, t2, t3});
  CHECK_MESSAGE(once.code == 0, once.err);
  CHECK(once.out.find("\"unknown_entities\": 1") != std::string::npos);
  for (const auto& partials : {std::vector<std::string>{t1, t2, t3, t3}, std::vector<std::string>{t1, t2}}) {
    Captured off = reduce(o, partials);
    CHECK(off.code == cli::exit_usage);
    CHECK(off.err.find("a partition is missing or merged twice") != std::string::npos);
  }
  // Shares made with other scans of the whole data.
  Captured scans = reduce(o, {s1, t2, t3});
  CHECK(scans.code == cli::exit_usage);
  CHECK(scans.err.find("different scans of the whole data") != std::string::npos);
  // A partition holding events of a site it does not own: they would count twice.
  Captured foreign = capture([&] { return (cli::run_eval_map(cli::EvalMapOptions{o, {"S001", "S002"}, scan, {}}), 0); });
  CHECK(foreign.code == cli::exit_usage);
  CHECK(foreign.err.find("holds events of device `S003-C1` of site `S003`, which it does not own") != std::string::npos);
  // A scan whose times no reader gives: refused, not a span of millennia.
  for (auto bad : {cli::EvalScan{1, INT64_MIN, INT64_MAX}, cli::EvalScan{1, 0, 1000000000000000},
                   cli::EvalScan{1, 5, std::nullopt}, cli::EvalScan{0, 5, 6}, cli::EvalScan{1, 9, 8}}) {
    Captured odd = capture([&] { return (cli::run_eval_map(cli::EvalMapOptions{o1, {"S001", "S002"}, bad, {}}), 0); });
    CHECK(odd.code == cli::exit_usage);
    CHECK(odd.err.find("the scan of the whole data is not one") != std::string::npos);
  }

  Plan plan;  // from_bytes checks the SLA indices against the plan
  Compilation comp = compile_file("acme.sla", contract);
  REQUIRE(comp.ok());
  std::vector<ParamValue> params;
  for (const auto& p : comp.model.params) params.push_back(p.value);
  plan = lower(comp.model, params);
  rt::Partial p = rt::from_bytes(plan, s1, 59, 20);
  CHECK(rt::to_bytes(p) == s1);
  CHECK(p.sites.size() == 20);
  // Of another inventory: refused before any table of its size is made (a partial
  // claiming 2**40 devices would otherwise allocate terabytes).
  CHECK_THROWS_WITH_AS(rt::from_bytes(plan, s1, 58, 20), doctest::Contains("another inventory"), rt::PartialError);
  // Any damage is refused, wherever it is.
  for (std::size_t at = 13; at < s1.size(); at += 7) {
    std::string damaged = s1;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    CHECK_THROWS_AS(rt::from_bytes(plan, damaged, 59, 20), rt::PartialError);
  }
}
