// `mean of EXPR` (SPEC 4.4): EXPR evaluated at each change of its signals, in exact
// rationals, and the time-weighted mean of its values over measured device-time.
#include "runtime/number_mean.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "runtime/averages.hpp"
#include "runtime/exact_sum.hpp"

namespace slac::rt {

using Rational = mp::cpp_rational;

struct MeanValues::Table {
  std::vector<Rational> values;
  std::map<Rational, std::int32_t> index;

  std::int32_t intern(const Rational& v) {
    auto [it, fresh] = index.try_emplace(v, static_cast<std::int32_t>(values.size()));
    if (fresh) values.push_back(v);
    return it->second;
  }
};

MeanValues::MeanValues() : table_(std::make_unique<Table>()) {}
MeanValues::~MeanValues() = default;

std::vector<std::pair<std::string, std::string>> mean_value_texts(const MeanValues& values) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(values.table().values.size());
  for (const Rational& v : values.table().values) out.emplace_back(mp::numerator(v).str(), mp::denominator(v).str());
  return out;
}

std::int32_t intern_mean_value(MeanValues& values, const std::string& numerator, const std::string& denominator) {
  return values.table().intern(Rational(mp::cpp_int(numerator), mp::cpp_int(denominator)));
}

namespace {

Rational rational(const Decimal& d) {
  mp::cpp_int den = 1;
  for (unsigned i = 0; i < d.scale; ++i) den *= 10;
  return Rational(mp::cpp_int(d.units), den);
}

// EXPR from its leaves' current values (nodes children first, the root last);
// nullopt when a leaf is unknown or a divisor is zero.
std::optional<Rational> evaluate(const std::vector<NumNode>& nodes, const std::vector<std::optional<Rational>>& leaves,
                                 std::vector<std::optional<Rational>>& scratch) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NumNode& n = nodes[i];
    if (n.op != NumOp::chain) {
      scratch[i] = leaves[i];
      continue;
    }
    std::optional<Rational> acc = scratch[n.operands[0]];
    for (std::size_t k = 0; acc && k < n.ops.size(); ++k) {
      const std::optional<Rational>& rhs = scratch[n.operands[k + 1]];
      if (!rhs || (n.ops[k] == '/' && *rhs == 0)) {
        acc.reset();
        break;
      }
      switch (n.ops[k]) {
        case '+': *acc += *rhs; break;
        case '-': *acc -= *rhs; break;
        case '*': *acc *= *rhs; break;
        default: *acc /= *rhs; break;
      }
    }
    scratch[i] = std::move(acc);
  }
  return scratch.empty() ? std::nullopt : scratch.back();
}

}  // namespace

MeanSteps mean_steps(const Plan& plan, const SlaPlan& sla, const Dataset& data, std::size_t device, std::int64_t t0,
                     MeanValues& values) {
  const Model& m = *plan.model;
  const Device& dev = data.devices[device];
  const std::vector<NumNode>& nodes = sla.mean;
  std::vector<std::optional<Rational>> leaves(nodes.size()), scratch(nodes.size());
  // A signal's events, and the leaves that read it.
  struct Source {
    const RawEvent* next;
    const RawEvent* end;
    std::vector<std::size_t> leaves;
  };
  std::map<std::size_t, Source> sources;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NumNode& n = nodes[i];
    if (n.op == NumOp::literal) {
      leaves[i] = rational(n.number);
    } else if (n.op == NumOp::attribute) {
      const AttributeInfo& a = m.attributes[n.ref];
      const Scalar& v = a.level == Level::site ? data.sites[dev.site].attributes[n.ref] : dev.attributes[n.ref];
      leaves[i] = rational(v.number);
    } else if (n.op == NumOp::signal) {
      auto [it, fresh] = sources.try_emplace(n.ref);
      if (fresh) {
        const auto& events = m.signals[n.ref].level == Level::site ? data.site_events[dev.site] : data.device_events[device];
        auto by_signal = [](const RawEvent& e, std::uint32_t s) { return e.signal < s; };
        auto first = std::lower_bound(events.begin(), events.end(), static_cast<std::uint32_t>(n.ref), by_signal);
        auto last = std::find_if(first, events.end(), [&](const RawEvent& e) { return e.signal != n.ref; });
        it->second.next = events.data() + (first - events.begin());
        it->second.end = events.data() + (last - events.begin());
      }
      it->second.leaves.push_back(i);
    }
  }
  MeanSteps steps;
  auto push = [&](std::int64_t t) {
    auto v = evaluate(nodes, leaves, scratch);
    std::int32_t index = v ? values.table().intern(*v) : unknown_value;
    t = std::max(t, t0);
    if (!steps.empty() && steps.back().first == t) steps.pop_back();
    if (steps.empty() || steps.back().second != index) steps.emplace_back(t, index);
  };
  push(t0);
  while (true) {
    std::optional<std::int64_t> t;
    for (const auto& [signal, src] : sources) {
      if (src.next != src.end && (!t || src.next->time < *t)) t = src.next->time;
    }
    if (!t) break;
    // Every event at this instant applied; of one signal's, the last in file order.
    for (auto& [signal, src] : sources) {
      while (src.next != src.end && src.next->time == *t) {
        Rational v = rational(data.numbers[src.next->value]);
        for (std::size_t leaf : src.leaves) leaves[leaf] = v;
        ++src.next;
      }
    }
    push(*t);
  }
  return steps;
}

void add_value_time(const DeviceTime& device, const MeanSteps& steps, std::int64_t start, std::int64_t end,
                    bool count_unknown, TimeByValue& out) {
  const TimeSpans& measured = device.measured;
  auto span = std::upper_bound(measured.begin(), measured.end(), start,
                               [](std::int64_t x, const auto& s) { return x < s.second; });
  for (; span != measured.end() && span->first < end; ++span) {
    std::int64_t a = std::max(span->first, start), b = std::min(span->second, end);
    // The step holding `a`, then each step until `b`.
    auto step = std::upper_bound(steps.begin(), steps.end(), a, [](std::int64_t x, const auto& s) { return x < s.first; });
    for (std::int64_t t = a; t < b;) {
      std::int32_t value = step == steps.begin() ? unknown_value : std::prev(step)->second;
      std::int64_t next = step == steps.end() ? b : std::min(b, step->first);
      if (value != unknown_value || count_unknown) out[value] += next - t;
      t = next;
      if (step != steps.end()) ++step;
    }
  }
}

namespace {

// Σ value × ms over the values, as the fraction num / den (den > 0, not reduced):
// terms of one denominator summed as integers, then the fractions added pairwise in a
// balanced tree. Added one by one as rationals, each step's gcd on the growing sum made
// this cubic in the number of distinct values: a month of 5-minute ratios `failures /
// requests` took half a minute.
std::pair<mp::cpp_int, mp::cpp_int> exact_integral(const SlaPlan& sla, const MeanValues& values, const TimeByValue& time) {
  std::map<mp::cpp_int, mp::cpp_int> by_den;
  for (const auto& [value, ms] : time) {
    const Rational& v = value == unknown_value ? rational(*sla.unknown_as) : values.table().values[static_cast<std::size_t>(value)];
    by_den[mp::denominator(v)] += mp::numerator(v) * ms;
  }
  std::vector<std::pair<mp::cpp_int, mp::cpp_int>> terms;  // (num, den)
  terms.reserve(by_den.size());
  for (auto& [den, num] : by_den) terms.emplace_back(std::move(num), den);
  if (terms.empty()) return {0, 1};
  while (terms.size() > 1) {
    std::size_t half = 0;
    for (std::size_t i = 0; i + 1 < terms.size(); i += 2) {
      auto& [a, b] = terms[i];
      const auto& [c, d] = terms[i + 1];
      terms[half++] = {a * d + c * b, b * d};
    }
    if (terms.size() % 2 == 1) terms[half++] = std::move(terms.back());
    terms.resize(half);
  }
  return std::move(terms.front());
}

}  // namespace

MeanFigures mean_figures(const SlaPlan& sla, const MeanValues& values, const TimeByValue& time) {
  MeanFigures f;
  for (const auto& [value, ms] : time) f.measured += ms;
  if (f.measured == 0) return f;
  auto [num, den] = exact_integral(sla, values, time);
  auto sum = std::make_shared<DeviceMean::Sum>();
  sum->num = num;
  sum->den = den * f.measured;
  f.mean = DeviceMean::exact(std::move(sum));
  f.integral_s = num == 0 ? 0.0 : num < 0 ? -nearest_double(-num, den * 1000) : nearest_double(num, den * 1000);
  // floor(num / den + 1/2) = floor((2 num + den) / 2 den), exactly.
  mp::cpp_int q, r;
  mp::divide_qr(mp::cpp_int(2 * num + den), mp::cpp_int(2 * den), q, r);
  if (r < 0) q -= 1;
  f.integral_ms = q.convert_to<std::int64_t>();
  return f;
}

std::vector<std::vector<WindowStats>> number_mean_stats(const Plan& plan, const SlaSeries& series) {
  const SlaPlan& sla = plan.slas[series.sla];
  std::vector<std::vector<WindowStats>> out;
  out.reserve(series.groups.size());
  for (const GroupSeries& g : series.groups) {
    std::vector<WindowStats> per_window;
    const Windows& windows = group_windows(series, g);
    per_window.reserve(windows.size());
    for (auto [ws, we] : windows) {
      TimeByValue time;  // summed as integers first
      for (std::size_t k = 0; k < g.devices.size(); ++k) {
        add_value_time(g.devices[k], g.mean_steps[k], ws, we, sla.unknown_as.has_value(), time);
      }
      MeanFigures f = mean_figures(sla, *series.mean_values, time);
      WindowStats st;
      st.outages_defined = false;
      st.measured = f.measured;
      st.mean = f.mean;
      if (f.mean) st.integral_s = f.integral_s;
      per_window.push_back(std::move(st));
    }
    out.push_back(std::move(per_window));
  }
  return out;
}

}  // namespace slac::rt
