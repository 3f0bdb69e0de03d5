// `slac lsp`: the language server over standard input and output (lsp/server.hpp).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "lsp/server.hpp"

namespace slac::cli {

namespace {

// Where go-to-definition writes the standard contracts it opens: the user's cache
// (XDG_CACHE_HOME, else ~/.cache), else the temporary folder, under the version so that
// an upgrade never shows another version's text.
std::string default_stdlib_dir() {
  namespace fs = std::filesystem;
  fs::path cache;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    cache = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    cache = fs::path(home) / ".cache";
  } else {
    std::error_code ec;
    cache = fs::temp_directory_path(ec) / fmt::format("slac-{}", ::getuid());
  }
  return (cache / "slac" / SLAC_VERSION / "std").string();
}

}  // namespace

int run_lsp(const LspOptions& options) {
  std::ios::sync_with_stdio(false);
  lsp::ServerOptions server;
  server.stdlib_dir = options.stdlib_dir.empty() ? default_stdlib_dir() : options.stdlib_dir;
  server.version = SLAC_VERSION;
  return lsp::serve(std::cin, std::cout, server);
}

}  // namespace slac::cli
