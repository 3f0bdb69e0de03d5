// The events of a dataset folder from `events.csv`: split between the threads at line
// ends, each part parsed block by block (SPEC 3).
#include <algorithm>

#include "runtime/ingest/csv.hpp"
#include "runtime/ingest/events.hpp"
#include "runtime/ingest/file.hpp"

namespace slac::rt::ingest {
namespace {

// The columns the events table needs, by position in its header.
struct EventColumns {
  std::vector<std::string> header;
  std::size_t time = 0, entity = 0, signal = 0, value = 0;
};

class CsvEventReader : public EventReader {
 public:
  CsvEventReader(std::string path, const std::string* memory) : path_(std::move(path)), memory_(memory) {}
  const std::string& source() const override { return path_; }

  // Parses the rows that `blocks` holds from byte `consumed` on, block by block; line
  // numbers are counted from 0 there.
  void parse_part(EventIngest& ingest, EventPart& part, BlockReader& blocks, std::size_t consumed, const EventColumns& c) {
    std::size_t columns = c.header.size();
    std::vector<std::string_view> fields;
    std::size_t line = 0;
    std::size_t relative = 0;
    RowError error;
    // Rows go through the pipeline, which takes them in a few rows later: it is flushed
    // before anything else is counted (a bad row) and before their text is reused.
    RowPipeline rows(ingest, part);
    const bool pipeline = ingest.large_estate();
    try {
      while (true) {
        blocks.fill(consumed);
        bool final = blocks.at_end();
        CsvReader reader(blocks.data(), relative, final, dialect_);
        reader.name_columns(c.header);
        Next n;
        while ((n = reader.next(fields, line, error)) == Next::row || n == Next::bad_row) {
          if (pipeline) {
            if (n == Next::row && fields.size() == columns && reader.fields_in_text()) {
              rows.push(line, fields[c.time], fields[c.entity], fields[c.signal], fields[c.value], !fields[c.value].empty());
              continue;
            }
            rows.flush();
          }
          if (n == Next::bad_row) {
            ++part.counts.rows;
            ingest.bad_row(part, error.line, error.message);
          } else if (fields.size() != columns) {
            ++part.counts.rows;
            ingest.bad_row(part, line, fmt::format("{} field{}, but the header has {}", fields.size(), fields.size() == 1 ? "" : "s", columns));
          } else {
            ingest.row(part, line, fields[c.time], fields[c.entity], fields[c.signal], fields[c.value], !fields[c.value].empty());
          }
        }
        rows.flush();  // the block's text is about to be reused
        consumed = reader.offset();
        relative = reader.line();
        if (final) break;
      }
    } catch (const EventIngest::Stop&) {
    }
    part.lines = relative;
  }

  // The header: the first row of what `blocks` reads from the file's start; its
  // dialect is found once, here. Returns the byte offset after it in the block and
  // sets the line on which the rows start.
  std::size_t read_header(BlockReader& blocks, EventColumns& c, std::size_t& first_line) {
    std::vector<std::string_view> fields;
    std::size_t line = 0;
    RowError error;
    std::size_t consumed = 0;
    while (true) {
      blocks.fill(consumed);
      bool final = blocks.at_end();
      std::string_view text = blocks.data();
      std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
      // Wait for the whole first line (or the end), so that the dialect sees all of it.
      if (!final && text.find('\n', bom) == std::string_view::npos) {
        consumed = 0;
        continue;
      }
      dialect_ = detect_dialect(text.substr(bom), path_);
      CsvReader reader(text, 1, final, dialect_);
      reader.skip_bom();
      Next n = reader.next(fields, line, error);
      if (n == Next::incomplete && !final) {
        consumed = 0;
        continue;
      }
      if (n == Next::end || n == Next::incomplete) fail_at(path_, 1, "the file is empty; it needs a header row (time,entity,signal,value)");
      if (n == Next::bad_row) fail_at(path_, error.line, error.message);
      c.header.assign(fields.begin(), fields.end());
      first_line = reader.line();
      auto column = [&](std::string_view name) {
        auto at = find_column(c.header, name, path_);
        if (!at) fail_at(path_, 1, fmt::format("no `{}` column in the header (time,entity,signal,value)", name));
        return *at;
      };
      c.time = column("time"), c.entity = column("entity"), c.signal = column("signal"), c.value = column("value");
      return reader.offset();
    }
  }

  void read(EventIngest& ingest) override {
    if (gzip_name(path_)) {
      // A gzip stream cannot be split: one part, read in order.
      GzipSource source(path_);
      BlockReader blocks(source, ingest.options().block_size);
      EventColumns c;
      std::size_t first_line = 1;
      std::size_t header_end = read_header(blocks, c, first_line);
      std::vector<EventPart> parts;
      parts.push_back(ingest.new_part());
      parse_part(ingest, parts[0], blocks, header_end, c);
      ingest.merge(parts, first_line);
      return;
    }
    File file(path_, memory_);
    EventColumns c;
    std::size_t first_line = 1;
    std::size_t header_end = 0;
    {
      FileRange start(file, 0, file.size());
      BlockReader blocks(start, 1 << 16);
      header_end = read_header(blocks, c, first_line);
    }
    // Split the rows between the threads at line ends. A cut inside a quoted field that
    // holds a line end leaves the part before it with an unclosed quote; whenever a part
    // finds a bad row, the file is read again in one part, so that what is reported is
    // what is in the file.
    auto run_parts = [&](std::size_t threads) {
      return read_in_parts(ingest, file, header_end, threads, [&](EventPart& part, ByteSource& range) {
        BlockReader blocks(range, ingest.options().block_size);
        parse_part(ingest, part, blocks, 0, c);
      });
    };
    std::vector<EventPart> parts = run_parts(ingest.options().threads);
    if (parts.size() > 1 && std::any_of(parts.begin(), parts.end(), [](const EventPart& p) { return p.error || p.counts.skipped_rows > 0; })) {
      parts = run_parts(1);
    }
    ingest.merge(parts, first_line);
  }

 private:
  std::string path_;
  const std::string* memory_;
  CsvDialect dialect_;
};

}  // namespace

std::unique_ptr<EventReader> csv_event_reader(std::string path, const std::string* memory) {
  return std::make_unique<CsvEventReader>(std::move(path), memory);
}

}  // namespace slac::rt::ingest
