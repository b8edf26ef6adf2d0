"""The suite loads only crmflags' own plugins and the test's, whatever else is installed.

A deliberately broken plugin distribution is installed into a folder put on
``sys.path`` (a ``.dist-info`` with an entry point in the ``crmflags`` group, as pip
would leave it): under the suite's settings it does not leak into plugin loading, in
this process or in a subprocess; without them it is found, so the test is not vacuous.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from crmflags.loading.plugins import LOAD_ENV, load_plugins


@pytest.fixture
def broken_dist(tmp_path, monkeypatch):
    """Install ``crmflags-broken`` (entry point ``broken``), whose import raises, on sys.path."""
    site = tmp_path / "site"
    info = site / "crmflags_broken-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: crmflags-broken\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[crmflags]\nbroken = crmflags_broken\n")
    (site / "crmflags_broken.py").write_text('raise RuntimeError("this plugin is broken")\n')
    monkeypatch.syspath_prepend(str(site))
    return site


def test_the_broken_plugin_is_really_installed(broken_dist, monkeypatch):
    monkeypatch.delenv(LOAD_ENV)
    (problem,) = load_plugins().problems
    assert (problem.plugin.name, problem.plugin.distribution) == ("broken", "crmflags-broken")
    assert problem.message == "failed to load: RuntimeError: this plugin is broken"


def test_the_suite_does_not_load_it(broken_dist):
    loaded = load_plugins()
    assert loaded.problems == []
    assert "broken" not in loaded.infos
    assert {"csv", "hubspot", "pipedrive"} <= set(loaded.connectors)


def test_naming_it_loads_it_again(broken_dist, monkeypatch):
    monkeypatch.setenv(LOAD_ENV, "crmflags-broken")
    assert [p.plugin.name for p in load_plugins().problems] == ["broken"]


def test_a_subprocess_of_the_suite_does_not_load_it(broken_dist):
    path = os.pathsep.join([str(broken_dist), *sys.path])
    result = subprocess.run(
        [sys.executable, "-m", "crmflags", "connectors", "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["problems"] == []
    assert "broken" not in result.stderr
