// Block reads of regular files with pread.
#include "runtime/ingest/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "runtime/ingest/dataset.hpp"

namespace slac::rt::ingest {

File::File(const std::string& path) : path_(path) {
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

bool BlockReader::fill(std::size_t consumed) {
  std::size_t tail = size_ - consumed;
  if (tail > 0 && consumed > 0) std::memmove(buffer_.data(), buffer_.data() + consumed, tail);
  size_ = tail;
  if (next_ >= end_) return false;
  if (size_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  std::size_t want = std::min(buffer_.size() - size_, end_ - next_);
  std::size_t got = file_.read(buffer_.data() + size_, want, next_);
  if (got == 0) {
    next_ = end_;
    return false;
  }
  next_ += got;
  size_ += got;
  return true;
}

}  // namespace slac::rt::ingest
