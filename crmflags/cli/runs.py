"""``crmflags runs``: the latest sync runs, or what one run wrote and left alone."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crmflags.cli.common import get_app
from crmflags.cli.store import state_option, state_path
from crmflags.cli.sync import drift_json
from crmflags.errors import InputError
from crmflags.sync.lock import LockHeld, lock_holder
from crmflags.sync.run import lock_path, locked
from crmflags.sync.state import StateStore
from crmflags.terminal import terminal_safe


@click.command()
@state_option
@click.argument("run_id", type=int, required=False)
@click.option("--limit", default=20, show_default=True, help="How many runs to show.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def runs(ctx, state, run_id, limit, fmt):
    """List the latest sync runs, newest first; with RUN_ID, what that run wrote.

    A run that did not finish is still running if another run holds the lock, and
    was killed otherwise (the next sync settles what it left).
    """
    path = state_path(get_app(ctx), state)
    if run_id is None and not path.exists():
        _no_runs(path, fmt)
        return
    with StateStore(path) as store:
        if run_id is None:
            listed = store.runs(limit=limit)
        else:
            found = store.run(run_id)
            if found is None:
                raise InputError(f"no run {run_id} in the state store {path}")
            listed = [found]
        rows = store.audit(run_id) if run_id is not None else []
        drift = store.drift(run_id) if run_id is not None else []
        keeps = store.keeps_of_run(run_id) if run_id is not None else []
    if not listed:
        _no_runs(path, fmt)
        return
    running = _lock_held(path)
    holder = lock_holder(lock_path(path)) if running else None
    stuck = holder is not None and holder.overdue()
    data = [_run_json(r, running and r is _newest_unfinished(listed), stuck) for r in listed]
    if fmt == "json":
        if run_id is not None:
            data[0]["writes"] = [
                {
                    "client_id": w.client_id,
                    "field": w.field,
                    "before": w.before,
                    "after": w.after,
                    "status": w.status,
                    "reason": w.reason,
                }
                for w in rows
            ]
            data[0]["drift"] = [{**drift_json(d), "kept": d.kept} for d in drift]
            data[0]["keeps"] = [
                {"client_id": k.client_id, "field": k.field, "value": k.value, "wanted": k.wanted}
                for k in keeps
            ]
        click.echo(
            json.dumps(data[0] if run_id is not None else data, indent=2, ensure_ascii=False)
        )
        return
    click.echo(terminal_safe(_runs_table(data), lines=True))
    if run_id is not None:
        for cid, why in listed[0].failures:
            click.echo(terminal_safe(f"  failed: {cid or 'the run'}: {why}"))
        for w in rows:
            click.echo(
                terminal_safe(
                    f"  {w.client_id}  {w.field}: {w.before or '(empty)'} -> {w.after or '(empty)'}  [{w.status}]"
                )
            )
        for d in drift:
            click.echo(
                f"  {d.client_id}  {d.field}: edited by hand to {d.theirs or ''!r}, left as it is "
                f"(crmflags wrote {d.ours or ''!r}, wants {d.wanted!r})"
                + ("  [kept]" if d.kept else "")
            )
        for k in keeps:
            click.echo(
                f"  {k.client_id}  {k.field}: kept {k.value or ''!r} "
                f"(crmflags would write {k.wanted!r})"
            )


def _no_runs(path: Path, fmt: str) -> None:
    """Say that the state store holds no run (an empty list in JSON)."""
    if fmt == "json":
        click.echo("[]")
    else:
        click.echo(f"no runs recorded in {path} yet; `crmflags sync` records one")


#: The columns of ``crmflags runs``: header and the key of :func:`_run_json` it shows.
RUN_COLUMNS = (
    ("RUN", "id"),
    ("STARTED (UTC)", "started_at"),
    ("FINISHED", "state"),
    ("EXIT", "exit"),
    ("READ", "read"),
    ("RULESET", "ruleset"),
    ("SOURCE", "source"),
    ("COUNTS", "numbers"),
)


def _runs_table(data: list[dict]) -> str:
    """Return the runs as a table with a header row; READ says full or incremental."""
    cells = [
        {
            **r,
            "exit": "-" if r["exit_code"] is None else str(r["exit_code"]),
            "read": {True: "incremental", False: "full"}.get(r["incremental"], "-"),
            "numbers": ", ".join(
                f"{k} {r['counts'][k]}" for k in sorted(r["counts"], key=_count_order)
            ),
        }
        for r in data
    ]
    widths = [max(len(title), *(len(str(row[key])) for row in cells)) for title, key in RUN_COLUMNS]
    lines = []
    for row in [{key: title for title, key in RUN_COLUMNS}, *cells]:
        values = [str(row[key]) for _, key in RUN_COLUMNS]
        line = values[0].rjust(widths[0]) + "  "
        line += "  ".join(v.ljust(w) for v, w in zip(values[1:], widths[1:], strict=True))
        lines.append(line.rstrip())
    return "\n".join(lines)


def _lock_held(path: Path) -> bool:
    """Tell whether a run holds the lock of this state store right now."""
    try:
        with locked(path):
            return False
    except LockHeld:
        return True


def _newest_unfinished(listed):
    return next((r for r in listed if r.finished_at is None), None)


def _run_json(r, running: bool, stuck: bool = False) -> dict:
    if r.finished_at:
        state = r.finished_at.isoformat(timespec="seconds")
    elif running:
        state = "stuck (past its deadline)" if stuck else "running"
    else:
        state = "killed (did not finish)"
    return {
        "id": r.id,
        "source": r.source,
        "connector": r.connector,
        "ruleset": r.ruleset,
        "as_of": r.as_of.isoformat(),
        "started_at": r.started_at.isoformat(timespec="seconds"),
        "finished_at": r.finished_at.isoformat(timespec="seconds") if r.finished_at else None,
        "state": state,
        "counts": r.counts,
        "incremental": _incremental(r),
        "exit_code": r.exit_code,
        "failures": [{"client_id": c, "reason": why} for c, why in r.failures],
    }


def _incremental(r) -> bool | None:
    """Tell whether a sync read only what changed (True) or everything (False).

    None for a run that read nothing to evaluate (a revert, a keep) or did not finish.
    """
    if "kept" in r.counts:
        return True
    return False if "read" in r.counts else None


#: The order of a run's counts in ``crmflags runs``: that of the summary line.
COUNT_ORDER = ("read", "kept", "removed", "evaluated", "changed", "drift", "failed", "api_calls")


def _count_order(name: str) -> tuple[int, str]:
    return (COUNT_ORDER.index(name) if name in COUNT_ORDER else len(COUNT_ORDER), name)
