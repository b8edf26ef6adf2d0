"""Score the note-read tags on every writer at once: judgement sets and paraphrase banks.

A word list grown from one writer's sentences can reach 100% on that writer and change
nothing on the next one. A change to how notes are matched is worth keeping when it
helps across writers, so this scores, in one table, the tags that notes can raise on

- every committed judgement set (``bench/judgement/*/``: the owner's expected tags,
  only the note-read tags counted, a tag the set calls acceptable neither way), and
- every paraphrase bank (``tests/test_note_paraphrases_*.py``): each note as the only
  note of its own client. ``RAISES*``/``MUST`` notes must raise their tag, ``QUIET*``/
  ``MUST_NOT`` notes must not, ``EVERYDAY`` notes must raise none of the bank's tags, and
  ``BEYOND*`` notes are ones their writer knew the lists miss (counted as expected tags:
  they are what an owner would count).

It prints recall and precision per source and tag, and all sources together. Run it
before and after a change to the matcher and compare; ``--json`` for the numbers.

Usage:
    python bench/notes_generalisation.py
    python bench/notes_generalisation.py --ruleset path/to/ruleset.yaml --misses
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import judgement

from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.model import Client, Note
from crmflags.rules.ruleset import Ruleset, RulesetLibrary
from crmflags.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "bench" / "judgement"
TESTS = ROOT / "tests"
RULESETS = ROOT / "rulesets"
AS_OF = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 23, 59, 59)
BUDAPEST = ZoneInfo("Europe/Budapest")
NOTED = datetime(2026, 11, 10, 10, 0, tzinfo=BUDAPEST)
#: The bank a note's expectation comes from, by the name of the module's dict.
POSITIVE = ("RAISES", "MUST", "BEYOND")
NEGATIVE = ("QUIET", "MUST_NOT")


def note_tags(ruleset: Ruleset) -> set[str]:
    """Return the tags a rule of the ruleset raises from words in notes (``text_*``)."""
    return {
        rule.tag
        for rule in ruleset.rules
        if any(metric.startswith("text_") for metric in rule.metrics_read())
    }


def _flatten(bank: object) -> list[tuple[str, str]]:
    """Return ``(tag, note)`` pairs of a bank shaped ``{tag: {lang: [...]}}`` or ``{tag: [...]}``."""
    pairs: list[tuple[str, str]] = []
    if not isinstance(bank, dict):
        return pairs
    for tag, value in bank.items():
        groups = value.values() if isinstance(value, dict) else [value]
        for group in groups:
            if isinstance(group, list | tuple):
                pairs += [(tag, body) for body in group if isinstance(body, str)]
    return pairs


def bank_cases(module) -> list[tuple[str, str, bool, str]]:
    """Return ``(tag, note, expected, group)`` for every note of one bank module."""
    cases = []
    tags = set()
    for name in dir(module):
        if not name.isupper():
            continue
        value = getattr(module, name)
        negative = name.startswith(NEGATIVE)
        if negative or name.startswith(POSITIVE):
            group = "beyond" if name.startswith("BEYOND") else "bank"
            for tag, body in _flatten(value):
                cases.append((tag, body, not negative, group))
                tags.add(tag)
    for body in getattr(module, "EVERYDAY", []):
        cases += [(tag, body, False, "bank") for tag in sorted(tags)]
    return cases


def score_banks(ruleset: Ruleset, modules: list[str]) -> dict[str, dict]:
    """Evaluate every bank note as one client's only note and count per bank and tag.

    A bank's ``COPIES`` (tag: n) gives a tag's notes as n notes a week apart, for tags a
    single note is not meant to raise.
    """
    sys.path.insert(0, str(TESTS))
    loaded = {name: importlib.import_module(name) for name in modules}
    cases = {name: bank_cases(module) for name, module in loaded.items()}
    wanted = sorted(
        {
            (body, getattr(loaded[name], "COPIES", {}).get(tag, 1))
            for name, found in cases.items()
            for tag, body, _, _ in found
        }
    )
    clients = [
        Client(
            id=f"c-{i}",
            name=f"c-{i}",
            notes=[Note(created_at=NOTED - timedelta(weeks=n), body=body) for n in range(copies)],
        )
        for i, (body, copies) in enumerate(wanted)
    ]
    settings = Settings(timezone=BUDAPEST, timezone_name="Europe/Budapest")
    results = evaluate(clients, ruleset, settings, AS_OF, NOW).results
    raised = {wanted[int(r.client.id[2:])]: set(r.tags) for r in results}
    scores = {}
    for name, found in cases.items():
        copies = getattr(loaded[name], "COPIES", {})
        for group in ("bank", "beyond"):
            counts: dict[str, dict] = {}
            for tag, body, expected, in_group in found:
                if in_group != group:
                    continue
                c = counts.setdefault(tag, {"tp": 0, "fn": 0, "fp": 0, "misses": [], "alarms": []})
                hit = tag in raised[(body, copies.get(tag, 1))]
                if expected and hit:
                    c["tp"] += 1
                elif expected:
                    c["fn"] += 1
                    c["misses"].append(body)
                elif hit:
                    c["fp"] += 1
                    c["alarms"].append(body)
            if counts:
                label = name.removeprefix("test_note_paraphrases_")
                scores[label if group == "bank" else f"{label}:beyond"] = counts
    return scores


def score_sets(tags: set[str], ruleset: str) -> dict[str, dict]:
    """Score every committed judgement set on the note-read tags only."""
    scores = {}
    for folder in sorted(p for p in SETS.iterdir() if (p / "expected.yaml").is_file()):
        as_of, expected = judgement.load_expected(folder)
        result = judgement.run_crmflags(folder, folder / "crmflags.yaml", ruleset, as_of)
        got = {str(c["id"]): set(c.get("tags", [])) & tags for c in result.get("clients", [])}
        counts: dict[str, dict] = {}
        for cid, want in expected.items():
            wanted, acceptable = want["tags"] & tags, want["acceptable"]
            raised = got.get(cid, set())
            for tag in wanted | (raised - acceptable):
                c = counts.setdefault(tag, {"tp": 0, "fn": 0, "fp": 0, "misses": [], "alarms": []})
                if tag in wanted and tag in raised:
                    c["tp"] += 1
                elif tag in wanted:
                    c["fn"] += 1
                    c["misses"].append(f"{cid}: {want['why']}")
                else:
                    c["fp"] += 1
                    c["alarms"].append(f"{cid}: {want['why']}")
        scores[f"set:{folder.name}"] = counts
    return scores


def _totals(counts: dict[str, dict]) -> tuple[int, int, int]:
    """Return a source's true positives, misses and false alarms over all its tags."""
    tp, fn, fp = (sum(c[key] for c in counts.values()) for key in ("tp", "fn", "fp"))
    return tp, fn, fp


def _pct(num: int, den: int) -> str:
    return "   -  " if not den else f"{100 * num / den:5.1f}%"


def render(scores: dict[str, dict], misses: bool) -> str:
    """Return the table: per source its totals, then per tag over every source."""
    out = [f"{'source':24} {'tp':>5} {'fn':>5} {'fp':>5} {'recall':>7} {'precision':>9}"]
    all_tags: dict[str, list[int]] = {}
    total = [0, 0, 0]
    for source, counts in scores.items():
        tp, fn, fp = _totals(counts)
        out.append(
            f"{source:24} {tp:5d} {fn:5d} {fp:5d} {_pct(tp, tp + fn):>7} {_pct(tp, tp + fp):>9}"
        )
        for tag, c in counts.items():
            row = all_tags.setdefault(tag, [0, 0, 0])
            for i, key in enumerate(("tp", "fn", "fp")):
                row[i] += c[key]
                total[i] += c[key]
    tp, fn, fp = total
    out.append(f"{'ALL':24} {tp:5d} {fn:5d} {fp:5d} {_pct(tp, tp + fn):>7} {_pct(tp, tp + fp):>9}")
    out += [
        "",
        f"{'tag (all sources)':24} {'tp':>5} {'fn':>5} {'fp':>5} {'recall':>7} {'precision':>9}",
    ]
    for tag, (tp, fn, fp) in sorted(all_tags.items()):
        out.append(
            f"{tag:24} {tp:5d} {fn:5d} {fp:5d} {_pct(tp, tp + fn):>7} {_pct(tp, tp + fp):>9}"
        )
    if misses:
        for source, counts in scores.items():
            for tag, c in sorted(counts.items()):
                out += [f"  {source} miss {tag}: {m}" for m in c["misses"]]
                out += [f"  {source} ALARM {tag}: {a}" for a in c["alarms"]]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line entry: score every judgement set and paraphrase bank."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ruleset", default="freelancer", help="ruleset name or YAML file")
    ap.add_argument("--misses", action="store_true", help="list every miss and false alarm")
    ap.add_argument("--json", action="store_true", help="print the counts as JSON")
    ap.add_argument("--no-sets", action="store_true", help="score the banks only (fast)")
    args = ap.parse_args(argv)
    ruleset = RulesetLibrary([RULESETS], metric_units({})).load(args.ruleset)
    modules = sorted(p.stem for p in TESTS.glob("test_note_paraphrases_*.py"))
    scores = {} if args.no_sets else score_sets(note_tags(ruleset), args.ruleset)
    try:
        scores.update(score_banks(ruleset, modules))
    except judgement.JudgementError as exc:
        print(f"notes_generalisation: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(scores, indent=2, ensure_ascii=False))
    else:
        print(render(scores, args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
