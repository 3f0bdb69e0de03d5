// A partition's share of an evaluation, the exact merge of shares, and their bytes.
// Everything merged is exact: counts are integers that add, devices and event marks
// join, values that only one share can know (a site's) come from the share that owns
// the site; what cannot be merged so is refused.
#include "runtime/partial.hpp"

#include <algorithm>
#include <iterator>
#include <numeric>

#include <fmt/format.h>

#include "base/time.hpp"
#include "runtime/calendar.hpp"
#include "runtime/number_mean.hpp"

namespace slac::rt {

Partial make_partial(const Plan& plan, Dataset& data, const std::vector<bool>& owned_sites, std::string key,
                     std::int64_t timeline_start, std::int64_t from, std::int64_t to,
                     const std::vector<std::size_t>& selected) {
  if (owned_sites.size() != data.sites.size()) throw PartialError("a partition must say, for each site, whether it owns it");
  std::vector<bool> owned(data.devices.size());
  for (std::size_t d = 0; d < data.devices.size(); ++d) owned[d] = owned_sites[data.devices[d].site];
  // Another share counts the events of the sites this one does not own: held here too,
  // they would be counted twice.
  auto foreign = [](const std::vector<EventBounds>& bounds, const std::vector<bool>& mine) -> std::optional<std::size_t> {
    for (std::size_t k = 0; k < bounds.size() && k < mine.size(); ++k) {
      if (bounds[k].any() && !mine[k]) return k;
    }
    return std::nullopt;
  };
  if (auto d = foreign(data.device_bounds, owned)) {
    throw PartialError(fmt::format("the partition holds events of device `{}` of site `{}`, which it does not own; a "
                                   "site's events, its devices' included, belong to the partition that owns it",
                                   data.devices[*d].id, data.sites[data.devices[*d].site].id));
  }
  if (auto site = foreign(data.site_bounds, owned_sites)) {
    throw PartialError(fmt::format("the partition holds events of site `{}`, which it does not own; a site's events, its "
                                   "devices' included, belong to the partition that owns it",
                                   data.sites[*site].id));
  }
  Partial p;
  p.key = std::move(key);
  p.timeline_start = timeline_start;
  p.from = from;
  p.to = to;
  p.selected = selected;
  p.devices = data.devices.size();
  p.sites = owned_sites;
  p.series = build_series(plan, data, timeline_start, to, from, to, selected, true, &owned);
  p.counts = data.counts;
  p.earliest = data.earliest;
  p.latest = data.latest;
  p.device_bounds = data.device_bounds;
  p.site_bounds = data.site_bounds;
  return p;
}

namespace {

// ---- merging ----

// The sum of two step functions over the same timeline, neighbours of equal value
// joined (as the sweep of build_series makes them).
std::vector<GroupSeries::Segment> add_counts(const std::vector<GroupSeries::Segment>& a,
                                             const std::vector<GroupSeries::Segment>& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  if (a.front().start != b.front().start || a.back().end != b.back().end) {
    throw PartialError("the partials' series cover different timelines");
  }
  std::vector<GroupSeries::Segment> out;
  std::size_t i = 0, j = 0;
  std::int64_t at = a.front().start;
  while (i < a.size() && j < b.size()) {
    std::int64_t end = std::min(a[i].end, b[j].end);
    GroupSeries::Segment s{at, end, a[i].in_scope + b[j].in_scope, a[i].in_state + b[j].in_state};
    if (!out.empty() && out.back().in_scope == s.in_scope && out.back().in_state == s.in_state) {
      out.back().end = end;
    } else {
      out.push_back(s);
    }
    at = end;
    if (a[i].end == end) ++i;
    if (b[j].end == end) ++j;
  }
  return out;
}

// Both shares computed a value from the inventory alone: it must be the same.
template <typename T>
void same(const T& a, const T& b, const GroupSeries& g, const char* what) {
  if (!(a == b)) throw PartialError(fmt::format("the partials disagree on the {} of group `{}`", what, g.id));
}

// `b` into `a`, groups of the same id of one SLA. `b_owns_site`: whether b's share owns
// the group's site (the first site for groups that span sites), whose values it then
// gives: the exclusions of a site are only known where its events are.
void merge_group(GroupSeries& a, GroupSeries&& b, bool b_owns_site) {
  same(a.site, b.site, a, "site");
  same(a.weight_scale, b.weight_scale, a, "weight scale");
  same(a.site_count, b.site_count, a, "site count");
  if (a.amount_attributes.empty()) a.amount_attributes = std::move(b.amount_attributes);
  else if (!b.amount_attributes.empty()) same(a.amount_attributes, b.amount_attributes, a, "attributes of penalty amounts");
  a.counts = add_counts(a.counts, b.counts);
  if (b_owns_site) {
    a.base_measurable = std::move(b.base_measurable);
    a.excluded_at_end = b.excluded_at_end;
  }
  if (a.events && b.events) a.events->add(*b.events);
  else if (b.events) a.events = b.events;
  std::vector<EventMark> marks;
  marks.reserve(a.event_marks.size() + b.event_marks.size());
  std::merge(a.event_marks.begin(), a.event_marks.end(), b.event_marks.begin(), b.event_marks.end(),
             std::back_inserter(marks), [](const EventMark& x, const EventMark& y) { return x.time < y.time; });
  a.event_marks = std::move(marks);
  // Devices in inventory order, as one share would list them.
  std::vector<DeviceTime> devices = std::move(a.devices);
  std::vector<MeanSteps> steps = std::move(a.mean_steps);
  for (auto& d : b.devices) devices.push_back(std::move(d));
  for (auto& s : b.mean_steps) steps.push_back(std::move(s));
  std::vector<std::size_t> order(devices.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return devices[x].device < devices[y].device; });
  a.devices.clear();
  a.mean_steps.clear();
  for (std::size_t k : order) {
    a.devices.push_back(std::move(devices[k]));
    if (k < steps.size()) a.mean_steps.push_back(std::move(steps[k]));
  }
}

// A share's `mean of` values interned into `into`, its steps renumbered.
void renumber_values(SlaSeries& series, MeanValues& into) {
  if (!series.mean_values) return;
  std::vector<std::int32_t> index;
  for (const auto& [num, den] : mean_value_texts(*series.mean_values)) index.push_back(intern_mean_value(into, num, den));
  for (GroupSeries& g : series.groups) {
    for (MeanSteps& steps : g.mean_steps) {
      for (auto& [t, v] : steps) {
        if (v != unknown_value) v = index[static_cast<std::size_t>(v)];
      }
    }
  }
}

// The zones of the groups' windows rebuilt in group order, as build_series lists them:
// the contract's first, then each other zone where a group first uses it.
void rebuild_zones(SlaSeries& series) {
  std::vector<Zone> zones{series.zones[0]};
  std::vector<Windows> windows{std::move(series.windows[0])};
  std::vector<std::optional<std::size_t>> renumber(series.zones.size());
  renumber[0] = 0;
  for (GroupSeries& g : series.groups) {
    auto& slot = renumber[g.zone];
    if (!slot) {
      auto it = std::find_if(zones.begin(), zones.end(), [&](const Zone& z) { return z.name == series.zones[g.zone].name; });
      if (it != zones.end()) {
        slot = static_cast<std::size_t>(it - zones.begin());
      } else {
        slot = zones.size();
        zones.push_back(series.zones[g.zone]);
        windows.push_back(std::move(series.windows[g.zone]));
      }
    }
    g.zone = *slot;
  }
  series.zones = std::move(zones);
  series.windows = std::move(windows);
}

void merge_series(SlaSeries& a, SlaSeries&& b, const std::vector<bool>& b_sites) {
  // b's zones joined to a's, by name, so that every group names one of a's.
  std::vector<std::size_t> zone_of(b.zones.size());
  for (std::size_t k = 0; k < b.zones.size(); ++k) {
    auto it = std::find_if(a.zones.begin(), a.zones.end(), [&](const Zone& z) { return z.name == b.zones[k].name; });
    if (it == a.zones.end()) {
      a.zones.push_back(b.zones[k]);
      a.windows.push_back(std::move(b.windows[k]));
      it = a.zones.end() - 1;
    }
    zone_of[k] = static_cast<std::size_t>(it - a.zones.begin());
  }
  for (GroupSeries& g : b.groups) g.zone = zone_of[g.zone];
  if (a.mean_values || b.mean_values) {
    auto values = std::make_shared<MeanValues>();
    renumber_values(a, *values);
    renumber_values(b, *values);
    a.mean_values = std::move(values);
  }
  std::vector<GroupSeries> groups;
  groups.reserve(a.groups.size() + b.groups.size());
  auto x = a.groups.begin(), y = b.groups.begin();
  while (x != a.groups.end() || y != b.groups.end()) {
    if (y == b.groups.end() || (x != a.groups.end() && x->id < y->id)) {
      groups.push_back(std::move(*x++));
    } else if (x == a.groups.end() || y->id < x->id) {
      groups.push_back(std::move(*y++));
    } else {
      std::size_t site = x->site.value_or(0);
      merge_group(*x, std::move(*y), site < b_sites.size() && b_sites[site]);
      groups.push_back(std::move(*x++));
      ++y;
    }
  }
  a.groups = std::move(groups);
  rebuild_zones(a);
}

template <typename Key>
void merge_unknown(std::map<Key, DataCounts::Unknown>& a, const std::map<Key, DataCounts::Unknown>& b) {
  for (const auto& [k, u] : b) {
    auto [it, fresh] = a.try_emplace(k, u);
    if (fresh) continue;
    it->second.rows += u.rows;
    it->second.first_line = std::min(it->second.first_line, u.first_line);
  }
}

void merge_counts(DataCounts& a, const DataCounts& b) {
  a.rows += b.rows;
  a.events += b.events;
  a.unknown_entities += b.unknown_entities;
  a.undeclared_signals += b.undeclared_signals;
  a.after_as_of += b.after_as_of;
  // The first skipped rows of both, in row order, and the first one's reason.
  if (!b.skipped_lines.empty() && (a.skipped_lines.empty() || b.skipped_lines.front() < a.skipped_lines.front())) {
    a.first_skip_reason = b.first_skip_reason;
  }
  a.skipped_rows += b.skipped_rows;
  a.skipped_lines.insert(a.skipped_lines.end(), b.skipped_lines.begin(), b.skipped_lines.end());
  std::sort(a.skipped_lines.begin(), a.skipped_lines.end());
  if (a.skipped_lines.size() > 10) a.skipped_lines.resize(10);
  merge_unknown(a.undeclared, b.undeclared);
  merge_unknown(a.unknown, b.unknown);
  merge_unknown(a.wrong_level, b.wrong_level);
}

void merge_bound(std::optional<std::int64_t>& a, const std::optional<std::int64_t>& b, bool earliest) {
  if (!b) return;
  a = !a ? *b : earliest ? std::min(*a, *b) : std::max(*a, *b);
}

}  // namespace

void merge_partial(const Plan&, Partial& into, Partial&& other) {
  if (into.key != other.key) {
    throw PartialError("the partials are of different evaluations (another contract, params, options or inventory)");
  }
  if (into.timeline_start != other.timeline_start || into.from != other.from || into.to != other.to) {
    throw PartialError(fmt::format("the partials judge different spans ({} .. {} and {} .. {})", format_instant(into.from),
                                   format_instant(into.to), format_instant(other.from), format_instant(other.to)));
  }
  if (into.whole_rows != other.whole_rows || into.whole_earliest != other.whole_earliest ||
      into.whole_latest != other.whole_latest) {
    throw PartialError("the partials were made from different scans of the whole data (every share of an evaluation is "
                       "given the scans of every partition, added)");
  }
  if (into.selected != other.selected || into.series.size() != other.series.size() || into.devices != other.devices ||
      into.sites.size() != other.sites.size()) {
    throw PartialError("the partials are of different evaluations (another selection of SLAs or inventory)");
  }
  for (std::size_t s = 0; s < into.sites.size(); ++s) {
    if (into.sites[s] && other.sites[s]) {
      throw PartialError(fmt::format("two partials hold the devices of the site at row {} of the sites table; a site "
                                     "belongs to one partition",
                                     s + 1));
    }
  }
  for (std::size_t k = 0; k < into.series.size(); ++k) merge_series(into.series[k], std::move(other.series[k]), other.sites);
  for (std::size_t s = 0; s < into.sites.size(); ++s) into.sites[s] = into.sites[s] || other.sites[s];
  merge_counts(into.counts, other.counts);
  merge_bound(into.earliest, other.earliest, true);
  merge_bound(into.latest, other.latest, false);
  auto add_bounds = [](std::vector<EventBounds>& a, const std::vector<EventBounds>& b) {
    if (a.size() < b.size()) a.resize(b.size());
    for (std::size_t i = 0; i < b.size(); ++i) a[i].add(b[i]);
  };
  add_bounds(into.device_bounds, other.device_bounds);
  add_bounds(into.site_bounds, other.site_bounds);
}

const std::vector<SlaSeries>& complete_series(const Partial& whole, const Dataset& inventory) {
  if (whole.devices != inventory.devices.size() || whole.sites.size() != inventory.sites.size()) {
    throw PartialError("the partials are of another inventory");
  }
  std::vector<bool> has_devices(inventory.sites.size(), false);
  for (const Device& d : inventory.devices) has_devices[d.site] = true;
  std::vector<std::string> missing;
  for (std::size_t s = 0; s < inventory.sites.size(); ++s) {
    if (has_devices[s] && !whole.sites[s]) missing.push_back("`" + inventory.sites[s].id + "`");
  }
  if (!missing.empty()) {
    std::size_t n = missing.size();
    if (n > 5) missing.resize(5);
    throw PartialError(fmt::format("no partial holds the devices of {} site{}: {}{}; every partition must be evaluated",
                                   n, n == 1 ? "" : "s", fmt::join(missing, ", "), n > 5 ? ", ..." : ""));
  }
  // Rows of no site's (unknown ids, undeclared signals) are in shares that own no site:
  // only the scans say whether every such share is in, once.
  if (whole.counts.rows != whole.whole_rows || whole.earliest != whole.whole_earliest ||
      whole.latest != whole.whole_latest) {
    throw PartialError(fmt::format("the partials hold {} row{} of events, the scans of the whole data {}: a partition is "
                                   "missing or merged twice, or holds rows that another one holds too (each row belongs "
                                   "to one partition)",
                                   whole.counts.rows, whole.counts.rows == 1 ? "" : "s", whole.whole_rows));
  }
  return whole.series;
}

// ---- bytes ----
//
// "slac-partial", a version, then the fields in order: integers as LEB128 varints
// (signed ones zigzagged), texts and lists with their length first.

namespace {

constexpr std::string_view magic = "slac-partial";
constexpr std::uint64_t version = 2;

// FNV-1a, 64 bits, of the bytes before it: damage (a flipped bit, a stray byte) is
// refused rather than judged.
std::uint64_t checksum(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}
constexpr std::size_t checksum_size = 8;

// A text of the bytes for a message: its printable ASCII, other bytes as \xNN.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) out.push_back(c);
    else out += fmt::format("\\x{:02x}", u);
  }
  return out;
}

class Writer {
 public:
  void u(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void i(std::int64_t v) { u((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
  void b(bool v) { u(v ? 1 : 0); }
  void text(std::string_view s) {
    u(s.size());
    out_.append(s);
  }
  void raw(std::string_view s) { out_.append(s); }
  void opt(const std::optional<std::int64_t>& v) {
    b(v.has_value());
    if (v) i(*v);
  }
  void decimal(const Decimal& d) {
    i(d.units);
    u(d.scale);
  }
  void spans(const std::vector<std::pair<std::int64_t, std::int64_t>>& s) {
    u(s.size());
    for (const auto& [a, z] : s) {
      i(a);
      i(z);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t u() {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (at_ >= in_.size()) truncated();
      auto byte = static_cast<unsigned char>(in_[at_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    truncated();
  }
  std::int64_t i() {
    std::uint64_t z = u();
    return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  bool b() { return u() != 0; }
  // A count of items that each take at least one byte: never more than the bytes left.
  std::size_t count() {
    std::uint64_t n = u();
    if (n > in_.size() - at_) truncated();
    return static_cast<std::size_t>(n);
  }
  std::string text() {
    std::size_t n = count();
    std::string s(in_.substr(at_, n));
    at_ += n;
    return s;
  }
  std::string_view raw(std::size_t n) {
    if (n > in_.size() - at_) truncated();
    std::string_view s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  std::optional<std::int64_t> opt() {
    if (!b()) return std::nullopt;
    return i();
  }
  Decimal decimal() {
    Decimal d;
    d.units = i();
    std::uint64_t scale = u();
    if (scale > Decimal::max_scale) bad("a decimal's scale");
    d.scale = static_cast<std::uint8_t>(scale);
    return d;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> spans() {
    std::vector<std::pair<std::int64_t, std::int64_t>> s(count());
    for (auto& [a, z] : s) {
      a = i();
      z = i();
    }
    return s;
  }
  std::size_t index(std::size_t bound, const char* what) {
    std::uint64_t v = u();
    if (v >= bound) bad(what);
    return static_cast<std::size_t>(v);
  }
  bool done() const { return at_ == in_.size(); }
  [[noreturn]] static void truncated() { throw PartialError("the partial's bytes are cut short or not a partial"); }
  [[noreturn]] static void bad(const char* what) { throw PartialError(fmt::format("the partial's bytes hold a bad {}", what)); }

 private:
  std::string_view in_;
  std::size_t at_ = 0;
};

// Keys are an id, or an (id, signal) pair.
void write_key(Writer& w, const std::string& k) { w.text(k); }
void write_key(Writer& w, const std::pair<std::string, std::string>& k) {
  w.text(k.first);
  w.text(k.second);
}
void read_key(Reader& r, std::string& k) { k = r.text(); }
void read_key(Reader& r, std::pair<std::string, std::string>& k) {
  k.first = r.text();
  k.second = r.text();
}

template <typename Key>
void write_unknowns(Writer& w, const std::map<Key, DataCounts::Unknown>& m) {
  w.u(m.size());
  for (const auto& [k, x] : m) {
    write_key(w, k);
    w.u(x.rows);
    w.u(x.first_line);
  }
}

template <typename Key>
void read_unknowns(Reader& r, std::map<Key, DataCounts::Unknown>& m) {
  for (std::size_t n = r.count(); n > 0; --n) {
    Key k;
    read_key(r, k);
    DataCounts::Unknown x;
    x.rows = r.u();
    x.first_line = r.u();
    m.emplace(std::move(k), x);
  }
}

void write_bounds(Writer& w, const std::vector<EventBounds>& bounds) {
  // Only the entities with events: a share has few of the inventory's.
  std::size_t n = static_cast<std::size_t>(std::count_if(bounds.begin(), bounds.end(), [](const EventBounds& b) { return b.any(); }));
  w.u(bounds.size());
  w.u(n);
  for (std::size_t k = 0; k < bounds.size(); ++k) {
    if (!bounds[k].any()) continue;
    w.u(k);
    w.i(bounds[k].first);
    w.i(bounds[k].last);
  }
}

std::vector<EventBounds> read_bounds(Reader& r, std::size_t entities) {
  std::uint64_t size = r.u();
  if (size != 0 && size != entities) Reader::bad("table of event bounds");
  std::vector<EventBounds> bounds(size);
  for (std::size_t n = r.count(); n > 0; --n) {
    std::size_t k = r.index(bounds.size(), "entity");
    bounds[k].first = r.i();
    bounds[k].last = r.i();
  }
  return bounds;
}

void write_group(Writer& w, const SlaSeries& series, const GroupSeries& g) {
  w.text(g.id);
  w.opt(g.site ? std::optional<std::int64_t>(static_cast<std::int64_t>(*g.site)) : std::nullopt);
  w.text(series.zones[g.zone].name);
  w.u(g.counts.size());
  for (const auto& s : g.counts) {
    w.i(s.start);
    w.i(s.end);
    w.i(s.in_scope);
    w.i(s.in_state);
  }
  w.i(g.weight_scale);
  w.decimal(g.site_count);
  w.u(g.amount_attributes.size());
  for (const auto& [a, v] : g.amount_attributes) {
    w.u(a);
    w.decimal(v);
  }
  w.spans(g.base_measurable);
  w.b(g.excluded_at_end);
  w.b(g.events.has_value());
  if (g.events) {
    w.i(g.events->first);
    w.i(g.events->last);
  }
  w.u(g.event_marks.size());
  for (const auto& m : g.event_marks) {
    w.i(m.time);
    w.b(m.good);
  }
  w.u(g.devices.size());
  for (const auto& d : g.devices) {
    w.u(d.device);
    w.u(d.site);
    w.spans(d.measured);
    w.spans(d.good);
    w.u((d.in_scope_at_end ? 1u : 0u) | (d.in_state_at_end ? 2u : 0u) | (d.excluded_at_end ? 4u : 0u));
  }
  w.u(g.mean_steps.size());
  for (const auto& steps : g.mean_steps) {
    w.u(steps.size());
    for (const auto& [t, v] : steps) {
      w.i(t);
      w.i(v);
    }
  }
}

}  // namespace

std::string to_bytes(const Partial& p) {
  Writer w;
  w.raw(magic);
  w.u(version);
  w.text(p.key);
  w.i(p.timeline_start);
  w.i(p.from);
  w.i(p.to);
  w.u(p.selected.size());
  for (std::size_t s : p.selected) w.u(s);
  w.u(p.devices);
  w.u(p.sites.size());
  for (bool s : p.sites) w.b(s);
  const DataCounts& c = p.counts;
  for (std::uint64_t n : {c.rows, c.events, c.skipped_rows, c.unknown_entities, c.undeclared_signals, c.after_as_of}) w.u(n);
  w.u(c.skipped_lines.size());
  for (std::size_t l : c.skipped_lines) w.u(l);
  w.text(c.first_skip_reason);
  write_unknowns(w, c.undeclared);
  write_unknowns(w, c.unknown);
  write_unknowns(w, c.wrong_level);
  w.opt(p.earliest);
  w.opt(p.latest);
  w.u(p.whole_rows);
  w.opt(p.whole_earliest);
  w.opt(p.whole_latest);
  write_bounds(w, p.device_bounds);
  write_bounds(w, p.site_bounds);
  for (const SlaSeries& series : p.series) {
    w.u(series.sla);
    w.u(series.groups.size());
    for (const GroupSeries& g : series.groups) write_group(w, series, g);
    std::vector<std::pair<std::string, std::string>> values;
    if (series.mean_values) values = mean_value_texts(*series.mean_values);
    w.b(series.mean_values != nullptr);
    w.u(values.size());
    for (const auto& [num, den] : values) {
      w.text(num);
      w.text(den);
    }
  }
  std::string out = w.take();
  std::uint64_t sum = checksum(out);
  for (std::size_t k = 0; k < checksum_size; ++k) out.push_back(static_cast<char>((sum >> (8 * k)) & 0xff));
  return out;
}

Partial from_bytes(const Plan& plan, std::string_view bytes, std::size_t devices, std::size_t sites) {
  if (bytes.substr(0, magic.size()) != magic) throw PartialError("these bytes are not a slac partial");
  Reader r(bytes.substr(magic.size()));
  if (std::uint64_t v = r.u(); v != version) {
    throw PartialError(fmt::format("the partial is of version {}, this slac reads version {}", v, version));
  }
  if (bytes.size() < magic.size() + checksum_size) Reader::truncated();
  std::uint64_t sum = 0;
  for (std::size_t k = 0; k < checksum_size; ++k) {
    sum |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[bytes.size() - checksum_size + k])) << (8 * k);
  }
  if (sum != checksum(bytes.substr(0, bytes.size() - checksum_size))) {
    throw PartialError("the partial's bytes are damaged or cut short (their checksum does not match)");
  }
  bytes.remove_suffix(checksum_size);
  r = Reader(bytes.substr(magic.size()));
  r.u();
  Partial p;
  p.key = r.text();
  p.timeline_start = r.i();
  p.from = r.i();
  p.to = r.i();
  p.selected.resize(r.count());
  for (std::size_t& s : p.selected) s = r.index(plan.slas.size(), "SLA");
  p.devices = r.u();
  p.sites.resize(r.count());
  // Sizes that the tables below are made of: the inventory's, or nothing is read.
  if (p.devices != devices || p.sites.size() != sites) {
    throw PartialError(fmt::format("the partial is of another inventory ({} devices and {} sites; this one has {} and {})",
                                   p.devices, p.sites.size(), devices, sites));
  }
  for (std::size_t s = 0; s < p.sites.size(); ++s) p.sites[s] = r.b();
  DataCounts& c = p.counts;
  for (std::uint64_t* n : {&c.rows, &c.events, &c.skipped_rows, &c.unknown_entities, &c.undeclared_signals, &c.after_as_of}) {
    *n = r.u();
  }
  c.skipped_lines.resize(r.count());
  for (std::size_t& l : c.skipped_lines) l = r.u();
  c.first_skip_reason = r.text();
  read_unknowns(r, c.undeclared);
  read_unknowns(r, c.unknown);
  read_unknowns(r, c.wrong_level);
  p.earliest = r.opt();
  p.latest = r.opt();
  p.whole_rows = r.u();
  p.whole_earliest = r.opt();
  p.whole_latest = r.opt();
  p.device_bounds = read_bounds(r, p.devices);
  p.site_bounds = read_bounds(r, p.sites.size());
  const Model& m = *plan.model;
  for (std::size_t k = 0; k < p.selected.size(); ++k) {
    SlaSeries series;
    series.sla = r.index(plan.slas.size(), "SLA");
    if (series.sla != p.selected[k]) Reader::bad("order of SLAs");
    const SlaPlan& s = plan.slas[series.sla];
    series.zones.push_back(m.timezone);
    series.windows.push_back(windows(s.window, s.window_count, m.timezone, p.from, p.to));
    for (std::size_t n = r.count(); n > 0; --n) {
      GroupSeries g;
      g.id = r.text();
      if (auto site = r.opt()) {
        if (*site < 0 || static_cast<std::size_t>(*site) >= p.sites.size()) Reader::bad("site");
        g.site = static_cast<std::size_t>(*site);
      }
      std::string zone = r.text();
      auto it = std::find_if(series.zones.begin(), series.zones.end(), [&](const Zone& z) { return z.name == zone; });
      if (it == series.zones.end()) {
        std::optional<Zone> found = find_zone(zone);
        if (!found) {
          throw PartialError(fmt::format("the partial names the time zone `{}`, which this system does not know",
                                         printable(zone)));
        }
        series.zones.push_back(*found);
        series.windows.push_back(windows(s.window, s.window_count, *found, p.from, p.to));
        it = series.zones.end() - 1;
      }
      g.zone = static_cast<std::size_t>(it - series.zones.begin());
      g.counts.resize(r.count());
      for (auto& seg : g.counts) {
        seg.start = r.i();
        seg.end = r.i();
        seg.in_scope = r.i();
        seg.in_state = r.i();
      }
      g.weight_scale = r.i();
      g.site_count = r.decimal();
      for (std::size_t a = r.count(); a > 0; --a) {
        std::size_t attribute = r.index(m.attributes.size(), "attribute");
        g.amount_attributes.emplace_back(attribute, r.decimal());
      }
      g.base_measurable = r.spans();
      g.excluded_at_end = r.b();
      if (r.b()) {
        EventBounds e;
        e.first = r.i();
        e.last = r.i();
        g.events = e;
      }
      g.event_marks.resize(r.count());
      for (auto& mark : g.event_marks) {
        mark.time = r.i();
        mark.good = r.b();
      }
      g.devices.resize(r.count());
      for (auto& d : g.devices) {
        d.device = r.index(p.devices, "device");
        d.site = r.index(p.sites.size(), "site");
        d.measured = r.spans();
        d.good = r.spans();
        std::uint64_t flags = r.u();
        d.in_scope_at_end = flags & 1;
        d.in_state_at_end = flags & 2;
        d.excluded_at_end = flags & 4;
      }
      g.mean_steps.resize(r.count());
      for (auto& steps : g.mean_steps) {
        steps.resize(r.count());
        for (auto& [t, v] : steps) {
          t = r.i();
          v = static_cast<std::int32_t>(r.i());
        }
      }
      series.groups.push_back(std::move(g));
    }
    bool has_values = r.b();
    std::size_t n_values = r.count();
    if (has_values) {
      auto values = std::make_shared<MeanValues>();
      for (std::size_t v = 0; v < n_values; ++v) {
        std::string num = r.text();
        std::string den = r.text();
        if (num.empty() || den.empty() || den.find_first_not_of("0123456789") != std::string::npos ||
            num.find_first_not_of("-0123456789") != std::string::npos || den == "0") {
          Reader::bad("value");
        }
        intern_mean_value(*values, num, den);
      }
      for (const auto& g : series.groups) {
        for (const auto& steps : g.mean_steps) {
          for (const auto& [t, v] : steps) {
            if (v != unknown_value && (v < 0 || static_cast<std::size_t>(v) >= n_values)) Reader::bad("value index");
          }
        }
      }
      series.mean_values = std::move(values);
    }
    p.series.push_back(std::move(series));
  }
  if (!r.done()) throw PartialError("the partial's bytes go on past its end");
  return p;
}

}  // namespace slac::rt
