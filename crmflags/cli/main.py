"""The ``crmflags`` command line (contracts §3)."""

from __future__ import annotations

import difflib
import sys
from datetime import datetime
from pathlib import Path

import click

from crmflags import __version__
from crmflags.cli.app import App
from crmflags.cli.clients import ack, history, snooze
from crmflags.cli.common import (
    CrmflagsGroup,
    accept_config_everywhere,
    config_option,
    get_app,
    print_evaluation,
    report_failures,
    run_evaluation,
    source_options,
)
from crmflags.cli.keep import keep
from crmflags.cli.output import print_table
from crmflags.cli.plugins import plugins
from crmflags.cli.report import report
from crmflags.cli.rules import rules
from crmflags.cli.runs import runs
from crmflags.cli.setup import init, schedule, setup
from crmflags.cli.store import read_as_last_synced, state_path
from crmflags.cli.sync import revert, run_sync, sync
from crmflags.connector import IncrementalConnector
from crmflags.errors import InputError
from crmflags.logs import setup_logging
from crmflags.sync.state import StateStore
from crmflags.terminal import terminal_safe


@click.group(cls=CrmflagsGroup)
@click.option(
    "--config",
    "config",
    metavar="PATH",
    envvar="CRMFLAGS_CONFIG",
    help="Configuration file (default: ./crmflags.yaml if present).",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Append log lines to this file (then only warnings go to stderr).",
)
@click.option(
    "--log-format",
    type=click.Choice(["plain", "json"]),
    default="plain",
    show_default=True,
    help="Log lines as plain text or JSON.",
)
@click.option(
    "--verbose", "-v", is_flag=True, help="Also log what each run decided (snoozes, acks)."
)
@click.version_option(__version__, prog_name="crmflags")
@click.pass_context
def cli(ctx, config, log_file, log_format, verbose):
    """Risk tags for the clients in your CRM.

    crmflags reads each client's history (invoices, calls and emails, notes, hours),
    evaluates a ruleset of "time to fire this client" conditions, and writes a risk
    level, score, tags and reasons back to the source.

    Start with `crmflags demo`; see docs/getting-started.md.
    """
    ctx.ensure_object(dict)
    ctx.obj["config"] = config
    setup_logging(Path(log_file) if log_file else None, log_format, verbose)


@cli.command()
@source_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--delimiter",
    type=click.Choice([",", ";", "tab"]),
    help="Delimiter of --format csv (default: the CSV bundle's own, else ',').",
)
@click.option(
    "--formula-guard/--no-formula-guard",
    default=True,
    show_default=True,
    help="In --format csv, prefix ' to cells a spreadsheet would run as a formula (=, +, -, @).",
)
@click.pass_context
def evaluate_command(
    ctx, connector, source, base_url, ruleset, as_of, fmt, delimiter, formula_guard
):
    """Read clients, evaluate them and print the result. Writes nothing."""
    found, evaluation = run_evaluation(
        get_app(ctx), connector, source, base_url, ruleset, as_of, stream=fmt != "table"
    )
    # A CSV bundle says how its own files are written: the output follows it.
    dialect = getattr(found, "csv_dialect", None)
    own_delimiter, decimal = dialect() if dialect else (",", ".")
    chosen = {"tab": "\t", None: own_delimiter}.get(delimiter, delimiter)
    print_evaluation(evaluation, fmt, delimiter=chosen, decimal=decimal, guard=formula_guard)
    sys.exit(report_failures(evaluation.failures))


evaluate_command.name = "evaluate"


@cli.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Where to put the scratch copy (default: a new temporary folder).",
)
@click.pass_context
def demo(ctx, directory):
    """Run a full sync on bundled sample data, in a scratch copy. Needs no account."""
    from crmflags.cli.demo import SAMPLE_AS_OF, prepare, write_demo_report

    target, config_path = prepare(directory)
    app = App.start(str(config_path))
    as_of = datetime.combine(SAMPLE_AS_OF, datetime.min.time())
    evaluation, _, summary, code = run_sync(app, None, None, None, None, as_of, dry_run=False)
    report_path = write_demo_report(app, target)
    print_table(evaluation)
    click.echo(summary)
    click.echo(
        f"\nThe sample data was copied to {target}; the risk fields were written into "
        f"{target / 'clients.csv'}.\n"
        f"The risk report of this sync: {report_path} (open it in a browser)\n"
        f"Try: crmflags --config {config_path} evaluate --as-of {SAMPLE_AS_OF} --format json\n"
        f"     crmflags --config {config_path} explain c-15 --as-of {SAMPLE_AS_OF}"
    )
    sys.exit(code)


def _former_client(path: Path, source: str, client_id: str) -> str | None:
    """Say so when a client id is one the syncs knew and the source no longer has."""
    if not path.exists():
        return None
    with StateStore(path) as store:
        history = store.history(source, client_id)
        name = store.client_names(source).get(client_id)
    if not history:
        return None
    last = history[-1]
    return (
        f"client {client_id!r} ({name or 'no name kept'}) is no longer in {source}: "
        f"deleted, archived or merged into another since run {last.run_id} "
        f"(as of {last.as_of}, {last.level}); see crmflags history {client_id}"
    )


@cli.command()
@source_options
@click.argument("client_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def explain(ctx, connector, source, base_url, ruleset, as_of, client_id, fmt):
    """Show why a client got its tags: every rule, condition, value and threshold.

    A CRM that reads incrementally is asked only for what changed since the last sync.
    """
    import json

    from crmflags.evaluation.evaluate import metric_units
    from crmflags.evaluation.explain import explain as explain_client
    from crmflags.evaluation.explain import render_explanation

    app = get_app(ctx)
    path = state_path(app, None)
    found, evaluation = run_evaluation(
        app, connector, source, base_url, ruleset, as_of, read_as_last_synced(app, path)
    )
    results = {result.client.id: result for result in evaluation.results}
    if client_id not in results:
        failed = {f.client_id: f.reason for f in evaluation.failures}
        if client_id in failed:
            raise InputError(f"client {client_id!r} could not be evaluated: {failed[client_id]}")
        gone = _former_client(path, found.source_key(), client_id)
        if gone:
            raise InputError(gone)
        close = difflib.get_close_matches(client_id, list(results), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"no client with id {client_id!r}{hint}")
    units = {**metric_units(app.plugins.metrics), **evaluation.ruleset.text_metrics()}
    data = explain_client(evaluation, results[client_id], units)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        click.echo(terminal_safe(render_explanation(data), lines=True))


@cli.command()
@config_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def connectors(ctx, fmt):
    """List the installed connectors: where each comes from, and whether a sync reads only
    what changed since the last run (incremental) or everything (full reads)."""
    import json

    app = get_app(ctx)
    rows = [
        {
            "name": name,
            "distribution": info.distribution,
            "version": info.version,
            "description": connector_class.description,
            "incremental": issubclass(connector_class, IncrementalConnector),
        }
        for name, (connector_class, info) in sorted(app.plugins.connectors.items())
    ]
    if fmt == "json":
        problems = [
            {"plugin": p.plugin.name, "distribution": p.plugin.distribution, "problem": p.message}
            for p in app.plugins.problems
        ]
        click.echo(json.dumps({"connectors": rows, "problems": problems}, indent=2))
        return
    name_width = max((len(row["name"]) for row in rows), default=0)
    origin_width = max((len(f"{row['distribution']} {row['version']}") for row in rows), default=0)
    for row in rows:
        origin = f"{row['distribution']} {row['version']}"
        reads = "incremental" if row["incremental"] else "full reads"
        click.echo(
            f"{row['name']:<{name_width}}  {origin:<{origin_width}}  {reads:<11}  "
            f"{row['description']}"
        )


for command in (
    rules,
    sync,
    revert,
    runs,
    history,
    snooze,
    ack,
    keep,
    init,
    setup,
    schedule,
    plugins,
    report,
):
    cli.add_command(command)
accept_config_everywhere(cli)


def main() -> None:
    """Entry point of the ``crmflags`` console script."""
    cli(prog_name="crmflags")
