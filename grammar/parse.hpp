// Parsing one .sla file into its syntax tree, with every syntax error reported.
#pragma once
#include <cstddef>

#include "base/diagnostics.hpp"
#include "base/source.hpp"
#include "grammar/ast.hpp"

namespace slac {

// Parses the whole file, recovering after an error at the next clause, test item or
// top-level declaration, so that one run reports every independent mistake.
ast::File parse_file(const SourceFile& file, Diagnostics& diags);

// The number of problems PEGTL's analyze() finds in the grammar (0 when sound).
std::size_t analyze_grammar(bool verbose);

}  // namespace slac
