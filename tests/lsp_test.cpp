// The language server's library: framing, positions, and every request on cut-off
// prefixes of every contract in the repository (no crash, no hang, no internal error).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "compiler/loader.hpp"
#include "lsp/protocol.hpp"
#include "lsp/server.hpp"

using namespace slac;
using namespace slac::lsp;
namespace fs = std::filesystem;

namespace {

// Built with AddressSanitizer (scripts/run-sanitized-tests.sh): GCC says so with a
// macro, clang with __has_feature.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

std::string framed(std::string_view body) { return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body); }

// Every .sla file of the repository, sorted (build folders and node_modules left out).
std::vector<fs::path> repository_contracts() {
  std::vector<fs::path> out;
  fs::path root(SLAC_SOURCE_DIR);
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && (name.starts_with("build") || name == ".git" || name == "node_modules")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".sla") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("lsp: frames are read, and broken ones are errors the reader recovers from") {
  std::string input = framed(R"({"a":1})") + "Content-Type: x\r\n\r\n{\"orphan\":true}" + framed(R"({"b":2})") +
                      "Content-Length: 12\r\nContent-Length: nope\r\n\r\n{}" + "Content-Length: 5\r\n\r\n{\"c\"";
  std::istringstream in(input);
  FrameReader reader(in);
  Frame f = reader.next();
  CHECK(f.kind == Frame::Kind::message);
  CHECK(f.body == R"({"a":1})");
  f = reader.next();
  CHECK(f.kind == Frame::Kind::bad_header);
  CHECK(f.problem == "a message without a Content-Length header");
  f = reader.next();
  CHECK(f.kind == Frame::Kind::message);
  CHECK(f.body == R"({"b":2})");
  f = reader.next();
  CHECK(f.kind == Frame::Kind::bad_header);
  CHECK(f.problem.starts_with("a Content-Length that is not a number"));
  // The body cut off by the end of input: the end, not a message.
  CHECK(reader.next().kind == Frame::Kind::end);
  CHECK(reader.next().kind == Frame::Kind::end);

  std::istringstream huge("Content-Length: 99999999999\r\n\r\n");
  CHECK(FrameReader(huge).next().kind == Frame::Kind::bad_header);
  std::istringstream endless(std::string(max_header_bytes + 10, 'x'));
  FrameReader long_header(endless);
  CHECK(long_header.next().kind == Frame::Kind::bad_header);
  CHECK(long_header.next().kind == Frame::Kind::end);
}

TEST_CASE("lsp: positions are UTF-16 code units; URIs are percent-decoded") {
  SourceManager sources;
  // `é` is 2 bytes and 1 unit, `😀` 4 bytes and 2 units.
  const SourceFile& f = sources.add("x.sla", "ab\n\xC3\xA9x\xF0\x9F\x98\x80y\r\nlast");
  CHECK(offset_at(f, {1, 0}) == 3);
  CHECK(offset_at(f, {1, 1}) == 5);
  CHECK(offset_at(f, {1, 4}) == 10);
  CHECK(offset_at(f, {1, 99}) == 11);   // clamped before the line end
  CHECK(offset_at(f, {9, 0}) == f.text().size());
  CHECK(position_at(f, 10).line == 1);
  CHECK(position_at(f, 10).character == 4);
  CHECK(position_at(f, 13).line == 2);
  CHECK(path_from_uri("file:///tmp/a%20b/c.sla") == "/tmp/a b/c.sla");
  CHECK(path_from_uri("file://localhost/x.sla") == "/x.sla");
  CHECK(path_from_uri("untitled:Untitled-1").empty());
  CHECK(path_from_uri("file://elsewhere/x.sla").empty());
  CHECK(uri_from_path("/tmp/a b/c#.sla") == "file:///tmp/a%20b/c%23.sla");
}

TEST_CASE("lsp: serve() answers over streams and returns the exit code") {
  std::string input = framed(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}})") +
                      framed(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})") +
                      framed(R"({"jsonrpc":"2.0","method":"exit"})");
  std::istringstream in(input);
  std::ostringstream out;
  CHECK(serve(in, out, ServerOptions{}) == 0);
  CHECK(out.str().find(R"("id":1,"jsonrpc":"2.0","result":{"capabilities")") != std::string::npos);
  CHECK(out.str().find(R"("id":2,"jsonrpc":"2.0","result":null)") != std::string::npos);

  std::istringstream cut(framed(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})") + "Content-Le");
  std::ostringstream out2;
  CHECK(serve(cut, out2, ServerOptions{}) == 1);
}

TEST_CASE("lsp: every request on prefixes of every contract in the repository answers") {
  // Cut points per file: every line start, and SLAC_LSP_CUTS (default 64) more spread
  // over the text, so that cuts fall inside words, strings and numbers too (never inside
  // a UTF-8 sequence: a client sends whole characters): about 14,000 prefixes in a few
  // seconds. Under the sanitizers, where a request costs some 15 times as much, every
  // third line start and 16 more: about 4,000 prefixes, in well under a minute.
  std::size_t spread = sanitized ? 16 : 64;
  std::size_t line_step = sanitized ? 3 : 1;
  if (const char* env = std::getenv("SLAC_LSP_CUTS")) spread = std::strtoul(env, nullptr, 10);
  fs::path stdlib = fs::temp_directory_path() / "slac-lsp-prefix-test";
  Server server(ServerOptions{std::chrono::milliseconds(0), stdlib.string(), "test"});
  auto now = Server::Clock::now();
  auto send = [&](const json& message) { return server.receive(message.dump(), now); };
  REQUIRE(send({{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"}, {"params", json::object()}}).size() == 1);
  std::size_t requests = 0;
  std::int64_t id = 1;
  auto contracts = repository_contracts();
  REQUIRE(contracts.size() > 50);
  for (const fs::path& path : contracts) {
    std::string text = read_text_file(path.string());
    std::string uri = uri_from_path(path.string());
    std::vector<std::size_t> cuts;
    for (std::size_t i = 0, line = 0; i < text.size(); ++i) {
      if ((i == 0 || text[i - 1] == '\n') && line++ % line_step == 0) cuts.push_back(i);
    }
    for (std::size_t k = 1; k <= spread; ++k) cuts.push_back(text.size() * k / (spread + 1) + k % 3);
    cuts.push_back(text.size());
    send({{"jsonrpc", "2.0"},
          {"method", "textDocument/didOpen"},
          {"params", {{"textDocument", {{"uri", uri}, {"languageId", "sla"}, {"version", 0}, {"text", ""}}}}}});
    for (std::size_t cut : cuts) {
      cut = std::min(cut, text.size());
      while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
      std::string prefix = text.substr(0, cut);
      send({{"jsonrpc", "2.0"},
            {"method", "textDocument/didChange"},
            {"params", {{"textDocument", {{"uri", uri}, {"version", id}}}, {"contentChanges", {{{"text", prefix}}}}}}});
      auto published = server.due(now + std::chrono::hours(1));
      REQUIRE(published.size() == 1);
      CHECK(published[0]["params"]["diagnostics"].is_array());
      // The cursor at the cut, and in the middle of the last line before it.
      SourceManager sources;
      const SourceFile& file = sources.add(path.string(), prefix);
      Position end = position_at(file, static_cast<std::uint32_t>(cut));
      Position mid{end.line > 0 ? end.line - 1 : 0, 3};
      for (const char* method : {"textDocument/hover", "textDocument/definition", "textDocument/completion",
                                 "textDocument/references", "textDocument/documentSymbol", "textDocument/formatting"}) {
        bool positioned = std::string_view(method) != "textDocument/documentSymbol" &&
                          std::string_view(method) != "textDocument/formatting";
        for (std::size_t k = 0; k < (positioned ? 2u : 1u); ++k) {
          Position p = k == 0 ? end : mid;
          json params = {{"textDocument", {{"uri", uri}}},
                         {"position", {{"line", p.line}, {"character", p.character}}},
                         {"context", {{"includeDeclaration", true}}}};
          auto answer = send({{"jsonrpc", "2.0"}, {"id", ++id}, {"method", method}, {"params", params}});
          ++requests;
          REQUIRE(answer.size() == 1);
          CHECK(answer[0]["id"] == id);
          // An answer, or formatting's refusal of a text with errors: never an internal error.
          bool refused = answer[0].contains("error") && answer[0]["error"]["code"] == request_failed &&
                         std::string(method) == "textDocument/formatting";
          if (!answer[0].contains("result") && !refused) {
            FAIL_CHECK(path.string() << " cut at " << cut << ": " << method << " -> " << answer[0].dump());
          }
        }
      }
    }
    send({{"jsonrpc", "2.0"}, {"method", "textDocument/didClose"}, {"params", {{"textDocument", {{"uri", uri}}}}}});
  }
  MESSAGE(requests << " requests on prefixes of " << contracts.size() << " contracts");
  std::error_code ec;
  fs::permissions(stdlib, fs::perms::owner_all, fs::perm_options::add, ec);
  for (auto& entry : fs::directory_iterator(stdlib, ec)) {
    fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add, ec);
  }
  fs::remove_all(stdlib, ec);
}
