// The commands of the `slac` program: each takes its parsed options and returns the
// exit code. Option parsing for all of them lives in main.cpp.
#pragma once
#include <string>
#include <vector>

namespace slac::cli {

// Exit codes (SPEC section 5).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;    // contract errors, a breach with --fail-on-breach, unformatted files
inline constexpr int exit_usage = 2;
inline constexpr int exit_data = 3;

struct CheckOptions {
  std::vector<std::string> files;
  std::string format = "text";           // text | json | sarif
};
int run_check(const CheckOptions& options);

}  // namespace slac::cli
