// `slac test`: run the test blocks of contracts; failures as file:line, a summary, JSON
// and JUnit XML for CI.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/xml.hpp"
#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "compiler/loader.hpp"
#include "tester/tester.hpp"

namespace slac::cli {
namespace {

namespace fs = std::filesystem;

struct FileOutcome {
  std::string path;
  std::string compile_errors;  // rendered diagnostics, when the contract does not check
  std::vector<rt::TestResult> tests;
  std::unique_ptr<Program> program;
};

std::string location(const Program& program, const Range& r) {
  const SourceFile& f = program.sources.file(r.file);
  return fmt::format("{}:{}", f.path(), f.location(r.begin).line);
}

}  // namespace

int run_test(const TestOptions& options) {
  auto found = contract_files(options.paths, "test");
  if (!found) return exit_usage;
  const std::vector<std::string>& files = found->files;
  bool color = use_color(out());
  auto paint = [&](std::string_view code, std::string_view text) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  std::vector<FileOutcome> outcomes;
  std::size_t passed = 0, failed = 0;
  for (const auto& path : files) {
    FileOutcome o;
    o.path = path;
    Compilation c;
    try {
      c = compile_file(path);
    } catch (const FileError& e) {
      fmt::print(err(), "slac test: {}\n", e.what());
      return exit_usage;
    }
    if (!c.ok()) {
      o.compile_errors = render_text(c.diags, c.program->sources, RenderOptions{false});
      ++failed;
    } else {
      // Warnings on standard error, where they disturb neither the results nor JSON.
      fmt::print(err(), "{}", render_text(c.diags, c.program->sources, RenderOptions{use_color(err())}));
      o.tests = rt::run_tests(c.model);
      for (const auto& t : o.tests) (t.passed ? passed : failed) += 1;
    }
    o.program = std::move(c.program);
    outcomes.push_back(std::move(o));
  }

  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["files"] = nlohmann::ordered_json::array();
    for (const auto& o : outcomes) {
      nlohmann::ordered_json f = {{"file", o.path}, {"checked", o.compile_errors.empty()}};
      if (!o.compile_errors.empty()) f["errors"] = o.compile_errors;
      f["tests"] = nlohmann::ordered_json::array();
      for (const auto& t : o.tests) {
        nlohmann::ordered_json tj = {{"name", t.name}, {"line", o.program->sources.file(t.where.file).location(t.where.begin).line}, {"passed", t.passed}};
        if (!t.error.empty()) tj["error"] = t.error;
        tj["expectations"] = nlohmann::ordered_json::array();
        for (const auto& e : t.expectations) {
          nlohmann::ordered_json ej = {{"line", o.program->sources.file(e.where.file).location(e.where.begin).line},
                                       {"passed", e.passed},
                                       {"expected", e.expected},
                                       {"got", e.got}};
          tj["expectations"].push_back(std::move(ej));
        }
        f["tests"].push_back(std::move(tj));
      }
      j["files"].push_back(std::move(f));
    }
    j["passed"] = passed;
    j["failed"] = failed;
    fmt::print(out(), "{}\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    for (const auto& o : outcomes) {
      if (!o.compile_errors.empty()) {
        fmt::print(out(), "{}", o.compile_errors);
        fmt::print(out(), "{}\n", paint("31", fmt::format("{}: the contract has errors; its tests did not run", o.path)));
        continue;
      }
      for (const auto& t : o.tests) {
        if (!t.error.empty()) {
          fmt::print(out(), "{}: {}\n", location(*o.program, t.where), paint("31", fmt::format("test \"{}\" cannot run: {}", t.name, t.error)));
        }
        for (const auto& e : t.expectations) {
          if (e.passed) continue;
          fmt::print(out(), "{}: {}\n", location(*o.program, e.where),
                     paint("31", fmt::format("expected {}, got {} (test \"{}\")", e.expected, e.got, t.name)));
        }
      }
    }
    std::string summary = fmt::format("{} passed, {} failed", passed, failed);
    fmt::print(out(), "{}\n", failed > 0 ? paint("1;31", summary) : paint("1;32", summary));
  }

  if (options.junit) {
    std::ofstream out(*options.junit, std::ios::binary);
    if (!out) {
      fmt::print(err(), "slac test: cannot write {}\n", *options.junit);
      return exit_usage;
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format("<testsuites name=\"slac\" tests=\"{}\" failures=\"{}\">\n", passed + failed, failed);
    for (const auto& o : outcomes) {
      std::size_t n = o.compile_errors.empty() ? o.tests.size() : 1;
      std::size_t f = 0;
      for (const auto& t : o.tests) f += t.passed ? 0 : 1;
      if (!o.compile_errors.empty()) f = 1;
      out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n", xml_escape(o.path), n, f);
      if (!o.compile_errors.empty()) {
        out << fmt::format("    <testcase name=\"check\" classname=\"{}\">\n      <failure message=\"the contract has errors\">{}</failure>\n    </testcase>\n",
                           xml_escape(o.path), xml_escape(o.compile_errors));
      }
      for (const auto& t : o.tests) {
        out << fmt::format("    <testcase name=\"{}\" classname=\"{}\"", xml_escape(t.name), xml_escape(o.path));
        if (t.passed) {
          out << "/>\n";
          continue;
        }
        std::string details = t.error;
        for (const auto& e : t.expectations) {
          if (!e.passed) details += fmt::format("{}: expected {}, got {}\n", location(*o.program, e.where), e.expected, e.got);
        }
        out << fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                           xml_escape(t.error.empty() ? "an expectation failed" : t.error), xml_escape(details));
      }
      out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
  }
  if (failed > 0) return exit_failed;
  if (passed == 0) {
    // Like promtool: finding nothing to run must not pass for success in CI.
    fmt::print(err(), "slac test: no test found in {} ({} contract{}); add `test` blocks (docs/language.md#tests)\n",
               fmt::join(options.paths, ", "), files.size(), files.size() == 1 ? "" : "s");
    return exit_nothing_judged;
  }
  return found->empty_folders.empty() ? exit_ok : exit_nothing_judged;
}

}  // namespace slac::cli
