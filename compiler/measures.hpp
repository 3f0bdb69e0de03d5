// The measures of SPEC 4.4 that are not a share of time (event measures, means of numbers): their
// words in `slac explain`. Internal to compiler/.
#pragma once
#include <string>

#include "compiler/plan.hpp"

namespace slac {

// `requirement:` of an event measure, in plain words.
// `condition` names the condition: `#7` in the plan, its text in a report.
std::string explain_events_requirement(const Plan& plan, const SlaPlan& sla, std::string_view condition);
// The end of its `measured:` line: when an event's instant is measured.
std::string explain_events_scope(const Plan& plan, const SlaPlan& sla);

// `requirement:` of `mean of EXPR`, in plain words; the end of its `measured:` line.
std::string explain_mean_requirement(const Plan& plan, const SlaPlan& sla);
std::string explain_mean_scope(const SlaPlan& sla);
// EXPR as text, each inner chain in parentheses.
std::string mean_text(const Plan& plan, const std::vector<NumNode>& nodes);

}  // namespace slac
