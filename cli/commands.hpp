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

namespace slac::cli {

struct EvalOptions {
  DataOptions data;
  bool fail_on_breach = false;
};
int run_eval(const EvalOptions& options);

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
