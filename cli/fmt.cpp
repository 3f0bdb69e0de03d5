// `slac fmt`: rewrite contracts in the canonical layout; --check and --diff for CI. A
// contract with errors is never rewritten.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "compiler/loader.hpp"
#include "format/format.hpp"

namespace slac::cli {

int run_fmt(const FmtOptions& options) {
  namespace fs = std::filesystem;
  bool errors = false;
  bool changed = false;
  auto files = contract_files(options.files, "fmt");
  if (!files) return exit_usage;
  for (const auto& path : files->files) {
    bool from_stdin = path == "-";
    std::string original;
    try {
      original = from_stdin ? std::string{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()}
                            : read_text_file(path);
    } catch (const FileError& e) {
      fmt::print(err(), "slac fmt: {}\n", e.what());
      return exit_usage;
    }
    // A file with any error, not only a syntax error, is left as it is: the layout of a
    // text the checker rejects may not mean what its author meant (a misplaced word
    // read as another clause), and rewriting it would hide that.
    Compilation checked = compile_file(from_stdin ? "-" : path, original);
    if (checked.diags.has_errors()) {
      Diagnostics errors_only;
      for (const auto& d : checked.diags.list()) {
        if (d.severity == Severity::error) errors_only.add(d);
      }
      fmt::print(err(), "{}", render_text(errors_only, checked.program->sources, RenderOptions{use_color(err())}));
      fmt::print(err(), "slac fmt: {} has {} error{}; left unchanged\n", from_stdin ? "<stdin>" : path,
                 checked.diags.error_count(), checked.diags.error_count() == 1 ? "" : "s");
      errors = true;
      continue;
    }
    SourceManager sources;
    Diagnostics diags;
    const SourceFile& file = sources.add(from_stdin ? "<stdin>" : path, original);
    auto formatted = format_source(file, diags);
    if (!formatted) {
      fmt::print(err(), "{}", render_text(diags, sources, RenderOptions{use_color(err())}));
      fmt::print(err(), "slac fmt: {} has syntax errors; left unchanged\n", from_stdin ? "<stdin>" : path);
      errors = true;
      continue;
    }
    bool differs = *formatted != original;
    changed |= differs;
    if (options.diff) {
      fmt::print(out(), "{}", unified_diff(original, *formatted, from_stdin ? "<stdin>" : path));
      continue;
    }
    if (options.check) {
      if (differs) fmt::print(out(), "{}\n", from_stdin ? "<stdin>" : path);
      continue;
    }
    if (from_stdin) {
      fmt::print(out(), "{}", *formatted);
      continue;
    }
    if (!differs) continue;
    // Written beside the file, then renamed over it: never half a contract.
    fs::path target(path);
    fs::path temp = target;
    temp += ".slac-fmt.tmp";
    {
      std::ofstream out(temp, std::ios::binary);
      out << *formatted;
      if (!out) {
        fmt::print(err(), "slac fmt: cannot write {}\n", temp.string());
        return exit_usage;
      }
    }
    std::error_code ec;
    fs::permissions(temp, fs::status(target, ec).permissions(), ec);
    fs::rename(temp, target, ec);
    if (ec) {
      fmt::print(err(), "slac fmt: cannot replace {}: {}\n", path, ec.message());
      fs::remove(temp, ec);
      return exit_usage;
    }
  }
  if (errors) return exit_failed;
  if ((options.check || options.diff) && changed) return exit_failed;
  return files->empty_folders.empty() ? exit_ok : exit_nothing_judged;
}

}  // namespace slac::cli
