// Partial evaluation that composes: a partition's share of an evaluation (the series of
// the sites it owns, with what its events file counted), the exact merge of shares, and
// their bytes, so that partitions can be evaluated anywhere (a Dask worker) and judged
// together by the code that judges one whole dataset (docs/python.md, "Dask").
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/plan.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/ingest/dataset.hpp"

namespace slac::rt {

// Shares that cannot be merged exactly (another contract or inventory, a site owned
// twice, a site owned by none): refused, never judged approximately.
struct PartialError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A partition's share. A partition owns whole sites: their devices, the devices'
// events and the sites' own events (site signals are read by the devices' conditions,
// so they are read where the devices are, and counted once). Every partition holds the
// whole inventory, so groups, ids, weights' scale and static values are the whole's.
struct Partial {
  // What the shares must agree on: the contract, its params and selection, the options
  // and the inventory, as the caller names them (cli/partial.cpp: a hash of them).
  std::string key;
  std::int64_t timeline_start = 0;    // evaluate.hpp's timeline_start over the whole data
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::vector<std::size_t> selected;
  std::size_t devices = 0;            // the inventory's size
  std::vector<bool> sites;            // per site: owned by (one of the partitions merged into) this share
  // Per selected SLA, its groups with the owned devices only: `counts` add up across
  // shares, `devices` and `event_marks` join, site-level values come from the owner.
  std::vector<SlaSeries> series;
  // What the events read by this share counted (SPEC 5.1 `data`). Line numbers must be
  // comparable across shares (the caller's row ordinals): the merge keeps the smallest
  // as the first.
  DataCounts counts;
  std::optional<std::int64_t> earliest;
  std::optional<std::int64_t> latest;
  // The scans of every partition, added, as the caller gave them to each share: what
  // the merged counts must come to once every partition is in (complete_series), so
  // that a partition left out or merged twice is refused, not judged.
  std::uint64_t whole_rows = 0;
  std::optional<std::int64_t> whole_earliest;
  std::optional<std::int64_t> whole_latest;
  std::vector<EventBounds> device_bounds;  // per device, per site, as Dataset's
  std::vector<EventBounds> site_bounds;
};

// The share of the devices of `owned_sites` (one flag per site of `data`), over the
// whole data's timeline [timeline_start, to) and span [from, to), with the dataset's
// counts and bounds. `data` holds the whole inventory and at least the owned sites'
// events, and no event of a device or site it does not own (a PartialError: another
// share counts those). The devices' events are freed as they are done.
Partial make_partial(const Plan& plan, Dataset& data, const std::vector<bool>& owned_sites, std::string key,
                     std::int64_t timeline_start, std::int64_t from, std::int64_t to,
                     const std::vector<std::size_t>& selected);

// Adds `other` to `into`: the same key, span and selection, no site owned by both.
// Associative and commutative in the judgement it leads to. Throws PartialError.
void merge_partial(const Plan& plan, Partial& into, Partial&& other);

// The merged series, ready for judge(), once every site with devices is owned and the
// rows add up to the scans of the whole data: throws PartialError naming the sites no
// share owns, or saying that the rows do not add up.
const std::vector<SlaSeries>& complete_series(const Partial& whole, const Dataset& inventory);

// Bytes to ship a share between processes (a version tag first, a checksum last), and
// back. from_bytes throws PartialError for bytes that are not a share of this version,
// are damaged, or are of an inventory of another size than `devices` and `sites`.
std::string to_bytes(const Partial& partial);
Partial from_bytes(const Plan& plan, std::string_view bytes, std::size_t devices, std::size_t sites);

}  // namespace slac::rt
