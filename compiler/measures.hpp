// The measures of SPEC 4.4 that are not a share of time (event measures): their
// words in `slac explain`. Internal to compiler/.
#pragma once
#include <string>

#include "compiler/plan.hpp"

namespace slac {

// `requirement:` of an event measure, in plain words.
std::string explain_events_requirement(const Plan& plan, const SlaPlan& sla);
// The end of its `measured:` line: when an event's instant is measured.
std::string explain_events_scope(const Plan& plan, const SlaPlan& sla);

}  // namespace slac
