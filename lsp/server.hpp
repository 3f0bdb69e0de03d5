// `slac lsp`: a Language Server Protocol 3.17 server for .sla contracts. Server is the
// protocol's state machine (testable without a pipe); serve() runs it over streams.
#pragma once
#include <chrono>
#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lsp/analysis.hpp"
#include "lsp/features.hpp"
#include "lsp/protocol.hpp"

namespace slac::lsp {

struct ServerOptions {
  // How long after the last change of a document its diagnostics are computed and
  // published: typing faster than this queues no work. A newly opened document's are
  // published at once.
  std::chrono::milliseconds debounce{200};
  // Where the standard contracts are written for go-to-definition (Locator).
  std::string stdlib_dir;
  std::string version;             // serverInfo.version
};

class Server {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Server(ServerOptions options);

  // Handles one message's JSON text; returns the messages to send, in order. A body
  // that is not JSON, not a JSON-RPC message, or a request with a bad method or params
  // gets an error response; nothing throws.
  std::vector<json> receive(std::string_view body, Clock::time_point now);
  // The error response to a message whose framing was wrong (FrameReader's problem).
  static json framing_error(std::string_view problem);
  // publishDiagnostics for every document whose debounce ended at or before `now`.
  std::vector<json> due(Clock::time_point now);
  std::optional<Clock::time_point> next_due() const;
  // Set by the `exit` notification: 0 after `shutdown`, 1 without one.
  std::optional<int> exit_code() const { return exit_code_; }
  bool shut_down() const { return shut_down_; }

 private:
  struct Document {
    std::string text;
    std::int64_t version = 0;
    std::optional<Clock::time_point> publish_at;
    std::shared_ptr<const Analysis> analysis;  // of this text, made on first need
  };
  json request(const std::string& method, const json& params);
  void notification(const std::string& method, const json& params, Clock::time_point now, std::vector<json>& out);
  Document& document(const json& params);
  const Analysis& analysis_of(const std::string& uri, Document& doc);
  json publish(const std::string& uri, Document& doc);

  ServerOptions options_;
  Locator locator_;
  std::map<std::string, Document> documents_;
  bool initialized_ = false;
  bool shut_down_ = false;
  std::optional<int> exit_code_;
};

// Reads framed messages from `in` (on a thread of its own, so that diagnostics are
// published while the client is quiet), answers on `out`, and returns the exit code:
// that of `exit`, or at the end of input 0 after `shutdown` and 1 without.
int serve(std::istream& in, std::ostream& out, const ServerOptions& options);

}  // namespace slac::lsp
