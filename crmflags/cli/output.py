"""Print an evaluation: a table for people, JSON (contracts §2) or CSV for scripts."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import sys
import textwrap
from collections.abc import Iterator

import click
import orjson

from crmflags.connector import ClientChange
from crmflags.evaluation.evaluate import ClientResult, Evaluation, plain_number
from crmflags.report.vocabulary import TAG_LABELS, tag_with_label
from crmflags.terminal import terminal_safe

LEVEL_COLOURS = {"ok": "green", "watch": "cyan", "warning": "yellow", "fire": "red"}


#: Clients written in one piece by :func:`json_chunks`.
JSON_CLIENTS_PER_CHUNK = 1000
#: Stands for the list of clients while the rest of the document is written.
_CLIENTS_MARK = "\x00clients\x00"


def to_json(evaluation: Evaluation) -> str:
    """Return the evaluation as the JSON document of contracts §2."""
    return "".join(json_chunks(evaluation))


def json_chunks(evaluation: Evaluation) -> Iterator[str]:
    """Yield the JSON document of contracts §2 in pieces, JSON_CLIENTS_PER_CHUNK clients at a
    time, so that neither the whole document nor its text is ever held in memory.

    The clients come from :meth:`Evaluation.batches`, so a streamed evaluation is
    evaluated as it is written; the summary and failures after them are then complete.
    """
    head, _, _ = _document_text(evaluation).partition(json_text(_CLIENTS_MARK))
    yield head
    written = 0
    for batch in evaluation.batches():
        for start in range(0, len(batch), JSON_CLIENTS_PER_CHUNK):
            part = [
                _client_json(result) for result in batch[start : start + JSON_CLIENTS_PER_CHUNK]
            ]
            # The list at the top level, "[\n  {...}\n]", one level deeper: 2 more spaces a line.
            text = json_text(part)[2:-2].replace("\n", "\n  ")
            yield ("[\n  " if not written else ",\n  ") + text
            written += len(part)
    yield "\n  ]" if written else "[]"
    yield _document_text(evaluation).partition(json_text(_CLIENTS_MARK))[2]


def _document_text(evaluation: Evaluation) -> str:
    """Return the JSON document with :data:`_CLIENTS_MARK` standing for the clients."""
    settings = evaluation.settings.describe()
    if evaluation.currency:
        settings["currency"] = evaluation.currency
    document = {
        "ruleset": evaluation.ruleset.name,
        "evaluated_at": evaluation.evaluated_at.isoformat(timespec="seconds"),
        "as_of": evaluation.as_of.isoformat(),
        "settings": settings,
        "clients": _CLIENTS_MARK,
        "summary": evaluation.summary(),
        "failures": [
            {"client_id": failure.client_id, "reason": failure.reason}
            for failure in evaluation.failures
        ],
        "warnings": evaluation.warnings,
    }
    return json_text(document)


def _client_json(result: ClientResult) -> dict:
    """Return one client of the JSON document: its id, name, score, level, tags, reasons."""
    return {
        "id": result.client.id,
        "name": result.client.name,
        "score": plain_number(result.score),
        "level": result.level,
        "tags": result.tags,
        "reasons": [
            {
                "rule": reason.rule,
                "tag": reason.tag,
                "weight": plain_number(reason.weight),
                "message": reason.message,
                "evidence": reason.evidence_json(),
                "advice": reason.advice,
            }
            for reason in result.reasons
        ],
    }


#: A line of indented JSON whose value is a number orjson writes otherwise than the json module:
#: a negative one-digit exponent (``1e-5``, Python ``1e-05``), or a number below 1e-4 written
#: without an exponent (``0.00004``, Python ``4e-05``).
_OTHER_NUMBER = re.compile(
    rb'^ *(?:"(?:[^"\\\n]|\\.)*": )?'  # the key, if any
    rb"-?(?:[0-9.]+e-[0-9]|0\.0000[0-9]+),?$",
    re.M,
)


def json_text(document: object) -> str:
    """Return ``json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)``, the
    same text, written by orjson (ten times faster on a big evaluation).

    orjson writes every other value as the json module does; a document it writes
    differently (some numbers below 1e-4, see :data:`_OTHER_NUMBER`) or cannot write (an
    integer beyond 64 bits) goes through the json module.
    """
    try:
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits
        return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
    if (b"e-" in text or b"0.0000" in text) and _OTHER_NUMBER.search(text):
        return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
    return text.decode()


#: What a spreadsheet may run as a formula when a cell starts with it (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(
    evaluation: Evaluation, delimiter: str = ",", decimal: str = ".", guard: bool = True
) -> str:
    """Return one CSV row per client: id, name, level, score, tags, reasons (see csv_chunks)."""
    return "".join(csv_chunks(evaluation, delimiter, decimal, guard))


def csv_chunks(
    evaluation: Evaluation, delimiter: str = ",", decimal: str = ".", guard: bool = True
) -> Iterator[str]:
    """Yield the CSV of :func:`to_csv`: its header, then the rows of each batch of clients.

    ``delimiter`` and ``decimal`` (the score's decimal mark) follow the source where it
    is a CSV bundle, so a spreadsheet set up for it opens the output alike. With
    ``guard``, a text cell that a spreadsheet would run as a formula (it starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; a client named
    ``=HYPERLINK(...)``) gets a leading ``'``, as OWASP advises, so it shows as text.
    """
    text = _neutralised if guard else str
    yield _csv_row(["id", "name", "level", "score", "tags", "reasons"], delimiter)
    for batch in evaluation.batches():
        yield "".join(
            _csv_row(
                [
                    text(result.client.id),
                    text(result.client.name),
                    result.level,
                    str(plain_number(result.score)).replace(".", decimal),
                    text(";".join(result.tags)),
                    text(" | ".join(r.message for r in result.reasons)),
                ],
                delimiter,
            )
            for result in batch
        )


def _csv_row(cells: list[str], delimiter: str) -> str:
    """Return one line of the CSV output."""
    return delimiter.join(_quoted(cell, delimiter) for cell in cells) + "\n"


def _neutralised(value: str) -> str:
    """Return a text cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _quoted(value: str, delimiter: str) -> str:
    """Return a CSV cell, quoted when it holds the delimiter, a quote or a line break (even
    a lone carriage return, which Python's csv module leaves bare)."""
    if any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


#: The table's width off a terminal (under cron, in a pipe or a file).
PLAIN_WIDTH = 100


def table_width() -> int:
    """Return the width to lay the table out in: the terminal's, else :data:`PLAIN_WIDTH`."""
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty and isatty():
        return max(shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns, 40)
    return PLAIN_WIDTH


def table_language(evaluation: Evaluation) -> str:
    """Return the language of the tag labels: crmflags.yaml's ``language`` (once settings
    carry it), else English."""
    language = getattr(evaluation.settings, "language", None)
    return language if language in TAG_LABELS else "en"


def print_table(evaluation: Evaluation) -> None:
    """Print the table, as wide as the terminal (100 columns off one)."""
    click.echo(to_table(evaluation, table_width(), table_language(evaluation)))


def to_table(evaluation: Evaluation, width: int = PLAIN_WIDTH, lang: str = "en") -> str:
    """Return a plain-text table, worst clients first, with level colours as ANSI codes.

    Each tag shows its readable label in ``lang`` beside its name. Cells and reasons
    wrap at word boundaries to fit ``width``: no word is cut (one longer than its
    column runs past it). ``click.echo`` drops the colours when the output is not a
    terminal (under cron).
    """
    order = {"fire": 0, "warning": 1, "watch": 2, "ok": 3}
    results = sorted(
        enumerate(evaluation.results),
        key=lambda item: (order[item[1].level], -item[1].score, item[0]),
    )
    rows = [
        (
            terminal_safe(r.client.id),
            terminal_safe(r.client.name),
            r.level,
            str(plain_number(r.score)),
            terminal_safe(", ".join(tag_with_label(tag, lang) for tag in r.tags) or "-"),
        )
        for _, r in results
    ]
    header = ("ID", "CLIENT", "LEVEL", "SCORE", "TAGS")
    widths = [
        min(max(len(row[i]) for row in [header, *rows]), cap)
        for i, cap in enumerate((14, 28, 7, 5, width))
    ]
    room = width - widths[0] - widths[2] - widths[3] - 2 * (len(widths) - 1)  # client, tags
    longest_tag = max((len(word) for row in rows for word in row[4].split()), default=0)
    widths[1] = min(widths[1], max(room - max(longest_tag, 20), 10))
    widths[4] = max(min(widths[4], room - widths[1]), 10)
    indent = " " * (widths[0] + 2)
    lines = _row(header, widths)
    for (_, result), row in zip(results, rows, strict=True):
        for line in _row(row, widths):
            lines.append(
                click.style(line, fg=LEVEL_COLOURS[result.level]) if result.level != "ok" else line
            )
        for reason in result.reasons:
            text = terminal_safe(f"- {reason.tag}: {reason.message}")
            lines += _wrap(text, width, indent, indent + "  ")
    summary = evaluation.summary()
    settings = evaluation.settings.describe()
    lines.append("")
    lines += _wrap(
        f"{len(evaluation.results)} clients, ruleset {evaluation.ruleset.name}, as of "
        f"{evaluation.as_of.isoformat()}: "
        + ", ".join(f"{n} {level}" for level, n in summary.items())
        + f", {len(evaluation.failures)} failed",
        width,
    )
    lines += _wrap(
        f"business hours {settings['business_hours']} {settings['timezone']}; windows: activity "
        f"{settings['activity_window_days']} days, billing {settings['billing_window_days']} days",
        width,
    )
    return "\n".join(lines)


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Wrap text at spaces to ``width``; a word longer than the line stays whole."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _row(cells, widths) -> list[str]:
    """Return a table row as lines: each cell wrapped within its column."""
    wrapped = [_wrap(cell, size) for cell, size in zip(cells, widths, strict=True)]
    return [
        "  ".join(part.ljust(size) for part, size in zip(parts, widths, strict=True)).rstrip()
        for parts in itertools.zip_longest(*wrapped, fillvalue="")
    ]


def describe_changes(changes: list[ClientChange], current: dict[str, dict]) -> str:
    """Return the changes a sync would make, one field per line: ``id field: old -> new``."""
    lines = []
    for change in changes:
        before = current.get(change.client_id, {})
        for name, value in change.fields.items():
            old = before.get(name)
            lines.append(
                terminal_safe(
                    f"{change.client_id}  {name}: "
                    f"{old if old not in (None, '') else '(empty)'!s} -> {value}"
                )
            )
    return "\n".join(lines)
