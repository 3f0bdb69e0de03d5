"""``slac eval`` on a Dask cluster: ``slac.dask.evaluate`` (docs/python.md, "Dask").

The events are split by the site that owns each row's entity (a device's site, or the
site itself), each input partition into one piece per bucket of sites; each bucket's
pieces are joined in input order and mapped to a partial on a worker
(``slac.partial``); the partials are merged in a tree and judged by the code of ``slac
eval``. The span of the whole data comes from a scan of every piece, done where the
piece is made. Any Dask scheduler runs it: a ``distributed.Client`` made before the call
(a ``LocalCluster`` or a real cluster's address) is used as Dask uses it.
"""
from __future__ import annotations

import zlib
from typing import Optional

import numpy as np
import pandas as pd

from . import Contract, DataError, Evaluation, UsageError, _EXIT_USAGE
from .partial import ORDINAL_BITS, Job, Scan, rename_ordinals

__all__ = ["evaluate"]

# Partials merged at once in the tree of merges.
_FAN_IN = 8
# The columns of the events that the reader reads (SPEC 3), in the pieces' order.
_COLUMNS = ("time", "entity", "signal", "value")


def _bucket(site: str, buckets: int) -> int:
    """A site's bucket: stable across processes and runs (not Python's hash)."""
    return zlib.crc32(site.encode("utf-8", "surrogateescape")) % buckets


def _split(part: pd.DataFrame, index: int, job: Job, owner: dict, buckets: int) -> list:
    """An input partition's rows as one piece per bucket, in their order: (the CSV text
    of the events file, each line's ordinal, the piece's Scan)."""
    from ._frames import csv_text, written as written_frame

    if index >= 1 << (63 - ORDINAL_BITS) or len(part) >= 1 << ORDINAL_BITS:
        raise UsageError(f"slac: events partition {index} is too large to number its rows (2**32 rows at most)",
                         _EXIT_USAGE)
    written = written_frame(part, "events")
    # Every piece in one order of columns, the reader's (other columns are ignored):
    # a bucket's pieces are joined under one header, whatever order each partition had.
    written = written[[c for c in _COLUMNS if c in written.columns]]
    if "entity" in written.columns:
        entity = written["entity"]
        if pd.api.types.infer_dtype(entity, skipna=False) != "string":
            entity = entity.map(lambda v: "" if v is None else str(v))
        bucket = entity.map(owner)
        unknown = bucket.isna()
        if unknown.any():
            bucket[unknown] = entity[unknown].map(lambda e: _bucket(e, buckets))
        bucket = bucket.to_numpy(dtype=np.int64)
    else:  # the reader says what is missing, once
        bucket = np.zeros(len(written), dtype=np.int64)
    header = written.head(0).to_csv(index=False, lineterminator="\n")
    positions = np.arange(len(written), dtype=np.int64)
    pieces = []
    for b in range(buckets):
        mask = bucket == b
        if not mask.any():
            pieces.append((header, np.zeros(0, dtype=np.int64), Scan()))
            continue
        rows = written[mask]
        body = csv_text(rows, part[mask], "events")
        body = body[body.index("\n") + 1:]  # (the header, of plain names, is one line)
        ordinals = (index << ORDINAL_BITS) + positions[mask]
        if body.count("\n") != len(rows):
            # Texts holding line ends: such a row spans more lines of the file than one.
            extra = np.zeros(len(rows), dtype=np.int64)
            for c in rows.columns:
                if rows[c].dtype == object:
                    extra += rows[c].map(lambda v: v.count("\n") if isinstance(v, str) else 0).to_numpy(dtype=np.int64)
            ordinals = np.repeat(ordinals, 1 + extra)
        tables = {"events.csv": ("events", part[mask], rows)}
        try:
            scan = job.scan(header + body, tables)
        except DataError as e:
            raise _in_partition(e, index, positions[mask]) from None
        pieces.append((header + body, ordinals, scan))
    return pieces


def _in_partition(e: DataError, index: int, positions: np.ndarray) -> DataError:
    """A DataError about a piece's row, named by the row's place in the events
    partition it came from."""
    if e.table != "events" or e.row is None:
        return e
    row = int(positions[e.row])
    message = e.message.replace(f"events row {e.row} (", f"events partition {index} row {row} (", 1)
    error = DataError(message, e.stderr, e.file, None, "events", row)
    error.partition = index
    return error


def _whole(*scans) -> Scan:
    total = Scan()
    for pieces in scans:
        for _, _, scan in pieces:
            total = total + scan
    return total


def _map(job: Job, sites: list, whole: Scan, *pieces) -> bytes:
    """A bucket's partial from its pieces (in input order), joined under one header."""
    def header_of(piece):
        return piece[0][:piece[0].index("\n") + 1] if "\n" in piece[0] else piece[0]
    rows = [p for p in pieces if len(p[1])]
    header = header_of(rows[0]) if rows else header_of(pieces[0]) if pieces else ""
    for p in rows:
        if header_of(p) != header:
            raise UsageError(f"slac: events partition {int(p[1][0]) >> ORDINAL_BITS} has the columns "
                             f"{header_of(p).strip()!r}, another {header.strip()!r}: every partition of the events "
                             "has the columns time, entity, signal and value", _EXIT_USAGE)
    text = header + "".join(p[0][len(header_of(p)):] for p in rows)
    ordinals = np.concatenate([p[1] for p in pieces]) if pieces else np.zeros(0, dtype=np.int64)
    return job.partial(text, sites, whole, ordinals)


def _merge(job: Job, *partials) -> bytes:
    return job.merge(partials)


def _reduce(job: Job, *partials) -> tuple:
    return job.reduce(partials)


def _frame(x, name: str) -> pd.DataFrame:
    if hasattr(x, "compute") and not isinstance(x, pd.DataFrame):
        x = x.compute()
    if not isinstance(x, pd.DataFrame):
        raise TypeError(f"slac: {name} must be a pandas or Dask DataFrame, not {type(x).__name__}")
    return x


def evaluate(contract, events, sites, devices, *, partitions: Optional[int] = None, sla=None, from_=None, to=None,
             set=None, threads: Optional[int] = None, skip_bad_rows: bool = False, strict: bool = False,
             time_unit: str = "ms", data_timezone: Optional[str] = None) -> Evaluation:
    """Judges ``contract`` (a ``slac.Contract``, or a path or text for ``slac.load``)
    over ``events``, a Dask DataFrame (or pandas) with the columns of SPEC 3 (``time``,
    ``entity``, ``signal``, ``value``), and the inventory ``sites`` and ``devices``
    (pandas DataFrames, small enough for every worker to hold: each task reads all of
    it). Returns the ``Evaluation`` of ``Contract.evaluate`` on the same data, byte for
    byte (``to_json()``).

    ``partitions``: how many buckets of sites are mapped at once (by default the
    events' partitions); each is one task holding its sites' events. The other options
    are ``Contract.evaluate``'s; ``threads`` are the reading threads of each task (1 by
    default: Dask runs the tasks at once). Computed with Dask's current scheduler (a
    ``distributed.Client``, if one was made). Raises ContractError, UsageError or
    DataError as ``Contract.evaluate`` does; a bad event row is named by its Dask
    partition and position there (``DataError.row``, ``.partition``), and warnings of
    rows left out likewise."""
    import dask
    import dask.dataframe as dd
    from ._frames import dataset_files

    if partitions is not None and (not isinstance(partitions, int) or isinstance(partitions, bool) or
                                   not 1 <= partitions <= 100_000):
        raise UsageError(f"slac: partitions={partitions!r}: give a whole number from 1 to 100000", _EXIT_USAGE)
    if not isinstance(contract, Contract):
        contract = Contract(contract)
    sites, devices = _frame(sites, "sites"), _frame(devices, "devices")
    if isinstance(events, pd.DataFrame):
        events = dd.from_pandas(events, npartitions=max(1, partitions or 1), sort=False)
    if not isinstance(events, dd.DataFrame):
        raise TypeError(f"slac: events must be a Dask or pandas DataFrame, not {type(events).__name__}")
    buckets = partitions or events.npartitions
    empty = pd.DataFrame(columns=["time", "entity", "signal", "value"])
    files, tables = dataset_files(sites, devices, empty)
    job = Job(contract, files["sites.csv"], files["devices.csv"], sla=sla, from_=from_, to=to, set=set,
              threads=threads, skip_bad_rows=skip_bad_rows, strict=strict, time_unit=time_unit,
              data_timezone=data_timezone)
    # The contract, the options and the inventory, checked here once: their errors are
    # the caller's, named by DataFrame rows.
    job.scan(files["events.csv"], tables)

    # Each entity's bucket: a device's is its site's.
    site_ids = tables["sites.csv"][2]["site"].map(str) if "site" in tables["sites.csv"][2].columns else pd.Series([], dtype=object)
    owner = {s: _bucket(s, buckets) for s in site_ids}
    written_devices = tables["devices.csv"][2]
    if {"device", "site"} <= set_(written_devices.columns):
        for d, s in zip(written_devices["device"].map(str), written_devices["site"].map(str)):
            owner[d] = _bucket(s, buckets)
    owned = [[] for _ in range(buckets)]
    for s in site_ids:
        owned[owner[s]].append(s)

    owner_d = dask.delayed(owner, pure=True)
    job_d = dask.delayed(job, pure=True)
    split = [dask.delayed(_split, pure=True, nout=buckets)(part, i, job_d, owner_d, buckets)
             for i, part in enumerate(events.to_delayed())]
    whole = dask.delayed(_whole, pure=True)(*split)
    level = [dask.delayed(_map, pure=True)(job_d, owned[b], whole, *[pieces[b] for pieces in split])
             for b in range(buckets)]
    while len(level) > _FAN_IN:
        level = [dask.delayed(_merge, pure=True)(job_d, *level[k:k + _FAN_IN]) for k in range(0, len(level), _FAN_IN)]
    (text, err), = dask.compute(dask.delayed(_reduce, pure=True)(job_d, *level))
    return Evaluation(text, rename_ordinals(err))


set_ = set  # `set` is an option's name in evaluate
