// Reading a dataset folder: memory-mapped RFC 4180 CSV and JSON Lines, RFC 3339
// times, typed values, and the accounting of every row (SPEC section 3).
#include "runtime/dataset.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/timezones.hpp"

namespace slac::rt {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Files, read in large blocks with pread: nothing is held but the block being parsed,
// so an events file larger than memory streams through.

class File {
 public:
  explicit File(const std::string& path) : path_(path) {
    // O_NONBLOCK so that a named pipe is refused rather than waited on forever.
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) throw DataError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw DataError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    if (S_ISDIR(st.st_mode)) throw DataError(fmt::format("{}: is a directory", path));
    if (!S_ISREG(st.st_mode)) throw DataError(fmt::format("{}: not a regular file", path));
    size_ = static_cast<std::size_t>(st.st_size);
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  std::size_t size() const { return size_; }
  // Reads up to `n` bytes at `offset`; returns how many were read.
  std::size_t read(char* into, std::size_t n, std::size_t offset) const {
    std::size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, into + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        throw DataError(fmt::format("{}: cannot read: {}", path_, std::strerror(errno)));
      }
      if (r == 0) break;
      done += static_cast<std::size_t>(r);
    }
    return done;
  }
  std::string read_all() const {
    std::string s(size_, '\0');
    s.resize(read(s.data(), size_, 0));
    return s;
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::size_t size_ = 0;
};

// The bytes [begin, end) of a file, block by block. `fill` keeps the unparsed tail of
// the block and appends what follows; a row longer than a block grows it.
class BlockReader {
 public:
  BlockReader(const File& file, std::size_t begin, std::size_t end, std::size_t block)
      : file_(file), next_(begin), end_(end), buffer_(std::max<std::size_t>(block, 1)) {}

  std::string_view data() const { return {buffer_.data(), size_}; }
  bool at_end() const { return next_ >= end_; }
  // Drops the first `consumed` bytes and reads more; false when nothing is left.
  bool fill(std::size_t consumed) {
    std::size_t tail = size_ - consumed;
    if (tail > 0 && consumed > 0) std::memmove(buffer_.data(), buffer_.data() + consumed, tail);
    size_ = tail;
    if (next_ >= end_) return false;
    if (size_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    std::size_t want = std::min(buffer_.size() - size_, end_ - next_);
    std::size_t got = file_.read(buffer_.data() + size_, want, next_);
    if (got == 0) {
      next_ = end_;
      return false;
    }
    next_ += got;
    size_ += got;
    return true;
  }

 private:
  const File& file_;
  std::size_t next_;
  std::size_t end_;
  std::vector<char> buffer_;
  std::size_t size_ = 0;
};

// ---------------------------------------------------------------------------
// RFC 4180 CSV: quoted fields with "" escapes and line ends inside, LF or CRLF, a
// byte-order mark, blank lines skipped. Each row knows the line it starts on. Over a
// block that is not the end of the input, a row cut by the block's end is reported as
// incomplete, to be read again with more data.

// What is wrong with a text value, if anything: bytes that are not UTF-8, a NUL, or a
// control character other than tab and line ends.
std::optional<std::string> text_problem(std::string_view s) {
  bool plain = true;
  for (char c : s) plain &= static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  if (plain) return std::nullopt;
  std::size_t bad = invalid_utf8_at(s);
  for (std::size_t i = 0; i < std::min(bad, s.size()); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return "holds a NUL byte";
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return fmt::format("holds the control character 0x{:02X}", c);
  }
  if (bad != std::string_view::npos) {
    return fmt::format("is not UTF-8 text (byte 0x{:02X}); data files are UTF-8", static_cast<unsigned char>(s[bad]));
  }
  return std::nullopt;
}

struct RowError {
  std::size_t line;
  std::string message;
};

enum class Next { row, bad_row, incomplete, end };

class CsvReader {
 public:
  CsvReader(std::string_view text, std::size_t first_line, bool final)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), line_(first_line), final_(final) {}

  std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }
  std::size_t line() const { return line_; }
  // The header's column names, so that an error names the column rather than a number.
  void name_columns(const std::vector<std::string>& names) { names_ = &names; }
  void skip_bom() {
    if (end_ - p_ >= 3 && std::string_view(p_, 3) == "\xEF\xBB\xBF") p_ += 3;
  }

  // The next row, whose fields are UTF-8 text without NUL bytes or control characters
  // other than tab and the line ends inside quotes.
  Next next(std::vector<std::string_view>& fields, std::size_t& line, RowError& error) {
    Next n = next_row(fields, line, error);
    if (n == Next::row) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (auto problem = text_problem(fields[i])) {
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
    // Fast path: one scan of a line without quotes, split at its commas in place.
    {
      const char* f = p_;
      const char* q = p_;
      bool quoted = false;
      for (; q < end_; ++q) {
        char c = *q;
        if (c == ',') {
          fields.emplace_back(f, static_cast<std::size_t>(q - f));
          f = q + 1;
        } else if (c == '\n') {
          break;
        } else if (c == '"') {
          quoted = true;
          break;
        }
      }
      if (!quoted) {
        if (q == end_ && !final_) {
          fields.clear();
          return Next::incomplete;
        }
        const char* content_end = (q > f && q[-1] == '\r') ? q - 1 : q;
        fields.emplace_back(f, static_cast<std::size_t>(content_end - f));
        p_ = q == end_ ? end_ : q + 1;
        ++line_;
        return Next::row;
      }
      fields.clear();
    }
    const char* row_start = p_;
    std::size_t row_line = line_;
    buffer_.clear();
    spans_.clear();
    while (true) {
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
        if (p_ < end_ && *p_ != ',' && *p_ != '\n' && *p_ != '\r') {
          error = RowError{row_line, "text after a closing quote; a quote inside a field is written \"\""};
          skip_line();
          return Next::bad_row;
        }
      } else {
        const char* q = p_;
        while (q < end_ && *q != ',' && *q != '\n' && *q != '\r' && *q != '"') ++q;
        if (q < end_ && *q == '"') {
          error = RowError{row_line, "a quote inside an unquoted field; quote the field and write \"\""};
          skip_line();
          return Next::bad_row;
        }
        spans_.push_back({false, static_cast<std::size_t>(p_ - row_start), static_cast<std::size_t>(q - p_)});
        p_ = q;
      }
      if (p_ < end_ && *p_ == ',') {
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
  const std::vector<std::string>* names_ = nullptr;
  std::string buffer_;
  std::vector<Span> spans_;
};

// ---------------------------------------------------------------------------
// Times

inline bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
inline std::int64_t civil_days(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

inline unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return days[m - 1];
}

constexpr std::int64_t max_time = 253402300800000;  // 10000-01-01T00:00:00Z

}  // namespace

std::optional<std::int64_t> parse_time(std::string_view s, std::string& why) {
  if (s.empty()) {
    why = "the time is empty";
    return std::nullopt;
  }
  bool rfc_shape = s.size() >= 19 && s[4] == '-';
  bool all_digits = !rfc_shape && std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits && s.size() > (s[0] == '-' ? 1u : 0u)) {
    if (s[0] == '-' || s.size() > 15) {
      why = fmt::format("time `{}` is outside the years 1970-9999", s);
      return std::nullopt;
    }
    std::int64_t ms = 0;
    for (char c : s) ms = ms * 10 + (c - '0');
    if (ms >= max_time) {
      why = fmt::format("time `{}` is outside the years 1970-9999", s);
      return std::nullopt;
    }
    return ms;
  }
  int y, mo, d, h, mi, sec;
  bool shape = s.size() >= 19 && digits(s, 0, 4, y) && s[4] == '-' && digits(s, 5, 2, mo) && s[7] == '-' &&
               digits(s, 8, 2, d) && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && digits(s, 11, 2, h) &&
               s[13] == ':' && digits(s, 14, 2, mi) && s[16] == ':' && digits(s, 17, 2, sec);
  if (!shape) {
    why = fmt::format("`{}` is not an RFC 3339 time (such as 2026-03-02T08:00:00Z) or epoch milliseconds", s);
    return std::nullopt;
  }
  std::size_t i = 19;
  int ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (n < 3) ms = ms * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (n == 0) {
      why = fmt::format("`{}` has a `.` without digits", s);
      return std::nullopt;
    }
    for (; n < 3; ++n) ms *= 10;
  }
  int offset_minutes = 0;
  if (i >= s.size()) {
    why = fmt::format("time `{}` has no offset; add `Z` for UTC or one such as `+01:00`", s);
    return std::nullopt;
  }
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (!(i + 6 == s.size() && digits(s, i + 1, 2, oh) && s[i + 3] == ':' && digits(s, i + 4, 2, om)) || oh > 23 ||
        om > 59) {
      why = fmt::format("`{}` has a malformed offset (expected such as `+01:00`)", s);
      return std::nullopt;
    }
    offset_minutes = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else {
    why = fmt::format("`{}` has a malformed offset (expected `Z` or such as `+01:00`)", s);
    return std::nullopt;
  }
  if (i != s.size()) {
    why = fmt::format("`{}` has text after the time", s);
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo)) || h > 23 ||
      mi > 59 || sec > 59) {
    why = fmt::format("`{}` is not a valid date and time", s);
    return std::nullopt;
  }
  std::int64_t t = (civil_days(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + sec) * 1000 +
                   ms - static_cast<std::int64_t>(offset_minutes) * 60'000;
  if (t < 0 || t >= max_time) {
    why = fmt::format("time `{}` is outside the years 1970-9999", s);
    return std::nullopt;
  }
  return t;
}

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

// A data number: optional sign, digits, optional fraction. No exponent, no `_`.
bool data_number_syntax(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  bool any = false, point = false;
  for (std::size_t k = i; k < s.size(); ++k) {
    if (s[k] >= '0' && s[k] <= '9') {
      any = true;
    } else if (s[k] == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return any;
}

std::optional<Decimal> parse_data_number(std::string_view s) {
  if (!data_number_syntax(s)) return std::nullopt;
  return Decimal::parse(s);
}

// Why `s` is not a data number.
std::string number_refusal(std::string_view s) {
  if (data_number_syntax(s)) {
    return fmt::format("`{}` does not fit an exact decimal (up to 18 significant digits, 18 after the point)", s);
  }
  return fmt::format("`{}` is not a number", s);
}

}  // namespace

std::optional<Scalar> parse_data_value(std::string_view text, ValueType type, const std::vector<std::string>& members,
                                       std::string& why) {
  Scalar s;
  s.type = type;
  switch (type) {
    case ValueType::boolean:
      if (iequals(text, "true") || text == "1") {
        s.flag = true;
        return s;
      }
      if (iequals(text, "false") || text == "0") {
        s.flag = false;
        return s;
      }
      why = fmt::format("`{}` is not a bool (true, false, 1 or 0)", text);
      return std::nullopt;
    case ValueType::number:
      if (auto d = parse_data_number(text)) {
        s.number = *d;
        return s;
      }
      why = number_refusal(text);
      return std::nullopt;
    case ValueType::enumeration:
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i] == text) {
          s.member = static_cast<std::uint32_t>(i);
          return s;
        }
      }
      why = fmt::format("`{}` is not one of {}", text, fmt::join(members, ", "));
      return std::nullopt;
    case ValueType::timezone:
      if (!find_zone(text)) {
        why = fmt::format("`{}` is not an IANA time zone", text);
        return std::nullopt;
      }
      s.text = std::string(text);
      return s;
    case ValueType::string:
      s.text = std::string(text);
      return s;
    case ValueType::event:
      return s;
  }
  return std::nullopt;
}

namespace {

// FNV-1a: ids are short, and this is several times faster than std::hash on them.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    return static_cast<std::size_t>(h);
  }
};
using IdMap = std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>>;

// Rows that fail are errors, or skipped and counted with --skip-bad-rows.
class Loader {
 public:
  Loader(const std::string& dir, const Model& model, const LoadOptions& options)
      : dir_(dir), model_(model), options_(options) {}

  Dataset run() {
    std::error_code ec;
    if (!fs::is_directory(dir_, ec)) throw DataError(fmt::format("{}: not a dataset folder", dir_));
    read_sites();
    read_devices();
    data_.device_events.resize(data_.devices.size());
    data_.site_events.resize(data_.sites.size());
    data_.device_runs.resize(data_.devices.size());
    data_.site_runs.resize(data_.sites.size());
    data_.strings.resize(model_.signals.size());
    string_ids_.resize(model_.signals.size());
    std::string csv = (fs::path(dir_) / "events.csv").string();
    std::string jsonl = (fs::path(dir_) / "events.jsonl").string();
    bool have_csv = fs::exists(csv, ec);
    bool have_jsonl = fs::exists(jsonl, ec);
    if (have_csv && have_jsonl) {
      throw DataError(fmt::format("{}: both events.csv and events.jsonl are present; keep one", dir_));
    }
    if (!have_csv && !have_jsonl) throw DataError(fmt::format("{}: no events.csv or events.jsonl", dir_));
    if (have_csv) {
      read_events_csv(csv);
    } else {
      read_events_jsonl(jsonl);
    }
    finish_counts();
    return std::move(data_);
  }

 private:
  [[noreturn]] void fail(const std::string& file, std::size_t line, const std::string& message) {
    throw DataError(fmt::format("{}:{}: {}", file, line, printable(message)));
  }

  // Reads an inventory table: the id column(s) and one column per declared attribute
  // of `level`; missing columns take defaults.
  template <typename OnRow>
  void read_inventory(const std::string& name, Level level, const std::vector<std::string>& id_columns, OnRow on_row) {
    std::string path = (fs::path(dir_) / name).string();
    std::error_code ec;
    if (!fs::exists(path, ec)) throw DataError(fmt::format("{}: missing (a dataset folder holds sites.csv, devices.csv and events.csv)", path));
    std::string text = File(path).read_all();
    CsvReader reader(text, 1, true);
    reader.skip_bom();
    std::vector<std::string_view> fields;
    std::size_t line = 0;
    RowError error;
    Next n = reader.next(fields, line, error);
    if (n == Next::end) fail(path, 1, "the file is empty; it needs a header row");
    if (n == Next::bad_row) fail(path, error.line, error.message);
    std::vector<std::string> header(fields.begin(), fields.end());
    reader.name_columns(header);
    std::vector<std::optional<std::size_t>> id_pos;
    for (const auto& col : id_columns) {
      auto it = std::find(header.begin(), header.end(), col);
      if (it == header.end()) fail(path, line, fmt::format("no `{}` column in the header", col));
      id_pos.push_back(static_cast<std::size_t>(it - header.begin()));
    }
    // Declared attributes: their column, if present.
    std::vector<std::pair<std::size_t, std::optional<std::size_t>>> attrs;
    for (std::size_t a = 0; a < model_.attributes.size(); ++a) {
      const AttributeInfo& info = model_.attributes[a];
      if (info.level != level) continue;
      auto it = std::find(header.begin(), header.end(), info.name);
      std::optional<std::size_t> pos;
      if (it != header.end()) pos = static_cast<std::size_t>(it - header.begin());
      if (!pos && !info.default_value) {
        fail(path, line, fmt::format("no `{}` column, and {} attribute `{}` has no default", info.name,
                                     level == Level::site ? "site" : "device", info.name));
      }
      attrs.emplace_back(a, pos);
    }
    while ((n = reader.next(fields, line, error)) != Next::end) {
      if (n == Next::bad_row) fail(path, error.line, error.message);
      if (fields.size() != header.size()) {
        fail(path, line, fmt::format("{} fields, but the header has {}", fields.size(), header.size()));
      }
      std::vector<std::string_view> ids;
      for (auto p : id_pos) ids.push_back(fields[*p]);
      std::vector<Scalar> values(model_.attributes.size());
      for (const auto& [a, pos] : attrs) {
        const AttributeInfo& info = model_.attributes[a];
        std::string_view cell = pos ? fields[*pos] : std::string_view();
        if (cell.empty()) {
          if (!info.default_value) fail(path, line, fmt::format("`{}` is empty and has no default", info.name));
          values[a] = *info.default_value;
          continue;
        }
        std::string why;
        auto v = parse_data_value(cell, info.type, info.members, why);
        if (!v) fail(path, line, fmt::format("`{}`: {}", info.name, why));
        values[a] = *v;
      }
      on_row(path, line, ids, std::move(values));
    }
  }

  void read_sites() {
    std::optional<std::size_t> tz_attr;
    if (auto a = model_.find_attribute(Level::site, "timezone"); a && model_.attributes[*a].type == ValueType::timezone) {
      tz_attr = a;
    }
    read_inventory("sites.csv", Level::site, {"site"},
                   [&](const std::string& path, std::size_t line, const std::vector<std::string_view>& ids,
                       std::vector<Scalar> values) {
                     std::string id(ids[0]);
                     if (id.empty()) fail(path, line, "the site id is empty");
                     auto [it, inserted] = data_.site_index.try_emplace(id, data_.sites.size());
                     if (!inserted) {
                       fail(path, line, fmt::format("site `{}` is listed twice (first at line {})", id, data_.sites[it->second].line));
                     }
                     Site s;
                     s.id = id;
                     s.line = line;
                     s.zone = model_.timezone;
                     if (tz_attr) s.zone = *find_zone(values[*tz_attr].text);
                     s.attributes = std::move(values);
                     data_.sites.push_back(std::move(s));
                   });
  }

  void read_devices() {
    read_inventory("devices.csv", Level::device, {"device", "site"},
                   [&](const std::string& path, std::size_t line, const std::vector<std::string_view>& ids,
                       std::vector<Scalar> values) {
                     std::string id(ids[0]);
                     if (id.empty()) fail(path, line, "the device id is empty");
                     auto site = data_.site_index.find(std::string(ids[1]));
                     if (site == data_.site_index.end()) {
                       fail(path, line, fmt::format("device `{}` is at site `{}`, which is not in sites.csv", id, ids[1]));
                     }
                     auto [it, inserted] = data_.device_index.try_emplace(id, data_.devices.size());
                     if (!inserted) {
                       fail(path, line, fmt::format("device `{}` is listed twice (first at line {})", id, data_.devices[it->second].line));
                     }
                     for (std::size_t w : options_.weight_attributes) {
                       if (values[w].number.is_negative()) {
                         fail(path, line, fmt::format("`{}` is {}, but it weighs devices and cannot be negative",
                                                      model_.attributes[w].name, values[w].number.to_string()));
                       }
                     }
                     Device d;
                     d.id = id;
                     d.site = site->second;
                     d.line = line;
                     d.attributes = std::move(values);
                     data_.devices.push_back(std::move(d));
                   });
    for (const auto& [id, idx] : data_.device_index) device_ids_.emplace(id, idx);
    for (const auto& [id, idx] : data_.site_index) site_ids_.emplace(id, idx);
  }

  // What one part of the events file yields. Parts are parsed in parallel, with line
  // numbers counted from the part's start, and merged in file order.
  struct Part {
    std::vector<std::vector<RawEvent>> device_events;
    std::vector<std::vector<RawEvent>> site_events;
    std::vector<std::vector<Run>> device_runs;
    std::vector<std::vector<Run>> site_runs;
    std::vector<Decimal> numbers;
    std::vector<std::vector<std::string>> strings;
    std::vector<std::unordered_map<std::string, std::size_t>> string_ids;
    DataCounts counts;                  // lines relative to the part's first
    std::size_t first_skip_line = 0;
    std::string first_skip_message;
    std::optional<std::int64_t> earliest, latest;
    std::size_t lines = 0;              // line ends in the part
    std::optional<std::pair<std::size_t, std::string>> error;  // the row that stops the run
  };

  struct Stop {};  // unwinds a part's parse once its error is recorded

  void part_fail(Part& part, std::size_t line, const std::string& message) {
    part.error = {line, printable(message)};
    throw Stop{};
  }

  void part_bad_row(Part& part, std::size_t line, const std::string& message) {
    if (!options_.skip_bad_rows) part_fail(part, line, message);
    ++part.counts.skipped_rows;
    if (part.counts.skipped_lines.size() < 10) part.counts.skipped_lines.push_back(line);
    if (part.first_skip_message.empty()) {
      part.first_skip_line = line;
      part.first_skip_message = printable(message);
    }
  }

  std::optional<std::size_t> signal_index(std::string_view name) const {
    for (std::size_t i = 0; i < model_.signals.size(); ++i) {
      if (model_.signals[i].name == name) return i;
    }
    return std::nullopt;
  }

  SignalStorage storage(std::size_t signal) const {
    return signal < options_.storage.size() ? options_.storage[signal] : SignalStorage{};
  }

  // One row of the events file, fields already split: used, counted or skipped; a row
  // that stops the run records its error and throws Stop.
  void event_row(Part& part, std::size_t line, std::string_view time_text, std::string_view entity,
                 std::string_view signal, std::string_view value, bool value_present) {
    ++part.counts.rows;
    std::string why;
    std::optional<std::int64_t> time = parse_time(time_text, why);
    if (!time) {
      part_bad_row(part, line, why);
      return;
    }
    auto sig = signal_index(signal);
    if (!sig) {
      ++part.counts.undeclared_signals;
      auto& u = part.counts.undeclared[std::string(signal)];
      if (u.rows++ == 0) u.first_line = line;
      if (options_.strict) part_fail(part, line, fmt::format("signal `{}` is not declared in the contract (--strict)", signal));
      return;
    }
    const SignalInfo& info = model_.signals[*sig];
    bool device_level = info.level == Level::device;
    auto& own = device_level ? device_ids_ : site_ids_;
    auto ent = own.find(entity);
    if (ent == own.end()) {
      auto& other = device_level ? site_ids_ : device_ids_;
      bool wrong_level = other.contains(entity);
      ++part.counts.unknown_entities;
      std::string key = wrong_level ? fmt::format("{} (a {}, for {} signal `{}`)", entity, device_level ? "site" : "device",
                                                  device_level ? "device" : "site", info.name)
                                    : std::string(entity);
      auto& u = part.counts.unknown[key];
      if (u.rows++ == 0) u.first_line = line;
      if (options_.strict) {
        part_fail(part, line,
                  wrong_level ? fmt::format("`{}` is a {}, but `{}` is a {} signal (--strict)", entity,
                                            device_level ? "site" : "device", info.name, device_level ? "device" : "site")
                              : fmt::format("`{}` is not in the inventory (--strict)", entity));
      }
      return;
    }
    RawEvent ev;
    ev.time = *time;
    ev.signal = static_cast<std::uint32_t>(*sig);
    switch (info.type) {
      case ValueType::event:
        break;  // a value on an event signal is ignored
      case ValueType::boolean:
        if (value == "true" || value == "1" || iequals(value, "true")) {
          ev.value = 1;
        } else if (value == "false" || value == "0" || iequals(value, "false")) {
          ev.value = 0;
        } else {
          part_bad_row(part, line, fmt::format("`{}` is a bool signal, and `{}` is not true, false, 1 or 0", info.name, value));
          return;
        }
        break;
      case ValueType::enumeration: {
        auto it = std::find(info.members.begin(), info.members.end(), value);
        if (it == info.members.end()) {
          part_bad_row(part, line,
                       value_present ? fmt::format("`{}` is not a value of `{}` ({})", value, info.name, fmt::join(info.members, ", "))
                                     : fmt::format("`{}` needs a value ({})", info.name, fmt::join(info.members, ", ")));
          return;
        }
        ev.value = static_cast<std::uint32_t>(it - info.members.begin());
        break;
      }
      case ValueType::number: {
        auto d = parse_data_number(value);
        if (!d) {
          part_bad_row(part, line, fmt::format("`{}` is a number signal, and {}", info.name, number_refusal(value)));
          return;
        }
        ev.value = static_cast<std::uint32_t>(part.numbers.size());
        part.numbers.push_back(*d);
        break;
      }
      case ValueType::string:
      case ValueType::timezone: {
        if (!value_present) {
          part_bad_row(part, line, fmt::format("`{}` needs a value", info.name));
          return;
        }
        auto& ids = part.string_ids[*sig];
        auto [it, inserted] = ids.try_emplace(std::string(value), part.strings[*sig].size());
        if (inserted) part.strings[*sig].emplace_back(value);
        ev.value = static_cast<std::uint32_t>(it->second);
        break;
      }
    }
    ++part.counts.events;
    if (options_.ignore_after && *time > *options_.ignore_after) {
      ++part.counts.after_as_of;
      return;
    }
    if (!part.earliest || *time < *part.earliest) part.earliest = *time;
    if (!part.latest || *time > *part.latest) part.latest = *time;
    SignalStorage keep = storage(*sig);
    if (keep.kind == SignalStorage::none) return;
    if (keep.kind == SignalStorage::runs) {
      // Extend this signal's latest run when the event falls inside it or at most the
      // run gap after its end; look back only a few runs (other signals interleave).
      auto& runs = (device_level ? part.device_runs : part.site_runs)[ent->second];
      for (std::size_t k = runs.size(), looked = 0; k > 0 && looked < 4; --k, ++looked) {
        Run& r = runs[k - 1];
        if (r.signal != ev.signal) continue;
        if (ev.time >= r.first && ev.time <= r.last + keep.run_gap) {
          r.last = std::max(r.last, ev.time);
          return;
        }
        break;
      }
      runs.push_back(Run{ev.time, ev.time, ev.signal});
      return;
    }
    (device_level ? part.device_events : part.site_events)[ent->second].push_back(ev);
  }

  Part new_part() const {
    Part p;
    p.device_events.resize(data_.devices.size());
    p.site_events.resize(data_.sites.size());
    p.device_runs.resize(data_.devices.size());
    p.site_runs.resize(data_.sites.size());
    p.strings.resize(model_.signals.size());
    p.string_ids.resize(model_.signals.size());
    return p;
  }

  // Merges parts in file order: line numbers made absolute, events appended, value
  // indices renumbered, counts summed, and the first error in the file reported.
  void merge(std::vector<Part>& parts, std::size_t first_line) {
    std::size_t base = first_line;
    const std::string& file = data_.events_file;
    for (auto& part : parts) {
      if (part.error) throw DataError(fmt::format("{}:{}: {}", file, base + part.error->first, part.error->second));
      std::size_t number_base = data_.numbers.size();
      data_.numbers.insert(data_.numbers.end(), part.numbers.begin(), part.numbers.end());
      // String ids: this part's id for each text, as an id of the merged table.
      std::vector<std::vector<std::uint32_t>> string_map(model_.signals.size());
      for (std::size_t sig = 0; sig < model_.signals.size(); ++sig) {
        for (const auto& text : part.strings[sig]) {
          auto [it, inserted] = string_ids_[sig].try_emplace(text, data_.strings[sig].size());
          if (inserted) data_.strings[sig].push_back(text);
          string_map[sig].push_back(static_cast<std::uint32_t>(it->second));
        }
      }
      auto append = [&](std::vector<std::vector<RawEvent>>& into, std::vector<std::vector<RawEvent>>& from) {
        for (std::size_t e = 0; e < from.size(); ++e) {
          for (RawEvent& ev : from[e]) {
            ValueType t = model_.signals[ev.signal].type;
            if (t == ValueType::number) ev.value += static_cast<std::uint32_t>(number_base);
            else if (t == ValueType::string || t == ValueType::timezone) ev.value = string_map[ev.signal][ev.value];
          }
          if (into[e].empty()) {
            into[e] = std::move(from[e]);
          } else {
            into[e].insert(into[e].end(), from[e].begin(), from[e].end());
          }
          std::vector<RawEvent>().swap(from[e]);
        }
      };
      append(data_.device_events, part.device_events);
      append(data_.site_events, part.site_events);
      for (auto pair : {std::pair{&data_.device_runs, &part.device_runs}, std::pair{&data_.site_runs, &part.site_runs}}) {
        for (std::size_t e = 0; e < pair.second->size(); ++e) {
          auto& into = (*pair.first)[e];
          auto& from = (*pair.second)[e];
          if (into.empty()) into = std::move(from);
          else into.insert(into.end(), from.begin(), from.end());
          std::vector<Run>().swap(from);
        }
      }
      DataCounts& c = data_.counts;
      const DataCounts& pc = part.counts;
      c.rows += pc.rows;
      c.events += pc.events;
      c.skipped_rows += pc.skipped_rows;
      c.unknown_entities += pc.unknown_entities;
      c.undeclared_signals += pc.undeclared_signals;
      c.after_as_of += pc.after_as_of;
      for (std::size_t l : pc.skipped_lines) {
        if (c.skipped_lines.size() < 10) c.skipped_lines.push_back(base + l);
      }
      if (c.first_skip_reason.empty() && !part.first_skip_message.empty()) {
        c.first_skip_reason = fmt::format("{}:{}: {}", file, base + part.first_skip_line, part.first_skip_message);
      }
      for (auto maps : {std::pair{&c.undeclared, &pc.undeclared}, std::pair{&c.unknown, &pc.unknown}}) {
        for (const auto& [key, u] : *maps.second) {
          auto& into = (*maps.first)[key];
          if (into.rows == 0) into.first_line = base + u.first_line;
          into.rows += u.rows;
        }
      }
      if (part.earliest && (!data_.earliest || *part.earliest < *data_.earliest)) data_.earliest = part.earliest;
      if (part.latest && (!data_.latest || *part.latest > *data_.latest)) data_.latest = part.latest;
      base += part.lines;
    }
  }

  // Parses the rows in bytes [begin, end) of the events CSV, block by block; line
  // numbers are counted from 0 at `begin`.
  void parse_csv_part(Part& part, const File& file, std::size_t begin, std::size_t end, std::size_t ct, std::size_t ce,
                      std::size_t cs, std::size_t cv, const std::vector<std::string>& header) {
    std::size_t columns = header.size();
    BlockReader blocks(file, begin, end, options_.block_size);
    std::vector<std::string_view> fields;
    std::size_t line = 0;
    std::size_t relative = 0;
    RowError error;
    std::size_t consumed = 0;
    try {
      while (true) {
        blocks.fill(consumed);
        bool final = blocks.at_end();
        CsvReader reader(blocks.data(), relative, final);
        reader.name_columns(header);
        Next n;
        while ((n = reader.next(fields, line, error)) == Next::row || n == Next::bad_row) {
          if (n == Next::bad_row) {
            ++part.counts.rows;
            part_bad_row(part, error.line, error.message);
          } else if (fields.size() != columns) {
            ++part.counts.rows;
            part_bad_row(part, line, fmt::format("{} fields, but the header has {}", fields.size(), columns));
          } else {
            event_row(part, line, fields[ct], fields[ce], fields[cs], fields[cv], !fields[cv].empty());
          }
        }
        consumed = reader.offset();
        relative = reader.line();
        if (final) break;
      }
    } catch (const Stop&) {
    }
    part.lines = relative;
  }

  void read_events_csv(const std::string& path) {
    data_.events_file = path;
    File file(path);
    // The header: the first row of the file.
    std::size_t header_end = 0;
    std::vector<std::string> header;
    std::size_t first_line = 1;
    {
      BlockReader blocks(file, 0, file.size(), 1 << 16);
      std::vector<std::string_view> fields;
      std::size_t line = 0;
      RowError error;
      std::size_t consumed = 0;
      while (true) {
        blocks.fill(consumed);
        bool final = blocks.at_end();
        CsvReader reader(blocks.data(), 1, final);
        reader.skip_bom();
        Next n = reader.next(fields, line, error);
        if (n == Next::incomplete && !final) {
          consumed = 0;
          continue;
        }
        if (n == Next::end || n == Next::incomplete) fail(path, 1, "the file is empty; it needs a header row (time,entity,signal,value)");
        if (n == Next::bad_row) fail(path, error.line, error.message);
        header.assign(fields.begin(), fields.end());
        header_end = reader.offset();
        first_line = reader.line();
        break;
      }
    }
    auto column = [&](std::string_view name) {
      auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) fail(path, 1, fmt::format("no `{}` column in the header (time,entity,signal,value)", name));
      return static_cast<std::size_t>(it - header.begin());
    };
    std::size_t ct = column("time"), ce = column("entity"), cs = column("signal"), cv = column("value");
    // Split the rows between the cores at line ends. A cut inside a quoted field that
    // holds a line end leaves the part before it with an unclosed quote; whenever a part
    // finds a bad row, the file is read again in one part, so that what is reported is
    // what is in the file.
    std::size_t body = file.size() - header_end;
    std::size_t threads = options_.threads;
    if (threads == 0) threads = body < (16u << 20) ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    auto run_parts = [&](std::size_t count) {
      std::vector<std::size_t> cuts{header_end};
      for (std::size_t k = 1; k < count; ++k) {
        std::size_t cut = header_end + body * k / count;
        char window[4096];
        std::size_t at = cut;
        while (at < file.size()) {
          std::size_t got = file.read(window, sizeof window, at);
          const void* nl = std::memchr(window, '\n', got);
          if (nl != nullptr) {
            at += static_cast<std::size_t>(static_cast<const char*>(nl) - window) + 1;
            break;
          }
          at += got;
          if (got == 0) break;
        }
        cuts.push_back(std::max(cuts.back(), std::min(at, file.size())));
      }
      cuts.push_back(file.size());
      std::vector<Part> parts;
      for (std::size_t k = 0; k < count; ++k) parts.push_back(new_part());
      std::vector<std::thread> workers;
      for (std::size_t k = 0; k < count; ++k) {
        workers.emplace_back([&, k] { parse_csv_part(parts[k], file, cuts[k], cuts[k + 1], ct, ce, cs, cv, header); });
      }
      for (auto& w : workers) w.join();
      return parts;
    };
    std::vector<Part> parts = run_parts(threads);
    if (parts.size() > 1 && std::any_of(parts.begin(), parts.end(), [](const Part& p) { return p.error || p.counts.skipped_rows > 0; })) {
      parts = run_parts(1);
    }
    merge(parts, first_line);
  }

  // One JSON object per line, read with the SAX interface so that numbers keep their
  // exact decimal text.
  struct JsonRow : nlohmann::json_sax<nlohmann::json> {
    int depth = 0;
    std::string current_key;
    std::string time, entity, signal, value;
    bool has_time = false, has_entity = false, has_signal = false, has_value = false, value_null = false;
    std::string problem;

    void reset() { *this = JsonRow(); }
    bool scalar(const std::string& text, bool is_null) {
      if (depth != 1) return fail_with("values are strings, numbers, booleans or null, not arrays or objects");
      const std::string& key = current_key;
      if (key == "time") {
        time = text;
        has_time = !is_null;
      } else if (key == "entity") {
        entity = text;
        has_entity = !is_null;
      } else if (key == "signal") {
        signal = text;
        has_signal = !is_null;
      } else if (key == "value") {
        value = text;
        has_value = true;
        value_null = is_null;
      }
      return true;
    }
    bool fail_with(std::string why) {
      if (problem.empty()) problem = std::move(why);
      return false;
    }
    bool null() override { return scalar("", true); }
    bool boolean(bool v) override { return scalar(v ? "true" : "false", false); }
    bool number_integer(number_integer_t v) override { return scalar(std::to_string(v), false); }
    bool number_unsigned(number_unsigned_t v) override { return scalar(std::to_string(v), false); }
    bool number_float(number_float_t, const string_t& s) override { return scalar(s, false); }
    bool string(string_t& v) override {
      if (auto problem = text_problem(v)) return fail_with(fmt::format("`{}` {}", current_key, *problem));
      return scalar(v, false);
    }
    bool binary(binary_t&) override { return fail_with("binary values are not supported"); }
    bool start_object(std::size_t) override {
      if (++depth > 1) {
        return fail_with(fmt::format("`{}` is an object; values are strings, numbers, booleans or null", current_key));
      }
      return true;
    }
    bool key(string_t& k) override {
      current_key = k;
      return true;
    }
    bool end_object() override {
      --depth;
      return true;
    }
    bool start_array(std::size_t) override {
      if (depth == 0) return fail_with("each line must be a JSON object");
      return fail_with(fmt::format("`{}` is an array; values are strings, numbers, booleans or null", current_key));
    }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
      return fail_with(fmt::format("not valid JSON ({})", ex.what()));
    }
  };

  void read_events_jsonl(const std::string& path) {
    data_.events_file = path;
    File file(path);
    std::vector<Part> parts;
    parts.push_back(new_part());
    Part& part = parts.back();
    BlockReader blocks(file, 0, file.size(), options_.block_size);
    std::size_t line = 0;  // relative to line 1
    std::size_t consumed = 0;
    JsonRow row;
    bool first_block = true;
    try {
      while (true) {
        blocks.fill(consumed);
        bool final = blocks.at_end();
        std::string_view text = blocks.data();
        std::size_t at = 0;
        if (first_block && text.starts_with("\xEF\xBB\xBF")) at = 3;
        first_block = false;
        while (at < text.size()) {
          std::size_t nl = text.find('\n', at);
          if (nl == std::string_view::npos && !final) break;
          std::string_view l = text.substr(at, (nl == std::string_view::npos ? text.size() : nl) - at);
          at = nl == std::string_view::npos ? text.size() : nl + 1;
          std::size_t this_line = line++;
          if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
          if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
          row.reset();
          bool ok = nlohmann::json::sax_parse(l.begin(), l.end(), &row, nlohmann::json::input_format_t::json, false);
          if (!ok || row.depth != 0) {
            ++part.counts.rows;
            part_bad_row(part, this_line, row.problem.empty() ? "each line must be one JSON object" : row.problem);
            continue;
          }
          if (!row.has_time || !row.has_entity || !row.has_signal) {
            ++part.counts.rows;
            part_bad_row(part, this_line, fmt::format("missing `{}`", !row.has_time ? "time" : !row.has_entity ? "entity" : "signal"));
            continue;
          }
          event_row(part, this_line, row.time, row.entity, row.signal, row.value, row.has_value && !row.value_null);
        }
        consumed = at;
        if (final) break;
      }
    } catch (const Stop&) {
    }
    part.lines = line;
    merge(parts, 1);
  }

  void finish_counts() {
    for (auto& events : data_.device_events) events.shrink_to_fit();
    for (auto& events : data_.site_events) events.shrink_to_fit();
  }

  std::string dir_;
  const Model& model_;
  LoadOptions options_;
  Dataset data_;
  IdMap device_ids_;
  IdMap site_ids_;
  std::vector<std::unordered_map<std::string, std::size_t>> string_ids_;
};

}  // namespace

Dataset load_dataset(const std::string& dir, const Model& model, const LoadOptions& options) {
  return Loader(dir, model, options).run();
}

}  // namespace slac::rt
