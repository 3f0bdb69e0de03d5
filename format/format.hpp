// The canonical layout of a contract (`slac fmt`), and the unified diff it shows.
#pragma once
#include <optional>
#include <string>

#include "base/diagnostics.hpp"
#include "base/source.hpp"

namespace slac {

// The file in canonical form, keeping every comment; nullopt (with the diagnostics)
// when the file has syntax errors.
std::optional<std::string> format_source(const SourceFile& file, Diagnostics& diags);

// A unified diff of two texts (3 lines of context), empty when they are equal.
std::string unified_diff(const std::string& before, const std::string& after, const std::string& name);

}  // namespace slac
