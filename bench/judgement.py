"""Score crmflags' judgement against what an owner expects, on an independent bundle.

A judgement set is a CSV bundle folder with its own `crmflags.yaml` and an
`expected.yaml` (see bench/judgement/README.md). This runs

    crmflags evaluate --connector csv --source DIR --as-of DATE --ruleset freelancer
                      --format json --config DIR/crmflags.yaml

with the crmflags of the current interpreter, and prints tag-level recall and precision
(overall and per tag), the clean clients that were flagged (level above ok), the abusive
clients that stayed below `warning`, and every miss and false alarm by client id.

Usage:
    python bench/judgement.py                      # the dev set, bench/judgement/dev
    python bench/judgement.py /work/holdout        # any other judgement folder
    python bench/judgement.py DIR --json           # machine-readable result
    python bench/judgement.py DIR --config other.yaml --ruleset path/to/ruleset.yaml

Exit codes: 0 scored (whatever the score), 2 the folder, expected.yaml or the crmflags
run was unusable (the tool's stderr is printed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

DEV_SET = Path(__file__).resolve().parent / "judgement" / "dev"
LEVELS = ["ok", "watch", "warning", "fire"]
# What issue 15 asks of the shipped ruleset on independent data.
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.95
TARGET_CLEAN_FLAGGED = 1 / 20


class JudgementError(Exception):
    """The judgement set or the crmflags run cannot be scored."""


def load_expected(folder: Path) -> tuple[str, dict[str, dict]]:
    """Read `expected.yaml` of a judgement folder: its as-of date and per-client verdicts."""
    path = folder / "expected.yaml"
    if not path.is_file():
        raise JudgementError(f"{path}: no expected.yaml in the judgement folder")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise JudgementError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("clients"), dict):
        raise JudgementError(f"{path}: expected a mapping with a 'clients' mapping")
    clients = {}
    for cid, entry in doc["clients"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("tags"), list):
            raise JudgementError(f"{path}: client {cid}: needs a 'tags' list")
        clients[str(cid)] = {
            "tags": set(entry["tags"]),
            "acceptable": set(entry.get("acceptable") or []),
            "abusive": bool(entry.get("abusive")),
            "why": str(entry.get("why", "")),
        }
    return str(doc.get("as_of", "2026-12-01")), clients


def run_crmflags(folder: Path, config: Path, ruleset: str, as_of: str) -> dict:
    """Evaluate the bundle with this interpreter's crmflags and return the JSON result."""
    cmd = [
        sys.executable,
        "-m",
        "crmflags",
        "--config",
        str(config),
        "evaluate",
        "--connector",
        "csv",
        "--source",
        str(folder),
        "--as-of",
        as_of,
        "--ruleset",
        ruleset,
        "--format",
        "json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise JudgementError(
            f"crmflags evaluate failed (exit {proc.returncode}):\n"
            f"  {' '.join(cmd)}\n{proc.stderr.strip()}"
        )
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise JudgementError(
            f"crmflags evaluate printed no JSON (exit {proc.returncode}):\n{proc.stderr.strip()}"
        ) from None
    if proc.returncode == 1:
        print(f"warning: crmflags reported failed records:\n{proc.stderr.strip()}", file=sys.stderr)
    return result


def score(expected: dict[str, dict], result: dict) -> dict:
    """Compare the evaluation with the owner's verdicts: counts, rates and the lists."""
    got = {str(c["id"]): c for c in result.get("clients", [])}
    per_tag: dict[str, dict[str, int]] = {}
    misses, false_alarms, clean_flagged, abusive_low, missing = [], [], [], [], []

    def bump(tag, key):
        per_tag.setdefault(tag, {"tp": 0, "fn": 0, "fp": 0})[key] += 1

    for cid, want in expected.items():
        client = got.get(cid)
        if client is None:
            missing.append(cid)
            for tag in sorted(want["tags"]):
                bump(tag, "fn")
                misses.append({"id": cid, "tag": tag, "why": want["why"]})
            continue
        tags, level = set(client.get("tags", [])), client.get("level", "ok")
        for tag in sorted(want["tags"] & tags):
            bump(tag, "tp")
        for tag in sorted(want["tags"] - tags):
            bump(tag, "fn")
            misses.append(
                {
                    "id": cid,
                    "name": client.get("name"),
                    "tag": tag,
                    "level": level,
                    "why": want["why"],
                }
            )
        for tag in sorted(tags - want["tags"] - want["acceptable"]):
            bump(tag, "fp")
            false_alarms.append(
                {
                    "id": cid,
                    "name": client.get("name"),
                    "tag": tag,
                    "level": level,
                    "why": want["why"],
                    "reasons": [
                        r.get("message") for r in client.get("reasons", []) if r.get("tag") == tag
                    ],
                }
            )
        if not want["tags"] and level != "ok":
            clean_flagged.append(
                {
                    "id": cid,
                    "name": client.get("name"),
                    "level": level,
                    "tags": sorted(tags),
                    "why": want["why"],
                }
            )
        if want["abusive"] and LEVELS.index(level) < LEVELS.index("warning"):
            abusive_low.append(
                {
                    "id": cid,
                    "name": client.get("name"),
                    "level": level,
                    "score": client.get("score"),
                    "why": want["why"],
                }
            )

    tp = sum(t["tp"] for t in per_tag.values())
    fn = sum(t["fn"] for t in per_tag.values())
    fp = sum(t["fp"] for t in per_tag.values())
    for counts in per_tag.values():
        counts["recall"] = _ratio(counts["tp"], counts["tp"] + counts["fn"])
        counts["precision"] = _ratio(counts["tp"], counts["tp"] + counts["fp"])
    n_clean = sum(1 for w in expected.values() if not w["tags"])
    n_abusive = sum(1 for w in expected.values() if w["abusive"])
    recall, precision = _ratio(tp, tp + fn), _ratio(tp, tp + fp)
    return {
        "clients": len(expected),
        "tp": tp,
        "fn": fn,
        "fp": fp,
        "recall": recall,
        "precision": precision,
        "per_tag": dict(sorted(per_tag.items())),
        "clean_clients": n_clean,
        "clean_flagged": clean_flagged,
        "abusive_clients": n_abusive,
        "abusive_below_warning": abusive_low,
        "misses": misses,
        "false_alarms": false_alarms,
        "not_in_result": missing,
        "not_expected": sorted(set(got) - set(expected)),
        "levels": {lv: sum(1 for c in got.values() if c.get("level") == lv) for lv in LEVELS},
        "targets_met": {
            "recall": recall is not None and recall >= TARGET_RECALL,
            "precision": precision is not None and precision >= TARGET_PRECISION,
            "clean_flagged": n_clean > 0 and len(clean_flagged) / n_clean <= TARGET_CLEAN_FLAGGED,
            "abusive_at_warning": not abusive_low,
        },
    }


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:5.1f}%"


def render(s: dict, folder: Path) -> str:
    """The human-readable report of a score."""
    out = [f"judgement set {folder}: {s['clients']} clients, levels {s['levels']}", ""]
    out.append(
        f"{'tag':26} {'expected':>8} {'raised':>7} {'tp':>4} {'fn':>4} {'fp':>4} "
        f"{'recall':>7} {'precision':>9}"
    )
    for tag, c in s["per_tag"].items():
        out.append(
            f"{tag:26} {c['tp'] + c['fn']:8d} {c['tp'] + c['fp']:7d} {c['tp']:4d} "
            f"{c['fn']:4d} {c['fp']:4d} {_pct(c['recall']):>7} {_pct(c['precision']):>9}"
        )
    out.append(
        f"{'ALL':26} {s['tp'] + s['fn']:8d} {s['tp'] + s['fp']:7d} {s['tp']:4d} "
        f"{s['fn']:4d} {s['fp']:4d} {_pct(s['recall']):>7} {_pct(s['precision']):>9}"
    )
    out.append("")
    out.append(
        f"clean clients flagged (level above ok): {len(s['clean_flagged'])} of {s['clean_clients']}"
    )
    for c in s["clean_flagged"]:
        out.append(f"  {c['id']:8} {c['level']:8} {','.join(c['tags']) or '-':30} {c['name']}")
    out.append(
        f"abusive clients below warning: {len(s['abusive_below_warning'])} of "
        f"{s['abusive_clients']}"
    )
    for c in s["abusive_below_warning"]:
        out.append(f"  {c['id']:8} {c['level']:8} score {c['score']!s:5} {c['name']}")
    out.append("")
    out.append(f"misses ({len(s['misses'])}):")
    for m in s["misses"]:
        out.append(f"  {m['id']:8} {m['tag']:26} {m.get('name') or '(not in result)'}: {m['why']}")
    out.append(f"false alarms ({len(s['false_alarms'])}):")
    for f in s["false_alarms"]:
        reason = f"  [{'; '.join(f['reasons'])}]" if f["reasons"] else ""
        out.append(f"  {f['id']:8} {f['tag']:26} {f['name']}{reason}")
    if s["not_in_result"]:
        out.append(f"expected but not in the result: {', '.join(s['not_in_result'])}")
    if s["not_expected"]:
        out.append(f"in the result but not in expected.yaml: {', '.join(s['not_expected'])}")
    out.append("")
    met = s["targets_met"]
    out.append(
        "issue 15 targets: "
        + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in met.items())
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line entry: score one judgement folder."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=DEV_SET,
        help="judgement folder (bundle + crmflags.yaml + expected.yaml)",
    )
    ap.add_argument("--config", type=Path, help="configuration (default: FOLDER/crmflags.yaml)")
    ap.add_argument("--ruleset", default="freelancer", help="ruleset name or YAML file")
    ap.add_argument("--as-of", help="evaluation date (default: expected.yaml's as_of)")
    ap.add_argument("--json", action="store_true", help="print the score as JSON")
    args = ap.parse_args(argv)
    folder = args.folder.resolve()
    config = (args.config or folder / "crmflags.yaml").resolve()
    try:
        if not folder.is_dir():
            raise JudgementError(f"{folder}: not a folder")
        if not config.is_file():
            raise JudgementError(f"{config}: configuration file not found")
        as_of, expected = load_expected(folder)
        result = run_crmflags(folder, config, args.ruleset, args.as_of or as_of)
    except JudgementError as exc:
        print(f"judgement: {exc}", file=sys.stderr)
        return 2
    s = score(expected, result)
    if args.json:
        print(
            json.dumps(
                {"folder": str(folder), "config": str(config), **s}, indent=2, ensure_ascii=False
            )
        )
    else:
        print(render(s, folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
