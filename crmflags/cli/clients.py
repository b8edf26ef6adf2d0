"""Commands about one client of the state store: ``history``, ``snooze`` and ``ack``."""

from __future__ import annotations

import difflib

import click

from crmflags.cli.common import connector_options, get_app
from crmflags.cli.store import state_option, state_path, stored_source, today_in
from crmflags.errors import InputError
from crmflags.sync.run import stored_evidence_key
from crmflags.sync.state import StateStore
from crmflags.tags import TAGS
from crmflags.terminal import terminal_safe


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
