// The language server's protocol: lifecycle, documents, dispatch, debounce, stdio.
#include "lsp/server.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace slac::lsp {

namespace {

// A request's failure, turned into its error response.
struct RequestError : std::runtime_error {
  int code;
  RequestError(int c, const std::string& message) : std::runtime_error(message), code(c) {}
};

json error_response(const json& id, int code, std::string_view message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

// `object[name]`, of JSON type `type` (object, array or string); invalid_params otherwise.
const json& member(const json& object, const char* name, json::value_t type, const char* what) {
  if (!object.is_object()) throw RequestError(invalid_params, fmt::format("`{}` needs params as an object", what));
  auto it = object.find(name);
  if (it == object.end() || it->type() != type) {
    throw RequestError(invalid_params, fmt::format("`{}` needs `{}`", what, name));
  }
  return *it;
}

std::string uri_of(const json& params, const char* what) {
  const json& doc = member(params, "textDocument", json::value_t::object, what);
  return member(doc, "uri", json::value_t::string, what).get<std::string>();
}

}  // namespace

Server::Server(ServerOptions options) : options_(std::move(options)), locator_(options_.stdlib_dir) {}

json Server::framing_error(std::string_view problem) {
  return error_response(nullptr, parse_error, fmt::format("bad message framing: {}", problem));
}

std::vector<json> Server::receive(std::string_view body, Clock::time_point now) {
  std::vector<json> out;
  json message;
  try {
    message = json::parse(body);
  } catch (const json::exception& e) {
    out.push_back(error_response(nullptr, parse_error, fmt::format("the message is not JSON: {}", e.what())));
    return out;
  }
  if (!message.is_object()) {
    out.push_back(error_response(nullptr, invalid_request, "a message must be a JSON object"));
    return out;
  }
  auto id = message.find("id");
  bool has_id = id != message.end();
  if (has_id && !id->is_number_integer() && !id->is_string()) {
    out.push_back(error_response(nullptr, invalid_request, "a request id must be a number or a string"));
    return out;
  }
  auto method = message.find("method");
  if (method == message.end()) {
    // A response to a request of ours (we send none): nothing to do.
    if (has_id && (message.contains("result") || message.contains("error"))) return out;
    out.push_back(error_response(has_id ? *id : json(nullptr), invalid_request, "a message without a `method`"));
    return out;
  }
  if (!method->is_string()) {
    out.push_back(error_response(has_id ? *id : json(nullptr), invalid_request, "`method` must be a string"));
    return out;
  }
  const std::string name = method->get<std::string>();
  const json params = message.value("params", json(nullptr));
  if (!has_id) {
    try {
      notification(name, params, now, out);
    } catch (const std::exception&) {
      // A notification has no response; a malformed one changes nothing.
    }
    return out;
  }
  try {
    out.push_back({{"jsonrpc", "2.0"}, {"id", *id}, {"result", request(name, params)}});
  } catch (const RequestError& e) {
    out.push_back(error_response(*id, e.code, e.what()));
  } catch (const std::exception& e) {
    out.push_back(error_response(*id, internal_error, fmt::format("internal error: {}", e.what())));
  }
  return out;
}

Server::Document& Server::document(const json& params) {
  std::string uri = uri_of(params, "the request");
  auto it = documents_.find(uri);
  if (it == documents_.end()) throw RequestError(invalid_params, fmt::format("the document `{}` is not open", uri));
  return it->second;
}

const Analysis& Server::analysis_of(const std::string& uri, Document& doc) {
  if (!doc.analysis) {
    std::string path = path_from_uri(uri);
    doc.analysis = std::make_shared<const Analysis>(analyze(uri, path.empty() ? uri : path, doc.text));
  }
  return *doc.analysis;
}

json Server::publish(const std::string& uri, Document& doc) {
  doc.publish_at.reset();
  json params = {{"uri", uri}, {"version", doc.version}, {"diagnostics", diagnostics(analysis_of(uri, doc), locator_)}};
  return {{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", std::move(params)}};
}

std::vector<json> Server::due(Clock::time_point now) {
  std::vector<json> out;
  for (auto& [uri, doc] : documents_) {
    if (doc.publish_at && *doc.publish_at <= now) out.push_back(publish(uri, doc));
  }
  return out;
}

std::optional<Server::Clock::time_point> Server::next_due() const {
  std::optional<Clock::time_point> next;
  for (const auto& [uri, doc] : documents_) {
    if (doc.publish_at && (!next || *doc.publish_at < *next)) next = doc.publish_at;
  }
  return next;
}

void Server::notification(const std::string& method, const json& params, Clock::time_point now, std::vector<json>& out) {
  if (method == "exit") {
    exit_code_ = shut_down_ ? 0 : 1;
    return;
  }
  if (!initialized_ || shut_down_) return;
  if (method == "textDocument/didOpen") {
    const json& item = member(params, "textDocument", json::value_t::object, method.c_str());
    std::string uri = member(item, "uri", json::value_t::string, method.c_str()).get<std::string>();
    Document doc;
    doc.text = member(item, "text", json::value_t::string, method.c_str()).get<std::string>();
    doc.version = item.value("version", std::int64_t{0});
    doc.publish_at = now;
    documents_[uri] = std::move(doc);
  } else if (method == "textDocument/didChange") {
    std::string uri = uri_of(params, method.c_str());
    auto it = documents_.find(uri);
    if (it == documents_.end()) return;
    Document& doc = it->second;
    const json& changes = member(params, "contentChanges", json::value_t::array, method.c_str());
    for (const json& change : changes) {
      const json& text = member(change, "text", json::value_t::string, method.c_str());
      auto range = change.find("range");
      if (range == change.end()) {
        doc.text = text.get<std::string>();
        continue;
      }
      // An incremental change, though we ask for full ones: applied all the same.
      SourceFile current(0, "", doc.text);
      auto start = position_from(json{{"position", range->value("start", json())}});
      auto end = position_from(json{{"position", range->value("end", json())}});
      if (!start || !end) throw RequestError(invalid_params, "a change with a bad range");
      std::uint32_t from = offset_at(current, *start);
      std::uint32_t to = std::max(from, offset_at(current, *end));
      doc.text.replace(from, to - from, text.get<std::string>());
    }
    if (const json& id = member(params, "textDocument", json::value_t::object, method.c_str()); id.contains("version")) {
      doc.version = id.value("version", doc.version);
    }
    doc.analysis.reset();
    doc.publish_at = now + options_.debounce;
  } else if (method == "textDocument/didClose") {
    std::string uri = uri_of(params, method.c_str());
    if (documents_.erase(uri) > 0) {
      out.push_back({{"jsonrpc", "2.0"},
                     {"method", "textDocument/publishDiagnostics"},
                     {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
    }
  }
  // Others (initialized, didSave, $/cancelRequest, $/setTrace, configuration changes)
  // change nothing here; unknown notifications are ignored, as LSP asks.
}

json Server::request(const std::string& method, const json& params) {
  if (method == "initialize") {
    if (initialized_) throw RequestError(invalid_request, "the server is already initialized");
    initialized_ = true;
    return {{"capabilities",
             {{"textDocumentSync", {{"openClose", true}, {"change", 1}}},
              {"hoverProvider", true},
              {"definitionProvider", true},
              {"referencesProvider", true},
              {"completionProvider", {{"triggerCharacters", {".", "=", " ", "\"", "{"}}}},
              {"documentFormattingProvider", true},
              {"documentSymbolProvider", true}}},
            {"serverInfo", {{"name", "slac"}, {"version", options_.version}}}};
  }
  if (!initialized_) throw RequestError(server_not_initialized, "the server is not initialized yet");
  if (shut_down_) throw RequestError(invalid_request, "the server is shut down");
  if (method == "shutdown") {
    shut_down_ = true;
    return nullptr;
  }
  auto at = [&](const char* what) {
    Document& doc = document(params);
    const Analysis& a = analysis_of(uri_of(params, what), doc);
    auto position = position_from(params);
    if (!position) throw RequestError(invalid_params, fmt::format("`{}` needs a `position`", what));
    return std::pair<const Analysis&, std::uint32_t>(a, offset_at(a.root(), *position));
  };
  if (method == "textDocument/hover") {
    auto [a, offset] = at("textDocument/hover");
    auto text = hover(a, offset);
    if (!text) return nullptr;
    return {{"contents", {{"kind", "markdown"}, {"value", *text}}}};
  }
  if (method == "textDocument/definition") {
    auto [a, offset] = at("textDocument/definition");
    return definition(a, offset, locator_).value_or(json(nullptr));
  }
  if (method == "textDocument/references") {
    auto [a, offset] = at("textDocument/references");
    bool with_declaration = false;
    if (auto context = params.find("context"); context != params.end() && context->is_object()) {
      with_declaration = context->value("includeDeclaration", false);
    }
    return references(a, offset, with_declaration, locator_);
  }
  if (method == "textDocument/completion") {
    auto [a, offset] = at("textDocument/completion");
    return completion(a, offset);
  }
  if (method == "textDocument/documentSymbol") {
    Document& doc = document(params);
    return document_symbols(analysis_of(uri_of(params, "textDocument/documentSymbol"), doc));
  }
  if (method == "textDocument/formatting") {
    Document& doc = document(params);
    Formatting f = formatting(analysis_of(uri_of(params, "textDocument/formatting"), doc));
    if (!f.edits) throw RequestError(request_failed, f.refused);
    return *f.edits;
  }
  throw RequestError(method_not_found, fmt::format("unknown method `{}`", method));
}

int serve(std::istream& in, std::ostream& out, const ServerOptions& options) {
  // Shared with the reader thread, which may still be blocked in a read when the
  // server exits (it is detached then; the process ends with it).
  struct Inbox {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Frame> frames;
    bool ended = false;
  };
  auto inbox = std::make_shared<Inbox>();
  // std::cin is tied to std::cout: each read would flush the output from the reader
  // thread while the main thread writes to it (a race that sent messages twice).
  in.tie(nullptr);
  std::thread reader([inbox, &in] {
    FrameReader frames(in);
    for (;;) {
      Frame f = frames.next();
      std::lock_guard lock(inbox->mutex);
      if (f.kind == Frame::Kind::end) {
        inbox->ended = true;
        inbox->ready.notify_one();
        return;
      }
      inbox->frames.push_back(std::move(f));
      inbox->ready.notify_one();
    }
  });
  Server server(options);
  auto send = [&](const std::vector<json>& messages) {
    for (const json& m : messages) out << frame(m);
    out.flush();
  };
  int code = 1;
  for (;;) {
    std::unique_lock lock(inbox->mutex);
    auto waiting = [&] { return !inbox->frames.empty() || inbox->ended; };
    if (auto deadline = server.next_due()) {
      inbox->ready.wait_until(lock, *deadline, waiting);
    } else {
      inbox->ready.wait(lock, waiting);
    }
    if (!inbox->frames.empty()) {
      Frame f = std::move(inbox->frames.front());
      inbox->frames.pop_front();
      lock.unlock();
      if (f.kind == Frame::Kind::bad_header) {
        send({Server::framing_error(f.problem)});
      } else {
        send(server.receive(f.body, Server::Clock::now()));
      }
      // Diagnostics whose time has come go out between requests too, so that a client
      // that never pauses still gets them.
      send(server.due(Server::Clock::now()));
      if (server.exit_code()) {
        code = *server.exit_code();
        break;
      }
      continue;
    }
    bool ended = inbox->ended;
    lock.unlock();
    send(server.due(Server::Clock::now()));
    if (ended) {
      code = server.shut_down() ? 0 : 1;
      break;
    }
  }
  // The reader ends at the end of input; after `exit` the client usually closes it at
  // once. A reader still waiting for input then is left to end with the process.
  std::unique_lock lock(inbox->mutex);
  if (inbox->ready.wait_for(lock, std::chrono::milliseconds(200), [&] { return inbox->ended; })) {
    lock.unlock();
    reader.join();
    return code;
  }
  lock.unlock();
  reader.detach();
  return code;
}

}  // namespace slac::lsp
