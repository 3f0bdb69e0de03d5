// The events of a dataset folder from `events.csv`: split between the cores at line
// ends, each part parsed block by block (SPEC 3).
#include <algorithm>
#include <cstring>
#include <thread>

#include "runtime/ingest/csv.hpp"
#include "runtime/ingest/events.hpp"
#include "runtime/ingest/file.hpp"

namespace slac::rt::ingest {
namespace {

class CsvEventReader : public EventReader {
 public:
  explicit CsvEventReader(std::string path) : path_(std::move(path)) {}
  const std::string& source() const override { return path_; }

  // Parses the rows in bytes [begin, end) of the events CSV, block by block; line
  // numbers are counted from 0 at `begin`.
  void parse_part(EventIngest& ingest, EventPart& part, const File& file, std::size_t begin, std::size_t end, std::size_t ct, std::size_t ce,
                      std::size_t cs, std::size_t cv, const std::vector<std::string>& header) {
    std::size_t columns = header.size();
    BlockReader blocks(file, begin, end, ingest.options().block_size);
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
            ingest.bad_row(part, error.line, error.message);
          } else if (fields.size() != columns) {
            ++part.counts.rows;
            ingest.bad_row(part, line, fmt::format("{} fields, but the header has {}", fields.size(), columns));
          } else {
            ingest.row(part, line, fields[ct], fields[ce], fields[cs], fields[cv], !fields[cv].empty());
          }
        }
        consumed = reader.offset();
        relative = reader.line();
        if (final) break;
      }
    } catch (const EventIngest::Stop&) {
    }
    part.lines = relative;
  }

  void read(EventIngest& ingest) override {
    const std::string& path = path_;
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
        if (n == Next::end || n == Next::incomplete) fail_at(path, 1, "the file is empty; it needs a header row (time,entity,signal,value)");
        if (n == Next::bad_row) fail_at(path, error.line, error.message);
        header.assign(fields.begin(), fields.end());
        header_end = reader.offset();
        first_line = reader.line();
        break;
      }
    }
    auto column = [&](std::string_view name) {
      auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) fail_at(path, 1, fmt::format("no `{}` column in the header (time,entity,signal,value)", name));
      return static_cast<std::size_t>(it - header.begin());
    };
    std::size_t ct = column("time"), ce = column("entity"), cs = column("signal"), cv = column("value");
    // Split the rows between the cores at line ends. A cut inside a quoted field that
    // holds a line end leaves the part before it with an unclosed quote; whenever a part
    // finds a bad row, the file is read again in one part, so that what is reported is
    // what is in the file.
    std::size_t body = file.size() - header_end;
    std::size_t threads = ingest.options().threads;
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
      std::vector<EventPart> parts;
      for (std::size_t k = 0; k < count; ++k) parts.push_back(ingest.new_part());
      std::vector<std::thread> workers;
      for (std::size_t k = 0; k < count; ++k) {
        workers.emplace_back([&, k] { parse_part(ingest, parts[k], file, cuts[k], cuts[k + 1], ct, ce, cs, cv, header); });
      }
      for (auto& w : workers) w.join();
      return parts;
    };
    std::vector<EventPart> parts = run_parts(threads);
    if (parts.size() > 1 && std::any_of(parts.begin(), parts.end(), [](const EventPart& p) { return p.error || p.counts.skipped_rows > 0; })) {
      parts = run_parts(1);
    }
    ingest.merge(parts, first_line);
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<EventReader> csv_event_reader(std::string path) { return std::make_unique<CsvEventReader>(std::move(path)); }

}  // namespace slac::rt::ingest
