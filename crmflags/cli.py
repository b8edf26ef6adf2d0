"""The ``crmflags`` command line (contracts §3)."""

from __future__ import annotations

import difflib
import sys
from datetime import datetime, time

import click

from crmflags import __version__
from crmflags.app import App
from crmflags.changes import changes_for
from crmflags.errors import EXIT_RECORDS_FAILED, CrmflagsError, InputError
from crmflags.evaluate import Evaluation, evaluate
from crmflags.examples import parse_examples, run_examples
from crmflags.output import describe_changes, to_csv, to_json, to_table


class _Group(click.Group):
    """A group that turns crmflags errors into one message and the contract's exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CrmflagsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing more was written", err=True)
            sys.exit(130)


def _app(ctx: click.Context) -> App:
    app = ctx.obj.get("app")
    if app is None:
        app = ctx.obj["app"] = App.start(ctx.obj["config"])
        for problem in app.plugins.problems:
            click.echo(
                f"warning: plugin {problem.plugin.name} ({problem.plugin.distribution} "
                f"{problem.plugin.version}) skipped: {problem.message}",
                err=True,
            )
    return app


@click.group(cls=_Group)
@click.option(
    "--config",
    "config",
    metavar="PATH",
    envvar="CRMFLAGS_CONFIG",
    help="Configuration file (default: ./crmflags.yaml if present).",
)
@click.version_option(__version__, prog_name="crmflags")
@click.pass_context
def cli(ctx, config):
    """Risk tags for the clients in your CRM.

    crmflags reads each client's history (invoices, calls and emails, notes, hours),
    evaluates a ruleset of "time to fire this client" conditions, and writes a risk
    level, score, tags and reasons back to the source.

    Start with `crmflags demo`; see docs/getting-started.md.
    """
    ctx.ensure_object(dict)
    ctx.obj["config"] = config


def _store_config(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().obj["config"] = value


#: ``--config`` is also accepted after the command name (``crmflags sync --config x``).
_config_option = click.option(
    "--config",
    metavar="PATH",
    expose_value=False,
    callback=_store_config,
    help="Configuration file (default: ./crmflags.yaml if present).",
)


def _source_options(command):
    options = [
        _config_option,
        click.option(
            "--connector",
            "-c",
            metavar="NAME",
            help="Connector to read from (see `crmflags connectors`).",
        ),
        click.option("--source", metavar="DIR", help="Folder of the CSV bundle (csv connector)."),
        click.option(
            "--base-url", metavar="URL", help="API base URL override (sandboxes, proxies, tests)."
        ),
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


def _run_evaluation(app: App, connector_name, source, base_url, ruleset_name, as_of):
    connector = app.connector(connector_name, source, base_url)
    ruleset = app.ruleset(ruleset_name)
    settings = app.config.settings
    if as_of:
        # As if run at the end of that day: the same --as-of run gives the same output.
        day = as_of.date()
        now = datetime.combine(day, time(23, 59, 59), settings.timezone)
    else:
        now = datetime.now(settings.timezone).replace(microsecond=0)
        day = now.date()
    evaluation = evaluate(connector.read(), ruleset, settings, day, now, app.plugins.metrics)
    for warning in connector.warnings():
        click.echo(f"warning: {warning}", err=True)
    return connector, evaluation


def _print(evaluation: Evaluation, fmt: str) -> None:
    if fmt == "json":
        click.echo(to_json(evaluation))
    elif fmt == "csv":
        click.echo(to_csv(evaluation), nl=False)
    else:
        click.echo(to_table(evaluation))


def _report_failures(failures) -> int:
    for failure in failures:
        who = f"client {failure.client_id}" if failure.client_id else "a record"
        click.echo(f"failed: {who}: {failure.reason}", err=True)
    return EXIT_RECORDS_FAILED if failures else 0


@cli.command()
@_source_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def evaluate_command(ctx, connector, source, base_url, ruleset, as_of, fmt):
    """Read clients, evaluate them and print the result. Writes nothing."""
    _, evaluation = _run_evaluation(_app(ctx), connector, source, base_url, ruleset, as_of)
    _print(evaluation, fmt)
    sys.exit(_report_failures(evaluation.failures))


evaluate_command.name = "evaluate"


def _sync(app, connector_name, source, base_url, ruleset_name, as_of, dry_run):
    """Evaluate, then write the changes (or print them); return the evaluation,
    a one-line summary and the exit code."""
    connector, evaluation = _run_evaluation(
        app, connector_name, source, base_url, ruleset_name, as_of
    )
    changes = changes_for(evaluation)
    failures = list(evaluation.failures)
    if dry_run:
        current = {r.client.id: r.client.risk for r in evaluation.results}
        if changes:
            click.echo(describe_changes(changes, current))
        changed = f"{len(changes)} would change"
    else:
        report = connector.write(changes)
        failures.extend(report.failures)
        changed = f"{report.written} changed"
    summary = (
        f"{'dry run: ' if dry_run else ''}{len(evaluation.results)} clients evaluated with "
        f"ruleset {evaluation.ruleset.name} as of {evaluation.as_of}, {changed}, "
        f"{len(failures)} failed" + ("; nothing was written" if dry_run else "")
    )
    return evaluation, summary, _report_failures(failures)


@cli.command()
@_source_options
@click.option("--dry-run", is_flag=True, help="Print the changes it would make and write nothing.")
@click.pass_context
def sync(ctx, connector, source, base_url, ruleset, as_of, dry_run):
    """Evaluate clients and write changed risk fields back.

    Only values that differ from the source are written; --dry-run prints them instead.
    """
    _, summary, code = _sync(_app(ctx), connector, source, base_url, ruleset, as_of, dry_run)
    click.echo(summary)
    sys.exit(code)


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
    from crmflags.demo import SAMPLE_AS_OF, prepare

    target, config_path = prepare(directory)
    app = App.start(str(config_path))
    as_of = datetime.combine(SAMPLE_AS_OF, datetime.min.time())
    evaluation, summary, code = _sync(app, None, None, None, None, as_of, dry_run=False)
    click.echo(to_table(evaluation))
    click.echo(summary)
    click.echo(
        f"\nThe sample data was copied to {target}; the risk fields were written into "
        f"{target / 'clients.csv'}.\n"
        f"Try: crmflags --config {config_path} evaluate --as-of {SAMPLE_AS_OF} --format json\n"
        f"     crmflags --config {config_path} explain c-15 --as-of {SAMPLE_AS_OF}"
    )
    sys.exit(code)


@cli.group()
def rules():
    """List, show and check rulesets."""


@rules.command("list")
@_config_option
@click.pass_context
def rules_list(ctx):
    """List the rulesets available, with the plugin each comes from."""
    app = _app(ctx)
    library = app.library()
    origins = {path: info.distribution for path, info in app.plugins.ruleset_paths}
    for name, file in sorted(library.available().items()):
        origin = origins.get(file, origins.get(file.parent, "?"))
        try:
            ruleset = library.load(str(file))
        except CrmflagsError:
            summary = "INVALID (run `crmflags rules lint`)"
        else:
            first_line = (ruleset.description.strip().splitlines() or [""])[0]
            summary = f"{len(ruleset.rules)} rules  {first_line}"
        click.echo(f"{name:<22} {origin:<18} {summary}")


@rules.command("show")
@_config_option
@click.argument("name_or_path")
@click.option("--terms", is_flag=True, help="Also print every word of the term lists.")
@click.pass_context
def rules_show(ctx, name_or_path, terms):
    """Show one ruleset: params, level bands and every rule."""
    from crmflags.conditions import describe

    ruleset = _app(ctx).ruleset(name_or_path)
    click.echo(f"{ruleset.name}  ({ruleset.path})")
    if ruleset.lineage:
        click.echo(f"extends: {' -> '.join(ruleset.lineage)}")
    if ruleset.description:
        click.echo(ruleset.description.strip())
    click.echo("\nlevels: " + ", ".join(f"{k} from {v:g}" for k, v in ruleset.levels.items()))
    if ruleset.params:
        click.echo("\nparams:")
        for param in ruleset.params.values():
            click.echo(f"  {param.name} = {param.value:g}  {param.description}".rstrip())
    if ruleset.terms:
        click.echo(
            "\nterm lists (metric text_<list>; crmflags rules show --terms prints the words):"
        )
        for term_list in ruleset.terms.values():
            counts = ", ".join(f"{lang} {len(words)}" for lang, words in term_list.terms.items())
            click.echo(
                f"  {term_list.name}: {term_list.description}  [{counts}; exclude {len(term_list.exclude)}]"
            )
            if terms:
                for lang, words in term_list.terms.items():
                    click.echo(f"    {lang}: {', '.join(words)}")
                if term_list.exclude:
                    click.echo(f"    exclude: {', '.join(term_list.exclude)}")
    click.echo("\nrules:")
    for rule in ruleset.rules:
        click.echo(f"  {rule.id}  tag {rule.tag}, weight {rule.weight:g}  ({rule.source})")
        click.echo(f"    when {describe(rule.when)}")
        if rule.advice:
            click.echo(f"    advice: {rule.advice}")


@rules.command("lint")
@_config_option
@click.argument("names_or_paths", nargs=-1)
@click.pass_context
def rules_lint(ctx, names_or_paths):
    """Check rulesets; every error gives file:line.

    Checks the rulesets named (names or YAML files), or all available ones.
    """
    app = _app(ctx)
    library = app.library()
    targets = names_or_paths or sorted(library.available())
    bad = 0
    for target in targets:
        try:
            ruleset = library.load(target)
            examples = parse_examples(ruleset)
        except CrmflagsError as exc:
            bad += 1
            click.echo(f"FAIL {target}\n{exc}", err=True)
        else:
            click.echo(
                f"ok   {ruleset.name} ({len(ruleset.rules)} rules, {len(examples)} examples, "
                f"{ruleset.path})"
            )
    sys.exit(2 if bad else 0)


@rules.command("test")
@_config_option
@click.argument("names_or_paths", nargs=-1)
@click.pass_context
def rules_test(ctx, names_or_paths):
    """Run rulesets' own examples (all available rulesets if none is named).

    Each example is an invented client with the tags it must and must not get;
    exit code 1 if any expectation fails.
    """
    app = _app(ctx)
    library = app.library()
    failed = 0
    for target in names_or_paths or sorted(library.available()):
        ruleset = library.load(target)
        outcomes = run_examples(ruleset, app.plugins.metrics)
        for outcome in outcomes:
            status = "FAIL" if outcome.problems else "ok  "
            click.echo(
                f"{status} {ruleset.name}: {outcome.example.name} -> {outcome.level or '?'} "
                f"{', '.join(outcome.tags) or '-'}"
            )
            for problem in outcome.problems:
                click.echo(f"       {outcome.example.where}: {problem}")
            failed += bool(outcome.problems)
        if not outcomes:
            click.echo(f"--   {ruleset.name}: no examples")
    sys.exit(EXIT_RECORDS_FAILED if failed else 0)


@rules.command("backtest")
@_source_options
@click.option(
    "--outcome",
    default="ended",
    show_default=True,
    metavar="COLUMN",
    help="Client field that says yes for clients you let go.",
)
@click.pass_context
def rules_backtest(ctx, connector, source, base_url, ruleset, as_of, outcome):
    """How the ruleset would have judged clients whose outcome you know.

    Evaluates as of --as-of (a date before you let them go) and compares "warning or
    fire" with the outcome column: precision and recall overall and per tag, and the
    rules that fired on clients you kept.
    """
    from crmflags.backtest import backtest, render_backtest

    if as_of is None:
        raise InputError("a backtest needs --as-of DATE: the day to judge the clients as of")
    _, evaluation = _run_evaluation(_app(ctx), connector, source, base_url, ruleset, as_of)
    click.echo(render_backtest(backtest(evaluation, outcome), evaluation))
    sys.exit(_report_failures(evaluation.failures))


@cli.command()
@_source_options
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
    """Show why a client got its tags: every rule, condition, value and threshold."""
    import json

    from crmflags.evaluate import metric_units
    from crmflags.explain import explain as explain_client
    from crmflags.explain import render_explanation

    app = _app(ctx)
    _, evaluation = _run_evaluation(app, connector, source, base_url, ruleset, as_of)
    results = {result.client.id: result for result in evaluation.results}
    if client_id not in results:
        failed = {f.client_id: f.reason for f in evaluation.failures}
        if client_id in failed:
            raise InputError(f"client {client_id!r} could not be evaluated: {failed[client_id]}")
        close = difflib.get_close_matches(client_id, list(results), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"no client with id {client_id!r}{hint}")
    units = {**metric_units(app.plugins.metrics), **evaluation.ruleset.text_metrics()}
    data = explain_client(evaluation, results[client_id], units)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        click.echo(render_explanation(data))


@cli.command()
@_config_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def connectors(ctx, fmt):
    """List the installed connectors and where each comes from."""
    import json

    app = _app(ctx)
    rows = [
        {
            "name": name,
            "distribution": info.distribution,
            "version": info.version,
            "description": connector_class.description,
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
    for row in rows:
        click.echo(
            f"{row['name']:<12} {row['distribution']} {row['version']:<10} {row['description']}"
        )


def main() -> None:
    """Entry point of the ``crmflags`` console script."""
    cli(prog_name="crmflags")
