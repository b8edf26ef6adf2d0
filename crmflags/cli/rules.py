"""``crmflags rules``: list, show, lint, test and backtest rulesets."""

from __future__ import annotations

import sys

import click

from crmflags.cli.common import (
    config_option,
    get_app,
    read_whole,
    report_failures,
    run_evaluation,
    source_options,
)
from crmflags.errors import EXIT_RECORDS_FAILED, CrmflagsError, InputError
from crmflags.evaluation.examples import parse_examples, run_examples


@click.group()
def rules():
    """List, show and check rulesets."""


@rules.command("list")
@config_option
@click.pass_context
def rules_list(ctx):
    """List the rulesets available, with the plugin each comes from.

    The ruleset crmflags.yaml names is marked with a *; one it names by path is listed
    too, from "crmflags.yaml".
    """
    app = get_app(ctx)
    library = app.library()
    origins = {path: info.distribution for path, info in app.plugins.ruleset_paths}
    configured = app.configured_ruleset_file()
    if configured is not None:
        origins[configured] = "crmflags.yaml"
    in_use = app.configured_ruleset_name()
    for name, file in sorted(library.available().items()):
        origin = origins.get(file, origins.get(file.parent, "?"))
        name = f"{name} *" if name == in_use else name
        try:
            ruleset = library.load(str(file))
        except CrmflagsError:
            summary = "INVALID (run `crmflags rules lint`)"
        else:
            first_line = (ruleset.description.strip().splitlines() or [""])[0]
            summary = f"{len(ruleset.rules)} rules  {first_line}"
        click.echo(f"{name:<22} {origin:<18} {summary}")
    click.echo(f"\n* the ruleset commands use unless --ruleset says otherwise ({in_use})")


@rules.command("show")
@config_option
@click.argument("name_or_path", required=False)
@click.option("--terms", is_flag=True, help="Also print every word of the term lists.")
@click.pass_context
def rules_show(ctx, name_or_path, terms):
    """Show one ruleset: params, level bands and every rule.

    Without NAME_OR_PATH, the ruleset crmflags.yaml names (else freelancer).
    """
    from crmflags.rules.conditions import describe

    ruleset = get_app(ctx).ruleset(name_or_path)
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
@config_option
@click.argument("names_or_paths", nargs=-1)
@click.pass_context
def rules_lint(ctx, names_or_paths):
    """Check rulesets; every error gives file:line.

    Checks the rulesets named (names or YAML files), or all available ones.
    """
    app = get_app(ctx)
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
@config_option
@click.argument("names_or_paths", nargs=-1)
@click.pass_context
def rules_test(ctx, names_or_paths):
    """Run rulesets' own examples (all available rulesets if none is named).

    Each example is an invented client with the tags it must and must not get;
    exit code 1 if any expectation fails.
    """
    app = get_app(ctx)
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
            for line in behind_the_failure(outcome, app.plugins.metrics):
                click.echo(f"         {line}")
            failed += bool(outcome.problems)
        if not outcomes:
            click.echo(f"--   {ruleset.name}: no examples")
    sys.exit(EXIT_RECORDS_FAILED if failed else 0)


def behind_the_failure(outcome, plugin_metrics) -> list[str]:
    """Return, for an example that missed an expectation, the metric values behind it.

    Every rule of a tag the example should or should not have got, with each condition's
    value and threshold (as ``crmflags explain`` shows them); for a missed level, every
    rule that matched, with its weight, and the level bands.
    """
    from crmflags.evaluation.evaluate import metric_units
    from crmflags.evaluation.explain import condition_lines, explain

    evaluation = outcome.evaluation
    if not outcome.problems or evaluation is None:
        return []
    example = outcome.example
    missed = {t for t in example.tags if t not in outcome.tags}
    missed |= {t for t in example.not_tags if t in outcome.tags}
    level_missed = bool(example.level) and example.level != outcome.level
    units = {**metric_units(plugin_metrics), **evaluation.ruleset.text_metrics()}
    data = explain(evaluation, evaluation.results[0], units)
    lines = []
    for rule in data["rules"]:
        if rule["tag"] in missed or (level_missed and rule["matched"]):
            mark = "MATCHED" if rule["matched"] else "no"
            lines.append(f"[{mark}] {rule['rule']}  tag {rule['tag']}, weight {rule['weight']}")
            lines.extend(condition_lines(rule["when"], "    "))
    if level_missed:
        bands = ", ".join(f"{name} from {score}" for name, score in data["levels"].items())
        lines.append(f"score {data['score']}; levels: {bands}")
    return lines


@rules.command("backtest")
@source_options
@click.option(
    "--outcome",
    default="ended",
    show_default=True,
    metavar="COLUMN",
    help="Client field that says yes for clients you let go.",
)
@click.option(
    "--manual-fields",
    type=click.Choice(["omit", "today"]),
    default="omit",
    show_default=True,
    help="gut_feeling and team_morale have no history: leave them out for a past date, or "
    "use today's values (and say so).",
)
@click.pass_context
def rules_backtest(ctx, connector, source, base_url, ruleset, as_of, outcome, manual_fields):
    """How the ruleset would have judged clients whose outcome you know.

    Evaluates as of --as-of (a date before you let them go) and compares "warning or
    fire" with the outcome column: precision and recall overall and per tag, and the
    rules that fired on clients you kept.
    """
    from datetime import datetime

    from crmflags.evaluation.backtest import backtest, manual_note, render_backtest, without_manual

    if as_of is None:
        raise InputError("a backtest needs --as-of DATE: the day to judge the clients as of")
    app = get_app(ctx)
    today = datetime.now(app.config.settings.timezone).date()
    note = manual_note(as_of.date(), today, manual_fields == "today")
    past = bool(note) and manual_fields == "omit"
    read = (lambda found, progress: without_manual(read_whole(found, progress))) if past else None
    _, evaluation = run_evaluation(app, connector, source, base_url, ruleset, as_of, read)
    click.echo(render_backtest(backtest(evaluation, outcome, note), evaluation))
    sys.exit(report_failures(evaluation.failures))
