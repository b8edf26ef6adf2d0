"""``crmflags plugins``: what is installed, and installing more into this environment."""

from __future__ import annotations

import json
import subprocess
import sys

import click

from crmflags.cli.common import config_option, get_app
from crmflags.errors import InputError


@click.group()
def plugins():
    """List and install crmflags plugins."""


@plugins.command("list")
@config_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def plugins_list(ctx, fmt):
    """List every plugin, built-in or installed, with what it adds and any problem."""
    app = get_app(ctx)
    adds: dict[str, list[str]] = {name: [] for name in app.plugins.infos}
    for name, (_, info) in app.plugins.connectors.items():
        adds[info.name].append(f"connector {name}")
    for path, info in app.plugins.ruleset_paths:
        adds[info.name].append(f"rulesets in {path}")
    for path, info in app.plugins.preset_paths:
        adds[info.name].append(f"csv presets in {path}")
    for name, metric in app.plugins.metrics.items():
        adds[metric.plugin.name].append(f"metric {name}")
    rows = [
        {
            "plugin": name,
            "distribution": info.distribution,
            "version": info.version,
            "adds": adds[name],
        }
        for name, info in sorted(app.plugins.infos.items())
    ]
    problems = [
        {"plugin": p.plugin.name, "distribution": p.plugin.distribution, "problem": p.message}
        for p in app.plugins.problems
    ]
    if fmt == "json":
        click.echo(json.dumps({"plugins": rows, "problems": problems}, indent=2))
        return
    for row in rows:
        what = "; ".join(row["adds"]) or "(hooks only)"
        click.echo(f"{row['plugin']:<12} {row['distribution']} {row['version']:<10} {what}")
    for problem in problems:
        click.echo(
            f"{problem['plugin']:<12} {problem['distribution']}  SKIPPED: {problem['problem']}"
        )


@plugins.command("install")
@click.argument("names", nargs=-1, required=True)
@click.option("--upgrade", "-U", is_flag=True, help="Upgrade the packages if already installed.")
def plugins_install(names, upgrade):
    """Install plugin packages into the environment crmflags runs in (pip install NAME...).

    NAME is what pip takes: a package name (crmflags-mycrm), a path or a URL.
    """
    command = [sys.executable, "-m", "pip", "install", *(["--upgrade"] if upgrade else []), *names]
    click.echo("running: " + " ".join(command), err=True)
    done = subprocess.run(command, check=False)
    if done.returncode != 0:
        raise InputError(f"pip could not install {' '.join(names)} (exit code {done.returncode})")
    click.echo("installed; crmflags plugins list shows what they add")
