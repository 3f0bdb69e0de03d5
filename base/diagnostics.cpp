// The diagnostic code registry and the three renderings: text, JSON and SARIF.
#include "base/diagnostics.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace slac {

const std::vector<CodeInfo>& code_registry() {
  static const std::vector<CodeInfo> registry = {
      {Code::syntax, "E001", "the text does not follow the grammar"},
      {Code::number_range, "E002", "a number, duration or amount too large or too precise"},
      {Code::bad_date, "E003", "a date that does not exist"},
      {Code::bad_clock, "E004", "a clock time outside 00:00-24:00"},
      {Code::nesting, "E005", "a condition nested more than 100 levels deep"},
      {Code::encoding, "E006", "the file is not UTF-8 text"},
      {Code::reserved_name, "E007", "a reserved word used as a name"},
      {Code::unknown_name, "E101", "a name that is not declared"},
      {Code::duplicate, "E102", "a name declared twice"},
      {Code::wrong_kind, "E103", "a name of another kind than its place needs"},
      {Code::state_cycle, "E104", "states that depend on each other in a cycle"},
      {Code::import_not_found, "E105", "an import that cannot be found"},
      {Code::import_cycle, "E106", "files that import each other in a cycle"},
      {Code::duplicate_header, "E107", "a contract header or header item given twice"},
      {Code::unknown_member, "E108", "an enum member that does not exist"},
      {Code::type_mismatch, "E201", "a comparison of mismatched types"},
      {Code::not_bool, "E202", "a condition that is not a bool"},
      {Code::param_type, "E203", "a param of the wrong type for its place"},
      {Code::unknown_type, "E204", "a type name that does not exist"},
      {Code::event_compare, "E205", "an event signal used as a value"},
      {Code::type_not_allowed, "E206", "a type that this declaration does not allow"},
      {Code::default_type, "E207", "an attribute default of the wrong type"},
      {Code::site_timezone, "E208", "`in site timezone` without a `timezone` site attribute"},
      {Code::device_level, "E301", "a device-level condition where a site-level one is needed"},
      {Code::not_static, "E302", "a changing condition where a static one is needed"},
      {Code::spanning_calendar, "E303", "a site-timezone calendar on a group that spans sites"},
      {Code::spanning_excluding, "E304", "a site-dependent exclusion on a group that spans sites"},
      {Code::percent_range, "E401", "a percentage outside 0-100%"},
      {Code::duration_range, "E402", "a duration that is not positive"},
      {Code::count_range, "E403", "a count that is not a whole number >= 0"},
      {Code::unknown_timezone, "E404", "a time zone that is not in the IANA database"},
      {Code::amount_range, "E405", "a negative amount"},
      {Code::currency_code, "E406", "a currency that is not an ISO 4217 code"},
      {Code::missing_clause, "E501", "an SLA or KPI without a required clause"},
      {Code::duplicate_clause, "E502", "a clause given twice"},
      {Code::kpi_clause, "E503", "a target, objective, penalty or warning in a KPI"},
      {Code::tiers_grouping, "E504", "penalty tiers on an estate-level grouping"},
      {Code::penalty_mix, "E505", "a fixed penalty with tiers, or a cap without a penalty"},
      {Code::calendar_conflict, "E506", "`of CALENDAR` with `during` of another calendar"},
      {Code::per_device_requirement, "E507", "a per-device requirement without `on any device`"},
      {Code::site_count, "E508", "`at least site.ATTR` without a number site attribute and a site grouping"},
      {Code::weighted_by, "E509", "`weighted by` without a number device attribute or a percentage"},
      {Code::percent_requirement, "E510", "a percentage requirement without `of devices` or `weighted by`"},
      {Code::duplicate_tier, "E511", "two penalty tiers with the same threshold"},
      {Code::rounding_step, "E512", "a target that is not a multiple of its `rounded to` step"},
      {Code::interval_length, "E520", "a `counted in` interval that does not divide a day (or an hour, under rolling hours)"},
      {Code::average_outage, "E521", "outages with `on average`, where they are not defined"},
      {Code::event_measure, "E530", "an event measure of a name that is not a signal, at the wrong level, or with what needs time: an outage or downtime objective, `of D`, `counted in`, `on average`"},
      {Code::mean_measure, "E531", "`mean of` over what is not a number, or with what needs the time a condition holds: an outage or downtime objective, `of D`, `counted in`, `of SIGNAL events`"},
      {Code::amount_scope, "E540", "a figure or group attribute in a penalty amount that cannot take it: a cap, an estate verdict's penalty, another grouping's attribute, `shortfall` without a target, `downtime_hours` of events or of a `mean of`"},
      {Code::amount_name, "E541", "a name in a penalty amount that is not a number or percentage param, a figure or a number attribute of the group"},
      {Code::amount_percent, "E542", "`of` in a penalty amount without a percentage on its left"},
      {Code::window_start, "E550", "a window that cannot be judged as written: a start day for a unit other than weeks, a start at 24:00, or `in site timezone` with a grouping other than `on any site` and `on any device`"},
      {Code::periods_list, "E551", "a periods list whose dates do not increase, or with fewer than two dates"},
      {Code::allowance_range, "E560", "an `up to D per calendar UNIT` allowance as long as the unit, which caps nothing"},
      {Code::test_entity, "E601", "an unknown or repeated site or device in a test"},
      {Code::test_attribute, "E602", "a missing or unknown attribute in a test"},
      {Code::test_value, "E603", "a test event or expectation that does not fit the contract"},
      {Code::test_span, "E604", "a test span that is empty or given twice"},
      {Code::warn_at_target, "W001", "`warn below` at or under the target, so no near miss can happen"},
      {Code::unused_signal, "W002", "a signal that no state, SLA or KPI uses"},
      {Code::unusual_currency, "W003", "an ISO 4217 code that is not money a penalty is paid in (a fund or a metal)"},
  };
  return registry;
}

std::string_view code_id(Code code) {
  for (const auto& info : code_registry()) {
    if (info.code == code) return info.id;
  }
  return "E000";
}

Diagnostic& Diagnostics::error(Code code, Range range, std::string message) {
  return add(Diagnostic{Severity::error, code, std::move(message), range, {}});
}

Diagnostic& Diagnostics::warning(Code code, Range range, std::string message) {
  return add(Diagnostic{Severity::warning, code, std::move(message), range, {}});
}

Diagnostic& Diagnostics::add(Diagnostic d) {
  (d.severity == Severity::error ? errors_ : warnings_) += 1;
  if (list_.size() >= cap_) {
    // Kept aside so that callers may still attach notes; it is not shown.
    ++dropped_;
    overflow_ = std::move(d);
    return overflow_;
  }
  list_.push_back(std::move(d));
  return list_.back();
}

void Diagnostics::sort() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.range.file != b.range.file) return a.range.file < b.range.file;
    return a.range.begin < b.range.begin;
  });
}

namespace {

struct Style {
  bool on;
  std::string paint(std::string_view code, std::string_view text) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
};

// The caret line: spaces (tabs kept) up to the start, then ^ and ~ over the range on
// its first line.
std::string caret_line(std::string_view line, std::uint32_t from, std::uint32_t width) {
  std::string out;
  std::uint32_t col = 0;
  for (std::size_t i = 0; i < line.size() && col < from; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    out += c == '\t' ? '\t' : ' ';
    ++col;
  }
  out += '^';
  for (std::uint32_t i = 1; i < width; ++i) out += '~';
  return out;
}

void render_one(std::string& out, const SourceManager& sources, Severity severity, std::string_view code,
                std::string_view message, const Range& range, const Style& style) {
  const SourceFile& file = sources.file(range.file);
  Location begin = file.location(range.begin);
  std::string_view label = severity == Severity::error ? "error" : "warning";
  std::string_view colour = severity == Severity::error ? "1;31" : "1;35";
  out += style.paint("1", fmt::format("{}:{}:{}:", file.path(), begin.line, begin.column));
  out += ' ';
  out += style.paint(colour, fmt::format("{}:", label));
  out += fmt::format(" {}", message);
  if (!code.empty()) out += fmt::format(" [{}]", code);
  out += '\n';
  std::string_view line = file.line_text(begin.line);
  if (begin.line <= file.line_count()) {
    std::uint32_t line_begin = file.line_start(begin.line);
    std::uint32_t line_end = line_begin + static_cast<std::uint32_t>(line.size());
    std::uint32_t end = std::min(std::max(range.end, range.begin), line_end);
    std::uint32_t width = 1;
    if (end > range.begin) width = count_code_points(file.text().substr(range.begin, end - range.begin));
    // A long line is shown as a window around the range, so that a megabyte line does
    // not become a megabyte message.
    constexpr std::size_t max_shown = 160;
    std::string_view window = line;
    std::string before, after;
    std::uint32_t column = begin.column - 1;
    if (line.size() > max_shown) {
      std::size_t at = std::min<std::size_t>(range.begin - line_begin, line.size());
      std::size_t lo = at > 40 ? at - 40 : 0;
      while (lo > 0 && (static_cast<unsigned char>(line[lo]) & 0xC0) == 0x80) --lo;
      std::size_t hi = std::min(line.size(), lo + max_shown);
      while (hi < line.size() && (static_cast<unsigned char>(line[hi]) & 0xC0) == 0x80) ++hi;
      window = line.substr(lo, hi - lo);
      if (lo > 0) before = "...";
      if (hi < line.size()) after = "...";
      column = static_cast<std::uint32_t>(before.size()) + count_code_points(line.substr(lo, at - lo));
      width = std::max<std::uint32_t>(1, std::min(width, count_code_points(line.substr(at, hi - at))));
    }
    // Show invisible and non-printable bytes without breaking the terminal.
    std::string shown = before;
    for (unsigned char c : window) shown += (c < 0x20 && c != '\t') ? '?' : static_cast<char>(c);
    shown += after;
    out += fmt::format("  {}\n", shown);
    out += "  " + style.paint("1;32", caret_line(before + std::string(window), column, width)) + '\n';
  }
}

}  // namespace

std::string render_text(const Diagnostics& diags, const SourceManager& sources, RenderOptions opts) {
  Style style{opts.color};
  std::string out;
  for (const auto& d : diags.list()) {
    render_one(out, sources, d.severity, code_id(d.code), d.message, d.range, style);
    for (const auto& note : d.notes) {
      if (note.range) {
        const SourceFile& file = sources.file(note.range->file);
        Location at = file.location(note.range->begin);
        out += style.paint("1", fmt::format("{}:{}:{}:", file.path(), at.line, at.column));
        out += fmt::format(" {} {}\n", style.paint("1;36", "note:"), note.message);
      } else {
        out += fmt::format("  {} {}\n", style.paint("1;36", "note:"), note.message);
      }
    }
  }
  if (diags.dropped() > 0) {
    out += fmt::format("... and {} more (only the first {} are shown)\n", diags.dropped(), diags.cap());
  }
  return out;
}

namespace {

nlohmann::ordered_json location_json(const SourceManager& sources, const Range& range) {
  const SourceFile& file = sources.file(range.file);
  Location b = file.location(range.begin);
  Location e = file.location(std::max(range.end, range.begin));
  return {{"file", file.path()}, {"line", b.line}, {"column", b.column}, {"end_line", e.line}, {"end_column", e.column}};
}

}  // namespace

nlohmann::ordered_json diagnostics_json(const Diagnostics& diags, const SourceManager& sources) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& d : diags.list()) {
    nlohmann::ordered_json j = location_json(sources, d.range);
    j["severity"] = d.severity == Severity::error ? "error" : "warning";
    j["code"] = code_id(d.code);
    j["message"] = d.message;
    nlohmann::ordered_json notes = nlohmann::ordered_json::array();
    for (const auto& n : d.notes) {
      nlohmann::ordered_json nj = n.range ? location_json(sources, *n.range) : nlohmann::ordered_json::object();
      nj["message"] = n.message;
      notes.push_back(std::move(nj));
    }
    j["notes"] = std::move(notes);
    list.push_back(std::move(j));
  }
  return list;
}

namespace {

// A relative path as a URI reference: unreserved characters and `/` kept, the rest
// percent-encoded.
std::string uri_reference(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

nlohmann::ordered_json sarif_region(const SourceManager& sources, const Range& range) {
  const SourceFile& file = sources.file(range.file);
  Location b = file.location(range.begin);
  Location e = file.location(std::max(range.end, range.begin));
  if (e.line == b.line && e.column <= b.column) e.column = b.column + 1;
  return {{"startLine", b.line}, {"startColumn", b.column}, {"endLine", e.line}, {"endColumn", e.column}};
}

}  // namespace

nlohmann::ordered_json sarif_results(const Diagnostics& diags, const SourceManager& sources) {
  auto rule_index = [](Code code) {
    const auto& reg = code_registry();
    for (std::size_t i = 0; i < reg.size(); ++i) {
      if (reg[i].code == code) return i;
    }
    return std::size_t{0};
  };
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const auto& d : diags.list()) {
    const SourceFile& file = sources.file(d.range.file);
    nlohmann::ordered_json related = nlohmann::ordered_json::array();
    int id = 0;
    for (const auto& n : d.notes) {
      nlohmann::ordered_json r = {{"id", id++}, {"message", {{"text", n.message}}}};
      if (n.range) {
        r["physicalLocation"] = {{"artifactLocation", {{"uri", uri_reference(sources.file(n.range->file).path())}}},
                                 {"region", sarif_region(sources, *n.range)}};
      }
      related.push_back(std::move(r));
    }
    nlohmann::ordered_json result = {
        {"ruleId", code_id(d.code)},
        {"ruleIndex", rule_index(d.code)},
        {"level", d.severity == Severity::error ? "error" : "warning"},
        {"message", {{"text", d.message}}},
        {"locations",
         {{{"physicalLocation",
            {{"artifactLocation", {{"uri", uri_reference(file.path())}}}, {"region", sarif_region(sources, d.range)}}}}}},
    };
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    results.push_back(std::move(result));
  }
  return results;
}

nlohmann::ordered_json sarif_log(nlohmann::ordered_json results, std::string_view version) {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (const auto& info : code_registry()) {
    nlohmann::ordered_json rule = {{"id", info.id}, {"shortDescription", {{"text", info.summary}}}};
    if (info.id.starts_with('W')) rule["defaultConfiguration"] = {{"level", "warning"}};
    rules.push_back(std::move(rule));
  }
  return {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver",
            {{"name", "slac"}, {"version", version}, {"rules", std::move(rules)}}}}},
         {"columnKind", "unicodeCodePoints"},
         {"results", std::move(results)}}}},
  };
}

namespace {

// The optimal string alignment distance (Damerau-Levenshtein with adjacent swaps)
// when it is at most `limit`, else limit + 1. Three rows, reused between calls; a row
// whose every entry passes the limit ends the comparison.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit, std::vector<std::size_t>& rows) {
  std::size_t la = a.size(), lb = b.size();
  if ((la > lb ? la - lb : lb - la) > limit) return limit + 1;
  std::size_t width = lb + 1;
  rows.assign(3 * width, 0);
  std::size_t* before = rows.data();         // row i - 2
  std::size_t* prev = rows.data() + width;   // row i - 1
  std::size_t* cur = rows.data() + 2 * width;
  for (std::size_t j = 0; j <= lb; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= la; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= lb; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before[j - 2] + 1);
      cur[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > limit) return limit + 1;
    std::size_t* spare = before;
    before = prev;
    prev = cur;
    cur = spare;
  }
  return std::min(prev[lb], limit + 1);
}

// The bytes a name holds, as a set (modulo 64). Each byte value one name has and the
// other lacks needs an edit of its own, so the larger of the two differences is a lower
// bound of the edit distance: most candidates are ruled out without the table.
std::uint64_t byte_set(std::string_view s) {
  std::uint64_t set = 0;
  for (unsigned char c : s) set |= std::uint64_t{1} << (c % 64);
  return set;
}

}  // namespace

std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string_view>& candidates) {
  if (name.size() > 64) return std::nullopt;
  std::optional<std::string_view> best;
  std::size_t best_distance = std::max<std::size_t>(1, name.size() / 3);
  std::vector<std::size_t> rows;
  const std::uint64_t name_bytes = byte_set(name);
  for (std::string_view c : candidates) {
    if (c.size() > 64 || c == name) continue;
    std::size_t length_gap = c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
    if (length_gap > best_distance) continue;
    std::uint64_t c_bytes = byte_set(c);
    auto bound = static_cast<std::size_t>(
        std::max(std::popcount(name_bytes & ~c_bytes), std::popcount(c_bytes & ~name_bytes)));
    if (bound > best_distance || (best && bound >= best_distance)) continue;
    // Ties keep the earlier candidate: once one is found, only a strictly closer one
    // counts, and none is closer than 1 (equal names are skipped).
    if (best && best_distance <= 1) break;
    std::size_t limit = best ? best_distance - 1 : best_distance;
    std::size_t dist = edit_distance(name, c, limit, rows);
    if (dist <= limit) {
      best = c;
      best_distance = dist;
    }
  }
  if (!best) return std::nullopt;
  return std::string(*best);
}

}  // namespace slac
