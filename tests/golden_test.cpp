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

#include "base/currency.hpp"
#include "base/decimal.hpp"
#include "base/time.hpp"

TEST_CASE("the hints behind the messages: currencies, percentages, durations, zones") {
  // ISO 4217, as a table.
  REQUIRE(find_currency("GBP"));
  CHECK(find_currency("GBP")->name == "Pound Sterling");
  CHECK_FALSE(find_currency("GPB"));
  CHECK_FALSE(find_currency("gbp"));
  CHECK(currencies().size() > 150);
  CHECK(std::is_sorted(currencies().begin(), currencies().end(),
                       [](const CurrencyInfo& a, const CurrencyInfo& b) { return a.code < b.code; }));
  for (std::string_view special : {"USN", "CHE", "CHW", "XTS", "XXX", "XAU", "XDR"}) {
    CAPTURE(special);
    CHECK(find_currency(special));
    CHECK(special_currency(special));
  }
  for (std::string_view money : {"GBP", "EUR", "USD", "XAF", "XCD", "XOF", "XPF", "GIP", "AED"}) {
    CAPTURE(money);
    CHECK_FALSE(special_currency(money));
  }
  CHECK(common_currencies_near("GPB") == std::vector<std::string_view>{"GBP"});  // swapped
  CHECK(common_currencies_near("USN") == std::vector<std::string_view>{"USD"});  // changed
  CHECK(common_currencies_near("XYZ").empty());
  // Percentages: under 1 reads as a fraction.
  CHECK(percent_hint("0.99") == "`0.99` reads as a fraction, so write `99%` (`0.99%` is less than one percent)");
  CHECK(percent_hint("0.995") == "`0.995` reads as a fraction, so write `99.5%` (`0.995%` is less than one percent)");
  CHECK(percent_hint("1") == "write `1%`");
  CHECK(percent_hint("0") == "write `0%`");
  CHECK(percent_hint("95") == "write `95%`");
  // Durations: units, fractions, and what is not a duration at all.
  CHECK(duration_hint("90 secs")->ends_with("; write `1m30s`"));
  CHECK(duration_hint("1.5d")->ends_with("a fraction is written in a smaller unit: `36h`"));
  CHECK(duration_hint("0.25s")->ends_with("a fraction is written in a smaller unit: `250ms`"));
  CHECK(duration_hint("0.0001s") == "durations are whole numbers with a unit: ms, s, m, h, d or w (`10m`, `1h30m`)");
  CHECK(duration_hint("2 Hours")->ends_with("; write `2h`"));
  CHECK_FALSE(duration_hint("0.5"));
  CHECK_FALSE(duration_hint("up"));
  // Zones: abbreviations and offsets explained, Etc/GMT signs inverted.
  CHECK(unknown_zone_hint("bst").find("\"Europe/London\"") != std::string::npos);
  CHECK(unknown_zone_hint("GMT-3").find("write \"Etc/GMT+3\"") != std::string::npos);
  CHECK(unknown_zone_hint("UTC+0").find("for UTC all year, write \"UTC\"") != std::string::npos);
  CHECK(unknown_zone_hint("Europe/Londres") == "; did you mean \"Europe/London\"?");
  CHECK(unknown_zone_hint("Mars/Olympus").empty());
}
