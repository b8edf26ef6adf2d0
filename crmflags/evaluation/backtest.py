"""How a ruleset would have judged clients whose fate is known: precision and recall.

A client is *flagged* when its level is warning or fire, and *ended* when the outcome
column (e.g. ``ended`` on clients.csv) says yes. For the whole book and for each tag
(a client flagged and carrying that tag), precision is the share of flagged clients
that were ended, and recall the share of ended clients that were flagged.

Manual fields (``gut_feeling``, ``team_morale``) hold what someone typed on the client
and have no history: a backtest of a past date leaves them out (:func:`without_manual`),
unless asked to use today's values, and says which it did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from crmflags import values
from crmflags.errors import InputError
from crmflags.evaluation.evaluate import Evaluation
from crmflags.model import Client, RecordFailure

FLAGGED_LEVELS = ("warning", "fire")
#: Client fields typed by hand, which keep no history of their past values.
MANUAL_FIELDS = ("gut_feeling", "team_morale")


@dataclass
class Score:
    """Counts behind one line of the backtest, and the precision and recall they give."""

    flagged: int = 0
    ended: int = 0
    flagged_and_ended: int = 0

    @property
    def precision(self) -> float | None:
        """Share of flagged clients that were ended (None when nothing was flagged)."""
        return self.flagged_and_ended / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        """Share of ended clients that were flagged (None when none was ended)."""
        return self.flagged_and_ended / self.ended if self.ended else None


@dataclass
class Backtest:
    """The backtest of one evaluation against one outcome column."""

    outcome: str
    clients: int = 0
    without_outcome: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)
    overall: Score = field(default_factory=Score)
    by_tag: dict[str, Score] = field(default_factory=dict)
    kept_rules: Counter = field(default_factory=Counter)
    kept_flagged: list[str] = field(default_factory=list)
    #: What the backtest did with the manual fields, said plainly ('' when as of today).
    manual: str = ""


def without_manual(records: Iterable[Client | RecordFailure]) -> Iterator[Client | RecordFailure]:
    """Yield the records with the manual fields cleared: their past values are unknown.

    Each client is a copy: the connector's own records are left as they were read.
    """
    for record in records:
        if isinstance(record, Client):
            record = replace(record, gut_feeling=False, team_morale=None)
        yield record


def manual_note(as_of: date, today: date, todays_values: bool) -> str:
    """Return the line that says how a backtest as of ``as_of`` treated the manual fields."""
    if as_of >= today:
        return ""
    fields = " and ".join(MANUAL_FIELDS)
    if todays_values:
        return (
            f"{fields} are today's values, not those of {as_of}: they have no history, "
            "so the past is judged with what is known now"
        )
    return (
        f"{fields} have no history, so they are left out as of {as_of} "
        "(--manual-fields today uses today's values)"
    )


def backtest(evaluation: Evaluation, outcome: str, manual: str = "") -> Backtest:
    """Compare the evaluation with the clients' outcome column (yes: the client was ended).

    ``manual`` is :func:`manual_note`'s line for the report.
    """
    report = Backtest(outcome, manual=manual)
    key = outcome.casefold()
    for result in evaluation.results:
        raw = (result.client.fields.get(key) or "").strip()
        if not raw:
            report.without_outcome.append(result.client.id)
            continue
        try:
            ended = values.parse_flag(raw)
        except ValueError:
            report.unreadable[result.client.id] = raw
            continue
        report.clients += 1
        flagged = result.level in FLAGGED_LEVELS
        _count(report.overall, flagged, ended)
        for tag in result.tags:
            score = report.by_tag.setdefault(tag, Score())
            score.flagged += flagged
            score.flagged_and_ended += flagged and ended
        if not ended:
            report.kept_rules.update(reason.rule for reason in result.reasons)
            if flagged:
                report.kept_flagged.append(result.client.id)
    for score in report.by_tag.values():
        score.ended = report.overall.ended  # recall of a tag is over every ended client
    if report.clients == 0:
        raise InputError(
            f"no client has a yes/no value in the outcome column {outcome!r}; "
            "add it to clients.csv (e.g. ended: yes for clients you let go) or name another with --outcome"
        )
    return report


def _count(score: Score, flagged: bool, ended: bool) -> None:
    score.flagged += flagged
    score.ended += ended
    score.flagged_and_ended += flagged and ended


def render_backtest(report: Backtest, evaluation: Evaluation) -> str:
    """Return the backtest as text for people."""

    def pct(value: float | None) -> str:
        return "  n/a" if value is None else f"{value * 100:4.0f}%"

    lines = [
        f"backtest of ruleset {evaluation.ruleset.name} as of {evaluation.as_of} against "
        f"{report.outcome!r}: {report.clients} clients, {report.overall.ended} ended, "
        f"{report.overall.flagged} flagged (warning or fire)",
        "",
        f"{'':<26}{'flagged':>8}{'ended':>7}{'both':>6}{'precision':>11}{'recall':>8}",
    ]
    rows = [("all clients", report.overall)] + sorted(report.by_tag.items())
    for name, score in rows:
        lines.append(
            f"{name:<26}{score.flagged:>8}{score.ended:>7}{score.flagged_and_ended:>6}"
            f"{pct(score.precision):>11}{pct(score.recall):>8}"
        )
    lines.append("")
    if report.manual:
        lines.append(report.manual)
    if report.kept_rules:
        lines.append("rules that fired on clients that were kept:")
        for rule, count in report.kept_rules.most_common():
            lines.append(f"  {rule:<32}{count:>4} client(s)")
    if report.kept_flagged:
        shown = ", ".join(report.kept_flagged[:10]) + (
            " ..." if len(report.kept_flagged) > 10 else ""
        )
        lines.append(f"kept although flagged: {shown}")
    if report.without_outcome:
        lines.append(
            f"{len(report.without_outcome)} client(s) without an outcome value were left out"
        )
    if report.unreadable:
        shown = ", ".join(
            f"{cid} ({value!r})" for cid, value in list(report.unreadable.items())[:10]
        )
        lines.append(
            f"{len(report.unreadable)} client(s) left out whose {report.outcome!r} is not yes or no: "
            f"{shown}"
        )
    return "\n".join(lines)
