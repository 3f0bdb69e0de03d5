// The report's charts, drawn with chart/ (figures.hpp).
#include "report/figures.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "chart/chart.hpp"
#include "base/decimal.hpp"
#include "runtime/output.hpp"

namespace slac::report {

std::string local_text(const Zone& zone, std::int64_t utc) {
  std::int64_t local = utc_to_local(zone, utc);
  std::int64_t day = floor_div(local, ms_per_day);
  std::int64_t in_day = local - day * ms_per_day;
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", y, m, d, in_day / 3'600'000, (in_day / 60'000) % 60);
  if (in_day % 60'000 != 0) out += fmt::format(":{:02}", (in_day / 1000) % 60);
  if (in_day % 1000 != 0) out += fmt::format(".{:03}", in_day % 1000);
  // A time of the hour that repeats when the clocks go back says which one it is.
  if (local_to_utc_all(zone, local).size() > 1) {
    std::int64_t offset = (local - utc) / 60'000;
    out += fmt::format(" (UTC{}{:02}:{:02})", offset < 0 ? '-' : '+', std::abs(offset) / 60, std::abs(offset) % 60);
  }
  return out;
}

std::string verdict_strip(const std::string& sla, const std::vector<StripCell>& cells) {
  double cell = cells.size() <= 12 ? 72 : std::max(6.0, 720.0 / static_cast<double>(cells.size()));
  double width = std::max(240.0, cell * static_cast<double>(cells.size()) + 20);
  std::size_t breached = static_cast<std::size_t>(std::count_if(cells.begin(), cells.end(), [](const auto& c) { return !c.met; }));
  chart::Svg svg(width, 74, fmt::format("Verdicts of {} per window", sla),
                 fmt::format("{} windows: {} met, {} breached", cells.size(), cells.size() - breached, breached));
  chart::Bands x(cells.size(), 10, 10 + cell * static_cast<double>(cells.size()));
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto& c = cells[i];
    svg.rect(x.centre(i) - x.width() / 2 + 1, 8, x.width() - 2, 30, c.met ? chart::good : chart::bad, c.tip);
    // The verdict in a mark as well as a colour: a tick or a cross on wide cells.
    if (x.width() >= 20) {
      svg.text(x.centre(i), 28, c.met ? "\u2713" : "\u2717", "middle", "fill=\"white\" font-weight=\"bold\"");
    } else if (!c.met) {
      // Too narrow for a mark: a black bar under a breached window, which a greyscale
      // print tells from the colours.
      svg.rect(x.centre(i) - x.width() / 2 + 1, 40, x.width() - 2, 4, chart::ink);
    }
    labels.push_back(c.label);
  }
  chart::band_labels(svg, x, labels, 56);
  std::string out = svg.finish();
  return out.insert(4, " class=\"verdict-strip\"");  // after `<svg`
}

namespace {

constexpr double chart_width = 760;
constexpr double left = 64;
constexpr double right = chart_width - 34;  // room for the last tick's label

// Intervals merged where they would touch at the chart's resolution (a flapping
// history draws as a few hundred marks, not a hundred thousand).
std::vector<std::pair<std::int64_t, std::int64_t>> at_resolution(const std::vector<std::pair<std::int64_t, std::int64_t>>& in,
                                                                 std::int64_t window) {
  std::int64_t pixel = std::max<std::int64_t>(1, window / 1400);
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& iv : in) {
    if (!out.empty() && iv.first - out.back().second < pixel) out.back().second = iv.second;
    else out.push_back(iv);
  }
  return out;
}

}  // namespace

std::string timeline_svg(const rt::WindowTimeline& t, const Zone& zone, std::int64_t ws, std::int64_t we,
                         const std::string& title) {
  std::int64_t down = 0, longest = 0;
  for (const auto& o : t.outages) {
    down += o.measured;
    longest = std::max(longest, o.measured);
  }
  chart::Svg svg(chart_width, 112, title,
                 fmt::format("{} outage{} from {} to {} ({}); measured downtime in them {}, the longest {}", t.outages.size(),
                             t.outages.size() == 1 ? "" : "s", local_text(zone, ws), local_text(zone, we), zone.name,
                             rt::human_duration(down), rt::human_duration(longest)));
  chart::Linear x(static_cast<double>(ws), static_cast<double>(we), left, right);
  auto px = [&](std::int64_t v) { return x(static_cast<double>(v)); };
  svg.text(left - 6, 36, "measured", "end", "font-size=\"11\"");
  svg.text(left - 6, 62, "outages", "end", "font-size=\"11\"");
  svg.rect(left, 24, right - left, 18, "#f2f2f2");
  for (const auto& [a, b] : at_resolution(t.measured, we - ws)) svg.rect(px(a), 24, std::max(px(b) - px(a), 0.6), 18, "#9cc9e8");
  // Each outage with its figures; when they are too many to draw apart, each of 340
  // stretches of the window shaded by the share of it that was downtime (a month of
  // one-second blips must not look like a month-long outage).
  if (t.outages.size() <= 400) {
    for (const auto& o : t.outages) {
      svg.rect(px(o.start), 48, std::max(px(o.end) - px(o.start), 1.2), 20, chart::bad,
               fmt::format("Outage {} to {} ({}): measured {}", local_text(zone, o.start), local_text(zone, o.end),
                           zone.name, rt::human_duration(o.measured)));
    }
  } else {
    constexpr int bins = 340;
    std::vector<double> down(bins, 0);
    double length = static_cast<double>(we - ws) / bins;
    for (const auto& [a, b] : t.downtime) {
      for (auto i = static_cast<int>(static_cast<double>(a - ws) / length); i < bins; ++i) {
        double lo = static_cast<double>(ws) + length * i, hi = lo + length;
        if (lo >= static_cast<double>(b)) break;
        down[i] += std::min(hi, static_cast<double>(b)) - std::max(lo, static_cast<double>(a));
      }
    }
    for (int i = 0; i < bins; ++i) {
      if (down[i] <= 0) continue;
      double share = std::min(1.0, down[i] / length);
      svg.rect(left + (right - left) * i / bins, 48, (right - left) / bins, 20, chart::bad,
               "", fmt::format("fill-opacity=\"{:.2f}\"", std::max(0.15, share)));
    }
    svg.text(right, 62, fmt::format("{} outages: shade = share of time down", group_thousands(std::to_string(t.outages.size()))),
             "end", "font-size=\"10\"");
  }
  chart::x_time_axis(svg, x, chart::time_ticks(zone, ws, we, 8), left, right, 76, 20, 72);
  svg.rect(left, 98, 12, 10, "#9cc9e8");
  svg.text(left + 16, 107, "measured time", "start", "font-size=\"11\"");
  svg.rect(left + 120, 98, 12, 10, chart::bad);
  svg.text(left + 136, 107, fmt::format("outage (times in {})", zone.name), "start", "font-size=\"11\"");
  return svg.finish();
}

std::string burndown_svg(const rt::WindowTimeline& t, const Zone& zone, std::int64_t ws, std::int64_t we,
                         const std::vector<BudgetLine>& budgets, const std::string& title) {
  std::int64_t total = 0;
  for (const auto& [a, b] : t.downtime) total += b - a;
  double top = static_cast<double>(total);
  for (const auto& b : budgets) top = std::max(top, b.ms);
  // Hours, or minutes for a small budget.
  bool hours = top >= 2 * 3'600'000.0;
  double unit = hours ? 3'600'000.0 : 60'000.0;
  chart::Ticks ticks = chart::nice_ticks(0, std::max(top / unit, hours ? 1.0 : 1.0), 4);
  const double y0 = 150, y1 = 16;
  chart::Linear y(ticks.lo(), ticks.hi(), y0, y1);
  chart::Linear x(static_cast<double>(ws), static_cast<double>(we), left, right);
  std::string budget_words;
  for (const auto& b : budgets) budget_words += "; " + b.label;
  chart::Svg svg(chart_width, 200, title,
                 fmt::format("Cumulative measured downtime from {} to {} ({}): {} in all{}", local_text(zone, ws),
                             local_text(zone, we), zone.name, rt::human_duration(total), budget_words));
  chart::y_axis(svg, y, ticks, left, chart::Side::left, left, right,
                [&](double v) { return chart::number_text(v, ticks.decimals); }, hours ? "hours" : "minutes");
  chart::x_time_axis(svg, x, chart::time_ticks(zone, ws, we, 8), left, right, y0, y0, y0);
  // When the running total first passed the first budget, exactly.
  std::optional<std::int64_t> exhausted;
  double first_budget = budgets.empty() ? -1 : budgets.front().ms;
  std::int64_t sum = 0;
  for (const auto& [a, b] : t.downtime) {
    if (first_budget >= 0 && !exhausted && static_cast<double>(sum + (b - a)) > first_budget) {
      exhausted = a + static_cast<std::int64_t>(std::floor(first_budget - static_cast<double>(sum))) + 1;
    }
    sum += b - a;
  }
  // The running total: flat between downtime, rising through it; sampled at 720
  // evenly spaced instants, exactly, when the downtime comes in many pieces.
  std::vector<std::pair<double, double>> points{{x(static_cast<double>(ws)), y(0)}};
  sum = 0;
  if (t.downtime.size() <= 700) {
    for (const auto& [a, b] : t.downtime) {
      points.emplace_back(x(static_cast<double>(a)), y(static_cast<double>(sum) / unit));
      sum += b - a;
      points.emplace_back(x(static_cast<double>(b)), y(static_cast<double>(sum) / unit));
    }
  } else {
    std::size_t k = 0;
    std::int64_t done = 0;  // the pieces before k, in full
    for (int i = 1; i <= 720; ++i) {
      std::int64_t at = ws + static_cast<std::int64_t>(static_cast<double>(we - ws) * i / 720);
      while (k < t.downtime.size() && t.downtime[k].second <= at) done += t.downtime[k].second - t.downtime[k].first, ++k;
      sum = done + (k < t.downtime.size() && t.downtime[k].first < at ? at - t.downtime[k].first : 0);
      points.emplace_back(x(static_cast<double>(at)), y(static_cast<double>(sum) / unit));
    }
  }
  points.emplace_back(x(static_cast<double>(we)), y(static_cast<double>(sum) / unit));
  std::vector<chart::LegendItem> legend{{chart::LegendItem::Kind::line, chart::palette[0], "cumulative downtime"}};
  for (std::size_t i = 0; i < budgets.size(); ++i) {
    const char* color = i == 0 ? chart::bad : chart::warning;
    double at = y(budgets[i].ms / unit);
    svg.line(left, at, right, at, color, "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
    legend.push_back({chart::LegendItem::Kind::line, color, budgets[i].label});
  }
  svg.polyline(points, chart::palette[0], 2);
  if (exhausted) {
    // Drawn, not judged: to the next whole second.
    exhausted = floor_div(*exhausted + 999, 1000) * 1000;
    svg.circle(x(static_cast<double>(*exhausted)), y(first_budget / unit), 4, chart::bad,
               fmt::format("Downtime passed the budget line at {} ({})", local_text(zone, *exhausted), zone.name));
  }
  svg.circle(points.back().first, points.back().second, 3, chart::palette[0],
             fmt::format("Downtime in the window: {}", rt::human_duration(total)));
  // The legend in one row under the axis.
  double lx = left;
  for (const auto& item : legend) {
    svg.line(lx, 190, lx + 18, 190, item.color, item.color == std::string(chart::palette[0]) ? "stroke-width=\"2\""
                                                                                            : "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
    svg.text(lx + 22, 194, item.label, "start", "font-size=\"11\"");
    lx += 40 + 6.5 * static_cast<double>(item.label.size());
  }
  return svg.finish();
}

std::string kpi_svg(const std::string& group, const std::vector<KpiPoint>& points, double lo, double hi) {
  chart::Svg svg(240, 130, fmt::format("{} per window", group), fmt::format("Attainment of {} in {} windows", group, points.size()));
  chart::Ticks ticks = chart::nice_ticks(lo * 100, hi * 100, 3);
  chart::Linear y(ticks.lo(), ticks.hi(), 100, 18);
  chart::y_axis(svg, y, ticks, 44, chart::Side::left, 44, 232,
                [&](double v) { return chart::number_text(v, ticks.decimals) + "%"; }, "");
  chart::Bands x(points.size(), 48, 232);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    if (!p.attainment) continue;
    double v = std::clamp(*p.attainment * 100, ticks.lo(), ticks.hi());
    double w = std::max(x.width() * 0.7, 1.0);
    svg.rect(x.centre(i) - w / 2, y(v), w, y(ticks.lo()) - y(v), chart::palette[0], fmt::format("{}: {}", p.label, p.text));
  }
  svg.text(136, 12, group, "middle", "font-weight=\"bold\"");
  if (!points.empty()) {
    svg.text(48, 120, points.front().label, "start", "font-size=\"10\"");
    if (points.size() > 1) svg.text(232, 120, points.back().label, "end", "font-size=\"10\"");
  }
  return svg.finish();
}

}  // namespace slac::report
