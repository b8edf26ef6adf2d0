"""What every command shares: the command group class, the app, source options, output."""

from __future__ import annotations

import logging
import sqlite3
import sys
from datetime import datetime, time

import click

from crmflags.canonical import checked
from crmflags.cli.app import App
from crmflags.cli.output import csv_chunks, json_chunks, print_table
from crmflags.errors import EXIT_BAD_INPUT, EXIT_RECORDS_FAILED, CrmflagsError
from crmflags.evaluation.evaluate import Evaluation, evaluate
from crmflags.logs import Progress, redact
from crmflags.terminal import terminal_safe

log = logging.getLogger("crmflags")


class CrmflagsGroup(click.Group):
    """A group that turns crmflags errors into one message and the contract's exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CrmflagsError as exc:
            _error(str(exc))
            sys.exit(exc.exit_code)
        except sqlite3.Error as exc:
            _error(f"the state store failed: {exc} (see --state, or state: in crmflags.yaml)")
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing more was written", err=True)
            sys.exit(130)


def _error(message: str) -> None:
    """Show an error: through the log (so a log file has it too), or plainly before it is set up.

    Registered secrets are masked either way.
    """
    message = terminal_safe(redact(message), lines=True)
    if log.handlers:
        log.error("%s", message)  # the line says ERROR already
    else:
        click.echo(f"error: {message}", err=True)


def get_app(ctx: click.Context) -> App:
    """Return the app of this command line (plugins and configuration), loading it once."""
    app = ctx.obj.get("app")
    if app is None:
        app = ctx.obj["app"] = App.start(ctx.obj["config"])
        for problem in app.plugins.problems:
            log.warning(
                "plugin %s (%s %s) skipped: %s",
                problem.plugin.name,
                problem.plugin.distribution,
                problem.plugin.version,
                problem.message,
            )
    return app


def _store_config(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().obj["config"] = value


#: ``--config`` is also accepted after the command name (``crmflags sync --config x``).
config_option = click.option(
    "--config",
    metavar="PATH",
    expose_value=False,
    callback=_store_config,
    help="Configuration file (default: ./crmflags.yaml if present).",
)


#: Commands that use no configuration, so they take no ``--config`` after their name.
WITHOUT_CONFIG = ("demo", "install")


def accept_config_everywhere(command: click.Command) -> None:
    """Give every command and group below ``command`` the ``--config`` option it lacks.

    So ``--config PATH`` is accepted before or after any command name
    (``crmflags rules --config x list``, ``crmflags runs --config x``), except by the
    commands of :data:`WITHOUT_CONFIG`, which read no configuration.
    """
    for name, sub in getattr(command, "commands", {}).items():
        if name in WITHOUT_CONFIG:
            continue
        if not any(param.name == "config" for param in sub.params):
            config_option(sub)
        accept_config_everywhere(sub)


def connector_options(command):
    """Add --config, --connector, --source and --base-url: what picks and creates a connector."""
    options = [
        config_option,
        click.option(
            "--connector",
            "-c",
            metavar="NAME",
            help="Connector to read from (see `crmflags connectors`).",
        ),
        click.option(
            "--source",
            metavar="PATH",
            help="Where the connector reads: the CSV bundle's folder (csv), a file for some plugins.",
        ),
        click.option(
            "--base-url", metavar="URL", help="API base URL override (sandboxes, proxies, tests)."
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def source_options(command):
    """Add the :func:`connector_options`, --ruleset and --as-of to a command."""
    options = [
        connector_options,
        click.option(
            "--ruleset",
            "-r",
            metavar="NAME_OR_PATH",
            help="Ruleset name or YAML file (default: freelancer).",
        ),
        click.option(
            "--as-of",
            type=click.DateTime(["%Y-%m-%d"]),
            metavar="DATE",
            help="Evaluate as if today were DATE (YYYY-MM-DD), at the end of that day.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_evaluation(
    app: App, connector_name, source, base_url, ruleset_name, as_of, read=None, stream=False
):
    """Create the connector, load the ruleset, read and evaluate; return both.

    ``read(connector, progress)`` turns the connector into the records to evaluate
    (default: :func:`read_tables_or_whole`: its tables when it offers them), counting them on the
    :class:`~crmflags.logs.Progress` bar drawn on a terminal meanwhile. With ``stream``
    the rules run as the results are asked for (see :func:`evaluate`).
    """
    connector = app.connector(connector_name, source, base_url)
    ruleset = app.ruleset(ruleset_name)
    settings = app.settings_for(ruleset)
    if as_of:
        # As if run at the end of that day: the same --as-of run gives the same output.
        day = as_of.date()
        now = datetime.combine(day, time(23, 59, 59), settings.timezone)
    else:
        now = datetime.now(settings.timezone).replace(microsecond=0)
        day = now.date()
    with Progress(status=lambda: _api_calls(connector)) as progress:
        records = (read or read_tables_or_whole)(connector, progress)
        evaluation = evaluate(
            records, ruleset, settings, day, now, app.plugins.metrics, progress, stream
        )
    evaluation.warnings = [*connector.warnings(), *evaluation.warnings]
    for warning in evaluation.warnings:
        log.warning("%s", warning)
    return connector, evaluation


def read_whole(connector, progress: Progress):
    """Return every record of the connector's source, counted on the progress bar.

    The records come from :meth:`~crmflags.connector.Connector.read`, every client
    checked by :func:`crmflags.canonical.checked`.
    """
    progress.phase(f"reading {connector.name}", connector.expected_total)
    return progress.count(checked(connector.read(), connector.name))


def read_tables_or_whole(connector, progress: Progress):
    """Return the connector's tables when it offers them (``read_tables``), else :func:`read_whole`.

    For evaluations, which measure tables as columns; whoever needs every client as a
    :class:`~crmflags.model.Client` (a backtest) reads with :func:`read_whole`.
    """
    progress.phase(f"reading {connector.name}", None)
    tables = connector.read_tables()
    return read_whole(connector, progress) if tables is None else tables


def _api_calls(connector) -> str:
    """Return "N API calls" for the progress bar of a connector that makes them."""
    calls = connector.api_calls
    return f"{calls} API {'call' if calls == 1 else 'calls'}" if calls else ""


def print_evaluation(evaluation: Evaluation, fmt: str, **csv_options) -> None:
    """Print an evaluation as a table, JSON or CSV (``csv_options`` go to :func:`csv_chunks`)."""
    if fmt == "json":
        for chunk in json_chunks(evaluation):
            click.echo(chunk, nl=False)
        click.echo()
    elif fmt == "csv":
        for chunk in csv_chunks(evaluation, **csv_options):
            click.echo(chunk, nl=False)
    else:
        print_table(evaluation)


def report_failures(failures) -> int:
    """Name each failed client (stderr and the log file); return exit code 1 if there are any."""
    for failure in failures:
        who = f"client {failure.client_id}" if failure.client_id else "a record"
        log.warning("failed: %s: %s", who, failure.reason)
    return EXIT_RECORDS_FAILED if failures else 0
