// libFuzzer target: times and typed values as the data gives them.
#include <cstdint>
#include <string>

#include "base/time.hpp"
#include "runtime/ingest/dataset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string why;
  if (auto t = slac::rt::parse_time(text, why)) {
    if (*t < 0 || *t >= 253402300800000) __builtin_trap();  // within 1970-9999
  } else if (why.empty()) {
    __builtin_trap();  // every refusal says why
  }
  // As the data's times, in every reading: within 1970-9999, epoch numbers from 1971.
  static const slac::Zone london = *slac::find_zone("Europe/London");
  for (auto unit : {slac::rt::TimeUnit::ms, slac::rt::TimeUnit::s}) {
    for (bool zoned : {false, true}) {
      slac::rt::TimeReading how;
      how.unit = unit;
      if (zoned) how.zone = london;
      why.clear();
      if (auto t = slac::rt::parse_data_time(text, how, why)) {
        if (*t < 0 || *t >= 253402300800000) __builtin_trap();
      } else if (why.empty()) {
        __builtin_trap();
      }
    }
  }
  static const std::vector<std::string> members = {"ok", "fault"};
  for (auto type : {slac::ValueType::boolean, slac::ValueType::number, slac::ValueType::enumeration,
                    slac::ValueType::string, slac::ValueType::timezone}) {
    (void)slac::rt::parse_data_value(text, type, members, why);
  }
  (void)slac::Decimal::parse(text);
  (void)slac::parse_duration(text);
  return 0;
}
