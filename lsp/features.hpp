// The answers of the language server, each from one document's Analysis: diagnostics,
// hover, definitions and references, completion, the outline and formatting. Results
// are LSP 3.17 JSON values; positions are UTF-16 (protocol.hpp).
#pragma once
#include <map>
#include <optional>
#include <string>

#include "lsp/analysis.hpp"
#include "lsp/protocol.hpp"

namespace slac::lsp {

// Where the files of a program are for the client: the root is the document's own URI,
// an imported file its `file://` URI, and a standard contract (`std/NAME`) the copy of
// its embedded text written, read-only, to `stdlib_dir/NAME.sla` (made on first use and
// rewritten when its text differs; no URI when it cannot be written).
class Locator {
 public:
  explicit Locator(std::string stdlib_dir) : stdlib_dir_(std::move(stdlib_dir)) {}
  std::optional<std::string> uri(const Analysis& a, std::size_t unit) const;
  // `{"uri", "range"}` of a range in a unit's file.
  std::optional<json> location(const Analysis& a, Range range) const;
  const std::string& stdlib_dir() const { return stdlib_dir_; }

 private:
  std::string stdlib_dir_;
  mutable std::map<std::string, std::string, std::less<>> written_;  // std/NAME -> its copy's URI
};

// `slac check`'s diagnostics as LSP Diagnostic objects (codes, severities, notes as
// related information). One in an imported file is shown on the root's import of it.
json diagnostics(const Analysis& a, const Locator& where);

// Markdown for the name under the cursor; nullopt when there is none.
std::optional<std::string> hover(const Analysis& a, std::uint32_t offset);

// The declaration of the name under the cursor, or the start of the file an import's
// name (under the cursor) loaded, as an LSP Location.
std::optional<json> definition(const Analysis& a, std::uint32_t offset, const Locator& where);
// Every use of the name under the cursor (its declaration too when asked), as Locations.
json references(const Analysis& a, std::uint32_t offset, bool with_declaration, const Locator& where);

// CompletionItems for the cursor: keywords of the place (top level, an SLA's clauses,
// a test's items), names of the kind the place takes, enum members after `==`, `!=`
// and `in {`, attributes after `site.`/`device.`, IANA zone names after `timezone`.
json completion(const Analysis& a, std::uint32_t offset);

// DocumentSymbols of the root file: every declaration, enum members under theirs.
json document_symbols(const Analysis& a);

// The root file in canonical form as TextEdits (empty when it already is), or the
// reason it is refused (errors, as `slac fmt` refuses them).
struct Formatting {
  std::optional<json> edits;
  std::string refused;
};
Formatting formatting(const Analysis& a);

}  // namespace slac::lsp
