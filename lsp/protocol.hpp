// The Language Server Protocol's plumbing: Content-Length framing, file URIs, and LSP
// positions (lines and UTF-16 code units) against slac's byte offsets.
#pragma once
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/source.hpp"

namespace slac::lsp {

using json = nlohmann::json;

// JSON-RPC 2.0 and LSP 3.17 error codes.
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int server_not_initialized = -32002;
inline constexpr int request_failed = -32803;

// The largest header block and body read: a longer one is a framing error, never an
// allocation of what a broken client claims.
inline constexpr std::size_t max_header_bytes = 8 * 1024;
inline constexpr std::size_t max_body_bytes = 64 * 1024 * 1024;

struct Frame {
  enum class Kind { message, bad_header, end };
  Kind kind = Kind::end;
  std::string body;     // message: the JSON text, not yet parsed
  std::string problem;  // bad_header: what was wrong, for the error response
};

// Reads framed messages: header lines (`Content-Length: N`, others ignored) up to a
// blank line, then N bytes. A header block without a valid Content-Length, a line that
// is no header, or a block over max_header_bytes gives a bad_header; its body cannot be
// delimited, so reading resumes at the next `Content-Length:` in the stream. `end` at
// the end of input, also in the middle of a message.
class FrameReader {
 public:
  explicit FrameReader(std::istream& in) : in_(in) {}
  Frame next();

 private:
  bool resync();  // skips to just after the next `Content-Length:`; false at the end
  std::istream& in_;
  bool resyncing_ = false;
};

// `Content-Length: N\r\n\r\n` and the message's JSON (invalid UTF-8 replaced).
std::string frame(const json& message);

// The path of a `file://` URI, percent-decoded; empty for other schemes.
std::string path_from_uri(std::string_view uri);
// A `file://` URI for an absolute path, with reserved characters percent-encoded.
std::string uri_from_path(std::string_view path);

// An LSP position: 0-based line, 0-based character in UTF-16 code units.
struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
};

// The byte offset of a position, clamped to its line's end (line end excluded) and to
// the text's end; a position inside a UTF-8 sequence is the sequence's start.
std::uint32_t offset_at(const SourceFile& file, Position p);
Position position_at(const SourceFile& file, std::uint32_t offset);
// `{"line": L, "character": C}` and `{"start": ..., "end": ...}`.
json position_json(const SourceFile& file, std::uint32_t offset);
json range_json(const SourceFile& file, Range r);
// A position from a request's `position` member; nullopt when it is missing or not two
// non-negative integers.
std::optional<Position> position_from(const json& params);

}  // namespace slac::lsp
