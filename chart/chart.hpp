// Charts as SVG, drawn by one module (issue 16): linear scales, axes with round ticks,
// legends, Okabe and Ito's colour-blind-safe palette, and a <title> for the chart and
// for every mark that carries a figure, so that a screen reader (and a tooltip) reads
// it. Every number is written with a fixed number of decimals: the same chart gives
// the same bytes. Coordinates are in SVG user units (px at 100%); figures drawn are
// doubles (a chart places marks; the figures it labels come in as text).
#pragma once
#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"

namespace slac::chart {

// Okabe, M. and Ito, K. (2008), "Color Universal Design": distinguishable under the
// common colour-vision deficiencies. Series take them in this order.
inline constexpr std::array<const char*, 7> palette = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                       "#56B4E9", "#D55E00", "#000000"};
inline constexpr const char* good = "#009E73";      // bluish green: met
inline constexpr const char* bad = "#D55E00";       // vermillion: breached, penalties
inline constexpr const char* warning = "#E69F00";   // orange: near misses
inline constexpr const char* ink = "#222222";       // text and axes
inline constexpr const char* grid = "#dddddd";

// Round tick values covering [lo, hi]: multiples of 1, 2 or 5 times a power of ten,
// at most `max_count` intervals (two for a range across zero), the first at or below
// lo and the last at or above hi; `decimals` is how many decimals their labels need. lo == hi gives the ticks from
// zero to the value ([0, 1] for zero); a non-finite bound, those of [0, 1].
struct Ticks {
  std::vector<double> values;
  int decimals = 0;
  double lo() const { return values.front(); }
  double hi() const { return values.back(); }
};
Ticks nice_ticks(double lo, double hi, int max_count = 5);

// The value `v` with `decimals` decimals, thousands grouped with `,` ("12,500").
std::string number_text(double v, int decimals);

// A linear map of the domain [d0, d1] onto the range [r0, r1] (d0 == d1: the middle).
class Linear {
 public:
  Linear(double d0, double d1, double r0, double r1) : d0_(d0), d1_(d1), r0_(r0), r1_(r1) {}
  double operator()(double v) const {
    return d1_ == d0_ ? (r0_ + r1_) / 2 : r0_ + (v - d0_) / (d1_ - d0_) * (r1_ - r0_);
  }

 private:
  double d0_, d1_, r0_, r1_;
};

// Evenly spaced bands for categories (the x of a bar or point chart): category i's
// centre, and the width of a band.
class Bands {
 public:
  Bands(std::size_t count, double r0, double r1) : count_(count), r0_(r0), r1_(r1) {}
  double centre(std::size_t i) const {
    return count_ == 0 ? (r0_ + r1_) / 2 : r0_ + width() * (static_cast<double>(i) + 0.5);
  }
  double width() const { return count_ == 0 ? r1_ - r0_ : (r1_ - r0_) / static_cast<double>(count_); }

 private:
  std::size_t count_;
  double r0_, r1_;
};

// An SVG document, built mark by mark. `title` and `description` become its
// accessible name and description (<title>, <desc>, role="img").
class Svg {
 public:
  Svg(double width, double height, std::string_view title, std::string_view description);
  double width() const { return width_; }
  double height() const { return height_; }
  // Marks. `tip`, when not empty, is the mark's <title>: the figure it shows, in words.
  void line(double x1, double y1, double x2, double y2, std::string_view stroke, std::string_view extra = "");
  void rect(double x, double y, double w, double h, std::string_view fill, std::string_view tip = "",
            std::string_view extra = "");
  void circle(double cx, double cy, double r, std::string_view fill, std::string_view tip = "");
  void polyline(const std::vector<std::pair<double, double>>& points, std::string_view stroke, double stroke_width = 2);
  // anchor: start, middle or end; extra: further attributes (`font-weight="bold"`).
  void text(double x, double y, std::string_view content, std::string_view anchor = "start", std::string_view extra = "");
  // Raw SVG, for what the marks above do not cover; the caller escapes.
  void raw(std::string_view svg) { out_ += svg; }
  std::string finish() const { return out_ + "</svg>\n"; }

 private:
  double width_, height_;
  std::string out_;
};

enum class Side { left, right };

// A vertical axis at x: its line, each tick with its grid line across [grid_from,
// grid_to] (none when equal) and its label, and the axis title written along it.
void y_axis(Svg& svg, const Linear& y, const Ticks& ticks, double x, Side side, double grid_from, double grid_to,
            const std::function<std::string(double)>& label, std::string_view title, std::string_view color = ink);

// The labels of the categories under a band axis at y.
void band_labels(Svg& svg, const Bands& x, const std::vector<std::string>& labels, double y);

// A legend: one line per item from (x, y) down, its swatch drawn by kind.
struct LegendItem {
  enum class Kind { line, bar, dashed } kind;
  std::string color;
  std::string label;
};
void legend(Svg& svg, double x, double y, const std::vector<LegendItem>& items);

// Ticks of a time axis over [from, to] (UTC ms) at round local times of `zone`, so that
// a chart of a window reads in the window's own zone, DST changes included: every 1,
// 2, 3, 6 or 12 hours, every 1 or 2 days or every week (Mondays) at local midnight,
// or the first of every 1, 3 or 12 months; the finest with at most `max_count` ticks
// inside [from, to]. Labels: `14:00` (`3 Mar` at midnight), `3 Mar`, `Mar 2026`.
struct TimeTick {
  std::int64_t at;
  std::string label;
};
std::vector<TimeTick> time_ticks(const Zone& zone, std::int64_t from, std::int64_t to, int max_count = 8);

// A horizontal time axis at y: its line from x(from) to x(to), each tick with its
// grid line from grid_from to grid_to (none when equal) and its label under it.
void x_time_axis(Svg& svg, const Linear& x, const std::vector<TimeTick>& ticks, double x_from, double x_to, double y,
                 double grid_from, double grid_to);

}  // namespace slac::chart
