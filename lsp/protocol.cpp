// Content-Length framing, file URIs and UTF-16 positions for the language server.
#include "lsp/protocol.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace slac::lsp {

namespace {

constexpr std::string_view length_header = "Content-Length:";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::size_t> parse_length(std::string_view value) {
  value = value.substr(std::min(value.find_first_not_of(" \t"), value.size()));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
  return n;
}

}  // namespace

bool FrameReader::resync() {
  std::string tail;
  int c = 0;
  while ((c = in_.get()) != std::char_traits<char>::eof()) {
    tail.push_back(static_cast<char>(c));
    if (tail.size() > length_header.size()) tail.erase(tail.begin());
    if (iequals(tail, length_header)) return true;
  }
  return false;
}

Frame FrameReader::next() {
  std::optional<std::size_t> length;
  std::string problem;
  std::size_t header_bytes = 0;
  std::string line;
  bool started = false;
  if (resyncing_) {
    resyncing_ = false;
    if (!resync()) return {};
    line = std::string(length_header);
    started = true;
  }
  for (;;) {
    int c = in_.get();
    if (c == std::char_traits<char>::eof()) return {};
    if (++header_bytes > max_header_bytes) {
      resyncing_ = true;
      return {Frame::Kind::bad_header, {}, fmt::format("a header block over {} bytes", max_header_bytes)};
    }
    if (c != '\n') {
      line.push_back(static_cast<char>(c));
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!started) continue;  // blank lines between messages
      break;
    }
    started = true;
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      if (problem.empty()) problem = fmt::format("a header line without a colon: `{}`", printable(line.substr(0, 60)));
    } else if (iequals(std::string_view(line).substr(0, colon + 1), length_header)) {
      length = parse_length(std::string_view(line).substr(colon + 1));
      if (!length && problem.empty()) {
        problem = fmt::format("a Content-Length that is not a number: `{}`", printable(line.substr(colon + 1, 40)));
      }
    }
    line.clear();
  }
  if (problem.empty() && !length) problem = "a message without a Content-Length header";
  if (problem.empty() && *length > max_body_bytes) {
    problem = fmt::format("a Content-Length of {} bytes (at most {} are read)", *length, max_body_bytes);
  }
  if (!problem.empty()) {
    resyncing_ = true;
    return {Frame::Kind::bad_header, {}, problem};
  }
  Frame f{Frame::Kind::message, std::string(*length, '\0'), {}};
  in_.read(f.body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<std::size_t>(in_.gcount()) != *length) return {};
  return f;
}

std::string frame(const json& message) {
  std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  return fmt::format("Content-Length: {}\r\n\r\n{}", body.size(), body);
}

std::string path_from_uri(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (uri.size() < scheme.size() || !iequals(uri.substr(0, scheme.size()), scheme)) return {};
  std::string_view rest = uri.substr(scheme.size());
  // `file://host/path`: only the local host (empty or `localhost`) is a path here.
  std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return {};
  std::string_view host = rest.substr(0, slash);
  if (!host.empty() && !iequals(host, "localhost")) return {};
  rest = rest.substr(slash);
  rest = rest.substr(0, std::min(rest.find_first_of("?#"), rest.size()));
  std::string out;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    unsigned value = 0;
    if (rest[i] == '%' && i + 2 < rest.size() &&
        std::from_chars(rest.data() + i + 1, rest.data() + i + 3, value, 16).ptr == rest.data() + i + 3) {
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(rest[i]);
    }
  }
  return out;
}

std::string uri_from_path(std::string_view path) {
  std::string out = "file://";
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::uint32_t offset_at(const SourceFile& file, Position p) {
  std::string_view text = file.text();
  if (p.line >= file.line_count()) return static_cast<std::uint32_t>(text.size());
  std::uint32_t at = file.line_start(p.line + 1);
  std::uint32_t units = 0;
  while (at < text.size() && text[at] != '\n' && text[at] != '\r' && units < p.character) {
    std::size_t len = utf8_sequence_length(text, at);
    if (len == 0) len = 1;  // a stray byte counts as one unit, as the client saw it replaced
    units += len == 4 ? 2 : 1;
    at += static_cast<std::uint32_t>(len);
  }
  return std::min<std::uint32_t>(at, static_cast<std::uint32_t>(text.size()));
}

Position position_at(const SourceFile& file, std::uint32_t offset) {
  std::string_view text = file.text();
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  Location loc = file.location(offset);
  std::uint32_t at = file.line_start(loc.line);
  std::uint32_t units = 0;
  while (at < offset) {
    std::size_t len = utf8_sequence_length(text, at);
    if (len == 0) len = 1;
    units += len == 4 ? 2 : 1;
    at += static_cast<std::uint32_t>(len);
  }
  return {loc.line - 1, units};
}

json position_json(const SourceFile& file, std::uint32_t offset) {
  Position p = position_at(file, offset);
  return {{"line", p.line}, {"character", p.character}};
}

json range_json(const SourceFile& file, Range r) {
  return {{"start", position_json(file, r.begin)}, {"end", position_json(file, r.end)}};
}

std::optional<Position> position_from(const json& params) {
  if (!params.is_object()) return std::nullopt;
  auto it = params.find("position");
  if (it == params.end() || !it->is_object()) return std::nullopt;
  auto line = it->find("line");
  auto character = it->find("character");
  if (line == it->end() || character == it->end() || !line->is_number_unsigned() || !character->is_number_unsigned()) {
    return std::nullopt;
  }
  auto clamp = [](const json& v) {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(v.get<std::uint64_t>(), UINT32_MAX));
  };
  return Position{clamp(*line), clamp(*character)};
}

}  // namespace slac::lsp
