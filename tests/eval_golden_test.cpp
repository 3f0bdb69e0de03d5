// Golden end-to-end tests of `slac eval`: each tests/eval/<case>/ holds a contract, a
// dataset, the arguments and the expected JSON (SPEC 5.1), byte for byte. Its README
// says what the case pins down. SLAC_UPDATE_GOLDEN=1 rewrites the expectations.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/support.hpp"

namespace fs = std::filesystem;
using slac::test::read_file;
using slac::test::run_slac;

namespace {

std::vector<fs::path> eval_cases() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator("tests/eval")) {
    if (entry.is_directory()) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("eval golden cases") {
  bool update = std::getenv("SLAC_UPDATE_GOLDEN") != nullptr;
  auto cases = eval_cases();
  REQUIRE(cases.size() >= 10);
  for (const auto& dir : cases) {
    CAPTURE(dir.generic_string());
    std::string args = trim(read_file((dir / "args").generic_string()));
    auto r = run_slac(fmt::format("eval {0}/contract.sla --data {0} --format json {1}", dir.generic_string(), args));
    CHECK(r.exit_code == 0);
    CHECK(r.err == "");
    fs::path expected = dir / "expected.json";
    if (update) {
      std::ofstream(expected, std::ios::binary) << r.out;
      continue;
    }
    CHECK(r.out == read_file(expected.generic_string()));
    // Deterministic: the same inputs give the same bytes.
    CHECK(run_slac(fmt::format("eval {0}/contract.sla --data {0} --format json {1}", dir.generic_string(), args)).out == r.out);
  }
}
