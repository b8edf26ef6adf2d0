"""Print an evaluation: a table for people, JSON (contracts §2) or CSV for scripts."""

from __future__ import annotations

import csv
import io
import json

import click

from crmflags.connector import ClientChange
from crmflags.evaluation.evaluate import Evaluation, plain_number
from crmflags.terminal import terminal_safe

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
        "failures": [
            {"client_id": failure.client_id, "reason": failure.reason}
            for failure in evaluation.failures
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)


def to_csv(evaluation: Evaluation) -> str:
    """Return one CSV row per client: id, name, level, score, tags, reasons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "name", "level", "score", "tags", "reasons"])
    for result in evaluation.results:
        writer.writerow(
            [
                result.client.id,
                result.client.name,
                result.level,
                plain_number(result.score),
                ";".join(result.tags),
                " | ".join(r.message for r in result.reasons),
            ]
        )
    return buffer.getvalue()


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
        (
            terminal_safe(r.client.id),
            terminal_safe(r.client.name),
            r.level,
            str(plain_number(r.score)),
            terminal_safe(", ".join(r.tags) or "-"),
        )
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
            text = terminal_safe(f"- {reason.tag}: {reason.message}")
            lines.append(" " * (widths[0] + 2) + text[:width])
    summary = evaluation.summary()
    settings = evaluation.settings.describe()
    lines.append("")
    lines.append(
        f"{len(evaluation.results)} clients, ruleset {evaluation.ruleset.name}, as of "
        f"{evaluation.as_of.isoformat()}: "
        + ", ".join(f"{n} {level}" for level, n in summary.items())
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
                terminal_safe(
                    f"{change.client_id}  {name}: "
                    f"{old if old not in (None, '') else '(empty)'!s} -> {value}"
                )
            )
    return "\n".join(lines)
