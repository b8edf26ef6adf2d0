"""Read a bundle file's cells as columns of text: with polars when it reads the file as
:mod:`crmflags_csv.table` would, else with the table module's own reader.

:func:`read_frame` gives the header's values and a DataFrame of the records after it: a
``line`` column (the physical line each record starts on) and one text column per
header cell (``""`` where a record is short), without the records that are blank. The
cells are exactly the values :func:`crmflags_csv.table.stream_records` gives. Polars
reads a file only when nothing in it can read two ways: a file with a line break that
is a lone ``\\r``, a UTF-16 byte-order mark, a quote polars rejects (and Python's csv
module, strict, would too), or a blank-looking record with cells beyond the header, is
read by the table module, which also names the faults exactly as it always has.
"""

from __future__ import annotations

import codecs
import functools
import mmap
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from crmflags_csv.table import detect_delimiter, parse_table, stream_records

#: The name of the column holding each record's line.
LINE = "line"
#: Characters that make a cell non-blank for Python and polars alike (ASCII, not spaces).
_VISIBLE = r"[!-~]"


@dataclass
class RawFile:
    """A file's header values and its non-blank records as text columns ``c0``, ``c1``, ...

    The records are read by :meth:`records`, so that a fault in them is raised after
    the header has been looked at, as the row-by-row reader raises it.
    """

    header: list[str]
    frame: pl.DataFrame | None = None
    rest: Iterator[tuple[int, list[str]]] | None = None

    def records(self) -> pl.DataFrame:
        """Return the records after the header: ``line`` and one text column per cell
        (once: the file keeps no reference to them)."""
        frame, self.frame = self.frame, None  # the caller holds the only reference
        if frame is None:
            assert self.rest is not None  # a RawFile has its frame or its records to read
            frame = _columns_of(self.rest, len(self.header))
        return frame


def cell(position: int) -> str:
    """Return the name of the frame column holding the cells at ``position``."""
    return f"c{position}"


def open_frame(path: Path, data: bytes | None = None) -> RawFile | None:
    """Return the file's header and records; None for a file with no record at all.

    ``data`` are the file's bytes, if they have been read already. Raises InputError as
    :func:`crmflags_csv.table.stream_records` does for a file that cannot be read, is not
    UTF-8 or has a quote that never closes.
    """
    if data is not None:
        raw = _by_polars(data, data)
    else:
        try:
            with open(path, "rb") as file:
                mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
            mapped = None
        if mapped is None:
            raw = None
        else:
            with mapped:
                raw = _by_polars(mapped, path)
    return raw if raw is not None else _by_table(path, data)


#: A carriage return that is no CRLF: a line break to Python's csv module, not to polars.
_LONE_CR = re.compile(rb"\r(?!\n)")


def _by_polars(data: bytes | mmap.mmap, source: bytes | Path) -> RawFile | None:
    """Read the file with polars; None when polars is not sure to read it alike."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or _LONE_CR.search(data):
        return None
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)]
    delimiter = detect_delimiter(first.decode("utf-8", "replace").lstrip("\ufeff"))
    quoted = data.find(b'"') >= 0
    if quoted and not _quotes_well_formed(data, delimiter):
        return None
    if isinstance(data, mmap.mmap):
        # Let the pages just scanned go: polars maps the file again while it reads it.
        data.madvise(mmap.MADV_DONTNEED)
    try:
        table = pl.read_csv(
            source,
            has_header=False,
            separator=delimiter,
            quote_char='"',
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        return None
    if table.height == 0:
        return None
    raw, blank_lines = _framed(table, quoted)
    return raw if _blank_records_are_blank(data, blank_lines, delimiter) else None


def _quotes_well_formed(data: bytes | mmap.mmap, delimiter: str) -> bool:
    """Tell whether every quote of the file opens a cell (at its start), closes it (at its
    end) or is doubled inside it: then polars and Python's csv module split it alike."""
    body = data[len(codecs.BOM_UTF8) :] if data[:3] == codecs.BOM_UTF8 else data
    return b'"' not in _quoted_cells(delimiter).sub(b"", body)


@functools.cache
def _quoted_cells(delimiter: str) -> re.Pattern[bytes]:
    """Return the pattern of a quoted cell that starts and ends where a cell does."""
    d = re.escape(delimiter.encode())
    return re.compile(rb'"(?<![^' + d + rb'\n]")(?:[^"]|"")*"(?=[' + d + rb"\r\n]|\Z)")


def _framed(table: pl.DataFrame, quoted: bool) -> tuple[RawFile, list[int]]:
    """Return the header and the non-blank records of a table polars read, with their
    lines, and the lines of the records left out as blank. Only quoted cells hold line
    breaks."""
    width = table.width
    table = table.rename({old: cell(i) for i, old in enumerate(table.columns)})
    # Only the columns of short records hold nulls: filling the others would copy them.
    short = [name for name in table.columns if table[name].null_count()]
    table = table.with_columns(pl.col(short).fill_null(""))
    header = list(table.row(0))
    texts = [pl.col(cell(i)) for i in range(width)]
    table = table.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(LINE))
    if quoted:
        # A record starts after the line breaks inside the records before it.
        breaks = pl.sum_horizontal(*(c.str.count_matches("\n", literal=True) for c in texts))
        table = table.with_columns(pl.col(LINE) + breaks.cum_sum() - breaks)
    table = table.slice(1)
    # Without a visible ASCII character a record may still be blank or not: Python says.
    unsure = table
    for text in texts:
        unsure = unsure.filter(~text.str.contains(_VISIBLE))
        if not unsure.height:
            break
    blank_lines = [
        line
        for line, *cells in unsure.select(LINE, *texts).iter_rows()
        if not "".join(cells).strip()
    ]
    if blank_lines:
        table = table.filter(~pl.col(LINE).is_in(pl.Series(blank_lines).implode()))
    return RawFile(header, table.select(LINE, *texts)), blank_lines


def _blank_records_are_blank(data: bytes | mmap.mmap, lines: list[int], delimiter: str) -> bool:
    """Tell whether each record left out as blank is blank in the file too: only
    delimiters and spaces on its line (polars drops the cells past the header's width)."""
    if not lines:
        return True
    text = data[:].split(b"\n")
    allowed = set(delimiter.encode() + b" \t\r")
    return all(line <= len(text) and set(text[line - 1]) <= allowed for line in lines)


def _by_table(path: Path, data: bytes | None) -> RawFile | None:
    """Read the file with the table module (Python's csv module, else its tokenizer)."""
    if data is not None:
        table = parse_table(data, str(path))
        records = iter([(record.line, record.values()) for record in table.records])
    else:
        records = stream_records(path).records
    first = next(records, None)
    if first is None:
        return None
    return RawFile(first[1], rest=records)


def _columns_of(records: Iterator[tuple[int, list[str]]], width: int) -> pl.DataFrame:
    """Return the non-blank records as a frame of their lines and cells."""
    lines: list[int] = []
    columns: list[list[str]] = [[] for _ in range(width)]
    for line, cell_values in records:
        if not "".join(cell_values).strip():
            continue
        lines.append(line)
        count = len(cell_values)
        for position, column in enumerate(columns):
            column.append(cell_values[position] if position < count else "")
    return pl.DataFrame(
        {LINE: pl.Series(lines, dtype=pl.Int64)}
        | {cell(i): pl.Series(column, dtype=pl.String) for i, column in enumerate(columns)}
    )
