// Progress of long work (SPEC 5): one line on standard error, rewritten in place, only
// on a terminal and only once the work has gone on for a while; never in pipes.
#pragma once
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "cli/terminal.hpp"

namespace slac::cli {

class Progress {
 public:
  using Clock = std::chrono::steady_clock;

  // Writes to `stream` when `enabled`: nothing during the first `delay`, then at most
  // every tenth of a second. Plain carriage returns and spaces, no escape codes, so
  // that a dumb terminal shows it too.
  // The line reads "LABEL, DONE of TOTAL UNIT (P%)".
  Progress(std::FILE* stream, bool enabled, std::string label, std::string unit, Clock::duration delay)
      : stream_(stream), enabled_(enabled), label_(std::move(label)), unit_(std::move(unit)),
        show_from_(Clock::now() + delay) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { finish(); }

  void update(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    Clock::time_point now = Clock::now();
    if (now < show_from_ || (shown_ > 0 && now < last_ + std::chrono::milliseconds(100) && done < total)) return;
    last_ = now;
    std::string line = fmt::format("{}, {} of {} {} ({}%)", label_, done, total, unit_, total > 0 ? done * 100 / total : 100);
    std::string pad(shown_ > line.size() ? shown_ - line.size() : 0, ' ');
    fmt::print(stream_, "\r{}{}", line, pad);
    std::fflush(stream_);
    shown_ = line.size();
  }

  // Erases the line, so that what follows starts on a clean one.
  void finish() {
    if (shown_ == 0) return;
    fmt::print(stream_, "\r{}\r", std::string(shown_, ' '));
    std::fflush(stream_);
    shown_ = 0;
  }

 private:
  std::FILE* stream_;
  bool enabled_;
  std::string label_, unit_;
  Clock::time_point show_from_;
  Clock::time_point last_{};
  std::size_t shown_ = 0;  // the length of the line on screen; 0 when none
};

// Progress on standard error when it is a terminal, from one second on; the
// SLAC_PROGRESS_DELAY environment variable sets that delay in seconds (0: at once).
inline Progress terminal_progress(std::string label, std::string unit) {
  double delay_s = 1;
  if (const char* d = std::getenv("SLAC_PROGRESS_DELAY"); d != nullptr && d[0] != '\0') {
    char* end = nullptr;
    double v = std::strtod(d, &end);
    if (end != nullptr && *end == '\0' && v >= 0 && v < 1e6) delay_s = v;
  }
  auto delay = std::chrono::duration_cast<Progress::Clock::duration>(std::chrono::duration<double>(delay_s));
  return Progress(err(), is_terminal(err()), std::move(label), std::move(unit), delay);
}

}  // namespace slac::cli
