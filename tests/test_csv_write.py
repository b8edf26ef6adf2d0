"""Writing risk fields back into clients.csv: only the changed cells change, atomically."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crmflags.connector import ClientChange, ConnectorOptions
from crmflags.errors import InputError
from crmflags.model import RecordFailure
from crmflags.settings import Settings
from crmflags_csv import CsvConnector
from crmflags_csv.table import parse_table

BOM = b"\xef\xbb\xbf"
OLD = 1_600_000_000_000_000_000  # an mtime in ns, long before any test runs
#: The risk columns a first write adds, all at once in the documented order.
ADDED = b",risk_level,risk_score,risk_tags,risk_reasons,risk_changed_at"

#: An Excel export: BOM, `;`, CRLF, a quoted cell with a line break, odd spacing and quoting.
EXCEL = (
    BOM
    + (
        'ID;Name;Notes;"Hourly Rate Target";Risk_Level\r\n'
        'c-1;"Kovács Kft";"line one\r\nline two";"1 234,50";ok\r\n'
        'c-2; Beta Oy ;"";12,5;\r\n'
        '"c-3";"Gamma; SIA";  spaced  ;;watch\r\n'
    ).encode()
)


def make_clients(folder: Path, data: bytes) -> Path:
    """Write clients.csv into ``folder`` with an old mtime and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clients.csv"
    path.write_bytes(data)
    os.utime(path, ns=(OLD, OLD))
    return path


def connector(source: Path, config: dict | None = None) -> CsvConnector:
    """Return a csv connector for ``source``."""
    settings = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")
    return CsvConnector(ConnectorOptions(settings=settings, source=source, config=config or {}))


def sync(source: Path, changes: list[ClientChange], config: dict | None = None):
    """Read the bundle, then write the changes, as a sync does; return the write report."""
    target = connector(source, config)
    list(target.read())
    return target.write(changes)


def lines_of(data: bytes) -> list[bytes]:
    """Split bytes into lines, keeping each line's terminator."""
    return data.splitlines(keepends=True)


def test_changing_one_cell_keeps_every_other_byte(tmp_path):
    path = make_clients(tmp_path, EXCEL)

    report = sync(tmp_path, [ClientChange("c-3", {"risk_level": "fire"})])

    assert report.written == 1 and report.failures == []
    assert path.read_bytes() == EXCEL.replace(b";;watch\r\n", b";;fire\r\n")


def test_all_missing_risk_columns_are_added_at_once_in_order_keeping_bom_crlf_and_quoting(
    tmp_path,
):
    path = make_clients(tmp_path, EXCEL)

    report = sync(
        tmp_path, [ClientChange("c-2", {"risk_tags": "late_payer;rush", "risk_score": "7"})]
    )

    assert report.written == 1
    old, new = lines_of(EXCEL), lines_of(path.read_bytes())
    assert new[0] == BOM + (
        b'ID;Name;Notes;"Hourly Rate Target";Risk_Level;risk_score;risk_tags;risk_reasons;'
        b"risk_changed_at\r\n"
    )
    assert new[1:3] == [old[1], old[2].replace(b"ok\r\n", b"ok;;;;\r\n")]
    assert new[3] == b'c-2; Beta Oy ;"";12,5;;7;"late_payer;rush";;\r\n'
    assert new[4] == old[4].replace(b"\r\n", b";;;;\r\n")
    (_, beta, _) = connector(tmp_path).read()
    assert beta.risk["risk_tags"] == "late_payer;rush"
    assert beta.name == "Beta Oy"


def test_new_values_are_quoted_only_when_needed(tmp_path):
    path = make_clients(
        tmp_path, b"id,name,risk_reasons\nc-1,Acme,\nc-2,Beta,\nc-3,Gamma,\nc-4,Delta,\n"
    )

    sync(
        tmp_path,
        [
            ClientChange("c-1", {"risk_reasons": "late, twice"}),
            ClientChange("c-2", {"risk_reasons": 'said "no"'}),
            ClientChange("c-3", {"risk_reasons": "one\ntwo"}),
            ClientChange("c-4", {"risk_reasons": "plain; fine"}),
        ],
    )

    assert path.read_bytes() == (
        b'id,name,risk_reasons\nc-1,Acme,"late, twice"\nc-2,Beta,"said ""no"""\n'
        b'c-3,Gamma,"one\ntwo"\nc-4,Delta,plain; fine\n'
    )
    assert [c.risk["risk_reasons"] for c in connector(tmp_path).read()] == [
        "late, twice",
        'said "no"',
        "one\ntwo",
        "plain; fine",
    ]


def test_no_trailing_newline_stays_that_way(tmp_path):
    path = make_clients(tmp_path, b"id;name\nc-1;Acme\nc-2;Beta")

    sync(tmp_path, [ClientChange("c-2", {"risk_level": "watch"})])

    assert path.read_bytes() == (
        b"id;name" + ADDED.replace(b",", b";") + b"\nc-1;Acme;;;;;\nc-2;Beta;watch;;;;"
    )


def test_file_without_bom_gets_none(tmp_path):
    path = make_clients(tmp_path, b"id,name\nc-1,Acme\n")

    sync(tmp_path, [ClientChange("c-1", {"risk_level": "ok"})])

    assert path.read_bytes() == b"id,name" + ADDED + b"\nc-1,Acme,ok,,,,\n"


def test_equal_values_leave_the_file_untouched(tmp_path):
    path = make_clients(tmp_path, EXCEL)

    report = sync(
        tmp_path,
        [ClientChange("c-1", {"risk_level": "ok"}), ClientChange("c-2", {"risk_score": ""})],
    )

    assert report.written == 0
    assert path.read_bytes() == EXCEL
    assert path.stat().st_mtime_ns == OLD


def test_second_write_of_the_same_changes_is_a_no_op(tmp_path):
    path = make_clients(tmp_path, EXCEL)
    changes = [
        ClientChange(
            "c-1", {"risk_level": "fire", "risk_tags": "a;b", "risk_changed_at": "2026-11-22"}
        )
    ]
    assert sync(tmp_path, changes).written == 1
    written = path.read_bytes()
    os.utime(path, ns=(OLD, OLD))

    again = sync(tmp_path, changes)

    assert again.written == 0
    assert path.read_bytes() == written
    assert path.stat().st_mtime_ns == OLD


def test_the_same_connector_can_write_twice(tmp_path):
    path = make_clients(tmp_path, b"id,name\nc-1,Acme\nc-2,Beta\n")
    target = connector(tmp_path)
    list(target.read())

    target.write([ClientChange("c-1", {"risk_level": "fire"})])
    report = target.write([ClientChange("c-2", {"risk_level": "ok"})])

    assert report.written == 1
    assert path.read_bytes() == b"id,name" + ADDED + b"\nc-1,Acme,fire,,,,\nc-2,Beta,ok,,,,\n"


def test_unknown_and_duplicate_ids_fail_but_the_rest_is_written(tmp_path):
    path = make_clients(tmp_path, b"id,name\nc-1,Acme\nc-2,Beta\nc-2,Beta again\n")

    report = sync(
        tmp_path,
        [
            ClientChange("x-9", {"risk_level": "fire"}),
            ClientChange("c-2", {"risk_level": "ok"}),
            ClientChange("c-1", {"risk_level": "watch"}),
        ],
    )

    assert report.written == 1
    assert report.failures == [
        RecordFailure("x-9", "clients.csv: no client with id 'x-9'; not written"),
        RecordFailure("c-2", "clients.csv: id 'c-2' is on lines 3 and 4; not written"),
    ]
    assert path.read_bytes() == (
        b"id,name" + ADDED + b"\nc-1,Acme,watch,,,,\nc-2,Beta,,,,,\nc-2,Beta again,,,,,\n"
    )


def test_concurrent_edit_is_never_overwritten(tmp_path):
    path = make_clients(tmp_path, b"id,name\nc-1,Acme\n")
    target = connector(tmp_path)
    list(target.read())
    path.write_bytes(b"id,name\nc-1,Acme Kft\n")

    with pytest.raises(InputError, match="changed after crmflags read it.*run crmflags again"):
        target.write([ClientChange("c-1", {"risk_level": "fire"})])

    assert path.read_bytes() == b"id,name\nc-1,Acme Kft\n"


def test_mapped_risk_columns_are_updated_and_added_under_the_users_names(tmp_path):
    path = make_clients(tmp_path, b"Client ID;Company;Risk\nc-1;Acme;ok\n")
    config = {
        "columns": {
            "clients.csv": {
                "id": "client id",
                "name": "company",
                "risk_level": "RISK",
                "risk_tags": "Risk tags",
            }
        }
    }

    sync(tmp_path, [ClientChange("c-1", {"risk_level": "fire", "risk_tags": "late_payer"})], config)

    assert path.read_bytes() == (
        b"Client ID;Company;Risk;risk_score;Risk tags;risk_reasons;risk_changed_at\n"
        b"c-1;Acme;fire;;late_payer;;\n"
    )
    (client,) = connector(tmp_path, config).read()
    assert client.risk["risk_tags"] == "late_payer"


def test_short_rows_long_rows_and_blank_lines(tmp_path):
    path = make_clients(
        tmp_path, b"id,name,x\nc-1,Acme\n\nc-2,Beta,1,extra\nc-3,Gamma,2\n,,\nc-4,D\n"
    )

    sync(tmp_path, [ClientChange("c-1", {"risk_level": "fire"})])

    assert path.read_bytes() == (
        b"id,name,x" + ADDED + b"\nc-1,Acme,,fire,,,,\n\nc-2,Beta,1,,,,,,extra\n"
        b"c-3,Gamma,2,,,,,\n,,\nc-4,D\n"  # empty and short rows not written keep their bytes
    )


def test_an_empty_value_for_a_missing_column_writes_nothing(tmp_path):
    path = make_clients(tmp_path, b"id,name\nc-1,Acme\n")

    report = sync(tmp_path, [ClientChange("c-1", {"risk_changed_at": ""})])

    assert report.written == 0
    assert path.stat().st_mtime_ns == OLD


def test_a_failed_replace_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = make_clients(tmp_path, EXCEL)
    target = connector(tmp_path)
    list(target.read())

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match="cannot replace it .*nothing was written"):
        target.write([ClientChange("c-1", {"risk_level": "fire"})])

    assert path.read_bytes() == EXCEL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients.csv"]


def test_line_numbers_after_an_edit_adding_lines(tmp_path):
    make_clients(tmp_path, b"id,name,team_morale\nc-1,Acme,\nc-2,Beta,9\n")
    sync(tmp_path, [ClientChange("c-1", {"risk_reasons": "one\ntwo\nthree"})])

    failure = list(connector(tmp_path).read())[1]

    assert failure.reason == "clients.csv:5: field team_morale: '9' is not between 1 and 5"


@pytest.mark.parametrize(
    "data",
    [
        EXCEL,
        b"",
        b"id,name",
        b"id,name\r\n\r\n\r\n",
        b'id,name\rc-1,"a\r\nb"\rc-2,"x""y"tail,\n\n',
        b'id\tname\n"c-1"\t" a "\n',
        b'id;name\nc-1;ab"c;"q"\n',
        BOM + b'"id;x",name\n,,,,\n',
    ],
)
def test_tokenizer_gives_back_every_byte(data):
    table = parse_table(data, "clients.csv")

    assert table.render([table.text_of(r) for r in table.records]) == data


def test_hundred_thousand_clients_round_trip(tmp_path):
    rows = "".join(
        f'c-{n};"Client {n}; Kft";x@example.com;agency;"1 000,50";{n % 5 + 1}\r\n'
        for n in range(100_000)
    )
    data = BOM + ("id;name;email;business_type;hourly_rate_target;team_morale\r\n" + rows).encode()
    path = make_clients(tmp_path, data)
    target = connector(tmp_path)

    clients = list(target.read())
    report = target.write(
        [ClientChange(f"c-{n}", {"risk_level": "watch"}) for n in range(0, 100_000, 7)]
    )

    assert len(clients) == 100_000 and clients[-1].team_morale == 5
    assert report.written == len(range(0, 100_000, 7))
    new = lines_of(path.read_bytes())
    assert new[1] == b'c-0;"Client 0; Kft";x@example.com;agency;"1 000,50";1;watch;;;;\r\n'
    assert new[2] == lines_of(data)[2].replace(b"\r\n", b";;;;;\r\n")


def test_write_without_a_read_first(tmp_path):
    path = make_clients(tmp_path, b"id,name\nc-1,Acme\n")

    report = connector(tmp_path).write([ClientChange("c-1", {"risk_level": "ok"})])

    assert report.written == 1
    assert path.read_bytes() == b"id,name" + ADDED + b"\nc-1,Acme,ok,,,,\n"


def save_as_excel_does(path: Path, data: bytes) -> None:
    """Save a file the way spreadsheet programs do: write a new file, rename it over the old."""
    temp = path.with_name("~person-saving.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def test_a_save_landing_while_the_new_file_is_synced_to_disk_is_never_lost(tmp_path, monkeypatch):
    import crmflags.atomicfile as atomicfile

    path = make_clients(tmp_path, b"id,name\nc-1,Acme\n")
    target = connector(tmp_path)
    list(target.read())
    real_fsync, saved = atomicfile.os.fsync, []

    def fsync_while_a_person_saves(fd):
        if not saved:  # the slow step between the first check and the rename
            save_as_excel_does(path, b"id,name\nc-1,Acme Kft\n")
            saved.append(True)
        real_fsync(fd)

    monkeypatch.setattr(atomicfile.os, "fsync", fsync_while_a_person_saves)
    with pytest.raises(InputError, match="changed after crmflags read it.*nothing was written"):
        target.write([ClientChange("c-1", {"risk_level": "fire"})])

    assert saved and path.read_bytes() == b"id,name\nc-1,Acme Kft\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients.csv"]


def test_an_edit_in_place_of_the_same_size_is_noticed(tmp_path, monkeypatch):
    import crmflags.atomicfile as atomicfile

    path = make_clients(tmp_path, b"id,name\nc-1,Acme\n")
    target = connector(tmp_path)
    list(target.read())
    real_fsync = atomicfile.os.fsync

    def fsync_while_edited(fd):
        with open(path, "r+b") as file:  # the same inode, the same size, other bytes
            file.write(b"id,name\nc-1,Acne\n")
        real_fsync(fd)

    monkeypatch.setattr(atomicfile.os, "fsync", fsync_while_edited)
    with pytest.raises(InputError, match="changed after crmflags read it"):
        target.write([ClientChange("c-1", {"risk_level": "fire"})])

    assert path.read_bytes() == b"id,name\nc-1,Acne\n"


def test_syncs_beside_a_person_saving_again_and_again_never_lose_the_last_save(tmp_path):
    import threading
    import time

    path = make_clients(tmp_path, b"id,name\nc-1,Acme v0\n")
    stop, versions = threading.Event(), []

    def person():
        for n in range(1, 200):
            if stop.is_set():
                break
            save_as_excel_does(path, f"id,name\nc-1,Acme v{n}\n".encode())
            versions.append(n)
            time.sleep(0.002)

    writer = threading.Thread(target=person)
    outcomes = {"written": 0, "refused": 0}
    writer.start()
    deadline = time.monotonic() + 5
    try:
        level = "fire"
        while writer.is_alive() and time.monotonic() < deadline:
            level = "ok" if level == "fire" else "fire"
            try:
                target = connector(tmp_path)
                list(target.read())
                target.write([ClientChange("c-1", {"risk_level": level})])
                outcomes["written"] += 1
            except InputError:
                outcomes["refused"] += 1
    finally:
        stop.set()
        writer.join()

    assert outcomes["refused"] > 0  # the saves did land while syncs were writing
    assert f"Acme v{versions[-1]}".encode() in path.read_bytes()
