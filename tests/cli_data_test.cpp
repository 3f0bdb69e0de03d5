// Data as real systems export it, end to end: epoch seconds, CSV dialects, local times
// without an offset, gzip, and an events file with no rows; every data command takes
// the options that read them.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "base/time.hpp"
#include "runtime/ingest/dataset.hpp"
#include "tests/support.hpp"

using slac::test::run_slac;
namespace fs = std::filesystem;

namespace {

const std::string contract = "tests/eval/month_budget/contract.sla";
const std::string span = " --from 2026-04-01 --to 2026-05-01 --format json";

// A dataset folder holding month_budget's inventory and the given events file.
struct Dataset {
  fs::path dir;
  explicit Dataset(const std::string& name) {
    dir = fs::temp_directory_path() / fmt::format("slac-cli-data-{}-{}", name, static_cast<long>(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file("tests/eval/month_budget/sites.csv", dir / "sites.csv");
    fs::copy_file("tests/eval/month_budget/devices.csv", dir / "devices.csv");
  }
  ~Dataset() { fs::remove_all(dir); }
  Dataset& write(const std::string& file, const std::string& text) {
    std::ofstream(dir / file, std::ios::binary) << text;
    return *this;
  }
  Dataset& gzip(const std::string& file, const std::string& text) {
    gzFile gz = gzopen((dir / file).c_str(), "wb");
    REQUIRE(gz != nullptr);
    gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
    gzclose(gz);
    return *this;
  }
  std::string args(const std::string& command = "eval") const {
    return fmt::format("{} {} --data {}", command, contract, dir.string());
  }
};

// month_budget's events rewritten: each time through `time`, fields joined by `sep`.
std::string events(const std::function<std::string(std::int64_t)>& time, const std::string& header = "time,entity,signal,value",
                   const std::string& sep = ",") {
  std::ifstream in("tests/eval/month_budget/events.csv");
  std::string line, out = header + "\n";
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto comma = line.find(',');
    std::string why;
    std::int64_t t = *slac::rt::parse_time(line.substr(0, comma), why);
    std::string rest = line.substr(comma + 1);
    for (std::size_t at = 0; (at = rest.find(',', at)) != std::string::npos; at += sep.size()) rest.replace(at, 1, sep);
    out += time(t) + sep + rest + "\n";
  }
  return out;
}

nlohmann::json results(const slac::test::Run& r) {
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out)["results"];
}

}  // namespace

TEST_CASE("data: epoch seconds are refused, even with --strict --fail-on-breach, and read with --time-unit s") {
  auto baseline = results(run_slac(fmt::format("eval {} --data tests/eval/month_budget", contract) + span));
  Dataset d("seconds");
  d.write("events.csv", events([](std::int64_t t) { return std::to_string(t / 1000); }));
  auto refused = run_slac(d.args() + span + " --strict --fail-on-breach");
  CHECK(refused.exit_code == 3);
  CHECK(refused.out.empty());
  CHECK(refused.err.find("events.csv:2: time `1775001600` as epoch milliseconds is 1970-01-21T13:03:21.600Z, in 1970: "
                         "this looks like epoch seconds; give `--time-unit s`, or write milliseconds or RFC 3339") !=
        std::string::npos);
  CHECK(results(run_slac(d.args() + span + " --time-unit s")) == baseline);
  // Fractional seconds, exact to the millisecond.
  d.write("events.csv", events([](std::int64_t t) { return fmt::format("{}.000", t / 1000); }));
  CHECK(results(run_slac(d.args() + span + " --time-unit s")) == baseline);
  // Milliseconds under `--time-unit s`.
  d.write("events.csv", events([](std::int64_t t) { return std::to_string(t); }));
  auto ms = run_slac(d.args() + span + " --time-unit s");
  CHECK(ms.exit_code == 3);
  CHECK(ms.err.find("this looks like epoch milliseconds; leave out `--time-unit s`") != std::string::npos);
  CHECK(results(run_slac(d.args() + span)) == baseline);
  auto bad = run_slac(d.args() + span + " --time-unit sec");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--time-unit") != std::string::npos);
}

TEST_CASE("data: epoch numbers in --from, --to and --as-of are read in the unit of --time-unit") {
  auto baseline = results(run_slac(fmt::format("eval {} --data tests/eval/month_budget", contract) + span));
  Dataset d("cli-seconds");
  d.write("events.csv", events([](std::int64_t t) { return std::to_string(t / 1000); }));
  // 2026-04-01 and 2026-05-01 in the contract's zone (UTC).
  const std::string seconds = " --from 1775001600 --to 1777593600 --format json --time-unit s";
  CHECK(results(run_slac(d.args() + seconds)) == baseline);
  auto millis = run_slac(d.args() + " --from 1775001600000 --to 1777593600000 --format json --time-unit s");
  CHECK(millis.exit_code == 2);
  CHECK(millis.err.find("this looks like epoch milliseconds; leave out `--time-unit s`") != std::string::npos);
  auto wrong = run_slac(fmt::format("eval {} --data tests/eval/month_budget --from 1775001600 --to 1777593600", contract));
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err.find("slac eval: --from 1775001600: time `1775001600` as epoch milliseconds is 1970-01-21") !=
        std::string::npos);
  CHECK(wrong.err.find("this looks like epoch seconds; give `--time-unit s`") != std::string::npos);
  auto status = run_slac(d.args("status") + " --as-of 1776000000 --time-unit s --format json");
  CHECK(status.exit_code == 0);
  CHECK(nlohmann::json::parse(status.out)["as_of"] == "2026-04-12T13:20:00Z");
}

TEST_CASE("data: local times with --data-timezone; without it the message names the option") {
  auto baseline = results(run_slac(fmt::format("eval {} --data tests/eval/month_budget", contract) + span));
  slac::Zone tokyo = *slac::find_zone("Asia/Tokyo");
  Dataset d("local");
  auto local = [&](std::int64_t t) {
    std::string s = slac::format_instant(slac::utc_to_local(tokyo, t));
    return s.substr(0, 10) + " " + s.substr(11, 5);  // 2026-04-01 09:00
  };
  d.write("events.csv", events(local, "Time; Entity; Signal; Value", "; "));
  auto refused = run_slac(d.args() + span);
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("events.csv:2: time `2026-04-01 09:00` has no offset; add `Z` for UTC or one such as `+01:00`, "
                         "or give `--data-timezone ZONE` to read such times as local times of ZONE") != std::string::npos);
  CHECK(results(run_slac(d.args() + span + " --data-timezone Asia/Tokyo")) == baseline);
  auto typo = run_slac(d.args() + span + " --data-timezone Asia/Tokio");
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("slac eval: --data-timezone Asia/Tokio: not an IANA time zone; did you mean \"Asia/Tokyo\"?") !=
        std::string::npos);
  // Abbreviations and fixed offsets get the advice a contract's `timezone` gets: never
  // a zone hours away (`BST` is not `EST`; `GMT+1` is `Etc/GMT-1`).
  auto bst = run_slac(d.args() + span + " --data-timezone BST");
  CHECK(bst.exit_code == 2);
  CHECK(bst.err.find("\"Europe/London\"") != std::string::npos);
  CHECK(bst.err.find("EST") == std::string::npos);
  auto offset = run_slac(d.args() + span + " --data-timezone GMT+1");
  CHECK(offset.err.find("\"Etc/GMT-1\" (POSIX names invert the sign") != std::string::npos);
}

TEST_CASE("data: gzipped events, and every data command takes the options") {
  auto baseline = results(run_slac(fmt::format("eval {} --data tests/eval/month_budget", contract) + span));
  Dataset d("gzip");
  d.gzip("events.csv.gz", events([](std::int64_t t) { return std::to_string(t / 1000); }, "TIME\tENTITY\tSIGNAL\tVALUE", "\t"));
  CHECK(results(run_slac(d.args() + span + " --time-unit s")) == baseline);
  auto status = run_slac(d.args("status") + " --as-of 2026-04-20 --format json --time-unit s --data-timezone UTC");
  CHECK_MESSAGE(status.exit_code == 0, status.err);
  CHECK(run_slac(d.args("status") + " --as-of 2026-04-20 --format json").exit_code == 3);
  auto whatif = run_slac(d.args("whatif") + span + " --sla availability --sweep target=80%..90%/10% --time-unit s");
  CHECK_MESSAGE(whatif.exit_code == 0, whatif.err);
  CHECK(run_slac(d.args("whatif") + span + " --sla availability --sweep target=80%..90%/10%").exit_code == 3);
}

TEST_CASE("data: an events file with only a header is named in the message") {
  Dataset d("empty");
  d.write("events.csv", "time,entity,signal,value\n");
  auto r = run_slac(d.args());
  CHECK(r.exit_code == 3);
  CHECK(r.err.find((d.dir / "events.csv").string() + ": no events (no rows after the header), so the span is unknown; "
                   "give --from and --to") != std::string::npos);
  d.write("events.csv", "time,entity,signal,value\n2026-04-01T00:00:00Z,X,status,ok\n");
  r = run_slac(d.args());
  CHECK(r.exit_code == 3);
  CHECK(r.err.find((d.dir / "events.csv").string() + ": none of its 1 row is a used event (see the warnings), so the "
                   "span is unknown; give --from and --to") != std::string::npos);
  fs::remove(d.dir / "events.csv");
  d.write("events.jsonl", "");
  r = run_slac(d.args("whatif") + " --sla availability --sweep target=80%..90%/10%");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("events.jsonl: no events") != std::string::npos);
}

TEST_CASE("data: warnings show the spaces around an unknown id or signal") {
  Dataset d("spaces");
  d.write("events.csv", "time,entity,signal,value\n2026-04-01T00:00:00Z,A ,status,ok\n2026-04-01T00:00:00Z,A,status ,ok\n"
                        "2026-04-01T00:00:00Z,A,status,ok\n");
  auto r = run_slac(d.args() + span);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("1 row of `A ` (ends with a space), which is not in the inventory (first at line 2)") != std::string::npos);
  CHECK(r.err.find("1 row of signal `status ` (ends with a space), which the contract does not declare (first at line 3)") !=
        std::string::npos);
}

TEST_CASE("data: warnings name a signal of the other level plainly, and stop after 20 of a kind") {
  Dataset d("warnings");
  std::string rows = "time,entity,signal,value\n2026-04-01T00:00:00Z,A,status,ok\n2026-04-01T00:01:00Z,S1,status,ok\n"
                     "2026-04-01T00:02:00Z,S1,status,fault\n";
  for (int i = 0; i < 25; ++i) rows += fmt::format("2026-04-01T00:03:00Z,X{:02},status,ok\n", i);
  d.write("events.csv", rows);
  auto r = run_slac(d.args() + span);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("2 rows of device signal `status` for `S1`, which is a site (first at line 3)") != std::string::npos);
  CHECK(r.err.find("1 row of `X19`, which is not in the inventory (first at line 24)") != std::string::npos);
  CHECK(r.err.find("`X20`") == std::string::npos);
  CHECK(r.err.find("... and 5 more unknown ids\n") != std::string::npos);
  CHECK(nlohmann::json::parse(r.out)["data"]["unknown_entities"] == 27);
}

TEST_CASE("data: an inventory id with spaces around it is shown with them") {
  Dataset d("spaced-ids");
  d.write("sites.csv", "Site , Timezone\nS1 , Europe/Paris\n");
  d.write("devices.csv", "device,site\nA,S1\n");
  d.write("events.csv", "time,entity,signal,value\n2026-04-01T00:00:00Z,A,status,ok\n");
  auto r = run_slac(d.args() + span);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("devices.csv:2: device `A` is at site `S1`, which is not in sites.csv (it lists `S1 ` (ends with a space))") !=
        std::string::npos);
  d.write("sites.csv", "site\nS1\n S1\n");
  CHECK(run_slac(d.args() + span).exit_code == 0);  // two sites, ` S1` and `S1`
  d.write("sites.csv", "site\nS1 \nS1 \n");
  CHECK(run_slac(d.args() + span).err.find("sites.csv:3: site `S1 ` (ends with a space) is listed twice (first at line 2)") !=
        std::string::npos);
}

TEST_CASE("data: a huge value or id is not repeated whole in a message") {
  Dataset d("huge");
  std::string big(1'000'000, 'x');
  d.write("events.csv", "time,entity,signal,value\n2026-04-01T00:00:00Z,A,status," + big + "\n");
  auto value = run_slac(d.args() + span);
  CHECK(value.exit_code == 3);
  CHECK(value.err.size() < 2000);
  CHECK(value.err.find("events.csv:2: `xxxx") != std::string::npos);
  CHECK(value.err.find("...` (1000000 bytes) is not a value of `status` (ok, fault)") != std::string::npos);
  d.write("events.csv", "time,entity,signal,value\n2026-04-01T00:00:00Z,A,status,ok\n2026-04-01T00:00:00Z," + big + ",status,ok\n");
  auto id = run_slac(d.args() + span);
  CHECK(id.exit_code == 0);
  CHECK(id.err.size() < 2000);
  CHECK(id.err.find("...` (1000000 bytes), which is not in the inventory (first at line 3)") != std::string::npos);
}

TEST_CASE("data: --threads reads the events file in that many parts with the same results; 0 is a usage error") {
  CHECK(slac::rt::usable_cpus() >= 1);
  auto one = run_slac(fmt::format("eval {} --data tests/eval/month_budget --threads 1", contract) + span);
  REQUIRE_MESSAGE(one.exit_code == 0, one.err);
  for (int n : {2, 3, 7}) {
    auto many = run_slac(fmt::format("eval {} --data tests/eval/month_budget --threads {}", contract, n) + span);
    CHECK_MESSAGE(many.exit_code == 0, many.err);
    CHECK(many.out == one.out);
  }
  auto status = run_slac(fmt::format("status {} --data tests/eval/month_budget --as-of 2026-04-20 --threads 2", contract));
  CHECK_MESSAGE(status.exit_code == 0, status.err);
  auto zero = run_slac(fmt::format("eval {} --data tests/eval/month_budget --threads 0", contract) + span);
  CHECK(zero.exit_code == 2);
  CHECK(zero.err.find("--threads") != std::string::npos);
  // Not "Value abc not in range": what was given, and what a number of threads is.
  for (std::string bad : {"abc", "257", "1.5", "-2"}) {
    auto r = run_slac(fmt::format("eval {} --data tests/eval/month_budget --threads {}", contract, bad) + span);
    CHECK(r.exit_code == 2);
    CHECK_MESSAGE(r.err.find(fmt::format("--threads: `{}` is not a number of threads: give a whole number from 1 to 256",
                                         bad)) != std::string::npos,
                  r.err);
  }
}
