// The docs are part of the feature: every `sla` block in docs/ checks clean, every
// `sla-fragment` parses, and every diagnostic code is documented.
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

}  // namespace

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
      CHECK(r.err + r.out == expected);
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
