// Helpers shared by the unit tests: parse or check a text, list its diagnostics.
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/diagnostics.hpp"
#include "grammar/ast.hpp"
#include "grammar/parse.hpp"

namespace slac::test {

inline std::string source_dir() { return SLAC_SOURCE_DIR; }

inline std::string read_file(const std::string& relative) {
  std::ifstream in(relative, std::ios::binary);
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

inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
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

#include <cstdio>
#include <filesystem>
#include <sys/wait.h>

namespace slac::test {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the slac binary with `args` (a shell fragment), capturing both streams.
inline Run run_slac(const std::string& args, const std::string& env = "NO_COLOR=1") {
  static int counter = 0;
  std::string err_path = (std::filesystem::temp_directory_path() /
                          fmt::format("slac-test-{}-{}.err", static_cast<long>(getpid()), counter++))
                             .string();
  std::string cmd = fmt::format("{} {} {} 2>{}", env, SLAC_BINARY, args, err_path);
  Run r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[65536];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_file(err_path);
  std::filesystem::remove(err_path);
  return r;
}

}  // namespace slac::test
