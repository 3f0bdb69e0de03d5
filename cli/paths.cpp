// Contract paths on the command line: files as given, folders searched for `.sla` files.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/terminal.hpp"

namespace slac::cli {

std::optional<ContractFiles> contract_files(const std::vector<std::string>& paths, const char* command) {
  namespace fs = std::filesystem;
  ContractFiles out;
  std::vector<std::string>& files = out.files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (p != "-" && fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(p, ec)) {
        if (e.is_regular_file() && e.path().extension() == ".sla") found.push_back(e.path().generic_string());
      }
      if (ec) {
        fmt::print(err(), "slac {}: cannot read the folder {}: {}\n", command, p, ec.message());
        return std::nullopt;
      }
      if (found.empty()) {
        fmt::print(err(), "slac {}: no .sla files in {}\n", command, p);
        out.empty_folders.push_back(p);
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);  // a file, or a path the command's reader reports it cannot read
    }
  }
  return out;
}

}  // namespace slac::cli
