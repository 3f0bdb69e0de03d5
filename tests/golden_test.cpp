// Golden tests of the checker: every tests/check/<case>.sla against <case>.err, the
// diagnostics exactly as `slac check` prints them. SLAC_UPDATE_GOLDEN=1 rewrites them.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "compiler/loader.hpp"
#include "tests/support.hpp"

using namespace slac;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> golden_cases() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator("tests/check")) {
    if (entry.path().extension() == ".sla") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string render(const fs::path& sla) {
  Compilation c = compile_file(sla.generic_string());
  return render_text(c.diags, c.program->sources, RenderOptions{false});
}

}  // namespace

TEST_CASE("checker golden files") {
  bool update = std::getenv("SLAC_UPDATE_GOLDEN") != nullptr;
  auto cases = golden_cases();
  REQUIRE(cases.size() >= 40);
  for (const auto& sla : cases) {
    fs::path err = sla;
    err.replace_extension(".err");
    std::string got = render(sla);
    if (update) {
      std::ofstream(err, std::ios::binary) << got;
      continue;
    }
    CAPTURE(sla.generic_string());
    REQUIRE_MESSAGE(fs::exists(err), "missing " << err.generic_string());
    CHECK(got == test::read_file(err.generic_string()));
  }
}

TEST_CASE("every diagnostic code is triggered by a test") {
  // Codes in golden files, plus those only a byte-level table test can reach.
  std::set<std::string> covered = {"E006"};
  std::regex code(R"(\[([EW]\d{3})\])");
  for (const auto& sla : golden_cases()) {
    fs::path err = sla;
    err.replace_extension(".err");
    std::string text = test::read_file(err.generic_string());
    for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it) covered.insert((*it)[1]);
  }
  for (const auto& info : code_registry()) {
    CAPTURE(info.id);
    CHECK(covered.contains(std::string(info.id)));
  }
}

TEST_CASE("each golden case's name is the code it is about") {
  for (const auto& sla : golden_cases()) {
    std::string stem = sla.stem().string();
    fs::path err = sla;
    err.replace_extension(".err");
    std::string text = test::read_file(err.generic_string());
    CAPTURE(stem);
    CHECK(text.find("[" + stem.substr(0, 4) + "]") != std::string::npos);
  }
}
