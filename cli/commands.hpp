// The commands of the `slac` program: each takes its parsed options and returns the
// exit code. Option parsing for all of them lives in main.cpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace slac::cli {

// Exit codes (SPEC section 5).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;    // contract errors, a breach with --fail-on-breach, unformatted files
inline constexpr int exit_usage = 2;
inline constexpr int exit_data = 3;
inline constexpr int exit_nothing_judged = 4;  // eval --fail-on-breach: a selected SLA judged nothing; test: no test

// The contract files named by PATHs: files as given (`-` too), folders searched
// recursively for `.sla` files (sorted). A folder with none is said on standard error
// and listed in `empty_folders`: nothing to check, format or test is not success
// (exit_nothing_judged). nullopt, with the message printed, when a folder cannot be read.
struct ContractFiles {
  std::vector<std::string> files;
  std::vector<std::string> empty_folders;
};
std::optional<ContractFiles> contract_files(const std::vector<std::string>& paths, const char* command);

struct CheckOptions {
  std::vector<std::string> files;
  std::string format = "text";           // text | json | sarif
};
int run_check(const CheckOptions& options);

}  // namespace slac::cli

#include "cli/common.hpp"
#include "runtime/evaluate.hpp"

namespace slac::cli {

struct EvalOptions {
  DataOptions data;
  bool fail_on_breach = false;
};
int run_eval(const EvalOptions& options);
// eval's output (SPEC 5.1) and exit code for an evaluation made (run_eval, or the merge of
// partials): the warnings, the JSON, CSV or table, --fail-on-breach.
int report_evaluation(const EvalOptions& options, const Prepared& p, const Plan& plan, const rt::Dataset& data,
                      const rt::Evaluation& ev);

// eval in parts (cli/partial.cpp, docs/python.md "Dask"): each partition of the events is
// scanned for the span, then mapped to a partial (rt::Partial, as bytes) of the sites it
// owns; partials merge, and the reduce judges the whole. The data options are eval's,
// `files` holding the partition's events with the whole inventory.
struct EvalScan {
  std::uint64_t rows = 0;                   // rows of the events
  std::optional<std::int64_t> earliest;     // of the used events
  std::optional<std::int64_t> latest;
  void add(const EvalScan& other);
};
EvalScan run_eval_scan(const DataOptions& options);
struct EvalMapOptions {
  DataOptions data;
  std::vector<std::string> sites;           // the ids of the sites the partition owns
  EvalScan whole;                           // the scans of every partition, added
  // The global ordinal of each line of the events text after the header (line 2 is
  // [0]): the merge names the first row of each warning by it. Empty: lines as they are.
  std::vector<std::int64_t> line_ordinals;
};
std::string run_eval_map(const EvalMapOptions& options);
std::string run_eval_merge(const DataOptions& options, const std::vector<std::string>& partials);
// Prints as run_eval does, from the partials of every partition; the data options'
// events are not read (a header is enough).
int run_eval_reduce(const EvalOptions& options, const std::vector<std::string>& partials);

struct ExplainOptions {
  std::string contract;
  std::vector<std::string> sets;
  std::vector<std::string> slas;
  std::optional<std::string> contract_text;  // the library's: the text, `contract` only naming it
};
int run_explain(const ExplainOptions& options);

struct TestOptions {
  std::vector<std::string> paths;
  std::string format = "text";   // text | json
  std::optional<std::string> junit;
};
int run_test(const TestOptions& options);

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;
  bool diff = false;
};
int run_fmt(const FmtOptions& options);

struct StatusCommandOptions {
  DataOptions data;
  std::string as_of;
  std::optional<std::uint64_t> seed;
};
int run_status(const StatusCommandOptions& options);

struct WhatifOptions {
  DataOptions data;
  std::vector<std::string> sweeps;
  std::optional<std::string> recommend;
  std::optional<std::string> chart;
};
int run_whatif(const WhatifOptions& options);

struct ReportOptions {
  DataOptions data;
  std::string output;                 // -o FILE.html
  std::optional<std::string> as_of;   // adds the windows in progress (SPEC 5.2)
  std::optional<std::uint64_t> seed;
};
int run_report(const ReportOptions& options);

struct LspOptions {
  std::string stdlib_dir;             // where standard contracts are written for go-to-definition
};
int run_lsp(const LspOptions& options);

}  // namespace slac::cli
