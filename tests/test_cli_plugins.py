"""crmflags plugins list and install."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from crmflags.cli import cli


def test_plugins_list_names_each_plugin_and_what_it_adds():
    result = CliRunner().invoke(cli, ["plugins", "list", "--format", "json"])
    assert result.exit_code == 0
    rows = {row["plugin"]: row for row in json.loads(result.stdout)["plugins"]}
    assert rows["csv"]["adds"][0] == "connector csv"
    assert rows["csv"]["adds"][1].startswith("csv presets in ")
    assert rows["rulesets"]["adds"][0].startswith("rulesets in ")
    assert rows["webhook"]["distribution"] == "crmflags"


def test_plugins_install_runs_pip_of_this_python(monkeypatch):
    calls = []

    def fake_run(command, check):
        calls.append(command)
        return subprocess.CompletedProcess(command, 0 if "crmflags-good" in command else 1)

    monkeypatch.setattr(subprocess, "run", fake_run)
    ok = CliRunner().invoke(cli, ["plugins", "install", "crmflags-good", "-U"])
    assert ok.exit_code == 0
    assert calls[0] == [sys.executable, "-m", "pip", "install", "--upgrade", "crmflags-good"]
    bad = CliRunner().invoke(cli, ["plugins", "install", "crmflags-missing"])
    assert bad.exit_code == 2 and "pip could not install crmflags-missing" in bad.stderr
