// `slac check`: parse and check contracts; diagnostics as text, JSON or SARIF.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <iterator>

#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "compiler/loader.hpp"

namespace slac::cli {

int run_check(const CheckOptions& options) {
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t failed_files = 0;
  bool unreadable = false;
  nlohmann::ordered_json files_json = nlohmann::ordered_json::array();
  nlohmann::ordered_json sarif = nlohmann::ordered_json::array();
  bool color = use_color(err());
  auto files = contract_files(options.files, "check");
  if (!files) return exit_usage;
  for (const auto& path : files->files) {
    // Standard input is named as its diagnostics name it.
    const std::string shown = path == "-" ? "<stdin>" : path;
    Compilation c;
    try {
      if (path == "-") {
        std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
        c = compile_file("-", std::move(text));
      } else {
        c = compile_file(path);
      }
    } catch (const FileError& e) {
      // The other files are still checked and reported (a CI job that writes SARIF
      // keeps its results); the exit code says a file could not be read.
      fmt::print(err(), "slac check: {}\n", e.what());
      unreadable = true;
      if (options.format == "json") files_json.push_back({{"file", shown}, {"ok", false}, {"unreadable", e.what()}});
      continue;
    }
    errors += c.diags.error_count();
    warnings += c.diags.warning_count();
    if (c.diags.has_errors()) ++failed_files;
    if (options.format == "json") {
      files_json.push_back({{"file", shown},
                            {"ok", c.ok()},
                            {"errors", c.diags.error_count()},
                            {"warnings", c.diags.warning_count()},
                            {"diagnostics", diagnostics_json(c.diags, c.program->sources)},
                            {"not_shown", c.diags.dropped()}});
    } else if (options.format == "sarif") {
      for (auto& r : sarif_results(c.diags, c.program->sources)) sarif.push_back(std::move(r));
    } else {
      fmt::print(err(), "{}", render_text(c.diags, c.program->sources, RenderOptions{color}));
      if (c.ok()) {
        std::size_t slas = 0, kpis = 0;
        for (const auto& s : c.model.slas) (s.is_kpi ? kpis : slas) += 1;
        fmt::print(out(), "{}: ok ({} SLA{}, {} KPI{}, {} state{}, {} test{})\n", shown, slas, slas == 1 ? "" : "s", kpis,
                   kpis == 1 ? "" : "s", c.model.states.size(), c.model.states.size() == 1 ? "" : "s",
                   c.model.tests.size(), c.model.tests.size() == 1 ? "" : "s");
      }
    }
  }
  if (options.format == "json") {
    nlohmann::ordered_json summary = {{"files", std::move(files_json)}, {"errors", errors}, {"warnings", warnings}};
    fmt::print(out(), "{}\n", summary.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  } else if (options.format == "sarif") {
    fmt::print(out(), "{}\n", sarif_log(std::move(sarif), SLAC_VERSION).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  } else if (errors > 0) {
    fmt::print(err(), "{} error{} in {} file{}\n", errors, errors == 1 ? "" : "s", failed_files, failed_files == 1 ? "" : "s");
  }
  if (unreadable) return exit_usage;
  if (errors > 0) return exit_failed;
  return files->empty_folders.empty() ? exit_ok : exit_nothing_judged;
}

}  // namespace slac::cli
