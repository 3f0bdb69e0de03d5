// The docs are part of the feature: every `sla` block in docs/ checks clean, every
// `sla-fragment` parses, every diagnostic code is documented, and every console
// example prints what the docs show (a line `...` stands for any lines, so that a long
// output can be shown in part).
#include <doctest/doctest.h>

#include <filesystem>

#include "compiler/loader.hpp"
#include "tests/support.hpp"

using namespace slac;
namespace fs = std::filesystem;

namespace {

struct Block {
  std::string file;
  int line;
  std::string kind;
  std::string text;
};

std::vector<Block> code_blocks() {
  std::vector<Block> out;
  for (const auto& entry : fs::directory_iterator("docs")) {
    if (entry.path().extension() != ".md") continue;
    std::string text = test::read_file(entry.path().generic_string());
    std::istringstream in(text);
    std::string line;
    int number = 0;
    Block* open = nullptr;
    while (std::getline(in, line)) {
      ++number;
      if (open == nullptr && line.starts_with("```sla")) {
        out.push_back(Block{entry.path().generic_string(), number + 1, line.substr(3), ""});
        open = &out.back();
      } else if (open != nullptr && line.starts_with("```")) {
        open = nullptr;
      } else if (open != nullptr) {
        open->text += line + "\n";
      }
    }
  }
  return out;
}

// Whether `actual` is `expected`, where each line `...` of `expected` matches any
// number of whole lines (none included).
bool matches_with_elision(const std::string& expected, const std::string& actual) {
  std::vector<std::string> parts{""};
  std::istringstream in(expected);
  std::string line;
  while (std::getline(in, line)) {
    if (line == "...") {
      parts.emplace_back();
    } else {
      parts.back() += line + "\n";
    }
  }
  if (parts.size() == 1) return expected == actual;
  // The first part is a prefix, the last a suffix, the others in order between, each
  // starting at a line start.
  const std::string& head = parts.front();
  const std::string& tail = parts.back();
  if (actual.size() < head.size() + tail.size() || !actual.starts_with(head) || !actual.ends_with(tail)) return false;
  std::size_t at = head.size();
  std::size_t end = actual.size() - tail.size();
  for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
    std::size_t found = at;
    while (true) {
      found = actual.find(parts[i], found);
      if (found == std::string::npos || found + parts[i].size() > end) return false;
      if (found == 0 || actual[found - 1] == '\n') break;
      ++found;
    }
    at = found + parts[i].size();
  }
  return true;
}

}  // namespace

TEST_CASE("docs: an elided console example matches whole lines in order") {
  CHECK(matches_with_elision("a\nb\n", "a\nb\n"));
  CHECK_FALSE(matches_with_elision("a\nb\n", "a\nb\nc\n"));
  CHECK(matches_with_elision("a\n...\nd\n", "a\nb\nc\nd\n"));
  CHECK(matches_with_elision("a\n...\nd\n", "a\nd\n"));
  CHECK(matches_with_elision("a\n...\nc\n...\n", "a\nb\nc\nd\n"));
  CHECK_FALSE(matches_with_elision("a\n...\nc\n...\n", "a\nb\nxc\nd\n"));
  CHECK_FALSE(matches_with_elision("a\n...\nc\n...\nc\n", "a\nc\n"));
  CHECK_FALSE(matches_with_elision("a\n...\nd\n", "b\nd\n"));
}

TEST_CASE("docs: every sla block checks clean, every fragment parses") {
  auto blocks = code_blocks();
  REQUIRE(blocks.size() >= 5);
  for (const auto& b : blocks) {
    CAPTURE(b.file);
    CAPTURE(b.line);
    if (b.kind == "sla") {
      Compilation c = compile_file(b.file, b.text);
      CHECK(test::joined(test::describe(c.diags, c.program->sources)) == "");
    } else {
      // A fragment is declarations, or clauses (parsed inside an SLA).
      REQUIRE(b.kind == "sla-fragment");
      auto p = test::parse_text(b.text);
      if (p.diags.has_errors()) p = test::parse_text("sla fragment {\n" + b.text + "}\n");
      CHECK(test::joined(p.errors()) == "");
    }
  }
}

TEST_CASE("docs: every diagnostic code is documented") {
  std::string doc = test::read_file("docs/diagnostics.md");
  for (const auto& info : code_registry()) {
    CAPTURE(info.id);
    CHECK(doc.find(fmt::format("| {} | {} |", info.id, info.summary)) != std::string::npos);
  }
}

TEST_CASE("docs: every console example prints exactly what the docs show") {
  int commands = 0;
  for (const auto& entry : fs::directory_iterator("docs")) {
    if (entry.path().extension() != ".md") continue;
    std::string text = test::read_file(entry.path().generic_string());
    std::istringstream in(text);
    std::string line;
    bool open = false;
    std::string command, expected;
    auto finish = [&] {
      if (command.empty()) return;
      CAPTURE(entry.path().generic_string());
      CAPTURE(command);
      std::string args = command.substr(std::string("slac ").size());
      // Warnings (standard error) come before the output, as on a terminal.
      auto r = test::run_slac(args);
      std::string printed = r.err + r.out;
      CAPTURE(printed);
      CHECK(matches_with_elision(expected, printed));
      ++commands;
      command.clear();
      expected.clear();
    };
    while (std::getline(in, line)) {
      if (!open && line == "```console") {
        open = true;
      } else if (open && line == "```") {
        finish();
        open = false;
      } else if (open && line.starts_with("$ slac ")) {
        finish();
        command = line.substr(2);
      } else if (open) {
        expected += line + "\n";
      }
    }
  }
  CHECK(commands >= 5);
}
