// slac-gen: a seeded generator of realistic EV-charging estates and their event
// histories, for the benchmarks and the bundled example. See bench/README.md.
//
// The model: sites in several time zones, each with a few chargers (rapid or slow,
// with an asset value); chargers are commissioned, deployed and sometimes retired;
// they send heartbeats at a fixed interval (with jitter) except while offline; they
// fail (offline, or a `fault` status) at random with repair times that are shorter
// in business hours (or, with --repairs business-hours, that run only in business
// hours); drivers start charging sessions, more by day than by night;
// sites have planned maintenance windows. Rows come out roughly in time order, with
// a share delivered late (out of order), as gateways do.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

namespace {

struct Options {
  int sites = 40;
  int first_site = 1;        // the number of the first site (S001): parts of one estate
  int devices_per_site = 4;
  int days = 90;
  std::string start = "2026-01-01";
  int heartbeat_minutes = 5;
  std::uint64_t seed = 1;
  std::string out = "data";
  bool epoch = false;        // times as epoch milliseconds instead of RFC 3339
  double late_share = 0.02;  // rows delivered late
  double fault_days = 25;    // mean days between failures of a charger
  double sessions = 1.0;     // scales the session rates
  bool whole_seconds = false;  // drop the milliseconds of every time
  bool repairs_in_business_hours = false;  // technicians work only mon-fri 08:00-18:00 local
  double bad_weeks = 0;      // mean weeks between a site's bad weeks (failures 5x as often); 0: none
};

[[noreturn]] void usage() {
  std::fputs(
      "usage: slac-gen [--sites N] [--first-site N] [--devices-per-site N] [--days N] [--start YYYY-MM-DD]\n"
      "                [--heartbeat-minutes N] [--seed N] [--epoch-ms] [--late-share F]\n"
      "                [--fault-days F] [--sessions F] [--whole-seconds]\n"
      "                [--repairs any|business-hours] [--bad-weeks F] --out DIR\n"
      "Writes DIR/sites.csv, DIR/devices.csv and DIR/events.csv.\n",
      stderr);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--sites") o.sites = std::stoi(next());
    else if (a == "--first-site") o.first_site = std::stoi(next());
    else if (a == "--devices-per-site") o.devices_per_site = std::stoi(next());
    else if (a == "--days") o.days = std::stoi(next());
    else if (a == "--start") o.start = next();
    else if (a == "--heartbeat-minutes") o.heartbeat_minutes = std::stoi(next());
    else if (a == "--seed") o.seed = std::stoull(next());
    else if (a == "--out") o.out = next();
    else if (a == "--epoch-ms") o.epoch = true;
    else if (a == "--late-share") o.late_share = std::stod(next());
    else if (a == "--fault-days") o.fault_days = std::stod(next());
    else if (a == "--sessions") o.sessions = std::stod(next());
    else if (a == "--whole-seconds") o.whole_seconds = true;
    else if (a == "--bad-weeks") o.bad_weeks = std::stod(next());
    else if (a == "--repairs") {
      std::string v = next();
      if (v != "any" && v != "business-hours") usage();
      o.repairs_in_business_hours = v == "business-hours";
    }
    else usage();
  }
  return o;
}

using Ms = std::int64_t;
constexpr Ms minute = 60'000, hour = 3'600'000, day = 86'400'000;

struct Row {
  Ms time;
  std::uint32_t entity;   // index into names
  std::uint8_t signal;    // 0 heartbeat, 1 status, 2 session, 3 lifecycle, 4 maintenance
  std::uint8_t value;
};

const char* signal_names[] = {"heartbeat", "status", "session", "lifecycle", "maintenance"};
const char* values[5][3] = {{"", "", ""}, {"ok", "fault", ""}, {"idle", "charging", ""},
                            {"commissioning", "deployed", "retired"}, {"false", "true", ""}};

struct Zone {
  const char* name;
  double weight;
};
const Zone zones[] = {{"Europe/London", 0.35}, {"Europe/Paris", 0.2}, {"Europe/Berlin", 0.1},
                      {"America/New_York", 0.15}, {"Australia/Sydney", 0.1}, {"Asia/Kolkata", 0.1}};

// With --repairs business-hours: the instant at which `work` of business time
// (mon-fri 08:00-18:00, local) from `t` is done; repairs wait for the technicians.
Ms business_time_end(const date::time_zone* tz, Ms t, Ms work) {
  constexpr Ms step = 15 * minute;
  while (true) {
    auto local = tz->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}});
    Ms local_ms = local.time_since_epoch().count();
    Ms local_hour = (local_ms % day) / hour;
    unsigned weekday = date::weekday{date::sys_days{date::days{local_ms / day}}}.iso_encoding();  // 1 = Monday
    Ms next = t + step - (local_ms % step);
    if (weekday <= 5 && local_hour >= 8 && local_hour < 18) {
      if (next - t >= work) return t + work;
      work -= next - t;
    }
    t = next;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> u01(0, 1);
  auto exp = [&](double mean) { return -mean * std::log(1 - u01(rng)); };
  std::filesystem::create_directories(o.out);

  int y, m, d;
  if (std::sscanf(o.start.c_str(), "%d-%d-%d", &y, &m, &d) != 3) usage();
  Ms t0 = date::sys_days{date::year{y} / m / d}.time_since_epoch().count() * day;
  Ms t1 = t0 + o.days * day;

  std::vector<std::string> names;
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(o.sites) * o.devices_per_site * o.days * (1440 / std::max(1, o.heartbeat_minutes) + 20));

  FILE* sites = std::fopen((o.out + "/sites.csv").c_str(), "w");
  FILE* devices = std::fopen((o.out + "/devices.csv").c_str(), "w");
  std::fputs("site,name,timezone,capacity,vip\n", sites);
  std::fputs("device,site,kind,value,installed\n", devices);
  std::vector<double> cumulative;
  double total = 0;
  for (const auto& z : zones) cumulative.push_back(total += z.weight);

  for (int s = 0; s < o.sites; ++s) {
    double pick = u01(rng) * total;
    const Zone& zone = zones[std::lower_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin()];
    const date::time_zone* tz = date::locate_zone(zone.name);
    std::string site = fmt::format("S{:03}", o.first_site + s);
    int n = std::max(1, static_cast<int>(std::lround(o.devices_per_site * (0.5 + u01(rng)))));
    int capacity = std::max(1, n / 2);
    fmt::print(sites, "{},\"Car park {}, {}\",{},{},{}\n", site, o.first_site + s, zone.name, zone.name, capacity, u01(rng) < 0.15 ? "true" : "false");
    std::uint32_t site_index = static_cast<std::uint32_t>(names.size());
    names.push_back(site);
    // Planned maintenance: about monthly, 2-4 hours, on a weekday morning, local time.
    for (Ms t = t0 + static_cast<Ms>(u01(rng) * 20 * day); t < t1; t += static_cast<Ms>((25 + u01(rng) * 10) * day)) {
      auto local = tz->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}});
      Ms local_ms = local.time_since_epoch().count();
      Ms start_local = (local_ms / day) * day + 6 * hour;
      Ms start = start_local - (local_ms - t);
      Ms length = static_cast<Ms>((2 + u01(rng) * 2) * hour);
      rows.push_back({start, site_index, 4, 1});
      rows.push_back({start + length, site_index, 4, 0});
    }
    // Bad weeks (--bad-weeks): seven days in which the site's chargers fail five times
    // as often (a faulty batch, a heat wave, a vandal).
    std::vector<std::pair<Ms, Ms>> bad_weeks;
    if (o.bad_weeks > 0) {
      for (Ms t = t0 - 7 * day + static_cast<Ms>(exp(o.bad_weeks * 7) * day); t < t1; t += static_cast<Ms>(exp(o.bad_weeks * 7) * day)) {
        bad_weeks.emplace_back(t, t + 7 * day);
        t += 7 * day;
      }
    }
    // The gap to a charger's next failure from t: exponential, or with bad weeks drawn
    // by thinning at the bad weeks' rate.
    auto next_failure = [&](Ms t) -> Ms {
      if (bad_weeks.empty()) return static_cast<Ms>(exp(o.fault_days) * day);
      Ms at = t;
      for (;;) {
        at += static_cast<Ms>(exp(o.fault_days / 5) * day);
        bool bad = std::any_of(bad_weeks.begin(), bad_weeks.end(), [&](const auto& w) { return w.first <= at && at < w.second; });
        if (bad || u01(rng) < 0.2) return at - t;
      }
    };
    for (int k = 0; k < n; ++k) {
      std::string dev = fmt::format("{}-C{}", site, k + 1);
      bool rapid = u01(rng) < 0.35;
      fmt::print(devices, "{},{},{},{},{}\n", dev, site, rapid ? "rapid" : "slow", rapid ? 3 : 1,
                 date::format("%F", date::sys_days{date::days{(t0 - 30 * day) / day}}));
      std::uint32_t e = static_cast<std::uint32_t>(names.size());
      names.push_back(dev);
      // Lifecycle: most deployed before the start; some commissioned during, a few retired.
      Ms commissioned = u01(rng) < 0.9 ? t0 - static_cast<Ms>(u01(rng) * 60 * day) : t0 + static_cast<Ms>(u01(rng) * o.days * 0.6 * day);
      Ms deployed = commissioned + static_cast<Ms>((1 + u01(rng) * 5) * day);
      Ms retired = u01(rng) < 0.05 ? t0 + static_cast<Ms>(u01(rng) * o.days * day) : t1 + day;
      // Chargers installed before the history starts appear in a snapshot an hour
      // before it, as an export of the current state would show them.
      Ms snapshot = t0 - hour;
      if (deployed <= snapshot) {
        rows.push_back({snapshot, e, 3, 1});
      } else {
        rows.push_back({std::max(commissioned, snapshot), e, 3, 0});
        rows.push_back({deployed, e, 3, 1});
      }
      if (retired < t1) rows.push_back({retired, e, 3, 2});
      Ms live_from = std::max(commissioned, snapshot);
      Ms live_to = std::min(retired, t1);
      rows.push_back({live_from, e, 1, 0});
      rows.push_back({live_from, e, 2, 0});
      // Failures: offline (no heartbeats) or faulted, every ~25 days per charger.
      std::vector<std::pair<Ms, Ms>> offline;
      for (Ms t = live_from + next_failure(live_from); t < live_to; t += next_failure(t)) {
        auto local = tz->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}});
        Ms local_hour = (local.time_since_epoch().count() % day) / hour;
        double mean_repair_h = (o.repairs_in_business_hours || (local_hour >= 8 && local_hour < 18)) ? 3 : 9;
        Ms repair = static_cast<Ms>(std::max(0.1, exp(mean_repair_h)) * hour);
        if (o.repairs_in_business_hours) repair = business_time_end(tz, t, repair) - t;
        if (u01(rng) < 0.5) {
          offline.emplace_back(t, t + repair);
        } else {
          rows.push_back({t, e, 1, 1});
          rows.push_back({t + repair, e, 1, 0});
        }
        t += repair;
      }
      // Heartbeats, with jitter, except while offline.
      std::size_t next_off = 0;
      Ms step = static_cast<Ms>(o.heartbeat_minutes) * minute;
      for (Ms t = live_from + static_cast<Ms>(u01(rng) * step); t < live_to; t += step) {
        while (next_off < offline.size() && offline[next_off].second <= t) ++next_off;
        if (next_off < offline.size() && offline[next_off].first <= t) continue;
        rows.push_back({t + static_cast<Ms>(u01(rng) * 20) * 1000, e, 0, 0});
      }
      // Sessions: more by day; 20-90 minutes.
      double base = (rapid ? 0.35 : 0.15) * o.sessions;  // sessions per hour at the daytime peak
      for (Ms t = std::max(live_from, t0); base > 0 && t < live_to;) {
        auto local = tz->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}});
        Ms local_hour = (local.time_since_epoch().count() % day) / hour;
        double rate = base * ((local_hour >= 7 && local_hour < 21) ? 1.0 : 0.15);
        Ms gap = static_cast<Ms>(exp(1.0 / rate) * hour);
        t += gap;
        if (t >= live_to) break;
        Ms length = static_cast<Ms>((20 + u01(rng) * 70) * minute);
        rows.push_back({t, e, 2, 1});
        rows.push_back({t + length, e, 2, 0});
        t += length;
      }
    }
  }
  std::fclose(sites);
  std::fclose(devices);

  // Time order, then late deliveries: a share of rows moved later in the file.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.time < b.time; });
  std::size_t late = static_cast<std::size_t>(static_cast<double>(rows.size()) * o.late_share);
  for (std::size_t k = 0; k < late && rows.size() > 2; ++k) {
    std::size_t i = static_cast<std::size_t>(u01(rng) * static_cast<double>(rows.size() - 1));
    std::size_t j = std::min(rows.size() - 1, i + static_cast<std::size_t>(u01(rng) * 2000));
    std::swap(rows[i], rows[j]);
  }

  FILE* events = std::fopen((o.out + "/events.csv").c_str(), "w");
  std::vector<char> buffer(1 << 20);
  std::setvbuf(events, buffer.data(), _IOFBF, buffer.size());
  std::fputs("time,entity,signal,value\n", events);
  fmt::memory_buffer line;
  for (Row r : rows) {
    line.clear();
    if (o.whole_seconds) r.time -= r.time % 1000;
    if (o.epoch) {
      fmt::format_to(std::back_inserter(line), "{}", r.time);
    } else {
      date::sys_time<std::chrono::milliseconds> tp{std::chrono::milliseconds{r.time}};
      auto dp = date::floor<date::days>(tp);
      date::year_month_day ymd{dp};
      date::hh_mm_ss<std::chrono::milliseconds> hms{tp - dp};
      fmt::format_to(std::back_inserter(line), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
      if (hms.subseconds().count() != 0) fmt::format_to(std::back_inserter(line), ".{:03}", hms.subseconds().count());
      line.push_back('Z');
    }
    fmt::format_to(std::back_inserter(line), ",{},{},{}\n", names[r.entity], signal_names[r.signal], values[r.signal][r.value]);
    std::fwrite(line.data(), 1, line.size(), events);
  }
  std::fclose(events);
  std::fprintf(stderr, "slac-gen: %zu events, %zu entities in %s\n", rows.size(), names.size(), o.out.c_str());
  return 0;
}
