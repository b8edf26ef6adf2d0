"""Render the risk report to one self-contained HTML page, and write it atomically.

Jinja2 with autoescaping on for everything: every value from a CRM (names, reasons,
note snippets) is escaped wherever the template puts it, text or attribute, without
anyone having to remember to. The CSS is inline and the charts are inline SVG, so the
page needs no server, no network and no script.
"""

from __future__ import annotations

import os
import shlex
from datetime import datetime

import jinja2

from crmflags import __version__
from crmflags.atomicfile import write_atomic
from crmflags.errors import InputError
from crmflags.evaluation.evaluate import plain_number
from crmflags.evaluation.metrics import BUILTIN_METRICS, format_value
from crmflags.report.charts import bar_chart, score_line
from crmflags.report.data import Report
from crmflags.report.labels import LEVEL_ICONS, labels
from crmflags.report.vocabulary import metric_label, tag_label
from crmflags.sync.state.records import DriftRow, QuietedTag
from crmflags.tags import LEVELS


def render(report: Report, lang: str = "en") -> str:
    """Return the report as an HTML page, its labels in ``lang``."""
    words = labels(lang)

    def say(key: str, **values) -> str:
        return words[key].format(**values)

    environment = _environment()
    template = environment.get_template("report.html.j2")
    level_chart = bar_chart(
        [(level, words[level], count) for level, count in reversed(report.level_counts.items())]
    )
    tag_chart = bar_chart([(tag, tag, count) for tag, count in report.tag_counts])
    return template.render(
        report=report,
        lang=lang,
        say=say,
        levels=LEVELS,
        icons=LEVEL_ICONS,
        tag_label=lambda tag: tag_label(tag, lang),
        metric_label=lambda name: metric_label(name, lang),
        quiet_commands=quiet_commands,
        keep_command=keep_command,
        level_chart=level_chart,
        tag_chart=tag_chart,
        score_line=score_line,
        version=__version__,
    )


def quiet_commands(quieted: QuietedTag) -> tuple[str, str]:
    """Return the command that snoozed or acknowledged a tag (as the person typed it),
    and the one that lifts the snooze or takes the acknowledgement back."""
    client = shlex.quote(quieted.client_id)
    if quieted.why == "acknowledged":
        command = f"crmflags ack {client} {quieted.tag}"
        return command, f"{command} --remove"
    command = f"crmflags snooze {client}" + ("" if quieted.every_tag else f" {quieted.tag}")
    return f"{command} --until {quieted.until or 'DATE'}", f"{command} --remove"


def keep_command(drift: DriftRow) -> str:
    """Return the command that keeps a person's edit of a risk field."""
    return f"crmflags keep {shlex.quote(drift.client_id)} {drift.field}"


def write_report(report: Report, path: str | os.PathLike, lang: str = "en") -> None:
    """Render the report and replace the file at ``path`` with it, atomically."""
    page = render(report, lang).encode("utf-8")
    try:
        write_atomic(path, page)
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror or exc}", str(path)) from None


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("crmflags.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["number"] = _number
    environment.filters["metric"] = _metric
    environment.filters["moment"] = _moment
    environment.filters["day"] = lambda value: value.date().isoformat()
    return environment


def _number(value: float | None) -> str:
    """Show a number as the JSON output does: whole numbers without a decimal point."""
    shown = plain_number(value)
    return "" if shown is None else str(shown)


def _metric(value: float | None, name: str, currency: str | None = None, lang: str = "en") -> str:
    """Show a built-in metric's value as ``explain`` does (``89%``, ``yes``, ``€1,200.00``).

    Amounts carry the evidence's currency and every value is written for the page's
    language; other metrics are shown as numbers.
    """
    info = BUILTIN_METRICS.get(name)
    return format_value(value, info.unit, lang, currency) if info else _number(value)


def _moment(value: datetime) -> str:
    """Show a timestamp to the minute, with its time zone."""
    return value.strftime("%Y-%m-%d %H:%M %Z").strip()
