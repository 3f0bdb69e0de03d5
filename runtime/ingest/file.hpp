// Files read in large blocks with pread: nothing is held but the block being parsed,
// so an events file larger than memory streams through.
#pragma once
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace slac::rt::ingest {

class File {
 public:
  // Opens a regular file (a directory, a pipe or a device is refused); DataError otherwise.
  explicit File(const std::string& path);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  std::size_t size() const { return size_; }
  // Reads up to `n` bytes at `offset`; returns how many were read.
  std::size_t read(char* into, std::size_t n, std::size_t offset) const;
  std::string read_all() const;

 private:
  std::string path_;
  int fd_ = -1;
  std::size_t size_ = 0;
};

// The bytes [begin, end) of a file, block by block. `fill` keeps the unparsed tail of
// the block and appends what follows; a row longer than a block grows it.
class BlockReader {
 public:
  BlockReader(const File& file, std::size_t begin, std::size_t end, std::size_t block)
      // No larger than the bytes to read: a small file does not cost a whole block.
      : file_(file), next_(begin), end_(end), buffer_(std::clamp<std::size_t>(end - begin, 1, std::max<std::size_t>(block, 1))) {}

  std::string_view data() const { return {buffer_.data(), size_}; }
  bool at_end() const { return next_ >= end_; }
  // Drops the first `consumed` bytes and reads more; false when nothing is left.
  bool fill(std::size_t consumed);

 private:
  const File& file_;
  std::size_t next_;
  std::size_t end_;
  std::vector<char> buffer_;
  std::size_t size_ = 0;
};

}  // namespace slac::rt::ingest
