"""Presets: a folder of HubSpot's or Pipedrive's own exports evaluates with only the preset set.

The folders below are shaped as the vendors document their exports: HubSpot writes one
file per object with property labels as headers and a multi-valued "Associated Company
IDs" column (ids joined by ";"); Pipedrive names its columns "<Item> - <Field>" and gives
an activity's due date and due time in two columns. Where the docs leave a detail open,
docs/csv-bundle.md says so.
"""

from __future__ import annotations

import types
from datetime import datetime
from pathlib import Path

import pytest
from test_csv_read import BUDAPEST, evaluate_json, make_bundle, yaml_section
from test_csv_read import connector as csv_connector

from crmflags import hookimpl
from crmflags.errors import InputError
from crmflags.loading.plugins import PluginInfo, Plugins, new_manager

AS_OF = "2026-11-01"


def night_calls(company: str, count: int) -> str:
    """Inbound calls at 22:15 on consecutive days of October, as HubSpot exports them."""
    return "".join(
        f"{900 + n},2026-10-{n + 1:02d} 22:15,Inbound,Late question {n},{company}\n"
        for n in range(count)
    )


def hubspot_folder(folder: Path) -> Path:
    """Write a folder of HubSpot exports: companies, calls, emails, meetings, notes, invoices."""
    return make_bundle(
        folder,
        **{
            "hubspot-crm-exports-all-companies-2026-11-01_csv": (
                "Record ID,Company name,Company Domain Name,Company owner,Create Date\n"
                "101,Acme Kft,acme.hu,Anna,2025-01-10 09:00\n"
                "102,Beta Oy,beta.fi,Anna,2025-02-11 10:00\n"
                "103,Gamma SIA,gamma.lv,Anna,2025-03-12 11:00\n"
            ),
            "hubspot-crm-exports-all-calls-2026-11-01_csv": (
                "Record ID,Activity date,Call direction,Call title,Associated Company IDs\n"
                + night_calls("101", 6)
                + '950,2026-10-20 10:00,Outbound,Kick-off,"101;102"\n'
            ),
            "hubspot-crm-exports-all-emails-2026-11-01_csv": (
                "Record ID,Activity date,Email direction,Email subject,Associated Company IDs\n"
                "801,2026-10-21 09:30,INCOMING_EMAIL,Question,102\n"
                "802,2026-10-21 11:00,EMAIL,Answer,102\n"
            ),
            "hubspot-crm-exports-all-meetings-2026-11-01_csv": (
                "Record ID,Activity date,Meeting name,Associated Company IDs\n"
                "701,2026-10-22 14:00,Review,103\n"
            ),
            "hubspot-crm-exports-all-notes-2026-11-01_csv": (
                "Record ID,Activity date,Note body,Associated Company IDs\n"
                '601,2026-10-23 16:00,"Asked for a discount again",103\n'
            ),
            "hubspot-crm-exports-all-invoices-2026-11-01_csv": (
                "Record ID,Invoice number,Invoice date,Due date,Payment date,Amount billed,"
                "Currency,Invoice status,Associated Company IDs\n"
                "501,INV-1,2026-08-01,2026-08-31,,1200.00,EUR,open,101\n"
                "502,INV-2,2026-09-01,2026-09-30,,99.00,EUR,draft,101\n"
                "503,INV-3,2026-09-01,2026-09-30,2026-09-20,500.00,EUR,paid,103\n"
            ),
        },
    )


def pipedrive_folder(folder: Path) -> Path:
    """Write a folder of Pipedrive exports: organizations, activities, notes."""
    late = "".join(f"Evening call {n},Call,2026-10-{n + 1:02d},21:30,Done,1\n" for n in range(6))
    return make_bundle(
        folder,
        **{
            "organizations-1234567-1_csv": (
                "Organization - ID,Organization - Name,Organization - Owner,Organization - Address\n"
                "1,Acme Kft,Anna,Budapest\n"
                "2,Beta Oy,Anna,Helsinki\n"
            ),
            "activities-1234567-2_csv": (
                "Activity - Subject,Activity - Type,Activity - Due date,Activity - Due time,"
                "Activity - Done,Organization - ID\n"
                + late
                + "Prepare offer,Task,2026-10-10,,Done,2\n"
                + "Send invoice,Deadline,2026-10-11,,Done,2\n"
                + "Lunch,Lunch,2026-10-12,12:00,Done,2\n"
                + "Next call,Call,2026-11-20,10:00,To do,2\n"
                + "Check-in,Call,2026-10-13,,Done,2\n"
            ),
            "notes-1234567-3_csv": (
                "Note - Content,Note - Add time,Organization - ID\n"
                '"<p>Wants everything by <b>tonight</b></p>",2026-10-14 08:00:00,2\n'
            ),
        },
    )


def preset_connector(
    tmp_path: Path, folder: Path, preset: str, extra: str = "", presets: dict | None = None
):
    csv, path = yaml_section(tmp_path, f"csv:\n  preset: {preset}\n{extra}")
    return csv_connector(folder, config=csv, config_path=path, presets=presets or {})


def evaluate_preset(tmp_path: Path, folder: Path, preset: str) -> dict:
    config = tmp_path / "crmflags.yaml"
    config.write_text(f"timezone: Europe/Budapest\ncsv:\n  preset: {preset}\n", encoding="utf-8")
    return evaluate_json(config, folder, AS_OF)


def test_a_folder_of_hubspot_exports_reads_with_only_the_preset(tmp_path):
    folder = hubspot_folder(tmp_path / "exports")
    source = preset_connector(tmp_path, folder, "hubspot-export")

    acme, beta, gamma = source.read()

    assert (acme.id, acme.name) == ("101", "Acme Kft")
    assert [(a.kind, a.direction) for a in acme.activities] == [("call", "inbound")] * 6 + [
        ("call", "outbound")
    ]
    assert acme.activities[0].occurred_at == datetime(2026, 10, 1, 22, 15, tzinfo=BUDAPEST)
    assert [(a.kind, a.direction, a.subject) for a in beta.activities] == [
        ("call", "outbound", "Kick-off"),  # the call associated with both companies
        ("email", "inbound", "Question"),
        ("email", "outbound", "Answer"),
    ]
    assert [(a.kind, a.direction) for a in gamma.activities] == [("meeting", "outbound")]
    assert gamma.notes[0].body == "Asked for a discount again"
    assert [(i.invoice_id, i.amount, i.paid_on) for i in acme.invoices] == [("INV-1", 1200, None)]
    assert gamma.invoices[0].paid_on.isoformat() == "2026-09-20"
    assert source.warnings() == [
        "hubspot-crm-exports-all-invoices-2026-11-01.csv: 1 row ignored (Invoice status 'draft': 1)"
    ]


def test_hubspot_exports_evaluate_to_the_tags_their_history_shows(tmp_path):
    folder = hubspot_folder(tmp_path / "exports")

    result = evaluate_preset(tmp_path, folder, "hubspot-export")

    tags = {c["id"]: c["tags"] for c in result["clients"]}
    assert "after_hours" in tags["101"] and "late_payer" in tags["101"]
    assert "after_hours" not in tags["102"]


def test_hubspot_internal_names_and_values_read_the_same(tmp_path):
    labels = hubspot_folder(tmp_path / "labels")
    names = hubspot_folder(tmp_path / "names")
    calls = names / "hubspot-crm-exports-all-calls-2026-11-01.csv"
    text = calls.read_text(encoding="utf-8")
    text = text.replace(
        "Record ID,Activity date,Call direction,Call title",
        "hs_object_id,hs_timestamp,hs_call_direction,hs_call_title",
    )
    calls.write_text(text.replace("Inbound", "INBOUND").replace("Outbound", "OUTBOUND"))

    from_labels = list(preset_connector(tmp_path, labels, "hubspot-export").read())
    from_names = list(preset_connector(tmp_path, names, "hubspot-export").read())

    assert from_names == from_labels


def test_a_folder_of_pipedrive_exports_reads_with_only_the_preset(tmp_path):
    folder = pipedrive_folder(tmp_path / "exports")
    source = preset_connector(tmp_path, folder, "pipedrive-export")

    acme, beta = source.read()

    assert len(acme.activities) == 6
    assert acme.activities[0].occurred_at == datetime(2026, 10, 1, 21, 30, tzinfo=BUDAPEST)
    assert [(a.kind, a.subject, a.has_time) for a in beta.activities] == [
        ("meeting", "Lunch", True),
        ("call", "Check-in", False),  # a date without a time counts for its day only
    ]
    assert "tonight" in beta.notes[0].body
    (warning,) = source.warnings()
    assert warning.startswith("activities-1234567-2.csv: 3 rows ignored (")
    for left_out in ("Activity - Done 'To do': 1", "Activity - Type 'Task': 1", "'Deadline': 1"):
        assert left_out in warning


def test_pipedrive_exports_evaluate_to_the_tags_their_history_shows(tmp_path):
    folder = pipedrive_folder(tmp_path / "exports")

    result = evaluate_preset(tmp_path, folder, "pipedrive-export")

    tags = {c["id"]: c["tags"] for c in result["clients"]}
    assert "after_hours" in tags["1"]
    assert tags["2"] == [] or "after_hours" not in tags["2"]


def test_the_users_columns_and_values_override_the_preset(tmp_path):
    folder = pipedrive_folder(tmp_path / "exports")
    source = preset_connector(
        tmp_path,
        folder,
        "pipedrive-export",
        "  columns:\n    activities.csv: {subject: Activity - Type}\n"
        "  values:\n    activities.csv:\n      kind: {Task: reminder}\n",
    )

    _, beta = source.read()

    assert [(a.kind, a.subject) for a in beta.activities][:2] == [
        ("reminder", "Task"),
        ("meeting", "Lunch"),
    ]


def test_a_missing_clients_export_names_the_files_the_preset_reads(tmp_path):
    folder = make_bundle(tmp_path / "exports", clients_csv="id,name\n1,A\n")
    source = preset_connector(tmp_path, folder, "hubspot-export")

    with pytest.raises(InputError) as raised:
        source.read()

    assert str(raised.value) == (
        f"no clients file in {folder}: the preset hubspot-export reads it from a file named "
        "like *compan*.csv"
    )


def test_a_plugin_adds_a_preset_through_the_hook(tmp_path):
    preset = tmp_path / "presets" / "my-crm-export.yaml"
    preset.parent.mkdir()
    preset.write_text(
        "description: MyCRM\nfiles:\n  clients.csv:\n    match: accounts.csv\n"
        "    columns: {id: Account, name: Title}\n",
        encoding="utf-8",
    )
    plugin = types.ModuleType("crmflags_mycrm")  # a plugin is a module
    plugin.register_csv_presets = hookimpl(lambda register: register(preset.parent))
    plugins = Plugins(new_manager())
    plugins.add(plugin, PluginInfo("mycrm", "crmflags-mycrm", "1.0"))
    folder = make_bundle(tmp_path / "exports", accounts_csv="Account,Title\nA-1,Acme\n")

    presets = plugins.csv_presets()
    (client,) = preset_connector(tmp_path, folder, "my-crm-export", presets=presets).read()

    assert (client.id, client.name) == ("A-1", "Acme")


def test_a_preset_skip_on_clients_leaves_those_clients_out(tmp_path):
    preset = tmp_path / "mine.yaml"
    preset.write_text(
        "files:\n  clients.csv:\n    match: accounts.csv\n"
        "    columns: {id: Account, name: Title}\n    skip: {Status: [closed]}\n",
        encoding="utf-8",
    )
    folder = make_bundle(
        tmp_path / "exports", accounts_csv="Account,Title,Status\nA-1,Acme,open\nA-2,Beta,closed\n"
    )

    clients = list(preset_connector(tmp_path, folder, "./mine.yaml").read())

    assert [client.id for client in clients] == ["A-1"]


def test_a_bad_preset_file_is_named_with_its_line(tmp_path):
    preset = tmp_path / "mine.yaml"
    preset.write_text(
        "files:\n  clients.csv:\n    match: a.csv\n    colums: {id: X}\n", encoding="utf-8"
    )

    with pytest.raises(InputError) as raised:
        preset_connector(tmp_path, tmp_path, "./mine.yaml")

    assert str(raised.value).startswith(
        f"{preset}:4: unknown key 'colums' (did you mean 'columns'?)"
    )


def test_a_sync_of_hubspot_exports_writes_the_risk_columns_into_the_companies_export(tmp_path):
    from click.testing import CliRunner

    from crmflags.cli import cli

    folder = hubspot_folder(tmp_path / "exports")
    config = tmp_path / "crmflags.yaml"
    config.write_text("timezone: Europe/Budapest\ncsv:\n  preset: hubspot-export\n")
    companies = folder / "hubspot-crm-exports-all-companies-2026-11-01.csv"
    arguments = ["--config", str(config), "sync", "--source", str(folder), "--as-of", AS_OF]

    first = CliRunner().invoke(cli, [*arguments, "--state", str(tmp_path / "state.db")])
    written = companies.read_bytes()
    again = CliRunner().invoke(cli, [*arguments, "--state", str(tmp_path / "state.db")])

    assert first.exit_code == 0, first.output
    header = written.splitlines()[0].decode()
    assert header.endswith(",risk_level,risk_score,risk_tags,risk_reasons,risk_changed_at")
    assert b"after_hours;late_payer" in written  # tags are sorted
    assert again.exit_code == 0 and companies.read_bytes() == written
