"""A ruleset's own examples: invented clients with the tags they must and must not get.

``crmflags rules test`` evaluates each example with its ruleset and reports every
expectation that does not hold; ``crmflags rules lint`` checks that examples are
well formed. The format is documented in ``docs/rulesets.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crmflags import values
from crmflags.errors import InputError, place
from crmflags.loading.config import parse_business_hours, parse_money_and_language
from crmflags.model import ACTIVITY_KINDS, NOTE_MARKERS, Activity, Client, Invoice, Note, TimeEntry
from crmflags.rules.ruleset import Ruleset
from crmflags.settings import Settings
from crmflags.tags import LEVELS, TAGS
from crmflags.yamlfile import YamlList, YamlMap, is_finite_number

if TYPE_CHECKING:  # evaluate imports the engine; examples load without it (rules lint)
    from crmflags.evaluation.evaluate import Evaluation

EXAMPLE_KEYS = (
    "name",
    "as_of",
    "timezone",
    "business_hours",
    "currency",
    "exchange_rates",
    "client",
    "others",
    "expect",
)
CLIENT_KEYS = (
    "id",
    "name",
    "hourly_rate_target",
    "contracted_hours",
    "gut_feeling",
    "team_morale",
    "currency",
    "billing",
    "invoices",
    "activities",
    "notes",
    "time_entries",
)
EXPECT_KEYS = ("tags", "not_tags", "level")
REPEAT_KEYS = ("repeat", "every_days")
#: More copies than this of one history item is a mistake, not an example.
MAX_REPEAT = 1000
HISTORY_KEYS = {
    "invoices": (
        "issued_on",
        "due_on",
        "paid_on",
        "amount",
        "currency",
        "disputed",
        "credited_amount",
    ),
    "activities": ("at", "kind", "direction", "subject"),
    "notes": ("at", "body", "marker"),
    "time_entries": ("date", "hours", "billable", "in_scope"),
}


@dataclass
class Example:
    """One example of a ruleset, ready to evaluate."""

    name: str
    where: str
    as_of: date
    settings: Settings
    client: Client
    others: list[Client] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    not_tags: list[str] = field(default_factory=list)
    level: str | None = None


@dataclass
class ExampleOutcome:
    """What evaluating an example gave, and the expectations it missed.

    ``evaluation`` is the example's evaluation (its client's result comes first), for
    showing the metric values behind a missed expectation; None if it failed.
    """

    example: Example
    tags: list[str]
    level: str
    score: float
    problems: list[str]
    evaluation: Evaluation | None = None


def parse_examples(ruleset: Ruleset) -> list[Example]:
    """Build the examples of a ruleset; raise InputError with every file:line problem."""
    if not ruleset.examples:
        return []
    problems: list[str] = []
    examples = []
    for index, raw in enumerate(ruleset.examples):
        line = ruleset.examples.line_of(index)
        parser = _Parser(ruleset, problems)
        example = parser.example(raw, line, index + 1)
        if example is not None:
            examples.append(example)
    if problems:
        raise InputError("\n".join(problems))
    return examples


def run_examples(ruleset: Ruleset, plugin_metrics=None) -> list[ExampleOutcome]:
    """Evaluate every example of a ruleset and compare it with its expectations."""
    from crmflags.evaluation.evaluate import evaluate

    outcomes = []
    for example in parse_examples(ruleset):
        evaluated_at = datetime.combine(
            example.as_of, datetime.max.time(), example.settings.timezone
        )
        evaluation = evaluate(
            [example.client, *example.others],
            ruleset,
            example.settings,
            example.as_of,
            evaluated_at,
            plugin_metrics,
        )
        if evaluation.failures:
            problems = [f"could not be evaluated: {f.reason}" for f in evaluation.failures]
            outcomes.append(ExampleOutcome(example, [], "", 0, problems))
            continue
        result = evaluation.results[0]
        problems = [
            f"expected tag {t}, which it did not get" for t in example.tags if t not in result.tags
        ]
        problems += [
            f"got tag {t}, which it must not" for t in example.not_tags if t in result.tags
        ]
        if example.level and example.level != result.level:
            problems.append(
                f"expected level {example.level}, got {result.level} (score {result.score:g})"
            )
        outcomes.append(
            ExampleOutcome(example, result.tags, result.level, result.score, problems, evaluation)
        )
    return outcomes


class _Parser:
    """Reads example data, collecting every problem with its file:line."""

    def __init__(self, ruleset: Ruleset, problems: list[str]):
        self.path = ruleset.path
        self.problems = problems
        self.business_hours = ruleset.business_hours

    def fail(self, line: int, message: str) -> None:
        self.problems.append(f"{place(self.path, line)}: {message}")

    def example(self, raw: Any, line: int, number: int) -> Example | None:
        if not isinstance(raw, YamlMap):
            self.fail(line, "an example must be a mapping with name, as_of, client and expect")
            return None
        before = len(self.problems)
        self.keys(raw, EXAMPLE_KEYS, "example")
        for key in ("as_of", "client", "expect"):
            if key not in raw:
                self.fail(raw.line, f"example needs {key!r}")
        name = str(raw.get("name", f"example {number}"))
        as_of = self.date(raw, "as_of")
        zone = self.zone(raw)
        settings = Settings(timezone=zone, timezone_name=str(raw.get("timezone", "UTC")))
        if self.business_hours is not None:
            settings = replace(settings, business_hours=self.business_hours)
        if "business_hours" in raw:
            try:
                hours = parse_business_hours(
                    raw["business_hours"], self.path, raw.line_of("business_hours")
                )
            except InputError as exc:
                self.problems.append(str(exc))
            else:
                settings = replace(settings, business_hours=hours)
        if "currency" in raw or "exchange_rates" in raw:
            try:
                money = parse_money_and_language(raw, self.path)
            except InputError as exc:
                self.problems.append(str(exc))
            else:
                settings = replace(settings, **money)
        client = self.client(raw.get("client"), raw.line_of("client"), "example", zone)
        others = []
        if "others" in raw:
            listed = raw["others"]
            if not isinstance(listed, YamlList):
                self.fail(raw.line_of("others"), "others must be a list of clients")
            else:
                others = [
                    self.client(item, listed.line_of(i), f"other-{i + 1}", zone)
                    for i, item in enumerate(listed)
                ]
        expect = raw.get("expect")
        tags, not_tags, level = self.expect(expect, raw.line_of("expect"))
        if len(self.problems) > before or client is None or as_of is None:
            return None
        return Example(
            name,
            place(self.path, raw.line),
            as_of,
            settings,
            client,
            [o for o in others if o is not None],
            tags,
            not_tags,
            level,
        )

    def keys(self, raw: YamlMap, allowed: tuple[str, ...], what: str) -> None:
        for key in raw:
            if key not in allowed:
                self.fail(
                    raw.line_of(key),
                    f"unknown key {key!r} in {what}; keys are {', '.join(allowed)}",
                )

    def zone(self, raw: YamlMap):
        name = raw.get("timezone")
        if name is None:
            return timezone.utc
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(raw.line_of("timezone"), f"unknown time zone {name!r}")
            return timezone.utc

    def expect(self, raw: Any, line: int) -> tuple[list[str], list[str], str | None]:
        if not isinstance(raw, YamlMap):
            if raw is not None:
                self.fail(line, "expect must be a mapping with tags, not_tags and level")
            return [], [], None
        self.keys(raw, EXPECT_KEYS, "expect")
        lists = []
        for key in ("tags", "not_tags"):
            value = raw.get(key, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or any(tag not in TAGS for tag in value):
                unknown = [t for t in value if t not in TAGS] if isinstance(value, list) else value
                self.fail(raw.line_of(key), f"{key} must be a list of tags; not tags: {unknown}")
                value = []
            lists.append([str(tag) for tag in value])
        both = sorted(set(lists[0]) & set(lists[1]))
        if both:
            self.fail(line, f"tags and not_tags both list {', '.join(both)}")
        level = raw.get("level")
        if level is not None and level not in LEVELS:
            self.fail(raw.line_of("level"), f"level must be one of {', '.join(LEVELS)}")
        elif not any(key in raw for key in EXPECT_KEYS):
            self.fail(line, "expect needs tags, not_tags or level")
        return lists[0], lists[1], level

    def client(self, raw: Any, line: int, default_id: str, zone) -> Client | None:
        if not isinstance(raw, YamlMap):
            if raw is not None:
                self.fail(line, "a client must be a mapping (invoices, activities, notes, ...)")
            return None
        self.keys(raw, CLIENT_KEYS, "client")
        client = Client(id=str(raw.get("id", default_id)), name=str(raw.get("name", default_id)))
        for key in ("hourly_rate_target", "contracted_hours", "team_morale"):
            if key in raw:
                setattr(client, key, self.number(raw, key))
        if "gut_feeling" in raw:
            client.gut_feeling = bool(self.flag(raw, "gut_feeling"))
        for key in ("currency", "billing"):  # client fields the metrics read by name
            if key in raw:
                client.fields[key] = str(raw[key])
        for kind, build in (
            ("invoices", self.invoice),
            ("activities", self.activity),
            ("notes", self.note),
            ("time_entries", self.time_entry),
        ):
            for item, item_line in self.history(raw, kind):
                made = build(item, item_line, zone)
                if made is not None:
                    getattr(client, kind).append(made)
        return client

    def history(self, raw: YamlMap, kind: str):
        """Yield each history item of a kind, repeated as its ``repeat``/``every_days`` say."""
        listed = raw.get(kind)
        if listed is None:
            return
        if not isinstance(listed, YamlList):
            self.fail(raw.line_of(kind), f"{kind} must be a list")
            return
        for index, item in enumerate(listed):
            item_line = listed.line_of(index)
            if not isinstance(item, YamlMap):
                self.fail(item_line, f"an item of {kind} must be a mapping")
                continue
            self.keys(item, HISTORY_KEYS[kind] + REPEAT_KEYS, kind)
            repeat = item.get("repeat", 1)
            every = item.get("every_days", 1)
            if not (isinstance(repeat, int) and isinstance(every, int)) or not (
                1 <= repeat <= MAX_REPEAT and every >= 0
            ):
                self.fail(
                    item_line,
                    f"repeat must be a whole number from 1 to {MAX_REPEAT}, "
                    "every_days a whole number of 0 or more",
                )
                continue
            for copy in range(repeat):
                yield _Shifted(item, timedelta(days=copy * every)), item_line

    def invoice(self, item: _Shifted, line: int, zone) -> Invoice | None:
        issued, due = self.date(item, "issued_on"), self.date(item, "due_on")
        amount = self.number(item, "amount", required=True)
        if issued is None or due is None or amount is None:
            return None
        if due < issued:
            self.fail(item.line_of("due_on"), f"due_on {due} is before issued_on {issued}")
            return None
        return Invoice(
            invoice_id=f"example-{line}-{issued}",
            issued_on=issued,
            due_on=due,
            amount=amount,
            paid_on=self.date(item, "paid_on", required=False),
            currency=str(item.get("currency")) if item.get("currency") else None,
            disputed=bool(self.flag(item, "disputed")),
            credited_amount=self.number(item, "credited_amount") or 0.0,
        )

    def activity(self, item: _Shifted, line: int, zone) -> Activity | None:
        moment = self.moment(item, "at", zone)
        kind = str(item.get("kind", "")).casefold().replace(" ", "_").replace("-", "_")
        if kind not in ACTIVITY_KINDS:
            self.fail(item.line_of("kind"), f"kind must be one of {', '.join(ACTIVITY_KINDS)}")
            return None
        direction = item.get("direction") or ("outbound" if kind == "reminder" else "inbound")
        if moment is None:
            return None
        return Activity(
            occurred_at=moment[0],
            kind=kind,
            direction=direction,
            subject=str(item.get("subject") or ""),
            has_time=moment[1],
        )

    def note(self, item: _Shifted, line: int, zone) -> Note | None:
        moment = self.moment(item, "at", zone)
        marker = item.get("marker")
        if marker is not None and marker not in NOTE_MARKERS:
            self.fail(item.line_of("marker"), f"marker must be one of {', '.join(NOTE_MARKERS)}")
            return None
        if moment is None:
            return None
        return Note(created_at=moment[0], body=str(item.get("body", "")), marker=marker)

    def time_entry(self, item: _Shifted, line: int, zone) -> TimeEntry | None:
        day, hours = self.date(item, "date"), self.number(item, "hours", required=True)
        if day is None or hours is None:
            return None
        billable, in_scope = self.flag(item, "billable"), self.flag(item, "in_scope")
        return TimeEntry(
            date=day, hours=hours, billable=billable is not False, in_scope=in_scope is not False
        )

    def date(self, raw, key: str, required: bool = True) -> date | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail(raw.line, f"{key} is missing")
            return None
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            try:
                value = values.parse_date(str(value))
            except ValueError as exc:
                self.fail(raw.line_of(key), f"{key}: {exc}")
                return None
        return value + getattr(raw, "shift", timedelta())

    def moment(self, raw, key: str, zone) -> tuple[datetime, bool] | None:
        value = raw.get(key)
        if value is None:
            self.fail(raw.line, f"{key} is missing")
            return None
        try:
            moment, has_time = values.parse_timestamp(str(value).replace(" ", "T", 1), zone)
        except ValueError as exc:
            self.fail(raw.line_of(key), f"{key}: {exc}")
            return None
        return moment + getattr(raw, "shift", timedelta()), has_time

    def number(self, raw, key: str, required: bool = False) -> float | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail(raw.line, f"{key} is missing")
            return None
        if not is_finite_number(value) or value < 0:
            self.fail(raw.line_of(key), f"{key} must be a number of 0 or more, not {value!r}")
            return None
        return float(value)

    def flag(self, raw, key: str) -> bool | None:
        value = raw.get(key)
        if value is None or isinstance(value, bool):
            return value
        try:
            return values.parse_flag(str(value))
        except ValueError as exc:
            self.fail(raw.line_of(key), f"{key}: {exc}")
            return None


class _Shifted:
    """A history item read with its dates moved ``shift`` later (for ``repeat``)."""

    def __init__(self, item: YamlMap, shift: timedelta):
        self.item, self.shift, self.line = item, shift, item.line

    def get(self, key: str, default=None):
        return self.item.get(key, default)

    def line_of(self, key: str) -> int:
        return self.item.line_of(key)
