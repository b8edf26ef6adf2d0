"""Log lines for cron: plain and JSON, file output, redaction, progress and the summary line."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from crmflags import logs
from crmflags.errors import InputError

PLAIN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} (DEBUG|INFO|WARNING|ERROR) .*")


@pytest.fixture(autouse=True)
def clean_logger(monkeypatch):
    monkeypatch.setattr(logs, "_SECRETS", set())
    yield
    logger = logging.getLogger(logs.LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_plain_lines_go_to_stderr(capsys):
    logger = logs.setup_logging(None, "plain", verbose=False)
    logger.debug("not shown")
    logger.info("120 clients read")
    logger.warning("client c-17 failed", extra={"fields": {"client": "c-17", "note": "a b"}})
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 2
    assert all(PLAIN.fullmatch(line) for line in lines)
    assert lines[0].endswith(" INFO 120 clients read")
    assert lines[1].endswith(' WARNING client c-17 failed client=c-17 note="a b"')


def test_verbose_shows_debug_lines(capsys):
    logs.setup_logging(None, "plain", verbose=True).debug("GET /crm/v3/objects")
    assert capsys.readouterr().err.rstrip().endswith(" DEBUG GET /crm/v3/objects")


def test_json_lines_carry_the_extra_fields(capsys):
    logger = logs.setup_logging(None, "json", verbose=False)
    logger.info("client changed", extra={"fields": {"client": "c-1", "level": "x", "n": 2}})
    line = json.loads(capsys.readouterr().err)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", line["time"])
    assert line["level"] == "INFO"  # a field never overrides time, level or message
    assert (line["message"], line["client"], line["n"]) == ("client changed", "c-1", 2)


def test_a_log_file_is_appended_to_and_stderr_keeps_only_warnings(tmp_path, capsys):
    path = tmp_path / "crmflags.log"
    path.write_text("earlier run\n")
    logger = logs.setup_logging(path, "plain", verbose=False)
    logger.info("sync started")
    logger.error("client c-2 failed")
    lines = path.read_text().splitlines()
    assert lines[0] == "earlier run"
    assert lines[1].endswith(" INFO sync started") and lines[2].endswith(" ERROR client c-2 failed")
    err = capsys.readouterr().err
    assert "sync started" not in err and "client c-2 failed" in err


def test_a_log_file_in_a_missing_folder_is_refused(tmp_path):
    path = tmp_path / "nowhere" / "crmflags.log"
    with pytest.raises(InputError) as caught:
        logs.setup_logging(path, "plain", verbose=False)
    assert caught.value.where == str(path)
    assert "no folder" in str(caught.value)


def test_an_unknown_format_is_refused():
    with pytest.raises(InputError, match="unknown log format 'xml'"):
        logs.setup_logging(None, "xml", verbose=False)


def test_setting_up_twice_adds_no_duplicate_handlers(tmp_path, capsys):
    logs.setup_logging(tmp_path / "a.log", "plain", verbose=False)
    logger = logs.setup_logging(None, "json", verbose=False)
    logger.info("once")
    assert len(logger.handlers) == 1
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert (tmp_path / "a.log").read_text() == ""


def test_registered_secrets_never_reach_a_line(tmp_path):
    logs.register_secret("tok-123")
    logs.register_secret("")
    path = tmp_path / "crmflags.log"
    logger = logs.setup_logging(path, "plain", verbose=False)
    logger.info("token tok-123 refused", extra={"fields": {"auth": "Bearer tok-123"}})
    logs.setup_logging(path, "json", verbose=False).info(
        'quote "tok-123"', extra={"fields": {"headers": {"auth": ["tok-123"]}}}
    )
    text = path.read_text()
    assert "tok-123" not in text
    plain, document = text.splitlines()
    assert plain.endswith('INFO token *** refused auth="Bearer ***"')
    assert json.loads(document)["headers"] == {"auth": ["***"]}
    assert json.loads(document)["message"] == 'quote "***"'


def test_redact_replaces_the_longest_secret_first():
    assert logs.redact("a abcdef b", ["abc", "abcdef"]) == "a *** b"
    assert logs.redact("nothing here", []) == "nothing here"


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_without_a_terminal_yields_everything_and_asks_nothing(capsys):
    def total():
        raise AssertionError("asked for a total with no bar to draw")  # e.g. an API call

    with logs.Progress() as progress:
        progress.phase("reading hubspot", total)
        assert list(progress.count(iter(range(5)))) == [0, 1, 2, 3, 4]
    assert capsys.readouterr() == ("", "")


def test_progress_on_a_terminal_shows_counts_share_and_eta(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    known = {"total": None}
    with logs.Progress(status=lambda: "7 API calls") as progress:
        progress.phase("reading hubspot", lambda: known["total"])
        assert "reading hubspot  0 clients  0:00  7 API calls" in terminal.getvalue()
        known["total"] = 4  # the connector has listed its ids
        monkeypatch.setattr(logs, "_REDRAW_EVERY", 0)
        list(progress.count(range(2)))
        assert "[############------------]  2/4 clients  50%  ETA 0:00" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")  # the line is cleared at the end


def test_on_a_terminal_log_lines_have_no_timestamp_and_clear_the_bar(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    logger = logs.setup_logging(None, "plain", False)
    with logs.Progress() as progress:
        progress.phase("evaluating", 3)
        logger.error("the state store failed")
        logger.warning("drift: client c-06")
        logger.info("sync started at ...", extra=logs.NOT_ON_TERMINAL)
    shown = terminal.getvalue()
    assert "\r\x1b[Kerror: the state store failed\n" in shown
    assert "\r\x1b[Kwarning: drift: client c-06\n" in shown
    assert "sync started" not in shown and " ERROR " not in shown
    assert shown.count("evaluating  [") >= 3  # drawn, then again after each line


def test_off_a_terminal_every_line_keeps_its_timestamp(capsys):
    logger = logs.setup_logging(None, "plain", False)
    logger.error("the state store failed")
    logger.info("sync started at ...", extra=logs.NOT_ON_TERMINAL)
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} ERROR the state store failed", lines[0]
    )
    assert lines[1].endswith(" INFO sync started at ...")


def test_durations_read_as_people_say_them():
    assert [logs.duration(s) for s in (0.42, 12.4, 185)] == ["0.4 s", "12 s", "3 min 05 s"]


def test_summary_line():
    counts = {"read": 120, "evaluated": 118, "changed": 7, "failed": 2, "api_calls": 0}
    assert logs.summary_line(counts) == (
        "sync finished: 120 clients read, 118 evaluated, 7 changed, 2 failed, 0 API calls"
    )
    counts.update(read=1, evaluated=1, changed=0, failed=0, api_calls=1, skipped=3, drift=1)
    assert logs.summary_line(counts) == (
        "sync finished: 1 client read, 1 evaluated, 3 skipped, 0 changed, 1 drifted, "
        "0 failed, 1 API call"
    )
