// Running the `test` blocks of a contract (SPEC 5.4): each declares a small world,
// the contract is judged over it, and each expectation is compared with the result.
#pragma once
#include <string>
#include <vector>

#include "compiler/model.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::rt {

struct ExpectationResult {
  Range where;
  bool passed = false;
  std::string expected;  // "attainment 95% (within 0.5%)"
  std::string got;       // "93.5% for availability on S1 in 2026-03-01"
};

struct TestResult {
  std::string name;
  Range where;
  bool passed = true;
  std::string error;     // a test that could not run (an empty span)
  std::vector<ExpectationResult> expectations;
};

// The test's world as a dataset.
Dataset test_dataset(const Model& model, const TestInfo& test);

std::vector<TestResult> run_tests(const Model& model);

}  // namespace slac::rt
