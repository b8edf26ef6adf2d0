"""Print an evaluation: a table for people, JSON (contracts §2) or CSV for scripts."""

from __future__ import annotations

import json

import click

from crmflags.connector import ClientChange
from crmflags.evaluate import Evaluation, plain_number

LEVEL_COLOURS = {"ok": "green", "watch": "cyan", "warning": "yellow", "fire": "red"}


def to_json(evaluation: Evaluation) -> str:
    """Return the evaluation as the JSON document of contracts §2."""
    document = {
        "ruleset": evaluation.ruleset.name,
        "evaluated_at": evaluation.evaluated_at.isoformat(timespec="seconds"),
        "as_of": evaluation.as_of.isoformat(),
        "settings": evaluation.settings.describe(),
        "clients": [
            {
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
                        "evidence": reason.evidence,
                        "advice": reason.advice,
                    }
                    for reason in result.reasons
                ],
            }
            for result in evaluation.results
        ],
        "summary": evaluation.summary(),
        "warnings": evaluation.warnings,
        "failures": [
            {"client_id": failure.client_id, "reason": failure.reason}
            for failure in evaluation.failures
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)


#: What a spreadsheet may run as a formula when a cell starts with it (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(
    evaluation: Evaluation, delimiter: str = ",", decimal: str = ".", guard: bool = True
) -> str:
    """Return one CSV row per client: id, name, level, score, tags, reasons.

    ``delimiter`` and ``decimal`` (the score's decimal mark) follow the source where it
    is a CSV bundle, so a spreadsheet set up for it opens the output alike. With
    ``guard``, a text cell that a spreadsheet would run as a formula (it starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; a client named
    ``=HYPERLINK(...)``) gets a leading ``'``, as OWASP advises, so it shows as text.
    """
    text = _neutralised if guard else str
    rows = [["id", "name", "level", "score", "tags", "reasons"]]
    for result in evaluation.results:
        rows.append(
            [
                text(result.client.id),
                text(result.client.name),
                result.level,
                str(plain_number(result.score)).replace(".", decimal),
                text(";".join(result.tags)),
                text(" | ".join(r.message for r in result.reasons)),
            ]
        )
    return "".join(delimiter.join(_quoted(c, delimiter) for c in row) + "\n" for row in rows)


def _neutralised(value: str) -> str:
    """Return a text cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _quoted(value: str, delimiter: str) -> str:
    """Return a CSV cell, quoted when it holds the delimiter, a quote or a line break (even
    a lone carriage return, which Python's csv module leaves bare)."""
    if any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def to_table(evaluation: Evaluation, width: int = 100) -> str:
    """Return a plain-text table, worst clients first, with level colours as ANSI codes.

    ``click.echo`` drops the colours when the output is not a terminal (under cron).
    """
    order = {"fire": 0, "warning": 1, "watch": 2, "ok": 3}
    results = sorted(
        enumerate(evaluation.results),
        key=lambda item: (order[item[1].level], -item[1].score, item[0]),
    )
    rows = [
        (r.client.id, r.client.name, r.level, str(plain_number(r.score)), ", ".join(r.tags) or "-")
        for _, r in results
    ]
    header = ("ID", "CLIENT", "LEVEL", "SCORE", "TAGS")
    widths = [
        min(max(len(row[i]) for row in [header, *rows]), cap)
        for i, cap in enumerate((14, 28, 7, 5, 200))
    ]
    lines = [_row(header, widths)]
    for (_, result), row in zip(results, rows, strict=True):
        line = _row(row, widths)
        lines.append(
            click.style(line, fg=LEVEL_COLOURS[result.level]) if result.level != "ok" else line
        )
        for reason in result.reasons:
            lines.append(" " * (widths[0] + 2) + f"- {reason.tag}: {reason.message}"[:width])
    summary = evaluation.summary()
    settings = evaluation.settings.describe()
    lines.append("")
    lines.append(
        f"{len(evaluation.results)} clients, ruleset {evaluation.ruleset.name}, as of "
        f"{evaluation.as_of.isoformat()}: "
        + ", ".join(f"{n} {level}" for level, n in summary.items())
        + f", {len(evaluation.failures)} failed"
    )
    lines.append(
        f"business hours {settings['business_hours']} {settings['timezone']}; windows: activity "
        f"{settings['activity_window_days']} days, billing {settings['billing_window_days']} days"
    )
    return "\n".join(lines)


def _row(cells, widths) -> str:
    parts = []
    for cell, size in zip(cells, widths, strict=True):
        cell = cell if len(cell) <= size else cell[: size - 1] + "…"
        parts.append(cell.ljust(size))
    return "  ".join(parts).rstrip()


def describe_changes(changes: list[ClientChange], current: dict[str, dict]) -> str:
    """Return the changes a sync would make, one field per line: ``id field: old -> new``."""
    lines = []
    for change in changes:
        before = current.get(change.client_id, {})
        for name, value in change.fields.items():
            old = before.get(name)
            lines.append(
                f"{change.client_id}  {name}: {old if old not in (None, '') else '(empty)'!s} -> {value}"
            )
    return "\n".join(lines)
