// `slac report` (SPEC 5.5): the month-end report as one self-contained HTML file that
// a customer, a finance team and an operator can read, offline and in print. Every
// figure is eval's (the same functions print it); charts are drawn by chart/.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/source.hpp"
#include "compiler/plan.hpp"
#include "runtime/coverage.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/ingest/dataset.hpp"
#include "status/status.hpp"

namespace slac::report {

// How many group-windows of an SLA get an outage timeline and a burn-down (breaches
// first, then near misses, each in window and group order); the breach table lists
// them all. Keeps the report of a large estate small enough to open (issue 16: 1,000
// sites x 12 windows under 10 MB).
inline constexpr std::size_t max_details_per_sla = 40;
// How many outages a timeline lists in its table under the chart.
inline constexpr std::size_t max_outage_rows = 12;
// How many groups of a KPI get a small chart; the heat map shows every group.
inline constexpr std::size_t max_kpi_charts = 48;
// Windows per heat-map table: more windows (rolling or daily ones) make several
// tables, each of which fits a printed page.
inline constexpr std::size_t heatmap_columns = 12;
// Heat-map rows shown per page when script runs (all rows without script and in print).
inline constexpr std::size_t heatmap_page_rows = 100;

// The windows in progress at `as_of` (slac status over the data before it).
struct StatusSection {
  std::int64_t as_of = 0;
  std::vector<rt::StatusRow> rows;
  std::vector<rt::Warning> warnings;  // rt::status_warnings: --as-of outside the data, silent sites
};

struct Input {
  const Plan& plan;
  const SourceManager& sources;              // the contract's text, for its terms as written
  const rt::Evaluation& ev;
  const std::vector<rt::SlaSeries>& series;  // what ev was judged from: timelines are drawn from it
  const rt::Dataset& data;
  const rt::Coverage& coverage;
  const std::vector<rt::Warning>& warnings;
  std::vector<std::size_t> selected;         // the SLAs and KPIs reported on, declaration order
  std::string contract_path;                 // its file name, for the footer
  std::vector<std::string> contract_warnings;  // the checker's warnings (W001 with --set, say), located
  const StatusSection* status = nullptr;     // with --as-of
};

// The report's HTML: deterministic bytes for the same input.
std::string report_html(const Input& input);

}  // namespace slac::report
