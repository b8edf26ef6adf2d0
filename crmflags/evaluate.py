"""Evaluate clients: metrics from the model, rules through the engine, score, level, reasons."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from crmflags.engine import EngineError, RuleEngine
from crmflags.metrics import (
    BUILTIN_METRICS,
    MetricContext,
    NoteMatch,
    clean_value,
    client_metrics,
    format_value,
    note_matches,
    portfolio_metrics,
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
    """The evaluation of one client."""

    client: Client
    score: float
    level: str
    tags: list[str]
    reasons: list[Reason]
    metrics: dict[str, float | None]
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
    context = MetricContext(as_of=as_of, settings=settings)
    matcher = TermMatcher(list(ruleset.terms.values())) if ruleset.terms else None
    measured: list[tuple[Client, dict, dict]] = []
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
        measured.append((record, cleaned, matches))
    portfolio_metrics([metrics for _, metrics, _ in measured])
    units = {**metric_units(plugin_metrics), **ruleset.text_metrics()}
    params = ruleset.param_values()
    with RuleEngine(ruleset) as engine:
        for client, metrics, matches in measured:
            try:
                matched = [ruleset.rules[i] for i in engine.match(metrics)]
            except EngineError as exc:
                evaluation.failures.append(RecordFailure(client.id, f"rule engine: {exc}"))
                continue
            score = sum(rule.weight for rule in matched)
            evaluation.results.append(
                ClientResult(
                    client=client,
                    score=score,
                    level=ruleset.level_for(score),
                    tags=sorted({rule.tag for rule in matched}),
                    reasons=[_reason(rule, metrics, matches, units, params) for rule in matched],
                    metrics=metrics,
                    note_matches=matches,
                )
            )
    return evaluation


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


def _reason(
    rule: Rule,
    metrics: dict,
    matches: dict[str, list[NoteMatch]],
    units: dict[str, str],
    params: dict[str, float],
) -> Reason:
    def value_of(name: str) -> str:
        if name in units:
            return format_value(metrics.get(name), units[name])
        return f"{params[name]:g}"

    shown = [name for name in rule.message_names() if name in units]
    evidence: dict = {name: plain_number(metrics.get(name)) for name in rule.metrics_read() + shown}
    quoted = [
        {
            "date": m.date.isoformat(),
            "list": m.term_list,
            "words": m.match.words,
            "snippet": m.match.snippet,
        }
        for name in evidence
        for m in matches.get(backing_notes(name), [])[:MAX_QUOTED_NOTES]
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
