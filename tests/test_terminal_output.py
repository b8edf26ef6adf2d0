"""Escape codes in a source's data never reach the terminal; JSON and CSV keep the data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from test_sync_safety import set_field

from crmflags.cli import cli
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.terminal import terminal_safe

AS_OF = str(SAMPLE_AS_OF)
#: Retitles the window, then clears the screen and hides the cursor, in a client's name.
HOSTILE_NAME = "\x1b]0;owned\x07Evil \x1b[2J\x1b[?25lKft"
#: A note that moves the cursor up and rewrites the line before it.
HOSTILE_NOTE = "ügyvédünk levelet küld\x1b[1A\x1b[2K\rnothing failed"
#: What may never be printed: ESC, BEL, CR, and the 8-bit CSI.
CONTROL = ("\x1b", "\x07", "\r", "\x9b")


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """The sample bundle with escape codes in a name, a note, a risk value and an id."""
    monkeypatch.chdir(tmp_path)
    folder, config = prepare(str(tmp_path / "book"))
    clients = folder / "clients.csv"
    text = clients.read_text(encoding="utf-8-sig")
    quoted = f'"{HOSTILE_NAME}"'  # the title sequence has a ";", the file's delimiter
    clients.write_text(
        text.replace("Dunapart Ingatlanfejlesztő Kft.", quoted), encoding="utf-8-sig"
    )
    with (folder / "notes.csv").open("a", encoding="utf-8", newline="") as notes:
        csv.writer(notes).writerow(["c-15", "2026-11-02T10:00", HOSTILE_NOTE, "legal"])
        # A row for a client that is not in clients.csv: its id goes into a warning.
        csv.writer(notes).writerow(["c-\x1b[2Jghost", "2026-11-02T10:00", "x", ""])
    return folder, config


def run(config, *args: str):
    # color=True: as on a terminal, where click strips nothing.
    return CliRunner().invoke(
        cli, ["--config", str(config), *args], color=True, catch_exceptions=False
    )


def shows_no_control(text: str, allowed_colours: bool = False) -> None:
    if allowed_colours:
        # crmflags' own level colours are SGR codes; nothing else may carry an ESC.
        for colour in ("\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[32m", "\x1b[0m"):
            text = text.replace(colour, "")
    for char in CONTROL:
        assert char not in text, repr(text[max(text.find(char) - 40, 0) :][:120])


def test_the_evaluation_table_shows_the_name_without_its_escapes(hostile):
    _, config = hostile
    result = run(config, "evaluate", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    shows_no_control(result.stdout, allowed_colours=True)
    assert "c-15  Evil Kft " in result.stdout  # the name is shown, its sequences dropped
    shows_no_control(result.stderr)
    assert "(c-ghost)" in result.stderr  # the warning names the row, defused


def test_explain_shows_names_and_notes_without_their_escapes(hostile):
    _, config = hostile
    result = run(config, "explain", "c-15", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    shows_no_control(result.stdout)
    assert result.stdout.startswith("c-15  Evil Kft\n")
    assert "nothing failed" in result.stdout


def test_runs_history_and_errors_show_source_values_without_their_escapes(hostile):
    folder, config = hostile
    assert run(config, "sync", "--as-of", AS_OF).exit_code == 0
    # A person types a risk value with escapes; the next sync takes it back, so the
    # audit keeps it as "before" and `runs 2` prints it.
    set_field(folder, "c-15", "risk_level", "\x1b[8mhidden\x1b[0m")
    synced = run(config, "sync", "--as-of", AS_OF, "--overwrite-drift")
    assert synced.exit_code == 0, synced.output
    shows_no_control(synced.stdout + synced.stderr)
    for args in (("runs",), ("runs", "2"), ("history", "c-15")):
        shown = run(config, *args)
        assert shown.exit_code == 0, shown.output
        shows_no_control(shown.stdout)
    assert "c-15  risk_level: hidden -> fire" in run(config, "runs", "2").stdout
    # An error line that quotes data: a client id given on the command line.
    missing = run(config, "history", "c-\x1b]0;x\x07nobody")
    assert missing.exit_code == 2 and "nobody" in missing.stderr
    shows_no_control(missing.stderr)


def test_json_and_csv_output_keep_the_data_exactly(hostile):
    _, config = hostile
    document = json.loads(run(config, "evaluate", "--as-of", AS_OF, "--format", "json").stdout)
    names = {c["id"]: c["name"] for c in document["clients"]}
    assert names["c-15"] == HOSTILE_NAME
    table = run(config, "evaluate", "--as-of", AS_OF, "--format", "csv", "--delimiter", ",").stdout
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(table))}
    assert rows["c-15"]["name"] == HOSTILE_NAME


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain Kft. – ügyvéd", "plain Kft. – ügyvéd"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
        ("title\x1b]2;x\x07", "title"),
        ("\x1bPdevice\x1b\\ok", "ok"),
        ("reset\x1bc", "reset"),
        ("8-bit \x9b2J csi", "8-bit  csi"),
        ("nul\x00 bel\x07 del\x7f", "nul bel del"),
        ("line one\nline two\r\n\tend", "line one line two  end"),
        ("\u202egnp.exe", "gnp.exe"),
        ("lone escape at the end \x1b", "lone escape at the end "),
    ],
)
def test_terminal_safe_removes_escapes_and_controls(text, shown):
    assert terminal_safe(text) == shown


def test_terminal_safe_keeps_lines_when_asked():
    assert terminal_safe("one\n\x1b[1Atwo\r\n\tthree", lines=True) == "one\ntwo\n three"
