"""``crmflags keep``: a person's edit of a risk field is accepted, and drift stops warning.

Without it a hand edit warns every night forever, and the only way out,
``--overwrite-drift``, throws the person's value away.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.sync.state import StateStore

AS_OF = str(SAMPLE_AS_OF)
DRIFT = "drift: client c-06 risk_tags was changed in the source to 'reviewed by Anna'"


@pytest.fixture
def book(tmp_path, monkeypatch):
    """The sample bundle synced once, then c-06's tags edited by hand (late_payer -> a note)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
    folder, config = prepare(str(tmp_path / "book"))
    assert run(config, "sync", "--as-of", AS_OF).exit_code == 0
    edit(folder, b";late_payer;", b";reviewed by Anna;")
    return folder, config


def run(config, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def edit(folder, old: bytes, new: bytes) -> None:
    path = folder / "clients.csv"
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


def tags_of(folder, client_id: str) -> str:
    import csv

    text = (folder / "clients.csv").read_text(encoding="utf-8-sig")
    rows = {r["ID"]: r for r in csv.DictReader(text.splitlines(keepends=True), delimiter=";")}
    return rows[client_id]["risk_tags"]


def test_a_kept_edit_stays_and_stops_the_warning(book):
    folder, config = book
    warned = run(config, "sync", "--as-of", AS_OF)
    assert DRIFT in warned.stderr and "crmflags keep c-06 risk_tags stops this" in warned.stderr
    kept = run(config, "keep", "c-06", "tags")
    assert kept.exit_code == 0, kept.output
    assert "kept: client c-06 risk_tags stays 'reviewed by Anna' (crmflags would write " in (
        kept.stdout
    )
    assert "recorded as run 3" in kept.stdout
    for _ in range(2):
        quiet = run(config, "sync", "--as-of", AS_OF)
        assert quiet.exit_code == 0
        assert "drift" not in quiet.stderr and "0 drifted" in quiet.stdout
        assert tags_of(folder, "c-06") == "reviewed by Anna"
    dry = json.loads(run(config, "sync", "--as-of", AS_OF, "--dry-run", "--format", "json").stdout)
    assert dry["drift"] == [] and dry["changes"] == []
    assert dry["kept"] == [
        {
            "client_id": "c-06",
            "field": "risk_tags",
            "crmflags_wrote": "late_payer",
            "source_has": "reviewed by Anna",
            "crmflags_wants": "late_payer",
        }
    ]
    listed = run(config, "runs").stdout
    assert "keep of c-06 risk_tags" in listed and "kept_edits 1" in listed
    audit = run(config, "runs", "3").stdout
    assert "c-06  risk_tags: kept 'reviewed by Anna' (crmflags would write 'late_payer')" in audit
    found = run(config, "runs", "2").stdout
    assert "c-06  risk_tags: edited by hand to 'reviewed by Anna', left as it is" in found


def test_the_warning_comes_back_when_the_evaluation_changes(book):
    folder, config = book
    run(config, "sync", "--as-of", AS_OF)
    assert run(config, "keep", "c-06").exit_code == 0  # every edit the last sync found
    with open(folder / "notes.csv", "a", encoding="utf-8") as notes:
        notes.write("c-06,2026-11-10T10:00,He said he would make us regret it.,threat\n")
    changed = run(config, "sync", "--as-of", AS_OF)
    assert DRIFT in changed.stderr
    assert "(crmflags wrote 'late_payer')" in changed.stderr
    assert tags_of(folder, "c-06") == "reviewed by Anna"  # still the person's value
    with StateStore(folder / "state.db") as store:
        assert store.keeps(f"csv:{folder}") == {}  # the keep lapsed with the evaluation


def test_the_warning_comes_back_when_the_field_is_edited_again(book):
    folder, config = book
    run(config, "sync", "--as-of", AS_OF)
    run(config, "keep", "c-06", "risk_tags")
    edit(folder, b";reviewed by Anna;", ";reviewed by Béla;".encode())
    again = run(config, "sync", "--as-of", AS_OF)
    assert "risk_tags was changed in the source to 'reviewed by Béla'" in again.stderr


def test_keep_refuses_what_it_cannot_keep_and_can_be_taken_back(book):
    _, config = book
    run(config, "sync", "--as-of", AS_OF)
    clean = run(config, "keep", "c-01")
    assert clean.exit_code == 2
    assert "the last sync (run 2) found no hand edit of client 'c-01'" in clean.stderr
    wrong = run(config, "keep", "c-06", "levle")
    assert wrong.exit_code == 2 and "did you mean 'risk_level'" in wrong.stderr
    not_edited = run(config, "keep", "c-06", "level")
    assert not_edited.exit_code == 2 and "risk_level; nothing to keep" in not_edited.stderr
    assert run(config, "keep", "c-06").exit_code == 0
    assert "0 drifted" in run(config, "sync", "--as-of", AS_OF).stdout
    removed = run(config, "keep", "c-06", "--remove")
    assert removed.exit_code == 0 and "no longer kept: client c-06" in removed.stdout
    assert DRIFT in run(config, "sync", "--as-of", AS_OF).stderr
    assert run(config, "keep", "c-06", "--remove").exit_code == 2


def test_overwrite_drift_takes_a_kept_field_back_too(book):
    folder, config = book
    run(config, "sync", "--as-of", AS_OF)
    run(config, "keep", "c-06")
    run(config, "sync", "--as-of", AS_OF, "--overwrite-drift")
    assert tags_of(folder, "c-06") == "late_payer"
    with StateStore(folder / "state.db") as store:
        assert store.keeps(f"csv:{folder}") == {}
