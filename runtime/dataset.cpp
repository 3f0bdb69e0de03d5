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

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/timezones.hpp"

namespace slac::rt {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Files

class MappedFile {
 public:
  explicit MappedFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw DataError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw DataError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    if (S_ISDIR(st.st_mode)) throw DataError(fmt::format("{}: is a directory", path));
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (p == MAP_FAILED) throw DataError(fmt::format("{}: cannot map: {}", path, std::strerror(errno)));
      data_ = static_cast<const char*>(p);
      ::madvise(p, size_, MADV_SEQUENTIAL);
    }
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view text() const { return {data_ == nullptr ? "" : data_, size_}; }

 private:
  std::string path_;
  int fd_ = -1;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// ---------------------------------------------------------------------------
// RFC 4180 CSV: quoted fields with "" escapes and line ends inside, LF or CRLF, a
// byte-order mark, blank lines skipped. Each row knows the line it starts on.

struct RowError {
  std::size_t line;
  std::string message;
  const char* resume;  // where reading continues if the row is skipped
};

class CsvReader {
 public:
  CsvReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {
    if (text.starts_with("\xEF\xBB\xBF")) p_ += 3;
  }

  // The next row's fields (views into the file or into the reader's buffer), or false
  // at the end. A malformed row is returned as an error, with where to resume.
  bool next(std::vector<std::string_view>& fields, std::size_t& line, std::optional<RowError>& error) {
    fields.clear();
    error.reset();
    // Blank lines are not rows.
    while (p_ < end_ && (*p_ == '\n' || (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n'))) {
      p_ += *p_ == '\r' ? 2 : 1;
      ++line_;
    }
    if (p_ >= end_) return false;
    line = line_;
    const char* row_start = p_;
    std::size_t row_line = line_;
    buffer_.clear();
    spans_.clear();
    while (true) {
      if (p_ < end_ && *p_ == '"') {
        // Quoted field.
        ++p_;
        std::size_t start = buffer_.size();
        while (true) {
          const char* q = static_cast<const char*>(std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_)));
          if (q == nullptr) {
            error = RowError{row_line, "a quoted field is not closed", next_line_after(row_start)};
            line_ = row_line + 1;
            p_ = error->resume;
            return true;
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
          error = RowError{row_line, "text after a closing quote; a quote inside a field is written \"\"", skip_line()};
          return true;
        }
      } else {
        const char* q = p_;
        while (q < end_ && *q != ',' && *q != '\n' && *q != '\r' && *q != '"') ++q;
        if (q < end_ && *q == '"') {
          error = RowError{row_line, "a quote inside an unquoted field; quote the field and write \"\"", skip_line()};
          return true;
        }
        spans_.push_back({false, static_cast<std::size_t>(p_ - row_start), static_cast<std::size_t>(q - p_)});
        p_ = q;
      }
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      // End of row: LF, CRLF or end of file. A lone CR ends the row too.
      if (p_ < end_ && *p_ == '\r') ++p_;
      if (p_ < end_ && *p_ == '\n') ++p_;
      ++line_;
      break;
    }
    for (const auto& s : spans_) {
      fields.push_back(s.quoted ? std::string_view(buffer_).substr(s.offset, s.length)
                                : std::string_view(row_start + s.offset, s.length));
    }
    return true;
  }

 private:
  const char* skip_line() {
    while (p_ < end_ && *p_ != '\n') ++p_;
    if (p_ < end_) ++p_;
    ++line_;
    return p_;
  }
  const char* next_line_after(const char* from) const {
    const char* q = static_cast<const char*>(std::memchr(from, '\n', static_cast<std::size_t>(end_ - from)));
    return q == nullptr ? end_ : q + 1;
  }

  struct Span {
    bool quoted;
    std::size_t offset;
    std::size_t length;
  };
  const char* p_;
  const char* end_;
  std::size_t line_ = 1;
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
  bool all_digits = std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(), [](char c) { return c >= '0' && c <= '9'; });
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
std::optional<Decimal> parse_data_number(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  bool any = false, point = false;
  for (std::size_t k = i; k < s.size(); ++k) {
    if (s[k] >= '0' && s[k] <= '9') {
      any = true;
    } else if (s[k] == '.' && !point) {
      point = true;
    } else {
      return std::nullopt;
    }
  }
  if (!any) return std::nullopt;
  return Decimal::parse(s);
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
      why = fmt::format("`{}` is not a number", text);
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

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
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
    data_.strings.resize(model_.signals.size());
    string_ids_.resize(model_.signals.size());
    for (std::size_t i = 0; i < model_.signals.size(); ++i) signal_ids_.emplace(model_.signals[i].name, i);
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
    throw DataError(fmt::format("{}:{}: {}", file, line, message));
  }

  // A malformed row: an error, or skipped and counted.
  void bad_row(const std::string& file, std::size_t line, const std::string& message, bool events_file) {
    if (!options_.skip_bad_rows || !events_file) fail(file, line, message);
    ++data_.counts.skipped_rows;
    if (data_.counts.skipped_lines.size() < 10) data_.counts.skipped_lines.push_back(line);
    if (data_.counts.first_skip_reason.empty()) data_.counts.first_skip_reason = fmt::format("{}:{}: {}", file, line, message);
  }

  struct Table {
    std::string file;
    std::vector<std::string> header;
    std::size_t header_line = 1;
  };

  // Reads an inventory table: the id column(s) and one column per declared attribute
  // of `level`; missing columns take defaults.
  template <typename OnRow>
  void read_inventory(const std::string& name, Level level, const std::vector<std::string>& id_columns, OnRow on_row) {
    std::string path = (fs::path(dir_) / name).string();
    std::error_code ec;
    if (!fs::exists(path, ec)) throw DataError(fmt::format("{}: missing (a dataset folder holds sites.csv, devices.csv and events.csv)", path));
    MappedFile file(path);
    CsvReader reader(file.text());
    std::vector<std::string_view> fields;
    std::size_t line = 0;
    std::optional<RowError> error;
    if (!reader.next(fields, line, error)) fail(path, 1, "the file is empty; it needs a header row");
    if (error) fail(path, error->line, error->message);
    std::vector<std::string> header(fields.begin(), fields.end());
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
    while (reader.next(fields, line, error)) {
      if (error) fail(path, error->line, error->message);
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

  // One row of the events file, fields already split. Returns normally when the row
  // is used, counted or skipped; throws when it stops the run.
  void event_row(const std::string& file, std::size_t line, std::string_view time_text, std::string_view entity,
                 std::string_view signal, std::string_view value, bool value_present) {
    ++data_.counts.rows;
    std::string why;
    std::optional<std::int64_t> time = parse_time(time_text, why);
    if (!time) {
      bad_row(file, line, why, true);
      return;
    }
    auto sig = signal_ids_.find(signal);
    if (sig == signal_ids_.end()) {
      ++data_.counts.undeclared_signals;
      auto& u = data_.counts.undeclared[std::string(signal)];
      if (u.rows++ == 0) u.first_line = line;
      if (options_.strict) fail(file, line, fmt::format("signal `{}` is not declared in the contract (--strict)", signal));
      return;
    }
    const SignalInfo& info = model_.signals[sig->second];
    bool device_level = info.level == Level::device;
    auto& own = device_level ? device_ids_ : site_ids_;
    auto ent = own.find(entity);
    if (ent == own.end()) {
      auto& other = device_level ? site_ids_ : device_ids_;
      bool wrong_level = other.contains(entity);
      ++data_.counts.unknown_entities;
      std::string key = wrong_level ? fmt::format("{} (a {}, for {} signal `{}`)", entity, device_level ? "site" : "device",
                                                  device_level ? "device" : "site", info.name)
                                    : std::string(entity);
      auto& u = data_.counts.unknown[key];
      if (u.rows++ == 0) u.first_line = line;
      if (options_.strict) {
        fail(file, line, wrong_level ? fmt::format("`{}` is a {}, but `{}` is a {} signal (--strict)", entity,
                                                   device_level ? "site" : "device", info.name, device_level ? "device" : "site")
                                     : fmt::format("`{}` is not in the inventory (--strict)", entity));
      }
      return;
    }
    RawEvent ev;
    ev.time = *time;
    ev.signal = static_cast<std::uint32_t>(sig->second);
    switch (info.type) {
      case ValueType::event:
        break;  // a value on an event signal is ignored
      case ValueType::boolean:
        if (value == "true" || value == "1" || iequals(value, "true")) {
          ev.value = 1;
        } else if (value == "false" || value == "0" || iequals(value, "false")) {
          ev.value = 0;
        } else {
          bad_row(file, line, fmt::format("`{}` is a bool signal, and `{}` is not true, false, 1 or 0", info.name, value), true);
          return;
        }
        break;
      case ValueType::enumeration: {
        auto it = std::find(info.members.begin(), info.members.end(), value);
        if (it == info.members.end()) {
          bad_row(file, line,
                  value_present ? fmt::format("`{}` is not a value of `{}` ({})", value, info.name, fmt::join(info.members, ", "))
                                : fmt::format("`{}` needs a value ({})", info.name, fmt::join(info.members, ", ")),
                  true);
          return;
        }
        ev.value = static_cast<std::uint32_t>(it - info.members.begin());
        break;
      }
      case ValueType::number: {
        auto d = parse_data_number(value);
        if (!d) {
          bad_row(file, line, fmt::format("`{}` is a number signal, and `{}` is not a number", info.name, value), true);
          return;
        }
        ev.value = static_cast<std::uint32_t>(data_.numbers.size());
        data_.numbers.push_back(*d);
        break;
      }
      case ValueType::string:
      case ValueType::timezone: {
        if (!value_present) {
          bad_row(file, line, fmt::format("`{}` needs a value", info.name), true);
          return;
        }
        auto& ids = string_ids_[sig->second];
        auto [it, inserted] = ids.try_emplace(std::string(value), data_.strings[sig->second].size());
        if (inserted) data_.strings[sig->second].emplace_back(value);
        ev.value = static_cast<std::uint32_t>(it->second);
        break;
      }
    }
    ++data_.counts.events;
    if (options_.ignore_after && *time > *options_.ignore_after) {
      ++data_.counts.after_as_of;
      return;
    }
    if (!data_.earliest || *time < *data_.earliest) data_.earliest = *time;
    if (!data_.latest || *time > *data_.latest) data_.latest = *time;
    (device_level ? data_.device_events : data_.site_events)[ent->second].push_back(ev);
  }

  void read_events_csv(const std::string& path) {
    data_.events_file = path;
    MappedFile file(path);
    CsvReader reader(file.text());
    std::vector<std::string_view> fields;
    std::size_t line = 0;
    std::optional<RowError> error;
    if (!reader.next(fields, line, error)) fail(path, 1, "the file is empty; it needs a header row (time,entity,signal,value)");
    if (error) fail(path, error->line, error->message);
    std::vector<std::string> header(fields.begin(), fields.end());
    auto column = [&](std::string_view name) {
      auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) fail(path, line, fmt::format("no `{}` column in the header (time,entity,signal,value)", name));
      return static_cast<std::size_t>(it - header.begin());
    };
    std::size_t ct = column("time"), ce = column("entity"), cs = column("signal"), cv = column("value");
    while (reader.next(fields, line, error)) {
      if (error) {
        ++data_.counts.rows;
        bad_row(path, error->line, error->message, true);
        continue;
      }
      if (fields.size() != header.size()) {
        ++data_.counts.rows;
        bad_row(path, line, fmt::format("{} fields, but the header has {}", fields.size(), header.size()), true);
        continue;
      }
      event_row(path, line, fields[ct], fields[ce], fields[cs], fields[cv], !fields[cv].empty());
    }
  }

  // One JSON object per line, read with the SAX interface so that numbers keep their
  // exact decimal text.
  struct JsonRow : nlohmann::json_sax<nlohmann::json> {
    int depth = 0;
    std::string current_key;
    std::string time, entity, signal, value;
    bool has_time = false, has_entity = false, has_signal = false, has_value = false, value_null = false;
    bool time_is_text = false;
    std::string problem;

    void reset() { *this = JsonRow(); }
    bool scalar(const std::string& text, bool is_text, bool is_null) {
      if (depth != 1) return fail_with("values must be strings, numbers, booleans or null, not arrays or objects");
      const std::string& key = current_key;
      if (key == "time") {
        time = text;
        has_time = !is_null;
        time_is_text = is_text;
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
    bool null() override { return scalar("", false, true); }
    bool boolean(bool v) override { return scalar(v ? "true" : "false", false, false); }
    bool number_integer(number_integer_t v) override { return scalar(std::to_string(v), false, false); }
    bool number_unsigned(number_unsigned_t v) override { return scalar(std::to_string(v), false, false); }
    bool number_float(number_float_t, const string_t& s) override { return scalar(s, false, false); }
    bool string(string_t& v) override { return scalar(v, true, false); }
    bool binary(binary_t&) override { return fail_with("binary values are not supported"); }
    bool start_object(std::size_t) override {
      if (++depth > 1) return fail_with("values must be strings, numbers, booleans or null, not objects");
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
      return fail_with(depth == 0 ? "each line must be a JSON object" : "values must not be arrays");
    }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
      return fail_with(fmt::format("not valid JSON ({})", ex.what()));
    }
  };

  void read_events_jsonl(const std::string& path) {
    data_.events_file = path;
    MappedFile file(path);
    std::string_view text = file.text();
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::size_t line = 0;
    JsonRow row;
    while (!text.empty()) {
      ++line;
      std::size_t nl = text.find('\n');
      std::string_view l = text.substr(0, nl);
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
      row.reset();
      bool ok = nlohmann::json::sax_parse(l.begin(), l.end(), &row, nlohmann::json::input_format_t::json, false);
      if (!ok || row.depth != 0) {
        ++data_.counts.rows;
        bad_row(path, line, row.problem.empty() ? "each line must be one JSON object" : row.problem, true);
        continue;
      }
      if (!row.has_time || !row.has_entity || !row.has_signal) {
        ++data_.counts.rows;
        bad_row(path, line,
                fmt::format("missing `{}`", !row.has_time ? "time" : !row.has_entity ? "entity" : "signal"), true);
        continue;
      }
      event_row(path, line, row.time, row.entity, row.signal, row.value, row.has_value && !row.value_null);
    }
  }

  void finish_counts() {
    for (auto& events : data_.device_events) events.shrink_to_fit();
    for (auto& events : data_.site_events) events.shrink_to_fit();
  }

  std::string dir_;
  const Model& model_;
  LoadOptions options_;
  Dataset data_;
  IdMap signal_ids_;
  IdMap device_ids_;
  IdMap site_ids_;
  std::vector<std::unordered_map<std::string, std::size_t>> string_ids_;
};

}  // namespace

Dataset load_dataset(const std::string& dir, const Model& model, const LoadOptions& options) {
  return Loader(dir, model, options).run();
}

}  // namespace slac::rt
