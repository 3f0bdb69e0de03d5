// The chart module (chart/chart.hpp): round ticks, number text, escaping, and the
// document's accessible name; every chart of slac is drawn with it.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include <fmt/format.h>

#include "chart/chart.hpp"

using namespace slac;

namespace {

// The step between ticks is 1, 2 or 5 times a power of ten.
bool round_step(double step) {
  double e = std::floor(std::log10(step));
  double m = step / std::pow(10.0, e);
  // (to a double's precision at the values' magnitude)
  return std::abs(m - 1) < 1e-4 || std::abs(m - 2) < 1e-4 || std::abs(m - 5) < 1e-4 || std::abs(m - 10) < 1e-3;
}

}  // namespace

TEST_CASE("chart: ticks are round, cover the range, and are few") {
  CHECK(chart::nice_ticks(0, 1, 5).values == std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1});
  CHECK(chart::nice_ticks(0, 1, 5).decimals == 1);
  CHECK(chart::nice_ticks(0, 23456, 5).values == std::vector<double>{0, 5000, 10000, 15000, 20000, 25000});
  CHECK(chart::nice_ticks(0, 23456, 5).decimals == 0);
  CHECK(chart::nice_ticks(0, 0.03, 4).values == std::vector<double>{0, 0.01, 0.02, 0.03});
  CHECK(chart::nice_ticks(0, 0.03, 4).decimals == 2);
  // One value: from zero to it; zero alone: [0, 1]; not a number: [0, 1].
  CHECK(chart::nice_ticks(7, 7, 5).values == std::vector<double>{0, 2, 4, 6, 8});
  CHECK(chart::nice_ticks(0, 0, 5).values == std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1});
  CHECK(chart::nice_ticks(NAN, 3, 5).values == std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1});
  CHECK(chart::nice_ticks(-3.2, 4.9, 5).values == std::vector<double>{-4, -2, 0, 2, 4, 6});
  // Any range: covered, at most max_count intervals, a round step, evenly spaced.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    // Ranges from a millionth of their magnitude to a thousand times it, at magnitudes
    // from 1e-6 to 1e12 (and ranges below a double's resolution: widened, still covered).
    double a = std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng), std::uniform_int_distribution<int>(-20, 40)(rng));
    double width = std::abs(a) * std::pow(10.0, std::uniform_real_distribution<double>(i % 10 == 0 ? -15 : -6, 3)(rng));
    double b = a + width;
    int count = std::uniform_int_distribution<int>(1, 10)(rng);
    auto t = chart::nice_ticks(a, b, count);
    CAPTURE(a);
    CAPTURE(b);
    CAPTURE(count);
    REQUIRE(t.values.size() >= 2);
    CHECK(t.values.size() <= static_cast<std::size_t>(std::max(count, a < 0 && b > 0 ? 2 : 1)) + 1);
    double step = t.values[1] - t.values[0];
    CHECK(t.lo() <= a + step * 1e-6);
    CHECK(t.hi() >= b - step * 1e-6);
    if (width < std::abs(a) * 1e-9) continue;  // widened: the rest holds at what a double resolves
    CHECK(round_step(step));
    for (std::size_t k = 1; k < t.values.size(); ++k) CHECK(std::abs(t.values[k] - t.values[k - 1] - step) <= step * 1e-3);
  }
}

TEST_CASE("chart: numbers with grouped thousands, no negative zero") {
  CHECK(chart::number_text(12500, 0) == "12,500");
  CHECK(chart::number_text(1234567.891, 2) == "1,234,567.89");
  CHECK(chart::number_text(-1234.5, 1) == "-1,234.5");
  CHECK(chart::number_text(-0.0001, 2) == "0.00");
  CHECK(chart::number_text(999, 0) == "999");
  CHECK(chart::number_text(0.3, 1) == "0.3");
}

TEST_CASE("chart: an SVG document is named for screen readers, and its text is escaped") {
  chart::Svg svg(100, 50, "Penalties <GBP> & \"credits\"", "what it shows");
  svg.rect(1, 2, 3, 4, chart::bad, "S1: 10,000 GBP");
  svg.text(5, 6, "a < b");
  std::string out = svg.finish();
  CHECK(out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"50\" viewBox=\"0 0 100 50\" role=\"img\""));
  CHECK(out.find("<title>Penalties &lt;GBP&gt; &amp; &quot;credits&quot;</title>") != std::string::npos);
  CHECK(out.find("<desc>what it shows</desc>") != std::string::npos);
  CHECK(out.find("<rect x=\"1.0\" y=\"2.0\" width=\"3.0\" height=\"4.0\" fill=\"#D55E00\"><title>S1: 10,000 GBP</title></rect>") !=
        std::string::npos);
  CHECK(out.find(">a &lt; b</text>") != std::string::npos);
  CHECK(out.ends_with("</svg>\n"));
  // A negative size is drawn as none, never as invalid SVG.
  chart::Svg empty(10, 10, "t", "d");
  empty.rect(0, 0, -5, 3, "red");
  CHECK(empty.finish().find("width=\"0.0\"") != std::string::npos);
}

TEST_CASE("chart: a time axis ticks at round local times, across DST changes") {
  Zone london = *find_zone("Europe/London");
  auto at = [](const char* text) {
    // The tests' instants, written as UTC.
    int y, mo, d, h, mi;
    std::sscanf(text, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi);
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * ms_per_day + h * 3'600'000LL + mi * 60'000LL;
  };
  // March 2026 in London: days at local midnight, which is 23:00 UTC after the change
  // of 29 March; weekly ticks on Mondays.
  auto month = chart::time_ticks(london, at("2026-03-01T00:00"), at("2026-03-31T23:00"), 8);
  REQUIRE(!month.empty());
  CHECK(month.size() <= 8);
  for (const auto& t : month) CHECK(weekday_from_days(floor_div(utc_to_local(london, t.at), ms_per_day)) == 0);
  CHECK(month.front().label == "2 Mar");
  CHECK(month.back().at == at("2026-03-29T23:00"));  // Monday 30 March, local midnight in summer time
  CHECK(month.back().label == "30 Mar");
  // The day of the change (23 hours) by hours: 01:00 local does not exist, so it has
  // no tick; none is repeated.
  auto day = chart::time_ticks(london, at("2026-03-29T00:00"), at("2026-03-29T23:00"), 30);
  std::vector<std::string> labels;
  for (const auto& t : day) labels.push_back(t.label);
  REQUIRE(labels.size() == 24);
  CHECK(labels[0] == "29 Mar");
  CHECK(labels[1] == "02:00");
  CHECK(day[1].at == at("2026-03-29T01:00"));
  CHECK(labels[23] == "30 Mar");
  for (std::size_t i = 1; i < day.size(); ++i) CHECK(day[i].at > day[i - 1].at);
  // Fewer allowed: every 6 hours (every 3 would be 9 ticks).
  labels.clear();
  for (const auto& t : chart::time_ticks(london, at("2026-03-29T00:00"), at("2026-03-29T23:00"), 8)) labels.push_back(t.label);
  CHECK(labels == std::vector<std::string>{"29 Mar", "06:00", "12:00", "18:00", "30 Mar"});
  // A year by quarters; a century by every k-th year; never more than asked.
  auto year = chart::time_ticks(london, at("2026-01-01T00:00"), at("2027-01-01T00:00"), 6);
  labels.clear();
  for (const auto& t : year) labels.push_back(t.label);
  CHECK(labels == std::vector<std::string>{"Jan 2026", "Apr 2026", "Jul 2026", "Oct 2026", "Jan 2027"});
  auto century = chart::time_ticks(utc_zone(), at("2000-01-01T00:00"), at("2100-01-01T00:00"), 8);
  CHECK(century.size() <= 8);
  CHECK(century.front().label == "2000");
  // Reversed bounds are the same span; an empty one has at most its instant.
  CHECK(chart::time_ticks(london, at("2026-03-31T23:00"), at("2026-03-01T00:00"), 8).size() == month.size());
  CHECK(chart::time_ticks(london, at("2026-03-02T00:00"), at("2026-03-02T00:00"), 8).size() <= 1);
}

TEST_CASE("chart: band labels stay inside the chart and apart") {
  for (std::size_t count : {3, 12, 30, 85, 365}) {
    CAPTURE(count);
    chart::Svg svg(740, 74, "strip", "labels");
    chart::Bands x(count, 10, 730);
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < count; ++i) labels.push_back(fmt::format("2026-01-{:02} .. 2026-01-{:02}", i % 28 + 1, i % 28 + 1));
    chart::band_labels(svg, x, labels, 56);
    std::string out = svg.finish();
    // Each label's extent, at 7 px a character as band_labels reckons.
    std::vector<std::pair<double, double>> extents;
    for (std::size_t at = out.find("<text x=\""); at != std::string::npos; at = out.find("<text x=\"", at + 1)) {
      double left = std::stod(out.substr(at + 9));
      std::string tag = out.substr(at, out.find('>', at) - at);
      std::size_t start = out.find('>', at) + 1;
      double width = 7.0 * static_cast<double>(out.find("</text>", start) - start);
      if (tag.find("text-anchor=\"middle\"") != std::string::npos) left -= width / 2;
      else if (tag.find("text-anchor=\"end\"") != std::string::npos) left -= width;
      extents.emplace_back(left, left + width);
    }
    REQUIRE(!extents.empty());
    CHECK(out.find(">" + labels.front() + "<") != std::string::npos);  // the first label is always shown
    for (std::size_t i = 0; i < extents.size(); ++i) {
      CHECK(extents[i].first >= 0);
      CHECK(extents[i].second <= 740);
      if (i > 0) CHECK(extents[i].first > extents[i - 1].second);
    }
  }
}
