"""``crmflags report``: the risk report as one self-contained HTML page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crmflags.cli.app import App
from crmflags.cli.common import get_app, report_failures, run_evaluation, source_options
from crmflags.cli.store import read_as_last_synced, state_option, state_path, stored_source
from crmflags.errors import CrmflagsError, InputError
from crmflags.evaluation.evaluate import metric_units
from crmflags.evaluation.reasons import reasons_in
from crmflags.report.data import Report, from_evaluation, from_store
from crmflags.report.labels import LANGUAGES
from crmflags.report.render import write_report
from crmflags.rules.ruleset import Ruleset
from crmflags.sync.run import quiet
from crmflags.sync.state import StateStore
from crmflags.tags import LEVELS


@click.command()
@source_options
@state_option
@click.option(
    "--output",
    "-o",
    default="risk.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The HTML file to write (replaced if it exists).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the page: its labels, reasons and advice; tag names stay as they "
    "are. Default: crmflags.yaml's language (en without one).",
)
@click.option(
    "--last-run",
    is_flag=True,
    help="Show the last recorded sync even when connector options are given (they then "
    "only say which source).",
)
@click.pass_context
def report(ctx, connector, source, base_url, ruleset, as_of, state, output, lang, last_run):
    """Write the risk report: one HTML page to open from disk or send by email.

    With connector options (--connector, --source, --base-url, --ruleset, --as-of) it
    evaluates the clients now, as `evaluate` does; without them (or with --last-run) it
    shows the last sync recorded in the state store. Score history and the changes
    since the previous run come from the state store either way. Writes nothing else.
    """
    app = get_app(ctx)
    lang = lang or app.config.settings.language
    path = state_path(app, state)
    code = 0
    if last_run or not any(v is not None for v in (connector, source, base_url, ruleset, as_of)):
        if ruleset is not None or as_of is not None:
            raise InputError("--ruleset and --as-of evaluate now; leave them out with --last-run")
        shown = _last_run(app, path, connector, source, base_url)
        _in_language(shown, _recorded_ruleset(app, shown.ruleset), app, lang)
    else:
        shown, code = _evaluated_now(app, path, connector, source, base_url, ruleset, as_of)
        _in_language(shown, app.ruleset(ruleset), app, lang)
    write_report(shown, output, lang)
    click.echo(_summary(shown, output))
    sys.exit(code)


def _in_language(shown: Report, ruleset: Ruleset | None, app: App, lang: str) -> None:
    """Write the reasons and advice of the page in its language, from the ruleset's rules."""
    if ruleset is None:
        return
    units = {**metric_units(app.plugins.metrics), **ruleset.text_metrics()}
    for client in shown.clients:
        client.reasons = reasons_in(client.reasons, ruleset, units, lang)


def _recorded_ruleset(app: App, name: str) -> Ruleset | None:
    """Return the ruleset a recorded run used, if it can still be loaded (else None)."""
    try:
        return app.ruleset(name)
    except CrmflagsError:
        return None


def _evaluated_now(app: App, path: Path, connector, source, base_url, ruleset, as_of):
    """Evaluate now; take snoozes, acks and history from the state store if there is one."""
    read = read_as_last_synced(app, path)
    found, evaluation = run_evaluation(app, connector, source, base_url, ruleset, as_of, read)
    key = found.source_key()
    if not path.exists():
        return from_evaluation(evaluation, key, None), report_failures(evaluation.failures)
    with StateStore(path) as store:
        quieted = quiet(evaluation, store.snoozed(key, evaluation.as_of), store.acks(key))
        shown = from_evaluation(evaluation, key, store, quieted, found.stored_value)
    return shown, report_failures(evaluation.failures)


def _last_run(app: App, path: Path, connector, source, base_url) -> Report:
    """Return the report of the last sync of the chosen source recorded in the state store."""
    if not path.exists():
        raise InputError(
            f"nothing to report: there is no state store at {path}; run `crmflags sync` "
            "first, or give --connector NAME (and --source DIR for csv) to evaluate now"
        )
    with StateStore(path) as store:
        config = app.config
        if connector or source or base_url or config.connector or len(config.sections) == 1:
            key = stored_source(app, store, connector, source, base_url)
        else:
            key = _only_source(store, path)
        return from_store(store, key)


def _only_source(store: StateStore, path: Path) -> str:
    """Return the one source the state store has syncs of, when no connector is configured."""
    known = store.sources()
    if len(known) == 1:
        return known[0]
    if not known:
        raise InputError(
            f"nothing to report: the state store {path} holds no sync yet; run `crmflags "
            "sync` first, or give --connector NAME (and --source DIR for csv) to evaluate now"
        )
    raise InputError(
        f"the state store {path} holds syncs of {len(known)} sources ({', '.join(known)}); "
        "say which with --last-run and --connector NAME (and --source DIR for csv)"
    )


def _summary(shown: Report, output: str) -> str:
    """Return the line that says what was written."""
    which = f"sync run {shown.run.id}" if shown.run else "evaluated now"
    counts = shown.level_counts
    levels = ", ".join(f"{counts[level]} {level}" for level in reversed(LEVELS))
    return (
        f"report written to {output}: {len(shown.clients)} clients of {shown.source} as of "
        f"{shown.as_of} ({which}): {levels}"
    )
