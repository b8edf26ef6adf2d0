"""What evaluate prints for a CSV bundle: its dialect, formula cells made harmless, the failed
count and the read's warnings; and a sync's write-back never writing a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from test_csv_read import make_bundle

from crmflags.cli import cli
from crmflags.cli.output import to_csv
from crmflags.evaluation.evaluate import ClientResult, Evaluation, Reason
from crmflags.model import Client

AS_OF = "2026-11-01"
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def config(tmp_path: Path) -> str:
    path = tmp_path / "crmflags.yaml"
    path.write_text("timezone: Europe/Budapest\n", encoding="utf-8")
    return str(path)


def result_for(name: str, score: float) -> ClientResult:
    reason = Reason("r", "late_payer", score, "=late", {}, "")
    return ClientResult(Client("c-1", name), score, "watch", ["late_payer"], [reason], {})


def test_formula_cells_get_a_quote_and_numbers_the_sources_decimal_mark():
    evaluation = Evaluation(None, None, None, None, [result_for("=HYPERLINK(1)", 2.5)])

    rows = list(csv.reader(io.StringIO(to_csv(evaluation, ";", ",")), delimiter=";"))
    raw = list(csv.reader(io.StringIO(to_csv(evaluation, guard=False))))

    assert rows[1] == ["c-1", "'=HYPERLINK(1)", "watch", "2,5", "late_payer", "'=late"]
    assert raw[1] == ["c-1", "=HYPERLINK(1)", "watch", "2.5", "late_payer", "=late"]


def test_every_formula_start_owasp_names_is_neutralised():
    for name in HOSTILE:
        evaluation = Evaluation(None, None, None, None, [result_for(name, 1)])
        (_, row) = list(csv.reader(io.StringIO(to_csv(evaluation), newline="")))
        assert row[1] == "'" + name


def test_evaluate_csv_follows_a_semicolon_bundle_and_delimiter_overrides_it(tmp_path):
    folder = make_bundle(
        tmp_path / "bundle",
        clients_csv='id;name;hourly_rate_target\nc-1;"=HYPERLINK(""http://evil"")";"12,5"\n',
    )
    base = ["--config", config(tmp_path), "evaluate", "--source", str(folder), "--as-of", AS_OF]

    own = run(*base, "--format", "csv")
    chosen = run(*base, "--format", "csv", "--delimiter", "tab")
    raw = run(*base, "--format", "csv", "--no-formula-guard")

    assert own.exit_code == 0, own.output
    assert own.stdout.splitlines() == [
        "id;name;level;score;tags;reasons",
        'c-1;"\'=HYPERLINK(""http://evil"")";ok;0;;',
    ]
    assert chosen.stdout.splitlines()[0] == "id\tname\tlevel\tscore\ttags\treasons"
    assert raw.stdout.splitlines()[1] == 'c-1;"=HYPERLINK(""http://evil"")";ok;0;;'


def test_the_evaluate_summary_counts_the_failed_clients(tmp_path):
    folder = make_bundle(tmp_path / "bundle", clients_csv="id,name\nc-1,Acme\nc-2,\n")

    result = run("--config", config(tmp_path), "evaluate", "--source", str(folder))

    assert result.exit_code == 1
    assert "1 clients, ruleset freelancer" in result.stdout
    assert "1 ok, 0 watch, 0 warning, 0 fire, 1 failed" in result.stdout


def test_json_output_carries_the_reads_warnings(tmp_path):
    folder = make_bundle(
        tmp_path / "bundle",
        clients_csv="id,name\nc-1,Acme\n",
        activities_csv="client_id,occurred_at,kind\nc-1,2026-10-01,Feladat\nc-1,2026-10-02,call\n",
    )
    path = tmp_path / "crmflags.yaml"
    path.write_text(
        "csv:\n  values:\n    activities.csv:\n      kind: {Feladat: ignore}\n", encoding="utf-8"
    )

    result = run("--config", str(path), "evaluate", "--source", str(folder), "--format", "json")

    assert result.exit_code == 0
    assert json.loads(result.stdout)["warnings"] == [
        "activities.csv: 1 row ignored (kind 'Feladat': 1)"
    ]
    assert "activities.csv: 1 row ignored (kind 'Feladat': 1)" in result.stderr


def test_write_back_keeps_hostile_names_as_they_are_and_writes_no_formula(tmp_path):
    names = "".join(
        f'c-{n};"{name.replace(chr(34), chr(34) * 2)}"\n' for n, name in enumerate(HOSTILE)
    )
    folder = make_bundle(tmp_path / "bundle", clients_csv="id;name\n" + names)
    before = (folder / "clients.csv").read_bytes()
    state = tmp_path / "state.db"

    result = run(
        "--config", config(tmp_path), "sync", "--source", str(folder), "--state", str(state)
    )

    assert result.exit_code == 0, result.output
    after = list(
        csv.reader(
            io.StringIO((folder / "clients.csv").read_bytes().decode(), newline=""), delimiter=";"
        )
    )
    original = list(csv.reader(io.StringIO(before.decode(), newline=""), delimiter=";"))
    assert [row[:2] for row in after] == [row[:2] for row in original]
    written = [cell for row in after[1:] for cell in row[2:]]
    assert written and not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in written
    )


def test_the_dialect_is_the_bundles_delimiter_and_the_decimal_mark_its_numbers_use(tmp_path):
    from test_csv_read import connector

    hungarian = make_bundle(
        tmp_path / "hu",
        clients_csv="id;name;hourly_rate_target\nc-1;A;12,5\n",
        invoices_csv="client_id;invoice_id;issued_on;due_on;amount\nc-1;i;2026-01-01;2026-01-31;9.500\n",
    )
    mixed = make_bundle(
        tmp_path / "mixed",
        clients_csv="id,name,hourly_rate_target\nc-1,A,12.5\n",
        time_entries_csv='client_id,date,hours\nc-1,2026-01-01,"7,5"\n',
    )
    read_hu, read_mixed = connector(hungarian), connector(mixed)
    list(read_hu.read())
    list(read_mixed.read())

    assert read_hu.csv_dialect() == (";", ",")
    assert read_mixed.csv_dialect() == (",", ".")  # the files disagree: the usual mark
