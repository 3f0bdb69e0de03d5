// What the language server knows of one document: its compilation (as `slac check`
// makes it), its tokens, every declared name and every place a name is used, across the
// files it imports. Built from the parser's AST and a token scan, so that a document
// with errors, or cut off anywhere, still has its names.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/loader.hpp"

namespace slac::lsp {

enum class NameKind { param, signal, attribute, holidays, periods, calendar, state, sla, kpi, member };
// `param`, `signal`, ..., `enum member`: as the hover and the outline say it.
std::string_view kind_word(NameKind kind);

struct Declared {
  NameKind kind = NameKind::param;
  std::string_view name;           // into the program's sources
  Level level = Level::device;     // signals and attributes
  std::size_t unit = 0;            // index into Program::units
  Range name_range;                // the name where it is declared
  Range decl;                      // the whole declaration
  const ast::Decl* ast = nullptr;  // the declaration (a member's: its signal's or attribute's)
  std::optional<std::size_t> owner;  // member: the Declared index of its signal or attribute
};

// One use or declaration of a declared name, in any file of the program.
struct Occurrence {
  Range range;
  std::size_t declared = 0;
};

// The words of a contract as an editor sees them. Comments are dropped; a string runs
// to its closing quote or the line's end; a number runs over the letters, digits and
// `. : % - +` of a literal (`1h30m`, `08:00-18:00`, `2026-03-01T10:00+01:00`).
enum class TokenKind { word, number, string, punct };
struct Token {
  TokenKind kind = TokenKind::punct;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};
std::vector<Token> tokenize(std::string_view text);

struct Analysis {
  std::string uri;                 // the document's, as the client named it
  Compilation compilation;         // program is never null
  std::vector<Declared> names;
  std::vector<Occurrence> occurrences;  // sorted by file, then position
  std::vector<Token> tokens;            // the root file's

  const Program& program() const { return *compilation.program; }
  const SourceFile& root() const { return program().sources.file(program().units.at(0).file); }
  // The occurrence in the root file under the cursor: the one containing `offset`, or
  // ending at it (the cursor just after a name).
  std::optional<std::size_t> occurrence_at(std::uint32_t offset) const;
  // Every occurrence of a declared name, the declaration included, in file order.
  std::vector<std::size_t> occurrences_of(std::size_t declared) const;
  // The declared names a bare name may stand for, by kind: params, signals, holidays,
  // periods, calendars, states, SLAs and KPIs (one namespace); attributes by level.
  std::optional<std::size_t> global(std::string_view name) const;
  std::optional<std::size_t> attribute(Level level, std::string_view name) const;
  std::vector<std::size_t> members_of(std::size_t owner) const;
  // The member `name` of a signal or attribute (the first of a repeated one).
  std::optional<std::size_t> member(std::size_t owner, std::string_view name) const;

  std::unordered_map<std::string_view, std::size_t> globals;
  std::unordered_map<std::string_view, std::size_t> attributes[2];
  std::unordered_map<std::size_t, std::unordered_map<std::string_view, std::size_t>> members;  // by owner
};

// The signal or attribute an operand token names (`status`, `device.kind`,
// `site.region`), whose enum members may follow `==`, `!=` or `in {`; tokens are those of
// `source`.
std::optional<std::size_t> operand_owner(const Analysis& a, std::string_view source, const std::vector<Token>& tokens,
                                         std::size_t operand);

// Compiles `text` as the file at `path` (its imports resolved from there; a path that
// is not a file's only names it) and indexes every name. Never throws for any text.
Analysis analyze(std::string uri, const std::string& path, std::string text);

}  // namespace slac::lsp
