"""``crmflags sync`` and the commands around it: revert, runs, history, snooze, ack."""

from __future__ import annotations

import difflib
import json
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, timezone
from pathlib import Path

import click

from crmflags.canonical import checked
from crmflags.cli.app import App
from crmflags.cli.common import (
    connector_options,
    get_app,
    read_tables_or_whole,
    report_failures,
    run_evaluation,
    source_options,
)
from crmflags.cli.output import describe_changes
from crmflags.connector import IncrementalConnector
from crmflags.errors import CrmflagsError, InputError
from crmflags.evaluation.evaluate import Evaluation
from crmflags.logs import NOT_ON_TERMINAL, duration, summary_line
from crmflags.sync.changes import Drift, Plan
from crmflags.sync.lock import LockHeld, lock_holder
from crmflags.sync.run import SyncReport, counts, lock_path, locked, stored_evidence_key
from crmflags.sync.run import revert as revert_run
from crmflags.sync.run import sync as sync_clients
from crmflags.sync.safeguards import Safety
from crmflags.sync.snapshot import SourceRead, read_source
from crmflags.sync.state import APPLIED, SUPERSEDED, StateStore, default_path
from crmflags.tags import TAGS
from crmflags.terminal import terminal_safe

log = logging.getLogger("crmflags")


def state_option(command):
    """Add ``--state PATH`` (the state store) to a command."""
    return click.option(
        "--state",
        "state",
        metavar="PATH",
        help="State store file (default: state: in crmflags.yaml, else ~/.local/state/crmflags/state.db).",
    )(command)


def state_path(app: App, option: str | None) -> Path:
    """Return the state store to use: --state, else state: in crmflags.yaml, else the default."""
    if option:
        return Path(option).expanduser().resolve()
    return app.config.state_path or default_path()


def stored_source(app: App, store: StateStore, connector, source, base_url) -> str:
    """Return the state-store key of the source the options name, for store-only commands.

    history, snooze, ack and report make no API call, so they must work without the
    CRM's token: when the connector cannot be created (no token in a shell that is not
    cron's), the store's only source of that connector is taken.
    """
    try:
        return app.connector(connector, source, base_url).source_key()
    except CrmflagsError:
        known = store.sources(app.connector_name(connector, source))
        if len(known) != 1:
            raise
        return known[0]


def read_as_last_synced(app: App, path: Path):
    """Return a ``read`` for :func:`run_evaluation` that reuses the last sync's snapshot.

    For commands that evaluate without writing (explain, report): a connector that
    reads incrementally is asked only for what changed since the last sync, as
    ``sync --dry-run`` would, instead of reading the whole CRM; nothing is saved.
    Without a state store, or for other connectors, it reads everything.
    """

    def read(connector, progress):
        if not isinstance(connector, IncrementalConnector) or not path.exists():
            return read_tables_or_whole(connector, progress)
        with StateStore(path) as store:
            return read_source(
                connector, store, full_read_days=app.config.full_read_days, progress=progress
            ).records

    return read


def run_sync(
    app: App,
    connector_name,
    source,
    base_url,
    ruleset,
    as_of,
    dry_run,
    overwrite_drift=False,
    state=None,
    full=False,
    allow_removals=False,
    new_state=False,
) -> tuple[Evaluation, SyncReport, str, int]:
    """Lock, read, evaluate and sync; return the evaluation, report, summary line, exit code.

    A connector that reads incrementally is asked only for what changed since the last
    run, unless ``full`` (see :mod:`crmflags.sync.snapshot`). ``allow_removals`` and
    ``new_state`` pass the safeguards of :mod:`crmflags.sync.safeguards`.
    """
    path = state_path(app, state)
    safety = Safety(
        app.config.max_removals, app.config.keep_removed_days, allow_removals, new_state
    )
    got: list[SourceRead] = []

    def read(connector, progress):
        got.append(
            read_source(
                connector,
                store,
                full=full,
                full_read_days=app.config.full_read_days,
                progress=progress,
            )
        )
        return got[0].records

    clock = time.monotonic()
    # A dry run only reads, so it needs no lock and may run beside a real sync.
    locking = nullcontext() if dry_run else locked(path, app.config.max_run_minutes)
    with _store_for(path, dry_run) as store, locking as lock:
        since = (lock.since if lock else None) or datetime.now(timezone.utc).replace(microsecond=0)
        log.info(
            "%s started at %s (pid %d on %s), state %s",
            "dry run" if dry_run else "sync",
            since.isoformat(),
            os.getpid(),
            socket.gethostname(),
            path,
            extra=NOT_ON_TERMINAL,
        )
        connector, evaluation = run_evaluation(
            app, connector_name, source, base_url, ruleset, as_of, read
        )
        report = sync_clients(
            connector,
            evaluation,
            store,
            app.plugins,
            app.config.data,
            dry_run=dry_run,
            overwrite_drift=overwrite_drift,
            source_read=got[0],
            sections=app.config.plugin_settings,
            started_at=since,
            safety=safety,
        )
    for drift in report.plan.drift:
        log.warning(
            "drift: client %s %s was changed in the source to %r (crmflags wrote %r); left as "
            "it is (crmflags keep %s %s stops this warning)",
            drift.client_id,
            drift.field,
            drift.theirs,
            drift.ours,
            drift.client_id,
            drift.field,
        )
    for kept in report.kept:
        log.debug(
            "client %s %s: kept edit %r left as it is", kept.client_id, kept.field, kept.theirs
        )
    for quieted in report.quieted:
        log.debug("client %s: tag %s %s", quieted.client_id, quieted.tag, quieted.why)
    code = report_failures(report.failures)
    numbers = counts(report, evaluation, connector, got[0])
    took = duration(time.monotonic() - clock)
    if dry_run:
        numbers["changed"] = len(report.plan.changes)
        summary = f"{summary_line(numbers, dry_run=True)} (took {took})"
    else:
        summary = summary_line(numbers) + f" (run {report.run_id}, state {path}) in {took}"
    return evaluation, report, summary, code


@contextmanager
def _store_for(path: Path, dry_run: bool) -> Iterator[StateStore]:
    """Open the state store; a dry run with none yet uses a throwaway one (it writes nothing)."""
    if dry_run and not path.exists():
        with (
            tempfile.TemporaryDirectory() as scratch,
            StateStore(Path(scratch) / "state.db") as store,
        ):
            yield store
        return
    with StateStore(path) as store:
        yield store


def _plan_json(plan: Plan, current: dict[str, dict], kept: list[Drift]) -> str:
    """Return the planned changes (each field's value now and after), the drift and the
    kept edits (drift that ``crmflags keep`` accepted) as JSON."""
    changes = [
        {
            "client_id": c.client_id,
            "fields": {
                name: {"before": current.get(c.client_id, {}).get(name), "after": value}
                for name, value in c.fields.items()
            },
        }
        for c in plan.changes
    ]

    document = {
        "changes": changes,
        "drift": [_drift_json(d) for d in plan.drift],
        "kept": [_drift_json(d) for d in kept],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _drift_json(d) -> dict:
    """Return a hand-edited field (a Drift or a recorded DriftRow) as JSON-ready data."""
    return {
        "client_id": d.client_id,
        "field": d.field,
        "crmflags_wrote": d.ours,
        "source_has": d.theirs,
        "crmflags_wants": d.wanted,
    }


@click.command()
@source_options
@state_option
@click.option("--dry-run", is_flag=True, help="Print the changes it would make and write nothing.")
@click.option(
    "--overwrite-drift",
    is_flag=True,
    help="Also write fields a person changed since crmflags wrote them.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Read every client from the source, not only those changed since the last run.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the dry run's changes.",
)
@click.option(
    "--allow-removals",
    is_flag=True,
    help="Forget the clients gone from the source even if they are more than max_removals.",
)
@click.option(
    "--new-state",
    is_flag=True,
    help="Start a new state store for a source crmflags has written before.",
)
@click.pass_context
def sync(
    ctx,
    connector,
    source,
    base_url,
    ruleset,
    as_of,
    state,
    dry_run,
    overwrite_drift,
    full,
    fmt,
    allow_removals,
    new_state,
):
    """Evaluate clients and write changed risk fields back.

    Only values that differ from the source are written, never over a value a person
    changed by hand (drift; see --overwrite-drift). --dry-run prints the changes instead.
    Every run is recorded in the state store (crmflags runs). Connectors that can
    (hubspot, pipedrive) read only what changed since the last run, and everything
    with --full or when the last full read is full_read_days old (default 7).

    A sync that would forget more than max_removals (default 20%) of the known clients,
    or that finds risk values in a source its state store has no record of, stops
    before writing anything (exit 2): see --allow-removals and --new-state.
    """
    evaluation, report, summary, code = run_sync(
        get_app(ctx),
        connector,
        source,
        base_url,
        ruleset,
        as_of,
        dry_run,
        overwrite_drift,
        state,
        full,
        allow_removals,
        new_state,
    )
    current = {r.client.id: r.client.risk for r in evaluation.results}
    if dry_run and fmt == "json":
        click.echo(_plan_json(report.plan, current, report.kept))
    elif dry_run and report.plan.changes:
        click.echo(describe_changes(report.plan.changes, current))
    click.echo(summary, err=dry_run and fmt == "json")  # stdout stays one JSON document
    if ctx.find_root().params.get("log_file"):
        log.info(summary)  # the log file gets the summary too; stdout already has it
    sys.exit(code)


@click.command()
@connector_options
@state_option
@click.argument("run_id", type=int)
@click.pass_context
def revert(ctx, connector, source, base_url, state, run_id):
    """Restore the values a sync run wrote over (see crmflags runs).

    Only values still as that run left them are restored; the revert is recorded as a
    run of its own. The next sync writes its results again unless you snooze the tags.
    The connector is the one that run used, unless the options or crmflags.yaml say
    otherwise; a run that wrote nothing needs none, and restores nothing.
    """
    app = get_app(ctx)
    path = state_path(app, state)
    with StateStore(path) as store:
        reverted = store.run(run_id)
        if reverted is None:
            raise InputError(f"no run {run_id} in the state store {path}")
        if not any(row.status in (APPLIED, SUPERSEDED) for row in store.audit(run_id)):
            click.echo(f"run {run_id} wrote nothing, so there is nothing to restore")
            return
        with locked(path, app.config.max_run_minutes) as lock:
            name = connector or app.connector_name(None, source) or reverted.connector
            source_connector = app.connector(name, source, base_url)
            key = source_connector.source_key()
            if reverted.source != key:
                raise InputError(
                    f"run {run_id} synced {reverted.source}, not {key}; give the source it wrote to"
                )
            clients = list(checked(source_connector.read(), source_connector.name))
            report = revert_run(source_connector, clients, store, run_id, lock.since)
    for drift in report.plan.drift:
        log.warning(
            "not reverted: client %s %s has changed since run %s (now %r)",
            drift.client_id,
            drift.field,
            run_id,
            drift.theirs,
        )
    code = report_failures(report.failures)
    if report.run_id is None:
        click.echo(
            f"nothing restored: every value run {run_id} wrote has changed since "
            f"({len(report.plan.drift)} value(s)); no run recorded"
        )
    else:
        click.echo(
            f"reverted run {run_id}: {report.written} client(s) restored, "
            f"{len(report.plan.drift)} value(s) left as changed since (run {report.run_id})"
        )
    sys.exit(code)


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
            data[0]["drift"] = [{**_drift_json(d), "kept": d.kept} for d in drift]
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


@click.command()
@connector_options
@state_option
@click.argument("client_id")
@click.pass_context
def history(ctx, connector, source, base_url, state, client_id):
    """Show a client's level, score and tags over the recorded runs."""
    app = get_app(ctx)
    with StateStore(state_path(app, state)) as store:
        key = stored_source(app, store, connector, source, base_url)
        points = store.history(key, client_id)
    if not points:
        raise InputError(f"no recorded results for client {client_id!r} of {key}")
    for p in points:
        click.echo(
            terminal_safe(
                f"{p.at.isoformat(timespec='seconds')}  as of {p.as_of}  run {p.run_id:>4}  "
                f"{p.level:<8} {p.score:>5g}  {', '.join(p.tags) or '-'}"
            )
        )


def _tag(tag: str | None) -> str | None:
    if tag is not None and tag not in TAGS:
        raise InputError(f"unknown tag {tag!r}; tags are {', '.join(TAGS)}")
    return tag


@click.command()
@connector_options
@state_option
@click.argument("client_id")
@click.argument("tag", required=False)
@click.option(
    "--until",
    "until",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The day the tag comes back (YYYY-MM-DD); required unless --remove.",
)
@click.option("--remove", is_flag=True, help="Lift the snooze instead.")
@click.pass_context
def snooze(ctx, connector, source, base_url, state, client_id, tag, until, remove):
    """Keep a client's TAG (or every tag) from being raised until a date.

    The snooze is kept in the state store and holds for later runs; on --until the
    tag can come back.
    """
    app = get_app(ctx)
    with StateStore(state_path(app, state)) as store:
        key = stored_source(app, store, connector, source, base_url)
        if remove:
            if not store.unsnooze(key, client_id, _tag(tag)):
                raise InputError(
                    f"client {client_id!r} has no snooze of {tag or 'every tag'} to lift"
                )
            click.echo(f"snooze lifted: client {client_id} {tag or 'every tag'}")
            return
        if until is None:
            raise InputError("say until when: --until YYYY-MM-DD (or --remove to lift a snooze)")
        today = today_in(app.config.settings.timezone)
        if until.date() <= today:
            raise InputError(
                f"--until {until.date()} is not after today ({today}): the tag comes back on "
                "that day, so the snooze would change nothing"
            )
        _known_client(store, key, client_id)
        store.snooze(key, client_id, _tag(tag), until.date())
        click.echo(f"snoozed: client {client_id} {tag or 'every tag'} until {until.date()}")


def today_in(zone) -> date:
    """Return today's date in the business's time zone."""
    return datetime.now(zone).date()


def _known_client(store: StateStore, key: str, client_id: str) -> None:
    """Refuse a client the syncs of this source have never seen (a typo, most likely)."""
    known = store.last_results(key)
    if known and client_id not in known:
        close = difflib.get_close_matches(client_id, list(known), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"no client {client_id!r} in the syncs of {key}{hint}")


@click.command()
@connector_options
@state_option
@click.argument("client_id")
@click.argument("tag")
@click.option("--remove", is_flag=True, help="Take the acknowledgement back.")
@click.pass_context
def ack(ctx, connector, source, base_url, state, client_id, tag, remove):
    """Acknowledge a client's TAG: it is not raised again until its evidence changes.

    Uses the evidence of the last recorded sync; when a later sync finds different
    evidence (another late invoice, a new note), the tag comes back.
    """
    app = get_app(ctx)
    with StateStore(state_path(app, state)) as store:
        key = stored_source(app, store, connector, source, base_url)
        if remove:
            if not store.unack(key, client_id, _tag(tag)):
                raise InputError(f"client {client_id!r} has no acknowledgement of {tag}")
            click.echo(f"acknowledgement taken back: client {client_id} {tag}")
            return
        last = store.last_results(key).get(client_id)
        if last is None or tag not in last.tags:
            raise InputError(
                f"the last sync did not raise {_tag(tag)} for client {client_id!r}; nothing to acknowledge"
            )
        store.ack(key, client_id, tag, stored_evidence_key(last.reasons, tag))
    click.echo(f"acknowledged: client {client_id} {tag}, until its evidence changes")
