// The report document (report.hpp): header and coverage, then per SLA its terms, the
// verdict strip, the heat map, the breach table and the outage timelines and
// burn-downs; KPIs as small charts; with --as-of, the status of the open windows.
// The figures come from the functions that print eval's JSON and table, and each
// carries its JSON text in a data- attribute, so that a test (and a reader's script)
// can check that the report says what eval says.
#include "report/report.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/xml.hpp"
#include "report/figures.hpp"
#include "runtime/output.hpp"

namespace slac::report {
namespace {

std::string esc(std::string_view s) { return xml_escape(s); }

constexpr std::array<const char*, 12> month_words = {"January", "February", "March",     "April",   "May",      "June",
                                                     "July",    "August",   "September", "October", "November", "December"};

// `1 January 2026`, the local date of an instant.
std::string date_words(const Zone& zone, std::int64_t utc) {
  int y;
  unsigned m, d;
  civil_from_days(floor_div(utc_to_local(zone, utc), ms_per_day), y, m, d);
  return fmt::format("{} {} {}", d, month_words[m - 1], y);
}

bool local_midnight(const Zone& zone, std::int64_t utc) { return floor_div(utc_to_local(zone, utc), ms_per_day) * ms_per_day == utc_to_local(zone, utc); }

// The span in words: `1 January 2026 to 31 March 2026` when it runs from midnight to
// midnight (the last day inclusive), with times otherwise.
std::string period_words(const Zone& zone, std::int64_t from, std::int64_t to) {
  if (local_midnight(zone, from) && local_midnight(zone, to) && to > from) {
    return fmt::format("{} to {}", date_words(zone, from), date_words(zone, to - 1));
  }
  return fmt::format("{} to {}", local_text(zone, from), local_text(zone, to));
}

// An SLA's penalties added up: eval has added them all into its total without
// overflow, so a part of it cannot overflow.
Decimal sum(const Decimal& a, const Decimal& b) { return add(a, b).value(); }

std::string attr(std::string_view name, std::string_view value) { return fmt::format(" {}=\"{}\"", name, esc(value)); }
std::string bool_text(bool b) { return b ? "true" : "false"; }

const char* style = R"CSS(
:root{--good:#009E73;--bad:#D55E00;--warn:#E69F00;--ink:#222;--muted:#5f5f5f;--grid:#ddd}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);margin:0 auto;max-width:1120px;padding:24px}
h1{font-size:26px;margin:0 0 2px}
h2{font-size:21px;border-bottom:2px solid var(--ink);padding-bottom:4px;margin:40px 0 10px}
h3{font-size:16px;margin:22px 0 6px}
p{margin:4px 0 8px}
.muted,figcaption,.note{color:var(--muted)}
.note{font-size:12px}
table{border-collapse:collapse;margin:6px 0 10px;font-variant-numeric:tabular-nums}
th,td{padding:3px 8px;border-bottom:1px solid var(--grid);text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #999;background:#fafafa}
.num{text-align:right}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}
.card{border:1px solid var(--grid);border-radius:6px;padding:8px 14px;min-width:150px}
.card .big{font-size:22px;font-weight:600;display:block}
dl#coverage{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
dl#coverage dt{color:var(--muted)} dl#coverage dd{margin:0}
.terms{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px}
pre.as-written{background:#f5f5f5;border:1px solid var(--grid);padding:8px 10px;margin:0;white-space:pre-wrap;font-size:12.5px}
.in-words ul{margin:0;padding-left:18px}
.verdict-met{color:#00704f;font-weight:600}.verdict-breached{color:#b34700;font-weight:600}
.heatmap-wrap{overflow-x:auto}
table.heatmap td{text-align:center;font-size:12px;white-space:nowrap;min-width:62px}
table.heatmap tbody th{font-weight:600;max-width:16em;overflow-wrap:anywhere}
table.heatmap thead th{font-size:12px;max-width:9em}
td{overflow-wrap:anywhere}
td.met{background:#d9f0e7} td.near-miss{background:#fde7b8} td.breach{background:#f7cdb7;font-weight:700} td.none{color:#999}
td.kpi{background:#e6f0f8}
.key span{display:inline-block;padding:0 8px;margin-right:6px;border-radius:3px}
tr.near-miss td{background:#fff7e6}
th.sort{cursor:pointer;text-decoration:underline dotted}
th[aria-sort=ascending]::after{content:" \25B2"} th[aria-sort=descending]::after{content:" \25BC"}
.pager{margin:4px 0 12px;display:flex;gap:8px;align-items:center}
.pager button{font:inherit;padding:2px 10px}
tr.paged-out{display:none}
figure{margin:10px 0 16px;break-inside:avoid}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:12px}
.detail{border-top:1px solid var(--grid);padding-top:8px;break-inside:avoid}
.small-multiples{display:flex;flex-wrap:wrap;gap:8px}
.small-multiples figure{margin:0}
footer{margin-top:40px;border-top:1px solid var(--grid);padding-top:8px;font-size:12px;color:var(--muted)}
nav#contents ol{margin:4px 0;padding-left:20px}
@media (max-width:800px){.terms{grid-template-columns:1fr}}
@media print{
 @page{margin:14mm}
 body{max-width:none;padding:0;font-size:10.5px}
 section.sla,section#status{break-before:page}
 nav#contents,.pager{display:none}
 tr.paged-out{display:table-row}
 .heatmap-wrap{overflow:visible}
 thead{display:table-header-group}
 tr,figure,.detail{break-inside:avoid}
 h2,h3,h4,p.note,p.key{break-after:avoid}
 table.heatmap td{min-width:0;padding:2px;font-size:9px}
 table.heatmap thead th{font-size:9px;padding:2px}
 table.heatmap tbody th{white-space:nowrap;padding:2px 4px}
 tfoot{display:table-row-group}
 .small-multiples figure{flex:0 0 calc((100% - 24px)/4)}
 th.sort{text-decoration:none}
 .screen-only{display:none}
 td.met,td.near-miss,td.breach,td.kpi,tr.near-miss td,.key span{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}
}
)CSS";

// Sorting of heat maps by a column (worst first, then back), and pages of rows: only
// what script can add to tables that read in full without it.
const char* script = R"JS(
(function () {
  "use strict";
  function pages(table) {
    var size = Number(table.getAttribute("data-page-size"));
    var rows = table.tBodies[0].rows;
    if (!size || rows.length <= size) return;
    var pager = table.parentNode.nextElementSibling;
    if (!pager || !pager.classList.contains("pager")) {
      pager = document.createElement("div");
      pager.className = "pager";
      var prev = document.createElement("button"), next = document.createElement("button"), label = document.createElement("span");
      prev.type = next.type = "button";
      prev.textContent = "previous";
      next.textContent = "next";
      pager.appendChild(prev); pager.appendChild(label); pager.appendChild(next);
      table.parentNode.parentNode.insertBefore(pager, table.parentNode.nextSibling);
      prev.addEventListener("click", function () { show(table, Number(table.getAttribute("data-page")) - 1); });
      next.addEventListener("click", function () { show(table, Number(table.getAttribute("data-page")) + 1); });
    }
    show(table, 0);
  }
  function show(table, page) {
    var size = Number(table.getAttribute("data-page-size"));
    var rows = table.tBodies[0].rows, count = Math.ceil(rows.length / size);
    page = Math.max(0, Math.min(page, count - 1));
    table.setAttribute("data-page", String(page));
    for (var i = 0; i < rows.length; i++) rows[i].classList.toggle("paged-out", Math.floor(i / size) !== page);
    var pager = table.parentNode.nextElementSibling;
    pager.querySelector("span").textContent = "rows " + (page * size + 1) + "\u2013" + Math.min(rows.length, (page + 1) * size) + " of " + rows.length;
  }
  function key(row, index, kind) {
    var cell = row.cells[index];
    if (kind === "group") return row.getAttribute("data-group");
    var a = cell.getAttribute("data-attainment");
    return a === null ? Infinity : Number(a);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      th.classList.add("sort");
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { if (h.hasAttribute("aria-sort")) h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(table.tBodies[0].rows);
        rows.sort(function (a, b) {
          var x = key(a, index, kind), y = key(b, index, kind);
          var c = x < y ? -1 : x > y ? 1 : 0;
          if (!ascending) c = -c;
          if (c === 0) c = a.getAttribute("data-group") < b.getAttribute("data-group") ? -1 : 1;
          return c;
        });
        rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
        pages(table);
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
    pages(table);
  });
})();
)JS";

class Writer {
 public:
  explicit Writer(const Input& in) : in_(in), plan_(in.plan), model_(*in.plan.model) {}
  std::string take();

 private:
  void header();
  void contents();
  void sla_section(std::size_t sla);
  void terms(const SlaPlan& s);
  void verdicts(std::size_t sla);
  void heatmap(std::size_t sla, const std::vector<const rt::ResultRow*>& rows);
  void breaches(std::size_t sla, const std::vector<const rt::ResultRow*>& rows);
  void details(std::size_t sla, const std::vector<const rt::ResultRow*>& rows);
  void kpi_charts(std::size_t sla, const std::vector<const rt::ResultRow*>& rows);
  void status_section();
  std::string money(const Decimal& d) const { return rt::money(d, model_.currency); }
  const Zone& row_zone(const rt::ResultRow& r) const { return rt::window_zone(model_, in_.ev, r.zone); }
  std::string label(const rt::ResultRow& r) const {
    return rt::window_label(plan_.slas[r.sla], row_zone(r), r.window_start, r.window_end);
  }

  const Input& in_;
  const Plan& plan_;
  const Model& model_;
  std::string out_;
};

void Writer::header() {
  const rt::Evaluation& ev = in_.ev;
  const rt::DataCounts& counts = in_.data.counts;
  out_ += "<header id=\"summary\">\n";
  out_ += fmt::format("<h1>{}</h1>\n", esc(model_.name));
  out_ += fmt::format("<p class=\"customer\">{}</p>\n",
                      model_.customer ? "Customer: " + esc(*model_.customer) : "No customer named in the contract");
  out_ += fmt::format("<p id=\"period\"{}{}>Period: <strong>{}</strong> ({} time){}</p>\n", attr("data-from", format_instant(ev.from)),
                      attr("data-to", format_instant(ev.to)), esc(period_words(model_.timezone, ev.from, ev.to)),
                      esc(model_.timezone.name),
                      in_.status ? fmt::format("; the windows in progress as of <a href=\"#status\">{}</a>",
                                               esc(local_text(model_.timezone, in_.status->as_of)))
                                 : std::string());
  // The verdicts at a glance.
  std::size_t windows = 0, breached = 0;
  for (const auto& v : ev.verdicts) {
    ++windows;
    if (!v.met) ++breached;
  }
  std::size_t groups_breached = 0, near = 0;
  for (const auto& r : ev.rows) {
    if (plan_.slas[r.sla].is_kpi) continue;
    if (!r.met) ++groups_breached;
    if (r.near_miss) ++near;
  }
  out_ += "<div class=\"cards\">\n";
  out_ += fmt::format("<div class=\"card\"><span class=\"big\" id=\"total-penalty\"{}>{}</span> total penalty</div>\n",
                      attr("data-amount", ev.total_penalty.to_string()), esc(money(ev.total_penalty)));
  if (std::any_of(in_.selected.begin(), in_.selected.end(), [&](std::size_t i) { return !plan_.slas[i].is_kpi; })) {
    out_ += fmt::format("<div class=\"card\"><span class=\"big\">{} of {}</span> SLA windows breached</div>\n", breached, windows);
    out_ += fmt::format("<div class=\"card\"><span class=\"big\">{}</span> group-windows breached</div>\n", groups_breached);
    out_ += fmt::format("<div class=\"card\"><span class=\"big\">{}</span> near misses (met, but close)</div>\n", near);
  } else {
    out_ += "<div class=\"card\">KPIs only: nothing in this report<br>is judged against a target</div>\n";
  }
  out_ += "</div>\n";
  // Who breached, at a glance: per SLA, each breached group with its windows.
  std::vector<std::string> lines;
  for (std::size_t i : in_.selected) {
    const SlaPlan& s = plan_.slas[i];
    if (s.is_kpi) continue;
    std::map<std::string, std::vector<std::string>> windows_of;
    for (const auto& r : ev.rows) {
      if (r.sla == i && !r.met) windows_of[r.group].push_back(label(r));
    }
    if (windows_of.empty()) continue;
    std::vector<std::string> parts;
    for (const auto& [group, windows] : windows_of) {
      if (parts.size() == 12) {
        parts.push_back(fmt::format("and {} more", windows_of.size() - 12));
        break;
      }
      parts.push_back(fmt::format("<strong>{}</strong> ({})", esc(group), esc(fmt::format("{}", fmt::join(windows, ", ")))));
    }
    lines.push_back(fmt::format("<li><a href=\"#sla-{}\">{}</a>: {}</li>", esc(s.name), esc(s.name), fmt::join(parts, "; ")));
  }
  if (!lines.empty()) out_ += fmt::format("<p>Breached:</p>\n<ul id=\"breached\">\n{}\n</ul>\n", fmt::join(lines, "\n"));
  // What the data covers (SPEC 5.5): events used, left out, first and last, silence.
  const rt::Coverage& c = in_.coverage;
  out_ += "<h3>Data</h3>\n<dl id=\"coverage\"";
  out_ += attr("data-events", std::to_string(counts.events));
  out_ += attr("data-skipped-rows", std::to_string(counts.skipped_rows));
  out_ += attr("data-unknown-entities", std::to_string(counts.unknown_entities));
  out_ += attr("data-undeclared-signals", std::to_string(counts.undeclared_signals));
  if (c.first_event) out_ += attr("data-first-event", format_instant(*c.first_event));
  if (c.last_event) out_ += attr("data-last-event", format_instant(*c.last_event));
  out_ += ">\n";
  auto item = [&](std::string_view term, const std::string& value) {
    out_ += fmt::format("<dt>{}</dt><dd>{}</dd>\n", esc(term), value);
  };
  item("Events used", group_thousands(std::to_string(counts.events)));
  item("Rows skipped (malformed)", group_thousands(std::to_string(counts.skipped_rows)));
  item("Rows of unknown sites or devices", group_thousands(std::to_string(counts.unknown_entities)));
  item("Rows of undeclared signals", group_thousands(std::to_string(counts.undeclared_signals)));
  item("First event", c.first_event ? esc(local_text(model_.timezone, *c.first_event)) : "none");
  item("Last event", c.last_event ? esc(local_text(model_.timezone, *c.last_event)) : "none");
  item("Sites and devices", fmt::format("{} sites, {} devices", in_.data.sites.size(), in_.data.devices.size()));
  if (c.silent_sites.empty()) {
    item("Sites silent before the end", "none");
  } else {
    std::string list;
    for (const auto& s : c.silent_sites) {
      if (!list.empty()) list += ", ";
      list += esc(in_.data.sites[s.site].id) + " (" +
              (s.last_event ? "last event " + esc(local_text(model_.timezone, *s.last_event)) : std::string("no event at all")) + ")";
    }
    item(fmt::format("Sites silent for over {} before the end", rt::human_duration(c.grace)), list);
  }
  out_ += "</dl>\n";
  if (!in_.contract_warnings.empty()) {
    out_ += "<p>The contract has warnings:</p>\n<ul class=\"contract-warnings\">\n";
    for (const auto& w : in_.contract_warnings) out_ += fmt::format("<li><code>{}</code></li>\n", esc(w));
    out_ += "</ul>\n";
  }
  if (!in_.warnings.empty()) {
    out_ += "<ul class=\"warnings\">\n";
    for (const auto& w : in_.warnings) out_ += fmt::format("<li{}>{}</li>\n", attr("data-code", w.code), esc(w.message));
    out_ += "</ul>\n";
  }
  // Params set on the command line change the terms: say so.
  std::vector<std::string> set;
  for (std::size_t i = 0; i < model_.params.size(); ++i) {
    if (!(plan_.params[i] == model_.params[i].value)) {
      set.push_back(fmt::format("<code>{} = {}</code> (the contract says {})", esc(model_.params[i].name),
                                esc(plan_.params[i].to_string()), esc(model_.params[i].value.to_string())));
    }
  }
  if (!set.empty()) out_ += fmt::format("<p class=\"params-set\">Terms changed for this report: {}.</p>\n", fmt::join(set, "; "));
  out_ += "</header>\n";
}

void Writer::contents() {
  out_ += "<nav id=\"contents\"><h3>Contents</h3><ol>\n";
  for (std::size_t i : in_.selected) {
    const SlaPlan& s = plan_.slas[i];
    out_ += fmt::format("<li><a href=\"#sla-{0}\">{1} {0}</a></li>\n", esc(s.name), s.is_kpi ? "KPI" : "SLA");
  }
  if (in_.status) out_ += "<li><a href=\"#status\">Windows in progress</a></li>\n";
  out_ += "</ol></nav>\n";
}

void Writer::terms(const SlaPlan& s) {
  out_ += "<div class=\"terms\">\n<div><h3>As written</h3>\n<pre class=\"as-written\">";
  out_ += esc(in_.sources.text(model_.slas[static_cast<std::size_t>(&s - plan_.slas.data())].text));
  out_ += "</pre></div>\n<div class=\"in-words\"><h3>In plain words</h3>\n<ul>\n";
  // explain's lines for the SLA, each condition as the contract writes it.
  std::string words = explain_sla(plan_, s, [&](NodeId n) {
    const PlanNode& node = plan_.nodes[n];
    std::string text(trim_blanks(in_.sources.text(node.source)));
    return text.empty() ? std::string("(the condition)") : "\u201c" + text + "\u201d";
  });
  std::vector<const PlanAmount*> amounts;
  if (s.penalty) amounts.push_back(&*s.penalty);
  for (const auto& t : s.tiers) amounts.push_back(&t.amount);
  if (s.cap) amounts.push_back(&*s.cap);
  std::size_t at = 0;
  while (at < words.size()) {
    std::size_t end = words.find('\n', at);
    if (end == std::string::npos) end = words.size();
    std::string_view line = trim_blanks(std::string_view(words).substr(at, end - at));
    at = end + 1;
    if (line.empty()) continue;
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && colon < 14) {
      std::string_view key = line.substr(0, colon);
      std::string value(trim_blanks(line.substr(colon + 1)));
      // Amounts as money (`10,000 GBP`), as the tables give them; explain keeps the
      // contract's text.
      if (key == "penalty" || key == "cap") {
        for (const PlanAmount* amount : amounts) {
          if (!value.starts_with(amount->text + " ")) continue;
          value = rt::amount_terms(*amount, model_.currency) + value.substr(amount->text.size());
          break;
        }
      }
      out_ += fmt::format("<li><strong>{}</strong>: {}</li>\n", esc(key), esc(value));
    } else {
      out_ += fmt::format("<li>{}</li>\n", esc(line));
    }
  }
  out_ += "</ul></div>\n</div>\n";
}

void Writer::verdicts(std::size_t sla) {
  std::vector<StripCell> cells;
  std::string rows;
  Decimal total;
  // With a cap, what the groups' penalties came to before it, per window.
  std::map<std::string, Decimal> uncapped;
  if (plan_.slas[sla].cap && rt::per_group_penalty(plan_.slas[sla])) {
    for (const auto& r : in_.ev.rows) {
      if (r.sla == sla && r.penalty) uncapped[label(r)] = sum(uncapped[label(r)], *r.penalty);
    }
  }
  for (const auto& v : in_.ev.verdicts) {
    if (v.sla != sla) continue;
    const Zone& zone = rt::window_zone(model_, in_.ev, v.zone);
    std::string label = rt::window_label(plan_.slas[sla], zone, v.window_start, v.window_end);
    std::string start = v.local_window ? format_local_instant(zone, v.window_start) : format_instant(v.window_start);
    std::string end = v.local_window ? format_local_instant(zone, v.window_end) : format_instant(v.window_end);
    cells.push_back({label, v.met,
                     fmt::format("{}: {} of {} groups met; penalty {}", label, v.groups_met, v.groups, money(v.penalty))});
    rows += fmt::format(
        "<tr{}{}{}{}{}{}><td>{}</td><td class=\"num\">{} of {}</td><td class=\"{}\">{}</td><td class=\"num\">{}</td></tr>\n",
        attr("data-window-start", start), attr("data-window-end", end), attr("data-met", bool_text(v.met)),
        attr("data-groups", std::to_string(v.groups)), attr("data-groups-met", std::to_string(v.groups_met)),
        attr("data-penalty", v.penalty.to_string()), esc(label), v.groups_met, v.groups,
        v.met ? "verdict-met" : "verdict-breached", v.met ? "met" : "breached",
        esc(money(v.penalty)) + (uncapped.contains(label) && uncapped[label] > v.penalty
                                     ? fmt::format("<br><span class=\"note\">capped; {} before the cap</span>",
                                                   esc(money(uncapped[label])))
                                     : std::string()));
    total = sum(total, v.penalty);
  }
  out_ += "<h3>Verdict per window</h3>\n";
  if (cells.empty()) {
    out_ += "<p class=\"note\">No complete window in the period.</p>\n";
    return;
  }
  out_ += "<figure>" + verdict_strip(plan_.slas[sla].name, cells) + "</figure>\n";
  out_ += "<table class=\"verdicts\"><thead><tr><th>Window</th><th class=\"num\">Groups met</th><th>Verdict</th>"
          "<th class=\"num\">Penalty</th></tr></thead>\n<tbody>\n" +
          rows + "</tbody>\n";
  out_ += fmt::format("<tfoot><tr class=\"total\"{}><th colspan=\"3\">Total</th><th class=\"num\">{}</th></tr></tfoot></table>\n",
                      attr("data-penalty", total.to_string()), esc(money(total)));
}

void Writer::heatmap(std::size_t sla, const std::vector<const rt::ResultRow*>& rows) {
  const SlaPlan& s = plan_.slas[sla];
  // Columns: the windows by label, in order (with `in site timezone` the same local
  // window has a different instant per zone); rows: the groups in id order.
  std::vector<std::string> labels;
  std::vector<std::string> column_start;
  std::map<std::string, std::size_t> column_of;
  std::map<std::string, std::vector<const rt::ResultRow*>> by_group;
  for (const auto* r : rows) {
    std::string l = label(*r);
    auto [it, added] = column_of.try_emplace(l, labels.size());
    if (added) {
      labels.push_back(l);
      column_start.push_back(format_instant(r->window_start));
    }
    auto& cells = by_group[r->group];
    cells.resize(labels.size());
    if (cells.size() <= it->second) cells.resize(it->second + 1);
    cells[it->second] = r;
  }
  out_ += fmt::format("<h3>{} by group and window</h3>\n", s.is_kpi ? "Attainment" : "Attainment against the target");
  if (!s.is_kpi) {
    out_ += fmt::format(
        "<p class=\"key note\"><span class=\"met\" style=\"background:#d9f0e7\">met</span><span style=\"background:#fde7b8\">"
        "\u25b3 near miss{}</span><span style=\"background:#f7cdb7;font-weight:700\">\u2717 breached</span>{}.<span "
        "class=\"screen-only\"> Click a column heading to sort by it.</span></p>\n",
        s.warn ? fmt::format(" (met, below {}%)", s.warn->to_string()) : "",
        s.target         ? esc(" " + rt::target_terms(s))
        : s.max_downtime ? esc(fmt::format(" at most {} of downtime", rt::exact_duration(*s.max_downtime)))
                         : "");
  }
  // At most heatmap_columns windows a table, so that a table fits the page in print.
  for (std::size_t c0 = 0; c0 < labels.size(); c0 += heatmap_columns) {
    std::size_t c1 = std::min(labels.size(), c0 + heatmap_columns);
    if (labels.size() > heatmap_columns) {
      out_ += fmt::format("<p class=\"note\">Windows {} to {} of {}: {} to {}</p>\n", c0 + 1, c1, labels.size(), esc(labels[c0]),
                          esc(labels[c1 - 1]));
    }
    out_ += fmt::format("<div class=\"heatmap-wrap\"><table class=\"heatmap sortable\"{}>\n<thead><tr><th data-sort=\"group\">Group</th>",
                        attr("data-page-size", std::to_string(heatmap_page_rows)));
    for (std::size_t i = c0; i < c1; ++i) {
      out_ += fmt::format("<th data-sort=\"window\"{}>{}</th>", attr("data-window-start", column_start[i]), esc(labels[i]));
    }
    out_ += "</tr></thead>\n<tbody>\n";
    bool events = rt::counts_events(s);
    for (const auto& [group, cells] : by_group) {
      out_ += fmt::format("<tr{}><th>{}</th>", attr("data-group", group), esc(group));
      for (std::size_t i = c0; i < c1; ++i) {
        const rt::ResultRow* r = i < cells.size() ? cells[i] : nullptr;
        if (!r) {
          out_ += "<td class=\"none\">\u2013</td>";
          continue;
        }
        std::string a;
        a += attr("data-window-start", format_instant(r->window_start));
        std::string attainment = rt::row_attainment_text(s, *r);
        if (attainment != "null") a += attr("data-attainment", attainment);
        if (events) {
          a += attr("data-measured-events", std::to_string(r->measured));
          a += attr("data-good-events", std::to_string(r->good));
        } else {
          a += attr("data-measured-s", rt::seconds_text(r->measured));
          a += attr("data-good-s", rt::good_seconds_text(*r));
        }
        if (r->outages_defined && !events) {
          a += attr("data-outages", std::to_string(r->outages));
          a += attr("data-longest-outage-s", rt::seconds_text(r->longest_outage));
        }
        std::string css = "kpi", mark;
        if (!s.is_kpi) {
          a += attr("data-met", bool_text(r->met));
          a += attr("data-near-miss", bool_text(r->near_miss));
          if (r->penalty && rt::per_group_penalty(s)) a += attr("data-penalty", r->penalty->to_string());
          css = !r->met ? "breach" : r->near_miss ? "near-miss" : "met";
          mark = !r->met ? "\u2717 " : r->near_miss ? "\u25b3 " : "";
        }
        if (s.rounding && r->rounded_attainment) a += attr("data-rounded-attainment", rt::rounded_text(*r));
        // A downtime objective without a percentage one is judged by the downtime: show it.
        std::string text = s.max_downtime && !s.target ? rt::human_duration(r->measured - r->good) + " down"
                           : !s.is_kpi && (s.target_of || s.rounding) ? rt::row_percent_text(s, *r)
                                                                      : rt::percent_text(*r);
        std::string tip = fmt::format("{}, {}: {}{}", r->group, labels[i], text,
                                      s.is_kpi ? "" : !r->met ? ", breached" : r->near_miss ? ", near miss" : ", met");
        out_ += fmt::format("<td class=\"{}\"{}{}>{}{}</td>", css, a, attr("title", tip), mark, esc(text));
      }
      out_ += "</tr>\n";
    }
    out_ += "</tbody></table></div>\n";
  }
}

// A row that charges a penalty (tiers charge met windows too).
bool charged(const rt::ResultRow& r) { return r.penalty && *r.penalty > Decimal{}; }

// A breached, near-miss or charged row, for the breach table and the details.
bool notable(const SlaPlan& s, const rt::ResultRow& r) {
  return !s.is_kpi && (!r.met || r.near_miss || (rt::per_group_penalty(s) && charged(r)));
}

// What a notable row is, in words.
const char* row_verdict(const rt::ResultRow& r) { return !r.met ? "breached" : r.near_miss ? "near miss" : "met, charged"; }

std::string detail_id(std::size_t sla, std::size_t index) { return fmt::format("d{}-{}", sla, index); }

// The rows that get a timeline: breaches first, then near misses, then met rows that
// were charged, each in row order.
std::vector<const rt::ResultRow*> detail_rows(const SlaPlan& s, const std::vector<const rt::ResultRow*>& rows) {
  std::vector<const rt::ResultRow*> out;
  for (int pass = 0; pass < 3; ++pass) {
    for (const auto* r : rows) {
      int kind = !r->met ? 0 : r->near_miss ? 1 : 2;
      if (notable(s, *r) && kind == pass && out.size() < max_details_per_sla) out.push_back(r);
    }
  }
  return out;
}

// Outages are defined (SPEC 4.4): what rt::window_timeline draws.
bool has_timeline(const SlaPlan& s) { return !rt::counts_events(s) && !device_time_measure(s.requirement); }

void Writer::breaches(std::size_t sla, const std::vector<const rt::ResultRow*>& rows) {
  const SlaPlan& s = plan_.slas[sla];
  std::vector<const rt::ResultRow*> list;
  for (const auto* r : rows) {
    if (notable(s, *r)) list.push_back(r);
  }
  out_ += "<h3>Breaches, near misses and penalties</h3>\n";
  if (list.empty()) {
    out_ += "<p class=\"note\">None: every group met the SLA in every window, none close to its target, and no "
            "penalty was charged.</p>\n";
    return;
  }
  auto drawn = has_timeline(s) ? detail_rows(s, rows) : std::vector<const rt::ResultRow*>{};
  bool per_group = rt::per_group_penalty(s);
  bool events = rt::counts_events(s);
  bool downtime = s.max_downtime.has_value();
  std::string extra = events            ? "<th class=\"num\">Good events</th><th class=\"num\">Counted</th>"
                      : has_timeline(s) ? "<th class=\"num\">Outages</th><th class=\"num\">Longest</th>"
                                        : "";
  if (downtime && !events) extra += "<th class=\"num\">Downtime</th>";
  out_ += fmt::format("<table class=\"breaches\"><thead><tr><th>Group</th><th>Window</th><th>Verdict</th>"
                      "<th class=\"num\">Attainment</th>{}<th class=\"num\">Penalty</th></tr></thead>\n<tbody>\n",
                      extra);
  for (const auto* r : list) {
    std::string a = attr("data-group", r->group) + attr("data-window-start", format_instant(r->window_start));
    std::string attainment = rt::row_attainment_text(s, *r);
    if (attainment != "null") a += attr("data-attainment", attainment);
    if (r->penalty && per_group) a += attr("data-penalty", r->penalty->to_string());
    std::string group = esc(r->group);
    auto at = std::find(drawn.begin(), drawn.end(), r);
    if (at != drawn.end()) group = fmt::format("<a href=\"#{}\">{}</a>", detail_id(sla, static_cast<std::size_t>(at - drawn.begin())), group);
    out_ += fmt::format("<tr{}{}><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>",
                        !r->met ? "" : r->near_miss ? " class=\"near-miss\"" : " class=\"charged\"", a, group, esc(label(*r)),
                        row_verdict(*r), esc(rt::row_percent_text(s, *r)));
    if (events) {
      out_ += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td>", group_thousands(std::to_string(r->good)),
                          group_thousands(std::to_string(r->measured)));
    } else if (has_timeline(s)) {
      out_ += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td>", group_thousands(std::to_string(r->outages)),
                          esc(rt::human_duration(r->longest_outage)));
    }
    if (downtime && !events) out_ += fmt::format("<td class=\"num\">{}</td>", esc(rt::human_duration(r->measured - r->good)));
    out_ += fmt::format("<td class=\"num\">{}</td></tr>\n",
                        r->penalty && per_group ? esc(money(*r->penalty)) : r->met ? "" : "see the verdict");
  }
  Decimal total;
  for (const auto& v : in_.ev.verdicts) {
    if (v.sla == sla) total = sum(total, v.penalty);
  }
  out_ += fmt::format("</tbody>\n<tfoot><tr class=\"total\"{}><th colspan=\"{}\">Total{}</th><th class=\"num\">{}</th></tr></tfoot></table>\n",
                      attr("data-penalty", total.to_string()), 4 + (events || has_timeline(s) ? 2 : 0) + (downtime && !events ? 1 : 0),
                      s.cap || !per_group ? " (the verdicts' penalties, after any cap)" : "", esc(money(total)));
}

void Writer::details(std::size_t sla, const std::vector<const rt::ResultRow*>& rows) {
  const SlaPlan& s = plan_.slas[sla];
  if (!has_timeline(s)) return;
  auto drawn = detail_rows(s, rows);
  if (drawn.empty()) return;
  const rt::SlaSeries* series = nullptr;
  for (const auto& x : in_.series) {
    if (x.sla == sla) series = &x;
  }
  if (!series) return;
  std::size_t notable_count = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [&](const auto* r) { return notable(s, *r); }));
  out_ += "<h3>Why: outage timelines and budget burn-downs</h3>\n";
  if (notable_count > drawn.size()) {
    out_ += fmt::format("<p class=\"note\">The first {} of {} rows of the table above (breaches first, then near misses, "
                        "then met windows charged); the table lists them all.</p>\n",
                        drawn.size(), notable_count);
  }
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    const rt::ResultRow& r = *drawn[i];
    auto g = std::lower_bound(series->groups.begin(), series->groups.end(), r.group,
                              [](const rt::GroupSeries& x, const std::string& id) { return x.id < id; });
    if (g == series->groups.end() || g->id != r.group) continue;
    auto timeline = rt::window_timeline(plan_, *series, *g, r.window_start, r.window_end);
    if (!timeline) continue;
    // Times in the site's own zone when the group is a site (its calendars, business
    // hours say, are mostly its own), else in the zone of its windows.
    const Zone& zone = g->site ? in_.data.sites[*g->site].zone : rt::group_zone(*series, *g);
    std::string name = fmt::format("{}, {}", r.group, label(r));
    std::string a = attr("data-group", r.group) + attr("data-window-start", format_instant(r.window_start));
    out_ += fmt::format("<div class=\"detail\" id=\"{}\">\n<h4>{} \u2014 {}: {}</h4>\n", detail_id(sla, i), esc(r.group),
                        esc(label(r)), row_verdict(r));
    out_ += fmt::format("<figure class=\"timeline\"{}>{}<figcaption>Outage timeline of {}: {} outage{}, the longest {}; measured "
                        "time shaded (times in {}).</figcaption></figure>\n",
                        a, timeline_svg(*timeline, zone, r.window_start, r.window_end, "Outage timeline of " + name), esc(name),
                        group_thousands(std::to_string(r.outages)), r.outages == 1 ? "" : "s",
                        esc(rt::human_duration(r.longest_outage)), esc(zone.name));
    // The outages in words, for print and for readers without a pointer.
    if (!timeline->outages.empty()) {
      out_ += "<table class=\"outages\"><thead><tr><th>Outage start</th><th>End</th><th class=\"num\">Measured</th></tr></thead><tbody>\n";
      std::vector<rt::WindowTimeline::Outage> longest = timeline->outages;
      std::stable_sort(longest.begin(), longest.end(), [](const auto& x, const auto& y) { return x.measured > y.measured; });
      if (longest.size() > max_outage_rows) longest.resize(max_outage_rows);
      std::sort(longest.begin(), longest.end(), [](const auto& x, const auto& y) { return x.start < y.start; });
      for (const auto& o : longest) {
        out_ += fmt::format("<tr{}><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n", attr("data-measured-s", rt::seconds_text(o.measured)),
                            esc(local_text(zone, o.start)), esc(local_text(zone, o.end)), esc(rt::human_duration(o.measured)));
      }
      out_ += "</tbody></table>\n";
      if (timeline->outages.size() > max_outage_rows) {
        out_ += fmt::format("<p class=\"note\">The {} longest of {} outages.</p>\n", max_outage_rows, timeline->outages.size());
      }
    }
    // The budget: the downtime the target allows of this window's measured time (or of
    // the fixed duration), and a downtime objective's own.
    std::vector<BudgetLine> budgets;
    if (s.target) {
      double share = 1 - s.target->to_double() / 100;
      double base = s.target_of ? static_cast<double>(*s.target_of) : static_cast<double>(r.measured);
      budgets.push_back({share * base, fmt::format("budget at {}%: {}", s.target->to_string(),
                                                   rt::human_duration(static_cast<std::int64_t>(share * base)))});
    }
    if (s.max_downtime) {
      budgets.push_back({static_cast<double>(*s.max_downtime),
                         fmt::format("downtime allowed: {}", rt::exact_duration(*s.max_downtime))});
    }
    out_ += fmt::format("<figure class=\"burndown\"{}>{}<figcaption>Budget burn-down of {}: downtime {} of {} measured.</figcaption></figure>\n",
                        a, burndown_svg(*timeline, zone, r.window_start, r.window_end, budgets, "Budget burn-down of " + name),
                        esc(name), esc(rt::human_duration(r.measured - r.good)), esc(rt::human_duration(r.measured)));
    out_ += "</div>\n";
  }
}

void Writer::kpi_charts(std::size_t sla, const std::vector<const rt::ResultRow*>& rows) {
  const SlaPlan& s = plan_.slas[sla];
  std::map<std::string, std::vector<KpiPoint>> by_group;
  double lo = 1, hi = 0;
  for (const auto* r : rows) {
    KpiPoint p{label(*r), std::nullopt, rt::percent_text(*r)};
    std::string a = rt::row_attainment_text(s, *r);
    if (a != "null") {
      p.attainment = std::stod(a);
      lo = std::min(lo, *p.attainment);
      hi = std::max(hi, *p.attainment);
    }
    by_group[r->group].push_back(std::move(p));
  }
  if (lo > hi) lo = 0, hi = 1;
  out_ += "<h3>Per group</h3>\n<div class=\"small-multiples\">\n";
  std::size_t n = 0;
  for (const auto& [group, points] : by_group) {
    if (n++ == max_kpi_charts) break;
    out_ += fmt::format("<figure class=\"kpi-chart\"{}>{}</figure>\n", attr("data-group", group), kpi_svg(group, points, lo, hi));
  }
  out_ += "</div>\n";
  if (by_group.size() > max_kpi_charts) {
    out_ += fmt::format("<p class=\"note\">The first {} of {} groups; the table above lists every group.</p>\n", max_kpi_charts,
                        by_group.size());
  }
}

void Writer::sla_section(std::size_t sla) {
  const SlaPlan& s = plan_.slas[sla];
  std::vector<const rt::ResultRow*> rows;
  for (const auto& r : in_.ev.rows) {
    if (r.sla == sla) rows.push_back(&r);
  }
  out_ += fmt::format("<section class=\"sla{}\" id=\"sla-{}\"{}{}>\n", s.is_kpi ? " kpi" : "", esc(s.name), attr("data-sla", s.name),
                      attr("data-kind", s.is_kpi ? "kpi" : "sla"));
  out_ += fmt::format("<h2>{} {}</h2>\n", s.is_kpi ? "KPI" : "SLA", esc(s.name));
  terms(s);
  if (!s.is_kpi) verdicts(sla);
  if (rows.empty()) {
    out_ += "<p class=\"note\">No group was judged in the period.</p>\n</section>\n";
    return;
  }
  heatmap(sla, rows);
  if (s.is_kpi) {
    kpi_charts(sla, rows);
  } else {
    breaches(sla, rows);
    details(sla, rows);
  }
  out_ += "</section>\n";
}

const char* state_words(rt::GroupState state) {
  switch (state) {
    case rt::GroupState::secured: return "secured";
    case rt::GroupState::on_track: return "on track";
    case rt::GroupState::at_risk: return "at risk";
    case rt::GroupState::breached: return "breached";
  }
  return "";
}

void Writer::status_section() {
  const StatusSection& st = *in_.status;
  out_ += fmt::format("<section id=\"status\"{}>\n<h2>Windows in progress at {} ({})</h2>\n", attr("data-as-of", format_instant(st.as_of)),
                      esc(local_text(model_.timezone, st.as_of)), esc(model_.timezone.name));
  out_ += "<p>As <code>slac status</code> sees them from the events before this instant only (the verdicts above are "
          "judged on all the data, later events included). In the order to work on them: failing now and not yet "
          "breached first, soonest breach first; then by budget left. <em>p_meet</em> is the chance of meeting the SLA "
          "by the window's end, from a model of the history's failures and repairs (see the status "
          "documentation).</p>\n";
  if (!st.warnings.empty()) {
    out_ += "<ul class=\"warnings\">\n";
    for (const auto& w : st.warnings) out_ += fmt::format("<li{}>{}</li>\n", attr("data-code", w.code), esc(w.message));
    out_ += "</ul>\n";
  }
  if (st.rows.empty()) {
    out_ += "<p class=\"note\">No window of the selected SLAs contains this instant.</p>\n</section>\n";
    return;
  }
  out_ += "<table class=\"status\"><thead><tr><th>SLA</th><th>Window</th><th>Group</th><th>State</th><th>Failing now</th>"
          "<th class=\"num\">Budget left</th><th>Breaches at</th><th class=\"num\">p_meet</th></tr></thead>\n<tbody>\n";
  for (const auto& r : st.rows) {
    const SlaPlan& s = plan_.slas[r.sla];
    std::string a = attr("data-sla", s.name) + attr("data-window-start", format_instant(r.window_start)) + attr("data-group", r.group) +
                    attr("data-state", std::string(rt::state_name(r.state)));
    if (r.p_meet) a += attr("data-p-meet", fmt::format("{}", *r.p_meet));
    if (r.breach_at) a += attr("data-breach-at", format_instant(*r.breach_at));
    // As `slac status` prints them.
    std::string left = rt::budget_left_text(r), p = rt::p_meet_text(r.p_meet);
    out_ += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
                        a, esc(s.name),
                        esc(rt::window_label(s, s.window.site_zone && r.site ? in_.data.sites[*r.site].zone : model_.timezone,
                                             r.window_start, r.window_end)),
                        esc(r.group),
                        state_words(r.state), r.failing_now ? "yes" : "no", esc(left),
                        r.breach_at ? esc(local_text(model_.timezone, *r.breach_at)) : "\u2013", esc(p));
  }
  out_ += "</tbody></table>\n</section>\n";
}

std::string Writer::take() {
  out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"slac\">\n";
  out_ += fmt::format("<title>{} \u2014 SLA report, {}</title>\n", esc(model_.name),
                      esc(period_words(model_.timezone, in_.ev.from, in_.ev.to)));
  out_ += fmt::format("<style>{}</style>\n</head>\n<body>\n<main id=\"report\">\n", style);
  header();
  contents();
  for (std::size_t i : in_.selected) sla_section(i);
  if (in_.status) status_section();
  out_ += "</main>\n<footer>";
  out_ += fmt::format("Made by slac from <code>{}</code>. Every figure is the one <code>slac eval</code> gives for the same "
                      "contract, data and options; times are in {} unless a site's zone is named.",
                      esc(in_.contract_path), esc(model_.timezone.name));
  out_ += fmt::format("</footer>\n<script>{}</script>\n</body>\n</html>\n", script);
  return std::move(out_);
}

}  // namespace

std::string report_html(const Input& input) { return Writer(input).take(); }

}  // namespace slac::report
