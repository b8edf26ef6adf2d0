"""The command line end to end on CSV bundles: output, writes, exit codes, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.tags import TAGS

CLIENTS = (
    "id;Name;email;hourly_rate_target;notes\n"
    'c-1;Késő Kft;a@example.hu;40,5;"line one\nline two"\n'
    "c-2;Rauha Oy;b@example.fi;50;\n"
)
LATE = "".join(
    f'c-1,inv-{m},2026-0{m}-01,2026-0{m}-15,2026-0{m + 1}-20,"1 000,00"\n' for m in range(1, 7)
)


def bundle(tmp_path: Path, invoices: str = LATE) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "clients.csv").write_bytes(("\ufeff" + CLIENTS).encode("utf-8"))
    (folder / "invoices.csv").write_text(
        "client_id,invoice_id,issued_on,due_on,paid_on,amount\n" + invoices, encoding="utf-8"
    )
    return folder


def run(*args, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, list(args), catch_exceptions=False)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch, tmp_path):
    monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)


def test_evaluate_json_follows_the_contract(tmp_path):
    result = run(
        "evaluate",
        "--connector",
        "csv",
        "--source",
        str(bundle(tmp_path)),
        "--as-of",
        "2026-11-20",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [c["id"] for c in document["clients"]] == ["c-1", "c-2"]
    late = document["clients"][0]
    assert late["name"] == "Késő Kft"
    assert late["tags"] == ["late_payer"] and late["level"] == "watch" and late["score"] == 4
    assert late["reasons"][0]["rule"] == "chronic-late-payment"
    assert document["summary"] == {"ok": 1, "watch": 1, "warning": 0, "fire": 0}


def test_evaluate_writes_nothing(tmp_path):
    folder = bundle(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for fmt in ("table", "json", "csv"):
        assert run("evaluate", "--source", str(folder), "--format", fmt).exit_code == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_sync_writes_changes_then_nothing_the_second_time(tmp_path):
    folder = bundle(tmp_path)
    first = run("sync", "--source", str(folder), "--as-of", "2026-11-20")
    assert first.exit_code == 0, first.stderr
    assert "2 changed" in first.stdout
    written = (folder / "clients.csv").read_bytes()
    assert written.startswith(
        b"\xef\xbb\xbfid;Name;email;hourly_rate_target;notes;risk_level;risk_score;"
    )
    assert (
        'c-1;Késő Kft;a@example.hu;40,5;"line one\nline two";watch;4;late_payer;'.encode()
        in written
    )
    stat = (folder / "clients.csv").stat()
    second = run("sync", "--source", str(folder), "--as-of", "2026-11-20")
    assert second.exit_code == 0 and "0 changed" in second.stdout
    assert (folder / "clients.csv").read_bytes() == written
    assert (folder / "clients.csv").stat().st_mtime_ns == stat.st_mtime_ns


def test_dry_run_prints_the_changes_and_writes_nothing(tmp_path):
    folder = bundle(tmp_path)
    before = (folder / "clients.csv").read_bytes()
    result = run("sync", "--source", str(folder), "--as-of", "2026-11-20", "--dry-run")
    assert result.exit_code == 0
    assert "c-1  risk_level: (empty) -> watch" in result.stdout
    assert "c-1  risk_tags: (empty) -> late_payer" in result.stdout
    assert "dry run:" in result.stdout and "nothing was written" in result.stdout
    assert (folder / "clients.csv").read_bytes() == before


def test_a_bad_row_fails_its_client_only_with_exit_1(tmp_path):
    folder = bundle(tmp_path, invoices=LATE + "c-2,inv-x,2026-13-01,2026-02-01,,100\n")
    result = run("sync", "--source", str(folder), "--as-of", "2026-11-20")
    assert result.exit_code == 1
    assert "failed: client c-2: " in result.stderr
    assert "invoices.csv:8: field issued_on" in result.stderr
    text = (folder / "clients.csv").read_text(encoding="utf-8-sig")
    assert ";watch;4;late_payer;" in text  # c-1 was written
    assert "c-2;Rauha Oy;b@example.fi;50;;;;;;\n" in text or text.rstrip().endswith(
        "c-2;Rauha Oy;b@example.fi;50;;;;;;"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["evaluate", "--source", "missing-folder"], "missing-folder"),
        (
            ["evaluate", "--connector", "cvs", "--source", "."],
            "no connector named 'cvs' (did you mean 'csv'?)",
        ),
        (["evaluate", "--connector", "hubspot"], "the hubspot connector needs a private app token"),
        (
            ["evaluate", "--source", ".", "--ruleset", "freelanser"],
            "no ruleset named 'freelanser' (did you mean 'freelancer'?)",
        ),
        (["evaluate"], "say which connector to use"),
    ],
)
def test_bad_input_is_one_message_and_exit_2(tmp_path, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_required_column_is_exit_2_and_nothing_written(tmp_path):
    folder = bundle(tmp_path)
    (folder / "invoices.csv").write_text(
        "client_id,invoice_id,issued_on,amount\nc-1,i,2026-01-01,5\n"
    )
    before = (folder / "clients.csv").read_bytes()
    result = run("sync", "--source", str(folder))
    assert result.exit_code == 2
    assert "invoices.csv" in result.stderr and "due_on" in result.stderr
    assert (folder / "clients.csv").read_bytes() == before


def test_a_bad_ruleset_names_file_and_line(tmp_path):
    rules = tmp_path / "mine.yaml"
    rules.write_text("rules:\n  - id: a\n    tag: late_payer\n    when: avg_days_lat > 3\n")
    result = run("evaluate", "--source", str(bundle(tmp_path)), "--ruleset", str(rules))
    assert result.exit_code == 2
    assert (
        f"{rules.resolve()}:4: unknown metric 'avg_days_lat' (did you mean 'avg_days_late'?)"
        in result.stderr
    )
    lint = run("rules", "lint", str(rules))
    assert lint.exit_code == 2 and "mine.yaml:4: unknown metric" in lint.stderr


def test_configuration_sets_params_time_zone_and_reports_its_own_errors(tmp_path):
    folder = bundle(tmp_path)
    config = tmp_path / "crmflags.yaml"
    config.write_text(
        textwrap.dedent(f"""\
        timezone: Europe/Helsinki
        csv:
          source: {folder.name}
        params:
          late_days: 60
    """)
    )
    result = run("--config", str(config), "evaluate", "--as-of", "2026-11-20", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["settings"]["timezone"] == "Europe/Helsinki"
    assert document["clients"][0]["tags"] == []  # 35 days late is under the configured 60
    config.write_text("timezone: Europe/Helsinki\nparams:\n  late_dys: 60\n")
    result = run("--config", str(config), "evaluate", "--source", str(folder))
    assert result.exit_code == 2
    assert (
        f"{config}:3: ruleset 'freelancer' has no param 'late_dys' (did you mean 'late_days'?)"
        in result.stderr
    )
    config.write_text("timezone: Mars/Olympus\n")
    assert (
        "crmflags.yaml:1: unknown time zone 'Mars/Olympus'"
        in run("--config", str(config), "evaluate", "--source", str(folder)).stderr
    )
    config.write_text("time_zone: Europe/Riga\n")
    assert (
        "unknown setting 'time_zone' (did you mean 'timezone'?)"
        in run("--config", str(config), "connectors").stderr
    )


def test_rules_list_show_and_lint_shipped(tmp_path):
    listing = run("rules", "list")
    assert listing.exit_code == 0 and "freelancer" in listing.stdout
    shown = run("rules", "show", "freelancer")
    assert "chronic-late-payment  tag late_payer, weight 4" in shown.stdout
    assert "late_days = 14" in shown.stdout
    lint = run("rules", "lint")
    assert lint.exit_code == 0 and "ok   freelancer" in lint.stdout


def test_connectors_lists_builtins_with_their_distribution():
    result = run("connectors", "--format", "json")
    rows = {row["name"]: row for row in json.loads(result.stdout)["connectors"]}
    assert {"csv", "hubspot", "pipedrive"} <= set(rows)
    assert rows["csv"]["distribution"] == "crmflags"


def test_demo_from_any_directory_in_a_subprocess(tmp_path):
    scratch = tmp_path / "demo"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "crmflags", "demo", "--dir", str(scratch)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert f"copied to {scratch}" in result.stdout
    assert "0 failed" in result.stdout
    header = (scratch / "clients.csv").read_text(encoding="utf-8-sig").splitlines()[0].lower()
    assert "risk_level" in header and "risk_changed_at" in header
    assert list(elsewhere.iterdir()) == []
    again = subprocess.run(
        [sys.executable, "-m", "crmflags", "demo", "--dir", str(scratch)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 2 and "must be empty or new" in again.stderr


def test_sample_data_shows_every_level_and_every_freelancer_tag(tmp_path):
    from crmflags.cli.demo import SAMPLE_AS_OF, prepare

    folder, config = prepare(str(tmp_path / "demo"))
    result = run(
        "--config", str(config), "evaluate", "--as-of", str(SAMPLE_AS_OF), "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert len(document["clients"]) >= 25
    assert all(count >= 2 for count in document["summary"].values()), document["summary"]
    raised = {tag for c in document["clients"] for tag in c["tags"]}
    rules_fired = {r["rule"] for c in document["clients"] for r in c["reasons"]}
    shown = run("rules", "show", "freelancer").stdout
    every_rule = {line.split()[0] for line in shown.splitlines() if ", weight " in line}
    assert rules_fired == every_rule
    assert raised == set(TAGS)


def test_a_ruleset_path_in_the_configuration_is_relative_to_the_configuration(tmp_path):
    folder = bundle(tmp_path)
    home = tmp_path / "settings"
    home.mkdir()
    (home / "strict.yaml").write_text(
        "extends: freelancer\nparams: {late_days: 1, min_paid_invoices: 1}\n", encoding="utf-8"
    )
    (home / "crmflags.yaml").write_text(f"ruleset: strict.yaml\ncsv:\n  source: {folder}\n")
    result = run("--config", str(home / "crmflags.yaml"), "evaluate", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ruleset"] == "strict"


def test_a_second_sync_of_clients_without_any_tag_writes_nothing(tmp_path):
    folder = tmp_path / "calm"
    folder.mkdir()
    (folder / "clients.csv").write_text("id,name\nc1,A\nc2,B\n", encoding="utf-8")
    assert run("sync", "--source", str(folder)).exit_code == 0
    written = (folder / "clients.csv").read_bytes()
    assert written.startswith(
        b"id,name,risk_level,risk_score,risk_tags,risk_reasons,risk_changed_at\n"
    )
    mtime = (folder / "clients.csv").stat().st_mtime_ns
    again = run("sync", "--source", str(folder), "--dry-run")
    assert "0 would change" in again.stdout and "->" not in again.stdout
    assert run("sync", "--source", str(folder)).exit_code == 0
    assert (folder / "clients.csv").read_bytes() == written
    assert (folder / "clients.csv").stat().st_mtime_ns == mtime


def test_an_as_of_run_is_reproducible(tmp_path):
    folder = bundle(tmp_path)
    args = ("evaluate", "--source", str(folder), "--as-of", "2026-11-20", "--format", "json")
    first, second = run(*args), run(*args)
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["evaluated_at"].startswith("2026-11-20T23:59:59")


def test_a_secret_written_in_the_configuration_is_refused_without_echoing_it(tmp_path):
    config = tmp_path / "crmflags.yaml"
    config.write_text("hubspot:\n  portal: 42\n  token: pat-eu1-0123456789abcdef\n")
    result = run("--config", str(config), "connectors")
    assert result.exit_code == 2
    assert f"{config}:3: 'token': secrets never go in crmflags.yaml" in result.stderr
    assert "0123456789abcdef" not in result.stderr + result.stdout
    config.write_text("hubspot:\n  token_file: ~/.config/crmflags/hubspot-token\n")
    assert run("--config", str(config), "connectors").exit_code == 0


def test_config_is_accepted_after_the_command_too(tmp_path):
    folder = bundle(tmp_path)
    config = tmp_path / "elsewhere.yaml"
    config.write_text(f"timezone: Europe/Riga\ncsv:\n  source: {folder}\n")
    result = run("evaluate", "--config", str(config), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["settings"]["timezone"] == "Europe/Riga"
    assert run("rules", "show", "freelancer", "--config", str(config)).exit_code == 0


def test_a_broken_plugin_is_named_and_the_command_still_works(tmp_path, installed):
    class BrokenEntryPoint:
        name = "airtable"

        class dist:
            metadata = {"Name": "crmflags-airtable"}
            version = "0.3"

        def load(self):
            raise ImportError("No module named 'pyairtable'")

    installed.append(BrokenEntryPoint())
    folder = bundle(tmp_path)
    (folder / "notes.csv").write_text("client_id,created_at,body\nx-9,2026-11-01,hello\n")
    result = run("evaluate", "--source", str(folder), "--format", "json")
    assert result.exit_code == 0
    assert (
        "plugin airtable (crmflags-airtable 0.3) skipped: failed to load: ImportError"
        in result.stderr
    )
    assert "notes.csv: 1 row for clients not in clients.csv (x-9)" in result.stderr
    assert json.loads(result.stdout)["summary"]["watch"] == 1


def test_source_goes_to_the_only_configured_connector_before_csv(tmp_path, monkeypatch):
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    config = tmp_path / "crmflags.yaml"
    config.write_text("hubspot:\n  portal: acme\n")
    result = CliRunner().invoke(
        cli, ["--config", str(config), "evaluate", "--source", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "hubspot connector needs a private app token" in result.stderr  # not csv
    config.write_text("")
    result = CliRunner().invoke(
        cli, ["--config", str(config), "evaluate", "--source", str(tmp_path / "none")]
    )
    assert result.exit_code == 2 and "none" in result.stderr  # csv: no such folder


def test_connectors_say_which_read_only_what_changed():
    listed = CliRunner().invoke(cli, ["connectors", "--format", "json"])
    found = {row["name"]: row["incremental"] for row in json.loads(listed.stdout)["connectors"]}
    assert found["csv"] is False and found["hubspot"] is True and found["pipedrive"] is True
    lines = CliRunner().invoke(cli, ["connectors"]).stdout.splitlines()
    assert any(line.startswith("pipedrive") and " incremental " in line for line in lines)


def test_a_misspelt_connector_in_the_configuration_names_its_line(tmp_path):
    config = tmp_path / "crmflags.yaml"
    config.write_text("timezone: Europe/Riga\nconnector: pipdrive\n")
    result = CliRunner().invoke(cli, ["--config", str(config), "evaluate"])
    assert result.exit_code == 2
    assert f"{config}:2: no connector named 'pipdrive' (did you mean 'pipedrive'?)" in (
        result.stderr
    )
