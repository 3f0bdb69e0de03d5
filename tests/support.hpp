// Helpers shared by the unit tests: parse or check a text, list its diagnostics.
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "grammar/parse.hpp"

namespace slac::test {

inline std::string source_dir() { return SLAC_SOURCE_DIR; }

inline std::string read_file(const std::string& relative) {
  std::ifstream in(source_dir() + "/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "line:col CODE message" for each diagnostic.
inline std::vector<std::string> describe(const Diagnostics& diags, const SourceManager& sources) {
  std::vector<std::string> out;
  for (const auto& d : diags.list()) {
    Location at = sources.file(d.range.file).location(d.range.begin);
    out.push_back(fmt::format("{}:{} {} {}", at.line, at.column, code_id(d.code), d.message));
  }
  return out;
}

struct Parsed {
  SourceManager sources;
  Diagnostics diags;
  ast::File file;
  std::vector<std::string> errors() const { return describe(diags, sources); }
};

inline Parsed parse_text(std::string text) {
  Parsed p;
  const SourceFile& f = p.sources.add("test.sla", std::move(text));
  p.file = parse_file(f, p.diags);
  return p;
}

}  // namespace slac::test
