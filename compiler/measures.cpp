// The measures of SPEC 4.4 that are not a share of time: their words in `slac explain`.
#include "compiler/measures.hpp"

#include <fmt/format.h>

namespace slac {

std::string explain_events_requirement(const Plan& plan, const SlaPlan& sla, std::string_view condition) {
  const SignalInfo& s = plan.model->signals[sla.events_signal];
  return fmt::format("each event of {} ({}, at a measured instant) counts; it is good when {} holds at its instant, "
                     "with every event of that instant applied; attainment = good events / counted events",
                     s.name, s.level == Level::site ? "the site's, while a device of it is in scope"
                                                    : "an in-scope device's",
                     condition);
}

std::string explain_events_scope(const Plan& plan, const SlaPlan& sla) {
  return plan.model->signals[sla.events_signal].level == Level::site ? ", while a device of the site is in scope"
                                                                     : ", while the event's device is in scope";
}

namespace {

std::string node_text(const Plan& plan, const std::vector<NumNode>& nodes, std::uint32_t id, bool nested) {
  const NumNode& n = nodes[id];
  const Model& m = *plan.model;
  switch (n.op) {
    case NumOp::literal: return n.number.to_string();
    case NumOp::param: return m.params[n.ref].name;
    case NumOp::signal: return m.signals[n.ref].name;
    case NumOp::attribute:
      return fmt::format("{}.{}", m.attributes[n.ref].level == Level::site ? "site" : "device", m.attributes[n.ref].name);
    case NumOp::chain: break;
  }
  std::string out = node_text(plan, nodes, n.operands[0], true);
  for (std::size_t i = 0; i < n.ops.size(); ++i) {
    out += fmt::format(" {} {}", n.ops[i], node_text(plan, nodes, n.operands[i + 1], true));
  }
  return nested ? "(" + out + ")" : out;
}

}  // namespace

std::string mean_text(const Plan& plan, const std::vector<NumNode>& nodes) {
  if (nodes.empty()) return "";
  return node_text(plan, nodes, static_cast<std::uint32_t>(nodes.size() - 1), false);
}

std::string explain_mean_requirement(const Plan& plan, const SlaPlan& sla) {
  return fmt::format("mean of {} (percentages as fractions), weighted by each device's measured time; attainment = "
                     "its integral / the time averaged over",
                     mean_text(plan, sla.mean));
}

std::string explain_mean_scope(const SlaPlan& sla) {
  if (sla.unknown_as) {
    return fmt::format(", instants where it is unknown or divides by zero counted as {}", sla.unknown_as->to_string());
  }
  return ", minus instants where it is unknown or divides by zero";
}

}  // namespace slac
