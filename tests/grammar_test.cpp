// Grammar soundness and syntax errors: input -> code and position.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "grammar/parse.hpp"
#include "tests/support.hpp"

using namespace slac;

TEST_CASE("the grammar has no cycles without progress") { CHECK(analyze_grammar(true) == 0); }

TEST_CASE("the seed contract parses") {
  auto p = test::parse_text(test::read_file("examples/ev-charging.sla"));
  CHECK(p.errors() == std::vector<std::string>{});
  CHECK(p.file.decls.size() == 14);
}
