"""Split a CSV file into records of raw cells, so unchanged bytes can be written back verbatim.

A record keeps every cell exactly as it stands in the file (quotes and all) and the
line terminator after it: the cells joined with the delimiter, plus the terminator,
give back the original text. Quoted cells may hold delimiters, ``""`` and line
breaks. Reading and write-back both use this one tokenizer, so they always agree.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from crmflags.errors import InputError, place

#: The delimiters detected, in order of preference when the header has as many of each.
DELIMITERS = (";", ",", "\t")

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
    return Table(_records(text, delimiter, where), delimiter, bom)


def detect_delimiter(text: str) -> str:
    """Return the delimiter used most in the header line (outside quotes); ``,`` if none is."""
    header = _QUOTED_ANYWHERE.sub("", _FIRST_LINE.match(text).group())
    count, _, delimiter = max((header.count(d), -i, d) for i, d in enumerate(DELIMITERS))
    return delimiter if count else ","


def unquote(cell: str) -> str:
    """Return the value of a raw cell: quotes around it removed, ``""`` inside it made ``"``."""
    if not cell.startswith('"'):
        return cell
    match = _QUOTED_CELL.match(cell)
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


def _decode(data: bytes, where: str) -> tuple[str, bool]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError('this is UTF-16 text; save it as "CSV UTF-8"', where)
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    try:
        return body.decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(codecs.BOM_UTF8) if bom else 0)
        line = _line_breaks(data[:offset].decode("utf-8", "replace")) + 1
        raise InputError(
            f'not UTF-8 text ({exc.reason} at byte {offset}); save it as "CSV UTF-8"',
            place(where, line),
        ) from None


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _records(text: str, delimiter: str, where: str) -> list[Record]:
    """Split line by line; a record with a quoted line break in it is matched whole."""
    record_pattern, cell_pattern = _patterns(delimiter)
    lines = _LINES.findall(text)
    lines.pop()  # the empty match at the very end of the text is no line
    records = []
    pos, line, inside = 0, 1, 0
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
                    raise InputError(
                        "a quoted field that starts in this record is never closed",
                        place(where, line),
                    )
                record_text, end = match.groups()
                records.append(Record(line, cell_pattern.findall(record_text), end, quoted=True))
                inside = _line_breaks(record_text)
                line += 1 + inside
        pos += len(text_line) + len(line_end)
    return records


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
