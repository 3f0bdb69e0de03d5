// The measures of SPEC 4.4 that are not a share of time: their words in `slac explain`.
#include "compiler/measures.hpp"

#include <fmt/format.h>

namespace slac {

std::string explain_events_requirement(const Plan& plan, const SlaPlan& sla) {
  const SignalInfo& s = plan.model->signals[sla.events_signal];
  return fmt::format("each event of {} ({}, at a measured instant) counts; it is good when #{} holds at its instant, "
                     "with every event of that instant applied; attainment = good events / counted events",
                     s.name, s.level == Level::site ? "the site's, while a device of it is in scope"
                                                    : "an in-scope device's",
                     sla.state);
}

std::string explain_events_scope(const Plan& plan, const SlaPlan& sla) {
  return plan.model->signals[sla.events_signal].level == Level::site ? ", while a device of the site is in scope"
                                                                     : ", while the event's device is in scope";
}

}  // namespace slac
