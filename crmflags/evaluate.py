"""Evaluate clients: metrics from the model, rules through the engine, score, level, reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from crmflags.engine import BATCH_FACTS, EngineError, RuleEngine
from crmflags.metrics import (
    BUILTIN_METRICS,
    MetricContext,
    MetricValues,
    NoteMatch,
    add_portfolio_shares,
    clean_value,
    client_metrics,
    format_value,
    note_matches,
    portfolio_totals,
)
from crmflags.model import NOTE_MARKERS, Client, RecordFailure
from crmflags.plugins import PluginMetric
from crmflags.ruleset import Rule, Ruleset, text_metric
from crmflags.settings import Settings
from crmflags.tags import LEVELS, TAGS
from crmflags.templates import render
from crmflags.text import TermMatcher


@dataclass(frozen=True)
class Reason:
    """Why a client got a tag: the rule, its weight, message, evidence and advice."""

    rule: str
    tag: str
    weight: float
    message: str
    evidence: dict[str, float | None]
    advice: str


@dataclass
class ClientResult:
    """The evaluation of one client.

    ``client`` is the client as read but without its history (its invoices,
    activities, notes and time entries lists are empty), so that an evaluation of many
    clients holds only what it reports; ``metrics`` holds what was computed from it.
    """

    client: Client
    score: float
    level: str
    tags: list[str]
    reasons: list[Reason]
    metrics: Mapping[str, float | None]
    note_matches: dict[str, list[NoteMatch]] = field(default_factory=dict)


@dataclass
class Evaluation:
    """The result of evaluating every client of a source with one ruleset."""

    ruleset: Ruleset
    evaluated_at: datetime
    as_of: date
    settings: Settings
    results: list[ClientResult] = field(default_factory=list)
    failures: list[RecordFailure] = field(default_factory=list)
    #: What the connector noticed while reading and carried on with (rows left out, ...).
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        """Return how many clients are at each level."""
        counts = dict.fromkeys(LEVELS, 0)
        for result in self.results:
            counts[result.level] += 1
        return counts


def metric_units(plugin_metrics: dict[str, PluginMetric]) -> dict[str, str]:
    """Return the unit of every metric a ruleset can use, built-in and from plugins."""
    units = {name: info.unit for name, info in BUILTIN_METRICS.items()}
    units.update({name: metric.unit for name, metric in plugin_metrics.items()})
    return units


def evaluate(
    records: Iterable[Client | RecordFailure],
    ruleset: Ruleset,
    settings: Settings,
    as_of: date,
    evaluated_at: datetime,
    plugin_metrics: dict[str, PluginMetric] | None = None,
) -> Evaluation:
    """Evaluate every client; clients whose data, metrics or evaluation failed are failures.

    Plugin metrics are computed only when the ruleset uses them. A metric that comes
    out infinite or NaN (a sum that overflowed) has no value.
    """
    used = set(ruleset.metrics_used())
    plugin_metrics = {n: m for n, m in (plugin_metrics or {}).items() if n in used}
    evaluation = Evaluation(ruleset, evaluated_at, as_of, settings)
    measured, totals = _measure(records, ruleset, settings, as_of, plugin_metrics, evaluation)
    units = {**metric_units(plugin_metrics), **ruleset.text_metrics()}
    params = ruleset.param_values()
    evidence = [_evidence_names(rule, units) for rule in ruleset.rules]
    index: dict[str, int] = {}
    with RuleEngine(ruleset) as engine:
        for start in range(0, len(measured), BATCH_FACTS):
            batch = []
            for position in range(start, min(start + BATCH_FACTS, len(measured))):
                client, values, matches = measured[position]
                measured[position] = None  # the result below takes its place in memory
                metrics = values.as_dict()
                add_portfolio_shares(metrics, *totals)
                index = index or {name: i for i, name in enumerate(metrics)}
                batch.append((client, metrics, matches))
            outcomes = engine.match_all([metrics for _, metrics, _ in batch])
            for (client, metrics, matches), outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, EngineError):
                    evaluation.failures.append(RecordFailure(client.id, f"rule engine: {outcome}"))
                    continue
                matched = [ruleset.rules[i] for i in outcome]
                score = sum(rule.weight for rule in matched)
                evaluation.results.append(
                    ClientResult(
                        client=client,
                        score=score,
                        level=ruleset.level_for(score),
                        tags=sorted({rule.tag for rule in matched}),
                        reasons=[
                            _reason(ruleset.rules[i], evidence[i], metrics, matches, units, params)
                            for i in outcome
                        ],
                        metrics=MetricValues(index, metrics),
                        note_matches=matches,
                    )
                )
    return evaluation


def _measure(
    records: Iterable[Client | RecordFailure],
    ruleset: Ruleset,
    settings: Settings,
    as_of: date,
    plugin_metrics: dict[str, PluginMetric],
    evaluation: Evaluation,
) -> tuple[list, tuple[float, float]]:
    """Compute each client's metrics and note matches; failures go to ``evaluation``.

    Return ``(client without history, metrics, note matches)`` per client, and the
    portfolio's total billing hours and paid amount. The records may be read as they
    are measured: no client's history is kept, so memory holds every client's metrics
    (for the portfolio shares) but only one client's history.
    """
    context = MetricContext(as_of=as_of, settings=settings)
    matcher = TermMatcher(list(ruleset.terms.values())) if ruleset.terms else None
    measured: list[tuple[Client, MetricValues, dict] | None] = []
    index: dict[str, int] = {}
    billing_hours: list[float | None] = []
    paid_amounts: list[float | None] = []
    for record in records:
        if isinstance(record, RecordFailure):
            evaluation.failures.append(record)
            continue
        try:
            metrics = client_metrics(record, context)
            for name, metric in plugin_metrics.items():
                metrics[name] = _plugin_value(metric, record, context)
        except _MetricFailed as exc:
            evaluation.failures.append(RecordFailure(record.id, str(exc)))
            continue
        matches = note_matches(record, context, matcher)
        for term_list in ruleset.terms:
            metrics[text_metric(term_list)] = float(len(matches.get(term_list, ())))
        cleaned = {name: clean_value(value) for name, value in metrics.items()}
        index = index or {name: i for i, name in enumerate(cleaned)}
        measured.append((_without_history(record), MetricValues(index, cleaned), matches))
        billing_hours.append(cleaned["billing_hours"])
        paid_amounts.append(cleaned["paid_amount"])
    return measured, portfolio_totals(billing_hours, paid_amounts)


def _without_history(client: Client) -> Client:
    """Return a copy of the client without its invoices, activities, notes and time entries."""
    return replace(client, invoices=[], activities=[], notes=[], time_entries=[])


def plain_number(value: float | None) -> float | int | None:
    """Return a number as it should be shown: whole numbers as int, others to 2 decimals."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def backing_notes(metric: str) -> str:
    """Return the key of ``note_matches`` whose notes back a metric ('' if none do)."""
    if metric.startswith("text_"):
        return metric[len("text_") :]
    if metric.startswith("notes_") and metric[len("notes_") :] in NOTE_MARKERS:
        return f"marker:{metric[len('notes_') :]}"
    return ""


#: Notes quoted per term list in a reason's evidence (the newest ones).
MAX_QUOTED_NOTES = 5


class _MetricFailed(Exception):
    pass


def _plugin_value(metric: PluginMetric, client: Client, context: MetricContext) -> float | None:
    try:
        return clean_value(metric.compute(client, context))
    except Exception as exc:  # a plugin's fault fails this client only
        raise _MetricFailed(
            f"metric {metric.name} (plugin {metric.plugin.distribution}) failed: "
            f"{type(exc).__name__}: {exc}"
        ) from None


def _evidence_names(rule: Rule, units: dict[str, str]) -> list[tuple[str, str]]:
    """Return the metrics a rule's reason shows as evidence, each with its backing notes' key."""
    shown = [name for name in rule.message_names() if name in units]
    names = dict.fromkeys(rule.metrics_read() + shown)
    return [(name, backing_notes(name)) for name in names]


def _reason(
    rule: Rule,
    names: list[tuple[str, str]],
    metrics: dict,
    matches: dict[str, list[NoteMatch]],
    units: dict[str, str],
    params: dict[str, float],
) -> Reason:
    def value_of(name: str) -> str:
        if name in units:
            return format_value(metrics.get(name), units[name])
        return f"{params[name]:g}"

    evidence: dict = {name: plain_number(metrics.get(name)) for name, _ in names}
    quoted = [
        {
            "date": m.date.isoformat(),
            "list": m.term_list,
            "words": m.match.words,
            "snippet": m.match.snippet,
        }
        for _, notes in names
        for m in matches.get(notes, [])[:MAX_QUOTED_NOTES]
    ]
    if quoted:
        evidence["matched_notes"] = quoted
    return Reason(
        rule=rule.id,
        tag=rule.tag,
        weight=rule.weight,
        message=render(rule.message, value_of) if rule.message else TAGS[rule.tag],
        evidence=evidence,
        advice=rule.advice,
    )
