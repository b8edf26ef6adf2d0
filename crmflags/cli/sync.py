"""``crmflags sync`` and ``crmflags revert``: evaluate and write back, or undo a run."""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path

import click

from crmflags.canonical import checked
from crmflags.cli.app import App
from crmflags.cli.common import (
    connector_options,
    get_app,
    report_failures,
    run_evaluation,
    source_options,
)
from crmflags.cli.output import describe_changes
from crmflags.cli.store import state_option, state_path
from crmflags.errors import InputError
from crmflags.evaluation.evaluate import Evaluation
from crmflags.logs import NOT_ON_TERMINAL, duration, summary_line
from crmflags.sync.changes import Drift, Plan
from crmflags.sync.run import SyncReport, counts, locked
from crmflags.sync.run import revert as revert_run
from crmflags.sync.run import sync as sync_clients
from crmflags.sync.safeguards import Safety
from crmflags.sync.snapshot import SourceRead, read_source
from crmflags.sync.state import StateStore
from crmflags.sync.state.records import APPLIED, SUPERSEDED

log = logging.getLogger("crmflags")


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
        "drift": [drift_json(d) for d in plan.drift],
        "kept": [drift_json(d) for d in kept],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def drift_json(d) -> dict:
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
