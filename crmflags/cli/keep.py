"""``crmflags keep``: accept a person's edit of a risk field, so drift stops warning of it."""

from __future__ import annotations

import click

from crmflags.cli.common import connector_options, get_app
from crmflags.cli.store import state_option, state_path, stored_source, today_in
from crmflags.errors import InputError, did_you_mean
from crmflags.model import RISK_FIELDS
from crmflags.sync.state import StateStore


def risk_field(name: str) -> str:
    """Return the risk field a FIELD argument names: ``risk_level`` or just ``level``."""
    field = name if name.startswith("risk_") else f"risk_{name}"
    if field not in RISK_FIELDS:
        raise InputError(
            f"unknown risk field {name!r}{did_you_mean(field, RISK_FIELDS)}; "
            f"fields are {', '.join(RISK_FIELDS)}"
        )
    return field


@click.command()
@connector_options
@state_option
@click.argument("client_id")
@click.argument("fields", nargs=-1, metavar="[FIELD]...")
@click.option("--remove", is_flag=True, help="Stop keeping it: the next sync warns again.")
@click.pass_context
def keep(ctx, connector, source, base_url, state, client_id, fields, remove):
    """Keep a person's edit of a client's risk FIELD (level, tags, score, reasons...).

    A sync leaves a risk field a person edited as it is and warns of it every time
    (drift). `keep` accepts the edits the last sync found (all of the client's, or
    those of the FIELDs named): the source keeps the person's value, and syncs stop
    warning until the evaluation itself changes what crmflags would write there, or
    the field is edited again. The decision is recorded as a run (crmflags runs).
    Reads only the state store; writes nothing to the source.
    """
    app = get_app(ctx)
    path = state_path(app, state)
    if not path.exists():
        raise InputError(f"no state store at {path}: run crmflags sync first")
    names = [risk_field(name) for name in fields] or None
    with StateStore(path) as store:
        key = stored_source(app, store, connector, source, base_url)
        if remove:
            if not store.unkeep(key, client_id, names):
                raise InputError(f"client {client_id!r} has no kept edit of {_which(names)}")
            click.echo(f"no longer kept: client {client_id} {_which(names)}; the next sync warns")
            return
        last = store.last_sync(key)
        if last is None:
            raise InputError(f"no sync of {key} is recorded yet: run crmflags sync first")
        found = [
            d
            for d in store.drift(last.id)
            if d.client_id == client_id and (names is None or d.field in names)
        ]
        missing = sorted(set(names or ()) - {d.field for d in found})
        if not found or missing:
            raise InputError(
                f"the last sync (run {last.id}) found no hand edit of client {client_id!r} "
                f"{', '.join(missing) or _which(names)}; nothing to keep"
            )
        today = today_in(app.config.settings.timezone)
        what = f"keep of {client_id} {', '.join(d.field for d in found)}"
        run_id = store.start_run(key, last.connector, what, today, False)
        store.keep(run_id, found)
        store.finish_run(run_id, {"kept_edits": len(found)}, 0)
    for d in found:
        click.echo(
            f"kept: client {client_id} {d.field} stays {d.theirs or ''!r} "
            f"(crmflags would write {d.wanted!r})"
        )
    click.echo(
        f"recorded as run {run_id}; syncs leave it without a warning until the evaluation "
        "changes what crmflags would write, or the field is edited again"
    )


def _which(names: list[str] | None) -> str:
    return ", ".join(names) if names else "any risk field"
