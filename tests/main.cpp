// The doctest runner for all unit tests; runs from the source directory so that test
// data paths are relative to it.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <filesystem>

int main(int argc, char** argv) {
  std::filesystem::current_path(SLAC_SOURCE_DIR);
  doctest::Context context(argc, argv);
  return context.run();
}
