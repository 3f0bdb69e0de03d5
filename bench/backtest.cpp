// slac-backtest: how good is status's p_meet? On a generated history with known
// failure and repair behaviour, at many instants T, p_meet is compared with what
// actually happened by the end of each window: a reliability table, and the Brier
// score against the base-rate predictor (the share of group-windows met so far).
#include <cmath>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "compiler/loader.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/status.hpp"

using namespace slac;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: slac-backtest CONTRACT DATA_DIR\n", stderr);
    return 2;
  }
  Compilation c = compile_file(argv[1]);
  if (!c.ok()) {
    std::fputs(render_text(c.diags, c.program->sources).c_str(), stderr);
    return 1;
  }
  const Model& m = c.model;
  std::vector<ParamValue> params;
  for (const auto& p : m.params) params.push_back(p.value);
  Plan plan = lower(m, params);
  std::vector<std::size_t> all;
  for (std::size_t i = 0; i < m.slas.size(); ++i) all.push_back(i);
  rt::Dataset data = rt::load_dataset(argv[2], m, rt::LoadOptions{});
  std::string error;
  auto span = rt::default_span(data, m.timezone, std::nullopt, std::nullopt, error);
  if (!span) {
    fmt::print(stderr, "{}\n", error);
    return 3;
  }
  // What happened: every complete group-window's outcome.
  auto series = rt::build_series(plan, data, std::min(span->from, *data.earliest), span->to, span->from, span->to, all, false);
  rt::Evaluation truth = rt::judge(plan, series, span->from, span->to);
  std::map<std::tuple<std::size_t, std::int64_t, std::string>, bool> outcome;
  for (const auto& r : truth.rows) outcome[{r.sla, r.window_start, r.group}] = r.met;

  struct Sample {
    double p_model, p_base;
    bool met;
  };
  std::vector<Sample> samples;
  // Every day at 12:00 UTC after the first month.
  for (std::int64_t t = span->from + 31 * ms_per_day + 12 * 3'600'000; t < span->to; t += ms_per_day) {
    // Base rate: the share of group-windows met among those ended by t.
    std::size_t ended = 0, ended_met = 0;
    for (const auto& r : truth.rows) {
      if (r.window_end <= t) {
        ++ended;
        ended_met += r.met ? 1 : 0;
      }
    }
    if (ended == 0) continue;
    double base = static_cast<double>(ended_met) / static_cast<double>(ended);
    auto rows = rt::status(plan, data, t, all, rt::StatusOptions{}, false);
    for (const auto& r : rows) {
      auto it = outcome.find({r.sla, r.window_start, r.group});
      if (it == outcome.end()) continue;  // a window not complete in the history
      samples.push_back({r.p_meet, base, it->second});
    }
  }
  if (samples.empty()) {
    std::fputs("no samples\n", stderr);
    return 3;
  }
  double brier_model = 0, brier_base = 0;
  std::size_t met = 0;
  for (const auto& s : samples) {
    brier_model += std::pow(s.p_model - (s.met ? 1 : 0), 2);
    brier_base += std::pow(s.p_base - (s.met ? 1 : 0), 2);
    met += s.met ? 1 : 0;
  }
  brier_model /= static_cast<double>(samples.size());
  brier_base /= static_cast<double>(samples.size());
  fmt::print("{} (group, window, T) samples; {:.1f}% of them met\n\n", samples.size(),
             100.0 * static_cast<double>(met) / static_cast<double>(samples.size()));
  fmt::print("reliability of p_meet\n  {:>11} {:>8} {:>14} {:>13}\n", "p_meet", "samples", "mean p_meet", "share met");
  for (int b = 0; b < 10; ++b) {
    double lo = b / 10.0, hi = (b + 1) / 10.0;
    std::size_t n = 0, k = 0;
    double sum = 0;
    for (const auto& s : samples) {
      bool in = s.p_model >= lo && (s.p_model < hi || (b == 9 && s.p_model <= 1.0));
      if (!in) continue;
      ++n;
      sum += s.p_model;
      k += s.met ? 1 : 0;
    }
    if (n == 0) continue;
    fmt::print("  {:>4.1f}..{:<5.1f} {:>8} {:>14.3f} {:>13.3f}\n", lo, hi, n, sum / static_cast<double>(n),
               static_cast<double>(k) / static_cast<double>(n));
  }
  fmt::print("\nBrier score: p_meet {:.4f}, base rate {:.4f} (lower is better; skill {:.1f}%)\n", brier_model, brier_base,
             100.0 * (1 - brier_model / brier_base));
  return brier_model < brier_base ? 0 : 1;
}
