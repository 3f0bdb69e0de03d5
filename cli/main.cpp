// The `slac` program: option parsing for every command, then the command itself.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"

namespace {

constexpr const char* description =
    "slac: the SLA contract compiler and evaluator.\n"
    "Contracts (.sla files) say what \"working\" means for connected products; slac checks\n"
    "them and judges them over device event data.\n"
    "Exit codes: 0 success, 1 contract errors (or a breach with --fail-on-breach, or an\n"
    "unformatted file with fmt --check), 2 usage error, 3 data error.";

}  // namespace

int main(int argc, char** argv) {
  using namespace slac::cli;
  CLI::App app{description, "slac"};
  app.set_version_flag("--version", fmt::format("slac {}", SLAC_VERSION), "print the version and exit");
  app.require_subcommand(1, 1);
  app.fallthrough(false);

  CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand("check", "parse and check contracts, reporting every error with its file:line:col");
  check_cmd->add_option("files", check.files, "contract files (.sla); - reads standard input")->required()->type_name("FILE...");
  check_cmd->add_option("--format", check.format, "diagnostics as text (default), json or sarif (SARIF 2.1.0)")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->type_name("text|json|sarif");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }

  if (check_cmd->parsed()) return run_check(check);
  return exit_usage;
}
