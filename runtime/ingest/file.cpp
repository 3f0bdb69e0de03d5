// Block reads of regular files with pread.
#include "runtime/ingest/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <zlib.h>

#include "runtime/ingest/dataset.hpp"

namespace slac::rt::ingest {

File::File(const std::string& path, const std::string* memory) : path_(path), memory_(memory) {
  if (memory_ != nullptr) {
    size_ = memory_->size();
    return;
  }
  // O_NONBLOCK so that a named pipe is refused rather than waited on forever.
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0) throw DataError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw DataError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) throw DataError(fmt::format("{}: is a directory", path));
  if (!S_ISREG(st.st_mode)) throw DataError(fmt::format("{}: not a regular file", path));
  size_ = static_cast<std::size_t>(st.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t File::read(char* into, std::size_t n, std::size_t offset) const {
  if (memory_ != nullptr) {
    std::size_t got = offset < size_ ? std::min(n, size_ - offset) : 0;
    if (got > 0) std::memcpy(into, memory_->data() + offset, got);
    return got;
  }
  std::size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd_, into + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw DataError(fmt::format("{}: cannot read: {}", path_, std::strerror(errno)));
    }
    if (r == 0) break;
    done += static_cast<std::size_t>(r);
  }
  return done;
}

std::string File::read_all() const {
  std::string s(size_, '\0');
  s.resize(read(s.data(), size_, 0));
  return s;
}

void File::will_read(std::size_t offset, std::size_t n) const {
  if (fd_ >= 0 && n > 0) ::posix_fadvise(fd_, static_cast<off_t>(offset), static_cast<off_t>(n), POSIX_FADV_WILLNEED);
}

std::size_t FileRange::read(char* into, std::size_t n) {
  std::size_t got = file_.read(into, std::min(n, end_ - std::min(next_, end_)), next_);
  next_ = got == 0 ? end_ : next_ + got;
  // The next block is read from the disk while this one is parsed.
  file_.will_read(next_, std::min(got, end_ - next_));
  return got;
}

GzipSource::GzipSource(const std::string& path) : path_(path) {
  File probe(path);  // refuses what is not a regular file before zlib opens it
  gz_ = gzopen(path.c_str(), "rb");
  if (gz_ == nullptr) throw DataError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  gzbuffer(static_cast<gzFile>(gz_), 1u << 17);
}

GzipSource::~GzipSource() {
  if (gz_ != nullptr) gzclose(static_cast<gzFile>(gz_));
}

std::size_t GzipSource::read(char* into, std::size_t n) {
  auto gz = static_cast<gzFile>(gz_);
  std::size_t done = 0;
  while (done < n && !end_) {
    unsigned want = static_cast<unsigned>(std::min<std::size_t>(n - done, 1u << 30));
    int got = gzread(gz, into + done, want);
    int code = Z_OK;
    const char* why = gzerror(gz, &code);
    if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {
      throw DataError(fmt::format("{}: not readable as gzip data ({})", path_,
                                  code == Z_BUF_ERROR ? "the file is cut short" : why));
    }
    if (!checked_) {
      checked_ = true;
      // zlib passes through a file that is not gzip; the name promised gzip.
      if (gzdirect(gz)) throw DataError(fmt::format("{}: not gzip data, though its name ends in .gz", path_));
    }
    done += static_cast<std::size_t>(got);
    if (static_cast<unsigned>(got) < want) end_ = true;
  }
  return done;
}

bool BlockReader::fill(std::size_t consumed) {
  std::size_t tail = size_ - consumed;
  if (tail > 0 && consumed > 0) std::memmove(buffer_.data(), buffer_.data() + consumed, tail);
  size_ = tail;
  if (source_.at_end()) return false;
  if (size_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  std::size_t got = source_.read(buffer_.data() + size_, buffer_.size() - size_);
  size_ += got;
  return got > 0;
}

bool gzip_name(std::string_view path) { return path.ends_with(".gz"); }

}  // namespace slac::rt::ingest
