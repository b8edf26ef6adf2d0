"""``crmflags report``: the risk report page, its content, escaping and how a browser draws it."""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.app import App
from crmflags.cli.demo import SAMPLE_AS_OF, prepare, write_demo_report
from crmflags.cli.sync import run_sync
from crmflags.evaluation.metrics import BUILTIN_METRICS, format_value
from crmflags.report.charts import bar_chart, score_line
from crmflags.report.data import Point
from crmflags.report.labels import LABELS
from crmflags.sync.state import StateStore

#: The demo is synced once a month up to its as-of day, so clients have a history.
MONTHS = ["2026-07-20", "2026-08-20", "2026-09-20", "2026-10-20", str(SAMPLE_AS_OF)]


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch, tmp_path):
    monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo data synced monthly; returns its folder and configuration file."""
    folder, config = prepare(str(tmp_path_factory.mktemp("report") / "demo"))
    for month in MONTHS:
        result = run("--config", str(config), "sync", "--as-of", month)
        assert result.exit_code == 0, result.output
    return folder, config


@pytest.fixture(scope="module")
def evaluation(demo):
    """The demo's evaluation as of its last sync, as ``evaluate --format json`` prints it."""
    _, config = demo
    result = run("--config", str(config), "evaluate", "--as-of", MONTHS[-1], "--format", "json")
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def page(demo, tmp_path_factory):
    """The report of the demo's last sync, from the state store."""
    _, config = demo
    output = tmp_path_factory.mktemp("page") / "risk.html"
    result = run("--config", str(config), "report", "--output", str(output))
    assert result.exit_code == 0, result.output
    assert f"report written to {output}" in result.output
    return output.read_text(encoding="utf-8")


def section(page: str, name: str) -> str:
    """Return the markup of the page's ``<section class="name">``."""
    found = re.search(rf'<section class="{name}".*?</section>', page, re.S)
    assert found, f"no {name} section"
    return found.group(0)


def client_id(markup: str) -> str:
    """Return the client id shown in a heading or cell (after the client's name)."""
    found = re.search(r'<span class="client-id">(.*?)</span>', markup)
    return found.group(1) if found else markup


def text(markup: str) -> str:
    """Return the text a reader sees in some markup: tags out, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_the_page_counts_clients_per_level_and_tag_as_evaluate_does(page, evaluation):
    overview = section(page, "overview")
    counts = dict(re.findall(r'level-(\w+)">.*?</span></td><td class="num">(\d+)<', overview))
    assert {level: int(n) for level, n in counts.items()} == evaluation["summary"]
    tags = dict(re.findall(r'<code class="tag">(\w+)</code>.*?<td class="num">(\d+)<', overview))
    raised = {}
    for client in evaluation["clients"]:
        for tag in client["tags"]:
            raised[tag] = raised.get(tag, 0) + 1
    assert {tag: int(n) for tag, n in tags.items()} == raised


def test_fire_and_warning_clients_come_first_with_tags_reasons_evidence_and_advice(
    page, evaluation
):
    attention = section(page, "attention")
    cards = re.findall(r'<article class="client client-(\w+)">(.*?)</article>', attention, re.S)
    flagged = [c for c in evaluation["clients"] if c["level"] in ("fire", "warning")]
    expected = sorted(flagged, key=lambda c: (c["level"] != "fire", -c["score"]))
    assert [client_id(re.search(r"<h3>(.*?)</h3>", card).group(1)) for _, card in cards] == [
        c["id"] for c in expected
    ]
    for (level, card), client in zip(cards, expected, strict=True):
        shown = text(card)
        assert level == client["level"]
        assert client["name"] in shown  # the store keeps the names the sync read
        assert LABELS["en"][client["level"]] in shown  # said in words, not colour only
        assert all(tag in shown for tag in client["tags"])
        for reason in client["reasons"]:
            assert reason["message"] in shown and reason["advice"] in shown
            currency = reason["evidence"].get("currency")  # amounts are shown with it
            for name, value in reason["evidence"].items():
                if name not in ("matched_notes", "currency"):
                    assert name in shown
                if name in BUILTIN_METRICS and value is not None:  # as explain shows it
                    unit = BUILTIN_METRICS[name].unit
                    assert f"{name} {format_value(value, unit, 'en', currency)}" in shown
            for note in reason["evidence"].get("matched_notes", []):
                assert note["snippet"] in shown
    watched = [c["id"] for c in evaluation["clients"] if c["level"] in ("watch", "ok")]
    assert not any(f'<span class="client-id">{cid}</span>' in attention for cid in watched)


def test_each_flagged_client_shows_its_score_at_every_sync(page, demo):
    _, config = demo
    for card in re.findall(r"<article.*?</article>", section(page, "attention"), re.S):
        shown_id = client_id(re.search(r"<h3>(.*?)</h3>", card).group(1))
        lines = run("--config", str(config), "history", shown_id).output.splitlines()
        scores = [line.split()[7] for line in lines]
        assert len(scores) == len(MONTHS)
        caption = re.search(r"<figcaption>(.*?)</figcaption>", card).group(1)
        assert html.unescape(caption).endswith(": " + " → ".join(scores))
        assert card.count('<circle class="dot') == len(MONTHS)


def test_changes_since_the_previous_sync_name_every_client_whose_level_or_tags_moved(page, demo):
    folder, _ = demo
    with StateStore(folder / "state.db") as store:
        source = store.runs(limit=1)[0].source
        moved = {}
        for cid in store.last_results(source):
            before, now = store.history(source, cid)[-2:]
            if (before.level, before.tags) != (now.level, now.tags):
                moved[cid] = before.level != now.level
    changes = section(page, "changes")
    assert f"Compared with run {len(MONTHS) - 1}, as of {MONTHS[-2]}" in text(changes)
    rows = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>", changes, re.S)
    listed = {client_id(cell): kind for cell, kind in rows}
    assert set(listed) == set(moved) and moved
    for moved_id, level_moved in moved.items():
        assert (listed[moved_id] in ("worse", "better")) == level_moved


def test_the_page_is_self_contained(page):
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert '<html lang="en">' in page
    assert "@media print" in page


def test_evaluated_now_adds_to_the_recorded_history_and_shows_names(demo, evaluation):
    folder, config = demo
    result = run("--config", str(config), "report", "--source", str(folder), "--as-of", MONTHS[-1])
    assert result.exit_code == 0, result.output
    assert "(evaluated now)" in result.output
    page = (Path.cwd() / "risk.html").read_text(encoding="utf-8")
    assert "Evaluated now" in page and "not recorded as a run" in page
    worst = max(evaluation["clients"], key=lambda c: c["score"])
    card = re.search(r"<article.*?</article>", page, re.S).group(0)
    assert html.escape(worst["name"], quote=True) in card
    assert card.count('<circle class="dot') == len(MONTHS) + 1
    assert f"Compared with run {len(MONTHS)}, as of {MONTHS[-1]}" in text(page)
    assert "Nothing changed since the previous run." in page


def test_labels_follow_lang_and_tag_names_do_not(demo, evaluation, tmp_path):
    _, config = demo
    tags = {tag for c in evaluation["clients"] for tag in c["tags"]}
    for lang in ("hu", "fi", "lv"):
        output = tmp_path / f"risk-{lang}.html"
        result = run("--config", str(config), "report", "-o", str(output), "--lang", lang)
        assert result.exit_code == 0, result.output
        page = output.read_text(encoding="utf-8")
        shown = text(page)
        assert f'<html lang="{lang}">' in page
        for key in ("title", "by_level", "common_tags", "attention", "fire", "warning"):
            assert LABELS[lang][key] in shown, (lang, key)
        assert LABELS["en"]["by_level"] not in shown
        assert all(f'<code class="tag">{tag}</code>' in page for tag in tags)


def test_the_page_speaks_crmflags_yamls_language_unless_lang_says_otherwise(demo, tmp_path):
    _, config = demo
    finnish = config.with_name("crmflags-fi.yaml")
    finnish.write_text(config.read_text(encoding="utf-8") + "language: fi\n", encoding="utf-8")
    output = tmp_path / "risk.html"
    assert run("--config", str(finnish), "report", "-o", str(output)).exit_code == 0
    page = output.read_text(encoding="utf-8")
    assert '<html lang="fi">' in page and LABELS["fi"]["by_level"] in text(page)
    assert run("--config", str(finnish), "report", "-o", str(output), "--lang", "en").exit_code == 0
    assert '<html lang="en">' in output.read_text(encoding="utf-8")


EVIL_NAME = '"><img src=x onerror=alert(1)>'
EVIL_NOTE = "<script>alert(1)</script> threatened us on the phone"


@pytest.fixture
def evil_bundle(tmp_path):
    """A CSV bundle whose client name and note try to inject markup into the page."""
    folder = tmp_path / "evil"
    folder.mkdir()
    name = EVIL_NAME.replace('"', '""')
    (folder / "clients.csv").write_text(f'id;Name\nc-1;"{name}"\n', encoding="utf-8")
    (folder / "notes.csv").write_text(
        f"client_id,created_at,body,marker\nc-1,2026-11-10T10:00,{EVIL_NOTE},threat\n",
        encoding="utf-8",
    )
    return folder


def test_crm_text_is_escaped_so_markup_in_it_shows_as_text(evil_bundle, tmp_path):
    output = tmp_path / "risk.html"
    result = run("report", "--source", str(evil_bundle), "--as-of", "2026-11-20", "-o", str(output))
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    shown = text(page)
    assert EVIL_NAME in shown and "<script>alert(1)</script> threatened us" in shown


def test_without_connector_options_or_a_recorded_sync_it_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 2
    assert "nothing to report" in result.stderr and "--connector" in result.stderr
    assert not (tmp_path / "risk.html").exists()


def test_a_store_without_a_sync_of_the_source_is_an_error(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "clients.csv").write_text("id;Name\nc-1;Acme\n", encoding="utf-8")
    state = tmp_path / "state.db"
    StateStore(state).close()
    result = CliRunner().invoke(
        cli, ["report", "--last-run", "--source", str(folder), "--state", str(state)]
    )
    assert result.exit_code == 2
    assert f"holds no sync of csv:{folder}" in result.stderr


def test_last_run_refuses_evaluation_options(demo):
    _, config = demo
    result = CliRunner().invoke(
        cli, ["--config", str(config), "report", "--last-run", "--as-of", "2026-11-20"]
    )
    assert result.exit_code == 2 and "--last-run" in result.stderr


def test_an_output_folder_that_does_not_exist_is_named(demo, tmp_path):
    _, config = demo
    target = tmp_path / "missing" / "risk.html"
    result = CliRunner().invoke(cli, ["--config", str(config), "report", "-o", str(target)])
    assert result.exit_code == 2
    assert str(target) in result.stderr and "cannot write the report" in result.stderr


def test_the_demo_writes_the_report_of_its_sync_with_names(tmp_path):
    folder, config = prepare(str(tmp_path / "demo"))
    app = App.start(str(config))
    as_of = datetime.combine(SAMPLE_AS_OF, datetime.min.time())
    evaluation, _, _, _ = run_sync(app, None, None, None, None, as_of, dry_run=False)
    path = write_demo_report(app, folder)
    assert path == folder / "risk.html"
    page = path.read_text(encoding="utf-8")
    assert "Sync run 1, " in page and LABELS["en"]["changes_first"] in page
    attention = text(section(page, "attention"))
    for result in evaluation.results:
        assert (result.client.name in attention) == (result.level in ("fire", "warning"))


def test_bars_are_as_long_as_their_values_say():
    chart = bar_chart([("fire", "fire", 6), ("ok", "ok", 3), ("watch", "watch", 0)], width=300)
    fire, ok, watch = chart.bars
    assert fire.width == 300 - chart.label_width - 40
    assert ok.width == fire.width / 2 and watch.width == 0
    assert fire.y < ok.y < watch.y


def test_a_score_line_rises_with_the_score():
    points = [Point(i, SAMPLE_AS_OF, score, "ok") for i, score in enumerate([0, 4, 2])]
    line = score_line(points)
    low, high, middle = (dot.y for dot in line.dots)
    assert high < middle < low  # SVG's y grows downwards
    assert [dot.x for dot in line.dots] == sorted(dot.x for dot in line.dots)


# -- in a real browser ---------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no `chromium` on PATH (Debian: apt-get install chromium); CI installs it",
)

#: The fills the page's style sheet gives the charts, and nothing else.
BAR_FILLS = {
    "fire": (0xB3, 0x26, 0x1E),
    "warning": (0xC7, 0x7C, 0x02),
    "watch": (0x1F, 0x6F, 0x9F),
    "ok": (0x2E, 0x7D, 0x32),
    "tag": (0x4B, 0x57, 0xA8),
}
SCORE_AREA_FILL = (0xD3, 0xDC, 0xF0)


def chromium(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on a page with no network, profile or first-run steps."""
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA PNG into rows of RGB pixels (the standard library only)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and not interlace, f"unexpected PNG {header}"
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * size
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(raw[start], line, previous, size)
        previous = bytearray(line)
        if size == 4:
            del line[3::4]  # the alpha channel
        rows.append(bytes(line))
    return width, height, rows


def _unfilter(kind: int, line: bytearray, up: bytearray, size: int) -> None:
    """Undo a PNG row filter in place: 0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth."""
    if kind == 2:
        line[:] = bytes((a + b) & 255 for a, b in zip(line, up, strict=True))
        return
    for i in range(len(line) if kind else 0):
        left = line[i - size] if i >= size else 0
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 3:
            line[i] = (line[i] + ((left + up[i]) >> 1)) & 255
        else:
            corner = up[i - size] if i >= size else 0
            guess = left + up[i] - corner
            far_left, far_up = abs(guess - left), abs(guess - up[i])
            if far_left <= far_up and far_left <= abs(guess - corner):
                line[i] = (line[i] + left) & 255
            elif far_up <= abs(guess - corner):
                line[i] = (line[i] + up[i]) & 255
            else:
                line[i] = (line[i] + corner) & 255


def box(rows: list[bytes], colour: tuple[int, int, int]) -> tuple[int, int, int, int, int]:
    """Return the box (left, top, right, bottom) of the pixels of one colour and their count."""
    target, found = bytes(colour), []
    for y, row in enumerate(rows):
        at = row.find(target)
        while at != -1:
            if at % 3 == 0:
                found.append((at // 3, y))
            at = row.find(target, at + 1)
    assert found, f"no pixel of colour {colour}"
    xs, ys = [x for x, _ in found], [y for _, y in found]
    return min(xs), min(ys), max(xs), max(ys), len(found)


@needs_chromium
def test_chromium_draws_the_charts(page, evaluation, tmp_path):
    source = tmp_path / "risk.html"
    source.write_text(page, encoding="utf-8")
    shot = tmp_path / "risk.png"
    chromium(source, tmp_path, "--window-size=1280,1600", f"--screenshot={shot}")
    width, height, rows = read_png(shot)
    assert (width, height) == (1280, 1600)

    summary = evaluation["summary"]
    bars = {level: box(rows, BAR_FILLS[level]) for level in ("fire", "warning", "watch", "ok")}
    longest = max(summary.values())
    full = max(right - left + 1 for left, _, right, _, _ in bars.values())
    for level, (left, top, right, bottom, count) in bars.items():
        assert abs((right - left + 1) - full * summary[level] / longest) <= 2, level
        assert bottom - top + 1 >= 15 and count >= (right - left) * 15  # a solid bar
    tops = [bars[level][1] for level in ("fire", "warning", "watch", "ok")]
    assert tops == sorted(tops)  # worst level on top

    left, top, right, bottom, count = box(rows, BAR_FILLS["tag"])
    tag_rows = {y for y, row in enumerate(rows) if bytes(BAR_FILLS["tag"]) in row}
    bands = sum(1 for y in tag_rows if y - 1 not in tag_rows)
    assert bands == len({t for c in evaluation["clients"] for t in c["tags"]})
    assert left > max(b[2] for b in bars.values())  # beside the level chart

    area = box(rows, SCORE_AREA_FILL)
    assert area[1] > bottom and area[4] > 500  # score lines of the first flagged clients


@needs_chromium
def test_in_a_browser_markup_from_the_crm_stays_text(evil_bundle, tmp_path):
    output = tmp_path / "risk.html"
    run("report", "--source", str(evil_bundle), "--as-of", "2026-11-20", "-o", str(output))
    dom = chromium(output, tmp_path, "--dump-dom").stdout
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt; threatened us" in dom
