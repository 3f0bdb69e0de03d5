// What the terminal allows: colour only on a terminal and never with NO_COLOR.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace slac::cli {

// Where the commands write: the process's standard output and error, unless a caller
// (the Python library, python/module.cpp) points this thread's commands at other
// streams, such as streams in memory.
struct Streams {
  std::FILE* out;
  std::FILE* err;
};
inline Streams& streams() {
  thread_local Streams current{stdout, stderr};
  return current;
}
inline std::FILE* out() { return streams().out; }
inline std::FILE* err() { return streams().err; }

inline bool is_terminal(std::FILE* stream) { return isatty(fileno(stream)) != 0; }

inline bool use_color(std::FILE* stream) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return is_terminal(stream);
}

}  // namespace slac::cli
