"""pandas DataFrames as the files of a dataset folder (SPEC 3), read by the same readers.

Each DataFrame becomes the CSV text of its file, its row at position p the file's line
p + 2 (after the header), so that every check and message of the readers applies; a
message about a line is turned back into the table, the row's position and its index
label (``locate``).
"""
from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

from . import DataError, UsageError, _slac

_TABLES = (("sites", "sites.csv"), ("devices", "devices.csv"), ("events", "events.csv"))


def _time_text(column: pd.Series) -> pd.Series:
    """Times as RFC 3339 texts: an aware datetime column in UTC with its
    milliseconds (finer digits dropped, as the readers drop them); a naive one without
    an offset (read with ``data_timezone``, refused without it); others unchanged."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        utc = column.dt.tz_convert("UTC").dt.tz_localize(None)
        text = np.datetime_as_string(utc.to_numpy().astype("datetime64[ms]"), unit="ms")
        return pd.Series(np.char.add(text.astype(str), "Z"), index=column.index).where(column.notna(), "")
    if pd.api.types.is_datetime64_dtype(column.dtype):
        text = np.datetime_as_string(column.to_numpy().astype("datetime64[ms]"), unit="ms")
        return pd.Series(text.astype(str), index=column.index).where(column.notna(), "")
    return column


def _value_text(value):
    """A value as the data's text: floats and Decimals with every digit and no
    exponent (the readers refuse exponents), bools as true/false, missing as an empty
    field, texts as they are."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return np.format_float_positional(value, trim="-")
    if isinstance(value, Decimal):
        return "" if value.is_nan() else format(value, "f")
    return value


# A column name the readers could take for part of a dialect (a separator, a quote,
# spaces around it) would change how every row is read.
_ODD_NAME = re.compile(r'[,;\t"\r\n]|^\s|\s$')
_NOT_VALUES = (dict, list, tuple, set, bytes, bytearray)


def _csv(frame: pd.DataFrame, name: str):
    """The frame's CSV text, and the frame as written (texts), for locating rows.
    DataError for a text that is not Unicode (a lone surrogate)."""
    out = written(frame, name)
    return csv_text(out, frame, name), out


def csv_text(out: pd.DataFrame, frame: pd.DataFrame, name: str) -> str:
    """The CSV text of `out` (a frame as ``written`` makes it; `frame` the one it was
    made from, for naming a row), as pandas' ``to_csv(index=False)`` writes it."""
    text, bad = _slac.csv_text(list(out.columns), [out[c].to_numpy(dtype=object) for c in out.columns])
    if text is None:
        where = f"{name} header (the column names)" if bad < 0 else f"{name} row {bad} (index {frame.index[bad]!r})"
        raise DataError(f"{where}: a text that is not Unicode (a lone surrogate)", table=name,
                        row=None if bad < 0 else bad)
    return text


def written(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The frame as its CSV file holds it: times and values as the data's texts."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"slac: {name} must be a pandas DataFrame, not {type(frame).__name__}")
    for c in frame.columns:
        if not isinstance(c, str) or not c or _ODD_NAME.search(c):
            raise UsageError(f"slac: the {name} DataFrame has a column named {c!r}; column names are texts without "
                             "separators, quotes or spaces around them (SPEC 3: time, entity, signal, value, ...)", 2)
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        raise UsageError(f"slac: the {name} DataFrame has two columns named {duplicated[0]!r}", 2)
    out = frame.copy(deep=False)
    for c in out.columns:
        column = out[c]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            out[c] = _time_text(column)
        elif column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) == "string":
            out[c] = column  # texts only (checked at C speed): written as they are
        elif pd.api.types.is_float_dtype(column.dtype) or column.dtype == object or pd.api.types.is_bool_dtype(column.dtype):
            if column.dtype == object:
                odd = column.map(lambda v: isinstance(v, _NOT_VALUES))
                if odd.any():
                    row = int(np.flatnonzero(odd.to_numpy())[0])
                    raise DataError(f"{name} row {row} (index {frame.index[row]!r}): column `{c}` holds a "
                                    f"{type(column.iloc[row]).__name__}, not a value (a text, number, bool or time)",
                                    table=name, row=row)
            out[c] = column.map(_value_text)
    return out


def dataset_files(sites: pd.DataFrame, devices: pd.DataFrame, events: pd.DataFrame):
    """The three tables as the texts of sites.csv, devices.csv and events.csv, and the
    tables by file name (for ``locate``)."""
    frames = {"sites": sites, "devices": devices, "events": events}
    files, tables = {}, {}
    for table, file in _TABLES:
        text, written = _csv(frames[table], table)
        files[file] = text
        tables[file] = (table, frames[table], written)
    return files, tables


def _row_at(written: pd.DataFrame, line: int):
    """The position of the row the file's line `line` belongs to: a text holding line
    ends spreads its row over more lines than one. None for the header."""
    if line < 2:
        return None
    extra = np.zeros(len(written), dtype=np.int64)
    for c in written.columns:
        if written[c].dtype == object:
            extra += written[c].map(lambda v: v.count("\n") if isinstance(v, str) else 0).to_numpy(dtype=np.int64)
    starts = 2 + np.arange(len(written)) + np.concatenate(([0], np.cumsum(extra)[:-1])) if len(written) else extra
    row = int(np.searchsorted(starts, line, side="right")) - 1
    return row if 0 <= row < len(written) else len(written)


def row_name(table: str, frame: pd.DataFrame, written: pd.DataFrame, line: int) -> str:
    row = _row_at(written, line)
    if row is None:
        return f"{table} header (the column names)"
    if row >= len(frame):
        return f"{table}, after the last row"
    return f"{table} row {row} (index {frame.index[row]!r})"


def locate(file: str, line: int, message: str, stderr: str, tables) -> DataError:
    """The DataError for the readers' ``file:line: message`` about a DataFrame."""
    name = file.rsplit("/", 1)[-1]
    if name not in tables:
        return DataError(f"{file}:{line}: {message}", stderr, file, line)
    table, frame, written = tables[name]
    row = _row_at(written, line)
    return DataError(f"{row_name(table, frame, written, line)}: {message}", stderr, file, line, table,
                     row if row is not None and row < len(frame) else None)


def rename_lines(message: str, tables) -> str:
    """A data warning of the readers about the events file, its lines named as rows."""
    table, frame, written = tables["events.csv"]
    message = re.sub(r"DataFrame/events\.csv:(\d+):", lambda m: row_name(table, frame, written, int(m.group(1))) + ":",
                     message)
    message = message.replace("DataFrame/events.csv", "the events DataFrame")
    return re.sub(r"\bline (\d+)\b", lambda m: row_name(table, frame, written, int(m.group(1))).replace(
        "events row", "row"), message)
