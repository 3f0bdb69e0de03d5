"""pandas DataFrames as the files of a dataset folder (SPEC 3), read by the same readers.

Each DataFrame becomes the CSV text of its file, its row at position p the file's line
p + 2 (after the header), so that every check and message of the readers applies; a
message about a line is turned back into the table, the row's position and its index
label (``locate``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import DataError

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
    """A value as the data's text: floats with every digit and no exponent (the
    readers refuse exponents), bools as true/false, missing as an empty field."""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return np.format_float_positional(value, trim="-")
    return value


def _csv(frame: pd.DataFrame, name: str) -> str:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"slac: {name} must be a pandas DataFrame, not {type(frame).__name__}")
    out = frame.copy(deep=False)
    for c in out.columns:
        column = out[c]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            out[c] = _time_text(column)
        elif pd.api.types.is_float_dtype(column.dtype) or column.dtype == object or pd.api.types.is_bool_dtype(column.dtype):
            out[c] = column.map(_value_text)
    return out.to_csv(index=False, lineterminator="\n")


def dataset_files(sites: pd.DataFrame, devices: pd.DataFrame, events: pd.DataFrame):
    """The three tables as the texts of sites.csv, devices.csv and events.csv, and the
    tables by file name (for ``locate``)."""
    frames = {"sites": sites, "devices": devices, "events": events}
    files, tables = {}, {}
    for table, file in _TABLES:
        files[file] = _csv(frames[table], table)
        tables[file] = (table, frames[table])
    return files, tables


def locate(file: str, line: int, message: str, stderr: str, tables) -> DataError:
    """The DataError for the readers' ``file:line: message`` about a DataFrame."""
    name = file.rsplit("/", 1)[-1]
    if name not in tables:
        return DataError(f"{file}:{line}: {message}", stderr, file, line)
    table, frame = tables[name]
    row = line - 2
    if 0 <= row < len(frame):
        where = f"{table} row {row} (index {frame.index[row]!r})"
    elif row < 0:
        where = f"{table} header (the column names)"
        row = None
    else:
        where = f"{table}, after the last row"
        row = None
    return DataError(f"{where}: {message}", stderr, file, line, table, row)
