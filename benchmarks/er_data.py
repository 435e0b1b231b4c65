"""Person records with ground truth for the entity-resolution benchmarks (all invented).

Each true person gets 1–5 records, written the ways case files and lists write them:
capitals, surname-first, accents dropped, a dropped second surname or given name, a
nickname, a typo, phone numbers in other formats or changed, an ID with two digits
transposed, a date of birth with day and month swapped, an alias. A third of the people
live in families that share both surnames and a home phone, and are *not* the same person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from backend.domain.text import fold
from ingest.generator import ALIASES, GIVEN_FEMALE, GIVEN_MALE, SURNAMES

EXTRA_SURNAMES = ["Bedoya", "Builes", "Cañas", "Cifuentes", "Correa", "Cuartas", "Echeverri", "Escobar", "Franco", "Gallego",
                  "Gaviria", "Gil", "Grajales", "Hoyos", "Idárraga", "Jaramillo", "Lopera", "Mejía", "Mesa", "Naranjo",
                  "Ocampo", "Palacio", "Patiño", "Posada", "Ramírez", "Rendón", "Sierra", "Soto", "Tabares", "Toro",
                  "Uribe", "Vélez", "Villa", "Yepes", "Zuluaga", "Acosta", "Benítez", "Cárdenas", "Díaz", "Espinosa",
                  "Fernández", "Guzmán", "Ibáñez", "Lozano", "Medina", "Navarro", "Ortiz", "Peña", "Quiroga", "Reyes",
                  "Salcedo", "Trujillo", "Urrego", "Vallejo", "Zapata", "Córdoba", "Aguirre", "Bermúdez", "Cardozo"]  # fmt: skip
EXTRA_GIVEN = ["Francisco", "José", "Jesús", "Antonio", "Guillermo", "Alberto", "Enrique", "Ignacio", "Rosario", "Juana",
               "Catalina", "Juliana", "Sofía", "Jessica", "Jennifer", "Gustavo", "Ricardo", "Sergio", "Nicolás", "Santiago",
               "Sebastián", "Alejandro", "Manuel", "Pablo", "Gloria", "Martha", "Patricia", "Claudia", "Adriana", "Viviana"]  # fmt: skip
NICKNAME_OF = {"Francisco": "Pacho", "José": "Pepe", "Jesús": "Chucho", "Luis": "Lucho", "Ignacio": "Nacho", "Juan": "Juancho",
               "Antonio": "Toño", "Guillermo": "Memo", "Alberto": "Beto", "Enrique": "Kike", "Carolina": "Caro",
               "Valentina": "Vale", "Daniela": "Dani", "Catalina": "Cata", "Juliana": "Juli", "Sofía": "Sofi", "Juana": "Juanita",
               "Jessica": "Yesica", "Jhon": "John", "Brayan": "Bryan", "Yeison": "Jeison", "Johana": "Yohana"}  # fmt: skip


@dataclass
class TruePerson:
    id: int
    given: list[str]
    surnames: list[str]
    dob: str
    phone: str
    cedula: str
    alias: str | None


@dataclass
class PersonRow:
    record_id: str
    person_id: int
    full_name: str
    dob: str
    phone: str
    id_number: str
    alias: str


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice("aeioulnrs") + word[i + 1 :]


def _phone_written(e164: str, rng: random.Random) -> str:
    n = e164[3:]
    return rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:]}", f"(+57) {n}", f"+57{n}", n])


def _people(count: int, rng: random.Random) -> list[TruePerson]:
    given_pool = GIVEN_FEMALE + GIVEN_MALE + EXTRA_GIVEN
    surname_pool = SURNAMES + EXTRA_SURNAMES
    people: list[TruePerson] = []
    while len(people) < count:
        family = rng.random() < 0.33
        surnames = rng.sample(surname_pool, 2)
        home_phone = (
            "+573" + rng.choice(["00", "01", "10", "11", "12", "13", "14", "15", "16", "17", "20"]) + f"{rng.randint(0, 9_999_999):07d}"
        )
        for _ in range(rng.randint(2, 4) if family else 1):
            given = rng.sample(given_pool, 2 if rng.random() < 0.75 else 1)
            phone = (
                home_phone
                if family
                else "+573" + rng.choice(["00", "01", "10", "12", "15", "18", "20"]) + f"{rng.randint(0, 9_999_999):07d}"
            )
            people.append(
                TruePerson(
                    id=len(people), given=given, surnames=list(surnames),
                    dob=f"{rng.randint(1960, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    phone=phone, cedula=str(rng.randint(1_000_000, 1_199_999_999)),
                    alias=rng.choice(ALIASES) + (f" {rng.randint(1, 99)}" if rng.random() < 0.5 else "") if rng.random() < 0.1 else None,
                )
            )  # fmt: skip
    return people[:count]


def _record(person: TruePerson, rng: random.Random, number: int) -> PersonRow:
    given = list(person.given)
    surnames = list(person.surnames)
    if rng.random() < 0.12 and given[0] in NICKNAME_OF:
        given[0] = NICKNAME_OF[given[0]]
    if len(given) > 1 and rng.random() < 0.2:
        given = given[:1]
    if rng.random() < 0.2:
        surnames = surnames[:1]
    if rng.random() < 0.15:
        parts = given + surnames
        k = rng.randrange(len(parts))
        parts[k] = _typo(parts[k], rng)
        given, surnames = parts[: len(given)], parts[len(given) :]
    form = rng.random()
    if form < 0.25:
        name = " ".join(surnames + given).upper()
    elif form < 0.35:
        name = fold(" ".join(surnames + given)).upper()
    elif form < 0.5:
        name = fold(" ".join(given + surnames)).title()
    else:
        name = " ".join(given + surnames)
    dob = ""
    if rng.random() < 0.6:
        y, m, d = person.dob.split("-")
        dob = rng.choice([f"{d}/{m}/{y}", person.dob])
        if rng.random() < 0.05 and int(d) <= 12:
            dob = f"{m}/{d}/{y}"  # day and month swapped
    phone = ""
    if rng.random() < 0.5:
        phone = (
            _phone_written(person.phone, rng) if rng.random() < 0.9 else _phone_written("+57310" + f"{rng.randint(0, 9_999_999):07d}", rng)
        )
    id_number = ""
    if rng.random() < 0.5:
        id_number = person.cedula
        if rng.random() < 0.05 and len(id_number) > 4:
            i = rng.randint(0, len(id_number) - 2)
            id_number = id_number[:i] + id_number[i + 1] + id_number[i] + id_number[i + 2 :]
        elif rng.random() < 0.3:
            id_number = f"{int(id_number):,}".replace(",", ".")
    alias = person.alias if person.alias and rng.random() < 0.3 else ""
    return PersonRow(f"r{number}", person.id, name, dob, phone, id_number, alias)


def generate_rows(records: int, seed: int = 0) -> list[PersonRow]:
    """About `records` rows from about records / 2.2 true people, shuffled."""
    rng = random.Random(seed)
    people = _people(max(1, int(records / 2.2)), rng)
    rows: list[PersonRow] = []
    while len(rows) < records:
        person = rng.choice(people)
        for _ in range(min(5, 1 + int(rng.expovariate(0.8)))):
            rows.append(_record(person, rng, len(rows)))
    rows = rows[:records]
    rng.shuffle(rows)
    return rows
