// `counted in` (SPEC 4.4) at the millisecond: intervals cut from local days across
// daylight-saving changes, exact failure shares, and quantisation against a
// millisecond-by-millisecond brute force on random sets, windows cutting intervals.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "base/time.hpp"
#include "runtime/counting.hpp"
#include "runtime/ingest/dataset.hpp"

using namespace slac;
using namespace slac::rt;

namespace {

SlaPlan::Counting counting(std::int64_t length, ast::FailedIf how, const char* over = "0") {
  SlaPlan::Counting c;
  c.length = length;
  c.failed_if = how;
  c.over = *Decimal::parse(over);
  return c;
}

Time at(const char* text) {
  std::string why;
  return *parse_time(text, why);
}

IntervalSet random_set(std::mt19937_64& rng, Time lo, Time hi) {
  IntervalSet s;
  int n = std::uniform_int_distribution<int>(0, 8)(rng);
  for (int i = 0; i < n; ++i) {
    Time a = std::uniform_int_distribution<Time>(lo, hi)(rng);
    Time b = std::uniform_int_distribution<Time>(a, std::min(hi, a + 60))(rng);
    if (a < b) s += Interval(a, b);
  }
  return s;
}

}  // namespace

TEST_CASE("counted in: intervals of 23- and 25-hour days end at the next day's start") {
  Zone london = *find_zone("Europe/London");
  auto eight = counting(8 * 3'600'000, ast::FailedIf::any);
  // 2026-10-25 runs from 23:00Z to 00:00Z two days later: 8h, 8h, 8h, 1h.
  auto last = counting_interval_at(eight, london, at("2026-10-25T23:30:00Z"));
  CHECK(last.first == at("2026-10-25T23:00:00Z"));
  CHECK(last.second == at("2026-10-26T00:00:00Z"));
  auto first = counting_interval_at(eight, london, at("2026-10-24T23:00:00Z"));
  CHECK(first.first == at("2026-10-24T23:00:00Z"));
  CHECK(first.second == at("2026-10-25T07:00:00Z"));
  // 2026-03-29 runs from 00:00Z to 23:00Z: 8h, 8h, 7h.
  auto short_last = counting_interval_at(eight, london, at("2026-03-29T22:59:59.999Z"));
  CHECK(short_last.first == at("2026-03-29T16:00:00Z"));
  CHECK(short_last.second == at("2026-03-29T23:00:00Z"));
  CHECK(counting_interval_at(eight, london, at("2026-03-29T23:00:00Z")).first == at("2026-03-29T23:00:00Z"));
}

TEST_CASE("counted in: failure shares are decided exactly") {
  auto half = counting(60'000, ast::FailedIf::over, "50");
  CHECK_FALSE(interval_fails(half, 60'000, 30'000));  // exactly 50% is not over 50%
  CHECK(interval_fails(half, 60'000, 30'001));
  auto third = counting(60'000, ast::FailedIf::over, "33.333");
  CHECK_FALSE(interval_fails(third, 1'000'000, 333'330));
  CHECK(interval_fails(third, 1'000'000, 333'331));
  auto all = counting(60'000, ast::FailedIf::all);
  CHECK(interval_fails(all, 5, 5));
  CHECK_FALSE(interval_fails(all, 5, 4));
  auto any = counting(60'000, ast::FailedIf::any);
  CHECK(interval_fails(any, 60'000, 1));
  // Nothing measured: no failure, whatever the form.
  for (const auto& c : {any, all, half}) CHECK_FALSE(interval_fails(c, 0, 0));
}

TEST_CASE("counted in: quantise agrees with a brute force, millisecond by millisecond") {
  std::mt19937_64 rng(13);
  Zone utc = utc_zone();
  const std::vector<std::pair<ast::FailedIf, const char*>> forms = {
      {ast::FailedIf::any, "0"}, {ast::FailedIf::all, "0"}, {ast::FailedIf::over, "50"}, {ast::FailedIf::over, "12.5"}};
  for (int round = 0; round < 400; ++round) {
    const Time span = 400;
    IntervalSet holds = random_set(rng, 0, span);
    // Mostly holding: add a long good stretch with the random gaps cut out of it.
    if (round % 2 == 0) holds = complement(holds, 0, span);
    IntervalSet measurable = complement(random_set(rng, 0, span), 0, span);
    Time length = std::vector<Time>{1, 8, 25, 40, 100}[static_cast<std::size_t>(round % 5)];
    Time lo = std::uniform_int_distribution<Time>(0, span / 2)(rng);
    Time hi = std::uniform_int_distribution<Time>(lo, span)(rng);
    auto [how, over] = forms[static_cast<std::size_t>(round / 5 % 4)];
    auto c = counting(length, how, over);
    CAPTURE(round);
    CAPTURE(length);
    IntervalSet got = quantise(holds, measurable, c, utc, lo, hi);
    // The brute force: tallies per interval over the measured milliseconds in [lo, hi).
    std::map<Time, std::pair<Time, Time>> tally;
    for (Time t = lo; t < hi; ++t) {
      if (!boost::icl::contains(measurable, t)) continue;
      auto& [m, bad] = tally[t / length];
      ++m;
      if (!boost::icl::contains(holds, t)) ++bad;
    }
    for (Time t = lo; t < hi; ++t) {
      bool want = boost::icl::contains(holds, t);
      if (boost::icl::contains(measurable, t)) {
        auto [m, bad] = tally[t / length];
        want = !interval_fails(c, m, bad);
      }
      CAPTURE(t);
      REQUIRE(boost::icl::contains(got, t) == want);
    }
    CHECK(boost::icl::within(got, full_set(lo, hi)));
  }
}
