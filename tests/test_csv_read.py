"""Reading a CSV bundle with the built-in csv connector, as a user's exports would be read."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError
from crmflags.model import Client, RecordFailure
from crmflags.settings import Settings
from crmflags.yamlfile import load_yaml
from crmflags_csv import CsvConnector, register_connectors
from crmflags_csv.table import parse_table

BUDAPEST = ZoneInfo("Europe/Budapest")
BOM = b"\xef\xbb\xbf"


def make_bundle(folder: Path, **files: str | bytes) -> Path:
    """Write each ``name_csv=content`` as ``name.csv`` (str as UTF-8, bytes as they are)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name.replace("_csv", ".csv")).write_bytes(data)
    return folder


def connector(
    source: Path | None,
    config: dict | None = None,
    config_path: Path | None = None,
    presets: dict | None = None,
) -> CsvConnector:
    """Return a csv connector for ``source`` with the Budapest time zone."""
    settings = Settings(timezone=BUDAPEST, timezone_name="Europe/Budapest")
    return CsvConnector(
        ConnectorOptions(
            settings=settings,
            source=source,
            config=config or {},
            config_path=config_path,
            presets=presets or {},
        )
    )


def read_all(source: Path, **kwargs) -> list[Client | RecordFailure]:
    """Read every record of the bundle in ``source``."""
    return list(connector(source, **kwargs).read())


def yaml_section(tmp_path: Path, text: str):
    """Write ``text`` as crmflags.yaml and return (its csv: section with line numbers, its path)."""
    path = tmp_path / "crmflags.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)["csv"], path


def test_excel_export_with_bom_semicolons_decimal_commas_and_quoted_newlines(tmp_path):
    clients = (
        BOM
        + "ID;Name;EMAIL;Business_Type;HOURLY_RATE_TARGET;Contracted_Hours;Gut_Feeling;Team_Morale\r\n"
        'c-1;"Kovács és Társa\r\nKft";a@example.hu;agency;"1 234,50";"12,5";igen;4\r\n'
        'c-2;"Say ""hi"" Oy";;;;;ei;\r\n'.encode()
    )
    make_bundle(tmp_path, clients_csv=clients)

    first, second = read_all(tmp_path)

    assert first.id == "c-1"
    assert first.name == "Kovács és Társa\r\nKft"
    assert first.email == "a@example.hu"
    assert first.business_type == "agency"
    assert first.hourly_rate_target == 1234.5
    assert first.contracted_hours == 12.5
    assert first.gut_feeling is True
    assert first.team_morale == 4
    assert second.name == 'Say "hi" Oy'
    assert (second.email, second.hourly_rate_target, second.team_morale) == (None, None, None)
    assert second.gut_feeling is False


def test_doubled_quote_right_before_a_line_break_stays_inside_the_cell(tmp_path):
    make_bundle(tmp_path, clients_csv='id;name\r\nc-1;"say ""hi""\r\nbye"\r\nc-2;;\r\n')

    acme, nameless = read_all(tmp_path)

    assert acme.name == 'say "hi"\r\nbye'
    assert nameless == RecordFailure("c-2", "clients.csv:4: field name: empty")


def test_cells_agree_with_pythons_csv_module():
    pieces = ["a", " ", ";", ",", '"', '""', "\n", "\r\n", "é"]
    rng = random.Random(2026)
    for _ in range(3000):
        text = "id;name\n" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        expected = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        try:
            records = parse_table(text.encode(), "clients.csv").records
        except InputError:
            with pytest.raises(csv.Error):  # a quote never closed: an error in strict mode too
                list(csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True))
            continue
        assert [r.values() for r in records if not r.is_blank()] == [row for row in expected if row]


def test_each_file_has_its_own_delimiter(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv="id;name\nc-1;Acme, Inc.\n",
        invoices_csv=(
            'client_id,invoice_id,issued_on,due_on,amount\nc-1,i-1,2026-01-01,2026-01-31,"1,5"\n'
        ),
        activities_csv="client_id\toccurred_at\tkind\nc-1\t2026-01-05T10:00\tcall\n",
    )

    (client,) = read_all(tmp_path)

    assert client.name == "Acme, Inc."
    assert client.invoices[0].amount == 1.5
    assert client.activities[0].kind == "call"


def test_history_is_attached_with_defaults_for_empty_cells(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv="id,name\nc-1,Acme\nc-2,Beta\n",
        invoices_csv=(
            "Client_ID;Invoice_ID;Issued_On;Due_On;Amount;Paid_On;Currency;Disputed;Credited_Amount\n"
            "c-1;i-1;2026-01-01;2026-01-31;1 000,00;;EUR;;\n"
            "c-1;i-2;2026-02-01;2026-02-28;500;2026-03-10;EUR;yes;100,5\n"
        ),
        activities_csv=(
            "client_id,occurred_at,kind,direction,subject\n"
            "c-1,2026-01-05T10:00:00,Call,,hello\n"
            "c-1,2026-01-06,reminder,,pay please\n"
            "c-2,2026-01-07T23:30:00,Rush Request,OUTBOUND,\n"
        ),
        notes_csv=(
            "client_id,created_at,body,marker\n"
            'c-1,2026-01-08T09:00,"said ""we\'ll sue""",Legal\n'
            "c-2,2026-01-09T09:00,fine,\n"
        ),
        time_entries_csv='client_id,date,hours,billable,in_scope\nc-1,2026-01-05,"2,5",,nem\n',
    )

    acme, beta = read_all(tmp_path)

    unpaid, paid = acme.invoices
    assert (unpaid.paid_on, unpaid.amount, unpaid.credited_amount, unpaid.disputed) == (
        None,
        1000.0,
        0.0,
        False,
    )
    assert (paid.paid_on, paid.credited_amount, paid.disputed, paid.currency) == (
        date(2026, 3, 10),
        100.5,
        True,
        "EUR",
    )
    call, reminder = acme.activities
    assert (call.kind, call.direction, call.subject, call.has_time) == (
        "call",
        "inbound",
        "hello",
        True,
    )
    assert (reminder.kind, reminder.direction, reminder.has_time) == ("reminder", "outbound", False)
    assert (beta.activities[0].kind, beta.activities[0].direction) == ("rush_request", "outbound")
    assert acme.notes[0].body == 'said "we\'ll sue"' and acme.notes[0].marker == "legal"
    assert beta.notes[0].marker is None
    (entry,) = acme.time_entries
    assert (entry.hours, entry.billable, entry.in_scope) == (2.5, True, False)
    assert beta.invoices == [] and beta.time_entries == []


@pytest.mark.parametrize(
    "word, expected",
    [
        ("igen", True),
        ("nem", False),
        ("kyllä", True),
        ("ei", False),
        ("jā", True),
        ("nē", False),
        ("TRUE", True),
        ("0", False),
        ("", False),
    ],
)
def test_yes_no_words_in_hungarian_finnish_and_latvian(tmp_path, word, expected):
    make_bundle(tmp_path, clients_csv=f"id,name,gut_feeling\nc-1,Acme,{word}\n")

    (client,) = read_all(tmp_path)

    assert client.gut_feeling is expected


def test_naive_timestamps_get_the_configured_zone_and_offsets_are_kept(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv="id,name\nc-1,Acme\n",
        activities_csv=(
            "client_id,occurred_at,kind\n"
            "c-1,2026-07-01T22:15:00,email\n"
            "c-1,2026-07-01T22:15:00+05:30,email\n"
            "c-1,2026-07-01T20:15:00Z,email\n"
        ),
    )

    (client,) = read_all(tmp_path)

    naive, offset, utc = (a.occurred_at for a in client.activities)
    assert naive == datetime(2026, 7, 1, 22, 15, tzinfo=BUDAPEST)
    assert naive.utcoffset() == timedelta(hours=2)
    assert offset.utcoffset() == timedelta(hours=5, minutes=30)
    assert utc == datetime(2026, 7, 1, 20, 15, tzinfo=timezone.utc)


def test_risk_fields_are_none_when_absent_and_empty_string_when_empty(tmp_path):
    make_bundle(tmp_path, clients_csv="id,name,Risk_Level,risk_tags\nc-1,Acme,warning,\n")

    (client,) = read_all(tmp_path)

    assert client.risk == {
        "risk_level": "warning",
        "risk_score": None,
        "risk_tags": "",
        "risk_reasons": None,
        "risk_changed_at": None,
    }


def test_bad_value_fails_only_its_client_with_the_right_line_after_multiline_cells(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv="id,name\nc-1,Acme\nc-2,Beta\n",
        invoices_csv=(
            "client_id,invoice_id,issued_on,due_on,amount,paid_on\n"  # line 1
            'c-2,i-1,2026-01-01,2026-01-31,10,"see\nnote\n"\n'  # lines 2-4 (bad paid_on)
            'c-1,"i-2\r\nsecond line",2026-01-01,2026-01-31,20,\n'  # lines 5-6
            "c-1,i-3,2026-01-01,abc,30,\n"  # line 7
        ),
    )

    failure, beta = read_all(tmp_path)

    assert failure == RecordFailure(
        "c-1",
        "invoices.csv:7: field due_on: 'abc' is not a date (expected YYYY-MM-DD, "
        "or a local form such as 2026.09.07., 07.09.2026 or 07/09/2026)",
    )
    assert isinstance(beta, RecordFailure)
    assert beta.client_id == "c-2"
    assert beta.reason.startswith("invoices.csv:2: field paid_on: ")


def test_every_fault_of_a_client_is_named_and_long_lists_are_counted(tmp_path):
    rows = "".join(f"c-1,2026-01-0{day},meeting,sideways\n" for day in range(1, 6))
    make_bundle(
        tmp_path,
        clients_csv="id,name,team_morale,hourly_rate_target\nc-1,Acme,7,lots\nc-2,Beta,3,\n",
        activities_csv="client_id,occurred_at,kind,direction\n" + rows,
    )

    failure, beta = read_all(tmp_path)

    assert failure.client_id == "c-1"
    assert failure.reason == (
        "clients.csv:2: field team_morale: '7' is not between 1 and 5; "
        "clients.csv:2: field hourly_rate_target: 'lots' is not a number; "
        "activities.csv:2: field direction: 'sideways' is not a direction (inbound, outbound); "
        "csv.values.activities.csv.direction can map it (or ignore the row); and 4 more"
    )
    assert beta.team_morale == 3


def test_unknown_activity_kind_and_note_marker_are_bad_values(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv="id,name\nc-1,Acme\nc-2,Beta\n",
        activities_csv="client_id,occurred_at,kind\nc-1,2026-01-01T10:00,fax\n",
        notes_csv="client_id,created_at,body,marker\nc-2,2026-01-01T10:00,hm,rude\n",
    )

    acme, beta = read_all(tmp_path)

    assert acme.reason.startswith(
        "activities.csv:2: field kind: 'fax' is not an activity kind (call, email,"
    )
    assert beta.reason.startswith(
        "notes.csv:2: field marker: 'rude' is not a note marker (advice_ignored,"
    )


def test_row_without_id_is_a_failure_without_a_client_and_empty_rows_are_skipped(tmp_path):
    make_bundle(tmp_path, clients_csv="id,name\nc-1,Acme\n,Nameless\n,,\n\nc-3,\n")

    acme, nameless, gamma = read_all(tmp_path)

    assert acme.name == "Acme"
    assert nameless == RecordFailure(None, "clients.csv:3: field id: empty")
    assert gamma == RecordFailure("c-3", "clients.csv:6: field name: empty")


def test_duplicate_id_fails_both_rows_once_naming_both_lines(tmp_path):
    make_bundle(tmp_path, clients_csv="id,name\nc-1,Acme\nc-2,Beta\nc-1,Acme again\n")

    records = read_all(tmp_path)

    assert len(records) == 2
    assert records[0] == RecordFailure(
        "c-1",
        "clients.csv:2: field id: 'c-1' is on lines 2 and 4; none of them is evaluated or written",
    )
    assert records[1].id == "c-2"


def test_rows_for_unknown_clients_are_reported_as_warnings(tmp_path):
    unknown = "".join(f"x-{n},2026-01-01,1\n" for n in range(1, 8))
    make_bundle(
        tmp_path,
        clients_csv="id,name\nc-1,Acme\n",
        time_entries_csv="client_id,date,hours\nc-1,2026-01-01,1\n"
        + unknown
        + "x-1,2026-01-02,1\n,2026-01-03,1\n",
    )
    source = connector(tmp_path)

    (client,) = source.read()

    assert len(client.time_entries) == 1
    assert source.warnings() == [
        "time_entries.csv: 8 rows for clients not in clients.csv (x-1, x-2, x-3, x-4, x-5, and 2 more)",
        "time_entries.csv: 1 row without a client_id (lines 11)",
    ]


def test_missing_required_column_names_file_and_column(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv="id;Name\nc-1;Acme\n",
        invoices_csv="client_id;invoice_id;issued_on;amount\nc-1;i-1;2026-01-01;5\n",
    )

    with pytest.raises(InputError) as raised:
        connector(tmp_path).read()

    message = str(raised.value)
    assert "invoices.csv:1" in message and "'due_on'" in message


def test_missing_id_column_in_clients_csv(tmp_path):
    make_bundle(tmp_path, clients_csv="Client,Name\nc-1,Acme\n")

    with pytest.raises(
        InputError, match=r"clients\.csv:1: no column 'id'; the header has 'Client', 'Name'"
    ):
        connector(tmp_path).read()


def test_undecodable_bytes_name_the_file_and_line(tmp_path):
    make_bundle(tmp_path, clients_csv=b"id,name\nc-1,Acme\n" + b"c-2,Caf\xe9\n")

    with pytest.raises(InputError, match=r"clients\.csv:3: not UTF-8 text .*CSV UTF-8"):
        connector(tmp_path).read()


def test_utf16_export_is_named_as_such(tmp_path):
    make_bundle(tmp_path, clients_csv="id,name\nc-1,Acme\n".encode("utf-16"))

    with pytest.raises(InputError, match="UTF-16"):
        connector(tmp_path).read()


def test_unclosed_quote_is_a_structural_fault(tmp_path):
    make_bundle(tmp_path, clients_csv='id,name\nc-1,Acme\nc-2,"Beta\nc-3,Gamma\n')

    with pytest.raises(InputError, match=r"clients\.csv:3: a quoted field .* never closed"):
        connector(tmp_path).read()


def test_column_mapping_from_the_configuration(tmp_path):
    csv, config_path = yaml_section(
        tmp_path,
        (
            "csv:\n"
            "  columns:\n"
            "    clients.csv: {id: Client ID, name: Company, risk_level: Risk}\n"
            "    invoices.csv:\n"
            "      client_id: customer\n"
            "      amount: Total (EUR)\n"
        ),
    )
    make_bundle(
        tmp_path / "bundle",
        clients_csv="client id;COMPANY;risk;id\nc-1;Acme;fire;ignored\n",
        invoices_csv=(
            "Customer;invoice_id;issued_on;due_on;total (eur)\nc-1;i-1;2026-01-01;2026-01-31;99,5\n"
        ),
    )

    (client,) = read_all(tmp_path / "bundle", config=csv, config_path=config_path)

    assert (client.id, client.name, client.risk["risk_level"]) == ("c-1", "Acme", "fire")
    assert client.invoices[0].amount == 99.5


def test_mapped_required_column_missing_says_it_was_configured(tmp_path):
    make_bundle(tmp_path, clients_csv="id,name\nc-1,Acme\n")
    config = {"columns": {"clients.csv": {"name": "Company"}}}

    with pytest.raises(
        InputError, match=r"no column 'Company' \(the name given for name in the configuration\)"
    ):
        connector(tmp_path, config=config).read()


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("csv:\n  columns: [id]\n", 2, "columns must map file names"),
        (
            "csv:\n  columns:\n    client.csv: {id: X}\n",
            3,
            "unknown file 'client.csv' (did you mean 'clients.csv'?)",
        ),
        ("csv:\n  columns:\n    clients.csv: X\n", 3, "columns of clients.csv must be a mapping"),
        (
            "csv:\n  columns:\n    clients.csv:\n      ids: X\n",
            4,
            "clients.csv has no column 'ids' (did you mean 'id'?)",
        ),
        (
            "csv:\n  columns:\n    clients.csv:\n      id: 5\n",
            4,
            "the name for id must be a column name",
        ),
        (
            "csv:\n  columns:\n    clients.csv:\n      id: X\n      name: x\n",
            5,
            "'x' is given for both id and name",
        ),
        ("csv:\n  sauce: here\n", 2, "unknown csv setting 'sauce' (did you mean 'source'?)"),
    ],
)
def test_bad_column_mapping_names_the_configuration_line(tmp_path, text, line, message):
    assert_setting_error(tmp_path, text, line, message)


def assert_setting_error(tmp_path: Path, text: str, line: int, message: str) -> None:
    """Assert that crmflags.yaml ``text`` is refused at ``line`` with ``message``."""
    csv, config_path = yaml_section(tmp_path, text)

    with pytest.raises(InputError) as raised:
        connector(tmp_path, config=csv, config_path=config_path)

    assert str(raised.value).startswith(f"{config_path}:{line}: ")
    assert message in str(raised.value)


def evaluate_json(config: Path, folder: Path, as_of: str) -> dict:
    """Run ``crmflags evaluate --format json`` on a bundle; return the result (exit 0 asserted)."""
    from click.testing import CliRunner

    from crmflags.cli import cli

    arguments = ["--config", str(config), "evaluate", "--source", str(folder)]
    result = CliRunner().invoke(cli, [*arguments, "--as-of", as_of, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_source_from_the_configuration_is_relative_to_its_folder(tmp_path):
    make_bundle(tmp_path / "exports", clients_csv="id,name\nc-1,Acme\n")
    csv, config_path = yaml_section(tmp_path, "csv:\n  source: exports\n")

    (client,) = read_all(None, config=csv, config_path=config_path)

    assert client.name == "Acme"


def test_without_a_source_the_user_is_told_how_to_give_one():
    with pytest.raises(InputError, match="--source DIR"):
        connector(None)


def test_missing_folder_or_clients_csv_names_the_path(tmp_path):
    with pytest.raises(InputError, match=f"no such folder: {tmp_path / 'nope'}"):
        connector(tmp_path / "nope").read()
    make_bundle(tmp_path, invoices_csv="client_id\n")
    with pytest.raises(InputError, match=f"no clients.csv in {tmp_path}"):
        connector(tmp_path).read()


def test_unknown_columns_are_ignored_and_source_order_is_kept(tmp_path):
    make_bundle(tmp_path, clients_csv="Owner,id,Region,name\nme,c-9,EU,Zed\nyou,c-1,US,Acme\n")

    assert [c.id for c in read_all(tmp_path)] == ["c-9", "c-1"]


def test_plugin_registers_the_connector():
    registered = []

    register_connectors(registered.append)

    assert registered == [CsvConnector]
    assert CsvConnector.name == "csv"


def test_negative_and_contradictory_amounts_fail_their_client(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv="id,name,contracted_hours\nc-1,A,-5\nc-2,B,\nc-3,C,\nc-4,D,\nc-5,E,\n",
        invoices_csv=(
            "client_id,invoice_id,issued_on,due_on,amount,credited_amount\n"
            "c-2,i-1,2026-01-01,2026-01-15,-500,\n"
            "c-3,i-2,2026-01-01,2026-01-15,100,500\n"
            "c-4,i-3,2026-02-01,2026-01-15,100,\n"
        ),
        time_entries_csv="client_id,date,hours\nc-5,2026-01-02,-8\n",
    )
    reasons = {r.client_id: r.reason for r in read_all(tmp_path) if isinstance(r, RecordFailure)}
    assert reasons == {
        "c-1": "clients.csv:2: field contracted_hours: '-5' is negative",
        "c-2": "invoices.csv:2: field amount: '-500' is negative",
        "c-3": "invoices.csv:3: field credited_amount: 500 is more than the amount",
        "c-4": "invoices.csv:4: field due_on: 2026-01-15 is before issued_on 2026-02-01",
        "c-5": "time_entries.csv:2: field hours: '-8' is negative",
    }


@pytest.mark.parametrize(
    "stamp, expected",
    [
        ("2026-11-14T23:10:00+0100", datetime(2026, 11, 14, 22, 10, tzinfo=timezone.utc)),
        ("2026-11-14T23:10:00+01", datetime(2026, 11, 14, 22, 10, tzinfo=timezone.utc)),
        ("2026-11-14T22:10:00.5Z", datetime(2026, 11, 14, 22, 10, 0, 500000, tzinfo=timezone.utc)),
        ("2026-11-14 23:10", datetime(2026, 11, 14, 23, 10, tzinfo=BUDAPEST)),
    ],
)
def test_timestamp_forms_read_the_same_on_every_python(tmp_path, stamp, expected):
    make_bundle(
        tmp_path,
        clients_csv="id,name\nc-1,A\n",
        activities_csv=f"client_id,occurred_at,kind\nc-1,{stamp},call\n",
    )
    (client,) = read_all(tmp_path)
    assert client.activities[0].occurred_at == expected
