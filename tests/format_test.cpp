// The formatter: idempotent, meaning-preserving, comment-keeping, over every contract
// in the repository and over generated contracts in scrambled layouts; and `slac fmt`
// end to end.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "compiler/loader.hpp"
#include "format/format.hpp"
#include "tests/generators.hpp"
#include "tests/support.hpp"

using namespace slac;
namespace fs = std::filesystem;

namespace {

std::optional<std::string> format_text(const std::string& name, const std::string& text) {
  SourceManager sm;
  Diagnostics d;
  return format_source(sm.add(name, text), d);
}

// The checked meaning, without source positions; tests are included.
std::string meaning(const std::string& name, const std::string& text) {
  Compilation c = compile_file(name, text);
  if (!c.ok()) return "errors:\n" + test::joined(test::describe(c.diags, c.program->sources));
  return canonical_text(c.model);
}

std::vector<std::string> comments(const std::string& text) {
  std::vector<std::string> out;
  std::regex comment("#[^\\n]*");
  for (std::sregex_iterator it(text.begin(), text.end(), comment), end; it != end; ++it) {
    std::string c = it->str();
    while (!c.empty() && (c.back() == ' ' || c.back() == '\r')) c.pop_back();
    out.push_back(c);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every contract of the repository that is meant to be valid.
std::vector<std::string> repository_contracts() {
  std::vector<std::string> out;
  for (const char* dir : {"stdlib-contracts", "examples", "tests/eval", "tests/testblocks"}) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.path().extension() == ".sla") out.push_back(e.path().generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void check_properties(const std::string& name, const std::string& text) {
  CAPTURE(name);
  auto once = format_text(name, text);
  REQUIRE(once);
  auto twice = format_text(name, *once);
  REQUIRE(twice);
  CHECK(*twice == *once);                              // idempotent
  CHECK(meaning(name, *once) == meaning(name, text));  // meaning-preserving
  CHECK(comments(*once) == comments(text));            // no comment lost
}

// The same contract with its layout scrambled: spaces become runs of blanks or line
// ends, line ends runs of them, and comments appear at line ends and on lines of their own. Texts in quotes
// and comments are left alone.
std::string scramble(const std::string& text, std::uint64_t seed) {
  gen::Rng rng(seed);
  std::string out;
  bool in_quotes = false;
  bool in_comment = false;
  int n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"' && !in_comment) in_quotes = !in_quotes;
    if (c == '#' && !in_quotes) in_comment = true;
    // The line end of a comment stays; so does the space inside a time (`2026-03-10 09:00`).
    bool keep = in_quotes || in_comment || (c != ' ' && c != '\n') ||
                (c == ' ' && i >= 10 && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
                 text[i - 3] == '-' && text[i - 6] == '-');
    if (c == '\n') in_comment = false;
    if (keep) {
      out += c;
      continue;
    }
    switch (gen::pick(rng, 0, 9)) {
      // A line end stays one: two clauses on one line need a comma.
      case 0: out += c == '\n' ? "   \n" : "   "; break;
      case 1: out += "\n    "; break;
      case 2: out += fmt::format("  # note {}\n", ++n); break;
      case 3: out += c == '\n' ? fmt::format("\n# own line {}\n\n", ++n) : " "; break;
      case 4: out += c == '\n' ? "\n\n\n" : "\t"; break;
      default: out += c; break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("fmt: every contract in the repository is already formatted") {
  for (const auto& path : repository_contracts()) {
    CAPTURE(path);
    std::string text = test::read_file(path);
    auto formatted = format_text(path, text);
    REQUIRE(formatted);
    CHECK(*formatted == text);
  }
}

TEST_CASE("fmt: idempotent, meaning-preserving and comment-keeping on the repository's contracts") {
  for (const auto& path : repository_contracts()) {
    std::string text = test::read_file(path);
    check_properties(path, text);
    check_properties(path + " (scrambled)", scramble(text, std::hash<std::string>{}(path)));
  }
}

TEST_CASE("fmt: the same on generated contracts in scrambled layouts") {
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    std::string text = gen::make_case(seed).contract;
    check_properties(fmt::format("generated {}", seed), text);
    check_properties(fmt::format("generated {} (scrambled)", seed), scramble(text, seed));
  }
}

TEST_CASE("fmt: the canonical layout") {
  std::string messy =
      "contract   \"Layout\"\n"
      "  currency GBP    customer \"Acme\"\n"
      "signal heartbeat:event\n"
      "signal status:enum{ok,fault}   # what a device says\n"
      "param target=90.0%\n"
      "param grace=90m\n"
      "\n\n\n"
      "# why we care\n"
      "state up=seen heartbeat within 10m and(status==ok)\n"
      "sla s{ penalty 10_000, warn below 92%, at least 1 up, on any site, in any calendar month\n"
      "  for at least target # the number\n"
      "  with at most 1 outages longer than 1h30m }\n";
  auto formatted = format_text("layout.sla", messy);
  REQUIRE(formatted);
  CHECK(*formatted ==
        "contract \"Layout\"\n"
        "  customer \"Acme\"\n"
        "  currency GBP\n"
        "signal heartbeat : event\n"
        "signal status    : enum { ok, fault }  # what a device says\n"
        "param target = 90%\n"
        "param grace  = 1h30m\n"
        "\n"
        "# why we care\n"
        "state up = seen heartbeat within 10m and (status == ok)\n"
        "sla s {\n"
        "  in any calendar month, on any site,\n"
        "  at least 1 up for at least target  # the number\n"
        "  with at most 1 outage longer than 1h30m\n"
        "  penalty 10000\n"
        "  warn below 92%\n"
        "}\n");
}

TEST_CASE("fmt: `counted in` is one clause, after the requirement, its comma kept") {
  std::string messy =
      "contract \"Counted\"\n"
      "signal status : enum { ok, fault }\n"
      "signal counted : enum { ok, fault }\n"
      "param share = 50.0%\n"
      "state up = status == ok\n"
      "sla s { in any calendar month, on any device, up, for at least 99%\n"
      "  counted  in 60s intervals ,\n"
      "    failed   if over share  # the share\n"
      "}\n"
      "kpi k { in any calendar day, on any device, up, counted in 1m intervals, failed if all }\n"
      "kpi counted { in any calendar day, on any device, counted in {ok} }\n";
  auto formatted = format_text("counted.sla", messy);
  REQUIRE(formatted);
  CHECK(*formatted ==
        "contract \"Counted\"\n"
        "signal status  : enum { ok, fault }\n"
        "signal counted : enum { ok, fault }\n"
        "param share = 50%\n"
        "state up = status == ok\n"
        "sla s {\n"
        "  in any calendar month, on any device,\n"
        "  up\n"
        "  counted in 1m intervals, failed if over share  # the share\n"
        "  for at least 99%\n"
        "}\n"
        "kpi k {\n"
        "  in any calendar day, on any device,\n"
        "  up\n"
        "  counted in 1m intervals, failed if all\n"
        "}\n"
        "kpi counted {\n"
        "  in any calendar day, on any device,\n"
        "  counted in { ok }\n"
        "}\n");
  // Formatting again changes nothing.
  CHECK(format_text("counted.sla", *formatted) == formatted);
  // `counted` stays a name: a requirement `counted`, then a window on the next line.
  auto named = format_text("named.sla",
                           "contract \"C\"\nsignal counted : bool\nkpi k {\n  counted\n  in any calendar day, on any device\n}\n");
  REQUIRE(named);
  CHECK(*named == "contract \"C\"\nsignal counted : bool\nkpi k {\n  in any calendar day, on any device,\n  counted\n}\n");
}

TEST_CASE("fmt: the averages over devices, in canonical form, and the words they use as names") {
  std::string messy =
      "signal status:enum{ok,fault}\n"
      "state per=status==ok\n"
      "state average=per\n"
      "sla a{for at least 99%,on   average\n  per    device   per, across all sites,in any calendar year}\n"
      "kpi b{ in any calendar month,on any site\n on average   average }\n";
  auto formatted = format_text("averages.sla", messy);
  REQUIRE(formatted);
  CHECK(*formatted ==
        "signal status : enum { ok, fault }\n"
        "state per     = status == ok\n"
        "state average = per\n"
        "sla a {\n"
        "  in any calendar year, across all sites,\n"
        "  on average per device per for at least 99%\n"
        "}\n"
        "kpi b {\n"
        "  in any calendar month, on any site,\n"
        "  on average average\n"
        "}\n");
  CHECK(format_text("again.sla", *formatted) == formatted);
  CHECK(meaning("a.sla", messy) == meaning("b.sla", *formatted));
  CHECK(meaning("a.sla", messy).find("errors") == std::string::npos);
}

TEST_CASE("fmt: a file with syntax errors is left as it is") {
  SourceManager sm;
  Diagnostics d;
  CHECK_FALSE(format_source(sm.add("bad.sla", "state x = (a and\n"), d));
  CHECK(d.has_errors());
}

TEST_CASE("slac fmt: --check, --diff, in place, standard input") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-fmt-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  std::string messy = "signal a:bool\nstate s=a   # keep me\n";
  std::string canonical = "signal a : bool\nstate s = a  # keep me\n";
  fs::path file = dir / "c.sla";
  std::ofstream(file) << messy;
  auto check = test::run_slac("fmt --check " + file.string());
  CHECK(check.exit_code == 1);
  CHECK(check.out == file.string() + "\n");
  auto diff = test::run_slac("fmt --diff " + file.string());
  CHECK(diff.exit_code == 1);
  CHECK(diff.out.find("-signal a:bool\n-state s=a   # keep me\n+signal a : bool\n+state s = a  # keep me\n") != std::string::npos);
  CHECK(test::read_file(file.string()) == messy);  // --check and --diff change nothing
  CHECK(test::run_slac("fmt " + file.string()).exit_code == 0);
  CHECK(test::read_file(file.string()) == canonical);
  CHECK(test::run_slac("fmt --check " + file.string()).exit_code == 0);
  auto piped = test::run_slac("fmt - < " + (dir / "c.sla").string());
  CHECK(piped.out == canonical);
  // Syntax errors: diagnostics, exit 1, the file untouched.
  fs::path bad = dir / "bad.sla";
  std::ofstream(bad) << "state x = (a and\n";
  auto r = test::run_slac("fmt " + bad.string());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: expected a condition after `and`") != std::string::npos);
  CHECK(test::read_file(bad.string()) == "state x = (a and\n");
  fs::remove_all(dir);
}

TEST_CASE("slac fmt: a file with any error, not only a syntax error, is left as it is") {
  fs::path dir = fs::temp_directory_path() / fmt::format("slac-fmt-errors-{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  auto unchanged = [&](const std::string& name, const std::string& text, const std::string& said) {
    CAPTURE(name);
    fs::path file = dir / name;
    std::ofstream(file) << text;
    for (const char* options : {"", "--check ", "--diff "}) {
      auto r = test::run_slac(std::string("fmt ") + options + file.string());
      CHECK(r.exit_code == 1);
      CHECK(r.err.find(said) != std::string::npos);
      CHECK(r.err.find(file.string() + " has 1 error; left unchanged") != std::string::npos);
      CHECK(test::read_file(file.string()) == text);
    }
    auto piped = test::run_slac("fmt - < " + file.string());
    CHECK(piped.exit_code == 1);
    CHECK(piped.out.empty());
  };
  // The case: `GBP` was read as a second clause, and fmt rewrote it so.
  unchanged("currency.sla",
            "signal hb:event\nstate up=seen hb within 10m\nsla s {\n  in any calendar month, on any site\n"
            "  at least 1 up\n  penalty 500 GBP\n  for at least 99%\n}\n",
            "unexpected `GBP` after the penalty amount");
  // Errors of the checker, not of the grammar.
  unchanged("unknown.sla", "signal a:bool\nstate s=b\n", "unknown state `b`");
  unchanged("currency-code.sla", "contract \"C\"\n  currency GPB\nsignal a:bool\nstate s=a\n",
            "currency `GPB` is not an ISO 4217 code; did you mean `GBP`?");
  // Warnings are no reason to refuse.
  fs::path warned = dir / "warned.sla";
  std::ofstream(warned) << "signal a:bool\nsignal unused:bool\nstate s=a\n";
  auto r = test::run_slac("fmt " + warned.string());
  CHECK(r.exit_code == 0);
  CHECK(test::read_file(warned.string()) == "signal a      : bool\nsignal unused : bool\nstate s = a\n");
  fs::remove_all(dir);
}

TEST_CASE("fmt: `mean of` in canonical form, parentheses kept, and the words it uses as names") {
  std::string messy =
      "signal mean:number\n"
      "signal unknown:number\n"
      "param as=2\n"
      "sla a{in any calendar month,on any site,mean   of(100%-mean)*as/unknown ,unknown   as   0\n  for at least 99%}\n"
      "kpi b{ in any calendar month,on any device\n mean of mean}\n";
  auto formatted = format_text("means.sla", messy);
  REQUIRE(formatted);
  CHECK(*formatted ==
        "signal mean    : number\n"
        "signal unknown : number\n"
        "param as = 2\n"
        "sla a {\n"
        "  in any calendar month, on any site,\n"
        "  mean of (100% - mean) * as / unknown, unknown as 0 for at least 99%\n"
        "}\n"
        "kpi b {\n"
        "  in any calendar month, on any device,\n"
        "  mean of mean\n"
        "}\n");
  CHECK(format_text("again.sla", *formatted) == formatted);
  CHECK(meaning("a.sla", messy) == meaning("b.sla", *formatted));
  CHECK(meaning("a.sla", messy).find("errors") == std::string::npos);
}
