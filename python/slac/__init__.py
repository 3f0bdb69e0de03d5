"""slac: SLA contracts of connected products, compiled and judged from Python.

The same code as the ``slac`` program (docs/cli.md), on contract files or texts, and on
dataset folders, PostgreSQL URIs or pandas DataFrames::

    import slac
    contract = slac.load("examples/acme-retail.sla")
    ev = contract.evaluate(data="examples/ev-estate")
    ev.results          # one row per SLA, window and group (SPEC 5.1)
    ev.total_penalty    # decimal.Decimal, in the contract's currency

Errors raise ``ContractError`` (the contract has errors; ``.diagnostics``),
``UsageError`` (an option is wrong) or ``DataError`` (a row of the data is wrong:
``.file``, ``.line`` and, for DataFrames, ``.table`` and ``.row``), all ``SlacError``,
whose message is the program's. See docs/python.md.
"""
from __future__ import annotations

import json
import os
import re
import warnings as _warnings
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _slac

__all__ = ["check", "load", "Contract", "Evaluation", "Status", "WhatIf", "CheckResult", "SlacError",
           "ContractError", "UsageError", "DataError", "DataWarning"]

# Exit codes of the program (SPEC 5).
_EXIT_FAILED, _EXIT_USAGE, _EXIT_DATA = 1, 2, 3


class SlacError(Exception):
    """A command did not run to its end. ``message``: the program's words;
    ``exit_code``: the program's exit code (SPEC 5); ``stderr``: all it wrote there."""

    def __init__(self, message: str, exit_code: int, stderr: str = ""):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.stderr = stderr

    def __reduce__(self):
        # Raised on a Dask worker, it travels pickled: rebuilt from its attributes.
        return _unpickle_error, (type(self), self.__dict__)


def _unpickle_error(cls, state):
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message"))
    error.__dict__.update(state)
    return error


class ContractError(SlacError):
    """The contract has errors. ``diagnostics``: a list of dicts as ``slac check
    --format json`` gives them (``severity``, ``code``, ``file``, ``line``, ``column``,
    ``message``, ``notes``, ...); the message holds them located, ``file:line:col``."""

    def __init__(self, message: str, diagnostics: list, stderr: str = ""):
        super().__init__(message, _EXIT_FAILED, stderr)
        self.diagnostics = diagnostics


class UsageError(SlacError, ValueError):
    """An option is wrong (exit code 2): an unknown SLA, a bad ``set`` or instant, a
    folder that does not exist, ..."""


class DataError(SlacError):
    """A row of the data is wrong (exit code 3). ``file`` and ``line`` locate it (a
    database names the row by its key instead, and ``line`` is None); for DataFrames,
    ``table`` (``"sites"``, ``"devices"`` or ``"events"``) and ``row`` (the row's
    position, 0 for the first) say which, and the message names the row's index label."""

    def __init__(self, message: str, stderr: str = "", file: Optional[str] = None, line: Optional[int] = None,
                 table: Optional[str] = None, row: Optional[int] = None):
        super().__init__(message, _EXIT_DATA, stderr)
        self.file, self.line, self.table, self.row = file, line, table, row


class DataWarning(UserWarning):
    """Rows the data left out (unknown ids, undeclared signals, rows skipped with
    ``skip_bad_rows``), as the program warns of them on standard error; for
    DataFrames the rows are named by position and index label. Also in the result's
    ``data_warnings``."""


def _data_warnings(stderr: str, tables) -> list:
    out = []
    for line in stderr.splitlines():
        if not line.startswith("warning: "):
            continue
        message = line[len("warning: "):]
        if tables is not None:
            from ._frames import rename_lines
            message = rename_lines(message, tables)
        out.append(message)
        _warnings.warn(message, DataWarning, stacklevel=4)
    return out


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found: ``ok`` (no error), the counts, and ``diagnostics`` (dicts
    as ``slac check --format json`` gives them)."""
    ok: bool
    errors: int
    warnings: int
    diagnostics: list


def _describe(contract: Union[str, os.PathLike], name: Optional[str]) -> tuple[str, str, dict]:
    """The contract's name in messages, its text (read once: a Contract is judged as it
    was loaded), and what the compiler says of it. An existing file is a path; a
    string holding a line end, or starting with `contract `, is the contract's text."""
    if isinstance(contract, str) and not os.path.exists(contract) and \
            ("\n" in contract or contract.lstrip().startswith("contract ")):
        shown = name or "<string>"
        return shown, contract, _slac.describe(shown, contract)
    path = os.fspath(contract)
    if os.path.isdir(path):
        raise UsageError(f"slac: {path} is a folder, not a contract file", _EXIT_USAGE)
    if not os.path.isfile(path):
        raise UsageError(f"slac: {path}: no such contract file", _EXIT_USAGE)
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    # Named as given, as the program names it (its imports are found from its folder).
    shown = path if name is None else name
    return shown, text, _slac.describe(shown, _text_for_cpp(text, shown))


def _text_for_cpp(text: str, what: str) -> str:
    """The text, if it can be passed on as UTF-8; else a UsageError saying where it
    cannot (a lone surrogate), instead of a TypeError quoting all of it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        line = text.count("\n", 0, e.start) + 1
        raise UsageError(f"slac: {what}:{line}: a character that is not Unicode text (a lone surrogate, "
                         f"{text[e.start]!a})", _EXIT_USAGE) from None
    return text


def check(contract: Union[str, os.PathLike], name: Optional[str] = None) -> CheckResult:
    """Checks a contract: a path to a ``.sla`` file, or the contract's text (named
    ``name`` in diagnostics, ``<string>`` by default). Never raises for errors in the
    contract: they are in the result (the same as ``slac check --format json``)."""
    _, _, d = _describe(contract, name)
    return CheckResult(d["ok"], d["errors"], d["warnings"], json.loads(d["diagnostics"]))


def load(contract: Union[str, os.PathLike], name: Optional[str] = None) -> "Contract":
    """Compiles a contract (a path, or its text named ``name``) for evaluation.
    Raises ContractError, with the located diagnostics, when it has errors; UsageError
    when the file does not exist."""
    return Contract(contract, name)


# The columns of an empty result, so that code reading them works on no rows too
# (SPEC 5.1, 5.2).
_RESULT_COLUMNS = ["sla", "kind", "window_start", "window_end", "group", "measured_s", "good_s", "attainment",
                   "outages", "longest_outage_s", "target", "met", "near_miss", "penalty"]
_VERDICT_COLUMNS = ["sla", "window_start", "window_end", "groups", "groups_met", "met", "penalty"]
_STATUS_COLUMNS = ["sla", "window_start", "window_end", "group", "state", "failing_now", "measured_so_far_s",
                   "good_so_far_s", "measured_total_s", "budget_s", "budget_used_s", "budget_left_s", "breach_at",
                   "p_meet"]


def _rows_frame(rows: list, columns: Sequence[str]):
    import pandas as pd

    flat = []
    for r in rows:
        f = {}
        for k, v in r.items():
            if k == "window":
                f["window_start"], f["window_end"] = v["start"], v["end"]
            else:
                f[k] = v
        flat.append(f)
    frame = pd.DataFrame(flat, columns=list(columns) if not flat else None)
    for c in ("window_start", "window_end", "breach_at"):
        if c in frame.columns:
            frame[c] = pd.to_datetime(frame[c], utc=True)
    return frame


def _money(frame):
    """The penalty column as exact decimals (None where there is none)."""
    if "penalty" in frame.columns:
        frame["penalty"] = frame["penalty"].map(lambda v: None if v is None else Decimal(str(v)))
    return frame


class Evaluation:
    """The judgement of ``Contract.evaluate`` (SPEC 5.1).

    ``results``: a DataFrame, one row per SLA or KPI, window and group, with the row
    fields of SPEC 5.1 (``sla``, ``kind``, ``group``, ``measured_s``, ``good_s``,
    ``attainment``, ``met``, ``penalty``, ...) and ``window_start``/``window_end`` as
    UTC timestamps. ``verdicts``: one row per SLA and window. ``total_penalty``: a
    ``decimal.Decimal`` in ``currency``; the ``penalty`` columns hold Decimals too.
    ``warnings``: the judgement's warnings (dicts: ``code``, ``message``, ...);
    ``data_warnings``: what the data left out (texts; also raised as DataWarning);
    ``json``: the parsed JSON (its ``data`` holds the row counts); ``stderr``: all
    the program wrote there. ``to_json()``: exactly the text of ``slac eval --format
    json``."""

    def __init__(self, text: str, stderr: str, tables=None):
        self._text = text
        self.stderr = stderr
        self.data_warnings = _data_warnings(stderr, tables)
        self.json = json.loads(text, parse_float=Decimal)
        self.currency = self.json.get("currency")
        self.total_penalty = Decimal(self.json["totals"]["penalty"])
        self.warnings = self.json.get("warnings", [])

    @property
    def results(self):
        frame = _rows_frame(self.json["results"], _RESULT_COLUMNS)
        for c in ("attainment", "rounded_attainment", "target"):
            if c in frame.columns:
                frame[c] = frame[c].astype(float)
        return _money(frame)

    @property
    def verdicts(self):
        return _money(_rows_frame(self.json["verdicts"], _VERDICT_COLUMNS))

    def to_json(self) -> str:
        return self._text


class Status:
    """The windows in progress at ``as_of`` (SPEC 5.2). ``groups``: a DataFrame, one
    row per SLA, window and group in the order to work on them, with ``state``,
    ``failing_now``, ``budget_left_s``, ``breach_at`` (a UTC timestamp or NaT),
    ``p_meet``, ...; ``to_json()``: exactly ``slac status --format json``."""

    def __init__(self, text: str, stderr: str, tables=None):
        self._text = text
        self.stderr = stderr
        self.data_warnings = _data_warnings(stderr, tables)
        self.json = json.loads(text)
        self.as_of = self.json["as_of"]
        self.warnings = self.json.get("warnings", [])

    @property
    def groups(self):
        return _rows_frame(self.json["groups"], _STATUS_COLUMNS)

    def to_json(self) -> str:
        return self._text


class WhatIf:
    """A sweep of one or two params (SPEC 5.3): ``rows``, a DataFrame with a column
    per swept param (its value: a share for a percentage, seconds for a duration) and
    ``group_windows``, ``met``, ``met_share``, ``breaches``, ``penalty`` per value;
    ``recommended`` (the index of the recommended row, or None); ``json`` as ``slac
    whatif --format json`` gives it; ``to_json()`` its text."""

    def __init__(self, text: str, stderr: str):
        self._text = text
        self.stderr = stderr
        self.json = json.loads(text, parse_float=Decimal)
        self.recommended = self.json.get("recommended")

    @property
    def rows(self):
        import pandas as pd

        return pd.DataFrame([{**r["params"], **{k: v for k, v in r.items() if k != "params"}}
                             for r in self.json["rows"]])

    def to_json(self) -> str:
        return self._text


@dataclass(frozen=True)
class Sla:
    """An SLA or KPI of the contract: its ``name``, ``kind`` (``"sla"`` or ``"kpi"``)
    and ``text`` (its declaration as written)."""
    name: str
    kind: str
    text: str


_LINE = re.compile(r"^(?P<file>[^\n]*?):(?P<line>\d+): (?P<rest>.*)$", re.S)


class Contract:
    """A compiled contract (``slac.load``). ``name``, ``customer``, ``currency``,
    ``timezone``; ``slas``: its SLAs and KPIs in declaration order; ``params``: a dict
    of each param's value as written (``"90%"``, ``"1h15m"``)."""

    def __init__(self, contract: Union[str, os.PathLike], name: Optional[str] = None):
        self._path, self._text, d = _describe(contract, name)
        self._text = _text_for_cpp(self._text, self._path)
        if not d["ok"]:
            diagnostics = json.loads(d["diagnostics"])
            located = "\n".join(
                f"{x.get('file')}:{x.get('line')}:{x.get('column')}: {x.get('severity')}"
                f"{'[' + x['code'] + ']' if x.get('code') else ''}: {x.get('message')}" for x in diagnostics)
            raise ContractError(f"{self._path} has errors:\n{located}", diagnostics)
        self.diagnostics = json.loads(d["diagnostics"])
        self.name = d["name"]
        self.customer = d["customer"]
        self.currency = d["currency"]
        self.timezone = d["timezone"]
        self.slas = [Sla(s["name"], s["kind"], s["text"]) for s in d["slas"]]
        self.params = dict(d["params"])

    def __repr__(self) -> str:
        return f"<slac.Contract {self.name!r}: {len(self.slas)} SLAs and KPIs>"

    def _options(self, sites, devices, events, data, sla, from_, to, set, threads, skip_bad_rows, strict, time_unit,
                 data_timezone, data_schema, data_map):
        o = _slac.DataOptions()
        o.contract = self._path
        o.contract_text = self._text
        o.format = "json"
        frames = [x is not None for x in (sites, devices, events)]
        if any(frames) and data is not None:
            raise UsageError("slac: give either data= or the sites, devices and events DataFrames, not both", _EXIT_USAGE)
        tables = None
        if any(frames):
            if not all(frames):
                raise UsageError("slac: give the sites, devices and events DataFrames together", _EXIT_USAGE)
            from ._frames import dataset_files
            o.data = "DataFrame"
            files, tables = dataset_files(sites, devices, events)
            o.files = files
        elif data is None:
            raise UsageError("slac: no data: give data= (a dataset folder or a PostgreSQL URI) or the sites, devices "
                             "and events DataFrames", _EXIT_USAGE)
        else:
            o.data = os.fspath(data)
        o.slas = [sla] if isinstance(sla, str) else list(sla or [])
        o.from_ = None if from_ is None else _instant(from_)
        o.to = None if to is None else _instant(to)
        o.sets = [f"{k}={v}" for k, v in (set or {}).items()]
        if threads is not None and (not isinstance(threads, int) or isinstance(threads, bool) or
                                    not 1 <= threads <= 256):
            raise UsageError(f"slac: threads={threads!r}: give a whole number from 1 to 256 (or None: the CPUs this "
                             "process may use, at most 8)", _EXIT_USAGE)
        if time_unit not in ("ms", "s"):
            raise UsageError(f"slac: time_unit={time_unit!r}: epoch numbers are in \"ms\" (the default) or \"s\"",
                             _EXIT_USAGE)
        o.threads = threads or 0
        o.skip_bad_rows = skip_bad_rows
        o.strict = strict
        o.time_unit = time_unit
        o.data_timezone = data_timezone
        o.data_schema = data_schema
        o.data_map = os.fspath(data_map) if data_map else ""
        return o, tables

    def evaluate(self, sites=None, devices=None, events=None, *, data=None, sla: Union[str, Iterable[str], None] = None,
                 from_=None, to=None, set: Optional[Mapping[str, Any]] = None, threads: Optional[int] = None,
                 skip_bad_rows: bool = False, strict: bool = False, time_unit: str = "ms",
                 data_timezone: Optional[str] = None, data_schema: Optional[str] = None, data_map=None) -> Evaluation:
        """Judges the contract (``slac eval``, SPEC 5.1) over the data: the pandas
        DataFrames ``sites``, ``devices`` and ``events`` (the columns of the files of
        SPEC 3: ``site``, ``device``, attributes; ``time``, ``entity``, ``signal``,
        ``value``; times as UTC datetimes, RFC 3339 texts or epoch numbers), or
        ``data=`` a dataset folder or PostgreSQL URI. The keyword options are the
        program's (docs/cli.md): ``sla`` (a name or names), ``from_``/``to`` (a date,
        an RFC 3339 text or a datetime), ``set`` (param values: ``{"target": "95%"}``),
        ``threads``, ``skip_bad_rows``, ``strict``, ``time_unit``, ``data_timezone``,
        ``data_schema``, ``data_map``. Raises UsageError, DataError (located) or
        ContractError."""
        o, tables = self._options(sites, devices, events, data, sla, from_, to, set, threads, skip_bad_rows, strict,
                                  time_unit, data_timezone, data_schema, data_map)
        ran = _slac.eval(o)
        _raise_for(ran, tables)
        return Evaluation(ran.out, ran.err, tables)

    def status(self, sites=None, devices=None, events=None, *, as_of, seed: Optional[int] = None, data=None,
               sla=None, set=None, threads=None, skip_bad_rows=False, strict=False, time_unit="ms",
               data_timezone=None, data_schema=None, data_map=None) -> Status:
        """The windows in progress at ``as_of`` (``slac status``, SPEC 5.2): ``as_of``
        is ``"now"``, a date, an RFC 3339 text or a datetime; ``seed`` fixes p_meet's
        simulation. The data and options as for ``evaluate``."""
        o, tables = self._options(sites, devices, events, data, sla, None, None, set, threads, skip_bad_rows, strict,
                                  time_unit, data_timezone, data_schema, data_map)
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2 ** 64):
            raise UsageError(f"slac: seed={seed!r}: give a whole number from 0 to 2**64 - 1", _EXIT_USAGE)
        ran = _slac.status(o, as_of if as_of == "now" else _instant(as_of), seed)
        _raise_for(ran, tables)
        return Status(ran.out, ran.err, tables)

    def whatif(self, sites=None, devices=None, events=None, *, sweep: Union[str, Sequence[str]],
               recommend: Optional[str] = None, data=None, sla=None, from_=None, to=None, set=None, threads=None,
               skip_bad_rows=False, strict=False, time_unit="ms", data_timezone=None, data_schema=None,
               data_map=None) -> WhatIf:
        """Replays the history for each value of one or two params (``slac whatif``,
        SPEC 5.3): ``sweep`` is ``"PARAM=FROM..TO[/STEP]"`` or two of them;
        ``recommend`` a share such as ``"95%"``. The data and options as for
        ``evaluate``."""
        o, tables = self._options(sites, devices, events, data, sla, from_, to, set, threads, skip_bad_rows, strict,
                                  time_unit, data_timezone, data_schema, data_map)
        sweeps = [sweep] if isinstance(sweep, str) else list(sweep)
        ran = _slac.whatif(o, sweeps, recommend)
        _raise_for(ran, tables)
        return WhatIf(ran.out, ran.err)

    def explain(self, sla=None, set=None) -> str:
        """The plan in plain words (``slac explain``)."""
        ran = _slac.explain(self._path, [f"{k}={v}" for k, v in (set or {}).items()],
                            [sla] if isinstance(sla, str) else list(sla or []), self._text)
        _raise_for(ran, None)
        return ran.out


def _instant(value) -> str:
    """A date, datetime or text as the program's --from/--to/--as-of read it."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise UsageError(f"slac: {value!r} has no time zone; give an aware datetime (UTC or any zone)", _EXIT_USAGE)
        value = value.astimezone(dt.timezone.utc)
        # (strftime's %Y writes year 1 as `1`, not `0001`)
        return (f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:"
                f"{value.second:02d}.{value.microsecond // 1000:03d}Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        return _instant(value.to_pydatetime())
    return str(value)


def _raise_for(ran, tables) -> None:
    """Turns a command's exit code into the exception its message calls for."""
    if ran.exit_code == 0:
        return
    lines = [l for l in ran.err.splitlines() if l.strip()]
    last = lines[-1] if lines else f"slac: exit code {ran.exit_code}"
    if ran.exit_code == _EXIT_DATA:
        m = _LINE.match(last)
        if m and tables is not None:
            from ._frames import locate
            raise locate(m.group("file"), int(m.group("line")), m.group("rest"), ran.err, tables)
        if m:
            raise DataError(last, ran.err, m.group("file"), int(m.group("line")))
        raise DataError(last, ran.err)
    if ran.exit_code == _EXIT_USAGE:
        raise UsageError(last, _EXIT_USAGE, ran.err)
    if ran.exit_code == _EXIT_FAILED:
        raise ContractError(ran.err.strip() or last, [], ran.err)
    raise SlacError(last, ran.exit_code, ran.err)
