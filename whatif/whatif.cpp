// Sweeps: parsing, the reuse of evaluations between values, recommendation, and the
// table, JSON, CSV and SVG chart of the results.
#include "whatif/whatif.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/diagnostics.hpp"
#include "chart/chart.hpp"
#include "runtime/calendar.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/output.hpp"

namespace slac::rt {

std::optional<Sweep> parse_sweep(const Model& model, std::string_view text, std::string& error) {
  auto eq = text.find('=');
  auto dots = text.find("..");
  if (eq == std::string_view::npos || dots == std::string_view::npos || dots < eq) {
    error = fmt::format("--sweep {}: expected NAME=FROM..TO or NAME=FROM..TO/STEP, as in target=85%..99%/1%", text);
    return std::nullopt;
  }
  std::string name(trim_blanks(text.substr(0, eq)));
  auto idx = model.find_param(name);
  if (!idx) {
    std::vector<std::string_view> names;
    for (const auto& p : model.params) names.push_back(p.name);
    error = fmt::format("--sweep {}: the contract has no param `{}`", text, name);
    if (auto near = closest_name(name, names)) error += fmt::format("; did you mean `{}`?", *near);
    return std::nullopt;
  }
  ParamType type = model.params[*idx].value.type;
  if (type == ParamType::boolean) {
    error = fmt::format("--sweep {}: `{}` is true or false; set it with --set instead", text, name);
    return std::nullopt;
  }
  std::string_view rest = text.substr(dots + 2);
  std::string_view from_text = text.substr(eq + 1, dots - eq - 1);
  std::string_view to_text = rest;
  std::optional<std::string_view> step_text;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    to_text = rest.substr(0, slash);
    step_text = rest.substr(slash + 1);
  }
  std::string why;
  auto from = parse_param_value(from_text, type, why);
  if (!from) {
    error = fmt::format("--sweep {}: `{}` is {}: {}", text, name, param_type_name(type), why);
    return std::nullopt;
  }
  auto to = parse_param_value(to_text, type, why);
  if (!to) {
    error = fmt::format("--sweep {}: `{}` is {}: {}", text, name, param_type_name(type), why);
    return std::nullopt;
  }
  std::optional<ParamValue> step;
  if (step_text) {
    step = parse_param_value(*step_text, type, why);
    if (!step) {
      error = fmt::format("--sweep {}: the step: {}", text, why);
      return std::nullopt;
    }
  } else if (type == ParamType::duration) {
    error = fmt::format("--sweep {}: give a step for a duration, as in {}=2h..8h/1h", text, name);
    return std::nullopt;
  } else {
    step = ParamValue{type, Decimal::integer(1), 0, false};
  }
  Sweep sweep;
  sweep.param = *idx;
  if (type == ParamType::duration) {
    if (step->ms <= 0 || from->ms > to->ms) {
      error = fmt::format("--sweep {}: needs FROM <= TO and a step above 0", text);
      return std::nullopt;
    }
    for (std::int64_t v = from->ms; v <= to->ms; v += step->ms) {
      sweep.values.push_back(ParamValue{type, {}, v, false});
      if (sweep.values.size() > 1000) break;
    }
  } else {
    if (!(step->number > Decimal{}) || from->number > to->number) {
      error = fmt::format("--sweep {}: needs FROM <= TO and a step above 0", text);
      return std::nullopt;
    }
    for (Decimal v = from->number; v <= to->number;) {
      sweep.values.push_back(ParamValue{type, v, 0, false});
      if (sweep.values.size() > 1000) break;
      auto next = add(v, step->number);
      if (!next) break;
      v = *next;
    }
  }
  if (sweep.values.size() > 1000) {
    error = fmt::format("--sweep {}: more than 1000 values; use a larger step", text);
    return std::nullopt;
  }
  std::vector<ParamValue> params;
  for (const auto& p : model.params) params.push_back(p.value);
  for (const auto& v : sweep.values) {
    params[sweep.param] = v;
    if (auto why = empty_windows(model, params)) {
      error = fmt::format("--sweep {}: {}", text, *why);
      return std::nullopt;
    }
    if (auto why = off_step_target(model, params)) {
      error = fmt::format("--sweep {}: {}", text, *why);
      return std::nullopt;
    }
    if (auto why = meaningless_param(model, params)) {
      error = fmt::format("--sweep {}: {}", text, *why);
      return std::nullopt;
    }
  }
  return sweep;
}

namespace {

// Every param a condition uses, through the states it names.
void expression_params(const Model& m, ExprId root, std::set<std::size_t>& out) {
  std::vector<ExprId> stack{root};
  std::set<ExprId> seen;
  std::set<std::size_t> states;
  while (!stack.empty()) {
    ExprId id = stack.back();
    stack.pop_back();
    if (!seen.insert(id).second) continue;
    const CExpr& e = m.exprs[id];
    if (e.duration.param) out.insert(*e.duration.param);
    for (const auto& s : e.scalars) {
      if (s.param) out.insert(*s.param);
    }
    if (e.kind == ExprKind::bool_param) out.insert(e.ref);
    if (e.kind == ExprKind::state && states.insert(e.ref).second) stack.push_back(m.states[e.ref].expr);
    for (ExprId c : e.children) stack.push_back(c);
  }
}

struct Usage {
  std::set<std::size_t> stricter_higher, stricter_lower, other;
};

Usage usage(const Model& m, std::size_t sla) {
  const SlaInfo& s = m.slas[sla];
  Usage u;
  auto q = [](const std::optional<Quantity>& qq) { return qq && qq->param ? qq->param : std::nullopt; };
  auto add = [](std::set<std::size_t>& into, std::optional<std::size_t> p) {
    if (p) into.insert(*p);
  };
  add(u.stricter_higher, q(s.target));
  add(u.stricter_higher, q(s.warn));
  if (s.grouping.kind == GroupingKind::percent_of_sites) add(u.stricter_higher, s.grouping.percent.param);
  if (s.requirement.kind == RequirementKind::at_most) {
    add(u.stricter_lower, s.requirement.amount.param);
  } else if (s.requirement.kind != RequirementKind::all && s.requirement.kind != RequirementKind::per_device &&
             s.requirement.kind != RequirementKind::site_attribute) {
    add(u.stricter_higher, s.requirement.amount.param);
  }
  add(u.stricter_lower, q(s.max_outage));
  if (s.counted) add(u.stricter_lower, q(s.counted->over));  // a lower share fails more intervals
  add(u.stricter_lower, q(s.max_downtime));
  add(u.other, q(s.rounding));
  add(u.other, q(s.target_of));
  for (const auto& oc : s.outage_counts) {
    add(u.stricter_lower, oc.count.param);
    add(u.stricter_lower, q(oc.longer_than));
  }
  // Params inside penalty amounts (SPEC 4.4) change the money, not the verdicts.
  auto amount_params = [&](const AmountSpec& a) {
    for (const AmountNode& n : a.postfix) {
      if (n.kind == AmountNodeKind::param) u.other.insert(n.ref);
    }
  };
  if (s.penalty) amount_params(*s.penalty);
  if (s.cap) amount_params(*s.cap);
  for (const auto& t : s.tiers) {
    add(u.other, t.below.param);
    amount_params(t.amount);
  }
  if (s.window.rolling || s.window.period) add(u.other, s.window.count.param);
  expression_params(m, s.requirement.state, u.other);
  // `mean of`: a param in EXPR or `unknown as` moves the mean either way.
  for (const NumNode& n : s.requirement.mean) {
    if (n.op == NumOp::param) u.other.insert(n.ref);
  }
  add(u.other, q(s.requirement.unknown_as));
  for (auto e : {s.only, s.excluding, s.grouping.where}) {
    if (e) expression_params(m, *e, u.other);
  }
  return u;
}

}  // namespace

bool sla_uses_param(const Model& model, std::size_t sla, std::size_t param) {
  Usage u = usage(model, sla);
  return u.stricter_higher.contains(param) || u.stricter_lower.contains(param) || u.other.contains(param);
}

std::optional<bool> higher_is_stricter(const Model& model, std::size_t sla, std::size_t param, std::string& why) {
  Usage u = usage(model, sla);
  bool higher = u.stricter_higher.contains(param), lower = u.stricter_lower.contains(param);
  const std::string& name = model.params[param].name;
  if (u.other.contains(param)) {
    why = fmt::format("`{}` is also used in a condition, a penalty or a window length, so stricter is not defined for it", name);
    return std::nullopt;
  }
  if (higher && lower) {
    why = fmt::format("`{}` makes the SLA stricter in one place and looser in another", name);
    return std::nullopt;
  }
  if (!higher && !lower) {
    why = fmt::format("`{}` is not a target, count, warning, share of sites, outage length, outage count, downtime or `failed if over` share",
                      name);
    return std::nullopt;
  }
  return higher;
}

namespace {

// What decides whether an evaluation can be shared: the conditions, and each SLA-level
// choice that shapes the groups, windows and counts.
std::string series_key(const Plan& p, std::size_t sla) {
  const SlaPlan& s = p.slas[sla];
  std::string key;
  for (const auto& n : p.nodes) {
    key += fmt::format("{}|{}|{}|{}|{}|{}|{}|", static_cast<int>(n.op), n.flag, n.ref, static_cast<int>(n.cmp),
                       n.negate_membership, n.duration, fmt::join(n.children, ","));
    for (const auto& v : n.values) key += fmt::format("{}:{}:{}:{};", v.flag, v.number.to_string(), v.text, v.member);
    key += '\n';
  }
  // `mean of`: EXPR with its params resolved, and what unknown instants count as.
  for (const NumNode& n : s.mean) {
    key += fmt::format("{}:{}:{}:{}:{};", static_cast<int>(n.op), n.number.to_string(), n.ref, fmt::join(n.operands, ","), n.ops);
  }
  if (s.unknown_as) key += "unknown as " + s.unknown_as->to_string() + "\n";
  key += fmt::format("{} {} {} {} {} {}", s.window_count, s.state, s.scope.value_or(UINT32_MAX), s.excluding.value_or(UINT32_MAX),
                     s.during.value_or(UINT32_MAX), s.where.value_or(UINT32_MAX));
  return key;
}

}  // namespace

WhatifResult whatif(const Model& model, const std::vector<ParamValue>& base, Dataset& data, std::int64_t from,
                    std::int64_t to, std::size_t sla, const std::vector<Sweep>& sweeps) {
  WhatifResult result;
  result.sla = sla;
  for (const auto& s : sweeps) result.params.push_back(s.param);
  std::int64_t t0 = timeline_start(data, from);
  std::vector<std::size_t> selected{sla};
  std::map<std::string, std::vector<SlaSeries>> series_cache;
  std::map<std::string, std::vector<std::vector<std::vector<WindowStats>>>> stats_cache;
  // Every combination; the first sweep varies slowest.
  std::vector<std::size_t> at(sweeps.size(), 0);
  bool estate = model.slas[sla].grouping.estate_verdict();
  while (true) {
    std::vector<ParamValue> params = base;
    WhatifRow row;
    for (std::size_t k = 0; k < sweeps.size(); ++k) {
      params[sweeps[k].param] = sweeps[k].values[at[k]];
      row.values.push_back(sweeps[k].values[at[k]]);
    }
    Plan plan = lower(model, params);
    std::string skey = series_key(plan, sla);
    auto sit = series_cache.find(skey);
    if (sit == series_cache.end()) {
      sit = series_cache.emplace(skey, build_series(plan, data, t0, to, from, to, selected, false)).first;
      ++result.evaluations;
    }
    const SlaPlan& sp = plan.slas[sla];
    std::string tkey = skey + fmt::format("|{}|{}|{}", static_cast<int>(sp.requirement), sp.amount.to_string(), sp.requirement_attribute);
    if (sp.counted) tkey += fmt::format("|counted {} {} {}", sp.counted->length, static_cast<int>(sp.counted->failed_if), sp.counted->over.to_string());
    auto tit = stats_cache.find(tkey);
    if (tit == stats_cache.end()) {
      std::vector<std::vector<std::vector<WindowStats>>> stats;
      for (const auto& s : sit->second) stats.push_back(group_window_stats(plan, s));
      tit = stats_cache.emplace(tkey, std::move(stats)).first;
    }
    Evaluation ev = decide(plan, sit->second, tit->second, from, to);
    if (estate) {
      for (const auto& v : ev.verdicts) {
        ++row.judgements;
        row.met += v.met ? 1 : 0;
      }
    } else {
      for (const auto& r : ev.rows) {
        ++row.judgements;
        row.met += r.met ? 1 : 0;
      }
    }
    row.penalty = ev.total_penalty;
    result.rows.push_back(std::move(row));
    // Next combination.
    std::size_t k = sweeps.size();
    while (k > 0) {
      --k;
      if (++at[k] < sweeps[k].values.size()) break;
      at[k] = 0;
      if (k == 0) return result;
    }
    if (sweeps.empty()) return result;
  }
}

std::optional<std::size_t> recommend(const WhatifResult& result, const Decimal& confidence, bool higher_stricter) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const auto& r = result.rows[i];
    if (r.judgements == 0 || !ratio_at_least(static_cast<i128>(r.met), r.judgements, confidence)) continue;
    if (!best) {
      best = i;
      continue;
    }
    const ParamValue& a = r.values[0];
    const ParamValue& b = result.rows[*best].values[0];
    bool stricter = a.type == ParamType::duration ? (higher_stricter ? a.ms > b.ms : a.ms < b.ms)
                                                  : (higher_stricter ? a.number > b.number : a.number < b.number);
    if (stricter) best = i;
  }
  return best;
}

std::string param_json(const ParamValue& v) {
  switch (v.type) {
    case ParamType::percent: return fraction_text(v.number);
    case ParamType::number: return v.number.to_string();
    case ParamType::duration: return seconds_text(v.ms);
    case ParamType::boolean: return v.flag ? "true" : "false";
  }
  return "null";
}

namespace {

std::string share_text(const WhatifRow& r) {
  if (r.judgements == 0) return "null";
  return fmt::format("{}", static_cast<double>(r.met) / static_cast<double>(r.judgements));
}

}  // namespace

std::string whatif_json(const Model& model, const WhatifResult& result, std::optional<std::size_t> recommended) {
  JsonWriter w;
  w.begin_object();
  w.key("sla").string(model.slas[result.sla].name);
  w.key("rows").begin_array();
  for (const auto& r : result.rows) {
    w.begin_object();
    w.key("params").begin_inline_object();
    for (std::size_t k = 0; k < result.params.size(); ++k) w.key(model.params[result.params[k]].name).raw(param_json(r.values[k]));
    w.end_object();
    w.key("group_windows").raw(std::to_string(r.judgements));
    w.key("met").raw(std::to_string(r.met));
    w.key("met_share").raw(share_text(r));
    w.key("breaches").raw(std::to_string(r.judgements - r.met));
    w.key("penalty").raw(r.penalty.to_string());
    w.end_object();
  }
  w.end_array();
  if (recommended) {
    w.key("recommended").begin_inline_object();
    for (std::size_t k = 0; k < result.params.size(); ++k) {
      w.key(model.params[result.params[k]].name).raw(param_json(result.rows[*recommended].values[k]));
    }
    w.end_object();
  } else {
    w.key("recommended").null();
  }
  w.end_object();
  return w.take();
}

std::string whatif_csv(const Model& model, const WhatifResult& result) {
  std::string out;
  for (std::size_t p : result.params) out += model.params[p].name + ",";
  out += "group_windows,met,met_share,breaches,penalty\n";
  for (const auto& r : result.rows) {
    for (const auto& v : r.values) out += param_json(v) + ",";
    std::string share = share_text(r);
    out += fmt::format("{},{},{},{},{}\n", r.judgements, r.met, share == "null" ? "" : share, r.judgements - r.met,
                       r.penalty.to_string());
  }
  return out;
}

std::string whatif_table(const Model& model, const WhatifResult& result, std::optional<std::size_t> recommended,
                         const std::optional<Decimal>& confidence, bool color) {
  auto paint = [&](std::string_view code, std::string_view text) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  const SlaInfo& s = model.slas[result.sla];
  std::string unit = s.grouping.estate_verdict() ? "estate-windows" : "group-windows";
  std::uint64_t judgements = result.rows.empty() ? 0 : result.rows.front().judgements;
  std::string out = paint("1", fmt::format("what if: SLA {}, {} {} judged per row", s.name, judgements, unit)) + "\n\n";
  std::string header = "  ";
  for (std::size_t p : result.params) header += fmt::format("{:>14} ", model.params[p].name);
  header += fmt::format("{:>6} {:>9} {:>9} {:>18}  {}", "met", "share", "breaches", "penalty", "share met");
  out += header + "\n";
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const auto& r = result.rows[i];
    std::string line = "  ";
    for (const auto& v : r.values) line += fmt::format("{:>14} ", v.to_string());
    double share = r.judgements == 0 ? 0 : static_cast<double>(r.met) / static_cast<double>(r.judgements);
    int bar = static_cast<int>(std::lround(share * 30));
    std::string bars;
    for (int k = 0; k < bar; ++k) bars += "\u2588";
    line += fmt::format("{:>6} {:>8.1f}% {:>9} {:>18}  {}", r.met, share * 100, r.judgements - r.met, money(r.penalty, model.currency), bars);
    if (recommended && *recommended == i) line = paint("1;32", line + "  <- recommended");
    out += line + "\n";
  }
  if (confidence) {
    if (recommended) {
      std::vector<std::string> parts;
      for (std::size_t k = 0; k < result.params.size(); ++k) {
        parts.push_back(fmt::format("{} = {}", model.params[result.params[k]].name, result.rows[*recommended].values[k].to_string()));
      }
      out += fmt::format("\nrecommended at {}% confidence: {}\n", multiply(*confidence, 100)->to_string(), fmt::join(parts, ", "));
    } else {
      out += fmt::format("\nno value was met in at least {}% of the judgements\n", multiply(*confidence, 100)->to_string());
    }
  }
  return out;
}

std::string whatif_svg(const Model& model, const WhatifResult& result, std::optional<std::size_t> recommended,
                       std::int64_t from, std::int64_t to) {
  // Share met (a line, left axis) and penalty (bars, right axis) against the swept
  // value; with two sweeps, one line of share met per value of the second. Drawn by
  // the chart module (chart/chart.hpp): round ticks, a legend, titles on every mark.
  const SlaInfo& sla = model.slas[result.sla];
  const bool two = result.params.size() > 1;
  const std::string& param = model.params[result.params[0]].name;
  std::vector<ParamValue> xs, series;
  for (const auto& r : result.rows) {
    if (std::find(xs.begin(), xs.end(), r.values[0]) == xs.end()) xs.push_back(r.values[0]);
    if (two && std::find(series.begin(), series.end(), r.values[1]) == series.end()) series.push_back(r.values[1]);
  }
  if (!two) series.push_back(ParamValue{});
  std::uint64_t fewest = UINT64_MAX, most = 0;
  Decimal max_penalty;
  for (const auto& r : result.rows) {
    fewest = std::min(fewest, r.judgements);
    most = std::max(most, r.judgements);
    max_penalty = std::max(max_penalty, r.penalty);
  }
  if (result.rows.empty()) fewest = 0;

  const double width = 860, height = 460, left = 80, top = 78, bottom = 64, legend_w = 180;
  const double right = 90 + legend_w, plot_w = width - left - right, plot_h = height - top - bottom;
  auto date = [&](std::int64_t t) {
    int y;
    unsigned m, d;
    civil_from_days(local_day(model.timezone, t), y, m, d);
    return fmt::format("{:04}-{:02}-{:02}", y, m, d);
  };
  std::string judged = fewest == most ? fmt::format("{} judgements per value", most)
                                      : fmt::format("{} to {} judgements per value", fewest, most);
  std::string caption = fmt::format("{} from {} to {}; judged {} to {} ({}); {}", param, xs.empty() ? "" : xs.front().to_string(),
                                    xs.empty() ? "" : xs.back().to_string(), date(from), date(to - 1), model.timezone.name,
                                    judged);
  chart::Svg svg(width, height, fmt::format("What if: {}", sla.name),
                 fmt::format("Share of judgements met{} against {}. {}.", two ? "" : " and penalty", param, caption));
  svg.text(left, 26, fmt::format("What if: {}", sla.name), "start", "font-size=\"16\" font-weight=\"bold\"");
  svg.text(left, 46, caption, "start", "fill=\"#555555\"");

  chart::Bands x(xs.size(), left, left + plot_w);
  chart::Ticks share_ticks = chart::nice_ticks(0, 1, 5);
  chart::Linear y_share(0, 1, top + plot_h, top);
  chart::y_axis(svg, y_share, share_ticks, left, chart::Side::left, left, left + plot_w,
                [](double v) { return chart::number_text(v * 100, 0) + "%"; }, "share met");
  std::string penalty_title = model.currency ? fmt::format("penalty ({})", *model.currency) : "penalty";
  std::vector<chart::LegendItem> items;
  if (!two) {
    chart::Ticks money_ticks = chart::nice_ticks(0, max_penalty.to_double(), 5);
    chart::Linear y_money(money_ticks.lo(), money_ticks.hi(), top + plot_h, top);
    chart::y_axis(svg, y_money, money_ticks, left + plot_w, chart::Side::right, 0, 0,
                  [&](double v) { return chart::number_text(v, money_ticks.decimals); }, penalty_title, chart::bad);
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
      const auto& r = result.rows[i];
      double y = y_money(r.penalty.to_double());
      svg.rect(x.centre(i) - x.width() * 0.3, y, x.width() * 0.6, top + plot_h - y, chart::bad,
               fmt::format("{} = {}: penalty {}", param, r.values[0].to_string(), money(r.penalty, model.currency)),
               "fill-opacity=\"0.35\"");
    }
    items.push_back({chart::LegendItem::Kind::bar, chart::bad, penalty_title});
  }
  for (std::size_t k = 0; k < series.size(); ++k) {
    const char* color = chart::palette[k % chart::palette.size()];
    std::vector<std::pair<double, double>> points;
    for (const auto& r : result.rows) {
      if (two && !(r.values[1] == series[k])) continue;
      auto i = static_cast<std::size_t>(std::find(xs.begin(), xs.end(), r.values[0]) - xs.begin());
      double share = r.judgements == 0 ? 1 : static_cast<double>(r.met) / static_cast<double>(r.judgements);
      points.emplace_back(x.centre(i), y_share(share));
    }
    svg.polyline(points, color);
    std::size_t p = 0;
    for (const auto& r : result.rows) {
      if (two && !(r.values[1] == series[k])) continue;
      std::string where = fmt::format("{} = {}", param, r.values[0].to_string());
      if (two) where += fmt::format(", {} = {}", model.params[result.params[1]].name, r.values[1].to_string());
      svg.circle(points[p].first, points[p].second, 3.5, color,
                 fmt::format("{}: {} of {} met", where, r.met, r.judgements));
      ++p;
    }
    items.push_back({chart::LegendItem::Kind::line, color,
                     two ? fmt::format("{} = {}", model.params[result.params[1]].name, series[k].to_string()) : "share met"});
  }
  if (recommended && *recommended < result.rows.size()) {
    const auto& r = result.rows[*recommended];
    auto i = static_cast<std::size_t>(std::find(xs.begin(), xs.end(), r.values[0]) - xs.begin());
    svg.line(x.centre(i), top, x.centre(i), top + plot_h, chart::ink, "stroke-width=\"1.5\" stroke-dasharray=\"4 3\"");
    svg.text(x.centre(i), top - 6, "recommended", "middle", "font-size=\"11\"");
    std::string value = r.values[0].to_string();
    if (two) value += fmt::format(", {} = {}", model.params[result.params[1]].name, r.values[1].to_string());
    items.push_back({chart::LegendItem::Kind::dashed, chart::ink, fmt::format("recommended: {}", value)});
  }
  std::vector<std::string> labels;
  for (const auto& v : xs) labels.push_back(v.to_string());
  chart::band_labels(svg, x, labels, top + plot_h + 18);
  svg.text(left + plot_w / 2, height - 18, param, "middle");
  svg.rect(left, top, plot_w, plot_h, "none", "", fmt::format("stroke=\"{}\"", chart::ink));
  chart::legend(svg, width - legend_w + 8, top + 10, items);
  return svg.finish();
}

}  // namespace slac::rt
