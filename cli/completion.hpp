// Shell completion scripts for bash, zsh and fish, from the program's command tree.
#pragma once
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace slac::cli {

// `shell` is bash, zsh or fish.
std::string completion_script(const CLI::App& app, std::string_view shell);

}  // namespace slac::cli
