"""Reading exports as owners have them: local dates and amounts, mapped values, joined and
split columns, and the settings that force what is otherwise detected."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from test_csv_read import (
    BUDAPEST,
    assert_setting_error,
    connector,
    make_bundle,
    read_all,
    yaml_section,
)

from crmflags.errors import InputError
from crmflags.model import RecordFailure

CLIENTS = "id;name\nc-1;Acme\nc-2;Beta\n"


def test_hungarian_dates_amounts_and_hours_read_as_they_are_meant(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv=CLIENTS,
        invoices_csv=(
            "client_id;invoice_id;issued_on;due_on;paid_on;amount\n"
            "c-1;i-1;2026.09.07.;2026. 09. 21.;;9.500 Ft\n"
            "c-1;i-2;2026.09.07.;2026.09.21.;2026.10.01.;1.200,00\n"
        ),
        time_entries_csv="client_id;date;hours\nc-1;2026.09.07.;7,5\nc-1;08.09.2026;2\n",
        activities_csv="client_id;occurred_at;kind\nc-1;2026.09.08. 10:30;call\n",
    )

    acme, _ = read_all(tmp_path)

    first, second = acme.invoices
    assert (first.issued_on, first.due_on, first.amount, first.currency) == (
        date(2026, 9, 7),
        date(2026, 9, 21),
        9500,
        "HUF",
    )
    assert (second.amount, second.paid_on, second.currency) == (1200, date(2026, 10, 1), None)
    assert [e.hours for e in acme.time_entries] == [7.5, 2]
    assert acme.time_entries[1].date == date(2026, 9, 8)
    (call,) = acme.activities
    assert call.occurred_at == datetime(2026, 9, 8, 10, 30, tzinfo=BUDAPEST) and call.has_time


def test_the_decimal_mark_a_later_row_shows_applies_to_earlier_rows_in_their_order(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv=CLIENTS,
        invoices_csv=(
            "client_id,invoice_id,issued_on,due_on,amount\n"
            "c-1,i-1,2026-01-01,2026-01-31,9.500\n"  # thousands or decimals? line 4 tells
            "c-1,i-2,2026-02-01,2026-02-28,100\n"
            'c-1,i-3,2026-03-01,2026-03-31,"1.200,50"\n'
        ),
    )

    acme, _ = read_all(tmp_path)

    assert [(i.invoice_id, i.amount) for i in acme.invoices] == [
        ("i-1", 9500),
        ("i-2", 100),
        ("i-3", 1200.5),
    ]


def test_an_amount_its_column_cannot_settle_fails_its_client_naming_the_line_and_setting(
    tmp_path,
):
    make_bundle(
        tmp_path,
        clients_csv=CLIENTS,
        invoices_csv=(
            "client_id;invoice_id;issued_on;due_on;amount\n"
            "c-2;i-1;2026-01-01;2026-01-31;100\n"
            "c-1;i-2;2026-01-01;2026-01-31;9.500\n"
        ),
    )

    failure, beta = read_all(tmp_path)

    assert failure == RecordFailure(
        "c-1",
        "invoices.csv:3: field amount: '9.500' could be 9.5 or 9500: no other value in the "
        "column has a decimal mark to tell; set csv.decimal for it (. or ,)",
    )
    assert beta.invoices[0].amount == 100


def test_csv_decimal_settles_it_per_file_or_column(tmp_path):
    make_bundle(
        tmp_path / "bundle",
        clients_csv="id;name;hourly_rate_target\nc-1;Acme;1.500\n",
        invoices_csv="client_id;invoice_id;issued_on;due_on;amount\nc-1;i;2026-01-01;2026-01-31;9.500\n",
    )
    csv, path = yaml_section(
        tmp_path,
        'csv:\n  decimal:\n    invoices.csv: ","\n    clients.csv: {hourly_rate_target: "."}\n',
    )

    (acme,) = read_all(tmp_path / "bundle", config=csv, config_path=path)

    assert acme.invoices[0].amount == 9500
    assert acme.hourly_rate_target == 1.5


def test_a_slash_date_column_is_read_in_the_order_its_other_dates_show(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv=CLIENTS,
        activities_csv="client_id,occurred_at,kind\nc-1,03/04/2026 09:00,call\nc-1,25/04/2026,email\n",
        notes_csv="client_id,created_at,body\nc-1,03/04/2026,a\nc-1,04/25/2026,b\n",
    )

    acme, _ = read_all(tmp_path)

    assert [a.occurred_at.date() for a in acme.activities] == [date(2026, 4, 3), date(2026, 4, 25)]
    assert [n.created_at.date() for n in acme.notes] == [date(2026, 3, 4), date(2026, 4, 25)]


def test_a_date_column_that_cannot_tell_stops_the_read_naming_it_and_the_setting(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv=CLIENTS,
        activities_csv="client_id,When,kind\nc-1,03/04/2026,call\nc-2,05/06/2026,call\n",
    )
    config = {"columns": {"activities.csv": {"occurred_at": "When"}}}

    with pytest.raises(InputError) as raised:
        connector(tmp_path, config=config).read()

    assert str(raised.value) == (
        "activities.csv: field When: '03/04/2026' (line 2) could have the day or the month "
        "first, and no date in the column has a day above 12 to tell; set csv.date_format "
        "for it (DD/MM/YYYY or MM/DD/YYYY)"
    )


def test_csv_date_format_forces_the_order(tmp_path):
    make_bundle(
        tmp_path / "bundle",
        clients_csv=CLIENTS,
        activities_csv="client_id,occurred_at,kind\nc-1,03/04/2026,call\nc-2,2026-04-03,call\n",
    )
    csv, path = yaml_section(tmp_path, "csv:\n  date_format: {activities.csv: MM/DD/YYYY}\n")

    acme, beta = read_all(tmp_path / "bundle", config=csv, config_path=path)

    assert acme.activities[0].occurred_at.date() == date(2026, 3, 4)
    assert beta.reason == (
        "activities.csv:3: field occurred_at: '2026-04-03' is not a timestamp in the form "
        "MM/DD/YYYY (csv.date_format)"
    )


def test_values_map_kinds_and_directions_in_any_case_and_without_accents(tmp_path):
    make_bundle(
        tmp_path / "bundle",
        clients_csv=CLIENTS,
        activities_csv=(
            "client_id;occurred_at;kind;direction\n"
            "c-1;2026-09-08 10:00;HÍVÁS;bejovo\n"
            "c-1;2026-09-08 11:00;E-mail;Kimenő\n"
            "c-1;2026-09-08 12:00;Feladat;\n"
            "c-2;2026-09-08 13:00;feladat;\n"
            "c-2;2026-09-08 14:00;call;\n"
        ),
    )
    csv, path = yaml_section(
        tmp_path,
        "csv:\n  values:\n    activities.csv:\n"
        "      kind: {Hívás: call, E-mail: email, Feladat: ignore}\n"
        "      direction: {Bejövő: inbound, Kimenő: outbound}\n",
    )
    source = connector(tmp_path / "bundle", config=csv, config_path=path)

    acme, beta = source.read()

    assert [(a.kind, a.direction) for a in acme.activities] == [
        ("call", "inbound"),
        ("email", "outbound"),
    ]
    assert [a.kind for a in beta.activities] == ["call"]
    assert source.warnings() == [
        "activities.csv: 2 rows ignored (kind 'Feladat': 1, kind 'feladat': 1)"
    ]


def test_an_unmapped_kind_names_the_value_and_the_setting(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv=CLIENTS,
        activities_csv="client_id,occurred_at,kind\nc-1,2026-09-08,Deadline\nc-2,2026-09-08,call\n",
    )
    source = connector(tmp_path)

    failure, beta = source.read()

    assert failure.reason.startswith("activities.csv:2: field kind: 'Deadline' is not an activity")
    assert failure.reason.endswith("csv.values.activities.csv.kind can map it (or ignore the row)")
    assert beta.activities[0].kind == "call"
    assert source.warnings() == [
        "activities.csv: kind has values crmflags does not know: 'Deadline' (1 row); map them "
        "with csv.values.activities.csv.kind (or to ignore, to leave those rows out)"
    ]


def test_yes_no_words_and_morale_words_can_be_mapped(tmp_path):
    make_bundle(
        tmp_path / "bundle",
        clients_csv="id;name;gut_feeling;team_morale\nc-1;Acme;X;magas\nc-2;Beta;;alacsony\n",
    )
    csv, path = yaml_section(
        tmp_path,
        "csv:\n  values:\n    clients.csv:\n      gut_feeling: {X: yes}\n"
        "      team_morale: {magas: 5, alacsony: 1}\n",
    )

    acme, beta = read_all(tmp_path / "bundle", config=csv, config_path=path)

    assert (acme.gut_feeling, acme.team_morale) == (True, 5)
    assert (beta.gut_feeling, beta.team_morale) == (False, 1)


def test_a_date_and_a_time_column_are_joined_and_an_empty_time_is_a_date_only(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv=CLIENTS,
        activities_csv=(
            "Org;Due date;Due time;Type\nc-1;2026-09-08;22:15;call\nc-1;2026-09-09;;call\n"
        ),
    )
    config = {
        "columns": {
            "activities.csv": {
                "client_id": "Org",
                "occurred_at": ["Due date", "Due time"],
                "kind": "Type",
            }
        }
    }

    acme, _ = read_all(tmp_path, config=config)

    late, day_only = acme.activities
    assert late.occurred_at == datetime(2026, 9, 8, 22, 15, tzinfo=BUDAPEST) and late.has_time
    assert day_only.occurred_at.date() == date(2026, 9, 9) and not day_only.has_time


def test_a_bad_joined_value_names_both_columns(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv=CLIENTS,
        activities_csv="client_id;Day;Time;kind\nc-1;2026-09-08;25:99;call\n",
    )
    config = {"columns": {"activities.csv": {"occurred_at": ["Day", "Time"]}}}

    failure, _ = read_all(tmp_path, config=config)

    assert failure.reason.startswith("activities.csv:2: field Day + Time: '2026-09-08 25:99'")


def test_a_split_link_column_gives_the_row_to_each_client(tmp_path):
    make_bundle(
        tmp_path,
        clients_csv="id,name\n101,Acme\n102,Beta\n103,Gamma\n",
        activities_csv=(
            "Associated Company IDs,occurred_at,kind\n"
            '"101;102",2026-09-08 10:00,call\n'
            "103,2026-09-08 11:00,email\n"
            '"101; 101;999",2026-09-08 12:00,meeting\n'
        ),
    )
    config = {
        "columns": {
            "activities.csv": {"client_id": {"from": "Associated Company IDs", "split": ";"}}
        }
    }
    source = connector(tmp_path, config=config)

    acme, beta, gamma = source.read()

    assert [a.kind for a in acme.activities] == ["call", "meeting"]
    assert [a.kind for a in beta.activities] == ["call"]
    assert [a.kind for a in gamma.activities] == ["email"]
    assert source.warnings() == ["activities.csv: 1 row for clients not in clients.csv (999)"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            "csv:\n  values:\n    activities.csv:\n      kind: {Hívás: phone}\n",
            4,
            "'phone' is not an activity kind; it must be one of call, email",
        ),
        (
            "csv:\n  values:\n    activities.csv:\n      subject: {a: b}\n",
            4,
            "subject has no set of values to map; in activities.csv values can map kind, direction",
        ),
        (
            "csv:\n  values:\n    clients.csv:\n      gut_feeling:\n        yes: yes\n",
            5,
            "YAML reads this source value as true/false/null: put it in quotes",
        ),
        (
            "csv:\n  values:\n    clients.csv:\n      business_type: {Lead: ignore}\n",
            4,
            "ignore leaves out history rows; to leave a client out, remove its row",
        ),
        (
            "csv:\n  values:\n    notes.csv:\n      marker:\n        Jogi: legal\n        JOGI: threat\n",
            6,
            "'JOGI' is given twice",
        ),
        (
            "csv:\n  date_format: DD-MM-YYYY\n",
            2,
            "date_format must be 'YYYY-MM-DD' or 'YYYY.MM.DD.' or 'DD.MM.YYYY'",
        ),
        (
            "csv:\n  date_format:\n    invoices.csv: {amount: DD/MM/YYYY}\n",
            3,
            "date_format is for issued_on, due_on, paid_on in invoices.csv, not amount",
        ),
        ("csv:\n  decimal: x\n", 2, "decimal must be '.' or ',', not 'x'"),
        (
            "csv:\n  columns:\n    activities.csv:\n      kind: {from: Type, split: ';'}\n",
            4,
            "split is for the client_id column of history files, not kind",
        ),
        (
            "csv:\n  columns:\n    clients.csv:\n      id: [A, B]\n",
            4,
            "id must be read from one column, not several joined",
        ),
        (
            "csv:\n  columns:\n    notes.csv:\n      body: {form: Text}\n",
            4,
            "the name for body must be a column name, a list of column names to join",
        ),
        (
            "csv:\n  preset: hubspot\n",
            2,
            "unknown preset 'hubspot' (did you mean 'hubspot-export'?)",
        ),
        ("csv:\n  preset: ./mine.yaml\n", 2, "no preset file"),
    ],
)
def test_bad_mapping_settings_name_the_configuration_line(tmp_path, text, line, message):
    assert_setting_error(tmp_path, text, line, message)


def test_only_clients_csv_warns_once_that_every_client_will_be_ok(tmp_path):
    make_bundle(tmp_path, clients_csv=CLIENTS)
    source = connector(tmp_path)

    list(source.read())

    (warning,) = source.warnings()
    assert "no invoices.csv, activities.csv, notes.csv or time_entries.csv" in warning
    assert "every client will be ok" in warning


def test_a_missing_column_points_to_the_mapping_the_presets_and_the_api_connectors(tmp_path):
    make_bundle(tmp_path, clients_csv="Record ID,Company name\n1,Acme\n")

    with pytest.raises(InputError) as raised:
        connector(tmp_path).read()

    message = str(raised.value)
    for hint in ("csv.columns", "csv.preset", "hubspot-export", "--connector hubspot"):
        assert hint in message


def test_a_source_naming_a_file_says_it_wants_the_folder(tmp_path):
    make_bundle(tmp_path, clients_csv=CLIENTS)

    with pytest.raises(InputError, match=f"use --source {tmp_path}$"):
        connector(tmp_path / "clients.csv").read()


def test_file_names_match_in_any_case(tmp_path: Path):
    make_bundle(tmp_path, Clients_csv=CLIENTS, Invoices_csv="x\n")
    (tmp_path / "Clients.csv").rename(tmp_path / "CLIENTS.CSV")

    with pytest.raises(InputError, match=r"Invoices\.csv:1: no column 'client_id'"):
        connector(tmp_path).read()


def test_every_configuration_example_in_the_csv_docs_loads(tmp_path):
    import re

    from crmflags.yamlfile import load_yaml
    from crmflags_csv.presets import load_preset

    docs = Path(__file__).resolve().parent.parent / "docs" / "csv-bundle.md"
    examples = re.findall(r"```yaml\n(.*?)```", docs.read_text(encoding="utf-8"), re.S)
    assert len(examples) >= 5
    for number, example in enumerate(examples):
        path = tmp_path / f"example-{number}.yaml"
        path.write_text(example, encoding="utf-8")
        data = load_yaml(path)
        if "files" in data:  # a preset
            assert load_preset(path)[0].canonical == "clients.csv"
        else:
            connector(tmp_path, config=data["csv"], config_path=path)  # raises if invalid
