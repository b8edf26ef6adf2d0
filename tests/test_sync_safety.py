"""A sync under attack keeps the human decisions: the removal valve, tombstones, lost stores.

Each test reproduces one way a sync used to wipe snoozes, acks and hand edits with exit 0:
a source that answers with (almost) nobody, a client that leaves and comes back, a state
store deleted, emptied, damaged or replaced, and checks that the sync now stops first.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_hubspot_incremental import portal as portal  # noqa: F401  (a fake portal's fixture)
from test_hubspot_incremental import run as run_crm
from test_snapshot import book as book  # noqa: F401  (the memory connector's fixture)
from test_snapshot import levels

from crmflags.cli import cli
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.errors import InputError
from crmflags.loading.config import load_config
from crmflags.sync.safeguards import check_removals
from crmflags.sync.state import StateStore
from crmflags.sync.state.records import Result

AS_OF = str(SAMPLE_AS_OF)


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    """The sample bundle in a scratch folder (30 clients), synced once, c-06 snoozed."""
    monkeypatch.chdir(tmp_path)
    folder, config = prepare(str(tmp_path / "book"))
    assert run(config, "sync").exit_code == 0
    assert run(config, "snooze", "c-06", "late_payer", "--until", "2027-06-01").exit_code == 0
    assert run(config, "sync").exit_code == 0  # the snoozed tag is taken back
    assert rows(folder)["c-06"]["risk_tags"] == ""
    return folder, config


def run(config: Path, *args: str):
    if args and args[0] == "sync":
        args = (*args, "--as-of", AS_OF)
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def rows(folder: Path) -> dict[str, dict[str, str]]:
    text = (folder / "clients.csv").read_text(encoding="utf-8-sig")
    return {row["ID"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}


def edit_clients(folder: Path, edit) -> bytes:
    """Save clients.csv as a person would after ``edit(table)`` changed its rows (a list of
    lists, the header first); return the bytes saved."""
    path = folder / "clients.csv"
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    edit(table)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(table)
    return path.read_bytes()


def set_field(folder: Path, client_id: str, column: str, value: str) -> bytes:
    """Set one cell of clients.csv by hand; return the bytes saved."""

    def edit(table):
        next(row for row in table if row[0] == client_id)[table[0].index(column)] = value

    return edit_clients(folder, edit)


def keep_only(folder: Path, keep) -> list[str]:
    """Rewrite clients.csv with the rows whose id ``keep`` accepts; return the ids dropped."""
    dropped = []

    def edit(table):
        dropped.extend(row[0] for row in table[1:] if not keep(row[0]))
        table[1:] = [row for row in table[1:] if keep(row[0])]

    edit_clients(folder, edit)
    return dropped


def decisions(folder: Path) -> tuple[int, list[str]]:
    """Return how many clients have a last result, and the clients with a snooze."""
    with StateStore(folder / "state.db") as store:
        source = store.sources()[0]
        return len(store.last_results(source)), [s.client_id for s in store.snoozes(source)]


# -- the removal valve -----------------------------------------------------------


def test_an_empty_export_forgets_nobody_and_stops_with_the_numbers(bundle):
    folder, config = bundle
    keep_only(folder, lambda cid: False)
    stopped = run(config, "sync")
    assert stopped.exit_code == 2, stopped.output
    assert "this sync would forget 30 of the 30 clients" in stopped.stderr
    assert (
        "(100%; max_removals allows 20%)" in stopped.stderr and "--allow-removals" in stopped.stderr
    )
    assert decisions(folder) == (30, ["c-06"])
    # The dry run tells the same, and `runs` shows the stopped run and why.
    assert run(config, "sync", "--dry-run").exit_code == 2
    listed = run(config, "runs", "3")
    header, row = listed.stdout.splitlines()[:2]
    assert row[header.index("EXIT") :].split()[0] == "2"
    assert "would forget 30 of the 30" in listed.stdout


def test_removals_within_the_share_pass_beyond_it_stop_until_allowed(bundle):
    folder, config = bundle
    gone = keep_only(folder, lambda cid: cid not in {"c-01", "c-02", "c-03", "c-04", "c-05"})
    passed = run(config, "sync")  # 5 of 30: 17%
    assert passed.exit_code == 0, passed.output
    assert decisions(folder)[0] == 25
    more = keep_only(folder, lambda cid: int(cid[2:]) > 11)  # 6 more of the 25: 24%
    stopped = run(config, "sync")
    assert stopped.exit_code == 2 and "forget 6 of the 25 clients" in stopped.stderr
    assert decisions(folder) == (25, ["c-06"])
    (folder / "crmflags.yaml").write_text(
        (folder / "crmflags.yaml").read_text() + "max_removals: 30%\n"
    )
    assert run(config, "sync").exit_code == 0
    assert decisions(folder) == (19, [])  # c-06 left: its snooze is no longer in force
    assert gone and more


def test_allow_removals_forgets_them_and_they_get_their_decisions_back_on_return(bundle):
    folder, config = bundle
    full = (folder / "clients.csv").read_bytes()
    keep_only(folder, lambda cid: False)
    allowed = run(config, "sync", "--allow-removals")
    assert allowed.exit_code == 0, allowed.output
    assert decisions(folder) == (0, [])
    (folder / "clients.csv").write_bytes(full)  # the export is whole again
    back = run(config, "sync")
    assert back.exit_code == 0, back.output
    assert "30 client(s) came back" in back.stderr
    assert decisions(folder) == (30, ["c-06"])
    assert rows(folder)["c-06"]["risk_tags"] == ""  # the snoozed tag stays down


def test_an_incremental_source_that_answers_with_nobody_forgets_nobody(book, tmp_path):  # noqa: F811
    assert sync_memory().exit_code == 0
    first = next(iter(book.clients))
    with StateStore(tmp_path / "state.db") as store:
        store.snooze("memory", first, None, date(2030, 1, 1))
    for client_id in list(book.clients):
        book.delete(client_id)  # every removal comes back in one incremental read
    stopped = sync_memory()
    assert stopped.exit_code == 2 and "forget 30 of the 30 clients of memory" in stopped.stderr
    book_full = sync_memory("--full")
    assert book_full.exit_code == 2
    assert len(levels(tmp_path)) == 30
    with StateStore(tmp_path / "state.db") as store:
        assert [s.client_id for s in store.snoozes("memory")] == [first]
        assert len(dict(store.snapshot_clients("memory"))) == 30


def test_a_client_deleted_and_restored_in_the_crm_keeps_its_snooze(book, tmp_path):  # noqa: F811
    assert sync_memory().exit_code == 0
    gone = list(book.clients)[4]
    with StateStore(tmp_path / "state.db") as store:
        store.snooze("memory", gone, None, date(2030, 1, 1))
    assert sync_memory().exit_code == 0
    assert book.clients[gone].risk["risk_tags"] == ""  # every tag snoozed: taken back
    copy = book.clients[gone]
    book.delete(gone)
    assert sync_memory().exit_code == 0
    assert gone not in levels(tmp_path)
    book.clients[gone] = copy  # restored from the CRM's recycle bin
    book.touch(gone)
    dry = sync_memory("--dry-run")
    assert dry.exit_code == 0 and "0 would change" in dry.stdout  # no tag of it is raised
    back = sync_memory()
    assert back.exit_code == 0, back.output
    assert f"1 client(s) came back to memory: {gone}" in back.stderr
    assert "0 changed" in back.stdout
    assert levels(tmp_path)[gone] == "ok"  # every tag snoozed, as before it left
    with StateStore(tmp_path / "state.db") as store:
        assert [s.client_id for s in store.snoozes("memory")] == [gone]


def sync_memory(*args: str):
    return CliRunner().invoke(
        cli, ["--config", "crmflags.yaml", "-v", "sync", "--as-of", AS_OF, *args]
    )


# -- a state store that is missing, empty or damaged --------------------------------------


@pytest.mark.parametrize("loss", ["deleted", "emptied"])
def test_a_lost_state_store_stops_the_sync_until_new_state(bundle, loss):
    folder, config = bundle
    edited = set_field(folder, "c-12", "risk_tags", "reviewed by Anna")
    store = folder / "state.db"
    if loss == "deleted":
        for path in folder.glob("state.db*"):
            path.unlink()
    else:
        store.write_bytes(b"")
    stopped = run(config, "sync")
    assert stopped.exit_code == 2, stopped.output
    assert f"{store}: the state store has no record of csv:{folder}" in stopped.stderr
    assert "clients already hold risk values" in stopped.stderr and "--new-state" in stopped.stderr
    assert (folder / "clients.csv").read_bytes() == edited  # the hand edit is untouched
    assert run(config, "sync", "--dry-run").exit_code == 2
    again = run(config, "sync")
    assert again.exit_code == 2  # the empty store the first refusal left is no record either
    fresh = run(config, "sync", "--new-state")
    assert fresh.exit_code == 0, fresh.output
    assert rows(folder)["c-06"]["risk_tags"] == "late_payer"  # the old snooze is gone


def test_a_damaged_state_store_is_refused_with_its_path_and_the_backup_advice(bundle):
    folder, config = bundle
    before = (folder / "clients.csv").read_bytes()
    store = folder / "state.db"
    with StateStore(store):
        pass  # the last close checkpoints the WAL into the file
    with store.open("r+b") as file:
        file.truncate(store.stat().st_size // 2)
    stopped = run(config, "sync")
    assert stopped.exit_code == 2
    assert f"{store}: " in stopped.stderr and "damaged" in stopped.stderr
    assert "restore it from your backup" in stopped.stderr
    assert "Traceback" not in stopped.output
    assert (folder / "clients.csv").read_bytes() == before


def test_a_first_sync_of_a_source_without_risk_values_needs_no_flag(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder, config = prepare(str(tmp_path / "book"))
    first = run(config, "sync")
    assert first.exit_code == 0 and "30 changed" in first.stdout


# -- the settings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, message",
    [
        ("max_removals: 20", "max_removals must be a share of the known clients such as 20%"),
        ("max_removals: 120%", "max_removals must be a share"),
        ("keep_removed_days: 0", "keep_removed_days must be a whole number of days, at least 1"),
        ("max_run_minutes: soon", "max_run_minutes must be a whole number of minutes"),
    ],
)
def test_the_safety_settings_are_validated_with_file_and_line(tmp_path, line, message):
    config = tmp_path / "crmflags.yaml"
    config.write_text(f"connector: csv\ntimezone: Europe/Budapest\n{line}\n")
    result = run(config, "sync", "--source", str(tmp_path))
    assert result.exit_code == 2
    assert f"{config}:3: {message}" in result.stderr


# -- the same attacks against a CRM, over HTTP (the fake HubSpot) -----------------------


@pytest.fixture
def hubspot(portal):  # noqa: F811
    """A fake HubSpot portal of 20 companies, set up and synced once; a command runner."""
    fake = portal(20)

    def crm(command: str, *args: str):
        return run_crm(fake, command, *args)

    assert crm("sync").exit_code == 0
    return fake, crm


def test_a_crm_full_read_that_finds_no_companies_forgets_nobody(hubspot, tmp_path):
    fake, crm = hubspot
    snoozed = fake.ids()[0]
    assert crm("snooze", snoozed, "--until", "2030-01-01").exit_code == 0
    for company_id in fake.ids():
        fake.archive("companies", company_id)  # an empty account answering on the same host
    stopped = crm("sync", "--full")
    assert stopped.exit_code == 2, stopped.output
    assert "this sync would forget 20 of the 20 clients of hubspot:77" in stopped.stderr
    with StateStore(tmp_path / "state.db") as store:
        assert len(store.last_results("hubspot:77")) == 20
        assert [s.client_id for s in store.snoozes("hubspot:77")] == [snoozed]


def test_a_crm_sync_with_its_state_store_deleted_stops_before_writing(hubspot, tmp_path):
    fake, crm = hubspot
    company = fake.ids()[2]
    fake.modify(company, {"crmflags_risk_tags": "checked by Anna"})
    for path in tmp_path.glob("state.db*"):
        path.unlink()
    updates = fake.count("/crm/v3/objects/companies/batch/update")
    stopped = crm("sync")
    assert stopped.exit_code == 2, stopped.output
    assert "the state store has no record of hubspot:77" in stopped.stderr
    assert fake.count("/crm/v3/objects/companies/batch/update") == updates
    assert fake.get("companies", company)["crmflags_risk_tags"] == "checked by Anna"


def test_the_safeguard_settings_documented_in_scheduling_load(tmp_path):
    text = (Path(__file__).resolve().parent.parent / "docs" / "scheduling.md").read_text()
    block = re.search(r"## Safeguards\n.*?```yaml\n(.*?)```", text, re.DOTALL).group(1)
    path = tmp_path / "crmflags.yaml"
    path.write_text(block)
    config = load_config(path, set())
    assert (config.max_removals, config.keep_removed_days, config.max_run_minutes) == (
        0.2,
        90,
        360,
    )


def known(runs: dict[str, int]) -> dict[str, Result]:
    """Last results of clients, each from the given run."""
    return {cid: Result(cid, run_id, 1.0, "ok", [], []) for cid, run_id in runs.items()}


def test_only_clients_the_last_run_saw_count_toward_the_valve():
    # c-1..c-4 were in run 2; c-5..c-9 left before it (their results are from run 1).
    last = known({**{f"c-{n}": 2 for n in range(1, 5)}, **{f"c-{n}": 1 for n in range(5, 10)}})
    check_removals("csv:/x", last, {f"c-{n}" for n in range(5, 10)}, 0.2)  # long gone: passes
    with pytest.raises(
        InputError, match=r"forget 1 of the 4 clients of csv:/x that the last run \(run 2\)"
    ):
        check_removals("csv:/x", last, {"c-1"}, 0.2)  # 25% of run 2
    check_removals("csv:/x", last, {"c-1"}, 0.25)  # exactly the share: allowed
    with pytest.raises(InputError, match="forget 4 of the 4"):
        check_removals("csv:/x", last, {"c-1", "c-2", "c-3", "c-4"}, 1.0)  # all: never silent
    check_removals("csv:/x", {}, set(), 0.2)  # a first run knows nobody
