// Grammar soundness, precedence, and syntax errors: input -> code and position.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compiler/loader.hpp"
#include "compiler/plan.hpp"
#include "grammar/keywords.hpp"
#include "grammar/parse.hpp"
#include "tests/support.hpp"

using namespace slac;

namespace {

const char* prelude = R"(contract "T"
signal heartbeat : event
signal status : enum { ok, fault }
signal session : enum { idle, charging }
signal open : bool
signal temp : number
site signal maintenance : bool
device attribute kind : enum { rapid, slow } = slow
site attribute vip : bool = false
)";

// The first diagnostic of a text as "line:col CODE", or "ok".
std::string first_error(const std::string& text) {
  auto p = test::parse_text(text);
  auto errors = p.errors();
  if (errors.empty()) return "ok";
  return errors.front().substr(0, errors.front().find(' ', errors.front().find(' ') + 1));
}

// The checked text of state `s` in prelude + text.
std::string state_text(const std::string& text) {
  Compilation c = compile_file("t.sla", std::string(prelude) + text);
  auto errors = test::describe(c.diags, c.program->sources);
  if (!c.ok()) return "error: " + errors.front();
  for (const auto& s : c.model.states) {
    if (s.name == "s") return expr_text(c.model, s.expr);
  }
  return "no state s";
}

}  // namespace

TEST_CASE("the grammar has no cycles without progress") { CHECK(analyze_grammar(true) == 0); }

TEST_CASE("reserved words: a sorted table, each refused as a name, matched whole") {
  CHECK(std::is_sorted(grammar::reserved_words.begin(), grammar::reserved_words.end()));
  for (std::string_view w : grammar::reserved_words) {
    CAPTURE(w);
    CHECK(first_error(fmt::format("param {} = 5", w)) == "1:7 E007");
    // A longer word that starts with it, or has it inside, is a name.
    CHECK(first_error(fmt::format("param {}x = 5", w)) == "ok");
    CHECK(first_error(fmt::format("param x{} = 5", w)) == "ok");
    CHECK(first_error(fmt::format("param {}_1 = 5", w)) == "ok");
  }
  CHECK(first_error("param excludingx = 5") == "ok");  // longer than every reserved word
  CHECK(first_error("param mean = 5") == "ok");        // SPEC 4.4's words are contextual
}

TEST_CASE("the seed contract parses") {
  auto p = test::parse_text(test::read_file("examples/ev-charging.sla"));
  CHECK(test::joined(p.errors()) == "");
  CHECK(p.file.decls.size() == 14);
}

TEST_CASE("precedence: atoms, postfix, not, and, or") {
  CHECK(state_text("state s = open and session == idle lasting at least 5m") ==
        "(open and (session == idle lasting at least 5m))");
  CHECK(state_text("state s = seen heartbeat within 6m ignoring gaps under 20m") ==
        "(seen heartbeat within 6m ignoring gaps under 20m)");
  CHECK(state_text("state s = not open and open or open") == "((not open and open) or open)");
  CHECK(state_text("state s = open or open and not open") == "(open or (open and not open))");
  CHECK(state_text("state s = not open lasting at least 1m") == "not (open lasting at least 1m)");
  CHECK(state_text("state s = (open or open) lasting at least 1h30m ignoring gaps under 5m") ==
        "(((open or open) lasting at least 1h30m) ignoring gaps under 5m)");
  CHECK(state_text("state s = status in { ok, fault } and device.kind == rapid and site.vip") ==
        "(status in { ok, fault } and device.kind == rapid and site.vip)");
  CHECK(state_text("state s = temp >= 10_000.5 and temp < -3") == "(temp >= 10000.5 and temp < -3)");
  CHECK(state_text("state s = not not open") == "not not open");
}

TEST_CASE("precedence: capped conditions are postfix, `up`, `to`, `each`, `per` stay names") {
  CHECK(state_text("state up = status == ok\nstate s = not up up to 10d each") == "not (up up to 10d each)");
  CHECK(state_text("state s = open and open up to 1h per calendar year") ==
        "(open and (open up to 1h per calendar year))");
  CHECK(state_text("state s = seen heartbeat within 5m ignoring gaps under 5m up to 10d each") ==
        "((seen heartbeat within 5m ignoring gaps under 5m) up to 10d each)");
  CHECK(state_text("state s = (not open and status == fault) up to 10d each lasting at least 1h") ==
        "(((not open and status == fault) up to 10d each) lasting at least 1h)");
  CHECK(state_text("state s = open up to 30m per calendar day or open") ==
        "((open up to 30m per calendar day) or open)");
  CHECK(state_text("signal up : bool\nsignal to : bool\nsignal each : bool\nsignal per : bool\n"
                   "state s = up and to and each and per up to 1h each") == "(up and to and each and (per up to 1h each))");
  CHECK(state_text("param allowance = 72h\nstate s = open up to allowance per calendar quarter") ==
        "(open up to allowance per calendar quarter)");
}

TEST_CASE("syntax errors: code and position") {
  struct Case {
    std::string text;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"", "ok"},
      {"# only a comment\n", "ok"},
      {"\xEF\xBB\xBF" "contract \"BOM\"\r\nsignal a : bool\r\n", "ok"},
      {"contract", "1:9 E001"},
      {"contract X", "1:10 E001"},
      {"signal a bool", "1:10 E001"},
      {"signal a : enum { x, }", "1:22 E001"},
      {"signal 9a : bool", "1:8 E001"},
      {"signal in : bool", "1:8 E007"},
      {"state s = ", "1:11 E001"},
      {"state s = (a", "1:13 E001"},
      {"state s = a and", "1:16 E001"},
      {"state s = a = b", "1:13 E001"},
      {"state s = seen hb within", "1:25 E001"},
      {"state s = seen hb", "1:18 E001"},
      {"state s = a lasting 5m", "1:21 E001"},
      {"state s = a ignoring 5m", "1:22 E001"},
      {"state s = a up to", "1:18 E001"},
      {"state s = a up to 5m", "1:21 E001"},
      {"state s = a up to 5m per day", "1:26 E001"},
      {"state s = a up to 5m per calendar fortnight", "1:35 E001"},
      {"state s = a up to 5m each", "ok"},
      {"state s = x in { a b }", "1:20 E001"},
      {"calendar c = mon-fri 08:00", "1:27 E001"},
      {"calendar c = mon-xyz 08:00-09:00", "1:18 E001"},
      {"calendar c = daily 08:00-26:00", "1:26 E004"},
      {"calendar c = daily 08:00-09:00 in Europe", "1:35 E001"},
      {"holidays h = 2026-1-1", "1:14 E001"},
      {"holidays h = 2026-02-30", "1:14 E003"},
      {"param p = 10_000_000_000_000_000_000", "1:11 E002"},
      {"param p = 9223372036854775807", "ok"},
      {"param p = 1.0000000000000000001", "1:11 E002"},
      {"param p = 106751991167d", "ok"},
      {"param p = 106751991168d", "1:11 E002"},
      {"contract \"unterminated", "1:23 E001"},
      {"contract \"bad \\q escape\"", "1:16 E001"},
      {"sla s { in any calendar fortnight }", "1:25 E001"},
      {"sla s { in any rolling days }", "1:24 E001"},
      {"sla s { in any rolling 2 monthz }", "1:31 E001"},
      {"sla s { in any calendar day, on any device.kind }", "1:37 E001"},
      {"sla s { in any calendar day, on any site.region }", "ok"},
      {"sla s { in any rolling 2 months }", "ok"},
      {"sla s { in any calendar day starting 5am }", "1:39 E001"},
      {"sla s { in any calendar week starting mon 8 }", "1:44 E001"},
      {"sla s { in any calendar week starting mon 08:00 }", "ok"},
      {"sla s { in any calendar day starting 05:00 }", "ok"},
      {"sla s { in any calendar day starting 25:00 }", "1:38 E004"},
      {"sla s { on every device }", "1:18 E001"},
      {"sla s { penalty { below 90% 100 } }", "1:29 E001"},
      {"sla s { penalty }", "1:17 E001"},
      {"sla s {\n  warn 90%\n}", "2:8 E001"},
      {"sla s {\n  in any calendar month", "2:24 E001"},
      {"kpi k { with outages }", "1:14 E001"},
      {"test \"t\" { at 2026-03-01 08:00 }", "1:32 E001"},
      {"test \"t\" { device C1 S1 }", "1:22 E001"},
      {"test \"t\" { expect s flies }", "1:21 E001"},
      {"test \"t\" { at 2026-03-01 25:00 C1 open = true }", "1:15 E004"},
      {"test t {}", "1:6 E001"},
      {"state s = a\x01", "1:12 E001"},
      {"}", "1:1 E001"},
      {"signal a : bool\nsignal b : bool\n  }\n", "3:3 E001"},
      {"contract \"x\" \x80", "1:14 E006"},
      {std::string("contract \"x\"\n\0", 14), "2:1 E006"},
      {"# overlong \xC0\xAF\n", "1:12 E006"},
      {"# surrogate \xED\xA0\x80\n", "1:13 E006"},
      {"# beyond U+10FFFF \xF4\x90\x80\x80\n", "1:19 E006"},
      {"# cut short \xE2\x82", "1:13 E006"},
      {"# four bytes \xF0\x9F\x98\x80 fine\n", "ok"},
      {"contract \"caf\xC3\xA9\"\nsignal \xC3\xA9 : bool", "2:8 E001"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(first_error(c.text) == c.expected);
  }
}

TEST_CASE("columns count code points") {
  auto p = test::parse_text("contract \"\xC3\xA9\xC3\xA9\" x");
  REQUIRE(!p.errors().empty());
  CHECK(p.errors().front().starts_with("1:15 E001"));
}

TEST_CASE("two independent mistakes are both reported") {
  auto p = test::parse_text(
      "signal a : bool\n"
      "state x = a and\n"
      "state y = a\n"
      "calendar c = mon 08:00 09:00\n"
      "state z = a\n");
  auto errors = p.errors();
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].starts_with("3:1 E001"));
  CHECK(errors[1].starts_with("4:24 E001"));
  // Declarations around the mistakes are kept.
  CHECK(p.file.decls.size() == 3);
}

TEST_CASE("errors in different clauses of one SLA are all reported") {
  auto p = test::parse_text(
      "sla s {\n"
      "  in any calendar mnth, on any site\n"
      "  at least 1 up for at least 90%\n"
      "  penalty { below 99% 100 }\n"
      "  warn beneath 95%\n"
      "}\n"
      "signal after : bool\n");
  auto errors = p.errors();
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].starts_with("2:19 E001"));
  CHECK(errors[1].starts_with("4:23 E001"));
  CHECK(errors[2].starts_with("5:8 E001"));
  REQUIRE(p.file.decls.size() == 2);
  const auto& sla = std::get<ast::SlaDecl>(p.file.decls[0].v);
  CHECK(sla.incomplete);
  CHECK(sla.clauses.size() == 3);  // grouping, requirement, objective
}

TEST_CASE("an unclosed block ends at the next declaration") {
  auto p = test::parse_text(
      "sla s {\n"
      "  in any calendar month, on any site\n"
      "sla t {\n"
      "  in any calendar month, on any site\n"
      "}\n");
  auto errors = p.errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].starts_with("3:1 E001"));
  REQUIRE(p.file.decls.size() == 1);
  CHECK(std::get<ast::SlaDecl>(p.file.decls[0].v).name.text == "t");
}

TEST_CASE("hostile contracts get an error, not a crash") {
  SUBCASE("parentheses nested 100,000 deep") {
    std::string text = "state s = " + std::string(100'000, '(') + "a" + std::string(100'000, ')') + "\n";
    CHECK(first_error(text) == "1:112 E005");
  }
  SUBCASE("not nested 100,000 deep") {
    std::string text = "state s = ";
    for (int i = 0; i < 100'000; ++i) text += "not ";
    text += "a\n";
    CHECK(first_error(text) == "1:415 E005");
  }
  SUBCASE("100,000 postfix operators in a row") {
    // Each operator nests its operand one level deeper: E005 at the 101st.
    std::string text = "state s = a";
    for (int i = 0; i < 100'000; ++i) text += " lasting at least 1m";
    CHECK(first_error(text + "\n") == "1:2013 E005");
    text = "state s = a";
    for (int i = 0; i < 100'000; ++i) text += i % 2 ? " ignoring gaps under 1m" : " lasting at least 1m";
    CHECK(first_error(text + "\n").ends_with(" E005"));
  }
  SUBCASE("postfix operators count with the levels inside and around them") {
    auto chain = [](int n) {
      std::string out;
      for (int i = 0; i < n; ++i) out += " lasting at least 1m";
      return out;
    };
    CHECK(first_error(std::string(prelude) + "state s = open" + chain(100) + "\n") == "ok");
    CHECK(first_error(std::string(prelude) + "state s = open" + chain(101) + "\n") == "10:2016 E005");
    // Three parentheses inside, so 97 operators after them.
    CHECK(first_error(std::string(prelude) + "state s = (((open)))" + chain(97) + "\n") == "ok");
    CHECK(first_error(std::string(prelude) + "state s = (((open)))" + chain(98) + "\n") == "10:1962 E005");
    // 50 `not` around, 50 operators inside them.
    std::string nots;
    for (int i = 0; i < 50; ++i) nots += "not ";
    CHECK(first_error(std::string(prelude) + "state s = " + nots + "open" + chain(50) + "\n") == "ok");
    CHECK(first_error(std::string(prelude) + "state s = " + nots + "open" + chain(51) + "\n").ends_with(" E005"));
    // A chain inside parentheses, and another after them: 1 + 60 + 60 levels.
    std::string nested = "state s = (open" + chain(60) + ")" + chain(60) + "\n";
    CHECK(first_error(std::string(prelude) + nested).ends_with(" E005"));
    // Siblings do not add up: each operand of `and` has its own depth.
    std::string siblings = "state s = open" + chain(90) + " and open" + chain(90) + " or (open" + chain(90) + ")\n";
    CHECK(first_error(std::string(prelude) + siblings) == "ok");
    // The longest chain that passes is checked, formatted and lowered.
    auto c = compile_file("t.sla", std::string(prelude) + "state s = ((open" + chain(49) + ")" + chain(49) + ")\n");
    CHECK(c.ok());
  }
  SUBCASE("an error past the limit leaves the next declarations alone") {
    std::string text = std::string(prelude) + "state s = open";
    for (int i = 0; i < 200; ++i) text += " lasting at least 1m";
    auto p = test::parse_text(text + "\nstate t = open\n");
    REQUIRE(p.errors().size() == 1);
    CHECK(p.errors()[0].starts_with("10:2016 E005 condition nested too deeply"));
    CHECK(std::holds_alternative<ast::StateDecl>(p.file.decls.back().v));
  }
  SUBCASE("braces nested 100,000 deep in a test block and an SLA") {
    std::string text = "test \"t\" {\n  " + std::string(100'000, '{') + "\n}\nsignal a : bool\n";
    CHECK(first_error(text) == "2:3 E001");
    text = "sla s {\n  " + std::string(100'000, '{') + std::string(100'000, '}') + "\n}\nsignal a : bool\n";
    CHECK(first_error(text) == "2:3 E001");
  }
  SUBCASE("a chain of 30,000 imports") {
    // Each file imports the next: loaded on an explicit stack, not by recursion.
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / fmt::format("slac-imports-{}", static_cast<long>(getpid()));
    fs::create_directories(dir);
    constexpr int files = 30'000;
    for (int i = 0; i < files; ++i) {
      std::ofstream out(dir / fmt::format("f{}.sla", i));
      if (i + 1 < files) out << fmt::format("import \"f{}.sla\"\n", i + 1);
      out << fmt::format("signal s{} : bool\n", i);
    }
    auto c = compile_file((dir / "f0.sla").string());
    fs::remove_all(dir);
    CHECK(c.ok());
    CHECK(c.program->units.size() == files);
    CHECK(c.model.signals.size() == files);
  }
  SUBCASE("an enum of 100,000 members, compared 100,000 times") {
    std::string text = "signal big : enum { m0";
    for (int i = 1; i < 100'000; ++i) text += fmt::format(", m{}", i);
    text += " }\n";
    for (int i = 0; i < 100'000; ++i) text += fmt::format("state s{} = big == {}{}\n", i, i % 2 ? "m" : "bad", i);
    auto c = compile_file("t.sla", text);
    auto errors = test::describe(c.diags, c.program->sources);
    CHECK(c.diags.error_count() == 50'000);
    REQUIRE(!errors.empty());
    // The members are listed, but not all 100,000 in each message.
    CHECK(errors[0] == "2:19 E108 `bad0` is not a value of `big` (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, ... and 99990 more)");
  }
  SUBCASE("a 1 MB identifier") {
    std::string name(1 << 20, 'x');
    auto c = compile_file("t.sla", std::string(prelude) + "state " + name + " = open\nstate s = " + name + "\n");
    CHECK(c.ok());
  }
  SUBCASE("100,000 states in a chain") {
    std::string text = prelude;
    text += "state s0 = open\n";
    for (int i = 1; i < 100'000; ++i) text += fmt::format("state s{} = s{} and open\n", i, i - 1);
    text += "sla a {\n  in any calendar month, on any site\n  at least 1 s99999 for at least 90%\n}\n";
    auto c = compile_file("t.sla", text);
    CHECK(c.ok());
    CHECK(c.model.states.size() == 100'000);
    // Lowering follows the chain without recursing through it.
    std::string why;
    Plan plan = lower(c.model, *param_values(c.model, {}, why));
    CHECK(plan.slas.size() == 1);
  }
  SUBCASE("100,000 operands in one condition") {
    std::string text = std::string(prelude) + "state s = open";
    for (int i = 0; i < 100'000; ++i) text += " and open";
    auto c = compile_file("t.sla", text + "\n");
    CHECK(c.ok());
  }
  SUBCASE("a cycle through 50,000 states") {
    std::string text = prelude;
    for (int i = 0; i < 50'000; ++i) text += fmt::format("state s{} = s{}\n", i, (i + 1) % 50'000);
    auto c = compile_file("t.sla", text);
    auto errors = test::describe(c.diags, c.program->sources);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("E104") != std::string::npos);
  }
  SUBCASE("many errors are capped") {
    std::string text;
    for (int i = 0; i < 1000; ++i) text += "state = \n";
    auto p = test::parse_text(text);
    CHECK(p.diags.list().size() <= 100);
    CHECK(p.diags.error_count() >= 100);
  }
}

namespace {

// The first diagnostic of a text in full: "line:col CODE message".
std::string first_message(const std::string& text) {
  auto errors = test::parse_text(text).errors();
  return errors.empty() ? "ok" : errors.front();
}

std::string sla_with(const std::string& clauses) {
  return "signal heartbeat : event\nstate up = seen heartbeat within 10m\nsla s {\n  in any calendar month, on any site,\n" +
         clauses + "\n}\n";
}

}  // namespace

TEST_CASE("a name with `-` is said to be one, whatever its first part") {
  CHECK(first_message("signal s : enum { in-service, out_of_service }") ==
        "1:19 E001 `in-service` cannot be a name: names are letters, digits and `_`, not `-`; write `in_service`");
  CHECK(first_message("signal s : enum { ok, out-of-service }") ==
        "1:23 E001 `out-of-service` cannot be a name: names are letters, digits and `_`, not `-`; write `out_of_service`");
  CHECK(first_message("state up-time = true") ==
        "1:7 E001 `up-time` cannot be a name: names are letters, digits and `_`, not `-`; write `up_time`");
  CHECK(first_message("signal s : enum { a }\nstate x = s == in-service") ==
        "2:16 E001 `in-service` cannot be a name: names are letters, digits and `_`, not `-`; write `in_service`");
  // Where `-` belongs, it is not taken for part of a name.
  CHECK(first_message("calendar c = mon-fri 08:00-18:00") == "ok");
  CHECK(first_message("test \"t\" {\n  site S-1\n  device D-1 at S-1\n}") == "ok");
  CHECK(first_message("holidays h = 2026-13-01").find("E003") != std::string::npos);
}

TEST_CASE("clauses end at a comma or a line end") {
  CHECK(first_message(sla_with("  at least 1 up for at least 99%\n  penalty 500 GBP")) ==
        "6:15 E001 unexpected `GBP` after the penalty amount; the currency is set in the contract header (`currency GBP`)");
  CHECK(first_message(sla_with("  at least 1 up for at least 99%\n  penalty 500 per breach")).starts_with(
        "6:15 E001 unexpected `per` after the penalty amount; a fixed penalty is charged once for each breached group"));
  CHECK(first_message(sla_with("  at least 1 up for at least 99%\n  penalty cap 500 EUR")).starts_with(
        "6:19 E001 unexpected `EUR` after the penalty amount; the currency is set"));
  CHECK(first_message(sla_with("  at least 1 up for at least 99% warn below 99.5%")) ==
        "5:34 E001 expected `,` or a line end after the clause, found `warn`; two clauses on one line need a `,` "
        "between them");
  CHECK(first_message(sla_with("  at least 1 up\n  with no outage longer than 4 hours")) ==
        "6:32 E001 expected `,` or a line end after the clause, found `hours`; durations are whole numbers with a "
        "unit: ms, s, m, h, d or w (`10m`, `1h30m`); write `4h`");
  // What stays valid: a comma, a line end, a comment, `}`, and `for` after its requirement.
  CHECK(first_message(sla_with("  at least 1 up for at least 99%, penalty 500, warn below 99.5%  # terms")) == "ok");
  CHECK(first_message(sla_with("  at least 1 up\n  for at least 99%\n  penalty 500")) == "ok");
  CHECK(first_message(sla_with("  at least 1 up for at least 99% with no outage longer than 4h")) == "ok");
  CHECK(first_message("sla s { in any calendar month, on any site, at least 1 up for at least 9%, penalty 5 }") == "ok");
  CHECK(first_message(sla_with("  at least 1 up for at least 99%\n  penalty { below 99%: 10, below 90%: 20 }")) == "ok");
}

TEST_CASE("values written another way get the way to write them") {
  CHECK(first_message(sla_with("  at least 1 up for at least 99,5%")) ==
        "5:30 E001 a decimal is written with `.`: write `99.5%`, not `99,5%`");
  CHECK(first_message("signal s : number\nstate x = s in {1,2}") == "ok");  // a list, not a decimal comma
  CHECK(first_message(sla_with("  at least 1 up for at least 99%\n  penalty 10,000")) ==
        "6:11 E001 an amount is written without `,` (which separates clauses): write `10000` or `10_000`, not `10,000`");
  CHECK(first_message(sla_with("  at least 1 up for at least 99%\n  penalty { below 99%: 1,000,000 }")).starts_with(
        "6:24 E001 an amount is written without `,` (which separates clauses): write `1000000` or `1_000_000`"));
  CHECK(first_message("signal s : number\nstate x = s in {10,200}") == "ok");  // only amounts
  CHECK(first_message(sla_with("  at least 1 up for at least 99%\n  penalty 10, warn below 99.5%")) == "ok");
  CHECK(first_message("signal h : event\nstate up = seen h within 5min") ==
        "2:26 E001 expected a duration after `within` (such as `10m`), found `5min`; durations are whole numbers with a "
        "unit: ms, s, m, h, d or w (`10m`, `1h30m`); write `5m`");
  CHECK(first_message("param grace = 5mins").ends_with("; write `5m`"));
  CHECK(first_message("param grace = 0.5h").ends_with(", so a fraction is written in a smaller unit: `30m`"));
  CHECK(first_message("param grace = 2 hrs").ends_with("; write `2h`"));
  CHECK(first_message("param grace = 3months").ends_with("months and years vary in length, so durations stop at weeks"));
}

TEST_CASE("a duration's unit written apart is named in the first error") {
  Compilation c = compile_file("t.sla", "signal h : event\nstate up = seen h within 5 min\nstate x = seen h within 5 and up\n");
  auto errors = test::describe(c.diags, c.program->sources);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == "2:26 E201 `seen ... within` expects a duration, found a number `5`; durations are whole numbers "
                     "with a unit: ms, s, m, h, d or w (`10m`, `1h30m`); write `5m`");
  CHECK(errors[1].starts_with("2:28 E001 expected a declaration"));
  CHECK(errors[2].ends_with("; give `5` a unit, as in `5m`"));
}

TEST_CASE("a syntax error in a test's site does not make the site unknown") {
  Compilation c = compile_file("t.sla", std::string(prelude) + R"(state up = seen heartbeat within 10m
sla avail {
  in any calendar month, on any site,
  at least 1 up for at least 90%
}
test "t" {
  from 2026-03-01 to 2026-04-01
  site D { vip = true = 2 }
  device "D 1" at D { kind = = rapid }
  at 2026-03-02 08:00 "D 1" heartbeat
  expect avail on D in 2026-03 met
}
)");
  auto errors = test::describe(c.diags, c.program->sources);
  CAPTURE(test::joined(errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].starts_with("17:23 E001"));
  CHECK(errors[1].starts_with("18:30 E001"));
}

TEST_CASE("a name written as words is suggested as the name the file has") {
  const std::string calendar = "calendar business_hours = mon-fri 08:00-18:00\n";
  CHECK(first_message(calendar + sla_with("  at least 1 up for at least 90% of business hours")) ==
        "6:37 E001 `business hours` is not a name (names have no spaces); did you mean `business_hours`?");
  CHECK(first_message(calendar + sla_with("  at least 1 up for at least 90%\n  during business hours")) ==
        "7:10 E001 `business hours` is not a name (names have no spaces); did you mean `business_hours`?");
  // Three words, and the longest run the file has.
  CHECK(first_message("calendar peak_business_hours = mon-fri 08:00-18:00\n" +
                      sla_with("  at least 1 up for at least 90% of peak business hours")) ==
        "6:37 E001 `peak business hours` is not a name (names have no spaces); did you mean `peak_business_hours`?");
  CHECK(first_message("signal heart_beat : event\nstate up = seen heart beat within 10m") ==
        "2:17 E001 `heart beat` is not a name (names have no spaces); did you mean `heart_beat`?");
  // No such name in the file: the grammar's own message.
  CHECK(first_message(sla_with("  at least 1 up for at least 90% of business hours")) ==
        "5:46 E001 expected `,` or a line end after the clause, found `hours`; two clauses on one line need a `,` "
        "between them");
}

TEST_CASE("a date that does not exist says what is wrong with it") {
  CHECK(first_message("holidays h = 2026-02-30") ==
        "1:14 E003 `2026-02-30` is not a date: there is no 30 February 2026 (February 2026 has 28 days)");
  CHECK(first_message("holidays h = 2028-02-30") ==
        "1:14 E003 `2028-02-30` is not a date: there is no 30 February 2028 (February 2028 has 29 days)");
  CHECK(first_message("holidays h = 2026-13-01") == "1:14 E003 `2026-13-01` is not a date: there is no month 13");
  CHECK(first_message("holidays h = 1969-12-31") == "1:14 E003 `1969-12-31` is before 1970");
  CHECK(first_message("holidays h = 2026-02-29") ==
        "1:14 E003 `2026-02-29` is not a date: there is no 29 February 2026 (February 2026 has 28 days)");
}

TEST_CASE("`mean of`: a number expression, its errors, and the words it leaves free") {
  auto sla = [](const std::string& requirement) {
    return "kpi k {\n  in any calendar day, on any device,\n  " + requirement + "\n}\n";
  };
  CHECK(first_error(sla("mean of 100% - error_rate")) == "ok");
  CHECK(first_error(sla("mean of (a + b) * c / -2.5, unknown as 0")) == "ok");
  CHECK(first_error(sla("mean of device.capacity / site.size")) == "ok");
  CHECK(first_error(sla("mean of events events")) == "ok");  // an event measure of a state `mean`
  CHECK(first_error(sla("mean")) == "ok");                   // a state `mean`
  CHECK(first_message(sla("mean of")) == "4:1 E001 expected a number expression after `mean of`, as in `mean of 100% - error_rate`, found `}`");
  CHECK(first_message(sla("mean of a +")) == "4:1 E001 expected a number, a percentage, a number signal, attribute or param, or `(`, after the operator, found `}`");
  CHECK(first_message(sla("mean of (a")) == "4:1 E001 expected `)` to close the expression, or an operator (`+ - * /`), found `}`");
  CHECK(first_message(sla("mean of a, unknown as")) == "4:1 E001 expected a number after `unknown as`, as in `unknown as 0`, found `}`");
}

TEST_CASE("`on any device.NAME` says to write `on any NAME`") {
  auto errors = test::parse_text("sla s { in any calendar day, on any device.kind, at least 1 up }").errors();
  REQUIRE(!errors.empty());
  CHECK(errors.front() == "1:37 E001 expected a device attribute's name alone after `on any` to group by it, as in "
                          "`on any kind` (not `on any device.kind`), found `device`");
}

TEST_CASE("a duration of any number of digits is refused, never overflowed (fuzz_check, 2026-12-02)") {
  // Found by fuzz_check: a duration of 70 digits overflowed even a 128-bit integer while
  // its digits were still being read (UBSan: signed integer overflow in parse.cpp).
  for (std::size_t digits : {20, 39, 40, 70, 400}) {
    CAPTURE(digits);
    auto p = test::parse_text("contract \"C\"\nsignal open : bool\nstate s = open lasting at least 1" + std::string(digits, '6') +
                              "m\n");
    auto errors = p.errors();
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("is too long") != std::string::npos);
  }
}
