"""Split a CSV file into records of raw cells, so unchanged bytes can be written back verbatim.

A record keeps every cell exactly as it stands in the file (quotes and all) and the
line terminator after it: the cells joined with the delimiter, plus the terminator,
give back the original text. Quoted cells may hold delimiters, ``""`` and line
breaks. Reading and write-back both use this one tokenizer, so they always agree.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from crmflags.errors import InputError, place

#: The delimiters detected, in order of preference when the header has as many of each.
DELIMITERS = (";", ",", "\t")
#: Bytes :func:`stream_records` reads at a time (then up to the end of the line).
BLOCK_BYTES = 1 << 20
#: The longest record :func:`stream_records` accepts: its quotes must close within it.
MAX_RECORD_CHARS = 1 << 24

_LINES = re.compile(r"([^\r\n]*)(\r\n|\r|\n|\Z)")
# A quoted run: the closing quote is the first one not doubled, so it is never followed by
# another quote; the lookahead keeps the regex from reading ``""`` as close-plus-quote.
_BODY = r'[^"]*(?:""[^"]*)*'
_QUOTED = rf'"{_BODY}"(?!")'
_QUOTED_CELL = re.compile(rf'"({_BODY})"(?!")(.*)', re.DOTALL)
_FIRST_LINE = re.compile(rf'(?:{_QUOTED}|[^"\r\n])*')
_QUOTED_ANYWHERE = re.compile(_QUOTED)


@dataclass(slots=True)
class Record:
    """One record: the physical line it starts on, its raw cells, its line terminator.

    ``quoted`` tells whether the record has a quote anywhere.
    """

    line: int
    cells: list[str]
    end: str
    quoted: bool = False

    def values(self) -> list[str]:
        """Return the cells' values, with quotes and ``""`` escapes resolved."""
        if not self.quoted:
            return list(self.cells)
        return [unquote(cell) if cell[:1] == '"' else cell for cell in self.cells]

    def is_blank(self) -> bool:
        """Tell whether the record is an empty line."""
        return self.cells == [""]


@dataclass
class Table:
    """A whole CSV file: its records (header first), delimiter and byte-order mark."""

    records: list[Record]
    delimiter: str
    bom: bool

    def render(self, texts: list[str]) -> bytes:
        """Return the file's bytes for the given record texts, with the table's BOM."""
        body = "".join(texts).encode("utf-8")
        return codecs.BOM_UTF8 + body if self.bom else body

    def text_of(self, record: Record) -> str:
        """Return a record's text exactly as it is in the file."""
        return self.delimiter.join(record.cells) + record.end


def read_bytes(path: Path) -> bytes:
    """Return the bytes of a bundle file; InputError naming it if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", str(path)) from None


def parse_table(data: bytes, where: str) -> Table:
    """Decode and tokenize a CSV file; ``where`` names it in error messages.

    Raises InputError for text that is not UTF-8 and for a quote that is never closed.
    """
    text, bom = _decode(data, where)
    delimiter = detect_delimiter(text)
    return Table(_records(text, delimiter, where)[0], delimiter, bom)


@dataclass
class RecordStream:
    """A CSV file read a block at a time: its delimiter, and its records as ``(line, values)``.

    ``line`` is the physical line a record starts on; ``values`` are its cells'
    values (what :meth:`Record.values` gives). The header comes first.
    """

    delimiter: str
    records: Iterator[tuple[int, list[str]]]


def stream_records(path: Path) -> RecordStream:
    """Read a CSV file's values a block of whole lines at a time, as :func:`parse_table` would.

    Only one block's text and records are held at once. The values are split by
    Python's csv module (strict), which gives the same values as this module's
    tokenizer for every file it accepts and is several times faster; a file it
    rejects is read again with the tokenizer from the record it stopped at, so a
    fault is reported as :func:`parse_table` reports it. The first block is read here
    (InputError if the file cannot be read or is UTF-16); the other faults are raised
    while ``records`` is iterated, when their block is reached.
    """
    where = str(path)
    first, text = _first_block(path, where)
    delimiter = detect_delimiter(text)
    return RecordStream(delimiter, _values(path, first, text, delimiter, where))


def _first_block(path: Path, where: str) -> tuple[bytes, str]:
    """Return the first block of a file and its text."""
    try:
        with open(path, "rb") as file:
            first = next(_blocks(file), b"")
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", where) from None
    return first, _decode(first, where)[0]


def _values(
    path: Path, first: bytes, text: str, delimiter: str, where: str
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, values)`` of each record, by the csv module, else by the tokenizer."""
    done = 0  # the line the last record yielded starts on
    with open(path, "rb") as file:
        reader = csv.reader(_lines(file, first, text, where), delimiter=delimiter, strict=True)
        try:
            line = 1
            for values in reader:
                done = line
                yield line, values or [""]
                line = reader.line_num + 1
            return
        except csv.Error:
            pass  # something the csv module rejects: let the tokenizer read it, or name the fault
    with open(path, "rb") as file:
        blocks = _blocks(file)
        first = next(blocks, b"")
        for record in _stream(blocks, first, _decode(first, where)[0], delimiter, where):
            if record.line > done:
                yield record.line, record.values()


def _lines(file: BinaryIO, first: bytes, text: str, where: str) -> Iterator[str]:
    """Yield the file's lines, with their line breaks; ``text`` is its ``first`` block decoded."""
    yield from io.StringIO(text, newline="")
    start, lines_before = len(first), _line_breaks(text)
    file.seek(start)
    for block in _blocks(file):
        decoded = _decode(block, where, start, lines_before + 1)[0]
        start += len(block)
        lines_before += _line_breaks(decoded)
        yield from io.StringIO(decoded, newline="")


def _blocks(file: BinaryIO) -> Iterator[bytes]:
    """Yield the file's bytes in blocks of about BLOCK_BYTES that end at a line break."""
    while block := file.read(BLOCK_BYTES):
        if not block.endswith(b"\n"):
            block += file.readline()
        yield block


def _stream(
    blocks: Iterator[bytes], first: bytes, text: str, delimiter: str, where: str
) -> Iterator[Record]:
    """Yield the records of a file's blocks with the tokenizer; ``text`` is ``first`` decoded."""
    start, line, lines_before = len(first), 1, _line_breaks(text)
    for block in blocks:
        records, end, line = _records(text, delimiter, where, line, final=False)
        yield from records
        carry = text[end:]
        if len(carry) > MAX_RECORD_CHARS:
            raise InputError(
                "a quoted field that starts in this record is not closed within "
                f"{MAX_RECORD_CHARS:,} characters",
                place(where, line),
            )
        decoded = _decode(block, where, start, lines_before + 1)[0]
        start += len(block)
        lines_before += _line_breaks(decoded)
        text = carry + decoded
    yield from _records(text, delimiter, where, line)[0]


def detect_delimiter(text: str) -> str:
    """Return the delimiter used most in the header line (outside quotes); ``,`` if none is."""
    first_line = _FIRST_LINE.match(text)
    assert first_line is not None  # the pattern matches the empty text, so it matches any
    header = _QUOTED_ANYWHERE.sub("", first_line.group())
    count, _, delimiter = max((header.count(d), -i, d) for i, d in enumerate(DELIMITERS))
    return delimiter if count else ","


def unquote(cell: str) -> str:
    """Return the value of a raw cell: quotes around it removed, ``""`` inside it made ``"``."""
    if not cell.startswith('"'):
        return cell
    match = _QUOTED_CELL.match(cell)
    assert match is not None, cell  # the records' reader gives only cells whose quotes close
    return match.group(1).replace('""', '"') + match.group(2)


def quote(value: str, delimiter: str) -> str:
    """Return the raw cell for a value, quoted only when it has to be."""
    if value and (
        delimiter in value
        or '"' in value
        or "\n" in value
        or "\r" in value
        or value != value.strip()
    ):
        return '"' + value.replace('"', '""') + '"'
    return value


def _decode(data: bytes, where: str, start: int = 0, line: int = 1) -> tuple[str, bool]:
    """Decode ``data``, which starts at byte ``start`` of the file, on line ``line``.

    Only the start of a file can have a byte-order mark.
    """
    if start == 0 and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError('this is UTF-16 text; save it as "CSV UTF-8"', where)
    bom = start == 0 and data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    try:
        return body.decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(codecs.BOM_UTF8) if bom else 0)
        line += _line_breaks(data[:offset].decode("utf-8", "replace"))
        raise InputError(
            f'not UTF-8 text ({exc.reason} at byte {start + offset}); save it as "CSV UTF-8"',
            place(where, line),
        ) from None


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _records(
    text: str, delimiter: str, where: str, line: int = 1, final: bool = True
) -> tuple[list[Record], int, int]:
    """Split line by line; a record with a quoted line break in it is matched whole.

    ``line`` is the number of the text's first line. Return the records, the position
    where they end and the next record's line. Unless the text is the ``final`` piece
    of its file, a record whose quote is still open at its end is left unsplit (its
    rest may be in the next piece): the position then points at its start.
    """
    record_pattern, cell_pattern = _patterns(delimiter)
    lines = _LINES.findall(text)
    lines.pop()  # the empty match at the very end of the text is no line
    records = []
    pos, inside = 0, 0
    for text_line, line_end in lines:
        if inside:
            inside -= 1  # a line within a quoted cell of the record before
        elif '"' not in text_line:
            records.append(Record(line, text_line.split(delimiter), line_end))
            line += 1
        else:
            cells = cell_pattern.findall(text_line)
            if delimiter.join(cells) == text_line:  # every quote closes on this line
                records.append(Record(line, cells, line_end, quoted=True))
                line += 1
            else:
                match = record_pattern.match(text, pos)
                if match is None:
                    if not final:
                        return records, pos, line
                    raise InputError(
                        "a quoted field that starts in this record is never closed",
                        place(where, line),
                    )
                record_text, end = match.groups()
                records.append(Record(line, cell_pattern.findall(record_text), end, quoted=True))
                inside = _line_breaks(record_text)
                line += 1 + inside
        pos += len(text_line) + len(line_end)
    return records, pos, line


@functools.cache
def _patterns(delimiter: str) -> tuple[re.Pattern, re.Pattern]:
    """Return the patterns of a whole record and of one cell in a record.

    A cell that starts with a quote runs to its closing quote (``""`` inside is a
    quote); anything up to the next delimiter after it belongs to the cell too. A
    quote anywhere else is an ordinary character.
    """
    d = re.escape(delimiter)
    cell = rf'{_QUOTED}[^{d}\r\n]*|[^"{d}\r\n][^{d}\r\n]*|'
    record = re.compile(rf"((?:{cell})(?:{d}(?:{cell}))*)(\r\n|\r|\n|\Z)")
    return record, re.compile(rf"(?:(?<={d})|^)(?:{cell})")
