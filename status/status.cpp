// Status at an instant: so-far figures from the timeline up to T, the rest of each
// window as if everything stood still at T, and p_meet from an alternating renewal
// model of the group's good and bad runs in measured time, with time-of-week rates
// where the data shows them, simulated with a fixed seed (docs/status.md).
#include "status/status.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "base/time.hpp"
#include "compiler/targets.hpp"
#include "runtime/calendar.hpp"
#include "runtime/counting.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/intervals.hpp"
#include "runtime/output.hpp"
#include "status/averages.hpp"
#include "status/budgets.hpp"
#include "status/measures.hpp"

namespace slac::rt {

std::string_view state_name(GroupState s) {
  switch (s) {
    case GroupState::secured: return "secured";
    case GroupState::on_track: return "on_track";
    case GroupState::at_risk: return "at_risk";
    case GroupState::breached: return "breached";
  }
  return "?";
}

namespace {

using Flat = std::vector<std::pair<Time, Time>>;

// The time of week, for p_meet's hazards: each local hour is one of 168 hour-of-week
// buckets (Monday 00:00-01:00 is 0), or, on a day that is a holiday of the contract,
// one of 24 holiday buckets. Time off the clock (outside its span) has its own bucket,
// whose rate is never fitted.
constexpr std::size_t week_buckets = 7 * 24 + 24;
constexpr Time history_days = 3 * 366;  // how far back p_meet's model looks
constexpr std::size_t off_clock = week_buckets;
// The one run of each kind the prior adds to the history (effective ms): its mean when
// nothing of the kind was ever seen.
constexpr double default_good_mean = 30.0 * ms_per_day;
constexpr double default_bad_mean = 4.0 * 3'600'000;
using Ratios = std::array<double, week_buckets + 1>;

// The local hours of one time zone over a span, as pieces of UTC time. A local hour
// skipped by a spring-forward change has no piece; one repeated by a fall-back change
// has a piece two hours long.
class HourClock {
 public:
  HourClock(const Zone& zone, const std::vector<std::int64_t>& holidays, Time from, Time to) {
    for (std::int64_t day = local_day(zone, from) - 1, last = local_day(zone, to) + 1; day <= last; ++day) {
      bool holiday = std::binary_search(holidays.begin(), holidays.end(), day);
      for (int h = 0; h < 24; ++h) {
        Time at = local_to_utc(zone, day * ms_per_day + h * 3'600'000LL);
        auto b = static_cast<std::uint8_t>(holiday ? 168 + h : static_cast<int>(weekday_from_days(day)) * 24 + h);
        if (!starts_.empty() && at <= starts_.back()) {
          buckets_.back() = b;  // the hour before was skipped
          continue;
        }
        starts_.push_back(at);
        buckets_.push_back(b);
      }
    }
    // After the last hour: off the clock.
    Time end = local_to_utc(zone, (local_day(zone, to) + 2) * ms_per_day);
    if (starts_.empty() || end > starts_.back()) {
      starts_.push_back(end);
      buckets_.push_back(static_cast<std::uint8_t>(off_clock));
    }
  }
  // f(a, b, bucket) for the pieces of [a, b).
  template <typename F>
  void split(Time a, Time b, F f) const {
    if (a >= b) return;
    auto it = std::upper_bound(starts_.begin(), starts_.end(), a);
    if (it == starts_.begin()) {
      Time e = std::min(b, starts_.empty() ? b : starts_.front());
      f(a, e, off_clock);
      a = e;
    }
    for (auto i = static_cast<std::size_t>(std::max<std::ptrdiff_t>(it - starts_.begin() - 1, 0)); a < b; ++i) {
      Time e = i + 1 < starts_.size() ? std::min(b, starts_[i + 1]) : b;
      if (e > a) f(a, e, i < buckets_.size() ? std::size_t{buckets_[i]} : off_clock);
      a = std::max(a, e);
    }
  }
  std::size_t bucket_at(Time t) const {
    std::size_t out = off_clock;
    split(t, t + 1, [&](Time, Time, std::size_t b) { out = b; });
    return out;
  }

 private:
  std::vector<Time> starts_;
  std::vector<std::uint8_t> buckets_;
};

// A run of a group's history in measured time: good (the requirement held) or bad,
// with the measured intervals it consists of.
struct Spell {
  bool good;
  Flat parts;
  Time measured = 0;
};

// The runs of [t0, t1), alternately good and bad; runs with nothing measured are
// dropped and neighbours of one kind merged.
std::vector<Spell> history_runs(const IntervalSet& holds, const IntervalSet& measurable, Time t0, Time t1) {
  std::vector<Spell> runs;
  auto push = [&](bool good, Time a, Time b) {
    Flat parts;
    Time len = 0;
    for_each_within(measurable, a, b, [&](Time x, Time y) {
      parts.emplace_back(x, y);
      len += y - x;
    });
    if (len == 0) return;
    if (runs.empty() || runs.back().good != good) runs.push_back(Spell{good, {}, 0});
    runs.back().parts.insert(runs.back().parts.end(), parts.begin(), parts.end());
    runs.back().measured += len;
  };
  Time at = t0;
  for (const auto& iv : holds) {
    if (iv.lower() > at) push(false, at, iv.lower());
    push(true, iv.lower(), iv.upper());
    at = iv.upper();
  }
  if (at < t1) push(false, at, t1);
  return runs;
}

// How fast runs of each kind end, by time of week, relative to their mean rate: [0]
// failures (the end of good runs), [1] repairs (the end of bad runs). Fitted on the
// runs of all of an SLA's groups, each on its local clock, in two-hour blocks of the
// week (and of holidays): an end is counted in the block of the run's last measured
// millisecond, over the measured time spent in the run's kind in that block. Only
// where the data shows an effect: unless a likelihood-ratio test rejects a constant
// rate at the 0.1% level, every block keeps the mean rate; otherwise each block's
// rate is shrunk toward the mean by 2 pseudo-events.
struct Hazards {
  static constexpr std::size_t block = 2;  // hours
  static constexpr double prior = 2;
  std::array<std::array<double, week_buckets + 1>, 2> events{};
  std::array<std::array<double, week_buckets + 1>, 2> exposure{};  // hours
  std::array<Ratios, 2> ratio;
  std::array<bool, 2> varies{};  // the test found a time-of-week effect

  void add(const std::vector<Spell>& runs, const HourClock& clock) {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      int kind = runs[i].good ? 0 : 1;
      for (const auto& [a, b] : runs[i].parts) {
        clock.split(a, b, [&](Time x, Time y, std::size_t k) { exposure[kind][k] += static_cast<double>(y - x) / 3.6e6; });
      }
      if (i + 1 < runs.size()) events[kind][clock.bucket_at(runs[i].parts.back().second - 1)] += 1;
    }
  }
  void fit(bool time_of_week) {
    for (int kind = 0; kind < 2; ++kind) {
      ratio[kind].fill(1);
      varies[kind] = false;
      double n = 0, e = 0;
      for (std::size_t k = 0; k < week_buckets; ++k) {
        n += events[kind][k];
        e += exposure[kind][k];
      }
      if (!time_of_week || n == 0 || e == 0) continue;
      double mean = n / e;
      // G = 2 sum N ln(N / expected) over the blocks with exposure, against a
      // chi-square with one degree of freedom fewer than there are such blocks.
      std::array<double, week_buckets / block> bn{}, be{};
      for (std::size_t k = 0; k < week_buckets; ++k) {
        bn[k / block] += events[kind][k];
        be[k / block] += exposure[kind][k];
      }
      double g = 0;
      int blocks = 0;
      for (std::size_t b = 0; b < bn.size(); ++b) {
        if (be[b] <= 0) continue;
        ++blocks;
        if (bn[b] > 0) g += 2 * bn[b] * std::log(bn[b] / (be[b] * mean));
      }
      if (blocks < 2 || g <= chi_square_critical(blocks - 1)) continue;
      varies[kind] = true;
      for (std::size_t k = 0; k < week_buckets; ++k) {
        std::size_t b = k / block;
        ratio[kind][k] = (bn[b] + prior) / (be[b] + prior / mean) / mean;
      }
    }
  }
  // The 99.9% quantile of a chi-square distribution (Wilson-Hilferty).
  static double chi_square_critical(int df) {
    double d = static_cast<double>(df), z = 3.0902;
    double c = 1 - 2 / (9 * d) + z * std::sqrt(2 / (9 * d));
    return d * c * c * c;
  }
};

// A run's length in effective time: measured time weighted by the rate at which runs
// of its kind end in each hour. An hour in which repairs are twice as likely as on
// average counts double for a bad run.
double effective_length(const Flat& parts, const HourClock& clock, const Ratios& ratio) {
  double total = 0;
  for (const auto& [a, b] : parts) {
    clock.split(a, b, [&](Time x, Time y, std::size_t k) { total += static_cast<double>(y - x) * ratio[k]; });
  }
  return total;
}

// A group's runs for sampling: the complete ones in effective time, and the elapsed
// effective length of the run in progress at T.
struct History {
  std::vector<double> good;
  std::vector<double> bad;
  double current = 0;
  std::array<double, 2> exposure{};            // effective time watched good [0] and bad [1] (not a bad first run)
  std::array<std::vector<double>, 2> cut;      // the run cut by T (when it began in the history): a lower bound
};

History history(const std::vector<Spell>& runs, const HourClock& clock, const Hazards& hz) {
  History h;
  if (runs.empty()) return h;
  // The first run is cut by the start of the data and the last by T: neither is
  // complete.
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // The first run began before the history: its length before is unknown, and the
    // runs that span an instant are the longer ones; it is no sample. A good one is
    // time watched without a failure; a bad one may be nothing but the unknown time
    // before a device's first event, and is left out. The run in progress at T began
    // in the history and is cut by T.
    double l = effective_length(runs[i].parts, clock, hz.ratio[runs[i].good ? 0 : 1]);
    if (i == 0) {
      if (runs[i].good) h.exposure[0] += l;
      continue;
    }
    h.exposure[runs[i].good ? 0 : 1] += l;
    if (i + 1 == runs.size()) {
      h.cut[runs[i].good ? 0 : 1].push_back(l);
      continue;
    }
    (runs[i].good ? h.good : h.bad).push_back(l);
  }
  h.current = effective_length(runs.back().parts, clock, hz.ratio[runs.back().good ? 0 : 1]);
  return h;
}

// The rest of a window (measured time from T) on the clock: where, in measured time,
// a run of each kind that starts at a given point and lasts a given effective time
// ends.
class RestTimeline {
 public:
  RestTimeline(const Flat& rest, const HourClock& clock, const Hazards& hz) {
    measured_.push_back(0);
    for (auto& c : effective_) c.push_back(0);
    if (!hz.varies[0] && !hz.varies[1]) {
      // The same rate at every hour: effective time is measured time.
      Time total = 0;
      for (const auto& [a, b] : rest) total += b - a;
      if (total > 0) {
        measured_.push_back(total);
        for (auto& c : effective_) c.push_back(static_cast<double>(total));
      }
      return;
    }
    for (const auto& [a, b] : rest) {
      clock.split(a, b, [&](Time x, Time y, std::size_t k) {
        measured_.push_back(measured_.back() + (y - x));
        for (int kind = 0; kind < 2; ++kind) {
          effective_[kind].push_back(effective_[kind].back() + static_cast<double>(y - x) * hz.ratio[kind][k]);
        }
      });
    }
  }
  Time total() const { return measured_.back(); }
  // The measured length, from measured position `pos`, of a run of `kind` lasting
  // `length` effective time; cut at the end of the rest.
  Time advance(int kind, Time pos, double length) const {
    const auto& eff = effective_[kind];
    auto piece = static_cast<std::size_t>(std::upper_bound(measured_.begin(), measured_.end(), pos) - measured_.begin()) - 1;
    if (piece + 1 >= measured_.size()) return 0;
    double rate = (eff[piece + 1] - eff[piece]) / static_cast<double>(measured_[piece + 1] - measured_[piece]);
    double target = eff[piece] + static_cast<double>(pos - measured_[piece]) * rate + length;
    if (target >= eff.back()) return total() - pos;
    auto j = static_cast<std::size_t>(std::upper_bound(eff.begin(), eff.end(), target) - eff.begin()) - 1;
    double r = (eff[j + 1] - eff[j]) / static_cast<double>(measured_[j + 1] - measured_[j]);
    auto end = measured_[j] + static_cast<Time>(std::ceil((target - eff[j]) / r));
    return std::clamp<Time>(end - pos, 1, total() - pos);
  }

 private:
  std::vector<Time> measured_;
  std::array<std::vector<double>, 2> effective_;
};

std::uint64_t hash_text(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// The instant at which measured time in `rest` (sorted, from T) reaches `amount`.
std::optional<Time> reached(const Flat& rest, i128 amount) {
  i128 acc = 0;
  for (const auto& [a, b] : rest) {
    if (acc + (b - a) >= amount) return a + static_cast<Time>(amount - acc);
    acc += b - a;
  }
  return std::nullopt;
}

struct Objectives {
  const SlaPlan* sla = nullptr;    // its percentage and downtime objectives; null: outages only
  std::optional<Time> max_outage;
  std::vector<SlaPlan::OutageCount> counts;
};

bool meets(const Objectives& o, Time good, Time measured, const std::vector<Time>& outages) {
  if (o.sla && !(target_met(*o.sla, measured, good) && downtime_met(*o.sla, measured, good))) return false;
  for (Time l : outages) {
    if (o.max_outage && l > *o.max_outage) return false;
  }
  for (const auto& oc : o.counts) {
    auto n = std::count_if(outages.begin(), outages.end(), [&](Time l) { return l > oc.longer_than; });
    if (n > oc.count) return false;
  }
  return true;
}

// The survival of a run length, P(L > l), estimated by Kaplan and Meier from complete
// runs and runs cut short by T (their length is only a lower bound). Counting only the complete runs would favour short ones: a long run
// is more likely to be cut.
class Survival {
 public:
  Survival() = default;
  Survival(const std::vector<double>& complete, const std::vector<double>& cut) {
    std::vector<std::pair<double, bool>> obs;  // (length, cut); complete before cut at a tie
    for (double l : complete) obs.emplace_back(l, false);
    for (double l : cut) obs.emplace_back(l, true);
    std::sort(obs.begin(), obs.end());
    complete_ = complete;
    std::sort(complete_.begin(), complete_.end());
    double at_risk = static_cast<double>(obs.size()), surv = 1;
    for (std::size_t i = 0; i < obs.size();) {
      std::size_t j = i;
      double ended = 0;
      for (; j < obs.size() && obs[j].first == obs[i].first; ++j) ended += obs[j].second ? 0 : 1;
      if (ended > 0) {
        surv *= 1 - ended / at_risk;
        lengths_.push_back(obs[i].first);
        surv_.push_back(surv);
      }
      at_risk -= static_cast<double>(j - i);
      i = j;
    }
  }
  // Complete runs longer than `l`.
  std::size_t complete_longer(double l) const {
    return complete_.size() - static_cast<std::size_t>(std::upper_bound(complete_.begin(), complete_.end(), l) - complete_.begin());
  }
  double longest_complete() const { return lengths_.empty() ? 0 : lengths_.back(); }
  // A length longer than `l` drawn by the estimate (u uniform in [0, 1)), or nullopt
  // when it falls beyond the longest complete run (the estimate's mass left there by
  // runs cut even longer).
  std::optional<double> draw_longer(double l, double u) const {
    auto k = static_cast<std::size_t>(std::upper_bound(lengths_.begin(), lengths_.end(), l) - lengths_.begin());
    double v = u * (k == 0 ? 1.0 : surv_[k - 1]);
    auto it = std::partition_point(surv_.begin() + static_cast<std::ptrdiff_t>(k), surv_.end(), [&](double s) { return s > v; });
    if (it == surv_.end()) return std::nullopt;
    return lengths_[static_cast<std::size_t>(it - surv_.begin())];
  }

 private:
  std::vector<double> complete_;        // ascending
  std::vector<double> lengths_, surv_;  // each distinct complete length, and P(L > it)
};

// The SLA's law of one kind of run (good or bad), in effective ms, for p_meet
// (docs/status.md): the survival of the pooled runs of all its groups, a log-normal
// prior that stands in where they are few, and how much a group's own runs count
// against the pool (an empirical-Bayes estimate of how much the groups differ).
struct RunLaw {
  Survival pooled;
  double mu = 0, sigma = 1.5;          // the prior: ln(length) ~ Normal(mu, sigma)
  double own_k = 5;                    // a group's own n complete runs weigh n / (n + own_k)
  static constexpr double pool_k = 5;  // the pool's N complete runs weigh N / (N + pool_k) against the prior
};

// complete, cut: each group's complete runs of the kind and its runs cut short;
// exposure: the effective time spent in the kind by all groups, complete runs and cut
// ones; default_mean: the length of the one run the prior adds (its mean when nothing
// of the kind was ever seen).
RunLaw run_law(const std::vector<const std::vector<double>*>& complete, const std::vector<const std::vector<double>*>& cut,
               double exposure, double default_mean) {
  RunLaw law;
  std::vector<double> all_complete, all_cut;
  for (const auto* v : cut) all_cut.insert(all_cut.end(), v->begin(), v->end());
  // Log lengths: each group's mean, and the within-group sum of squares.
  double within_ss = 0, within_df = 0;
  std::vector<std::pair<double, double>> group_means;  // (mean log length, n)
  std::vector<double> logs;                             // of all complete runs
  for (const auto* own : complete) {
    if (own->empty()) continue;
    std::size_t first = logs.size();
    double sum = 0;
    for (double l : *own) {
      all_complete.push_back(l);
      logs.push_back(std::log(std::max(l, 1.0)));
      sum += logs.back();
    }
    double n = static_cast<double>(own->size()), mean = sum / n;
    for (std::size_t k = first; k < logs.size(); ++k) within_ss += std::pow(logs[k] - mean, 2);
    within_df += n - 1;
    group_means.emplace_back(mean, n);
  }
  auto n_pool = static_cast<double>(all_complete.size());
  // The prior: a log-normal whose mean is (the time watched + a default run) over (the
  // runs ended + 1): the estimate of an exponential law's mean that counts the cut
  // runs, with one run of the default length added, so that a short history moves it
  // smoothly from the default; its spread is that of the complete runs' log lengths
  // (at least 0.5), or 1.5 with fewer than two of them.
  double mean = (exposure + default_mean) / (n_pool + 1);
  law.sigma = 1.5;
  if (logs.size() >= 2) {
    double sum = 0, ss = 0;
    for (double x : logs) sum += x;
    for (double x : logs) ss += std::pow(x - sum / n_pool, 2);
    law.sigma = std::max(std::sqrt(ss / (n_pool - 1)), 0.5);
  }
  law.mu = std::log(std::max(mean, 1.0)) - law.sigma * law.sigma / 2;
  law.pooled = Survival(all_complete, all_cut);
  // Empirical Bayes over groups: the spread of the groups' mean log lengths beyond
  // what their sampling alone explains, tau^2, against the within-group variance
  // s^2; own_k = s^2 / tau^2 (groups alike: the pool speaks; groups unlike: each its
  // own history).
  if (within_df >= 1 && group_means.size() >= 2) {
    double s2 = within_ss / within_df;
    double grand = 0, total_n = 0;
    for (auto [m, n] : group_means) {
      grand += m * n;
      total_n += n;
    }
    grand /= total_n;
    double between = 0, sampling = 0;
    for (auto [m, n] : group_means) {
      between += std::pow(m - grand, 2);
      sampling += s2 / n;
    }
    auto g = static_cast<double>(group_means.size());
    double tau2 = between / (g - 1) - sampling / g;
    law.own_k = tau2 > 0 ? std::clamp(s2 / tau2, 0.5, 1e6) : 1e6;
  }
  return law;
}

// Runs of one kind to sample from, in effective time: the group's own runs, mixed
// with the SLA's law (its pooled runs, then its prior). For the rest of a run that has
// already lasted `elapsed`, lengths longer than that, less `elapsed`. Made once per
// group and kind: a draw costs the same however long the history.
class Sampler {
 public:
  Sampler(const std::vector<double>& own, const std::vector<double>& own_cut, const RunLaw& law, double elapsed,
          StatusWork* work)
      : law_(&law), elapsed_(elapsed), own_(own, own_cut) {
    own_n_ = static_cast<double>(own_.complete_longer(elapsed));
    pool_n_ = static_cast<double>(law.pooled.complete_longer(elapsed));
    if (work != nullptr) work->run_lengths_read += own.size() + own_cut.size();
  }

  double draw(std::mt19937_64& rng) const {
    std::uniform_real_distribution<double> u01(0, 1);
    if (own_n_ > 0 && u01(rng) < own_n_ / (own_n_ + law_->own_k)) {
      if (auto l = own_.draw_longer(elapsed_, u01(rng))) return *l - elapsed_;
    }
    double beyond = elapsed_;
    if (pool_n_ > 0 && u01(rng) < pool_n_ / (pool_n_ + RunLaw::pool_k)) {
      if (auto l = law_->pooled.draw_longer(elapsed_, u01(rng))) return *l - elapsed_;
      beyond = std::max(beyond, law_->pooled.longest_complete());
    }
    // A run in progress longer than every complete run of its kind is outside what the
    // history knows (a dead charger among blips): its rest is as likely to be shorter
    // as longer than what it has lasted, elapsed x (1/U - 1) (a Pareto law of index 1,
    // median `elapsed`), whatever the short runs say.
    if (elapsed_ >= 1 && law_->pooled.longest_complete() > 0 && elapsed_ >= law_->pooled.longest_complete()) {
      double u = 1 - u01(rng);  // (0, 1]
      return std::max(1.0, elapsed_ * (1 / u - 1));
    }
    // The prior's tail beyond `beyond`, by its survival function.
    boost::math::normal_distribution<double> normal(law_->mu, law_->sigma);
    double tail = beyond >= 1 ? boost::math::cdf(boost::math::complement(normal, std::log(beyond))) : 1.0;
    double v = u01(rng) * tail;
    if (!(v > 0)) return std::max(1.0, beyond - elapsed_ + std::max(beyond, 1.0));  // beyond a double: as long again
    double length = std::exp(boost::math::quantile(boost::math::complement(normal, v)));
    return std::max(1.0, length - elapsed_);
  }

 private:
  const RunLaw* law_;
  double elapsed_;
  Survival own_;
  double own_n_ = 0, pool_n_ = 0;
};

}  // namespace

std::vector<StatusRow> status(const Plan& plan, Dataset& data, Time as_of, const std::vector<std::size_t>& selected,
                              const StatusOptions& options, bool consume) {
  const Model& m = *plan.model;
  // The windows holding T, and how far back the timeline must go for them.
  std::vector<Time> reach_of(plan.slas.size(), 0);
  auto holding = [&](std::size_t i, const Zone& zone) {
    const SlaPlan& s = plan.slas[i];
    Windows out;
    for (auto [ws, we] : windows(s.window, s.window_count, zone, as_of - reach_of[i], as_of + reach_of[i])) {
      if (ws <= as_of && as_of < we) out.emplace_back(ws, we);
    }
    return out;
  };
  Time t0 = as_of;
  for (std::size_t i : selected) {
    const SlaPlan& s = plan.slas[i];
    Time reach = 400 * ms_per_day;
    if (s.window.rolling) {
      ast::RollingUnit unit = s.window.rolling_unit;
      // A rolling window ends at every local midnight (every hour, every first of a
      // month): T is in as many windows as the window has days (hours, months).
      std::int64_t containing = unit == ast::RollingUnit::weeks ? 7 * s.window_count : s.window_count;
      if (containing > max_status_windows) {
        throw StatusError(fmt::format(
            "SLA `{}` is measured in rolling windows of {} {}, so every instant is in {} of them; status shows an "
            "SLA's windows containing T only when there are at most {}",
            s.name, s.window_count, ast::unit_word(unit), containing, max_status_windows));
      }
      static constexpr Time longest[] = {ms_per_day, 7 * ms_per_day, 3'600'000, 31 * ms_per_day};
      reach = s.window_count * longest[static_cast<int>(unit)] + 2 * ms_per_day;
    } else if (s.window.period) {
      // Capped before the product, which a count of 10^12 weeks would overflow.
      std::int64_t days = std::min<std::int64_t>(s.window_count, 1'000'000) * (s.window.rolling_unit == ast::RollingUnit::weeks ? 7 : 1);
      reach = (days + 2) * ms_per_day;
    } else if (s.window.periods) {
      // The list's longest period.
      std::int64_t longest = 0;
      for (std::size_t k = 0; k + 1 < s.window.period_days.size(); ++k) {
        longest = std::max(longest, s.window.period_days[k + 1] - s.window.period_days[k]);
      }
      reach = (longest + 2) * ms_per_day;
    }
    // Status follows a window from its start to its end: a window of centuries (a
    // `period of 100000000 weeks`) would be a timeline of that length.
    constexpr Time longest_window = 100 * 366 * ms_per_day;
    if (reach - 2 * ms_per_day > longest_window) {
      throw StatusError(fmt::format(
          "SLA `{}` is measured in windows longer than 100 years; status follows each window holding T from its "
          "start to its end, for windows of at most 100 years",
          s.name));
    }
    reach_of[i] = reach;
    for (auto [ws, we] : holding(i, m.timezone)) t0 = std::min(t0, ws);
    // `in site timezone` (SPEC 4.4): the windows of every site's zone.
    if (s.window.site_zone) {
      std::set<std::string> seen;
      for (const Site& site : data.sites) {
        if (!seen.insert(site.zone.name).second) continue;
        for (auto [ws, we] : holding(i, site.zone)) t0 = std::min(t0, ws);
      }
    }
  }
  // The history for p_meet: from the earliest event, but the last three years before
  // T at most (earlier events still give the signals' values).
  Time horizon = as_of - history_days * ms_per_day;
  if (data.earliest) t0 = std::min(t0, std::max(*data.earliest, horizon));
  std::vector<StatusRow> rows;
  if (t0 >= as_of) t0 = as_of - 1;  // an empty history still has a last instant
  auto series = build_series(plan, data, t0, as_of, as_of, as_of, selected, consume);
  // Per SLA, per zone of its series (SlaSeries::zones): the windows holding T.
  std::vector<std::vector<Windows>> windows_of(plan.slas.size());
  for (const auto& sr : series) {
    for (const Zone& zone : sr.zones) windows_of[sr.sla].push_back(holding(sr.sla, zone));
  }

  std::size_t group_windows = 0;
  for (const auto& sr : series) {
    for (const auto& g : sr.groups) group_windows += windows_of[sr.sla][g.zone].size();
  }
  int sims = options.simulations;
  if (group_windows > 0) sims = std::clamp<int>(static_cast<int>(4'000'000 / group_windows), 200, options.simulations);
  std::size_t rows_total = 0;
  for (const auto& sr : series) {
    if (plan.slas[sr.sla].is_kpi) continue;
    for (const auto& g : sr.groups) rows_total += windows_of[sr.sla][g.zone].size();
  }

  // Each time zone's clock, over the history and the windows' rest.
  std::vector<std::int64_t> holidays;
  for (const auto& h : m.holidays) holidays.insert(holidays.end(), h.days.begin(), h.days.end());
  std::sort(holidays.begin(), holidays.end());
  Time clock_to = as_of + 1;
  for (const auto& per_zone : windows_of) {
    for (const auto& ws : per_zone) {
      for (auto [a, b] : ws) clock_to = std::max(clock_to, b);
    }
  }
  Time clock_from = t0;
  std::map<std::string, HourClock> clocks;
  auto clock_for = [&](const Zone& zone) -> const HourClock& {
    auto it = clocks.find(zone.name);
    if (it == clocks.end()) it = clocks.emplace(zone.name, HourClock(zone, holidays, clock_from, clock_to)).first;
    return it->second;
  };

  for (const auto& sr : series) {
    const SlaPlan& s = plan.slas[sr.sla];
    if (s.is_kpi) continue;
    if (s.requirement == RequirementKind::events) {
      event_status_rows(plan, data, sr, windows_of[sr.sla], t0, as_of, options, sims, rows);
      if (options.progress) options.progress(rows.size(), rows_total);
      continue;
    }
    if (s.requirement == RequirementKind::mean) {
      for (auto& row : number_mean_status(plan, data, sr, windows_of[sr.sla], as_of)) {
        rows.push_back(std::move(row));
        if (options.work != nullptr) ++options.work->group_windows;
        if (options.progress) options.progress(rows.size(), rows_total);
      }
      continue;
    }
    if (device_average(s.requirement)) {
      // Simulated per device: as many device-windows in all as group-windows elsewhere.
      std::size_t devices = 0;
      for (const auto& g : sr.groups) devices += g.devices.size();
      std::size_t most_windows = 0;
      for (const auto& ws : windows_of[sr.sla]) most_windows = std::max(most_windows, ws.size());
      int device_sims = std::clamp<int>(static_cast<int>(4'000'000 / std::max<std::size_t>(1, devices * most_windows)),
                                        50, sims);
      for (auto& row : device_average_status(plan, data, sr, windows_of[sr.sla], t0, as_of, device_sims, options)) {
        rows.push_back(std::move(row));
        if (options.work != nullptr) ++options.work->group_windows;
        if (options.progress) options.progress(rows.size(), rows_total);
      }
      continue;
    }
    Objectives objectives{&s, s.max_outage, s.outage_counts};
    // Per group: its sets up to T and its history of runs; the pool of all runs.
    struct GroupState_ {
      IntervalSet holds, measurable, not_holds;
      IntervalSet raw_holds;  // before `counted in` quantises it
      const HourClock* clock = nullptr;
      std::vector<Spell> runs;
      History hist;
      bool failing_now = false, in_scope_now = false;
    };
    std::vector<GroupState_> gs(sr.groups.size());
    Hazards hazards;
    for (std::size_t k = 0; k < sr.groups.size(); ++k) {
      const GroupSeries& g = sr.groups[k];
      SetBuilder holds_b, scope_b;
      for (const auto& seg : g.counts) {
        if (requirement_holds(s, g, seg, s.amount)) holds_b.add(seg.start, seg.end);
        if (segment_measurable(s, seg)) scope_b.add(seg.start, seg.end);
      }
      GroupState_& st = gs[k];
      st.holds = holds_b.take();
      IntervalSet base;
      for (const auto& [a, b] : g.base_measurable) base += Interval(a, b);
      st.measurable = scope_b.take() & base;
      st.not_holds = complement(st.holds, t0, as_of);
      if (!g.counts.empty()) {
        const auto& last = g.counts.back();
        st.failing_now = !requirement_holds(s, g, last, s.amount);
        // An exclusion under way at T is taken to end at T (SPEC 5.2): work in progress
        // never makes the rest of a window look safe.
        st.in_scope_now = segment_measurable(s, last);
      }
      if (s.counted) {
        // The quantised requirement is the requirement; the interval holding T is
        // judged on what is measured of it so far.
        st.raw_holds = std::move(st.holds);
        st.holds = quantise(st.raw_holds, st.measurable, *s.counted, group_zone(sr, g), t0, as_of);
        st.not_holds = complement(st.holds, t0, as_of);
        st.failing_now = as_of > t0 && !boost::icl::contains(st.holds, as_of - 1);
      }
      st.clock = &clock_for(g.site ? data.sites[*g.site].zone : m.timezone);
      // p_meet's history begins with the data: before the first event nothing was
      // watched (a window that began earlier judges that time unknown, which is no
      // run of the group's), whichever SLAs' windows the call reaches back for.
      st.runs = history_runs(st.holds, st.measurable, data.earliest ? std::max(t0, *data.earliest) : t0, as_of);
      hazards.add(st.runs, *st.clock);
    }
    hazards.fit(options.time_of_week);
    std::vector<const std::vector<double>*> own_good, own_bad, cut_good, cut_bad;
    std::array<double, 2> exposure{};
    for (auto& st : gs) {
      st.hist = history(st.runs, *st.clock, hazards);
      own_good.push_back(&st.hist.good);
      own_bad.push_back(&st.hist.bad);
      cut_good.push_back(&st.hist.cut[0]);
      cut_bad.push_back(&st.hist.cut[1]);
      exposure[0] += st.hist.exposure[0];
      exposure[1] += st.hist.exposure[1];
    }
    const RunLaw good_law = run_law(own_good, cut_good, exposure[0], default_good_mean);
    const RunLaw bad_law = run_law(own_bad, cut_bad, exposure[1], default_bad_mean);
    for (std::size_t k = 0; k < sr.groups.size(); ++k) {
      const GroupSeries& g = sr.groups[k];
      const GroupState_& st = gs[k];
      // What p_meet draws from: the rest of the run in progress at T, then whole runs.
      const int now = st.failing_now ? 1 : 0;
      const Sampler in_progress(now ? st.hist.bad : st.hist.good, st.hist.cut[now], now ? bad_law : good_law,
                                st.hist.current, options.work);
      const Sampler good_runs(st.hist.good, st.hist.cut[0], good_law, 0, options.work);
      const Sampler bad_runs(st.hist.bad, st.hist.cut[1], bad_law, 0, options.work);
      for (auto [ws, we] : windows_of[sr.sla][g.zone]) {
        StatusRow row = status_row_for(sr.sla, ws, we, g);
        row.failing_now = st.failing_now;
        row.measured_so_far = measure_within(st.measurable, ws, as_of);
        // Under `counted in`, quantised in this window (an interval is judged on its
        // instants inside the window).
        IntervalSet window_holds, window_not_holds;
        const IntervalSet* holds = &st.holds;
        const IntervalSet* not_holds = &st.not_holds;
        if (s.counted) {
          window_holds = quantise(st.raw_holds, st.measurable, *s.counted, group_zone(sr, g), ws, as_of);
          window_not_holds = complement(window_holds, ws, as_of);
          holds = &window_holds;
          not_holds = &window_not_holds;
        }
        IntervalSet good = *holds & Interval(ws, as_of);
        good &= st.measurable;
        row.good_so_far = measure(good);
        Flat rest = rest_of_window(plan, data, s, g, st.in_scope_now, as_of, we);
        Time rest_measured = 0;
        for (const auto& [a, b] : rest) rest_measured += b - a;
        row.measured_total = row.measured_so_far + rest_measured;
        // Outages so far in the window; the last one is ongoing when failing now.
        std::vector<Time> outages;
        for_each_within(*not_holds, ws, as_of, [&](Time a, Time b) {
          Time len = measure_within(st.measurable, a, b);
          if (len > 0) outages.push_back(len);
        });
        // Failing now, the last interval of not_holds runs to T; it is the window's last
        // outage when some of it is measured inside the window.
        bool ongoing = st.failing_now && !not_holds->empty() &&
                       measure_within(st.measurable, std::max(not_holds->rbegin()->lower(), ws), as_of) > 0;
        AtStake at_stake;
        if (s.counted) {
          at_stake = interval_at_stake(*s.counted, group_zone(sr, g), st.raw_holds, *holds, st.measurable, rest, ws,
                                       we, as_of);
        }
        Time ongoing_length = ongoing ? outages.back() : 0;

        row.budget_used = row.measured_so_far - row.good_so_far;
        // The percentage and downtime objectives (SPEC 5.2, 4.4), widened by what an
        // unfinished counting interval may still change.
        Budgets budget = budgets(s, row.budget_used, row.measured_total, rest_measured, at_stake.good, at_stake.bad);
        row.has_budget = budget.has_budget;
        row.budget = budget.budget;
        row.budget_left = budget.budget_left;
        bool target_secured = budget.secured, target_breached = budget.breached;
        // The other objectives: already broken, or safe even if all the rest fails.
        bool outage_breached = !meets(Objectives{nullptr, s.max_outage, s.outage_counts}, 0, 0, outages);
        std::vector<Time> worst = outages;
        if (rest_measured > 0) {
          if (ongoing) worst.back() += rest_measured + at_stake.good;
          else worst.push_back(rest_measured + at_stake.good);
        }
        bool outage_secured = meets(Objectives{nullptr, s.max_outage, s.outage_counts}, 0, 0, worst);
        if (target_breached || outage_breached) {
          row.state = GroupState::breached;
        } else if (target_secured && outage_secured) {
          row.state = GroupState::secured;
        } else if (budget.at_risk) {
          row.state = GroupState::at_risk;
        } else if (!budget.has_budget && st.failing_now) {
          row.state = GroupState::at_risk;
        } else {
          row.state = GroupState::on_track;
        }
        // When the failure, should it go on, breaches the SLA.
        if (st.failing_now && row.state != GroupState::secured && row.state != GroupState::breached) {
          std::optional<Time> at;
          if (budget.breach_after) {
            // Measured time after T reaching the budget left (ms, rounded up).
            at = reached(rest, *budget.breach_after);
          }
          if (s.max_outage) {
            i128 need = static_cast<i128>(*s.max_outage) - ongoing_length;
            if (auto t = reached(rest, std::max<i128>(need, 0))) at = at ? std::min(*at, *t) : *t;
          }
          row.breach_at = at;
        }
        // p_meet.
        if (row.state == GroupState::secured) {
          row.p_meet = 1;
        } else if (row.state == GroupState::breached) {
          row.p_meet = 0;
        } else {
          std::mt19937_64 rng(window_seed(options, s, g, ws));
          RestTimeline timeline(rest, *st.clock, hazards);
          int met = 0;
          if (options.work != nullptr) options.work->simulations += static_cast<std::size_t>(sims);
          for (int sim = 0; sim < sims; ++sim) {
            Time pos = 0, bad = 0;
            std::vector<Time> outs = outages;
            bool failing = st.failing_now;
            bool extend = ongoing;
            double len = in_progress.draw(rng);
            while (pos < rest_measured) {
              Time l = timeline.advance(failing ? 1 : 0, pos, len);
              if (failing) {
                bad += l;
                if (extend) {
                  outs.back() += l;
                } else {
                  outs.push_back(l);
                }
              }
              pos += l;
              extend = false;
              failing = !failing;
              len = (failing ? bad_runs : good_runs).draw(rng);
            }
            Time good_total = row.good_so_far + (rest_measured - bad);
            if (meets(objectives, good_total, row.measured_total, outs)) ++met;
          }
          row.p_meet = simulated_share(met, sims);
        }
        rows.push_back(std::move(row));
        if (options.work != nullptr) ++options.work->group_windows;
        if (options.progress) options.progress(rows.size(), rows_total);
      }
    }
  }
  // The order in which to work on them: failing now and not yet breached, soonest
  // breach first; then by budget left (then p_meet); breached last; then SLA order and
  // group id.
  auto rank = [](const StatusRow& r) { return r.state == GroupState::breached ? 2 : r.failing_now ? 0 : 1; };
  std::stable_sort(rows.begin(), rows.end(), [&](const StatusRow& a, const StatusRow& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (rank(a) == 0) {
      if (a.breach_at.has_value() != b.breach_at.has_value()) return a.breach_at.has_value();
      if (a.breach_at && *a.breach_at != *b.breach_at) return *a.breach_at < *b.breach_at;
    }
    if (rank(a) == 1) {
      if (a.has_budget != b.has_budget) return a.has_budget;
      if (a.has_budget && !(a.budget_left == b.budget_left)) return a.budget_left < b.budget_left;
      if (a.p_meet != b.p_meet) return a.p_meet < b.p_meet;
    }
    if (a.sla != b.sla) return a.sla < b.sla;
    if (a.group != b.group) return a.group < b.group;
    return a.window_start < b.window_start;
  });
  return rows;
}

StatusRow status_row_for(std::size_t sla, Time window_start, Time window_end, const GroupSeries& g) {
  StatusRow row;
  row.sla = sla;
  row.window_start = window_start;
  row.window_end = window_end;
  row.group = g.id;
  row.site = g.site;
  return row;
}

std::uint64_t window_seed(const StatusOptions& options, const SlaPlan& s, const GroupSeries& g, Time window_start) {
  return hash_text(hash_text(options.seed ^ 14695981039346656037ull, s.name), g.id) ^ static_cast<std::uint64_t>(window_start);
}

Flat rest_of_window(const Plan& plan, const Dataset& data, const SlaPlan& s, const GroupSeries& g, bool in_scope_now,
                    Time as_of, Time we) {
  const Model& m = *plan.model;
  Flat rest;
  if (!in_scope_now) return rest;
  if (s.during) {
    const CalendarInfo& cal = m.calendars[plan.nodes[*s.during].ref];
    const Zone& zone = cal.zone_kind == ast::ZoneKind::site && g.site ? data.sites[*g.site].zone
                       : cal.zone_kind == ast::ZoneKind::named       ? cal.zone
                                                                     : m.timezone;
    for (const auto& iv : calendar_intervals(m, cal, zone, as_of, we)) rest.emplace_back(iv.lower(), iv.upper());
  } else {
    rest.emplace_back(as_of, we);
  }
  return rest;
}

std::string status_json(const Plan& plan, Time as_of, const std::vector<StatusRow>& rows,
                        const std::vector<Warning>* warnings) {
  JsonWriter w;
  w.begin_object();
  w.key("as_of").string(format_instant(as_of));
  w.key("groups").begin_array();
  auto seconds = [](const Decimal& ms) {
    Decimal s = ms.normalized();
    s.scale = static_cast<std::uint8_t>(s.scale + 3);
    return s.normalized().to_string();
  };
  for (const auto& r : rows) {
    w.begin_object();
    w.key("sla").string(plan.slas[r.sla].name);
    w.key("window").begin_inline_object();
    w.key("start").string(format_instant(r.window_start));
    w.key("end").string(format_instant(r.window_end));
    w.end_object();
    w.key("group").string(r.group);
    if (r.counts_events) {
      // An event measure (SPEC 4.4): counts so far; no time, no budget.
      w.key("measured_so_far_s").null();
      w.key("good_so_far_s").null();
      w.key("measured_total_s").null();
      w.key("events_so_far").raw(std::to_string(r.measured_so_far));
      w.key("good_events_so_far").raw(std::to_string(r.good_so_far));
    } else {
      w.key("measured_so_far_s").raw(seconds_text(r.measured_so_far));
      w.key("good_so_far_s").raw(seconds_text(r.good_so_far));
      w.key("measured_total_s").raw(seconds_text(r.measured_total));
    }
    if (r.has_budget) {
      w.key("budget_s").raw(seconds(r.budget));
      w.key("budget_used_s").raw(seconds_text(r.budget_used));
      w.key("budget_left_s").raw(seconds(r.budget_left));
    } else {
      w.key("budget_s").null();
      w.key("budget_used_s").null();
      w.key("budget_left_s").null();
    }
    w.key("failing_now").boolean(r.failing_now);
    w.key("state").string(state_name(r.state));
    if (r.breach_at) w.key("breach_at").string(format_instant(*r.breach_at));
    else w.key("breach_at").null();
    if (r.p_meet) w.key("p_meet").raw(fmt::format("{}", *r.p_meet));
    else w.key("p_meet").null();
    w.end_object();
  }
  w.end_array();
  if (warnings) warnings_json(w, plan, *warnings);
  w.end_object();
  return w.take();
}

std::string p_meet_text(const std::optional<double>& p) {
  if (!p) return "-";
  if (*p > 0 && *p < 0.0005) return "<0.1%";
  if (*p < 1 && *p > 0.9995) return ">99.9%";
  return fmt::format("{:.1f}%", *p * 100);
}

std::string budget_left_text(const StatusRow& r) {
  if (!r.has_budget) return "-";
  return r.budget_left.is_negative() ? "-" + human_duration(-ceil_integer(r.budget_left))
                                     : human_duration(floor_integer(r.budget_left));
}

std::string status_table(const Plan& plan, const Dataset& data, Time as_of, const std::vector<StatusRow>& rows, bool color) {
  const Model& m = *plan.model;
  auto paint = [&](std::string_view code, std::string_view text) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  auto local = [&](Time t, const Zone& zone) {
    Time l = utc_to_local(zone, t);
    std::int64_t day = floor_div(l, ms_per_day);
    int y;
    unsigned mo, d;
    civil_from_days(day, y, mo, d);
    static constexpr std::string_view names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    Time in_day = l - day * ms_per_day;
    return fmt::format("{} {:04}-{:02}-{:02} {:02}:{:02}", names[weekday_from_days(day)], y, mo, d, in_day / 3'600'000,
                       (in_day / 60'000) % 60);
  };
  auto breach_text = [&](Time t, const Zone& site_zone) {
    std::string text = local(t, m.timezone);
    if (site_zone.name != m.timezone.name && utc_to_local(site_zone, t) != utc_to_local(m.timezone, t)) {
      std::string there = local(t, site_zone);
      // Its weekday and time there (the date only when it differs).
      std::string day_there = there.substr(0, 3), date_there = there.substr(4, 10), time_there = there.substr(15);
      text += fmt::format(" ({} {}{} {})", day_there, date_there == text.substr(4, 10) ? "" : date_there + " ", time_there,
                          site_zone.name);
    }
    return text;
  };
  std::string out = paint("1", fmt::format("{} status at {} ({})", m.name, local(as_of, m.timezone), m.timezone.name)) + "\n";
  std::size_t counts[4] = {0, 0, 0, 0};
  std::size_t failing = 0;
  for (const auto& r : rows) {
    ++counts[static_cast<int>(r.state)];
    failing += r.failing_now ? 1 : 0;
  }
  out += fmt::format("{} group-windows: {} failing now, {} at risk, {} breached, {} on track, {} secured\n\n", rows.size(),
                     failing, counts[2], counts[3], counts[1], counts[0]);
  // The window column fits its longest label (`2026-01-01 .. 2027-01-01`).
  std::vector<std::string> labels;
  std::size_t window_width = 12;
  for (const auto& r : rows) {
    // With `in site timezone`, each group's window in its site's zone (SPEC 4.4).
    const SlaPlan& s = plan.slas[r.sla];
    const Zone& zone = s.window.site_zone && r.site ? data.sites[*r.site].zone : m.timezone;
    labels.push_back(window_label(s, zone, r.window_start, r.window_end));
    window_width = std::max(window_width, labels.back().size());
  }
  // breach_at in the contract's zone, named; the site's own clock beside it where that
  // differs (issue 15: "10:21" of a New York site read as already past in London).
  out += fmt::format("  {:<18} {:<16} {:<{}} {:<9} {:>8} {:>14} {:>7}  {}\n", "sla", "group", "window", window_width, "state",
                     "failing", "budget left", "p_meet", fmt::format("breach at ({})", m.timezone.name));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const StatusRow& r = rows[i];
    const SlaPlan& s = plan.slas[r.sla];
    const Zone& zone = r.site ? data.sites[*r.site].zone : m.timezone;
    std::string line = fmt::format("  {:<18} {:<16} {:<{}} {:<9} {:>8} {:>14} {:>7}  {}", s.name, r.group, labels[i],
                                   window_width, state_name(r.state),
                                   r.failing_now ? "yes" : "no", budget_left_text(r), p_meet_text(r.p_meet),
                                   r.breach_at ? breach_text(*r.breach_at, zone) : "");
    switch (r.state) {
      case GroupState::breached: line = paint("31", line); break;
      case GroupState::at_risk: line = paint("33", line); break;
      default:
        if (r.failing_now) line = paint("1", line);
        break;
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace slac::rt
