"""A deterministic generator of invented case documents with their gold annotations.

Every person, phone and ID here is invented from lists of common Colombian names and
random digits; places are public place names. The same seed gives the same documents.
Documents vary the way real files do: names in capitals and surname-first, phones in
every usual format and foreign ones, cédulas with and without dots, terminals by any
alias (sometimes misspelt), airports by name or IATA code, flights by code or airline.

Gold lists, per document and entity type, the normalised values a careful annotator
would mark: persons by full name, phones in E.164, IDs as TYPE:NUMBER, flights as
carrier+number, airports by IATA code, terminals by gazetteer id, cities by name, and
route legs as "origin city→destination city".
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from backend.domain.gazetteer import load_gazetteer
from backend.domain.text import fold
from backend.domain.vocabulary import EntityType

EVALUATED_TYPES = (
    EntityType.PERSON,
    EntityType.PHONE,
    EntityType.IDENTITY_DOCUMENT,
    EntityType.FLIGHT,
    EntityType.AIRPORT,
    EntityType.BUS_TERMINAL,
    EntityType.LOCATION,
    EntityType.ROUTE_LEG,
)

GIVEN_FEMALE = ["Yuliana", "Andrea", "Paola", "Daniela", "Valentina", "Leidy", "Johana", "Carolina", "Marcela", "Yurany",
                "Stefany", "Natalia", "Erika", "Diana", "Luisa", "Camila", "Laura", "Tatiana", "Sandra", "Mayerly",
                "Marleny", "Dayana", "Xiomara", "Lorena"]  # fmt: skip
GIVEN_MALE = ["Jhon", "Fredy", "Carlos", "Andrés", "Luis", "Wilson", "Édgar", "Jairo", "Mauricio", "Hernán", "Brayan",
              "Yeison", "Jorge", "Óscar", "Fabio", "Julián", "Duván", "Yeferson", "Dairo", "Albeiro"]  # fmt: skip
SURNAMES = ["Ríos", "Castaño", "Cardona", "Restrepo", "Gómez", "Pérez", "Londoño", "Ospina", "Valencia", "Arango",
            "Giraldo", "Zapata", "Henao", "Quintero", "Marín", "Salazar", "Agudelo", "Montoya", "Betancur", "Osorio",
            "Mosquera", "Caicedo", "Rentería", "Murillo", "Sánchez", "Rodríguez", "Martínez", "López", "García",
            "Hernández", "Vargas", "Moreno", "Rojas", "Jiménez", "Duque", "Orozco", "Muñoz", "Ramírez", "Torres"]  # fmt: skip
ALIASES = ["El Paisa", "La Mona", "El Flaco", "La Negra", "El Mono", "El Tigre", "La Madrina", "El Costeño", "La Caleña", "El Patrón"]
JOBS = ["mesera", "niñera", "modelo", "empleada doméstica", "cuidadora de ancianos", "vendedora", "bailarina", "recepcionista"]
COMPANIES = ["Expreso Bolivariano", "Flota Magdalena", "Expreso Palmira", "Velotax", "Expreso Trejos", "Flota Occidental"]
ORIGIN_CITIES = ["Pereira", "Cali", "Armenia", "Manizales", "Ibagué", "Medellín", "Cúcuta", "Pasto", "Neiva"]
DESTINATIONS = [("Madrid", "MAD"), ("Ciudad de México", "MEX"), ("Cancún", "CUN"), ("Ciudad de Panamá", "PTY"), ("Barcelona", "BCN")]
CARRIERS = [("AV", "Avianca"), ("IB", "Iberia"), ("UX", "Air Europa"), ("CM", "Copa"), ("AV", "Avianca")]
MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
FILLERS = [
    "La víctima manifestó sentir temor por la seguridad de su familia.",
    "Se deja constancia de que la entrevista se realizó en presencia de una psicóloga de la unidad.",
    "Según lo manifestado, no le permitían salir sola del lugar donde se alojaba.",
    "La entrevistada refiere que le retuvieron los documentos al llegar.",
    "Se solicitó a la entidad bancaria la información de los giros realizados.",
    "Durante la diligencia la entrevistada se mostró colaboradora y coherente en su relato.",
    "Se anexan las fotografías tomadas durante la inspección.",
    "Las actividades investigativas continúan en curso.",
]


@dataclass
class Person:
    given: list[str]
    surnames: list[str]
    female: bool
    alias: str | None = None
    phone: str = ""  # E.164
    cedula: str = ""

    @property
    def full(self) -> str:
        return " ".join(self.given + self.surnames)

    @property
    def short(self) -> str:
        return f"{self.given[0]} {self.surnames[0]}"

    def written(self, rng: random.Random) -> str:
        """The name as a case file might write it the first time."""
        form = rng.random()
        if form < 0.3:
            return " ".join(self.surnames + self.given).upper()
        if form < 0.4:
            return fold(" ".join(self.surnames + self.given)).upper()
        return self.full


@dataclass
class GeneratedDocument:
    filename: str
    data: bytes
    gold: dict[str, set[str]]
    kind: str

    def gold_json(self) -> dict[str, list[str]]:
        return {t: sorted(self.gold.get(t, ())) for t in EVALUATED_TYPES}


@dataclass
class _Writer:
    rng: random.Random
    paragraphs: list[list[str]] = field(default_factory=lambda: [[]])
    gold: dict[str, set[str]] = field(default_factory=dict)

    def say(self, sentence: str) -> None:
        self.paragraphs[-1].append(sentence)

    def paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def mark(self, kind: str, value: str) -> None:
        self.gold.setdefault(kind, set()).add(value)

    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs if p) + "\n"


class Cast:
    """Invented people with phones and cédulas, drawn from one random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def person(self, female: bool, alias: bool = False) -> Person:
        rng = self.rng
        while True:
            pool = GIVEN_FEMALE if female else GIVEN_MALE
            given = rng.sample(pool, 2 if rng.random() < 0.8 else 1)
            surnames = rng.sample(SURNAMES, 2)
            person = Person(given, surnames, female)
            if person.full not in self.used:
                self.used.add(person.full)
                break
        person.alias = rng.choice(ALIASES) if alias else None
        prefix = rng.choice(["300", "301", "304", "310", "311", "312", "313", "314", "315", "316", "317", "318", "320", "321", "350"])
        person.phone = "+57" + prefix + "".join(str(rng.randint(0, 9)) for _ in range(7))
        person.cedula = str(rng.randint(10_000_000, 1_199_999_999))
        return person


def written_phone(e164: str, rng: random.Random) -> str:
    if e164.startswith("+57"):
        n = e164[3:]
        return rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:]}", f"(+57) {n}", f"57 {n[:3]} {n[3:6]} {n[6:]}", n])
    if e164.startswith("+34"):
        n = e164[3:]
        return rng.choice([f"+34 {n[:3]} {n[3:6]} {n[6:]}", f"(+34) {n}", f"0034 {n}"])
    if e164.startswith("+52"):
        n = e164[3:]
        return rng.choice([f"+52 {n[:2]} {n[2:6]} {n[6:]}", f"+52 {n}"])
    return e164


def foreign_phone(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return "+346" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    if kind < 0.8:
        return "+5255" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return "+58412" + "".join(str(rng.randint(0, 9)) for _ in range(7))


def written_cedula(number: str, rng: random.Random) -> str:
    grouped = f"{int(number):,}".replace(",", ".")
    return rng.choice([f"C.C. {grouped}", f"cédula de ciudadanía No. {number}", f"CC {number}", f"cédula {grouped}", f"C.C. No. {number}"])


def written_date(day: tuple[int, int, int], rng: random.Random, english: bool = False) -> str:
    y, m, d = day
    if english:
        return rng.choice([f"{d} {MONTHS_EN[m - 1]} {y}", f"{MONTHS_EN[m - 1]} {d}, {y}"])
    return rng.choice([f"{d} de {MONTHS_ES[m - 1]} de {y}", f"{d:02d}/{m:02d}/{y}", f"{d} de {MONTHS_ES[m - 1]} del {y}"])


def _terminal_for(city: str, rng: random.Random):
    g = load_gazetteer()
    options = [t for t in g.terminals if t.city == city]
    return rng.choice(options) if options else None


def _misspell(text: str, rng: random.Random) -> str:
    words = text.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    if len(word) > 5:
        i = rng.randint(1, len(word) - 3)
        words[index] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def written_terminal(terminal, rng: random.Random) -> str:
    names = [terminal.name.split(" (")[0], *terminal.aliases]
    names = [n for n in names if "bus terminal" not in n.lower()]
    name = rng.choice(names)
    if rng.random() < 0.15:
        name = _misspell(name, rng)
    return name


def written_airport(iata: str, rng: random.Random) -> str:
    airport = load_gazetteer().airport_by_code(iata)
    return rng.choice(
        [f"aeropuerto {airport.aliases[0]}" if airport.aliases else airport.name, airport.name, f"aeropuerto de {airport.city}"]
    )


def written_flight(carrier: str, airline: str, number: int, rng: random.Random) -> str:
    return rng.choice([f"{carrier} {number:03d}", f"{carrier}{number}", f"{airline} {number:03d}", f"{carrier} {number}"])


def _day(rng: random.Random) -> tuple[int, int, int]:
    return (rng.choice([2017, 2018, 2019]), rng.randint(1, 12), rng.randint(1, 28))


def _later(day: tuple[int, int, int], days: int) -> tuple[int, int, int]:
    from datetime import date, timedelta

    moved = date(*day) + timedelta(days=days)
    return (moved.year, moved.month, moved.day)


# ----------------------------------------------------------------------------- narrative documents


def _name_in_text(w: _Writer, person: Person, first: bool) -> str:
    w.mark(EntityType.PERSON, person.full)
    return person.written(w.rng) if first else person.short


def police_report(rng: random.Random, cast: Cast, number: int) -> GeneratedDocument:
    w = _Writer(rng)
    victim, friend = cast.person(True), cast.person(True)
    recruiter = cast.person(rng.random() < 0.6, alias=True)
    officer = cast.person(rng.random() < 0.5)
    origin = rng.choice(ORIGIN_CITIES)
    destination, dest_iata = rng.choice(DESTINATIONS)
    carrier, airline = rng.choice(CARRIERS)
    flight_number = rng.randint(1, 999)
    start = _day(rng)
    w.say("FISCALÍA GENERAL DE LA NACIÓN")
    w.paragraph()
    w.say(f"INFORME DE INVESTIGADOR DE CAMPO FPJ-11. Noticia criminal 66001600003520{start[0]}{number:05d}. Delito: trata de personas.")
    w.paragraph()

    # recruitment
    w.say(
        f"El {written_date(start, rng)} la señora {_name_in_text(w, victim, True)}, identificada con {written_cedula(victim.cedula, rng)}, "
        f"residente en {origin}, fue contactada por {_name_in_text(w, recruiter, True)}, alias '{recruiter.alias}', "
        f"quien le ofreció trabajo como {rng.choice(JOBS)} en {destination}."
    )
    w.mark(EntityType.IDENTITY_DOCUMENT, f"CC:{victim.cedula}")
    w.mark(EntityType.LOCATION, origin)
    w.mark(EntityType.LOCATION, destination)
    if rng.random() < 0.7:
        w.say(f"{recruiter.alias} se comunicaba con ella desde el abonado celular {written_phone(recruiter.phone, rng)}.")
        w.mark(EntityType.PHONE, recruiter.phone)
    if rng.random() < 0.5:
        spanish = foreign_phone(rng)
        w.say(f"Posteriormente le escribía desde el número extranjero {written_phone(spanish, rng)}.")
        w.mark(EntityType.PHONE, spanish)
    w.say(rng.choice(FILLERS))
    w.paragraph()

    # by bus to Bogotá
    bus_day = _later(start, rng.randint(5, 40))
    terminal = _terminal_for(origin, rng)
    bogota = _terminal_for("Bogotá", rng)
    company = rng.choice(COMPANIES)
    form = rng.random()
    if form < 0.4 and terminal is not None:
        w.say(
            f"El {written_date(bus_day, rng)}, {_name_in_text(w, victim, False)} y su amiga {_name_in_text(w, friend, True)} "
            f"viajaron en bus de la empresa {company} desde la {written_terminal(terminal, rng)} hasta la {written_terminal(bogota, rng)}."
        )
        w.mark(EntityType.BUS_TERMINAL, terminal.id)
        w.mark(EntityType.BUS_TERMINAL, bogota.id)
    elif form < 0.75:
        w.say(
            f"El {written_date(bus_day, rng)}, {_name_in_text(w, victim, False)} salió de {origin} con destino a Bogotá "
            f"en un bus de {company}, en compañía de {_name_in_text(w, friend, True)}."
        )
        w.mark(EntityType.LOCATION, "Bogotá")
    else:
        w.say(
            f"Según los tiquetes aportados, {_name_in_text(w, victim, False)} y {_name_in_text(w, friend, True)} viajaron "
            f"en bus de {origin} a Bogotá el {written_date(bus_day, rng)}."
        )
        w.mark(EntityType.LOCATION, "Bogotá")
    w.mark(EntityType.ROUTE_LEG, f"{origin}→Bogotá")
    if rng.random() < 0.5:
        w.say(f"Los pasajes fueron pagados por {_name_in_text(w, recruiter, False)}.")

    # by air abroad
    fly_day = _later(bus_day, rng.randint(1, 5))
    flight = written_flight(carrier, airline, flight_number, rng)
    w.mark(EntityType.FLIGHT, f"{carrier}{flight_number}")
    form = rng.random()
    if form < 0.5:
        airport_text = written_airport("BOG", rng)
        w.say(f"El {written_date(fly_day, rng)} abordaron el vuelo {flight} con destino a {destination}, desde el {airport_text}.")
        w.mark(EntityType.AIRPORT, "BOG")
        if airport_text.endswith("Bogotá"):
            pass  # "aeropuerto de Bogotá" names the airport; the city is inside it
    else:
        w.say(f"Luego viajaron en avión de Bogotá a {destination} ({dest_iata}) en el vuelo {flight} del {written_date(fly_day, rng)}.")
        w.mark(EntityType.LOCATION, "Bogotá")
        w.mark(EntityType.AIRPORT, dest_iata)
    w.mark(EntityType.ROUTE_LEG, f"Bogotá→{destination}")
    w.paragraph()
    w.say(rng.choice(FILLERS))
    w.paragraph()
    w.say(f"Investigador: {_name_in_text(w, officer, True)}, Policía Nacional, Dijín.")
    text = w.text()
    return GeneratedDocument(f"informe_{number:05d}.txt", text.encode("utf-8"), w.gold, "police_report")


def interview(rng: random.Random, cast: Cast, number: int) -> GeneratedDocument:
    w = _Writer(rng)
    victim = cast.person(True)
    recruiter = cast.person(rng.random() < 0.5, alias=True)
    origin = rng.choice(ORIGIN_CITIES)
    destination, _ = rng.choice(DESTINATIONS)
    day = _day(rng)
    w.say(f"ENTREVISTA FPJ-14. Lugar: {origin}. Fecha: {written_date(day, rng)}.")
    w.mark(EntityType.LOCATION, origin)
    w.paragraph()
    w.say(f"Entrevistada: {_name_in_text(w, victim, True)}, {written_cedula(victim.cedula, rng)}.")
    w.mark(EntityType.IDENTITY_DOCUMENT, f"CC:{victim.cedula}")
    w.paragraph()
    w.say("PREGUNTADO: Diga cómo conoció a la persona que le ofreció el trabajo.")
    w.say(
        f"CONTESTÓ: Por una amiga conocí a {_name_in_text(w, recruiter, True)}, a quien le dicen {recruiter.alias}; "
        f"me dijo que en {destination} ganaría en dólares."
    )
    w.mark(EntityType.LOCATION, destination)
    w.paragraph()
    w.say("PREGUNTADO: Diga si tiene algún número de contacto de esa persona.")
    w.say(f"CONTESTÓ: Sí, el celular de {recruiter.alias} era el {written_phone(recruiter.phone, rng)}.")
    w.mark(EntityType.PHONE, recruiter.phone)
    w.paragraph()
    w.say("PREGUNTADO: Diga cómo fue el viaje.")
    if rng.random() < 0.5:
        w.say(f"CONTESTÓ: Viajamos en bus de {origin} a Bogotá y de allí en avión a {destination}.")
        w.mark(EntityType.LOCATION, "Bogotá")
        w.mark(EntityType.ROUTE_LEG, f"{origin}→Bogotá")
        w.mark(EntityType.ROUTE_LEG, f"Bogotá→{destination}")
    else:
        hub = rng.choice(["Cali", "Medellín", "Pereira"]) if origin not in ("Cali", "Medellín", "Pereira") else "Bogotá"
        w.say(f"CONTESTÓ: Salimos de {origin} hacia {hub} en una buseta; allá nos recogió un señor en una camioneta.")
        w.mark(EntityType.LOCATION, hub)
        w.mark(EntityType.ROUTE_LEG, f"{origin}→{hub}")
    w.say(rng.choice(FILLERS))
    return GeneratedDocument(f"entrevista_{number:05d}.txt", w.text().encode("utf-8"), w.gold, "interview")


def liaison_note(rng: random.Random, cast: Cast, number: int) -> GeneratedDocument:
    w = _Writer(rng)
    victim = cast.person(True)
    contact = cast.person(rng.random() < 0.5, alias=True)
    destination, dest_iata = rng.choice(DESTINATIONS[:3])
    carrier, airline = rng.choice(CARRIERS)
    flight_number = rng.randint(1, 999)
    day = _day(rng)
    passport = "A" + rng.choice("BCEOT") + str(rng.randint(100000, 999999))
    phone = foreign_phone(rng)
    w.say(f"INTERPOL liaison note {number}. Subject: travel of a Colombian national to {destination}.")
    w.mark(EntityType.LOCATION, destination)
    w.paragraph()
    w.say(
        f"On {written_date(day, rng, english=True)} {_name_in_text(w, victim, True)}, holder of Colombian passport {passport}, "
        f"travelled from Bogotá to {destination} on {airline} flight {carrier} {flight_number}."
    )
    w.mark(EntityType.IDENTITY_DOCUMENT, f"PASSPORT:{passport}")
    w.mark(EntityType.LOCATION, "Bogotá")
    w.mark(EntityType.FLIGHT, f"{carrier}{flight_number}")
    w.mark(EntityType.ROUTE_LEG, f"Bogotá→{destination}")
    w.say(f"Her local mobile number is {written_phone(phone, rng)}.")
    w.mark(EntityType.PHONE, phone)
    w.say(
        f"She was met at the arrival hall of {load_gazetteer().airport_by_code(dest_iata).name} ({dest_iata}) by "
        f"{_name_in_text(w, contact, True)}, known as '{contact.alias}'."
    )
    w.mark(EntityType.AIRPORT, dest_iata)
    w.say("Please advise whether the subject is known to your services.")
    return GeneratedDocument(f"liaison_note_{number:05d}.txt", w.text().encode("utf-8"), w.gold, "liaison_note")


# ----------------------------------------------------------------------------- tables


def cdr_table(rng: random.Random, cast: Cast, number: int, rows: int = 30, english: bool = False) -> GeneratedDocument:
    people = [cast.person(rng.random() < 0.5) for _ in range(4)]
    phones = [p.phone for p in people] + [foreign_phone(rng) for _ in range(2)]
    header = ["Caller", "Callee", "Start time", "Duration (s)", "Cell ID", "IMEI"] if english else [
        "Número origen", "Número destino", "Fecha y hora", "Duración (s)", "Celda", "IMEI"]  # fmt: skip
    gold: dict[str, set[str]] = {EntityType.PHONE: set()}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if not english else ",")
    writer.writerow(header)
    day = _day(rng)
    for i in range(rows):
        a, b = rng.sample(phones, 2)
        gold[EntityType.PHONE].update((a, b))
        moment = _later(day, i // 6)
        writer.writerow([
            a.lstrip("+") if a.startswith("+57") and rng.random() < 0.5 else a, b,
            f"{moment[2]:02d}/{moment[1]:02d}/{moment[0]} {rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}",
            rng.randint(5, 900), f"732-101-{rng.randint(1000, 9999)}", "".join(str(rng.randint(0, 9)) for _ in range(15)),
        ])  # fmt: skip
    return GeneratedDocument(f"cdr_{number:05d}.csv", out.getvalue().encode("utf-8"), gold, "cdr")


def flight_manifest(rng: random.Random, cast: Cast, number: int, rows: int = 12) -> tuple[GeneratedDocument, list[Person]]:
    carrier, airline = rng.choice(CARRIERS)
    flight_number = rng.randint(1, 999)
    destination, dest_iata = rng.choice(DESTINATIONS)
    day = _day(rng)
    gold: dict[str, set[str]] = {EntityType.FLIGHT: {f"{carrier}{flight_number}"}, EntityType.AIRPORT: {"BOG", dest_iata},
                                 EntityType.ROUTE_LEG: {f"Bogotá→{destination}"}, EntityType.PERSON: set(), EntityType.IDENTITY_DOCUMENT: set()}  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Pasajero", "Documento", "Vuelo", "Fecha", "Origen", "Destino", "Reserva", "Silla"])
    passengers = [cast.person(rng.random() < 0.6) for _ in range(rows)]
    for p in passengers:
        passport = "A" + rng.choice("BCEOT") + str(rng.randint(100000, 999999))
        use_passport = rng.random() < 0.5
        gold[EntityType.PERSON].add(p.full)
        gold[EntityType.IDENTITY_DOCUMENT].add(f"PASSPORT:{passport}" if use_passport else f"CC:{p.cedula}")
        writer.writerow([
            " ".join(p.surnames + p.given).upper(), passport if use_passport else p.cedula, f"{carrier}{flight_number:03d}",
            f"{day[0]}-{day[1]:02d}-{day[2]:02d}", "BOG", dest_iata,
            "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6)), f"{rng.randint(1, 40)}{rng.choice('ABCDEF')}",
        ])  # fmt: skip
    return GeneratedDocument(f"manifiesto_{number:05d}.csv", out.getvalue().encode("utf-8"), gold, "flight_manifest"), passengers


def bus_tickets(rng: random.Random, cast: Cast, number: int, rows: int = 15) -> GeneratedDocument:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tiquetes"
    sheet.append(["RELACIÓN DE TIQUETES VENDIDOS"])
    sheet.append(["Pasajero", "Documento de identidad", "Empresa", "Terminal origen", "Destino", "Fecha salida", "Silla"])
    gold: dict[str, set[str]] = {
        EntityType.PERSON: set(),
        EntityType.IDENTITY_DOCUMENT: set(),
        EntityType.BUS_TERMINAL: set(),
        EntityType.ROUTE_LEG: set(),
    }
    day = _day(rng)
    for _ in range(rows):
        p = cast.person(rng.random() < 0.6)
        origin = rng.choice(ORIGIN_CITIES)
        terminal = _terminal_for(origin, rng)
        bogota = _terminal_for("Bogotá", rng)
        gold[EntityType.PERSON].add(p.full)
        gold[EntityType.IDENTITY_DOCUMENT].add(f"CC:{p.cedula}")
        gold[EntityType.BUS_TERMINAL].update((terminal.id, bogota.id))
        gold[EntityType.ROUTE_LEG].add(f"{origin}→Bogotá")
        sheet.append([p.full.upper(), int(p.cedula), rng.choice(COMPANIES), terminal.name, bogota.name,
                      f"{day[2]:02d}/{day[1]:02d}/{day[0]} {rng.randint(5, 23):02d}:{rng.choice(['00', '30'])}", rng.randint(1, 42)])  # fmt: skip
    out = io.BytesIO()
    workbook.properties.created = workbook.properties.modified = __import__("datetime").datetime(2018, 1, 1)
    workbook.save(out)
    return GeneratedDocument(f"tiquetes_{number:05d}.xlsx", stable_zip(out.getvalue()), gold, "bus_tickets")


def stable_zip(data: bytes) -> bytes:
    """An Office file (a zip) with its timestamps fixed (zip entries and the "modified"
    property): openpyxl and python-docx stamp the time of writing, so the same seed would
    not give the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2018, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save time
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2018-01-01T00:00:00Z", content)
            target.writestr(fixed, content)
    return out.getvalue()


# ----------------------------------------------------------------------------- corpus


def generate_documents(count: int, seed: int = 0, tables: bool = True) -> list[GeneratedDocument]:
    """`count` documents: mostly narrative (reports, interviews, liaison notes), with a CDR,
    a manifest and a ticket list in every 20 when `tables` is true."""
    rng = random.Random(seed)
    cast = Cast(rng)
    documents = []
    for number in range(count):
        slot = number % 20
        if tables and slot == 7:
            documents.append(cdr_table(rng, cast, number, english=rng.random() < 0.3))
        elif tables and slot == 13:
            documents.append(flight_manifest(rng, cast, number)[0])
        elif tables and slot == 17:
            documents.append(bus_tickets(rng, cast, number))
        elif slot in (3, 11):
            documents.append(liaison_note(rng, cast, number))
        elif slot % 2:
            documents.append(interview(rng, cast, number))
        else:
            documents.append(police_report(rng, cast, number))
    return documents


def write_corpus(folder: Path, documents: list[GeneratedDocument]) -> Path:
    """The documents as files plus gold.json beside them; returns the gold file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for document in documents:
        (folder / document.filename).write_bytes(document.data)
    gold_path = folder / "gold.json"
    gold = {"schema": "telarana.gold/1", "documents": {d.filename: d.gold_json() for d in documents}}
    gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    return gold_path
