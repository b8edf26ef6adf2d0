"""The example plugin in examples/crmflags-sqlite: its connector, and a real install of it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crmflags.connector import ClientChange, ConnectorOptions
from crmflags.loading.plugins import PluginInfo, Plugins, new_manager
from crmflags.model import RISK_FIELDS, RecordFailure

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "crmflags-sqlite"


@pytest.fixture
def plugin(monkeypatch):
    """The example package imported from its source folder."""
    monkeypatch.syspath_prepend(str(EXAMPLE))
    import crmflags_sqlite

    return crmflags_sqlite


@pytest.fixture
def database(plugin, tmp_path):
    """The demo database in a temporary folder."""
    from crmflags_sqlite.demo import make_demo_database

    return make_demo_database(tmp_path / "clients.db")


def connector_for(plugin, database, settings):
    plugins = Plugins(new_manager())
    plugins.add(plugin, PluginInfo("sqlite", "crmflags-sqlite", "0.1.0"))
    assert plugins.problems == []
    assert [p.name for p, _ in plugins.ruleset_paths] == ["rulesets"]
    connector_class, _ = plugins.connectors["sqlite"]
    return connector_class(ConnectorOptions(settings=settings, source=database))


def risk_row(database, client_id):
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT risk_level, risk_score, risk_tags FROM clients WHERE id = ?", (client_id,)
        ).fetchone()
    connection.close()
    return row


def test_reads_clients_with_history(plugin, database, settings):
    connector = connector_for(plugin, database, settings)
    clients = list(connector.read())
    assert [c.id for c in clients] == ["c1", "c2", "c3"]
    harbor = clients[1]
    assert harbor.gut_feeling is True and harbor.team_morale == 2
    assert len(harbor.invoices) == 8 and harbor.invoices[-1].paid_on is None
    assert harbor.activities[0].occurred_at.tzinfo is settings.timezone
    assert harbor.notes[0].marker == "competitor"
    assert harbor.risk == dict.fromkeys(RISK_FIELDS)
    assert connector.source_key() == f"sqlite:{database.resolve()}"


def test_writes_only_the_given_columns_and_fails_unknown_ids(plugin, database, settings):
    connector = connector_for(plugin, database, settings)
    report = connector.write(
        [
            ClientChange("c1", {"risk_level": "watch"}),
            ClientChange("nobody", {"risk_level": "fire"}),
        ]
    )
    assert report.written == 1
    assert report.failures == [RecordFailure("nobody", "no client with this id in clients")]
    assert risk_row(database, "c1") == ("watch", None, None)
    assert risk_row(database, "c2") == (None, None, None)


def test_bad_row_fails_its_client_naming_table_rowid_and_column(plugin, database, settings):
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE invoices SET due_on = 'soon' WHERE invoice_id = 'N-05'")
    connection.close()
    records = list(connector_for(plugin, database, settings).read())
    failure = records[2]
    assert isinstance(failure, RecordFailure) and failure.client_id == "c3"
    assert "invoices rowid" in failure.reason and "column due_on: 'soon'" in failure.reason


def test_setup_adds_missing_risk_columns_once(plugin, tmp_path, settings):
    database = tmp_path / "own.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE clients (id TEXT, name TEXT, risk_level TEXT)")
    connection.close()
    connector = connector_for(plugin, database, settings)
    done = connector.setup()
    added = [line.split()[2] for line in done]
    assert added == [f"clients.{column}" for column in RISK_FIELDS[1:]]
    assert connector.setup() == []


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("CRMFLAGS_SKIP_VENV_TESTS") == "1",
    reason="CRMFLAGS_SKIP_VENV_TESTS=1: no fresh virtual environment for the example plugin",
)
def test_installs_into_a_fresh_venv_and_syncs(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=600)
    bin_dir = venv / "bin"
    # As script/bootstrap installs: the define durable-rules needs on Python 3.13, no pip cache.
    cppflags = " ".join(["-DPyEval_CallObject=PyObject_CallObject", os.environ.get("CPPFLAGS", "")])
    subprocess.run(
        [str(bin_dir / "pip"), "install", "--quiet", "--no-cache-dir", str(ROOT), str(EXAMPLE)],
        check=True,
        timeout=600,
        env={**os.environ, "CPPFLAGS": cppflags.strip()},
    )
    env = {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "CRMFLAGS_LOAD_PLUGINS": "sqlite",
    }

    def crmflags(*args):
        return subprocess.run(
            [str(bin_dir / "crmflags"), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
        )

    listed = json.loads(crmflags("connectors", "--format", "json").stdout)["connectors"]
    assert {"name": "sqlite", "distribution": "crmflags-sqlite", "version": "0.1.0"}.items() <= (
        next(c for c in listed if c["name"] == "sqlite").items()
    )

    subprocess.run(
        [str(bin_dir / "python"), "-m", "crmflags_sqlite.demo", "clients.db"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    config = tmp_path / "crmflags.yaml"
    config.write_text(
        "connector: sqlite\ntimezone: Europe/Budapest\nsqlite:\n  database: clients.db\n",
        encoding="utf-8",
    )
    first = crmflags("--config", str(config), "sync", "--as-of", "2026-11-20")
    assert first.returncode == 0, first.stderr
    assert "3 changed" in first.stdout
    assert risk_row(tmp_path / "clients.db", "c2")[0] == "fire"
    second = crmflags("--config", str(config), "sync", "--as-of", "2026-11-20")
    assert second.returncode == 0, second.stderr
    assert "0 changed" in second.stdout

    rules = crmflags("rules", "list").stdout
    assert any(line.split()[:2] == ["studio", "crmflags-sqlite"] for line in rules.splitlines())


def test_the_example_connector_passes_the_conformance_kit(plugin, tmp_path, settings):
    from crmflags_sqlite.demo import make_demo_database

    from crmflags.testing import run_conformance

    database = make_demo_database(tmp_path / "kit.db")
    empty = tmp_path / "empty.db"
    with sqlite3.connect(empty) as connection:
        connection.executescript((EXAMPLE / "crmflags_sqlite" / "schema.sql").read_text())
        connection.execute("DELETE FROM clients")
    connection.close()
    passed = run_conformance(
        lambda: connector_for(plugin, database, settings),
        make_empty_connector=lambda: connector_for(plugin, empty, settings),
    )
    assert "check_writes_only_what_asked" in passed and "check_empty_source" in passed
