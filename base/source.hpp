// Source files and positions: every AST node points into a buffer owned here.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace slac {

using FileId = std::uint32_t;

// A half-open byte range [begin, end) in one source file.
struct Range {
  FileId file = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  friend bool operator==(const Range&, const Range&) = default;
};

// A position for people: 1-based line, 1-based column counted in code points.
struct Location {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

class SourceFile {
 public:
  SourceFile(FileId id, std::string path, std::string text);

  FileId id() const { return id_; }
  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }
  Location location(std::uint32_t offset) const;
  // The text of the line holding `offset`, without its line end.
  std::string_view line_text(std::uint32_t line) const;
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }
  std::uint32_t line_start(std::uint32_t line) const { return line_starts_.at(line - 1); }

 private:
  FileId id_;
  std::string path_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

// Owns every loaded file; addresses stay valid for the manager's lifetime.
class SourceManager {
 public:
  const SourceFile& add(std::string path, std::string text);
  const SourceFile& file(FileId id) const { return *files_.at(id); }
  std::size_t size() const { return files_.size(); }
  std::string_view text(const Range& r) const {
    return file(r.file).text().substr(r.begin, r.end - r.begin);
  }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

// Number of code points in a UTF-8 byte string (continuation bytes not counted).
std::uint32_t count_code_points(std::string_view s);

// The length of the well-formed UTF-8 sequence at s[i] (1 to 4), or 0 when the bytes
// there are not one: a stray continuation byte, a truncated or overlong sequence, a
// surrogate, or a code point above U+10FFFF.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// The offset of the first byte of `s` that is not well-formed UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view s);

// `s` for an error message: control characters and bytes that are not UTF-8 written
// as \xHH, so that a message never carries a NUL, a line end or broken text.
std::string printable(std::string_view s);

}  // namespace slac
