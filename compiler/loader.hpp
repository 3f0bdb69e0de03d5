// Loading a contract and everything it imports, and compiling it to a checked model.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "base/source.hpp"
#include "compiler/model.hpp"
#include "grammar/ast.hpp"

namespace slac {

struct Unit {
  FileId file = 0;
  ast::File ast;
  std::string key;                 // canonical path, or `std/NAME`
};

// A root file and the closure of its imports; units[0] is the root.
struct Program {
  SourceManager sources;
  std::vector<Unit> units;
};

// Thrown when the root file itself cannot be read: a usage error, not a diagnostic.
struct FileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads `path` and its imports. Syntax errors, missing imports and import cycles go to
// `diags`. `text` stands in for the file's content when given (standard input).
std::unique_ptr<Program> load_program(const std::string& path, Diagnostics& diags,
                                      std::optional<std::string> text = std::nullopt);

// Checks a loaded program; the model is complete only when diags has no errors.
Model check_program(const Program& program, Diagnostics& diags);

// load + check.
struct Compilation {
  std::unique_ptr<Program> program;
  Diagnostics diags;
  Model model;
  bool ok() const { return !diags.has_errors(); }
};
Compilation compile_file(const std::string& path, std::optional<std::string> text = std::nullopt);

// Reads a whole file; throws FileError with the reason.
std::string read_text_file(const std::string& path);

}  // namespace slac
