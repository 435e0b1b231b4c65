"""The rows of a bus-ticket list or a flight manifest as screening reads them: the passenger,
the departure, and what the indicators need when the list gives it (sex, age or date of birth,
phones, the buyer, when the ticket was bought, one way or return, the booking). Read with the
same header matching as ingest (ingest/profiles/*.toml), so a list ingest reads is a list
screening reads."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from backend.domain.dates import parse_date
from backend.domain.normalize import normalize_msisdn
from backend.domain.screening import TravelRow
from backend.domain.text import fold
from ingest.readers import UnreadableDocument
from ingest.tables import find_table, load_profile_file, read_rows, time_field_of, time_of_day

TRAVEL_PROFILES = ("bus_tickets", "flight_manifest")
_DEPARTURE = {"bus_tickets": "departure", "flight_manifest": "date"}
_SERVICE = {"bus_tickets": ("company",), "flight_manifest": ("flight", "carrier_flight")}
_FEMALE = {"f", "fem", "femenino", "mujer", "female", "woman", "w"}
_MALE = {"m", "masc", "masculino", "hombre", "male", "man", "h"}
_ONE_WAY = re.compile(r"^(?:solo\s+)?ida$|^sencillo$|^one[\s-]*way$|^ow$|^single$|^oneway$")
_RETURN = re.compile(r"ida\s+y\s+(?:regreso|vuelta)|^regreso$|^vuelta$|round[\s-]*trip|^rt$|^return$|^ida\s*/\s*regreso$")


def travel_rows(data: bytes, name: str, document_id: str, profile_file: Path | None = None) -> list[TravelRow]:
    """The travel rows of a ticket list or a manifest; [] for any other table. A row without a
    passenger or a readable departure is left out (ingest reports it as refused)."""
    override = load_profile_file(profile_file) if profile_file else None
    try:
        table, profile, columns = find_table(read_rows(data, name), name, override)
    except UnreadableDocument:
        return []
    if profile.name not in TRAVEL_PROFILES:
        return []

    def cell(cells: list[str], field: str) -> str:
        index = columns.get(field)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def when(cells: list[str], field: str) -> str | None:
        raw, clock = cell(cells, field), cell(cells, time_field_of(field))
        value = parse_date(raw) if raw else None
        moment = time_of_day(clock) if clock else None
        return f"{value}T{moment}" if value and len(value) == 10 and moment else value

    found = []
    for number, cells in table.rows:
        passenger, departure = cell(cells, "passenger"), when(cells, _DEPARTURE[profile.name])
        if not passenger or not departure:
            continue
        found.append(TravelRow(
            document_id=document_id, row=number, passenger=passenger, departure=departure, origin=cell(cells, "origin"),
            destination=cell(cells, "destination"), id_number=_digits(cell(cells, "id_number")), sex=_sex(cell(cells, "sex")),
            age=_age(cell(cells, "age"), cell(cells, "dob"), departure), phone=_phone(cell(cells, "phone")),
            buyer=cell(cells, "buyer") or None, buyer_phone=_phone(cell(cells, "buyer_phone")), booked_at=when(cells, "booked_at"),
            one_way=_one_way(cell(cells, "trip_type")), booking=cell(cells, "booking_reference") or None,
            service=next((cell(cells, f) for f in _SERVICE[profile.name] if cell(cells, f)), None),
        ))  # fmt: skip
    return found


def _digits(text: str) -> str | None:
    """An ID number as compared: its letters and digits, upper-case (passports have letters)."""
    kept = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    return kept or None


def _sex(text: str) -> str | None:
    word = fold(text).strip(". ")
    return "F" if word in _FEMALE else "M" if word in _MALE else None


def _phone(text: str) -> str | None:
    return (normalize_msisdn(text) or None) if text.strip() else None


def _one_way(text: str) -> bool | None:
    word = " ".join(fold(text).split())
    if not word:
        return None
    return True if _ONE_WAY.search(word) else False if _RETURN.search(word) else None


def _age(said: str, born: str, departure: str) -> int | None:
    """The age at departure: as the list says it, or from the date of birth."""
    if said.strip().isdigit() and 0 < int(said) < 120:
        return int(said)
    birth = parse_date(born) if born.strip() else None
    if not birth or len(birth) < 10:
        return None
    b, d = date.fromisoformat(birth[:10]), date.fromisoformat(departure[:10])
    age = d.year - b.year - ((d.month, d.day) < (b.month, b.day))
    return age if 0 <= age < 120 else None
