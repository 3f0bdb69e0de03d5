// The standard contracts of stdlib-contracts/, compiled into the program.
#pragma once
#include <string_view>
#include <vector>

namespace slac {

struct StdlibContract {
  std::string_view name;  // `ev-charging` for `import "std/ev-charging"`
  std::string_view text;
};

const std::vector<StdlibContract>& stdlib_contracts();

}  // namespace slac
