// RFC 4180 CSV: quoted fields with "" escapes and line ends inside, LF or CRLF, a
// byte-order mark, blank lines skipped. Each row knows the line it starts on. Over a
// block that is not the end of the input, a row cut by the block's end is reported as
// incomplete, to be read again with more data. Used for the inventory tables and the
// events file alike, in the dialect their header shows (`,` `;` or tab, a space after
// each separator or not).
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "runtime/ingest/values.hpp"

namespace slac::rt::ingest {

struct RowError {
  std::size_t line;
  std::string message;
};

enum class Next { row, bad_row, incomplete, end };

// How a file writes its rows, as its header line shows.
struct CsvDialect {
  char separator = ',';
  bool space_after_separator = false;  // `a, b, c`: a field's leading spaces are not part of it
};

// The dialect of a file whose first line (after any byte-order mark) is `header`: the
// separator among `,` `;` and tab that the line holds most often (`,` when it holds
// none), and whether every separator in it is followed by a space. A line with none of
// them but another punctuation character between names is refused, naming it.
CsvDialect detect_dialect(std::string_view text, const std::string& path);

// The column of a header named `name`: spelled exactly so, or else the only one equal
// to it ignoring case and surrounding spaces (`Time`, ` entity`). nullopt when there is
// none; DataError (at line 1 of `path`) when several match only ignoring case.
std::optional<std::size_t> find_column(const std::vector<std::string>& header, std::string_view name, const std::string& path);

class CsvReader {
 public:
  CsvReader(std::string_view text, std::size_t first_line, bool final, CsvDialect dialect = {})
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), line_(first_line), final_(final),
        separator_(dialect.separator), skip_spaces_(dialect.space_after_separator) {}

  std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }
  std::size_t line() const { return line_; }
  // The header's column names, so that an error names the column rather than a number.
  void name_columns(const std::vector<std::string>& names) { names_ = &names; }
  // Whether the last row's fields all lie in the text (no quoted field, which is read
  // into the reader's own buffer and lasts only until the next row).
  bool fields_in_text() const { return !quoted_row_; }
  void skip_bom() {
    if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
  }

  // The next row, whose fields are UTF-8 text without NUL bytes or control characters
  // other than tab and the line ends inside quotes.
  Next next(std::vector<std::string_view>& fields, std::size_t& line, RowError& error) {
    Next n = next_row(fields, line, error);
    if (n == Next::row && !plain_) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        std::optional<std::string> problem = text_problem(fields[i]);
        // A line end belongs only inside quotes; the fast path reads no quoted field.
        if (!problem && !quoted_row_ && fields[i].find('\r') != std::string_view::npos) {
          problem = "holds a carriage return (0x0D) inside the line; a line end inside a field needs the field in quotes";
        }
        if (problem) {
          if (names_ != nullptr && i < names_->size()) {
            error = RowError{line, fmt::format("the `{}` field {}", (*names_)[i], *problem)};
          } else {
            error = RowError{line, fmt::format("field {} {}", i + 1, *problem)};
          }
          return Next::bad_row;
        }
      }
    }
    return n;
  }

 private:
  Next next_row(std::vector<std::string_view>& fields, std::size_t& line, RowError& error) {
    fields.clear();
    // Blank lines are not rows.
    while (p_ < end_ && (*p_ == '\n' || (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n'))) {
      p_ += *p_ == '\r' ? 2 : 1;
      ++line_;
    }
    if (p_ >= end_) return Next::end;
    if (!final_ && *p_ == '\r' && p_ + 1 == end_) return Next::incomplete;
    line = line_;
    // Fast path: one scan of a line without quotes, split at its separators in place,
    // eight bytes at a time up to the next byte that is a separator, a quote, or not
    // printable ASCII (a line end, a control character, a byte of a UTF-8 sequence).
    {
      const char* f = p_;
      const char* q = p_;
      bool quoted = false;
      plain_ = true;
      const char separator = separator_;
      while ((q = next_special(q)) < end_) {
        char c = *q;
        if (c == separator) {
          fields.emplace_back(f, static_cast<std::size_t>(q - f));
          f = ++q;
        } else if (c == '\n') {
          break;
        } else if (c == '"') {
          quoted = true;
          break;
        } else {
          plain_ = false;  // the fields are checked byte by byte in next()
          ++q;
        }
      }
      quoted_row_ = quoted;
      if (!quoted) {
        if (q == end_ && !final_) {
          fields.clear();
          return Next::incomplete;
        }
        const char* content_end = (q > f && q[-1] == '\r') ? q - 1 : q;
        fields.emplace_back(f, static_cast<std::size_t>(content_end - f));
        if (skip_spaces_) {
          for (std::size_t i = 1; i < fields.size(); ++i) {
            std::size_t lead = fields[i].find_first_not_of(' ');
            fields[i].remove_prefix(lead == std::string_view::npos ? fields[i].size() : lead);
          }
        }
        p_ = q == end_ ? end_ : q + 1;
        ++line_;
        return Next::row;
      }
      fields.clear();
    }
    const char* row_start = p_;
    std::size_t row_line = line_;
    plain_ = false;
    buffer_.clear();
    spans_.clear();
    while (true) {
      if (skip_spaces_ && !spans_.empty()) {
        while (p_ < end_ && *p_ == ' ') ++p_;
      }
      if (p_ < end_ && *p_ == '"') {
        ++p_;
        std::size_t start = buffer_.size();
        while (true) {
          const char* q = static_cast<const char*>(std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_)));
          if (q == nullptr || (q + 1 == end_ && !final_)) {
            if (!final_) return rewind(row_start, row_line);
            error = RowError{row_line, "a quoted field is not closed"};
            // Resume on the line after the row's first.
            p_ = row_start;
            line_ = row_line;
            skip_line();
            return Next::bad_row;
          }
          for (const char* c = p_; c < q; ++c) line_ += *c == '\n';
          buffer_.append(p_, q);
          p_ = q + 1;
          if (p_ < end_ && *p_ == '"') {
            buffer_ += '"';
            ++p_;
            continue;
          }
          break;
        }
        spans_.push_back({true, start, buffer_.size() - start});
        if (p_ < end_ && *p_ != separator_ && *p_ != '\n' && *p_ != '\r') {
          error = RowError{row_line, "text after a closing quote; a quote inside a field is written \"\""};
          skip_line();
          return Next::bad_row;
        }
      } else {
        const char* q = p_;
        while (q < end_ && *q != separator_ && *q != '\n' && *q != '\r' && *q != '"') ++q;
        if (q < end_ && *q == '"') {
          error = RowError{row_line, "a quote inside an unquoted field; quote the field and write \"\""};
          skip_line();
          return Next::bad_row;
        }
        spans_.push_back({false, static_cast<std::size_t>(p_ - row_start), static_cast<std::size_t>(q - p_)});
        p_ = q;
      }
      if (p_ < end_ && *p_ == separator_) {
        ++p_;
        continue;
      }
      if (p_ >= end_ && !final_) return rewind(row_start, row_line);
      if (p_ < end_ && *p_ == '\r') {
        if (p_ + 1 >= end_ && !final_) return rewind(row_start, row_line);
        ++p_;
      }
      if (p_ < end_ && *p_ == '\n') ++p_;
      ++line_;
      break;
    }
    for (const auto& sp : spans_) {
      fields.push_back(sp.quoted ? std::string_view(buffer_).substr(sp.offset, sp.length)
                                 : std::string_view(row_start + sp.offset, sp.length));
    }
    return Next::row;
  }

  // Eight bytes with 0x80 in each byte that is zero, and 0 elsewhere (exact: no carry
  // crosses a byte).
  static std::uint64_t zero_bytes(std::uint64_t x) {
    constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    return ~(((x & low7) + low7) | x | low7);
  }
  static constexpr std::uint64_t broadcast(char c) { return 0x0101010101010101ull * static_cast<unsigned char>(c); }
  bool special(char c) const {
    auto u = static_cast<unsigned char>(c);
    return c == separator_ || c == '"' || u < 0x20 || u >= 0x7F;
  }
  // The first byte from `q` on that is a separator, a quote, or not printable ASCII
  // (below 0x20, DEL, or 0x80 and above); end_ if none. Eight bytes at a time: the
  // mask of the last word read is kept, so that the next call within it (the next
  // field, the next row) reads no byte again.
  const char* next_special(const char* q) {
    if (word_ != nullptr && q >= word_ && q < word_ + 8) {
      std::uint64_t m = mask_ & (~0ull << (8 * (q - word_)));
      if (m != 0) return word_ + std::countr_zero(m) / 8;
      q = word_ + 8;
    }
    for (; end_ - q >= 8; q += 8) {
      std::uint64_t m = special_bytes(q);
      if (m != 0) {
        word_ = q;
        mask_ = m;
        return q + std::countr_zero(m) / 8;
      }
    }
    while (q < end_ && !special(*q)) ++q;
    return q;
  }
  // The eight bytes at `q`, with 0x80 in each that next_special stops at, in memory
  // order from the lowest byte.
  std::uint64_t special_bytes(const char* q) const {
    constexpr std::uint64_t high = 0x8080808080808080ull, low7 = 0x7F7F7F7F7F7F7F7Full;
    std::uint64_t x;
    std::memcpy(&x, q, 8);
    if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap64(x);
    // A byte whose low seven bits are 0x20 or more gets its high bit from the sum.
    std::uint64_t below_space = ~((x & low7) + broadcast(0x60)) & high;
    return zero_bytes(x ^ separators_) | zero_bytes(x ^ broadcast('"')) | zero_bytes(x ^ broadcast('\x7F')) | below_space |
           (x & high);
  }

  Next rewind(const char* row_start, std::size_t row_line) {
    p_ = row_start;
    line_ = row_line;
    return Next::incomplete;
  }
  void skip_line() {
    while (p_ < end_ && *p_ != '\n') ++p_;
    if (p_ < end_) ++p_;
    ++line_;
  }

  struct Span {
    bool quoted;
    std::size_t offset;
    std::size_t length;
  };
  const char* begin_;
  const char* p_;
  const char* end_;
  std::size_t line_;
  bool final_;
  char separator_;
  bool skip_spaces_;
  bool plain_ = false;  // the last row's bytes were printable ASCII but for its separators
  bool quoted_row_ = false;  // the last row was read by the general path (it has a quote)
  std::uint64_t separators_ = broadcast(separator_);
  const char* word_ = nullptr;  // the last word next_special read, and its mask
  std::uint64_t mask_ = 0;
  const std::vector<std::string>* names_ = nullptr;
  std::string buffer_;
  std::vector<Span> spans_;
};

}  // namespace slac::rt::ingest
