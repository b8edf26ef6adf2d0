"""The sync: read, evaluate, write only what changed, and remember it all in the state store.

One code path serves ``sync``, ``sync --dry-run`` and ``revert``. In order:

1. take the run lock (a second run exits 4), open a run in the state store;
2. read the source and evaluate it; settle what a run killed earlier left unsettled,
   from the values the source holds now;
3. take snoozed and acknowledged tags out of the results;
4. compare the desired risk values with the source's and with what crmflags last
   wrote: only differences are sent, and a field a person edited is left (drift);
5. plan the writes as pending audit rows, send them, then mark them settled; a kill at
   any point leaves rows the next run resolves, so runs converge and no row is lost;
6. record each client's result and score history, notify level changes, close the run;
7. for a source read incrementally, keep what was read for the next run
   (:mod:`crmflags.sync.snapshot`); tombstone the clients gone from the source.

Before step 2 touches anything, :mod:`crmflags.sync.safeguards` checks the store is
intact and knows the source, and that the read does not forget too many clients; a
client that comes back gets its tombstoned snoozes, acks and last result again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from crmflags.connector import ClientChange, Connector
from crmflags.errors import EXIT_OK, EXIT_RECORDS_FAILED, CrmflagsError, InputError, QuotaSpent
from crmflags.evaluation.evaluate import ClientResult, Evaluation, Reason, plain_number
from crmflags.evaluation.metrics import BUILTIN_METRICS
from crmflags.loading.plugins import Plugins
from crmflags.model import RISK_FIELDS, Client, RecordFailure
from crmflags.sync.changes import Drift, Plan, plan_changes, same
from crmflags.sync.lock import RunLock
from crmflags.sync.notify import LevelChange, notify_level_changes
from crmflags.sync.safeguards import (
    Safety,
    check_new_state,
    check_removals,
    gone_clients,
    seen_clients,
)
from crmflags.sync.snapshot import SourceRead, save_source
from crmflags.sync.state import StateStore
from crmflags.sync.state.records import APPLIED, SUPERSEDED, DriftRow

log = logging.getLogger("crmflags")


@dataclass
class Quieted:
    """A tag taken out of a result because it is snoozed or acknowledged, and the
    messages of the reasons it hid."""

    client_id: str
    tag: str
    why: str
    messages: list[str] = field(default_factory=list)


@dataclass
class SyncReport:
    """What a sync (or dry run, or revert) did, for the summary and the exit code."""

    run_id: int | None
    plan: Plan
    written: int = 0
    failures: list[RecordFailure] = field(default_factory=list)
    quieted: list[Quieted] = field(default_factory=list)
    level_changes: list[LevelChange] = field(default_factory=list)
    #: Hand edits left alone without a warning: ``crmflags keep`` accepted them.
    kept: list[Drift] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """Return 1 when any client failed, else 0."""
        return EXIT_RECORDS_FAILED if self.failures else EXIT_OK


def lock_path(state_path: Path) -> Path:
    """Return the run lock file that goes with a state store."""
    return state_path.with_name(state_path.name + ".lock")


def evidence_key(reasons: Iterable[Reason]) -> str:
    """Return a fingerprint of the incidents behind a tag (for ``ack``).

    Only counts go in (late invoices, notes, change requests...), not values that move
    by themselves from day to day (days overdue, shares, amounts): an acknowledged tag
    comes back when something new happens, not because a day passed.
    """
    data = [
        [r.rule, {k: v for k, v in sorted(r.evidence_json().items()) if _counts_incidents(k)}]
        for r in reasons
    ]
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _counts_incidents(metric: str) -> bool:
    if metric.startswith("text_"):
        return True
    info = BUILTIN_METRICS.get(metric)
    return info is None or info.unit == "count"


def stored_evidence_key(reasons: list[dict], tag: str) -> str:
    """Return the fingerprint of a tag's evidence as recorded in the state store."""
    return evidence_key(Reason.from_json(r) for r in reasons if r["tag"] == tag)


def quiet(
    evaluation: Evaluation, snoozed: dict[str, set], acks: dict[tuple[str, str], str]
) -> list[Quieted]:
    """Take snoozed and acknowledged tags out of the results; score and level follow.

    A snooze holds until its date; an ack holds while the tag's evidence stays the
    same, and lapses by itself when the evidence changes.
    """
    quieted = []
    for result in evaluation.results:
        client_snoozes = snoozed.get(result.client.id, set())
        drop = set()
        for tag in result.tags:
            messages = [r.message for r in result.reasons if r.tag == tag]
            if None in client_snoozes or tag in client_snoozes:
                drop.add(tag)
                quieted.append(Quieted(result.client.id, tag, "snoozed", messages))
            elif acks.get((result.client.id, tag)) == evidence_key(
                r for r in result.reasons if r.tag == tag
            ):
                drop.add(tag)
                quieted.append(Quieted(result.client.id, tag, "acknowledged", messages))
        if drop:
            result.reasons = [r for r in result.reasons if r.tag not in drop]
            result.tags = [t for t in result.tags if t not in drop]
            result.score = sum(r.weight for r in result.reasons)
            result.level = evaluation.ruleset.level_for(result.score)
    return quieted


def reasons_json(result: ClientResult) -> list[dict]:
    """Return a result's reasons as plain data (as in the JSON output)."""
    return [
        {
            "rule": r.rule,
            "tag": r.tag,
            "weight": plain_number(r.weight),
            "message": r.message,
            "evidence": r.evidence_json(),
            "advice": r.advice,
        }
        for r in result.reasons
    ]


def sync(
    connector: Connector,
    evaluation: Evaluation,
    store: StateStore,
    plugins: Plugins,
    config: dict,
    dry_run: bool = False,
    overwrite_drift: bool = False,
    source_read: SourceRead | None = None,
    sections: dict[str, Any] | None = None,
    started_at: datetime | None = None,
    safety: Safety | None = None,
) -> SyncReport:
    """Run steps 2-7 of the module doc for an evaluation of ``connector``'s clients.

    The caller holds the run lock (see :func:`locked`) and has evaluated the clients
    the connector read (``source_read``, when it came from
    :func:`crmflags.sync.snapshot.read_source`). ``config`` (crmflags.yaml) and
    ``sections`` (the plugins' sections read from it) go to the ``level_changed``
    hooks; the run is recorded as started at ``started_at`` (when the lock was taken;
    default now). A dry run goes as far as the plan and writes nothing anywhere; the
    safeguards stop it as they would stop the sync.
    """
    safety = safety or Safety()
    source = connector.source_key()
    current = {r.client.id: r.client.risk for r in evaluation.results}
    store.check_integrity()
    if not safety.new_state:
        check_new_state(store, source, evaluation)
    known = store.last_results(source)
    gone = gone_clients(known, evaluation)
    if not safety.allow_removals:
        try:
            check_removals(source, known, gone, safety.max_removals)
        except InputError as exc:
            if not dry_run:
                _record_refusal(store, connector, evaluation, exc, len(gone))
            raise
    snoozed, acks = _decisions(store, source, evaluation, safety, dry_run)
    if dry_run:
        written = _written_as_if_settled(store, source, current)
    else:
        _settle_interrupted(store, source, current)
        written = store.last_written(source)
    report = SyncReport(None, Plan([], []))
    report.quieted = quiet(evaluation, snoozed, acks)
    report.plan = plan_changes(evaluation, written, overwrite_drift, connector.stored_value)
    keeps = store.keeps(source)
    report.plan.drift, report.kept = split_kept(report.plan.drift, keeps)
    report.failures = list(evaluation.failures)
    if dry_run:
        return report
    previous = {cid: r.level for cid, r in store.last_results(source).items()}
    run_id = store.start_run(
        source, connector.name, evaluation.ruleset.name, evaluation.as_of, False, started_at
    )
    report.run_id = run_id
    applied = _write(connector, store, run_id, report, current)
    _record_left_alone(store, source, run_id, report, evaluation.as_of)
    evaluated = {r.client.id for r in evaluation.results}
    still = {(d.client_id, d.field) for d in report.kept}
    for client_id, name in sorted(k for k in keeps if k[0] in evaluated and k not in still):
        store.unkeep(source, client_id, [name])
        log.info(
            "client %s: the kept edit of %s lapsed (it or the evaluation changed)", client_id, name
        )
    store.record_results(
        run_id,
        [(r.client.id, r.score, r.level, r.tags, reasons_json(r)) for r in evaluation.results],
    )
    store.record_names(source, {r.client.id: r.client.name for r in evaluation.results})
    report.level_changes = [
        LevelChange(
            source,
            run_id,
            r.client.id,
            r.client.name,
            previous.get(r.client.id),
            r.level,
            r.tags,
            reasons_json(r),
        )
        for r in evaluation.results
        if previous.get(r.client.id) != r.level
    ]
    for problem in notify_level_changes(plugins, report.level_changes, config, sections):
        log.warning("notifier: %s", problem)
    if source_read is not None:
        save_source(store, connector, source_read, applied)
    if gone:
        store.forget_clients(source, gone)
        log.info(
            "forgot %d client(s) no longer in %s: %s; their last results, snoozes and acks"
            " are kept %d days in case they come back",
            len(gone),
            source,
            ", ".join(sorted(gone)[:10]) + (" ..." if len(gone) > 10 else ""),
            safety.keep_removed_days,
        )
    store.finish_run(
        run_id,
        counts(report, evaluation, connector, source_read),
        report.exit_code,
        [(f.client_id, f.reason) for f in report.failures],
    )
    return report


def split_kept(drift: list[Drift], keeps: dict) -> tuple[list[Drift], list[Drift]]:
    """Return the hand edits to warn of, and those ``crmflags keep`` accepted.

    A keep (from :meth:`StateStore.keeps`) covers an edit while the source still holds
    the kept value and crmflags still wants what it wanted when the edit was kept.
    """

    def kept(found: Drift) -> bool:
        keep = keeps.get((found.client_id, found.field))
        return keep is not None and same(keep.value, found.theirs) and keep.wanted == found.wanted

    return [d for d in drift if not kept(d)], [d for d in drift if kept(d)]


def _record_left_alone(
    store: StateStore, source: str, run_id: int, report: SyncReport, as_of: date
) -> None:
    """Record the run's drift (kept or not) and its snoozed and acknowledged tags."""
    drift = [
        DriftRow(d.client_id, d.field, d.ours, d.theirs, d.wanted, kept=kept)
        for kept, found in ((False, report.plan.drift), (True, report.kept))
        for d in found
    ]
    taken = [(q.client_id, q.tag, q.why, q.messages) for q in report.quieted]
    store.record_left_alone(run_id, drift, store.describe_quieted(source, as_of, taken))


def _decisions(
    store: StateStore, source: str, evaluation: Evaluation, safety: Safety, dry_run: bool
) -> tuple[dict[str, set], dict[tuple[str, str], str]]:
    """Return the snoozes in force and the acks, with those of clients that came back.

    A sync ends tombstones older than ``keep_removed_days`` and restores those of the
    clients it read; a dry run changes nothing and counts the restorable ones as restored.
    """
    cutoff = datetime.now(timezone.utc) - timedelta(days=safety.keep_removed_days)
    seen = seen_clients(evaluation)
    if not dry_run:
        store.purge_tombstones(source, cutoff)
        back = store.restore_clients(source, sorted(seen))
        if back:
            log.info(
                "%d client(s) came back to %s: %s; their snoozes, acks and last results are"
                " restored",
                len(back),
                source,
                ", ".join(back[:10]) + (" ..." if len(back) > 10 else ""),
            )
    snoozed = store.snoozed(source, evaluation.as_of)
    acks = store.acks(source)
    if dry_run:
        for client_id, kept in store.tombstones(source).items():
            if client_id not in seen or kept.removed_at < cutoff:
                continue
            for snooze in kept.snoozes:
                if snooze.until > evaluation.as_of:
                    snoozed.setdefault(client_id, set()).add(snooze.tag)
            for tag, key in kept.acks.items():
                acks.setdefault((client_id, tag), key)
    return snoozed, acks


def _record_refusal(
    store: StateStore, connector: Connector, evaluation: Evaluation, exc: InputError, gone: int
) -> None:
    """Record a sync the removal valve stopped, so that ``crmflags runs`` shows why."""
    source = connector.source_key()
    run_id = store.start_run(
        source, connector.name, evaluation.ruleset.name, evaluation.as_of, False
    )
    numbers = {"read": len(seen_clients(evaluation)), "removed": gone, "changed": 0}
    store.finish_run(run_id, numbers, exc.exit_code, [(None, str(exc))])


def revert(
    connector: Connector,
    clients: list[Client | RecordFailure],
    store: StateStore,
    run_id: int,
    started_at: datetime | None = None,
) -> SyncReport:
    """Write back the values run ``run_id`` wrote over, where they are still as it left them.

    A value changed since (by a later run or a person) is left and reported as drift.
    The revert is a run of its own, audited like a sync; one that restores nothing is
    not a run (its report's ``run_id`` is None).
    """
    source = connector.source_key()
    current = {c.id: c.risk for c in clients if isinstance(c, Client)}
    _settle_interrupted(store, source, current)
    fields: dict[str, dict[str, str]] = {}
    plan = Plan([], [])
    for row in store.audit(run_id):
        if row.status not in (APPLIED, SUPERSEDED):
            continue
        now = current.get(row.client_id, {}).get(row.field)
        if row.client_id not in current or not same(now, row.after):
            plan.drift.append(Drift(row.client_id, row.field, row.after, now, row.before or ""))
            continue
        fields.setdefault(row.client_id, {})[row.field] = row.before or ""
    plan.changes = [ClientChange(cid, values) for cid, values in fields.items()]
    report = SyncReport(None, plan)
    report.failures = [c for c in clients if isinstance(c, RecordFailure)]
    if not plan.changes:
        return report
    as_of = date.today()
    report.run_id = store.start_run(
        source, connector.name, f"revert of run {run_id}", as_of, False, started_at
    )
    _write(connector, store, report.run_id, report, current)
    store.finish_run(
        report.run_id,
        {"changed": report.written, "failed": len(report.failures), "drift": len(plan.drift)},
        report.exit_code,
    )
    return report


def _write(
    connector: Connector,
    store: StateStore,
    run_id: int,
    report: SyncReport,
    current: dict[str, dict],
) -> list[ClientChange]:
    """Plan the audit rows, send the changes, settle the rows (the crash-safe order).

    Returns the changes the source accepted.
    """
    rows = [
        (change.client_id, name, current.get(change.client_id, {}).get(name), value)
        for change in report.plan.changes
        for name, value in change.fields.items()
    ]
    store.plan_writes(run_id, rows)
    try:
        written = connector.write(report.plan.changes) if report.plan.changes else None
    except QuotaSpent as exc:
        # The source says what it took before the quota ran out; it has none of the rest.
        store.settle_writes(run_id, exc.written, {})
        store.abandon_pending(run_id, str(exc))
        store.finish_run(run_id, {"changed": len(exc.written)}, exc.exit_code, [(None, str(exc))])
        raise
    except InputError as exc:
        # A connector raises InputError only before it writes anything (e.g. setup missing).
        store.discard_pending(run_id)
        store.finish_run(run_id, {"changed": 0}, exc.exit_code, [(None, str(exc))])
        raise
    except CrmflagsError as exc:
        # The rows stay pending: the next run decides them from what the source holds.
        store.finish_run(run_id, {"changed": 0}, exc.exit_code, [(None, str(exc))])
        raise
    failed = {f.client_id: f.reason for f in written.failures if f.client_id} if written else {}
    applied = [c.client_id for c in report.plan.changes if c.client_id not in failed]
    store.settle_writes(run_id, applied, failed)
    if written:
        report.written = written.written
        report.failures.extend(written.failures)
    return [c for c in report.plan.changes if c.client_id not in failed]


def counts(
    report: SyncReport,
    evaluation: Evaluation,
    connector: Connector,
    source_read: SourceRead | None = None,
) -> dict[str, int]:
    """Return the counts of a sync for the run record and the summary line.

    After an incremental read, ``read`` counts the clients read from the source,
    ``kept`` those evaluated from the last read's copies, ``removed`` those gone.
    """
    total = len(evaluation.results) + len(evaluation.failures)
    incremental = {}
    if source_read is not None and not source_read.full:
        incremental = {
            "kept": total - source_read.read,
            "removed": len(source_read.removed),
        }
    return {
        "read": source_read.read if source_read and incremental else total,
        **incremental,
        "evaluated": len(evaluation.results),
        "changed": report.written,
        "drift": len({d.client_id for d in report.plan.drift}),
        "failed": len(report.failures),
        "api_calls": connector.api_calls,
    }


def locked(state_path: Path, max_minutes: float | None = None) -> RunLock:
    """Return the run lock of a state store (use it as a context manager).

    With ``max_minutes``, the lock carries the deadline of a run that writes, and a
    holder stuck past its own deadline is ended (see :mod:`crmflags.sync.lock`).
    """
    if max_minutes is None:
        return RunLock(lock_path(state_path))
    return RunLock(lock_path(state_path), timedelta(minutes=max_minutes), end_stuck=True)


def _settle_interrupted(store: StateStore, source: str, current: dict[str, dict]) -> None:
    """Decide, from the values the source holds now, the writes a killed run left pending."""
    for row in store.resolve_unsettled(source, _all_fields(current)):
        log.debug(
            "settled a write of an interrupted run %s: client %s %s is %s",
            row.run_id,
            row.client_id,
            row.field,
            row.status,
        )


def _written_as_if_settled(store: StateStore, source: str, current: dict[str, dict]) -> dict:
    """Return what crmflags wrote, counting a killed run's writes as the next sync will.

    A dry run must not change the store, so it settles nothing, but it must see the
    same drift as the real run: a pending write the source shows (or that was changed
    since) counts as written; one the source never got does not.
    """
    written = store.last_written(source)
    for row in store.unsettled(source):
        now = current.get(row.client_id, {}).get(row.field)
        if row.client_id in current and (same(now, row.after) or not same(now, row.before)):
            written.setdefault(row.client_id, {})[row.field] = row.after
    return written


def _all_fields(current: dict[str, dict]) -> dict[str, dict]:
    return {cid: {name: risk.get(name) for name in RISK_FIELDS} for cid, risk in current.items()}
