// Files read in large blocks with pread (or inflated from gzip): nothing is held but
// the block being parsed, so an events file larger than memory streams through.
#pragma once
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace slac::rt::ingest {

class File {
 public:
  // Opens a regular file (a directory, a pipe or a device is refused); DataError
  // otherwise. With `memory`, the file is those bytes (LoadOptions::files), which must
  // outlive it, and is read the same way.
  explicit File(const std::string& path, const std::string* memory = nullptr);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  std::size_t size() const { return size_; }
  // Reads up to `n` bytes at `offset`; returns how many were read.
  std::size_t read(char* into, std::size_t n, std::size_t offset) const;
  std::string read_all() const;
  // Asks the kernel to read [offset, offset + n) into the page cache in the background
  // (POSIX_FADV_WILLNEED), so that a file larger than memory is read from the disk
  // while the block before it is parsed.
  void will_read(std::size_t offset, std::size_t n) const;

 private:
  std::string path_;
  int fd_ = -1;
  const std::string* memory_ = nullptr;
  std::size_t size_ = 0;
};

// Bytes read in order: a range of a file, or a gzip file inflated.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `n` bytes, fewer only at the end; DataError on a read error.
  virtual std::size_t read(char* into, std::size_t n) = 0;
  // Known to have nothing more (a source may know it only once a read returns 0).
  virtual bool at_end() const = 0;
  // At most how many bytes are left, when known: a block need not be larger.
  virtual std::size_t size_bound() const { return static_cast<std::size_t>(-1); }
};

// The bytes [begin, end) of a file.
class FileRange : public ByteSource {
 public:
  FileRange(const File& file, std::size_t begin, std::size_t end) : file_(file), next_(begin), end_(end) {}
  std::size_t read(char* into, std::size_t n) override;
  bool at_end() const override { return next_ >= end_; }
  std::size_t size_bound() const override { return end_ - next_; }

 private:
  const File& file_;
  std::size_t next_;
  std::size_t end_;
};

// A gzip file (`events.csv.gz`), inflated by zlib as it is read; concatenated members
// are read in turn. It cannot be split, so it is read in one part. A file that is not
// gzip data, or is cut short, is a DataError naming it.
class GzipSource : public ByteSource {
 public:
  explicit GzipSource(const std::string& path);
  ~GzipSource() override;
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;
  std::size_t read(char* into, std::size_t n) override;
  bool at_end() const override { return end_; }

 private:
  std::string path_;
  void* gz_ = nullptr;  // gzFile, kept out of this header
  bool end_ = false;
  bool checked_ = false;
};

// A source's bytes, block by block. `fill` keeps the unparsed tail of the block and
// appends what follows; a row longer than a block grows it.
class BlockReader {
 public:
  // No larger than the bytes to read: a small file does not cost a whole block.
  BlockReader(ByteSource& source, std::size_t block)
      : source_(source), buffer_(std::clamp<std::size_t>(source.size_bound(), 1, std::max<std::size_t>(block, 1))) {}

  std::string_view data() const { return {buffer_.data(), size_}; }
  bool at_end() const { return source_.at_end(); }
  // Drops the first `consumed` bytes and reads more; false when nothing is left.
  bool fill(std::size_t consumed);

 private:
  ByteSource& source_;
  std::vector<char> buffer_;
  std::size_t size_ = 0;
};

// Whether `path` names a gzip file by its name (`.gz`).
bool gzip_name(std::string_view path);

}  // namespace slac::rt::ingest
