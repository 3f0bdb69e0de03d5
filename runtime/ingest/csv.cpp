// The dialect a CSV file's header shows, and finding its columns by name.
#include "runtime/ingest/csv.hpp"

#include <array>

#include "runtime/ingest/events.hpp"

namespace slac::rt::ingest {
namespace {

std::string_view trimmed(std::string_view s) {
  std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}


}  // namespace

CsvDialect detect_dialect(std::string_view text, const std::string& path) {
  // The header line, quotes respected (a quoted name may hold a separator).
  constexpr std::array<char, 3> candidates{',', ';', '\t'};
  std::array<std::size_t, 3> count{};
  std::array<std::size_t, 3> spaced{};
  bool quoted = false;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    char c = text[end];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      if (c == candidates[k]) {
        ++count[k];
        spaced[k] += end + 1 < text.size() && text[end + 1] == ' ';
      }
    }
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < candidates.size(); ++k) {
    if (count[k] > count[best]) best = k;
  }
  CsvDialect dialect;
  if (count[best] == 0) {
    // One column, or names joined by something slac does not read as a separator.
    std::string_view line = text.substr(0, end);
    for (char c : line) {
      bool name_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                       c == ' ' || c == '"' || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
      if (!name_char) {
        fail_at(path, 1, fmt::format("the header `{}` has no `,`, `;` or tab between its names, but `{}`; columns are "
                                     "separated by `,`, `;` or a tab", line, c));
      }
    }
    return dialect;
  }
  dialect.separator = candidates[best];
  dialect.space_after_separator = spaced[best] == count[best] && dialect.separator != '\t';
  return dialect;
}

std::optional<std::size_t> find_column(const std::vector<std::string>& header, std::string_view name, const std::string& path) {
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!iequals(trimmed(header[i]), name)) continue;
    if (found) {
      fail_at(path, 1, fmt::format("two columns could be `{}`: {} and {}; name one of them exactly `{}`", name,
                                   quoted(header[*found]), quoted(header[i]), name));
    }
    found = i;
  }
  return found;
}

}  // namespace slac::rt::ingest
