"""Evaluate clients: metrics from the model, rules through the engine, score, level, reasons."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Union

from crmflags.evaluation.engine import BATCH_FACTS, EngineError, RuleEngine
from crmflags.evaluation.metrics import (
    BUILTIN_METRICS,
    MetricValues,
    NoteMatch,
    Portfolio,
    add_portfolio_shares,
    clean_value,
    client_metrics,
    format_value,
    note_matches,
    portfolio_totals,
)
from crmflags.loading.plugins import PluginMetric, raise_plugin_errors
from crmflags.loading.zones import offset_text
from crmflags.logs import Progress
from crmflags.metric import MetricContext
from crmflags.model import NOTE_MARKERS, Client, RecordFailure
from crmflags.money import format_decimal
from crmflags.rules.matching.matcher import TermMatcher
from crmflags.rules.ruleset import Rule, Ruleset, text_metric
from crmflags.rules.templates import render
from crmflags.settings import Settings
from crmflags.tags import LEVELS, TAGS

if TYPE_CHECKING:
    from crmflags.tables import HistoryTables

#: What :func:`evaluate` measures: the records a connector read, or its tables.
Records = Union[Iterable[Client | RecordFailure], "HistoryTables"]


@dataclass(frozen=True)
class QuotedNote:
    """A note quoted in a reason: its day, the term list (or ``marker:<m>``) it matched,
    the words that matched, and the sentence around them."""

    date: str
    term_list: str
    words: str
    snippet: str

    def to_json(self) -> dict[str, str]:
        """Return the note as in the JSON result's ``evidence.matched_notes``."""
        return {
            "date": self.date,
            "list": self.term_list,
            "words": self.words,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class Reason:
    """Why a client got a tag: the rule, its weight, message, evidence and advice.

    ``evidence`` holds the value of each metric the rule reads or its message shows;
    ``matched_notes`` the newest notes behind its text and marker metrics.
    """

    rule: str
    tag: str
    weight: float
    message: str
    evidence: dict[str, float | None]
    advice: str
    matched_notes: tuple[QuotedNote, ...] = ()

    def evidence_json(self) -> dict[str, Any]:
        """Return the evidence as the JSON result has it: the metrics, and under
        ``matched_notes`` the quoted notes (when there are any)."""
        if not self.matched_notes:
            return dict(self.evidence)
        return {**self.evidence, "matched_notes": [n.to_json() for n in self.matched_notes]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        """Return the reason a JSON result (or the state store) holds as ``data``."""
        evidence = dict(data["evidence"])
        quoted = tuple(
            QuotedNote(n["date"], n["list"], n["words"], n["snippet"])
            for n in evidence.pop("matched_notes", ())
        )
        return cls(
            data["rule"],
            data["tag"],
            data["weight"],
            data["message"],
            evidence,
            data["advice"],
            quoted,
        )


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
    #: Things the owner should know about the whole run, each said once: what the
    #: connector noticed while reading and carried on with (rows left out, ...) first.
    warnings: list[str] = field(default_factory=list)
    #: The currency money metrics and messages are in (None: no amount named one).
    currency: str | None = None
    #: The results not yet yielded by :meth:`batches` (an evaluation made with ``stream``).
    pending: Iterator[list[ClientResult]] | None = field(default=None, repr=False)
    #: How many clients :meth:`batches` yielded at each level.
    streamed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    def summary(self) -> dict[str, int]:
        """Return how many clients are at each level (held and streamed)."""
        counts = dict(self.streamed)
        for result in self.results:
            counts[result.level] += 1
        return counts

    def batches(self) -> Iterator[list[ClientResult]]:
        """Yield the results in order, a batch at a time: those held, then those pending.

        Pending results are evaluated as they are asked for and not kept, so an
        evaluation made with ``stream`` holds one batch of results at a time; each is
        yielded once, and failures the rule engine gives join :attr:`failures` as it goes.
        """
        if self.results:
            yield self.results
        pending, self.pending = self.pending, None
        for batch in pending or ():
            for result in batch:
                self.streamed[result.level] += 1
            yield batch


def metric_units(plugin_metrics: dict[str, PluginMetric]) -> dict[str, str]:
    """Return the unit of every metric a ruleset can use, built-in and from plugins."""
    units = {name: info.unit for name, info in BUILTIN_METRICS.items()}
    units.update({name: metric.unit for name, metric in plugin_metrics.items()})
    return units


def evaluate(
    records: Records,
    ruleset: Ruleset,
    settings: Settings,
    as_of: date,
    evaluated_at: datetime,
    plugin_metrics: dict[str, PluginMetric] | None = None,
    progress: Progress | None = None,
    stream: bool = False,
) -> Evaluation:
    """Evaluate every client; clients whose data, metrics or evaluation failed are failures.

    ``records`` are the clients read, or a connector's tables
    (:class:`crmflags.tables.HistoryTables`, measured as columns). Plugin metrics are
    computed only when the ruleset uses them. A metric that comes
    out infinite or NaN (a sum that overflowed) has no value. ``progress`` shows the
    "measuring" phase when the records were read beforehand (a list; records read as
    they are measured are counted by their reader), then "evaluating" (the rules).

    Every client is measured before this returns (the portfolio shares need them all).
    With ``stream``, the rules run as :meth:`Evaluation.batches` asks for the results,
    which are then not held: ``results`` stays empty.
    """
    used = set(ruleset.metrics_used())
    plugin_metrics = {n: m for n, m in (plugin_metrics or {}).items() if n in used}
    evaluation = Evaluation(ruleset, evaluated_at, as_of, settings)
    progress = progress or Progress()
    if isinstance(records, list):
        progress.phase("measuring", len(records))
        records = progress.count(records)
    if _are_tables(records):
        progress.phase("measuring", records.clients.height)  # type: ignore[union-attr]
    measured, totals = _measure(records, ruleset, settings, as_of, plugin_metrics, evaluation)
    progress.phase("evaluating", len(measured))
    units = {**metric_units(plugin_metrics), **ruleset.text_metrics()}
    texts = Texts(units, ruleset.param_values(), settings.language, evaluation.currency)
    # Made here, so that a ruleset the engine rejects fails before any result is asked for.
    engine = RuleEngine(ruleset)
    batches = _results(engine, measured, totals, evaluation, texts, progress)
    if stream:
        evaluation.pending = batches
    else:
        for batch in batches:
            evaluation.results += batch
    return evaluation


def _results(
    engine: RuleEngine,
    measured: list,
    totals: Portfolio,
    evaluation: Evaluation,
    texts: Texts,
    progress: Progress,
) -> Iterator[list[ClientResult]]:
    """Yield the results of the measured clients, BATCH_FACTS at a time; close the engine.

    Each client's entry in ``measured`` is dropped as its result is made; a client the
    engine fails on joins the evaluation's failures.
    """
    ruleset = evaluation.ruleset
    evidence = [_evidence_names(rule, texts.units) for rule in ruleset.rules]
    index: dict[str, int] = {}
    with engine:
        for start in range(0, len(measured), BATCH_FACTS):
            batch = []
            for position in range(start, min(start + BATCH_FACTS, len(measured))):
                client, values, matches = measured[position]
                measured[position] = None  # the result below takes its place in memory
                metrics = values.as_dict()
                add_portfolio_shares(metrics, totals)
                index = index or {name: i for i, name in enumerate(metrics)}
                batch.append((client, metrics, matches))
            outcomes = engine.match_all([metrics for _, metrics, _ in batch])
            progress.advance(len(batch))
            results = []
            for (client, metrics, matches), outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, EngineError):
                    evaluation.failures.append(RecordFailure(client.id, f"rule engine: {outcome}"))
                    continue
                matched = [ruleset.rules[i] for i in outcome]
                points = counted_weights(matched, matches)
                score = sum(points)
                results.append(
                    ClientResult(
                        client=client,
                        score=score,
                        level=ruleset.level_for(score),
                        tags=sorted({rule.tag for rule in matched}),
                        reasons=[
                            _reason(ruleset.rules[i], weight, evidence[i], metrics, matches, texts)
                            for i, weight in zip(outcome, points, strict=True)
                        ],
                        metrics=MetricValues(index, metrics),
                        note_matches=matches,
                    )
                )
            if results:
                yield results


def _measure(
    records: Records,
    ruleset: Ruleset,
    settings: Settings,
    as_of: date,
    plugin_metrics: dict[str, PluginMetric],
    evaluation: Evaluation,
) -> tuple[list, Portfolio]:
    """Compute each client's metrics and note matches; failures go to ``evaluation``.

    Return ``(client without history, metrics, note matches)`` per client, and the
    portfolio (billing hours, billed amount, clients). The records may be read as they
    are measured: no client's history is kept, so memory holds every client's metrics
    (for the portfolio shares) but only one client's history.
    """
    context = MetricContext.of(as_of, settings)
    matcher = ruleset.term_matcher()
    days = note_days(ruleset)
    measured: list[tuple[Client, MetricValues, dict] | None] = []
    index: dict[str, int] = {}
    billing_hours: list[float | None] = []
    billed_amounts: list[float | None] = []
    tables = _are_tables(records)
    bare = tables and not plugin_metrics
    built_in = _built_in_metrics(
        records, context, matcher, days, evaluation.failures, bool(plugin_metrics)
    )
    for record, metrics, matches in built_in:
        try:
            for name, metric in plugin_metrics.items():
                metrics[name] = _plugin_value(metric, record, context)
        except _MetricFailed as exc:
            evaluation.failures.append(RecordFailure(record.id, str(exc)))
            continue
        for term_list in ruleset.terms:
            metrics[text_metric(term_list)] = float(len(matches.get(term_list, ())))
        # Plugin values are clean already, and so are the built-in ones from tables.
        cleaned = metrics if tables else {name: clean_value(v) for name, v in metrics.items()}
        index = index or {name: i for i, name in enumerate(cleaned)}
        client = record if bare else _without_history(record)
        measured.append((client, MetricValues(index, cleaned), matches))
        billing_hours.append(cleaned["billing_hours"])
        billed_amounts.append(cleaned["billed_amount"])
    evaluation.currency = context.money.reporting
    evaluation.warnings += [w for w in (context.money.warning(), _zone_warning(context)) if w]
    return measured, portfolio_totals(billing_hours, billed_amounts)


def _are_tables(records: object) -> bool:
    """Tell whether the records are a connector's tables (polars is not imported for others)."""
    tables = sys.modules.get("crmflags.tables")
    return tables is not None and isinstance(records, tables.HistoryTables)


def _built_in_metrics(
    records: Records,
    context: MetricContext,
    matcher: TermMatcher | None,
    days: dict[str, int],
    failures: list[RecordFailure],
    whole_clients: bool,
) -> Iterator[tuple[Client, dict[str, float | None], dict[str, list[NoteMatch]]]]:
    """Yield each client with its built-in metrics and note matches; failures go to ``failures``.

    Tables are measured all at once as columns (:mod:`crmflags.evaluation.columnar`),
    their clients whole only for plugin metrics (``whole_clients``); records are measured
    one client at a time by the reference.
    """
    if _are_tables(records):
        from crmflags.evaluation.columnar import metric_rows

        failures += records.failures  # type: ignore[union-attr]
        yield from metric_rows(records, context, matcher, days, whole_clients)  # type: ignore[arg-type]
        return
    for record in records:  # type: ignore[union-attr]
        if isinstance(record, RecordFailure):
            failures.append(record)
            continue
        matches = note_matches(record, context, matcher, days)
        yield record, client_metrics(record, context, matches), matches


def note_days(ruleset: Ruleset) -> dict[str, int]:
    """Return how many days back each term list, and each marker of one, counts notes.

    A marker counts as long as the longest list that names it, and never less than the
    activity window: a note marked ``threat`` does not fade sooner than the words of abuse do.
    """
    days: dict[str, int] = {}
    for name, terms in ruleset.terms.items():
        if terms.days:
            days[name] = terms.days
            for marker in terms.markers:
                key = f"marker:{marker}"
                days[key] = max(days.get(key, 0), terms.days)
    return days


def _zone_warning(context: MetricContext) -> str | None:
    """Warn when the machine's UTC is the time zone while the data's timestamps say otherwise."""
    settings = context.settings
    if settings.timezone_configured or not context.offsets:
        return None
    if (
        datetime(2026, 1, 1, tzinfo=settings.timezone).utcoffset()
        or datetime(2026, 7, 1, tzinfo=settings.timezone).utcoffset()
    ):
        return None  # the machine has a zone of its own, not the UTC default
    offsets = ", ".join(offset_text(o) for o, _ in context.offsets.most_common(3))
    return (
        f"no timezone: in crmflags.yaml, so the machine's {settings.timezone_name} is used, but "
        f"the data's timestamps carry the offset(s) {offsets}: business hours are judged in "
        "UTC. Set timezone: (e.g. Europe/Budapest) in crmflags.yaml; crmflags init proposes one"
    )


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
        if raise_plugin_errors():
            raise
        raise _MetricFailed(
            f"metric {metric.name} (plugin {metric.plugin.distribution}) failed: "
            f"{type(exc).__name__}: {exc}"
        ) from None


def _evidence_names(rule: Rule, units: dict[str, str]) -> list[tuple[str, str]]:
    """Return the metrics a rule's reason shows as evidence, each with its backing notes' key."""
    shown = [name for name in rule.message_names() if name in units]
    names = dict.fromkeys(rule.metrics_read() + shown)
    return [(name, backing_notes(name)) for name in names]


def counted_weights(rules: list[Rule], matches: dict[str, list[NoteMatch]]) -> list[float]:
    """Return the points each matched rule adds to the score, in the rules' order.

    One piece of evidence raises a tag once: matched rules of the same tag that read
    the same metric, or that are backed by the same note, form one group, and only the
    heaviest rule of the group counts (the first of equal weights); the others add 0.
    """
    if len({rule.tag for rule in rules}) == len(rules):
        return [rule.weight for rule in rules]  # one rule per tag: nothing to share
    evidence = [_evidence_of(rule, matches) for rule in rules]
    group = list(range(len(rules)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i in range(len(rules)):
        for j in range(i):
            if rules[i].tag == rules[j].tag and evidence[i] & evidence[j]:
                group[root(i)] = root(j)
    heaviest: dict[int, int] = {}
    for i, rule in enumerate(rules):
        best = heaviest.get(root(i))
        if best is None or rule.weight > rules[best].weight:
            heaviest[root(i)] = i
    counted = set(heaviest.values())
    return [rule.weight if i in counted else 0.0 for i, rule in enumerate(rules)]


def _evidence_of(rule: Rule, matches: dict[str, list[NoteMatch]]) -> set:
    """Return what a rule's match rests on: the metrics it reads and the notes behind them."""
    found: set = set(rule.metrics_read())
    for metric in rule.metrics_read():
        found.update(("note", m.note) for m in matches.get(backing_notes(metric), ()))
    return found


@dataclass(frozen=True)
class Texts:
    """How reasons are written: the metrics' units, the params, the language and currency."""

    units: dict[str, str]
    params: dict[str, float]
    language: str = "en"
    currency: str | None = None

    def render(self, template: str, values: Mapping[str, float | None]) -> str:
        """Fill a message template with the values, written for the language."""

        def value_of(name: str) -> str:
            if name in self.units:
                return format_value(
                    values.get(name), self.units[name], self.language, self.currency
                )
            return format_decimal(self.params[name], _places(self.params[name]), self.language)

        return render(template, value_of)


def _places(number: float) -> int:
    """Return the decimals a param needs to be shown as written (0.75, 14, 2.5)."""
    text = f"{number:g}"
    return len(text.partition(".")[2]) if "e" not in text else 2


def _reason(
    rule: Rule,
    weight: float,
    names: list[tuple[str, str]],
    metrics: dict,
    matches: dict[str, list[NoteMatch]],
    texts: Texts,
) -> Reason:
    evidence: dict = {name: plain_number(metrics.get(name)) for name, _ in names}
    quoted = tuple(
        QuotedNote(m.date.isoformat(), m.term_list, m.match.words, m.match.snippet)
        for _, notes in names
        for m in matches.get(notes, [])[:MAX_QUOTED_NOTES]
    )
    if texts.currency and any(texts.units.get(name) in MONEY_UNITS for name, _ in names):
        evidence["currency"] = texts.currency
    message = rule.message_in(texts.language)
    return Reason(
        rule=rule.id,
        tag=rule.tag,
        weight=weight,
        message=texts.render(message, metrics) if message else TAGS[rule.tag],
        evidence=evidence,
        advice=rule.advice_in(texts.language),
        matched_notes=quoted,
    )


#: Units whose values are amounts of money: their evidence names the currency.
MONEY_UNITS = ("money", "rate")
