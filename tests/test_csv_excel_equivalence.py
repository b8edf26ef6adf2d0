"""The same clients, written once as an ISO bundle and once as a Hungarian Excel export,
evaluate to the same tags, levels, scores, reasons and evidence.

Both bundles are written here from one list of clients: the Hungarian one the way Excel
saves it in a Hungarian locale (BOM, ``;``, CRLF, Hungarian headers, ``2026.09.07.``
dates, ``2026.09.08. 10:30`` times, ``1.200,00`` and ``9.500`` amounts, ``7,5`` hours,
``igen``/``nem``, Hungarian kinds and directions), plus task rows mapped to ``ignore``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from test_csv_read import evaluate_json

AS_OF = date(2026, 11, 30)
KINDS_HU = {
    "call": "Hívás",
    "email": "E-mail",
    "meeting": "Megbeszélés",
    "change_request": "Módosítási kérés",
    "rush_request": "Sürgős kérés",
    "reminder": "Emlékeztető",
}
DIRECTIONS_HU = {"inbound": "Bejövő", "outbound": "Kimenő"}


@dataclass
class Spec:
    """One client and its history, in canonical values."""

    id: str
    name: str
    gut_feeling: bool
    rate: float
    invoices: list[tuple[date, date, date | None, float, bool]] = field(default_factory=list)
    activities: list[tuple[datetime, str, str, str]] = field(default_factory=list)
    notes: list[tuple[datetime, str]] = field(default_factory=list)
    hours: list[tuple[date, float, bool, bool]] = field(default_factory=list)


def clients(seed: int = 16, count: int = 14) -> list[Spec]:
    """Clients with varied histories: late payers, night callers, scope creep, calm ones."""
    rng = random.Random(seed)
    result = []
    for n in range(count):
        spec = Spec(f"c-{n:02d}", f"Ügyfél {n} Kft", rng.random() < 0.2, rng.choice([45, 60.5]))
        late, night = rng.random() < 0.5, rng.random() < 0.5
        for i in range(rng.randint(2, 6)):
            issued = AS_OF - timedelta(days=30 * i + rng.randint(20, 40))
            due = issued + timedelta(days=15)
            paid = due + timedelta(days=rng.randint(20, 60) if late else -rng.randint(0, 5))
            amount = rng.choice([9500, 1200, 437.5, 12000, 85000.25, 300])
            spec.invoices.append(
                (issued, due, None if late and i == 0 else paid, amount, rng.random() < 0.1)
            )
        for i in range(rng.randint(8, 12) if night else rng.randint(2, 8)):
            day = AS_OF - timedelta(days=rng.randint(1, 80))
            hour = rng.choice([22, 23, 6]) if night and i % 2 == 0 else rng.choice([9, 11, 15])
            kind = rng.choice(list(KINDS_HU))
            direction = "inbound" if night else rng.choice(list(DIRECTIONS_HU))
            moment = datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=30)
            spec.activities.append((moment, kind, direction, f"Tárgy {i}"))
        if rng.random() < 0.4:
            spec.notes.append((datetime(2026, 10, 5, 14, 0), "Megint alacsonyabb árat kért, dühös"))
        for _ in range(rng.randint(3, 10)):
            day = AS_OF - timedelta(days=rng.randint(1, 80))
            worked = rng.choice([0.5, 2, 7.5, 1.25])
            spec.hours.append((day, worked, rng.random() < 0.9, rng.random() < 0.7))
        result.append(spec)
    return result


#: Each file's canonical columns, in the order both bundles write them.
COLUMNS = {
    "clients.csv": ["id", "name", "gut_feeling", "hourly_rate_target"],
    "invoices.csv": [
        "client_id",
        "invoice_id",
        "issued_on",
        "due_on",
        "paid_on",
        "amount",
        "currency",
        "disputed",
    ],
    "activities.csv": ["client_id", "occurred_at", "kind", "direction", "subject"],
    "notes.csv": ["client_id", "created_at", "body"],
    "time_entries.csv": ["client_id", "date", "hours", "billable", "in_scope"],
}
#: The Hungarian export's headers for those columns.
HUNGARIAN_HEADERS = {
    "clients.csv": ["Azonosító", "Név", "Rossz érzés", "Óradíj cél"],
    "invoices.csv": [
        "Ügyfél",
        "Számlaszám",
        "Kelt",
        "Fizetési határidő",
        "Fizetve",
        "Összeg",
        "Pénznem",
        "Vitatott",
    ],
    "activities.csv": ["Ügyfél", "Időpont", "Típus", "Irány", "Tárgy"],
    "notes.csv": ["Ügyfél", "Létrehozva", "Szöveg"],
    "time_entries.csv": ["Ügyfél", "Dátum", "Órák", "Számlázható", "Megállapodás szerint"],
}


@dataclass
class Dialect:
    """How one bundle writes its files, headers and values."""

    excel: bool
    headers: dict[str, list[str]]
    date: Callable[[date], str]
    moment: Callable[[datetime], str]
    amount: Callable[[float], str]
    number: Callable[[float], str]
    flag: Callable[[bool], str]
    kind: Callable[[str], str] = str
    direction: Callable[[str], str] = str
    currency: str = "HUF"
    tasks: float = 0.0  # the share of activities followed by a task row (to be ignored)


def hu_date(day: date) -> str:
    return f"{day.year}.{day.month:02d}.{day.day:02d}."


def hu_amount(amount: float, rng: random.Random) -> str:
    """``9.500`` for some whole amounts, else ``1.200,00``: thousands grouped with dots."""
    whole = int(amount)
    grouped = f"{whole:,}".replace(",", ".")
    if amount == whole and rng.random() < 0.5:
        return f'"{grouped}"'
    return f'"{grouped},{round((amount - whole) * 100):02d}"'


ISO = Dialect(
    excel=False,
    headers=COLUMNS,
    date=date.isoformat,
    moment=datetime.isoformat,
    amount=str,
    number=str,
    flag=lambda flag: "yes" if flag else "no",
)


def hungarian_excel(rng: random.Random) -> Dialect:
    """The Hungarian Excel export (the forms of its amounts drawn from ``rng``)."""
    return Dialect(
        excel=True,
        headers=HUNGARIAN_HEADERS,
        date=hu_date,
        moment=lambda m: f"{hu_date(m.date())} {m.hour:02d}:{m.minute:02d}",
        amount=lambda amount: hu_amount(amount, rng),
        number=lambda value: f"{value:g}".replace(".", ","),
        flag=lambda flag: "igen" if flag else "nem",
        kind=KINDS_HU.__getitem__,
        direction=DIRECTIONS_HU.__getitem__,
        currency="Ft",
        tasks=0.3,
    )


def write_bundle(folder: Path, specs: list[Spec], how: Dialect, rng: random.Random) -> Path:
    """Write the clients as a bundle in the dialect ``how``."""
    rows: dict[str, list[list[str]]] = {file: [] for file in COLUMNS}
    for s in specs:
        rows["clients.csv"].append([s.id, s.name, how.flag(s.gut_feeling), how.number(s.rate)])
        for n, (issued, due, paid, amount, disputed) in enumerate(s.invoices):
            paid_on = how.date(paid) if paid else ""
            rows["invoices.csv"].append(
                [
                    s.id,
                    f"{s.id}-{n}",
                    how.date(issued),
                    how.date(due),
                    paid_on,
                    how.amount(amount),
                    how.currency,
                    how.flag(disputed),
                ]
            )
        for moment, kind, direction, subject in s.activities:
            rows["activities.csv"].append(
                [s.id, how.moment(moment), how.kind(kind), how.direction(direction), subject]
            )
            if rng.random() < how.tasks:  # a task in the same list: no contact with the client
                rows["activities.csv"].append([s.id, how.moment(moment), "Feladat", "", "Ajánlat"])
        for moment, body in s.notes:
            rows["notes.csv"].append([s.id, how.moment(moment), body])
        for day, worked, billable, in_scope in s.hours:
            rows["time_entries.csv"].append(
                [s.id, how.date(day), how.number(worked), how.flag(billable), how.flag(in_scope)]
            )
    folder.mkdir()
    delimiter, end = (";", "\r\n") if how.excel else (",", "\n")
    for file, lines in rows.items():
        text = end.join(delimiter.join(row) for row in [how.headers[file], *lines]) + end
        (folder / file).write_bytes((b"\xef\xbb\xbf" if how.excel else b"") + text.encode())
    return folder


def hungarian_config() -> str:
    """crmflags.yaml for the Hungarian export: its headers and its words mapped."""
    columns = {f: dict(zip(COLUMNS[f], HUNGARIAN_HEADERS[f], strict=True)) for f in COLUMNS}
    kinds = {word: kind for kind, word in KINDS_HU.items()} | {"Feladat": "ignore"}
    directions = {word: direction for direction, word in DIRECTIONS_HU.items()}
    values = {"activities.csv": {"kind": kinds, "direction": directions}}
    settings = {"timezone": "Europe/Budapest", "csv": {"columns": columns, "values": values}}
    return yaml.safe_dump(settings, allow_unicode=True)


def test_an_iso_bundle_and_a_hungarian_excel_export_of_the_same_clients_evaluate_alike(
    tmp_path,
):
    specs = clients()
    iso_config = tmp_path / "iso.yaml"
    iso_config.write_text("timezone: Europe/Budapest\n", encoding="utf-8")
    hu_config = tmp_path / "hu.yaml"
    hu_config.write_text(hungarian_config(), encoding="utf-8")

    rng = random.Random(7)
    iso_bundle = write_bundle(tmp_path / "iso", specs, ISO, rng)
    hungarian_bundle = write_bundle(tmp_path / "hu", specs, hungarian_excel(rng), rng)
    iso = evaluate_json(iso_config, iso_bundle, AS_OF.isoformat())
    hungarian = evaluate_json(hu_config, hungarian_bundle, AS_OF.isoformat())

    assert len(iso["clients"]) == len(specs) and not iso["failures"]
    tags = {tag for client in iso["clients"] for tag in client["tags"]}
    assert {"late_payer", "after_hours", "gut_feeling"} <= tags  # the comparison has teeth
    assert hungarian["clients"] == iso["clients"]
    assert hungarian["summary"] == iso["summary"]
    (ignored,) = hungarian["warnings"]
    assert ignored.startswith("activities.csv: ") and "ignored (Típus 'Feladat': " in ignored
    raw = (tmp_path / "hu" / "invoices.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert b'"9.500"' in raw and b'"1.200,00"' in raw  # both forms of a Hungarian amount
