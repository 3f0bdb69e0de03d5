// Scales, ticks, marks, axes and legends of slac's SVG charts (chart.hpp).
#include "chart/chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/decimal.hpp"
#include "base/xml.hpp"

namespace slac::chart {

Ticks nice_ticks(double lo, double hi, int max_count) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  max_count = std::max(max_count, 1);
  if (lo == hi) {  // one value: from zero to it (a bar's base), or [0, 1] for zero
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
    if (lo == hi) hi = 1;
  }
  // A range narrower than a double resolves at its magnitude is widened to what it
  // does resolve (so that tick counts stay small integers).
  double magnitude = std::max(std::abs(lo), std::abs(hi));
  if (hi - lo < magnitude * 1e-9) hi = lo + magnitude * 1e-9;
  // The step: the smallest of 1, 2, 5 x 10^k whose intervals number at most max_count.
  // A range across zero needs two intervals at least (one each side).
  if (lo < 0 && hi > 0) max_count = std::max(max_count, 2);
  double raw = (hi - lo) / max_count;
  int exponent = static_cast<int>(std::floor(std::log10(raw)));
  double step = 0;
  int decimals = 0;
  for (int e = exponent; step == 0; ++e) {
    for (double m : {1.0, 2.0, 5.0}) {
      double s = m * std::pow(10.0, e);
      if (std::ceil(hi / s - 1e-9) - std::floor(lo / s + 1e-9) <= max_count) {
        step = s;
        decimals = std::max(0, -e);
        break;
      }
    }
  }
  Ticks t;
  t.decimals = decimals;
  auto first = static_cast<long long>(std::floor(lo / step + 1e-9));
  auto last = static_cast<long long>(std::ceil(hi / step - 1e-9));
  for (long long k = first; k <= last; ++k) {
    // Rounded to the step's decimals, so that 0.1 x 3 is written 0.3.
    double v = std::round(static_cast<double>(k) * step * std::pow(10.0, decimals)) / std::pow(10.0, decimals);
    t.values.push_back(v == 0 ? 0 : v);  // no -0
  }
  if (t.values.size() == 1) t.values.push_back(t.values.front() + step);
  return t;
}

std::string number_text(double v, int decimals) {
  std::string digits = fmt::format("{:.{}f}", v, std::max(decimals, 0));
  if (digits[0] == '-' && digits.find_first_not_of("-0.") == std::string::npos) digits.erase(0, 1);  // no -0
  return group_thousands(digits);
}

namespace {

std::string tip_element(std::string_view tip) {
  return tip.empty() ? "" : fmt::format("<title>{}</title>", xml_escape(tip));
}

}  // namespace

Svg::Svg(double width, double height, std::string_view title, std::string_view description)
    : width_(width), height_(height) {
  out_ = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "role=\"img\" font-family=\"sans-serif\" font-size=\"12\" fill=\"{2}\">\n"
      "<title>{3}</title>\n<desc>{4}</desc>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height, ink, xml_escape(title), xml_escape(description));
}

void Svg::line(double x1, double y1, double x2, double y2, std::string_view stroke, std::string_view extra) {
  out_ += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"{}{}/>\n", x1, y1, x2, y2,
                      stroke, extra.empty() ? "" : " ", extra);
}

void Svg::rect(double x, double y, double w, double h, std::string_view fill, std::string_view tip, std::string_view extra) {
  std::string attrs = fmt::format("x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"{}{}", x, y,
                                  std::max(w, 0.0), std::max(h, 0.0), fill, extra.empty() ? "" : " ", extra);
  if (tip.empty()) out_ += fmt::format("<rect {}/>\n", attrs);
  else out_ += fmt::format("<rect {}>{}</rect>\n", attrs, tip_element(tip));
}

void Svg::circle(double cx, double cy, double r, std::string_view fill, std::string_view tip) {
  std::string attrs = fmt::format("cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{:.1f}\" fill=\"{}\"", cx, cy, r, fill);
  if (tip.empty()) out_ += fmt::format("<circle {}/>\n", attrs);
  else out_ += fmt::format("<circle {}>{}</circle>\n", attrs, tip_element(tip));
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, std::string_view stroke, double stroke_width) {
  std::string p;
  for (const auto& [x, y] : points) p += fmt::format("{}{:.1f},{:.1f}", p.empty() ? "" : " ", x, y);
  out_ += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{:.1f}\"/>\n", p, stroke,
                      stroke_width);
}

void Svg::text(double x, double y, std::string_view content, std::string_view anchor, std::string_view extra) {
  out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\"{}{}{}{}>{}</text>\n", x, y,
                      anchor == "start" ? "" : " text-anchor=\"", anchor == "start" ? "" : anchor,
                      anchor == "start" ? "" : "\"", extra.empty() ? "" : " " + std::string(extra), xml_escape(content));
}

void y_axis(Svg& svg, const Linear& y, const Ticks& ticks, double x, Side side, double grid_from, double grid_to,
            const std::function<std::string(double)>& label, std::string_view title, std::string_view color) {
  double outward = side == Side::left ? -1 : 1;
  svg.line(x, y(ticks.lo()), x, y(ticks.hi()), color);
  double widest = 0;
  for (double v : ticks.values) {
    double at = y(v);
    if (grid_from != grid_to) svg.line(grid_from, at, grid_to, at, grid);
    svg.line(x, at, x + 4 * outward, at, color);
    std::string text = label(v);
    widest = std::max(widest, 7.0 * static_cast<double>(text.size()));
    svg.text(x + 7 * outward, at + 4, text, side == Side::left ? "end" : "start", fmt::format("fill=\"{}\"", color));
  }
  double tx = x + outward * (widest + 18);
  double ty = (y(ticks.lo()) + y(ticks.hi())) / 2;
  svg.text(tx, ty, title, "middle",
           fmt::format("fill=\"{}\" transform=\"rotate({} {:.1f} {:.1f})\"", color, side == Side::left ? -90 : 90, tx, ty));
}

void band_labels(Svg& svg, const Bands& x, const std::vector<std::string>& labels, double y) {
  // Every label when they fit, else every k-th, so that none overlap; a label that
  // would run past the chart's edge is aligned to it instead, and a label that would
  // then touch its neighbour is left out.
  double widest = 0;
  for (const auto& l : labels) widest = std::max(widest, 7.0 * static_cast<double>(l.size()) + 8);
  std::size_t every = widest <= x.width() ? 1 : static_cast<std::size_t>(std::ceil(widest / x.width()));
  struct Placed {
    std::size_t index;
    double left, right;
    const char* anchor;
  };
  std::vector<Placed> placed;
  for (std::size_t i = 0; i < labels.size(); i += every) {
    double half = 3.5 * static_cast<double>(labels[i].size());
    double at = x.centre(i);
    if (at - half < 2) placed.push_back({i, 2, 2 + 2 * half, "start"});
    else if (at + half > svg.width() - 2) placed.push_back({i, svg.width() - 2 - 2 * half, svg.width() - 2, "end"});
    else placed.push_back({i, at - half, at + half, "middle"});
  }
  // The first and last labels are kept before their neighbours.
  std::vector<Placed> kept;
  for (std::size_t k = 0; k < placed.size(); ++k) {
    const Placed& p = placed[k];
    if (!kept.empty() && kept.back().right + 4 > p.left) {
      if (k + 1 != placed.size() || kept.size() < 2) continue;
      kept.pop_back();
    }
    kept.push_back(p);
  }
  for (const auto& p : kept) {
    double at = std::string_view(p.anchor) == "start" ? p.left : std::string_view(p.anchor) == "end" ? p.right : (p.left + p.right) / 2;
    svg.text(at, y, labels[p.index], p.anchor);
  }
}

void legend(Svg& svg, double x, double y, const std::vector<LegendItem>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    double at = y + 18 * static_cast<double>(i);
    const auto& item = items[i];
    switch (item.kind) {
      case LegendItem::Kind::line: svg.line(x, at - 4, x + 18, at - 4, item.color, "stroke-width=\"2\""); break;
      case LegendItem::Kind::bar: svg.rect(x + 3, at - 10, 12, 12, item.color); break;
      case LegendItem::Kind::dashed:
        svg.line(x + 9, at - 12, x + 9, at + 3, item.color, "stroke-width=\"2\" stroke-dasharray=\"4 3\"");
        break;
    }
    svg.text(x + 24, at, item.label);
  }
}

namespace {

constexpr std::array<const char*, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// The UTC instants of local midnights (or of local hours, every `hours`) in [from, to].
std::vector<TimeTick> hour_ticks(const Zone& zone, std::int64_t from, std::int64_t to, int hours) {
  std::vector<TimeTick> out;
  std::int64_t step = static_cast<std::int64_t>(hours) * 3'600'000;
  std::int64_t local = utc_to_local(zone, from);
  for (std::int64_t t = floor_div(local + step - 1, step) * step;; t += step) {
    std::int64_t at = local_to_utc(zone, t);
    if (at > to) break;
    // A local time in a DST gap has no tick (its instant is the next hour's).
    if (at < from || utc_to_local(zone, at) != t) continue;
    std::int64_t day = floor_div(t, ms_per_day);
    std::int64_t in_day = t - day * ms_per_day;
    int y;
    unsigned m, d;
    civil_from_days(day, y, m, d);
    out.push_back({at, in_day == 0 ? fmt::format("{} {}", d, month_names[m - 1])
                                   : fmt::format("{:02}:00", in_day / 3'600'000)});
  }
  return out;
}

std::vector<TimeTick> day_ticks(const Zone& zone, std::int64_t from, std::int64_t to, int days, bool mondays) {
  std::vector<TimeTick> out;
  for (std::int64_t day = floor_div(utc_to_local(zone, from) + ms_per_day - 1, ms_per_day);; ++day) {
    std::int64_t at = local_to_utc(zone, day * ms_per_day);
    if (at > to) break;
    if (at < from) continue;
    if (mondays ? weekday_from_days(day) != 0 : day % days != 0) continue;
    int y;
    unsigned m, d;
    civil_from_days(day, y, m, d);
    out.push_back({at, fmt::format("{} {}", d, month_names[m - 1])});
  }
  return out;
}

std::vector<TimeTick> month_ticks(const Zone& zone, std::int64_t from, std::int64_t to, int months) {
  std::vector<TimeTick> out;
  int y;
  unsigned m, d;
  civil_from_days(floor_div(utc_to_local(zone, from), ms_per_day), y, m, d);
  for (std::int64_t index = static_cast<std::int64_t>(y) * 12 + (m - 1);; ++index) {
    int year = static_cast<int>(floor_div(index, 12));
    auto month = static_cast<unsigned>(index - static_cast<std::int64_t>(year) * 12 + 1);
    std::int64_t at = local_to_utc(zone, days_from_civil(year, month, 1) * ms_per_day);
    if (at > to) break;
    if (at < from || index % months != 0) continue;
    out.push_back({at, months == 12 ? fmt::format("{}", year) : fmt::format("{} {}", month_names[month - 1], year)});
  }
  return out;
}

}  // namespace

std::vector<TimeTick> time_ticks(const Zone& zone, std::int64_t from, std::int64_t to, int max_count) {
  if (to < from) std::swap(from, to);
  auto count = static_cast<std::size_t>(std::max(max_count, 1));
  std::int64_t span = to - from;
  // The expected count decides before the ticks are made, so that a century is not
  // cut into hours first.
  for (int hours : {1, 2, 3, 6, 12}) {
    if (span / (hours * 3'600'000LL) + 1 <= static_cast<std::int64_t>(count)) {
      auto t = hour_ticks(zone, from, to, hours);
      if (t.size() <= count) return t;
    }
  }
  for (int days : {1, 2, 7}) {
    if (span / (days * ms_per_day) + 1 <= static_cast<std::int64_t>(count)) {
      auto t = day_ticks(zone, from, to, days, days == 7);
      if (t.size() <= count) return t;
    }
  }
  for (int months : {1, 3, 12}) {
    if (span / (months * 28 * ms_per_day) <= static_cast<std::int64_t>(count) + 1) {
      auto t = month_ticks(zone, from, to, months);
      if (t.size() <= count) return t;
    }
  }
  // Longer than max_count years: every k-th year.
  auto t = month_ticks(zone, from, to, 12);
  std::size_t every = (t.size() + count - 1) / count;
  std::vector<TimeTick> out;
  for (std::size_t i = 0; i < t.size(); i += every) out.push_back(t[i]);
  return out;
}

void x_time_axis(Svg& svg, const Linear& x, const std::vector<TimeTick>& ticks, double x_from, double x_to, double y,
                 double grid_from, double grid_to) {
  svg.line(x_from, y, x_to, y, ink);
  for (const auto& tick : ticks) {
    double at = x(static_cast<double>(tick.at));
    if (grid_from != grid_to) svg.line(at, grid_from, at, grid_to, grid);
    svg.line(at, y, at, y + 4, ink);
    svg.text(at, y + 16, tick.label, "middle");
  }
}

}  // namespace slac::chart
