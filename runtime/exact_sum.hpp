// The exact rational behind DeviceMean, for the runtime files that build one (internal
// to runtime/: it brings in Boost.Multiprecision).
#pragma once
#include <boost/multiprecision/cpp_int.hpp>

#include "runtime/device_mean.hpp"

namespace slac::rt {

namespace mp = boost::multiprecision;

// The sum as a fraction num / den (den > 0), not reduced: a gcd of numbers of many
// thousand bits per device would cost far more than the products do.
struct DeviceMean::Sum {
  mp::cpp_int num;
  mp::cpp_int den = 1;
};

// The double nearest to num / den (num > 0, den > 0), ties to even.
double nearest_double(const mp::cpp_int& num, const mp::cpp_int& den);

}  // namespace slac::rt
