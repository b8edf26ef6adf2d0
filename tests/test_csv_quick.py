"""The quick row builders agree with the careful ones on random rows.

The quick builders (quick.py) read plain rows fast and may decline any row; whenever
one does build a row, the careful builder (rows.py) must build exactly the same object.
Rows are drawn from every form a cell may take: ISO, Hungarian, dotted and slash dates
with and without times, amounts with either decimal mark, grouped thousands, currency
signs and codes, yes/no words, kinds in any case, mapped values and joined columns, and
junk; columns are read in every form (decimal mark known or not, slash order known or
not, or not settled yet).
"""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

import pytest

from crmflags_csv.bundle import HISTORY
from crmflags_csv.column_forms import ColumnForms
from crmflags_csv.columns import FILES
from crmflags_csv.formats import (
    ANY_DATE,
    UNSETTLED_DATE,
    UNSETTLED_NUMBER,
    DateForm,
    NumberForm,
    forced_date_form,
    forced_number_form,
)
from crmflags_csv.plan import ColumnSource, FilePlan, locate
from crmflags_csv.quick import quick_builder
from crmflags_csv.rows import Cells

ZONE = ZoneInfo("Europe/Budapest")
ROWS = 4000

DATES = [
    "2026-03-04",
    "2026-13-01",
    "2026.03.04.",
    "2026. 03. 04.",
    "04.03.2026",
    "4.3.2026",
    "03/04/2026",
    "13/04/2026",
    "04/13/2026",
    "2026-02-30",
    "abc",
    "",
    " 2026-03-04 ",
    "2026-03-04T10:30",
    "2026.03.04. 10:30",
]
MOMENTS = DATES + [
    "2026-03-04T23:10:00+01:00",
    "2026-03-04 08:30",
    "2026.03.04. 22:15:30",
    "04.03.2026 7:05",
    "03/04/2026 2:30 PM",
    "2026-03-04T25:00",
    "2026-03-04Z",
]
TIMES = ["", "10:30", "22:15", "7:05", "25:99", "x"]
NUMBERS = [
    "1200",
    "1.200,00",
    "1,200.00",
    "9.500",
    "1,234",
    "7,5",
    "12.5",
    "0.500",
    "1 234,50",
    "-3",
    "(12)",
    "€ 12",
    "9.500 Ft",
    "12 EUR",
    "12 kr",
    "lots",
    "",
    "1.2.3",
    ".5",
    "1.234.567",
    "0",
    "100",
]
FLAGS = ["", "yes", "no", "igen", "nem", "Kyllä", "EI", "true", "1", "0", "maybe"]
KINDS = ["call", "Call", "Rush Request", "change-request", "reminder", "fax", "", "Hívás", "HIVAS"]
DIRECTIONS = ["", "inbound", "OUTBOUND", "sideways", "Bejövő"]
MARKERS = ["", "legal", "Threat", "advice ignored", "rude"]
CURRENCIES = ["", "EUR", "huf", "Ft", "€", "Euro"]
TEXT = ["", "x", " spaced ", "Kovács; Kft", "i-1"]
POOLS = {
    "date": DATES,
    "timestamp": MOMENTS,
    "number": NUMBERS,
    "flag": FLAGS,
    "link": ["c-1"],
}
CHOICES = {"kind": KINDS, "direction": DIRECTIONS, "marker": MARKERS, "currency": CURRENCIES}


def forms_for(columns, rng: random.Random) -> ColumnForms:
    """Random forms for a file's date and number columns, settled or not."""
    dates = {
        c: rng.choice(
            [
                ANY_DATE,
                UNSETTLED_DATE,
                DateForm(day_first=True),
                DateForm(day_first=False),
                forced_date_form("YYYY.MM.DD."),
                forced_date_form("MM/DD/YYYY"),
            ]
        )
        for c in columns.of_type("date", "timestamp")
    }
    numbers = {
        c: rng.choice(
            [
                NumberForm(),
                UNSETTLED_NUMBER,
                NumberForm(decimal=","),
                NumberForm(decimal="."),
                forced_number_form(","),
                NumberForm(reason="both marks"),
            ]
        )
        for c in columns.of_type("number")
    }
    return ColumnForms(dates, numbers)


def plan_for(file: str, mapped: bool) -> tuple[FilePlan, list[str]]:
    """A plan and the source header of a file; ``mapped``: Hungarian names, value maps and
    a date joined with a time column."""
    columns = FILES[file]
    plan = FilePlan(columns, (file,))
    header = list(columns.known)
    if mapped:
        header = [f"H {c}" for c in columns.known]
        plan.sources = {c: ColumnSource(((f"H {c}",),)) for c in columns.known}
        moments = columns.of_type("timestamp")
        if moments:
            plan.sources[moments[0]] = ColumnSource(((f"H {moments[0]}", "H time"),))
            header.append("H time")
        if "kind" in columns.known:
            plan.values["kind"] = {"hivas": "call", "fax": "message"}
        if "direction" in columns.known:
            plan.values["direction"] = {"bejovo": "inbound"}
    return plan, header


def cell_for(column: str, kind: str | None, rng: random.Random) -> str:
    pool = CHOICES.get(column) or POOLS.get(kind) or TEXT
    return rng.choice(pool)


@pytest.mark.parametrize("file", [f for f in FILES if f != "clients.csv"])
@pytest.mark.parametrize("mapped", [False, True])
def test_quick_and_careful_builders_agree_on_random_rows(file, mapped):
    rng = random.Random(f"{file}-{mapped}")
    plan, header = plan_for(file, mapped)
    layout, shape, _ = locate(plan, header, file, f"{file}:1")
    target, build = HISTORY[file]
    columns = FILES[file]
    built = agreed = 0
    for _ in range(ROWS // 40):
        forms = forms_for(columns, rng)
        quick = quick_builder(layout, ZONE, forms)
        for line in range(2, 42):
            row = [cell_for(c, columns.types.get(c), rng) for c in columns.known]
            if mapped and "H time" in header:
                row.append(rng.choice(TIMES))
            if rng.random() < 0.05:
                row = row[: rng.randrange(len(row))]  # a short row
            cells = shape.shape(row) if shape else row
            fast = quick(cells)
            careful = build(Cells(layout, line, cells, forms), ZONE)
            built += careful is not None
            if fast is not None:
                agreed += 1
                assert fast == careful, (row, forms)
    assert agreed > 0 and agreed >= built // 3  # the quick path takes most good rows


def test_the_quick_builder_declines_what_only_its_column_can_settle():
    layout, _, _ = locate(
        FilePlan(FILES["invoices.csv"], ("invoices.csv",)),
        list(FILES["invoices.csv"].known),
        "invoices.csv",
        "invoices.csv:1",
    )
    forms = ColumnForms({}, {"amount": UNSETTLED_NUMBER})
    quick = quick_builder(layout, ZONE, forms)
    row = ["c-1", "i-1", "2026-01-01", "2026-01-31", "9.500", "", "", "", ""]

    assert quick(row) is None
    cells = Cells(layout, 2, row, forms)
    assert HISTORY["invoices.csv"][1](cells, ZONE) is None and cells.unsettled
    assert not cells.faults
