// Rows into events: validation against the contract and the inventory, heartbeats
// kept as runs, and the merge of parts in source order (SPEC 3).
#include "runtime/ingest/events.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>

#include <fmt/format.h>

#include "base/source.hpp"
#include "runtime/ingest/values.hpp"

namespace slac::rt::ingest {

namespace {

// A message made printable and cut to a readable length: a row's value may be a
// hundred megabytes, and the message need not repeat it.
std::string bounded(const std::string& message) {
  constexpr std::size_t keep = 400;
  std::string text = printable(message);
  if (text.size() <= keep + 100) return text;
  std::size_t cut = keep;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("{}... ({} more bytes)", text.substr(0, cut), text.size() - cut);
}

}  // namespace

void fail_at(const std::string& path, std::size_t line, const std::string& message) {
  throw DataError(fmt::format("{}:{}: {}", path, line, bounded(message)));
}

EventIngest::EventIngest(Dataset& data, const Model& model, const LoadOptions& options)
    : data_(data), model_(model), options_(options) {
  data_.size_tables(model_.signals.size());
  string_ids_.resize(model_.signals.size());
  for (const auto& [id, idx] : data_.device_index) device_ids_.emplace(id, idx);
  for (const auto& [id, idx] : data_.site_index) site_ids_.emplace(id, idx);
}

void EventIngest::fail(EventPart& part, std::size_t line, const std::string& message) {
  part.error = {line, bounded(message)};
  throw Stop{};
}

void EventIngest::bad_row(EventPart& part, std::size_t line, const std::string& message) {
  if (!options_.skip_bad_rows) fail(part, line, message);
  ++part.counts.skipped_rows;
  if (part.counts.skipped_lines.size() < 10) part.counts.skipped_lines.push_back(line);
  if (part.first_skip_message.empty()) {
    part.first_skip_line = line;
    part.first_skip_message = bounded(message);
  }
}
bool EventIngest::large_estate() const {
  return data_.devices.size() + data_.sites.size() >= options_.prefetch_from;
}

SignalStorage EventIngest::storage(std::size_t signal) const {
  return signal < options_.storage.size() ? options_.storage[signal] : SignalStorage{};
}

// Inlined into each caller below: a call per row costs a few percent of the reader.
__attribute__((always_inline)) inline void EventIngest::take(EventPart& part, std::size_t line, std::int64_t at, std::string_view entity,
                       std::string_view signal, std::string_view value, bool value_present, RowKey key) {
  ++part.counts.rows;
  if (key.signal == RowKey::none) {
    ++part.counts.undeclared_signals;
    auto& u = part.counts.undeclared[std::string(signal)];
    if (u.rows++ == 0) u.first_line = line;
    if (options_.strict) fail(part, line, fmt::format("signal `{}` is not declared in the contract (--strict)", signal));
    return;
  }
  const std::size_t sig = key.signal;
  const SignalInfo& info = model_.signals[sig];
  bool device_level = info.level == Level::device;
  if (key.entity == RowKey::none) {
    auto& other = device_level ? site_ids_ : device_ids_;
    bool wrong_level = other.contains(id_key(entity));
    ++part.counts.unknown_entities;
    auto& u = wrong_level ? part.counts.wrong_level[{std::string(entity), info.name}] : part.counts.unknown[std::string(entity)];
    if (u.rows++ == 0) u.first_line = line;
    if (options_.strict) {
      fail(part, line,
                wrong_level ? fmt::format("`{}` is a {}, but `{}` is a {} signal (--strict)", entity,
                                          device_level ? "site" : "device", info.name, device_level ? "device" : "site")
                            : fmt::format("`{}` is not in the inventory (--strict)", entity));
    }
    return;
  }
  RawEvent ev;
  ev.time = at;
  ev.signal = static_cast<std::uint32_t>(sig);
  switch (info.type) {
    case ValueType::event:
      break;  // a value on an event signal is ignored
    case ValueType::boolean:
      if (value == "true" || value == "1" || iequals(value, "true")) {
        ev.value = 1;
      } else if (value == "false" || value == "0" || iequals(value, "false")) {
        ev.value = 0;
      } else {
        bad_row(part, line, value_present ? fmt::format("`{}` is a bool signal, and {} is not true, false, 1 or 0", info.name, quoted(value))
                                          : fmt::format("`{}` needs a value (true or false)", info.name));
        return;
      }
      break;
    case ValueType::enumeration: {
      auto it = std::find(info.members.begin(), info.members.end(), value);
      if (it == info.members.end()) {
        bad_row(part, line,
                     value_present ? fmt::format("{} is not a value of `{}` ({})", quoted(value), info.name, fmt::join(info.members, ", "))
                                   : fmt::format("`{}` needs a value ({})", info.name, fmt::join(info.members, ", ")));
        return;
      }
      ev.value = static_cast<std::uint32_t>(it - info.members.begin());
      break;
    }
    case ValueType::number: {
      auto d = parse_data_number(value);
      if (!d) {
        bad_row(part, line, value_present ? fmt::format("`{}` is a number signal, and {}", info.name, number_refusal(value))
                                          : fmt::format("`{}` needs a value (a number)", info.name));
        return;
      }
      ev.value = static_cast<std::uint32_t>(part.numbers.size());
      part.numbers.push_back(*d);
      break;
    }
    case ValueType::string:
    case ValueType::timezone: {
      if (!value_present) {
        bad_row(part, line, fmt::format("`{}` needs a value", info.name));
        return;
      }
      auto& ids = part.string_ids[sig];
      auto [it, inserted] = ids.try_emplace(std::string(value), part.strings[sig].size());
      if (inserted) part.strings[sig].emplace_back(value);
      ev.value = static_cast<std::uint32_t>(it->second);
      break;
    }
  }
  ++part.counts.events;
  if (options_.ignore_after && at > *options_.ignore_after) {
    ++part.counts.after_as_of;
    if (!part.earliest_ignored || at < *part.earliest_ignored) part.earliest_ignored = at;
    return;
  }
  if (!part.earliest || at < *part.earliest) part.earliest = at;
  if (!part.latest || at > *part.latest) part.latest = at;
  (device_level ? part.device_bounds : part.site_bounds)[key.entity].add(at);
  SignalStorage keep = storage(sig);
  if (keep.kind == SignalStorage::none) return;
  if (keep.kind == SignalStorage::runs) {
    // Extend one of this signal's latest runs when the event falls inside it or at
    // most the run gap before its start or after its end: `seen within D` (D at least
    // the gap) then holds over the same instants. A late row looks further back, to
    // the run that holds its time, so that it does not start a run of its own (and
    // split the current one); only a few runs back (other signals interleave).
    auto& runs = (device_level ? part.device_runs : part.site_runs)[key.entity];
    for (std::size_t k = runs.size(), looked = 0; k > 0 && looked < 4; --k, ++looked) {
      Run& r = runs[k - 1];
      if (r.signal != ev.signal) continue;
      if (ev.time >= r.first - keep.run_gap && ev.time <= r.last + keep.run_gap) {
        bool earlier = ev.time < r.first;
        r.first = std::min(r.first, ev.time);
        r.last = std::max(r.last, ev.time);
        if (k == runs.size() && !earlier) return;  // the common case: the latest run grows
        // A late row may close the gap to another of the latest runs of the signal,
        // before or after this one: one run then.
        std::size_t at = k - 1;
        for (std::size_t j = runs.size() - std::min<std::size_t>(runs.size(), 5); j < runs.size();) {
          const Run& other = runs[j];
          if (j != at && other.signal == ev.signal && other.first - keep.run_gap <= runs[at].last &&
              other.last + keep.run_gap >= runs[at].first) {
            runs[at].first = std::min(runs[at].first, other.first);
            runs[at].last = std::max(runs[at].last, other.last);
            runs.erase(runs.begin() + static_cast<std::ptrdiff_t>(j));
            if (j < at) --at;
          } else {
            ++j;
          }
        }
        return;
      }
      if (ev.time > r.last) break;  // after this run: a run of its own, after it
    }
    runs.push_back(Run{ev.time, ev.time, ev.signal});
    return;
  }
  (device_level ? part.device_events : part.site_events)[key.entity].push_back(ev);
}
// A row's time: read, or the row counted and skipped (or the run stopped) when it is
// not a time.
__attribute__((always_inline)) inline std::optional<std::int64_t> EventIngest::row_time(EventPart& part, std::size_t line,
                                                                                      std::string_view text) {
  if (std::int64_t at; read_utc_time(text, at)) return at;
  std::string why;
  std::optional<std::int64_t> time = parse_data_time(text, options_.times, why);
  if (!time) {
    ++part.counts.rows;
    bad_row(part, line, why);
  }
  return time;
}

// One row of the events file, fields already split: used, counted or skipped; a row
// that stops the run records its error and throws Stop.
void EventIngest::row(EventPart& part, std::size_t line, std::string_view time_text, std::string_view entity,
                      std::string_view signal, std::string_view value, bool value_present) {
  if (auto at = row_time(part, line, time_text)) row_at(part, line, *at, entity, signal, value, value_present);
}

void EventIngest::row_at(EventPart& part, std::size_t line, std::int64_t at, std::string_view entity,
                         std::string_view signal, std::string_view value, bool value_present) {
  std::size_t sig = signal_of(signal);
  take(part, line, at, entity, signal, value, value_present, RowKey{sig, entity_of(sig, entity)});
}

void EventIngest::row(EventPart& part, std::size_t line, std::string_view time_text, std::string_view entity,
                      std::string_view signal, std::string_view value, bool value_present, RowKey key) {
  if (auto at = row_time(part, line, time_text)) take(part, line, *at, entity, signal, value, value_present, key);
}

EventPart EventIngest::new_part() const {
  EventPart p;
  p.device_events.resize(data_.devices.size());
  p.site_events.resize(data_.sites.size());
  p.device_runs.resize(data_.devices.size());
  p.site_runs.resize(data_.sites.size());
  p.device_bounds.resize(data_.devices.size());
  p.site_bounds.resize(data_.sites.size());
  p.strings.resize(model_.signals.size());
  p.string_ids.resize(model_.signals.size());
  return p;
}

// Merges parts in file order: line numbers made absolute, events appended, value
// indices renumbered, counts summed, and the first error in the file reported.
void EventIngest::merge(std::vector<EventPart>& parts, std::size_t first_line) {
  std::size_t base = first_line;
  const std::string& file = data_.events_file;
  for (auto& part : parts) {
    if (part.error) throw DataError(fmt::format("{}:{}: {}", file, base + part.error->first, part.error->second));
    std::size_t number_base = data_.numbers.size();
    data_.numbers.insert(data_.numbers.end(), part.numbers.begin(), part.numbers.end());
    // String ids: this part's id for each text, as an id of the merged table.
    std::vector<std::vector<std::uint32_t>> string_map(model_.signals.size());
    for (std::size_t sig = 0; sig < model_.signals.size(); ++sig) {
      for (const auto& text : part.strings[sig]) {
        auto [it, inserted] = string_ids_[sig].try_emplace(text, data_.strings[sig].size());
        if (inserted) data_.strings[sig].push_back(text);
        string_map[sig].push_back(static_cast<std::uint32_t>(it->second));
      }
    }
    auto append = [&](std::vector<std::vector<RawEvent>>& into, std::vector<std::vector<RawEvent>>& from) {
      for (std::size_t e = 0; e < from.size(); ++e) {
        for (RawEvent& ev : from[e]) {
          ValueType t = model_.signals[ev.signal].type;
          if (t == ValueType::number) ev.value += static_cast<std::uint32_t>(number_base);
          else if (t == ValueType::string || t == ValueType::timezone) ev.value = string_map[ev.signal][ev.value];
        }
        if (into[e].empty()) {
          into[e] = std::move(from[e]);
        } else {
          into[e].insert(into[e].end(), from[e].begin(), from[e].end());
        }
        std::vector<RawEvent>().swap(from[e]);
      }
    };
    append(data_.device_events, part.device_events);
    append(data_.site_events, part.site_events);
    for (auto pair : {std::pair{&data_.device_runs, &part.device_runs}, std::pair{&data_.site_runs, &part.site_runs}}) {
      for (std::size_t e = 0; e < pair.second->size(); ++e) {
        auto& into = (*pair.first)[e];
        auto& from = (*pair.second)[e];
        if (into.empty()) into = std::move(from);
        else into.insert(into.end(), from.begin(), from.end());
        std::vector<Run>().swap(from);
      }
    }
    DataCounts& c = data_.counts;
    const DataCounts& pc = part.counts;
    c.rows += pc.rows;
    c.events += pc.events;
    c.skipped_rows += pc.skipped_rows;
    c.unknown_entities += pc.unknown_entities;
    c.undeclared_signals += pc.undeclared_signals;
    c.after_as_of += pc.after_as_of;
    for (std::size_t l : pc.skipped_lines) {
      if (c.skipped_lines.size() < 10) c.skipped_lines.push_back(base + l);
    }
    if (c.first_skip_reason.empty() && !part.first_skip_message.empty()) {
      c.first_skip_reason = fmt::format("{}:{}: {}", file, base + part.first_skip_line, part.first_skip_message);
    }
    auto add_up = [&](auto& into_map, const auto& from_map) {
      for (const auto& [key, u] : from_map) {
        auto& into = into_map[key];
        if (into.rows == 0) into.first_line = base + u.first_line;
        into.rows += u.rows;
      }
    };
    add_up(c.undeclared, pc.undeclared);
    add_up(c.unknown, pc.unknown);
    add_up(c.wrong_level, pc.wrong_level);
    if (part.earliest && (!data_.earliest || *part.earliest < *data_.earliest)) data_.earliest = part.earliest;
    if (part.latest && (!data_.latest || *part.latest > *data_.latest)) data_.latest = part.latest;
    for (std::size_t e = 0; e < part.device_bounds.size(); ++e) data_.device_bounds[e].add(part.device_bounds[e]);
    for (std::size_t e = 0; e < part.site_bounds.size(); ++e) data_.site_bounds[e].add(part.site_bounds[e]);
    if (part.earliest_ignored && (!data_.earliest_ignored || *part.earliest_ignored < *data_.earliest_ignored)) {
      data_.earliest_ignored = part.earliest_ignored;
    }
    base += part.lines;
  }
}

std::vector<EventPart> read_in_parts(EventIngest& ingest, const File& file, std::size_t begin, std::size_t threads,
                                     const std::function<void(EventPart&, ByteSource&)>& parse) {
  std::size_t body = file.size() - begin;
  if (threads == 0) threads = body < (16u << 20) ? 1 : std::min<std::size_t>(usable_cpus(), 8);
  std::vector<std::size_t> cuts{begin};
  for (std::size_t k = 1; k < threads; ++k) {
    std::size_t cut = begin + body * k / threads;
    char window[4096];
    std::size_t at = cut;
    while (at < file.size()) {
      std::size_t got = file.read(window, sizeof window, at);
      const void* nl = std::memchr(window, '\n', got);
      if (nl != nullptr) {
        at += static_cast<std::size_t>(static_cast<const char*>(nl) - window) + 1;
        break;
      }
      at += got;
      if (got == 0) break;
    }
    cuts.push_back(std::max(cuts.back(), std::min(at, file.size())));
  }
  cuts.push_back(file.size());
  std::vector<EventPart> parts;
  for (std::size_t k = 0; k < threads; ++k) parts.push_back(ingest.new_part());
  auto run = [&](std::size_t k) {
    FileRange range(file, cuts[k], cuts[k + 1]);
    parse(parts[k], range);
  };
  std::vector<std::thread> workers;
  for (std::size_t k = 1; k < threads; ++k) workers.emplace_back(run, k);
  std::exception_ptr failed;
  try {
    run(0);
  } catch (...) {
    failed = std::current_exception();
  }
  for (auto& w : workers) w.join();
  if (failed) std::rethrow_exception(failed);
  return parts;
}

}  // namespace slac::rt::ingest
