// The exact sum behind a DeviceMean, for the files that compute with it (the mean's
// comparisons, and penalty amounts that price it). Internal to runtime/.
#pragma once
#include <boost/multiprecision/cpp_int.hpp>

#include "runtime/device_mean.hpp"

namespace slac::rt {

// The sum as a fraction num / den, not reduced: a gcd of numbers of many thousand
// bits per device would cost far more than the products do.
struct DeviceMean::Sum {
  boost::multiprecision::cpp_int num;
  boost::multiprecision::cpp_int den = 1;
};

}  // namespace slac::rt
