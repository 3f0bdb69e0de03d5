"""Partial evaluation that composes: ``slac eval`` in parts (docs/python.md, "Dask").

An evaluation is split by *site*: a partition owns some sites, that is their devices,
the devices' events and the sites' own events (site signals are read by the devices'
conditions, so they are read where the devices are, and counted once). Every partition
is given the whole inventory (the sites and devices tables).

1. ``scan`` each partition's events: their row count and first and last used event;
   add the scans (``Scan + Scan``): the span of the whole data (SPEC 5) comes from them.
2. ``partial``: a partition's share, as bytes (a version tag first), over that span: per
   SLA and group, the series of the owned devices (in-scope and in-state counts over the
   timeline, device times, event marks) and what the events counted.
3. ``merge`` shares (any grouping, any order: counts add up exactly) and ``reduce``:
   judge the merged series with the code of ``slac eval``. The result is the
   ``Evaluation`` that ``Contract.evaluate`` gives on the whole data, byte for byte, on
   every grouping form, groups that span sites and estate verdicts included.

Shares that cannot be merged exactly are refused with a ``UsageError``: of another
contract, params, options or inventory, a site owned by two shares, a site with devices
owned by none.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

import numpy as np

from . import Contract, Evaluation, UsageError, _EXIT_USAGE, _instant, _raise_for, _slac, _text_for_cpp

__all__ = ["Scan", "scan", "partial", "merge", "reduce"]

_HEADER = "time,entity,signal,value\n"


@dataclass(frozen=True)
class Scan:
    """What a partition's events hold for the span: ``rows`` (every row of the events),
    ``earliest`` and ``latest`` (epoch ms of the first and last used event, None when
    none is used). Scans add up: ``a + b``."""
    rows: int = 0
    earliest: Optional[int] = None
    latest: Optional[int] = None

    def __add__(self, other: "Scan") -> "Scan":
        def pick(f, a, b):
            return b if a is None else a if b is None else f(a, b)
        return Scan(self.rows + other.rows, pick(min, self.earliest, other.earliest),
                    pick(max, self.latest, other.latest))


class Job:
    """One evaluation in parts: the contract, the options of ``Contract.evaluate``
    (``sla``, ``from_``, ``to``, ``set``, ``threads``, ``skip_bad_rows``, ``strict``,
    ``time_unit``, ``data_timezone``) and the inventory as the CSV texts of sites.csv and
    devices.csv. Plain data, so that it pickles to the workers of a cluster."""

    def __init__(self, contract: Contract, sites_csv: str, devices_csv: str, sla=None, from_=None, to=None, set=None,
                 threads: Optional[int] = None, skip_bad_rows: bool = False, strict: bool = False,
                 time_unit: str = "ms", data_timezone: Optional[str] = None):
        if not isinstance(contract, Contract):
            raise TypeError(f"slac: contract must be a slac.Contract (slac.load), not {type(contract).__name__}")
        if threads is not None and (not isinstance(threads, int) or isinstance(threads, bool) or
                                    not 1 <= threads <= 256):
            raise UsageError(f"slac: threads={threads!r}: give a whole number from 1 to 256", _EXIT_USAGE)
        if time_unit not in ("ms", "s"):
            raise UsageError(f"slac: time_unit={time_unit!r}: epoch numbers are in \"ms\" (the default) or \"s\"",
                             _EXIT_USAGE)
        self.contract_path, self.contract_text = contract._path, contract._text
        self.sites_csv, self.devices_csv = sites_csv, devices_csv
        self.slas = [sla] if isinstance(sla, str) else list(sla or [])
        self.from_ = None if from_ is None else _instant(from_)
        self.to = None if to is None else _instant(to)
        self.sets = [f"{k}={v}" for k, v in (set or {}).items()]
        self.threads = threads or 1
        self.skip_bad_rows, self.strict = bool(skip_bad_rows), bool(strict)
        self.time_unit, self.data_timezone = time_unit, data_timezone

    def options(self, events_csv: str = _HEADER):
        o = _slac.DataOptions()
        o.contract = self.contract_path
        o.contract_text = self.contract_text
        o.format = "json"
        o.data = "DataFrame"
        o.files = {"sites.csv": self.sites_csv, "devices.csv": self.devices_csv,
                   "events.csv": _text_for_cpp(events_csv, "the events")}
        o.slas = self.slas
        o.from_ = self.from_
        o.to = self.to
        o.sets = self.sets
        o.threads = self.threads
        o.skip_bad_rows = self.skip_bad_rows
        o.strict = self.strict
        o.time_unit = self.time_unit
        o.data_timezone = self.data_timezone
        return o

    def scan(self, events_csv: str, tables=None) -> Scan:
        ran, rows, earliest, latest = _slac.eval_scan(self.options(events_csv))
        _raise_for(ran, tables)
        return Scan(rows, earliest, latest)

    def partial(self, events_csv: str, sites: Iterable[str], whole: Scan, line_ordinals=None, tables=None) -> bytes:
        if not isinstance(whole, Scan):
            raise TypeError(f"slac: whole must be a slac.partial.Scan (the scans of every partition, added), not "
                            f"{type(whole).__name__}")
        if isinstance(sites, (str, bytes)) or sites is None:
            raise TypeError(f"slac: owned_sites must be a list of site ids, not {type(sites).__name__}")
        if not isinstance(whole.rows, int) or whole.rows < 0 or any(
                t is not None and not isinstance(t, int) for t in (whole.earliest, whole.latest)):
            raise UsageError(f"slac: {whole!r} is not a scan of events: its rows are a count, its times epoch "
                             "milliseconds or None", _EXIT_USAGE)
        ordinals = np.asarray([] if line_ordinals is None else line_ordinals, dtype=np.int64)
        ran, data = _slac.eval_map(self.options(events_csv), [str(s) for s in sites], whole.rows, whole.earliest,
                                   whole.latest, ordinals)
        _raise_for(ran, tables)
        return data

    def merge(self, partials: Sequence[bytes]) -> bytes:
        ran, data = _slac.eval_merge(self.options(), _as_bytes(partials))
        _raise_for(ran, None)
        return data

    def reduce(self, partials: Sequence[bytes]):
        """(the JSON text of ``slac eval``, what it wrote on standard error)."""
        ran = _slac.eval_reduce(self.options(), _as_bytes(partials))
        _raise_for(ran, None)
        return ran.out, ran.err


def _as_bytes(partials) -> list:
    out = list(partials)
    for p in out:
        if not isinstance(p, (bytes, bytearray)):
            raise TypeError(f"slac: a partial is bytes (from slac.partial.partial), not {type(p).__name__}")
    return [bytes(p) for p in out]


def _job(contract, sites, devices, options) -> tuple:
    from ._frames import dataset_files
    import pandas as pd

    files, tables = dataset_files(sites, devices, pd.DataFrame(columns=["time", "entity", "signal", "value"]))
    return Job(contract, files["sites.csv"], files["devices.csv"], **options), tables


def _events(job_tables, events) -> tuple:
    from ._frames import _csv

    text, written = _csv(events, "events")
    tables = dict(job_tables)
    tables["events.csv"] = ("events", events, written)
    return text, tables


def scan(contract: Contract, sites, devices, events, **options) -> Scan:
    """The scan of a partition (step 1): ``sites`` and ``devices`` the whole inventory
    (pandas DataFrames, as for ``Contract.evaluate``), ``events`` the partition's.
    Raises DataError for a bad row (named as in ``Contract.evaluate``)."""
    job, tables = _job(contract, sites, devices, options)
    text, tables = _events(tables, events)
    return job.scan(text, tables)


def partial(contract: Contract, sites, devices, events, *, owned_sites: Iterable[str], whole: Scan,
            **options) -> bytes:
    """A partition's share (step 2), as bytes: the devices of ``owned_sites`` (site
    ids), judged over the span of the whole data, ``whole`` (the scans of every
    partition added). ``events`` must hold every event of the owned sites' devices and
    of the sites themselves; it may hold other rows (unknown ids, undeclared signals:
    counted here, so give each such row to one partition only), but no event of a
    device or site that another partition owns. The options must be the same for every
    share of an evaluation."""
    job, tables = _job(contract, sites, devices, options)
    text, tables = _events(tables, events)
    return job.partial(text, owned_sites, whole, None, tables)


def merge(contract: Contract, sites, devices, partials: Sequence[bytes], **options) -> bytes:
    """Shares merged into one share (for a tree of merges). UsageError when they cannot
    be merged exactly."""
    job, _ = _job(contract, sites, devices, options)
    return job.merge(partials)


def reduce(contract: Contract, sites, devices, partials: Sequence[bytes], **options) -> Evaluation:
    """The judgement (step 3) from the shares of every partition: the ``Evaluation``
    that ``Contract.evaluate`` gives on the whole data. UsageError when a site with
    devices is in no share, or shares cannot be merged exactly."""
    job, _ = _job(contract, sites, devices, options)
    text, err = job.reduce(partials)
    return Evaluation(text, err)


# Ordinals name the rows of partitioned events in warnings: the partition in the high
# bits, the row's position in it in the low ones.
ORDINAL_BITS = 32


def rename_ordinals(text: str) -> str:
    """The reduce's messages name rows by ordinal (``line N``, ``events.csv:N:``): as
    the partition of the events DataFrame and the row's position in it."""
    def name(n: int) -> str:
        return f"events partition {n >> ORDINAL_BITS} row {n & ((1 << ORDINAL_BITS) - 1)}"
    text = re.sub(r"DataFrame/events\.csv:(\d+):", lambda m: name(int(m.group(1))) + ":", text)
    text = text.replace("DataFrame/events.csv", "the events DataFrame")
    return re.sub(r"\bline (\d+)\b", lambda m: name(int(m.group(1))), text)
