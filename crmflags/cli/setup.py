"""Getting started: ``crmflags init`` (a commented starter configuration), ``crmflags setup``
(the risk fields in the source) and ``crmflags schedule`` (cron, systemd)."""

from __future__ import annotations

import logging
import re
import shlex
import shutil
import sys
from pathlib import Path

import click

from crmflags.cli.common import connector_options, get_app
from crmflags.errors import InputError
from crmflags.loading.config import CONFIG_NAME, find_config

logger = logging.getLogger("crmflags")

STARTER = """\
# crmflags configuration. Every setting is optional; see docs/getting-started.md.
# Secrets never go in this file: CRM tokens come from the environment
# (HUBSPOT_TOKEN, PIPEDRIVE_API_TOKEN, ...) or from a file you name.

connector: {connector}          # csv, hubspot, pipedrive (crmflags connectors lists them)
ruleset: {ruleset}         # base, freelancer, creative-agency, software-consultancy,
                               # law-firm, construction, or a path to your own .yaml

timezone: {timezone}{timezone_note}
language: en                   # en, hu, fi, lv: the language of reasons and advice
# currency: EUR                # your reporting currency, when you invoice in several
# exchange_rates:              # one unit of each other currency in it
#   HUF: 0.0025
business_hours:
  start: "08:00"
  end: "18:00"
  days: [mon, tue, wed, thu, fri]

# windows:                     # how far back metrics look, in days
#   activity_days: 90          # calls, emails, hours, notes
#   billing_days: 365          # invoices

# params:                      # change a ruleset's thresholds (crmflags rules show NAME)
#   late_days: 21

# state: state.db              # the state store (runs, history, audit); relative to this file.
#                              # Default: ~/.local/state/crmflags/state.db
# full_read_days: 7            # CRMs read only what changed; everything every 7 days.

# webhook:                     # tell another system when a client's level changes
#   url: https://hooks.example.com/crmflags
#   levels: [warning, fire]
#   secret_env: CRMFLAGS_WEBHOOK_SECRET   # name of the variable holding the signing secret

csv:
  source: {source}             # the folder of the CSV bundle, relative to this file
#  columns:                    # your own column names, per file
#    clients.csv: {{id: "Client ID", name: "Company"}}

# hubspot:                     # docs/connectors/hubspot.md; token in HUBSPOT_TOKEN
#   portal: "12345678"         # your portal id: keeps this portal's history apart
# pipedrive:                   # docs/connectors/pipedrive.md; token in PIPEDRIVE_API_TOKEN
#   domain: mycompany          # as in https://mycompany.pipedrive.com
"""


@click.command()
@click.option(
    "--path",
    "target",
    metavar="PATH",
    help=f"Where to write the configuration (default: --config, else ./{CONFIG_NAME}).",
)
@click.option("--connector", default="csv", show_default=True, help="The connector to use.")
@click.option("--ruleset", default="freelancer", show_default=True, help="The ruleset to use.")
@click.option(
    "--source",
    default="./exports",
    show_default=True,
    metavar="DIR",
    help="The CSV bundle's folder (csv connector).",
)
@click.option(
    "--timezone",
    "zone",
    metavar="NAME",
    help="The business's time zone (IANA name); default: proposed from the bundle's "
    "timestamps, or asked.",
)
@click.pass_context
def init(ctx, target, connector, ruleset, source, zone):
    """Write a commented starter crmflags.yaml (never over an existing file).

    The time zone is proposed from the offsets the CSV bundle's timestamps carry
    (``+01:00`` in winter and ``+02:00`` in summer fit Europe/Budapest); on a terminal
    you are asked to confirm it or give another.
    """
    path = Path(target or ctx.find_root().obj.get("config") or CONFIG_NAME)
    if path.exists():
        raise InputError(
            "there is a file here already; crmflags init never overwrites one", str(path)
        )
    zone, note = _time_zone(ctx, zone, connector, source)
    text = STARTER.format(
        connector=connector,
        ruleset=ruleset,
        timezone=zone,
        timezone_note=f"  # {note}" if note else "",
        source=source,
    )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write it ({exc.strerror})", str(path)) from None
    click.echo(f"wrote {path}; edit it, then try: crmflags --config {path} sync --dry-run")


def _time_zone(ctx: click.Context, given: str | None, connector: str, source: str):
    """Return the zone to write and a comment saying where it comes from."""
    from crmflags.loading.zones import guess_zone
    from crmflags.settings import local_timezone

    if given:
        return _checked_zone(given), ""
    guess = guess_zone(_timestamps(ctx, connector, source)) if connector == "csv" else None
    machine = local_timezone()[1]
    if guess and guess.zone:
        proposal = guess.zone
        note = f"from the offsets in the data ({', '.join(guess.offsets)})"
        if guess.others:
            note += f"; they also fit {', '.join(guess.others)}"
    else:
        proposal = machine
        note = "the machine's zone: the data's timestamps do not tell; check it"
    if _interactive():
        while True:
            answer = click.prompt(f"Time zone of the business ({note})", default=proposal)
            try:
                return _checked_zone(answer), ""
            except InputError as exc:
                click.echo(str(exc), err=True)
    click.echo(f"timezone: {proposal} ({note})")
    return proposal, note


def _checked_zone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Budapest)"
        ) from None
    return name


def _timestamps(ctx: click.Context, connector: str, source: str):
    """Yield the activities' and notes' timestamps of the bundle, if it can be read."""
    from crmflags.errors import CrmflagsError

    if not Path(source).is_dir():
        return
    try:
        for client in get_app(ctx).connector(connector, source, None).read():
            for activity in getattr(client, "activities", ()):
                yield activity.occurred_at
            for note in getattr(client, "notes", ()):
                yield note.created_at
    except CrmflagsError:
        return  # a bundle with errors: the zone is asked or the machine's


def _interactive() -> bool:
    """Tell whether someone at a terminal can answer a question."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@click.command()
@connector_options
@click.pass_context
def setup(ctx, connector, source, base_url):
    """Create in the source what crmflags needs to store risk fields (e.g. HubSpot properties).

    Safe to run again: what is there is left as it is, and only what is missing is
    added. Prints one line per thing created or changed.
    """
    lines = get_app(ctx).connector(connector, source, base_url).setup()
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo("nothing to do: everything is in place")


@click.command()
@click.option(
    "--at",
    "at",
    default="02:17",
    show_default=True,
    metavar="HH:MM",
    help="Time of day to run the sync (the machine's local time).",
)
@click.option(
    "--log-file", metavar="PATH", help="Log file (default: crmflags.log beside the configuration)."
)
@click.option(
    "--env-file",
    metavar="PATH",
    help="A file of VAR=value lines with the CRM token (kept out of crontab and units).",
)
@click.pass_context
def schedule(ctx, at, log_file, env_file):
    """Print the crontab line and systemd units that run the sync every night.

    Uses the absolute paths of this installation and of the configuration
    (--config, $CRMFLAGS_CONFIG or ./crmflags.yaml). Prints; installs nothing.
    """
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", at)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f"--at must be a time of day such as 02:17, not {at!r}")
    hour, minute = int(match[1]), int(match[2])
    config = find_config(ctx.find_root().obj.get("config"))
    if config is None or not config.is_file():
        raise InputError("no crmflags.yaml to schedule: run crmflags init, or give --config PATH")
    config = config.resolve()
    log = Path(log_file).expanduser().resolve() if log_file else config.parent / "crmflags.log"
    beside_python = Path(sys.executable).with_name("crmflags")
    program = (
        shlex.quote(str(beside_python))
        if beside_python.is_file()
        else shutil.which("crmflags") or f"{shlex.quote(sys.executable)} -m crmflags"
    )
    command = (
        f"{program} --config {shlex.quote(str(config))} --log-file {shlex.quote(str(log))} sync"
    )
    env = Path(env_file).expanduser().resolve() if env_file else None
    if env is not None and not env.is_file():
        logger.warning(
            "--env-file %s is not a file: cron and systemd will fail to start the sync "
            "until it holds the CRM token (see docs/scheduling.md)",
            env,
        )
    # cron's sh: `set -a` exports the VAR=value lines the file sets.
    cron_env = f"set -a && . {shlex.quote(str(env))} && set +a && " if env else ""
    cron_line = f"{cron_env}{command}".replace("%", "\\%")  # cron reads % as a newline
    unit_command = command.replace("%", "%%")  # systemd reads % as a specifier
    click.echo(f"""# cron: run `crontab -e` and add this line (every day at {hour:02d}:{minute:02d}):
{minute} {hour} * * * {cron_line}

# systemd: save as ~/.config/systemd/user/crmflags-sync.service
[Unit]
Description=crmflags sync of {config}

[Service]
Type=oneshot
WorkingDirectory={str(config.parent).replace("%", "%%")}
{f"EnvironmentFile={env}" if env else "# EnvironmentFile=/path/to/crmflags.env   (CRM token as VAR=value)"}
ExecStart={unit_command}

# and as ~/.config/systemd/user/crmflags-sync.timer
[Unit]
Description=Run the crmflags sync every day

[Timer]
OnCalendar=*-*-* {hour:02d}:{minute:02d}:00
Persistent=true

[Install]
WantedBy=timers.target

# then: systemctl --user daemon-reload && systemctl --user enable --now crmflags-sync.timer
#       (and `loginctl enable-linger $USER` so it runs while you are logged out)""")
