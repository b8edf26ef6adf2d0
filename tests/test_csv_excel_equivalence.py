"""The same clients, written once as an ISO bundle and once as a Hungarian Excel export,
evaluate to the same tags, levels, scores, reasons and evidence.

Both bundles are written here from one list of clients: the Hungarian one the way Excel
saves it in a Hungarian locale (BOM, ``;``, CRLF, Hungarian headers, ``2026.09.07.``
dates, ``2026.09.08. 10:30`` times, ``1.200,00`` and ``9.500`` amounts, ``7,5`` hours,
``igen``/``nem``, Hungarian kinds and directions), plus task rows mapped to ``ignore``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from crmflags.cli import cli

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


def write(folder: Path, name: str, header: list[str], rows: list[list[str]], excel: bool) -> None:
    """Write one CSV file, as Excel (BOM, ';', CRLF) or plainly (',', LF)."""
    delimiter, end = (";", "\r\n") if excel else (",", "\n")
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    data = end.join(lines) + end
    (folder / name).write_bytes((b"\xef\xbb\xbf" if excel else b"") + data.encode("utf-8"))


def iso_bundle(folder: Path, specs: list[Spec]) -> Path:
    folder.mkdir()
    write(
        folder,
        "clients.csv",
        ["id", "name", "gut_feeling", "hourly_rate_target"],
        [[s.id, s.name, "yes" if s.gut_feeling else "no", f"{s.rate}"] for s in specs],
        excel=False,
    )
    invoices, activities, notes, hours = [], [], [], []
    for s in specs:
        for n, (issued, due, paid, amount, disputed) in enumerate(s.invoices):
            invoices.append(
                [
                    s.id,
                    f"{s.id}-{n}",
                    issued.isoformat(),
                    due.isoformat(),
                    paid.isoformat() if paid else "",
                    f"{amount}",
                    "HUF",
                    "yes" if disputed else "no",
                ]
            )
        for moment, kind, direction, subject in s.activities:
            activities.append([s.id, moment.isoformat(), kind, direction, subject])
        for moment, body in s.notes:
            notes.append([s.id, moment.isoformat(), body])
        for day, worked, billable, in_scope in s.hours:
            flags = ["yes" if billable else "no", "yes" if in_scope else "no"]
            hours.append([s.id, day.isoformat(), f"{worked}", *flags])
    write(
        folder,
        "invoices.csv",
        [
            "client_id",
            "invoice_id",
            "issued_on",
            "due_on",
            "paid_on",
            "amount",
            "currency",
            "disputed",
        ],
        invoices,
        excel=False,
    )
    write(
        folder,
        "activities.csv",
        ["client_id", "occurred_at", "kind", "direction", "subject"],
        activities,
        excel=False,
    )
    write(folder, "notes.csv", ["client_id", "created_at", "body"], notes, excel=False)
    write(
        folder,
        "time_entries.csv",
        ["client_id", "date", "hours", "billable", "in_scope"],
        hours,
        excel=False,
    )
    return folder


def hu_date(day: date) -> str:
    return f"{day.year}.{day.month:02d}.{day.day:02d}."


def hu_moment(moment: datetime) -> str:
    return f"{hu_date(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def hu_amount(amount: float, rng: random.Random) -> str:
    """``9.500`` for some whole amounts, else ``1.200,00``: thousands grouped with dots."""
    whole = int(amount)
    grouped = f"{whole:,}".replace(",", ".")
    if amount == whole and rng.random() < 0.5:
        return grouped
    return f"{grouped},{round((amount - whole) * 100):02d}"


def hu_number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def yes_no(flag: bool) -> str:
    return "igen" if flag else "nem"


def hungarian_bundle(folder: Path, specs: list[Spec]) -> Path:
    rng = random.Random(7)
    folder.mkdir()
    write(
        folder,
        "clients.csv",
        ["Azonosító", "Név", "Rossz érzés", "Óradíj cél"],
        [[s.id, s.name, yes_no(s.gut_feeling), hu_number(s.rate)] for s in specs],
        excel=True,
    )
    invoices, activities, notes, hours = [], [], [], []
    for s in specs:
        for n, (issued, due, paid, amount, disputed) in enumerate(s.invoices):
            invoices.append(
                [
                    s.id,
                    f"{s.id}-{n}",
                    hu_date(issued),
                    hu_date(due),
                    hu_date(paid) if paid else "",
                    f'"{hu_amount(amount, rng)}"',
                    "Ft",
                    yes_no(disputed),
                ]
            )
        for moment, kind, direction, subject in s.activities:
            activities.append(
                [s.id, hu_moment(moment), KINDS_HU[kind], DIRECTIONS_HU[direction], subject]
            )
            if rng.random() < 0.3:  # a task in the same list: no contact with the client
                activities.append([s.id, hu_moment(moment), "Feladat", "", "Árajánlat"])
        for moment, body in s.notes:
            notes.append([s.id, hu_moment(moment), body])
        for day, worked, billable, in_scope in s.hours:
            hours.append(
                [s.id, hu_date(day), hu_number(worked), yes_no(billable), yes_no(in_scope)]
            )
    write(
        folder,
        "invoices.csv",
        [
            "Ügyfél",
            "Számlaszám",
            "Kelt",
            "Fizetési határidő",
            "Fizetve",
            "Összeg",
            "Pénznem",
            "Vitatott",
        ],
        invoices,
        excel=True,
    )
    write(
        folder,
        "activities.csv",
        ["Ügyfél", "Időpont", "Típus", "Irány", "Tárgy"],
        activities,
        excel=True,
    )
    write(folder, "notes.csv", ["Ügyfél", "Létrehozva", "Szöveg"], notes, excel=True)
    write(
        folder,
        "time_entries.csv",
        ["Ügyfél", "Dátum", "Órák", "Számlázható", "Megállapodás szerint"],
        hours,
        excel=True,
    )
    return folder


HUNGARIAN_CONFIG = """\
timezone: Europe/Budapest
csv:
  columns:
    clients.csv: {id: Azonosító, name: Név, gut_feeling: Rossz érzés, hourly_rate_target: Óradíj cél}
    invoices.csv:
      client_id: Ügyfél
      invoice_id: Számlaszám
      issued_on: Kelt
      due_on: Fizetési határidő
      paid_on: Fizetve
      amount: Összeg
      currency: Pénznem
      disputed: Vitatott
    activities.csv: {client_id: Ügyfél, occurred_at: Időpont, kind: Típus, direction: Irány, subject: Tárgy}
    notes.csv: {client_id: Ügyfél, created_at: Létrehozva, body: Szöveg}
    time_entries.csv:
      client_id: Ügyfél
      date: Dátum
      hours: Órák
      billable: Számlázható
      in_scope: Megállapodás szerint
  values:
    activities.csv:
      kind:
        Hívás: call
        E-mail: email
        Megbeszélés: meeting
        Módosítási kérés: change_request
        Sürgős kérés: rush_request
        Emlékeztető: reminder
        Feladat: ignore
      direction: {Bejövő: inbound, Kimenő: outbound}
"""


def evaluate(folder: Path, config: Path) -> dict:
    result = CliRunner().invoke(
        cli,
        [
            "--config",
            str(config),
            "evaluate",
            "--source",
            str(folder),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_an_iso_bundle_and_a_hungarian_excel_export_of_the_same_clients_evaluate_alike(
    tmp_path,
):
    specs = clients()
    iso_config = tmp_path / "iso.yaml"
    iso_config.write_text("timezone: Europe/Budapest\n", encoding="utf-8")
    hu_config = tmp_path / "hu.yaml"
    hu_config.write_text(HUNGARIAN_CONFIG, encoding="utf-8")

    iso = evaluate(iso_bundle(tmp_path / "iso", specs), iso_config)
    hungarian = evaluate(hungarian_bundle(tmp_path / "hu", specs), hu_config)

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
