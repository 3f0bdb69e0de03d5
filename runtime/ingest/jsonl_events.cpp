// The events of a dataset folder from `events.jsonl` (or `events.jsonl.gz`): one JSON
// object per line, read with nlohmann's SAX interface so that numbers keep their exact
// decimal text (SPEC 3); an uncompressed file is split between the threads.
#include <array>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "runtime/ingest/events.hpp"
#include "runtime/ingest/file.hpp"
#include "runtime/ingest/values.hpp"

namespace slac::rt::ingest {
namespace {

class JsonlEventReader : public EventReader {
 public:
  JsonlEventReader(std::string path, const std::string* memory) : path_(std::move(path)), memory_(memory) {}
  const std::string& source() const override { return path_; }

  // One JSON object per line, read with the SAX interface so that numbers keep their
  // exact decimal text.
  struct JsonRow : nlohmann::json_sax<nlohmann::json> {
    int depth = 0;
    std::string current_key;
    std::string time, entity, signal, value;
    bool has_time = false, has_entity = false, has_signal = false, has_value = false, value_null = false;
    unsigned seen = 0;  // the fields met so far, a bit each
    std::string problem;

    void reset() { *this = JsonRow(); }
    bool scalar(const std::string& text, bool is_null) {
      if (depth != 1) return fail_with("values are strings, numbers, booleans or null, not arrays or objects");
      const std::string& key = current_key;
      // A field given twice: which one was meant is not known (JSON leaves it open).
      static constexpr std::array<std::string_view, 4> fields{"time", "entity", "signal", "value"};
      for (std::size_t f = 0; f < fields.size(); ++f) {
        if (key != fields[f]) continue;
        if (seen & (1u << f)) return fail_with(fmt::format("`{}` appears twice in the object; keep one", key));
        seen |= 1u << f;
      }
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

  // Parses the lines that `source` holds, block by block; line numbers are counted
  // from 0 there. `bom`: a byte-order mark at its start is skipped.
  void parse_part(EventIngest& ingest, EventPart& part, ByteSource& source, bool bom) {
    BlockReader blocks(source, ingest.options().block_size);
    std::size_t line = 0;
    std::size_t consumed = 0;
    JsonRow row;
    try {
      while (true) {
        blocks.fill(consumed);
        bool final = blocks.at_end();
        std::string_view text = blocks.data();
        std::size_t at = 0;
        if (bom && text.starts_with("\xEF\xBB\xBF")) at = 3;
        bom = false;
        while (at < text.size()) {
          std::size_t nl = text.find('\n', at);
          if (nl == std::string_view::npos && !final) break;
          std::string_view l = text.substr(at, (nl == std::string_view::npos ? text.size() : nl) - at);
          at = nl == std::string_view::npos ? text.size() : nl + 1;
          std::size_t this_line = line++;
          if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
          if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
          if (l.find('\r') != std::string_view::npos) {
            // A raw CR is no JSON outside a string and not allowed inside one: a file
            // whose lines end with CR alone would otherwise read as one line.
            ++part.counts.rows;
            ingest.bad_row(part, this_line, "holds a carriage return (0x0D) that does not end the line; lines end with LF or CRLF");
            continue;
          }
          row.reset();
          // Strict: anything but spaces after the object (a second object) is an error,
          // not dropped.
          bool ok = nlohmann::json::sax_parse(l.begin(), l.end(), &row, nlohmann::json::input_format_t::json, true);
          if (!ok || row.depth != 0) {
            ++part.counts.rows;
            ingest.bad_row(part, this_line, row.problem.empty() ? "each line must be one JSON object" : row.problem);
            continue;
          }
          if (!row.has_time || !row.has_entity || !row.has_signal) {
            ++part.counts.rows;
            ingest.bad_row(part, this_line, fmt::format("missing `{}`", !row.has_time ? "time" : !row.has_entity ? "entity" : "signal"));
            continue;
          }
          ingest.row(part, this_line, row.time, row.entity, row.signal, row.value, row.has_value && !row.value_null);
        }
        consumed = at;
        if (final) break;
      }
    } catch (const EventIngest::Stop&) {
    }
    part.lines = line;
  }

  void read(EventIngest& ingest) override {
    std::vector<EventPart> parts;
    if (gzip_name(path_)) {
      // A gzip stream cannot be split: one part, read in order.
      GzipSource source(path_);
      parts.push_back(ingest.new_part());
      parse_part(ingest, parts[0], source, true);
    } else {
      // A line end inside a JSON string is written `\n`: every line end in the file
      // ends a record, so the file splits between the threads at any of them.
      File file(path_, memory_);
      char head[3] = {};
      std::size_t bom = file.read(head, 3, 0) == 3 && std::string_view(head, 3) == "\xEF\xBB\xBF" ? 3 : 0;
      parts = read_in_parts(ingest, file, bom, ingest.options().threads,
                            [&](EventPart& part, ByteSource& range) { parse_part(ingest, part, range, false); });
    }
    ingest.merge(parts, 1);
  }

 private:
  std::string path_;
  const std::string* memory_;
};

}  // namespace

std::unique_ptr<EventReader> jsonl_event_reader(std::string path, const std::string* memory) {
  return std::make_unique<JsonlEventReader>(std::move(path), memory);
}

}  // namespace slac::rt::ingest
