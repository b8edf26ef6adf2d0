"""The report tells the whole truth: snoozed, acknowledged and hand-edited clients, readable
tag and metric labels in each language, a first run's score, and a page that reads on a phone."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.report.labels import LABELS
from crmflags.report.vocabulary import METRIC_LABELS, TAG_LABELS
from crmflags.tags import TAGS

AS_OF = str(SAMPLE_AS_OF)


def run(config: Path, *args: str):
    result = CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def section(page: str, name: str) -> str:
    found = re.search(rf'<section class="{name}".*?</section>', page, re.S)
    assert found, f"no {name} section"
    return found.group(0)


def row_of(markup: str, client_id: str) -> str:
    rows = re.findall(r"<tr>.*?</tr>", markup, re.S)
    return " ".join(text(r) for r in rows if f'<span class="client-id">{client_id}</span>' in r)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The demo synced twice; then c-30's after_hours snoozed, every tag of c-08 snoozed,
    c-04's after_hours acknowledged, c-06's tags edited by hand; then synced again."""
    folder, config = prepare(str(tmp_path_factory.mktemp("truth") / "book"))
    run(config, "sync", "--as-of", "2026-10-20")
    run(config, "sync", "--as-of", AS_OF)
    run(config, "snooze", "c-30", "after_hours", "--until", "2030-01-15")
    run(config, "snooze", "c-08", "--until", "2030-02-01")
    run(config, "ack", "c-04", "after_hours")
    clients = folder / "clients.csv"
    clients.write_bytes(clients.read_bytes().replace(b";late_payer;", b";reviewed by Anna;", 1))
    run(config, "sync", "--as-of", AS_OF)
    return folder, config


@pytest.fixture(scope="module")
def pages(book, tmp_path_factory):
    """The report of the last sync in each language, and one evaluated now (English)."""
    folder, config = book
    out = tmp_path_factory.mktemp("pages")
    found = {}
    for lang in ("en", "hu", "fi", "lv"):
        run(config, "report", "-o", str(out / f"{lang}.html"), "--lang", lang)
        found[lang] = (out / f"{lang}.html").read_text(encoding="utf-8")
    run(config, "report", "--source", str(folder), "--as-of", AS_OF, "-o", str(out / "now.html"))
    found["now"] = (out / "now.html").read_text(encoding="utf-8")
    return found


@pytest.mark.parametrize("which", ["en", "now"])
def test_snoozed_and_acknowledged_tags_are_shown_with_until_when_and_the_command(pages, which):
    page = pages[which]
    quieted = section(page, "quieted")
    c30 = row_of(quieted, "c-30")
    assert "after_hours" in c30 and "snoozed until 2030-01-15" in c30
    assert "crmflags snooze c-30 after_hours --until 2030-01-15" in c30
    assert "crmflags snooze c-30 after_hours --remove" in c30
    assert "contacts outside business hours" in c30  # what the hidden reason says
    c08 = row_of(quieted, "c-08")
    assert "snoozed until 2030-02-01 (every tag of the client)" in c08
    assert "crmflags snooze c-08 --until 2030-02-01" in c08
    c04 = row_of(quieted, "c-04")
    assert "acknowledged, until its evidence changes" in c04
    assert (
        "crmflags ack c-04 after_hours" in c04 and "crmflags ack c-04 after_hours --remove" in c04
    )
    assert re.search(r"set on \d{4}-\d\d-\d\d with", c04)
    # They do not vanish from the client's own row either.
    everyone = row_of(section(page, "everyone"), "c-30")
    assert "after_hours" in everyone and "snoozed until 2030-01-15" in everyone


@pytest.mark.parametrize("which", ["en", "now"])
def test_a_drifted_field_shows_the_crms_value_beside_ours(pages, which):
    markup = section(pages[which], "drift")
    drift = row_of(markup, "c-06")
    assert "risk_tags" in drift
    assert '<td data-label="In the CRM" class="theirs"><q class="value">reviewed by Anna</q>' in (
        markup
    )
    assert '<td data-label="crmflags wrote" class="ours"><q class="value">late_payer</q>' in markup
    assert "crmflags keep c-06 risk_tags" in drift and "--overwrite-drift" in drift
    everyone = row_of(section(pages[which], "everyone"), "c-06")
    assert "risk_tags edited in the CRM: reviewed by Anna" in everyone


def test_a_kept_edit_is_shown_as_kept(book, tmp_path):
    _, config = book
    run(config, "keep", "c-06")
    run(
        config, "report", "--source", str(book[0]), "--as-of", AS_OF, "-o", str(tmp_path / "p.html")
    )
    drift = row_of(section((tmp_path / "p.html").read_text(), "drift"), "c-06")
    assert "kept with crmflags keep c-06 risk_tags" in drift
    run(config, "keep", "c-06", "--remove")


@pytest.mark.parametrize("lang", ["en", "hu", "fi", "lv"])
def test_tags_and_evidence_carry_readable_labels_in_the_pages_language(pages, lang):
    page = pages[lang]
    for tag in ("late_payer", "after_hours", "abusive"):
        label = html.escape(TAG_LABELS[lang][tag], quote=True)
        pair = f'<span class="tag-label">{label}</span> <code class="tag">{tag}</code>'
        assert pair in page, (lang, tag)
    attention = section(page, "attention")
    for metric in ("avg_days_late", "late_invoice_share", "after_hours_contacts"):
        label = html.escape(METRIC_LABELS[lang][metric], quote=True)
        assert (
            f'<span class="metric-label">{label}</span> <code class="metric">{metric}</code>'
            in (attention)
        )
    if lang != "en":
        assert TAG_LABELS["en"]["late_payer"] not in text(page)


def test_every_language_has_a_label_for_every_tag_and_builtin_metric():
    from crmflags.evaluation.metrics import BUILTIN_METRICS

    for lang in LABELS:
        assert set(TAG_LABELS[lang]) == set(TAGS)
        assert set(BUILTIN_METRICS) <= set(METRIC_LABELS[lang]), lang


def test_a_first_runs_score_is_a_value_not_an_empty_chart(tmp_path):
    folder, config = prepare(str(tmp_path / "first"))
    run(config, "sync", "--as-of", AS_OF)
    run(config, "report", "-o", str(tmp_path / "first.html"))
    card = re.search(r"<article.*?</article>", (tmp_path / "first.html").read_text(), re.S)[0]
    assert '<svg class="score-line"' not in card
    score = re.search(r"Score <strong>(\d+)</strong>", card)[1]
    assert f'<p class="score-now" aria-hidden="true">{score}</p>' in card
    assert LABELS["en"]["trend_one"] in card


CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no `chromium` on PATH (Debian: apt-get install chromium)"
)

#: What is checked of the page's layout in the browser, one check per painted square.
CHECKS = {
    "the window is the phone's width": "innerWidth === WIDTH",
    "nothing runs off the screen": "document.documentElement.scrollWidth <= innerWidth",
    "a reason's cells stack": 'getComputedStyle(cell).display === "block"',
    "a cell takes the whole width": "cell.getBoundingClientRect().width >= table.width - 1",
    "each cell is under its column's name": 'getComputedStyle(cell, "::before").content === \'"Tag"\'',
    "the all-clients table stacks": 'getComputedStyle(everyone).display === "block"',
}


def checker(width: int) -> str:
    """A script for a copy of the page: paints one square per check, green if it holds.

    Headless Chromium loads the page in a window of at least 500 pixels and takes the
    screenshot after resizing it to the size asked for, so the checks run again on
    every resize: the squares show the layout the screenshot shows.
    """
    squares = "".join(
        f"paint({i}, {condition.replace('WIDTH', str(width))});"
        for i, condition in enumerate(CHECKS.values())
    )
    return f"""<script>
function paint(i, ok) {{
  const square = document.createElement("div");
  square.className = "check";
  square.style.cssText = "position:fixed;top:0;width:20px;height:20px;z-index:9;left:" + (i * 30) +
    "px;background:" + (ok ? "#00ff00" : "#ff0000");
  document.body.appendChild(square);
}}
function check() {{
  document.querySelectorAll(".check").forEach((old) => old.remove());
  const cell = document.querySelector("table.reasons td");
  const table = cell.closest("table").getBoundingClientRect();
  const everyone = document.querySelector("section.everyone td");
  {squares}
}}
check();
addEventListener("resize", check);
</script></body>"""


@needs_chromium
def test_at_phone_width_the_tables_stack_and_nothing_runs_off_the_screen(pages, tmp_path):
    from test_report import read_png

    copy = tmp_path / "phone.html"
    copy.write_text(pages["en"].replace("</body>", checker(390)), encoding="utf-8")
    shot = tmp_path / "phone.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=390,900",
            f"--screenshot={shot}",
            copy.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    width, _, rows = read_png(shot)
    assert width == 390
    painted = {
        name: rows[10][(i * 30 + 10) * 3 : (i * 30 + 10) * 3 + 3] for i, name in enumerate(CHECKS)
    }
    assert {name for name, pixel in painted.items() if pixel != bytes((0, 255, 0))} == set()
