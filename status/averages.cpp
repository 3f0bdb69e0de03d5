// Status of the `on average` requirements: so-far figures per device, the rest of the
// window measured over the devices in scope at T, and p_meet from a two-state model
// of each device fitted on the SLA's devices (docs/status.md).
#include "status/averages.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "compiler/targets.hpp"
#include "runtime/averages.hpp"
#include "runtime/calendar.hpp"
#include "runtime/counting.hpp"
#include "status/measures.hpp"
#include "runtime/intervals.hpp"
#include "runtime/number_mean.hpp"
#include "status/budgets.hpp"

namespace slac::rt {

namespace {

using Flat = std::vector<std::pair<Time, Time>>;

// How often devices of the SLA fail and are repaired, per measured millisecond: the
// changes between good and bad over the devices' measured time before T (gaps in
// measurement joined), over the time spent good and bad.
struct DeviceRates {
  double failure = 0;  // per ms of good time
  double repair = 0;   // per ms of bad time
};

DeviceRates fit_rates(const SlaSeries& series) {
  double failures = 0, repairs = 0, good_time = 0, bad_time = 0;
  for (const GroupSeries& g : series.groups) {
    for (const DeviceTime& d : g.devices) {
      int last = -1;  // the kind of the last measured piece: 1 good, 0 bad
      std::size_t j = 0;
      for (const auto& [a, b] : d.measured) {
        Time at = a;
        while (at < b) {
          while (j < d.good.size() && d.good[j].second <= at) ++j;
          bool good = j < d.good.size() && d.good[j].first <= at;
          Time until = good ? std::min(b, d.good[j].second) : std::min(b, j < d.good.size() ? d.good[j].first : b);
          int kind = good ? 1 : 0;
          (good ? good_time : bad_time) += static_cast<double>(until - at);
          if (last == 1 && kind == 0) failures += 1;
          if (last == 0 && kind == 1) repairs += 1;
          last = kind;
          at = until;
        }
      }
    }
  }
  // As for the group model's prior (docs/status.md): a change of each kind is taken to
  // happen at least once in all the time watched, (n + 1) / time; with no time of a
  // kind at all, the group model's default means.
  DeviceRates r;
  r.failure = good_time > 0 ? (failures + 1) / good_time : 1 / (30.0 * 86'400'000);
  r.repair = bad_time > 0 ? (repairs + 1) / bad_time : 1 / (4.0 * 3'600'000);
  return r;
}

// The bad time, out of `rest` measured ms, of a device that starts failing or not and
// then alternates with exponential run lengths.
Time simulated_bad(Time rest, bool failing, const DeviceRates& rates, std::mt19937_64& rng) {
  Time pos = 0, bad = 0;
  while (pos < rest) {
    double rate = failing ? rates.repair : rates.failure;
    Time length = rest - pos;
    if (rate > 0) {
      double draw = std::exponential_distribution<double>(rate)(rng);
      if (draw < static_cast<double>(length)) length = std::max<Time>(1, static_cast<Time>(std::ceil(draw)));
    }
    if (failing) bad += length;
    pos += length;
    failing = !failing;
  }
  return bad;
}

std::uint64_t fnv(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// The instant at which the failing devices' measured time after T reaches `amount`
// (ms), each device's rest being sorted spans from T.
std::optional<Time> failing_reach(const std::vector<const Flat*>& rests, i128 amount) {
  std::vector<std::pair<Time, int>> edges;
  for (const Flat* r : rests) {
    for (const auto& [a, b] : *r) {
      edges.emplace_back(a, 1);
      edges.emplace_back(b, -1);
    }
  }
  std::sort(edges.begin(), edges.end());
  i128 acc = 0;
  int active = 0;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (i > 0 && active > 0) {
      Time span = edges[i].first - edges[i - 1].first;
      if (acc + static_cast<i128>(span) * active >= amount) {
        i128 need = amount - acc;
        return edges[i - 1].first + static_cast<Time>((need + active - 1) / active);
      }
      acc += static_cast<i128>(span) * active;
    }
    active += edges[i].second;
  }
  return std::nullopt;
}

// Under `counted in`, what the device's unfinished interval holding T may still change
// (SPEC 4.4: each device's state is quantised).
AtStake device_at_stake(const SlaPlan& s, const DeviceTime& d, const Zone& zone, const Flat& rest, Time ws, Time we,
                        Time as_of) {
  SetBuilder good_b, measured_b;
  for (const auto& [a, b] : d.good) good_b.add(a, b);
  for (const auto& [a, b] : d.measured) measured_b.add(a, b);
  IntervalSet good = good_b.take(), measured = measured_b.take();
  IntervalSet counted = quantise(good, measured, *s.counted, zone, ws, as_of);
  return interval_at_stake(*s.counted, zone, good, counted, measured, rest, ws, we, as_of);
}

// Whether a mean of device ratios meets the SLA's percentage objective (its target
// form: `more than`, `rounded to`) and its downtime objective over device-time.
bool mean_meets(const SlaPlan& s, const DeviceMean& mean, Time measured, Time good) {
  if (!downtime_met(s, measured, good)) return false;
  if (!s.target) return true;
  int c = compare_judged_mean(s, mean, *s.target);
  return s.target_more_than ? c > 0 : c >= 0;
}

}  // namespace

WindowRest::WindowRest(const Plan& plan, const Dataset& data, const SlaPlan& sla, Time as_of, Time window_end)
    : plan_(plan), data_(data), sla_(sla), as_of_(as_of), window_end_(window_end) {}

const TimeSpans& WindowRest::of_site(std::size_t site) {
  const Model& m = *plan_.model;
  const Zone* zone = &m.timezone;
  const CalendarInfo* cal = sla_.during ? &m.calendars[plan_.nodes[*sla_.during].ref] : nullptr;
  if (cal != nullptr && cal->zone_kind == ast::ZoneKind::site) zone = &data_.sites[site].zone;
  if (cal != nullptr && cal->zone_kind == ast::ZoneKind::named) zone = &cal->zone;
  auto it = by_zone_.find(zone->name);
  if (it != by_zone_.end()) return it->second;
  TimeSpans rest;
  if (cal != nullptr) {
    for (const auto& iv : calendar_intervals(m, *cal, *zone, as_of_, window_end_)) rest.emplace_back(iv.lower(), iv.upper());
  } else if (as_of_ < window_end_) {
    rest.emplace_back(as_of_, window_end_);
  }
  return by_zone_.emplace(zone->name, std::move(rest)).first->second;
}

std::vector<StatusRow> device_average_status(const Plan& plan, const Dataset& data, const SlaSeries& series,
                                             const std::vector<Windows>& windows, Time history_start,
                                             Time as_of, int simulations, const StatusOptions& options) {
  (void)history_start;
  const SlaPlan& s = plan.slas[series.sla];
  bool per_device = s.requirement == RequirementKind::average_per_device;
  DeviceRates rates = fit_rates(series);
  std::vector<StatusRow> rows;
  // Per zone of the groups' windows (SPEC 4.4, `in site timezone`), per window holding T.
  for (std::size_t zone = 0; zone < windows.size(); ++zone) {
    for (auto [ws, we] : windows[zone]) {
      WindowRest rest_of(plan, data, s, as_of, we);
      static const Flat nothing;
      for (const GroupSeries& g : series.groups) {
        if (g.zone != zone) continue;
        StatusRow row = status_row_for(series.sla, ws, we, g);
        // Per device: so far, and the rest when in scope at T (an exclusion under way
        // is taken to end at T, so the rest counts then too; SPEC 5.2).
        struct Figures {
          Time measured, good, rest;
          bool failing;
          const Flat* rest_spans;
          AtStake stake;  // of its unfinished counting interval
        };
        std::vector<Figures> devices;
        Time rest_total = 0;
        AtStake stake;
        std::vector<const Flat*> failing_rests;
        for (const DeviceTime& d : g.devices) {
          // Under `counted in`, the good time so far quantised in the window so far.
          Figures f{spans_within(d.measured, ws, as_of), device_good(s, d, group_zone(series, g), ws, ws, as_of), 0, false,
                    &nothing, {}};
          if (d.in_scope_at_end) {
            f.rest_spans = &rest_of.of_site(d.site);
            for (const auto& [a, b] : *f.rest_spans) f.rest += b - a;
            f.failing = !d.in_state_at_end;
            if (f.failing) failing_rests.push_back(f.rest_spans);
            if (s.counted) f.stake = device_at_stake(s, d, group_zone(series, g), *f.rest_spans, ws, we, as_of);
          }
          row.failing_now = row.failing_now || f.failing;
          row.measured_so_far += f.measured;
          row.good_so_far += f.good;
          rest_total += f.rest;
          stake.good += f.stake.good;
          stake.bad += f.stake.bad;
          devices.push_back(f);
        }
        row.measured_total = row.measured_so_far + rest_total;
        row.budget_used = row.measured_so_far - row.good_so_far;

        if (!per_device) {
          // Device-time budgets of every target form and of the downtime objective (SPEC
          // 4.4), widened by what the devices' unfinished counting intervals may change.
          Budgets b = budgets(s, row.budget_used, row.measured_total, rest_total, stake.good, stake.bad);
          row.has_budget = b.has_budget;
          row.budget = b.budget;
          row.budget_left = b.budget_left;
          if (b.breached) row.state = GroupState::breached;
          else if (b.secured) row.state = GroupState::secured;
          else if (b.at_risk) row.state = GroupState::at_risk;
          else row.state = GroupState::on_track;
          // The devices failing at T stay failing, the others stay good.
          if (row.failing_now && b.breach_after && row.state != GroupState::secured &&
              row.state != GroupState::breached) {
            row.breach_at = failing_reach(failing_rests, *b.breach_after);
          }
        } else {
          // The mean: worst case (every rest bad, every unfinished interval failed), best
          // case (every rest good, every unfinished interval passed), and the failures at
          // T going on.
          DeviceMean worst, best, trend;
          Time worst_good = 0, best_good = 0, trend_good = 0;
          for (const Figures& f : devices) {
            Time total = f.measured + f.rest;
            if (total == 0) continue;
            worst.add(f.good - f.stake.good, total);
            best.add(f.good + f.rest + f.stake.bad, total);
            trend.add(f.good + (f.failing ? 0 : f.rest), total);
            worst_good += f.good - f.stake.good;
            best_good += f.good + f.rest + f.stake.bad;
            trend_good += f.good + (f.failing ? 0 : f.rest);
          }
          if (worst.devices() == 0 || mean_meets(s, worst, row.measured_total, worst_good)) {
            row.state = GroupState::secured;
          } else if (!mean_meets(s, best, row.measured_total, best_good)) {
            row.state = GroupState::breached;
          } else if (!mean_meets(s, trend, row.measured_total, trend_good)) {
            row.state = GroupState::at_risk;
          } else {
            row.state = GroupState::on_track;
          }
        }

        if (row.state == GroupState::secured) {
          row.p_meet = 1;
        } else if (row.state == GroupState::breached) {
          row.p_meet = 0;
        } else {
          std::uint64_t seed = fnv(fnv(options.seed ^ 14695981039346656037ull, s.name), g.id) ^ static_cast<std::uint64_t>(ws);
          std::mt19937_64 rng(seed);
          int met = 0;
          // The mean of ratios is compared in floating point here: p_meet is an estimate.
          std::optional<TargetThreshold> threshold = target_threshold(s);
          double target = threshold ? threshold->percent.to_double() / 100 : 0;
          for (int sim = 0; sim < simulations; ++sim) {
            Time good = row.good_so_far;
            double ratios = 0;
            std::size_t counted = 0;
            for (const Figures& f : devices) {
              Time g_total = f.good + (f.rest > 0 ? f.rest - simulated_bad(f.rest, f.failing, rates, rng) : 0);
              good += g_total - f.good;
              if (f.measured + f.rest > 0) {
                ratios += static_cast<double>(g_total) / static_cast<double>(f.measured + f.rest);
                ++counted;
              }
            }
            bool ok = downtime_met(s, row.measured_total, good);
            if (per_device && threshold && counted > 0) {
              double need = target * static_cast<double>(counted);
              ok = ok && (threshold->strict ? ratios > need : ratios >= need);
            } else if (!per_device) {
              ok = ok && target_met(s, row.measured_total, good);
            }
            if (ok) ++met;
          }
          if (options.work != nullptr) options.work->simulations += static_cast<std::size_t>(simulations);
          row.p_meet = simulated_share(met, simulations);
        }
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

std::vector<StatusRow> number_mean_status(const Plan& plan, const Dataset& data, const SlaSeries& series,
                                          const std::vector<Windows>& windows, Time as_of) {
  const SlaPlan& s = plan.slas[series.sla];
  bool count_unknown = s.unknown_as.has_value();
  std::vector<StatusRow> rows;
  for (std::size_t zone = 0; zone < windows.size(); ++zone) {
    for (auto [ws, we] : windows[zone]) {
      WindowRest rest_of(plan, data, s, as_of, we);
      for (const GroupSeries& g : series.groups) {
        if (g.zone != zone) continue;
        StatusRow row = status_row_for(series.sla, ws, we, g);
        // So far; then the rest, each device in scope at T keeping its value at T (an
        // exclusion under way taken to end at T, SPEC 5.2).
        TimeByValue so_far, projected;
        Time rest_total = 0;
        for (std::size_t k = 0; k < g.devices.size(); ++k) {
          const DeviceTime& d = g.devices[k];
          add_value_time(d, g.mean_steps[k], ws, as_of, count_unknown, so_far);
          if (!d.in_scope_at_end || g.mean_steps[k].empty()) continue;
          std::int32_t now = g.mean_steps[k].back().second;
          if (now == unknown_value && !count_unknown) continue;
          Time rest = 0;
          for (const auto& [a, b] : rest_of.of_site(d.site)) rest += b - a;
          projected[now] += rest;
          rest_total += rest;
          // Failing now: this device's value alone would not meet the target.
          if (s.target && !mean_meets(s, *mean_figures(s, *series.mean_values, {{now, 1}}).mean, 0, 0)) {
            row.failing_now = true;
          }
        }
        MeanFigures now = mean_figures(s, *series.mean_values, so_far);
        row.measured_so_far = now.measured;
        row.good_so_far = now.integral_ms;
        row.measured_total = now.measured + rest_total;
        for (const auto& [value, ms] : so_far) projected[value] += ms;
        MeanFigures end = mean_figures(s, *series.mean_values, projected);
        bool end_meets = !end.mean || mean_meets(s, *end.mean, 0, 0);
        // A number has no worst or best value: the window is settled only when nothing of
        // it is left to measure.
        if (rest_total == 0) {
          row.state = end_meets ? GroupState::secured : GroupState::breached;
        } else {
          row.state = end_meets ? GroupState::on_track : GroupState::at_risk;
        }
        // No model of how numbers move: p_meet is null unless the window is settled.
        if (rest_total == 0) row.p_meet = end_meets ? 1 : 0;
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

}  // namespace slac::rt
