// The `slac` program: option parsing for every command, then the command itself.
#include <charconv>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/diagnostics.hpp"
#include "cli/commands.hpp"
#include "cli/completion.hpp"
#include "runtime/ingest/dataset.hpp"

namespace {

constexpr const char* description =
    "slac: the SLA contract compiler and evaluator.\n"
    "Contracts (.sla files) say what \"working\" means for connected products; slac checks\n"
    "them and judges them over device event data.\n"
    "Exit codes: 0 success, 1 contract errors (or a breach with --fail-on-breach, or an\n"
    "unformatted file with fmt --check), 2 usage error, 3 data error, 4 nothing judged (with\n"
    "eval --fail-on-breach, a selected SLA had no complete window or no group; test found no test).";

}  // namespace

int main(int argc, char** argv) {
  using namespace slac::cli;
  CLI::App app{description, "slac"};
  app.set_version_flag("--version", fmt::format("slac {}", SLAC_VERSION), "print the version and exit");
  app.require_subcommand(1, 1);
  app.fallthrough(false);

  CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand("check", "parse and check contracts, reporting every error with its file:line:col");
  check_cmd->add_option("files", check.files, "contract files (.sla), or folders searched for them; - reads standard input")
      ->required()
      ->type_name("FILE...");
  check_cmd->add_option("--format", check.format, "diagnostics as text (default), json or sarif (SARIF 2.1.0)")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->type_name("text|json|sarif");

  // Options every data command takes (`status` has --as-of instead of a span).
  auto data_options = [](CLI::App* cmd, DataOptions& o, bool span = true) {
    cmd->add_option("contract", o.contract, "the contract (.sla)")->required()->type_name("CONTRACT");
    cmd->add_option("--data", o.data,
                    "the dataset: a folder holding sites.csv, devices.csv, events.csv (or events.jsonl; either may be "
                    "gzipped, .gz), or a PostgreSQL URI (postgresql://[user@]host/db, or postgresql:///db with the PG* "
                    "variables) whose relations sites, devices, events are read")
        ->required()
        ->type_name("DIR|URI");
    cmd->add_option("--data-schema", o.data_schema,
                    "PostgreSQL: the schema holding the relations (default: the search_path)")
        ->type_name("NAME");
    cmd->add_option("--data-map", o.data_map,
                    "PostgreSQL: a JSON file naming other relations and columns, and an `order` column for "
                    "events at one instant (docs/data.md)")
        ->type_name("FILE");
    if (span) {
      cmd->add_option("--from", o.from,
                      "start of the evaluation: a date (local midnight in the contract's time zone) or an RFC 3339 "
                      "instant; default: the last local midnight at or before the earliest event")
          ->type_name("TIME");
      cmd->add_option("--to", o.to,
                      "end of the evaluation (exclusive, at most 100 years after the start); default: the first local "
                      "midnight at or after the latest event")
          ->type_name("TIME");
    }
    cmd->add_option("--sla", o.slas, "judge only this SLA or KPI (repeatable)")->type_name("NAME");
    cmd->add_option("--set", o.sets, "override a param, as in --set target=95% (repeatable)")->type_name("PARAM=VALUE");
    cmd->add_option("--format", o.format, "table, json or csv; default: table on a terminal, json otherwise")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->type_name("table|json|csv");
    cmd->add_flag("--skip-bad-rows", o.skip_bad_rows,
                  "skip malformed event rows (and report how many, with their lines) instead of stopping");
    cmd->add_flag("--strict", o.strict,
                  "treat events of undeclared signals or unknown entities as errors instead of warnings");
    cmd->add_option("--time-unit", o.time_unit,
                    "the unit of epoch numbers in the data's times: ms (default) or s (whole or with a fraction, "
                    "such as 1772319600.25)")
        ->check(CLI::IsMember({"ms", "s"}))
        ->type_name("ms|s");
    cmd->add_option("--threads", o.threads,
                    "threads that read the events file at once (CSV or JSON Lines, uncompressed): default one per CPU "
                    "the process may use (taskset, cpusets), at most 8, and one for a file under 16 MB")
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
              unsigned value = 0;
              auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
              bool whole = !text.empty() && ec == std::errc{} && end == text.data() + text.size();
              if (whole && value >= 1 && value <= 256) return "";
              return fmt::format("`{}` is not a number of threads: give a whole number from 1 to 256", text);
            },
            "N"))
        ->type_name("N");
    cmd->add_option("--data-timezone", o.data_timezone,
                    "read the data's times without an offset (2026-03-01 14:05) as local times of this IANA zone; "
                    "in a spring-forward gap the instant the gap ends, in a fall-back overlap the earlier one")
        ->type_name("ZONE");
  };

  EvalOptions eval;
  CLI::App* eval_cmd = app.add_subcommand("eval", "judge every SLA and KPI of a contract over the history in a dataset");
  data_options(eval_cmd, eval.data);
  eval_cmd->add_flag("--fail-on-breach", eval.fail_on_breach,
                     "exit with 1 when any SLA was breached, and with 4 when a selected SLA judged nothing (no "
                     "complete window in the span, or no group)");

  ExplainOptions explain;
  CLI::App* explain_cmd = app.add_subcommand("explain", "print the compiled evaluation plan of a contract");
  explain_cmd->add_option("contract", explain.contract, "the contract (.sla)")->required()->type_name("CONTRACT");
  explain_cmd->add_option("--sla", explain.slas, "only this SLA or KPI (repeatable)")->type_name("NAME");
  explain_cmd->add_option("--set", explain.sets, "override a param (repeatable)")->type_name("PARAM=VALUE");

  TestOptions test;
  CLI::App* test_cmd = app.add_subcommand("test", "run the test blocks of contracts (files, or folders searched for .sla files)");
  test_cmd->add_option("paths", test.paths, "contract files or folders")->required()->type_name("PATH...");
  test_cmd->add_option("--format", test.format, "text (default) or json")->check(CLI::IsMember({"text", "json"}))->type_name("text|json");
  test_cmd->add_option("--junit", test.junit, "also write the results as JUnit XML to FILE")->type_name("FILE");

  StatusCommandOptions status;
  CLI::App* status_cmd = app.add_subcommand(
      "status", "the windows in progress at an instant: budgets, states, when an ongoing failure breaches, p_meet");
  data_options(status_cmd, status.data, false);
  status_cmd->add_option("--as-of", status.as_of, "the instant: a date (local midnight), an RFC 3339 time, or `now` (the system clock); later events are ignored")
      ->required()
      ->type_name("TIME");
  // Digits only, at most 2^64 - 1: a wrapped or negative seed would repeat another
  // seed's figures without a word.
  CLI::Validator seed_check(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
          return "a whole number from 0 to 18446744073709551615";
        }
        return "";
      },
      "N");
  status_cmd->add_option("--seed", status.seed, "seed of the p_meet simulation (default fixed, so results repeat)")
      ->type_name("N")
      ->check(seed_check);

  WhatifOptions whatif;
  CLI::App* whatif_cmd = app.add_subcommand(
      "whatif", "replay the history over candidate terms: how often each would have been met, and what it would have cost");
  data_options(whatif_cmd, whatif.data);
  whatif_cmd->get_option("--sla")->description("the SLA to replay (one SLA, not a KPI; may be left out when the contract has one)");
  whatif_cmd->add_option("--sweep", whatif.sweeps,
                         "a param and its values: target=85%..99%/1%, min_available=1..3, repair=2h..8h/1h (once or twice)")
      ->required()
      ->type_name("PARAM=FROM..TO[/STEP]");
  whatif_cmd->add_option("--recommend", whatif.recommend,
                         "print the strictest value met in at least this share of the judgements (0.95 or 95%)")
      ->type_name("SHARE");
  whatif_cmd->add_option("--chart", whatif.chart,
                         "also draw share met and penalty against the swept value as SVG (the file must end in .svg)")
      ->type_name("FILE.svg");

  ReportOptions report;
  CLI::App* report_cmd = app.add_subcommand(
      "report", "write the report of a contract over a dataset as one self-contained HTML file: verdicts, heat map, "
                "breaches and their outage timelines, penalties; with --as-of, the windows in progress");
  data_options(report_cmd, report.data);
  report_cmd->remove_option(report_cmd->get_option("--format"));
  report_cmd->add_option("-o,--output", report.output, "the HTML file to write (it must end in .html)")
      ->required()
      ->type_name("FILE.html");
  report_cmd->add_option("--as-of", report.as_of,
                         "also show the windows in progress at this instant, as `slac status` does: a date, an RFC 3339 "
                         "time, or `now`")
      ->type_name("TIME");
  report_cmd->add_option("--seed", report.seed, "seed of the p_meet simulation, with --as-of")->type_name("N")->check(seed_check);

  FmtOptions fmt_options;
  CLI::App* fmt_cmd = app.add_subcommand("fmt", "rewrite contracts in the canonical layout, keeping every comment; a contract "
                                             "with errors is left unchanged (exit 1)");
  fmt_cmd->add_option("files", fmt_options.files,
                      "contract files, or folders searched for .sla files; - reads standard input and writes standard "
                      "output")
      ->required()
      ->type_name("FILE...");
  fmt_cmd->add_flag("--check", fmt_options.check, "change nothing; list the files that are not formatted and exit with 1 if any");
  fmt_cmd->add_flag("--diff", fmt_options.diff, "change nothing; print a unified diff of what would change and exit with 1 if any");

  LspOptions lsp;
  CLI::App* lsp_cmd = app.add_subcommand(
      "lsp", "serve the Language Server Protocol on standard input and output, for editors: diagnostics, hover, "
             "go to definition, references, completion, formatting, outline (docs/editors.md)");
  bool stdio = false;
  lsp_cmd->add_flag("--stdio", stdio, "talk over standard input and output (the default and only transport; accepted because "
                               "editor clients pass it)");
  lsp_cmd->add_option("--stdlib-dir", lsp.stdlib_dir,
                      "where go-to-definition writes the standard contracts it opens, read-only (default: "
                      "$XDG_CACHE_HOME/slac/VERSION/std, or ~/.cache/slac/VERSION/std)")
      ->type_name("DIR");

  std::string help_topic;
  CLI::App* help_cmd = app.add_subcommand("help", "print the help of slac, or of a command");
  help_cmd->add_option("command", help_topic, "the command")->type_name("COMMAND");
  CLI::App* version_cmd = app.add_subcommand("version", "print the version");
  std::string shell;
  CLI::App* completion_cmd = app.add_subcommand(
      "completion", "print a shell completion script: source <(slac completion bash), or zsh, or fish");
  completion_cmd->add_option("shell", shell, "the shell")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}))
      ->type_name("bash|zsh|fish");

  // A first word that is no command: say which one was meant, rather than CLI11's
  // "A subcommand is required".
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  auto unknown = [&](std::string_view word) {
    std::vector<std::string_view> candidates(names.begin(), names.end());
    std::string msg = fmt::format("slac: unknown command `{}`", word);
    if (auto near = slac::closest_name(word, candidates)) msg += fmt::format("; did you mean `{}`?", *near);
    else msg += fmt::format(" (the commands: {})", fmt::join(names, ", "));
    fmt::print(stderr, "{}\n", msg);
    return exit_usage;
  };
  if (argc < 2) {
    fmt::print(stderr, "slac: a command is required ({}); see `slac --help`\n", fmt::join(names, ", "));
    return exit_usage;
  }
  if (std::string_view first = argv[1]; !first.starts_with('-') && std::find(names.begin(), names.end(), first) == names.end()) {
    return unknown(first);
  }

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

  if (help_cmd->parsed()) {
    if (help_topic.empty()) {
      // Not app.help(): that is the help of the selected subcommand, `help` itself.
      fmt::print("{}", app.get_formatter()->make_help(&app, "slac", CLI::AppFormatMode::Normal));
      return exit_ok;
    }
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->get_name() == help_topic) {
        fmt::print("{}", sub->help("slac"));
        return exit_ok;
      }
    }
    return unknown(help_topic);
  }
  if (version_cmd->parsed()) {
    fmt::print("slac {}\n", SLAC_VERSION);
    return exit_ok;
  }
  if (completion_cmd->parsed()) {
    fmt::print("{}", completion_script(app, shell));
    return exit_ok;
  }
  // A data error found while judging (a penalty total beyond exact decimals, say) ends
  // the command as one found while reading: a message and exit 3, never an abort.
  const char* name = "slac";
  try {
    if (check_cmd->parsed()) return run_check(check);
    if (eval_cmd->parsed()) {
      name = "eval";
      return run_eval(eval);
    }
    if (explain_cmd->parsed()) return run_explain(explain);
    if (test_cmd->parsed()) {
      name = "test";
      return run_test(test);
    }
    if (fmt_cmd->parsed()) return run_fmt(fmt_options);
    if (lsp_cmd->parsed()) return run_lsp(lsp);
    if (status_cmd->parsed()) {
      name = "status";
      return run_status(status);
    }
    if (whatif_cmd->parsed()) {
      name = "whatif";
      return run_whatif(whatif);
    }
    if (report_cmd->parsed()) {
      name = "report";
      return run_report(report);
    }
  } catch (const slac::rt::DataError& e) {
    fmt::print(stderr, "slac {}: {}\n", name, e.what());
    return exit_data;
  }
  return exit_usage;
}
