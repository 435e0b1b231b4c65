"""Tables (CSV, XLSX) through import profiles: call-detail records, flight manifests and
bus-ticket lists.

A profile (ingest/profiles/*.toml) names the fields it needs and the headers, Spanish and
English, each field goes by. The header row is found among the first rows (files often
carry a title above it) and the best-fitting profile chosen; a profile file maps unusual
headers:

    profile = "cdr"
    [columns]
    caller = "Tel. A (MSISDN)"
    callee = "Tel. B"

Each row becomes typed records whose evidence is the file and the row number (as a
spreadsheet shows it). The document's text is the table written out one row per line,
so every mention and piece of evidence has a span an analyst can read.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from pathlib import Path

import pycountry

from backend.domain.dates import parse_date
from backend.domain.errors import TelaranaError
from backend.domain.gazetteer import load_gazetteer
from backend.domain.names import normalize_person_name
from backend.domain.normalize import AIRLINES, find_flights, find_identity_documents, normalize_msisdn, phone_properties
from backend.domain.text import fold
from backend.domain.vocabulary import EntityType, RelType, flight_label, route_leg_label
from ingest.extraction import EntityRef, ExtractedEntity, ExtractedMention, ExtractedRelationship, Extraction
from ingest.readers import MAX_COMPRESSION_RATIO, MAX_UNZIPPED_BYTES, UnreadableDocument, decode_text

TABLE_EXTENSIONS = {".csv", ".tsv", ".xlsx"}
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 1_000_000
CELL_SEPARATOR = " | "
ROW_CONFIDENCE = 0.98


class ProfileError(TelaranaError):
    """A profile file that cannot be used: the reason names the line to fix."""


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    required: tuple[str, ...]
    required_any: tuple[tuple[str, ...], ...]
    headers: dict[str, frozenset[str]]
    # language -> {"profile": its name, field: the field's name} for the import wizard
    labels: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Table:
    header_row: int  # 1-based, as a spreadsheet numbers rows
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    sheet: str = ""


@dataclass
class RowProblem:
    row: int
    reason: str


@dataclass
class TableExtraction:
    extraction: Extraction
    profile: str
    rows: int
    problems: list[RowProblem] = field(default_factory=list)


# Words that join the words of a header and change nothing: "FECHA DE VIAJE" is "fecha viaje".
_HEADER_FILLER = frozenset({"de", "del", "la", "el", "los", "las", "y", "e", "en", "of", "the", "and"})


def header_key(text: str) -> str:
    """A header as profiles compare it: folded, any separators ("FECHA_VIAJE", "Fecha-viaje",
    "Fecha de viaje") as one space, connector words left out."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(text)).split()
    return " ".join(w for w in words if w not in _HEADER_FILLER) or " ".join(words)


@cache
def builtin_profiles() -> dict[str, Profile]:
    profiles = {}
    for entry in sorted(resources.files("ingest").joinpath("profiles").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            profile = _profile_from(tomllib.loads(entry.read_text("utf-8")), entry.name)
            profiles[profile.name] = profile
    return profiles


def _profile_from(data: dict, source: str) -> Profile:
    try:
        return Profile(
            name=data["name"],
            description=data.get("description", data["name"]),
            required=tuple(data["required"]),
            required_any=tuple(tuple(group) for group in data.get("required_any", ())),
            headers={f: frozenset(header_key(h) for h in names) for f, names in data["headers"].items()},
            labels=data.get("labels", {}),
        )
    except (KeyError, TypeError) as exc:
        raise ProfileError(f"{source}: profile is missing {exc}") from None


def load_profile_file(path: Path) -> tuple[str, dict[str, str]]:
    """A user's profile file: which built-in profile, and field -> header as written."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: not a readable TOML profile file ({exc})") from None
    name = data.get("profile")
    if name not in builtin_profiles():
        raise ProfileError(f"{path}: profile = {name!r}; expected one of {sorted(builtin_profiles())}")
    columns = data.get("columns", {})
    unknown = set(columns) - set(builtin_profiles()[name].headers)
    if unknown or not all(isinstance(v, str) for v in columns.values()):
        raise ProfileError(
            f"{path}: [columns] must map fields of {name} ({sorted(builtin_profiles()[name].headers)}) to header text; unknown: {sorted(unknown)}"
        )
    return name, columns


def match_profile(headers: list[str], override: tuple[str, dict[str, str]] | None = None) -> tuple[Profile, dict[str, int]] | None:
    """The profile these headers fit best and the column of each field, or None."""
    keys = [header_key(h) for h in headers]
    candidates = builtin_profiles()
    if override is not None:
        candidates = {override[0]: candidates[override[0]]}
    best = None
    for profile in candidates.values():
        columns: dict[str, int] = {}
        for field_name, names in profile.headers.items():
            wanted = {header_key(override[1][field_name])} if override and field_name in override[1] else names
            for index, key in enumerate(keys):
                if key in wanted and index not in columns.values():
                    columns[field_name] = index
                    break
        if not all(f in columns or time_field_of(f) in columns for f in profile.required):
            continue
        if not all(any(f in columns for f in group) for group in profile.required_any):
            continue
        if best is None or len(columns) > len(best[1]):
            best = (profile, columns)
    return best


def time_field_of(field_name: str) -> str:
    """The field that holds the time of a date field when a table gives it a column of its own."""
    return "time" if field_name == "date" else f"{field_name}_time"


# ----------------------------------------------------------------------------- reading


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(data, name)
    text = decode_text(data, name)
    delimiter = _delimiter(text, default="\t" if suffix == ".tsv" else ",")
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if number > MAX_ROWS:
                raise UnreadableDocument(name, f"more than {MAX_ROWS:,} rows; split the file")
            rows.append((number, [c.strip() for c in row]))
    except csv.Error as exc:
        raise UnreadableDocument(name, f"damaged CSV ({exc})") from None
    return rows


def _delimiter(text: str, default: str) -> str:
    """The separator that splits the first lines into the same number of columns most often
    (a title line above the header has none, so csv.Sniffer's guess is not enough)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = default, 0
    for candidate in (";", ",", "\t", "|"):
        counts = Counter(line.count(candidate) for line in lines if line.count(candidate))
        if counts:
            columns, lines_agreeing = counts.most_common(1)[0]
            if lines_agreeing > best_score or (lines_agreeing == best_score and columns > 0 and candidate == default):
                best, best_score = candidate, lines_agreeing
    return best


def _xlsx_rows(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise UnreadableDocument(name, f"damaged XLSX (not a readable zip: {exc})") from None
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped / max(1, sum(i.compress_size for i in infos)) > MAX_COMPRESSION_RATIO:
        raise UnreadableDocument(name, f"refused: unpacks to {unzipped:,} bytes (a zip bomb, not a spreadsheet)")
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise UnreadableDocument(name, f"more than {MAX_ROWS:,} rows; split the file")
            rows.append((number, [_cell_text(v) for v in row]))
        workbook.close()
    except UnreadableDocument:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise UnreadableDocument(name, f"damaged XLSX ({type(exc).__name__}: {str(exc)[:120]})") from None
    return rows


def find_table(rows: list[tuple[int, list[str]]], name: str, override=None) -> tuple[Table, Profile, dict[str, int]]:
    """The header row and the profile it fits. A profile file given for the run applies to the
    tables it fits; the others (a CDR beside the bus list it was written for) fit a built-in one."""
    for attempt in (override, None) if override is not None else (None,):
        for index, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
            match = match_profile(cells, attempt)
            if match is not None:
                body = [(n, c) for n, c in rows[index + 1 :] if any(x.strip() for x in c)]
                return Table(number, cells, body), match[0], match[1]
    wanted = override[0] if override else ", ".join(p.description for p in builtin_profiles().values())
    raise UnreadableDocument(
        name, f"no header row fits an import profile ({wanted}) in the first {HEADER_SEARCH_ROWS} rows; map the headers with --profile FILE"
    )


# ----------------------------------------------------------------------------- rows -> records


class _Rendered:
    """The table written out as text, remembering where each cell landed."""

    def __init__(self, table: Table):
        parts = [CELL_SEPARATOR.join(table.headers)]
        offset = len(parts[0]) + 1
        self.rows: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}
        for number, cells in table.rows:
            spans, position = [], offset
            for i, cell in enumerate(cells):
                if i:
                    position += len(CELL_SEPARATOR)
                spans.append((position, position + len(cell)))
                position += len(cell)
            line = CELL_SEPARATOR.join(cells)
            self.rows[number] = (offset, offset + len(line), spans)
            parts.append(line)
            offset += len(line) + 1
        self.text = "\n".join(parts) + "\n"


def extract_table(data: bytes, name: str, document_id: str, profile_file: Path | None = None) -> TableExtraction:
    override = load_profile_file(profile_file) if profile_file else None
    table, profile, columns = find_table(read_rows(data, name), name, override)
    return table_records(table, profile, columns, name, document_id)


def table_records(table: Table, profile: Profile, columns: dict[str, int], name: str, document_id: str) -> TableExtraction:
    """The records of a table whose header row, profile and columns are known."""
    rendered = _Rendered(table)
    extraction = Extraction(
        document_id=document_id, title=Path(name).stem, text=rendered.text, media_type=_media_type(name), language="es",
        metadata={"profile": profile.name, "header_row": str(table.header_row), "rows": str(len(table.rows))},
    )  # fmt: skip
    reader = _RowReader(extraction, rendered, columns)
    problems = []
    required = {columns[f] for f in profile.required if f in columns}
    records = [(number, cells) for number, cells in table.rows if not _is_note(cells, columns, required)]
    extraction.metadata["rows"] = str(len(records))
    for number, cells in records:
        try:
            readers = {"cdr": reader.call, "flight_manifest": reader.flight, "bus_tickets": reader.bus, "subscribers": reader.subscriber}
            readers[profile.name](number, cells)
        except _RowRefused as refused:
            problems.append(RowProblem(number, str(refused)))
    extraction.mentions.sort(key=lambda m: m.start)
    return TableExtraction(extraction, profile.name, len(records), problems)


_PASSPORT_TYPES = frozenset({"pa", "pas", "pp", "p", "pasaporte", "passport"})


def _is_passport_type(text: str) -> bool:
    return header_key(text) in _PASSPORT_TYPES


def country_code(text: str) -> str:
    """ISO 3166 alpha-2 of a country as lists write it ("COL", "USA", "Colombia", "MX"), or ""."""
    text = text.strip()
    if not text:
        return ""
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return ""


_CLOCK = re.compile(r"^(\d{1,2})[:.h](\d{2})(?:[:.](\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?$", re.I)


def time_of_day(text: str) -> str | None:
    """A time of day as cells write it ("21:30", "9:30 p.m.", "07.05", "21:30:00"): "HH:MM:SS"."""
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    meridian = (match.group(4) or "").lower()
    if meridian.startswith("p") and hour < 12:
        hour += 12
    elif meridian.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def _is_note(cells: list[str], columns: dict[str, int], required: set[int]) -> bool:
    """A line that fills one cell outside the required fields ("TOTAL PASAJEROS: 9", a remark
    under the table) is a note written into the sheet, not a record; it stays in the text."""
    filled = [i for i, cell in enumerate(cells) if cell.strip()]
    return len(filled) == 1 and len(columns) >= 3 and filled[0] not in required


def _media_type(name: str) -> str:
    if name.lower().endswith(".xlsx"):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "text/csv"


class _RowRefused(Exception):
    pass


class _RowReader:
    def __init__(self, extraction: Extraction, rendered: _Rendered, columns: dict[str, int]):
        self.x = extraction
        self.rendered = rendered
        self.columns = columns
        self.gazetteer = load_gazetteer()

    # -- helpers
    def cell(self, cells: list[str], field_name: str) -> str:
        index = self.columns.get(field_name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def span(self, row: int, field_name: str) -> tuple[int, int]:
        start, end, spans = self.rendered.rows[row]
        index = self.columns.get(field_name)
        if index is None or index >= len(spans) or spans[index][1] <= spans[index][0]:
            return start, max(end, start + 1)
        return spans[index]

    def mention(self, row: int, field_name: str, entity: ExtractedEntity, normalized: str, method: str, **attributes) -> EntityRef:
        start, end = self.span(row, field_name)
        row_start, row_end, _ = self.rendered.rows[row]
        self.x.mentions.append(
            ExtractedMention(
                entity.type, self.x.text[start:end], normalized, start, end, row_start, row_end, method, ROW_CONFIDENCE,
                key=entity.key, attributes={k: str(v) for k, v in attributes.items()}, row=row,
            )
        )  # fmt: skip
        return self.x.add_entity(entity)

    def relate(self, row: int, rel_type: str, source: EntityRef, target: EntityRef, method: str, date=None, **properties):
        start, end, _ = self.rendered.rows[row]
        self.x.relationships.append(
            ExtractedRelationship(rel_type, source, target, start, max(end, start + 1), method, ROW_CONFIDENCE, date,
                                  {k: v for k, v in properties.items() if v not in (None, "")}, row)
        )  # fmt: skip

    def when(self, cells, field_name: str, row: int, required: bool = True) -> str | None:
        # The time may have a column of its own ("FECHA_VIAJE" and "HORA_SALIDA"), which may
        # also be the only column and hold both ("Start time: 2024-03-13 21:30").
        raw, clock_raw = self.cell(cells, field_name), self.cell(cells, time_field_of(field_name))
        value = parse_date(raw) if raw else parse_date(clock_raw)
        if value is None and required:
            raise _RowRefused(f"{field_name} {raw or clock_raw!r} is not a date")
        clock = time_of_day(clock_raw) if raw else None
        if value is not None and len(value) == 10 and clock is not None:
            value = f"{value}T{clock}"
        return value

    def phone(self, row: int, cells, field_name: str, method: str = "table:cdr") -> EntityRef:
        raw = self.cell(cells, field_name)
        value = normalize_msisdn(raw)
        if value is None:
            raise _RowRefused(f"{field_name} {raw!r} is not a valid phone number")
        properties = phone_properties(value)
        return self.mention(
            row,
            field_name,
            ExtractedEntity(EntityType.PHONE, value, value, [], properties),
            value,
            method,
            country=properties["country"],
        )

    def person(
        self, row: int, cells, method: str, name_field: str = "passenger", id_field: str = "id_number"
    ) -> tuple[EntityRef, EntityRef | None]:
        raw = self.cell(cells, name_field)
        name = normalize_person_name(raw)
        if not name:
            raise _RowRefused(f"no {name_field} name")
        identity = self.identity(cells, id_field)
        key = fold(name) + (f"|{identity[0]}" if identity else "")
        person = self.mention(row, name_field, ExtractedEntity(EntityType.PERSON, key, name), name, method)
        id_ref = None
        if identity:
            value, attributes = identity
            entity = ExtractedEntity(EntityType.IDENTITY_DOCUMENT, value, value.replace(":", " "), [], attributes)
            id_ref = self.mention(row, id_field, entity, value, method, **attributes)
            self.relate(row, RelType.HOLDS_ID, person, id_ref, method)
        return person, id_ref

    def identity(self, cells, id_field: str = "id_number") -> tuple[str, dict[str, str]] | None:
        raw = self.cell(cells, id_field)
        if not raw:
            return None
        compact = raw.replace(" ", "")
        if _is_passport_type(self.cell(cells, "id_type")) and re.fullmatch(r"[A-Za-z0-9]{5,12}", compact):
            # The list says what the document is: a passport, issued by the holder's country.
            number, country = compact.upper(), country_code(self.cell(cells, "nationality"))
            return f"PASSPORT:{number}", {"type": "PASSPORT", "number": number, "country": country}
        if re.fullmatch(r"[\d.,]{6,14}", compact):
            digits = re.sub(r"\D", "", compact)
            if 6 <= len(digits) <= 10:
                return f"CC:{digits}", {"type": "CC", "number": digits, "country": "CO"}
        found = find_identity_documents(raw) or find_identity_documents(f"pasaporte {compact}")
        if found:
            f = found[0]
            return f.value, {k: v for k, v in f.attributes if v}
        return None

    def place(self, row: int, cells, field_name: str, prefer: str, method: str) -> EntityRef:
        raw = self.cell(cells, field_name)
        if not raw:
            raise _RowRefused(f"no {field_name}")
        g = self.gazetteer
        if prefer == EntityType.AIRPORT:
            code = re.search(r"\b([A-Z]{3})\b", raw)
            airport = (g.airport_by_code(code.group(1)) if code else None) or g.airport_for_city(re.sub(r"\(.*?\)", "", raw).strip())
            if airport is not None:
                entity = ExtractedEntity(
                    EntityType.AIRPORT, airport.iata, f"{airport.name} ({airport.iata})", [], {"iata": airport.iata, "city": airport.city}
                )
                return self.mention(row, field_name, entity, airport.iata, method, city=airport.city)
        else:
            phrase = raw if fold(raw).startswith("terminal") else f"Terminal de {raw}"
            hit = g.match_terminal(phrase, raw)
            if hit is not None:
                t = hit.terminal
                return self.mention(
                    row, field_name, ExtractedEntity(EntityType.BUS_TERMINAL, t.id, t.name, [], {"city": t.city}), t.id, method, city=t.city
                )
        city = g.city(raw)
        label = city.name if city else raw
        entity = ExtractedEntity(EntityType.LOCATION, fold(label), label, [], {"country": city.country} if city else {})
        return self.mention(row, field_name, entity, label, method)

    def leg(self, row, mode, origin: EntityRef, destination: EntityRef, when: str | None, **properties) -> EntityRef:
        o, d = self.x.entities[origin], self.x.entities[destination]
        o_city, d_city = o.properties.get("city", o.label), d.properties.get("city", d.label)
        key = "|".join((mode, origin.type, origin.key, destination.type, destination.key, (when or "")[:10] or f"doc:{self.x.document_id}"))
        return self.x.add_entity(
            ExtractedEntity(EntityType.ROUTE_LEG, key, route_leg_label(o.label, d.label, mode, when[:10] if when else None), [],
                            {"mode": mode, "origin": o.label, "destination": d.label, "origin_city": o_city,
                             "destination_city": d_city, **({"date": when[:10]} if when else {}), **properties})
        )  # fmt: skip

    # -- profiles
    def call(self, row: int, cells: list[str]) -> None:
        caller = self.phone(row, cells, "caller")
        callee = self.phone(row, cells, "callee")
        for line, side in ((caller, "caller"), (callee, "callee")):
            if self.cell(cells, f"{side}_name"):
                # The operator's record names the line's holder: the number is theirs.
                holder, _ = self.person(row, cells, "table:cdr", f"{side}_name", f"{side}_id")
                self.relate(row, RelType.USES_PHONE, holder, line, "table:cdr")
        start = self.when(cells, "start", row)
        duration = self.cell(cells, "duration")
        seconds = int(duration) if duration.isdigit() else _duration_seconds(duration)
        self.relate(
            row,
            RelType.CALLED,
            caller,
            callee,
            "table:cdr",
            start,
            duration_s=seconds,
            cell=self.cell(cells, "cell"),
            imei=self.cell(cells, "imei"),
        )

    def subscriber(self, row: int, cells: list[str]) -> None:
        line = self.phone(row, cells, "phone", "table:subscribers")
        holder, _ = self.person(row, cells, "table:subscribers", "subscriber")
        activated = self.when(cells, "activation", row, required=False) if self.cell(cells, "activation") else None
        self.relate(row, RelType.USES_PHONE, holder, line, "table:subscribers", activated)

    def flight(self, row: int, cells: list[str]) -> None:
        when = self.when(cells, "date", row)
        written = " ".join(filter(None, (self.cell(cells, "carrier"), self.cell(cells, "flight"))))
        code = _flight_code(written)
        if code is None:
            raise _RowRefused(f"flight {written!r} is not a carrier and number")
        person, _ = self.person(row, cells, "table:flight_manifest")
        day = when[:10]
        flight = self.mention(
            row, "flight" if "flight" in self.columns else "carrier",
            ExtractedEntity(EntityType.FLIGHT, f"{code}@{day}", flight_label(code, day), [], {"flight": code, "carrier": re.match(r"[A-Z0-9]{2}", code).group(0), "date": day}),
            code, "table:flight_manifest",
        )  # fmt: skip
        origin = self.place(row, cells, "origin", EntityType.AIRPORT, "table:flight_manifest")
        destination = self.place(row, cells, "destination", EntityType.AIRPORT, "table:flight_manifest")
        booking, seat = self.cell(cells, "booking_reference"), self.cell(cells, "seat")
        self.relate(row, RelType.PASSENGER_ON, person, flight, "table:flight_manifest", when, booking_reference=booking, seat=seat)
        self.relate(row, RelType.DEPARTS_FROM, flight, origin, "table:flight_manifest", when)
        self.relate(row, RelType.ARRIVES_AT, flight, destination, "table:flight_manifest", when)
        leg = self.leg(row, "air", origin, destination, when)
        self.relate(row, RelType.TRAVELLED, person, leg, "table:flight_manifest", when, mode="air")
        self.relate(row, RelType.VIA, leg, flight, "table:flight_manifest", when)
        self.relate(row, RelType.DEPARTS_FROM, leg, origin, "table:flight_manifest", when)
        self.relate(row, RelType.ARRIVES_AT, leg, destination, "table:flight_manifest", when)

    def bus(self, row: int, cells: list[str]) -> None:
        when = self.when(cells, "departure", row)
        person, _ = self.person(row, cells, "table:bus_tickets")
        origin = self.place(row, cells, "origin", EntityType.BUS_TERMINAL, "table:bus_tickets")
        destination = self.place(row, cells, "destination", EntityType.BUS_TERMINAL, "table:bus_tickets")
        company, seat = self.cell(cells, "company"), self.cell(cells, "seat")
        leg = self.leg(row, "bus", origin, destination, when, **({"company": company} if company else {}))
        self.relate(row, RelType.TRAVELLED, person, leg, "table:bus_tickets", when, mode="bus", company=company, seat=seat)
        self.relate(row, RelType.DEPARTS_FROM, leg, origin, "table:bus_tickets", when)
        self.relate(row, RelType.ARRIVES_AT, leg, destination, "table:bus_tickets", when)


def _flight_code(written: str) -> str | None:
    text = written.strip()
    found = find_flights(f"vuelo {text}")
    if found:
        return found[0].value
    compact = re.fullmatch(r"([A-Z0-9]{2})\s*-?\s*0*(\d{1,4})", text.upper())
    if compact and compact.group(1) in AIRLINES:
        return f"{compact.group(1)}{int(compact.group(2))}"
    return None


def _duration_seconds(text: str) -> int | None:
    clock = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2})", text.strip())
    if clock:
        hours, minutes, seconds = int(clock.group(1) or 0), int(clock.group(2)), int(clock.group(3))
        return hours * 3600 + minutes * 60 + seconds
    return None
