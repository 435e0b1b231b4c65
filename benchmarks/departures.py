"""A generated day of departures from Colombian bus terminals (invented people), with planted
trafficking patterns and innocent travel that looks like them, and the truth of what was
planted. The screening benchmark reads it; nothing here is read by the screening rules.

Innocent look-alikes: families (children carry both parents' first surnames), a mother buying
one-way tickets for her grown daughters, crews of men paid by one employer, teachers travelling
with students on return tickets, aunts and grandmothers with a grandchild of another surname,
commuters buying a one-way ticket to the border an hour before leaving, young women doing the
same on their own, and namesakes of the known suspects with other ID numbers.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

FEMALE = ["María", "Luisa", "Yurani", "Daniela", "Paola", "Andrea", "Lina", "Erika", "Karen", "Leidy", "Yesenia", "Natalia", "Diana",
          "Sandra", "Gloria", "Luz", "Ana", "Camila", "Valentina", "Juliana", "Marcela", "Johana", "Tatiana", "Viviana", "Adriana",
          "Angie", "Sara", "Laura", "Manuela", "Isabel", "Rosa", "Martha", "Claudia", "Lorena", "Stefany", "Dayana"]  # fmt: skip
MALE = ["Carlos", "Jorge", "Luis", "Andrés", "Juan", "Jhon", "Fredy", "Wilson", "Hernán", "Diego", "Óscar", "Fabio", "Alexander",
        "Julián", "Mauricio", "Edwin", "Camilo", "Sebastián", "Jairo", "Wilmer", "Héctor", "Alonso", "Rubén", "Gustavo"]  # fmt: skip
SURNAMES = ["Gómez", "Rodríguez", "Martínez", "López", "García", "Pérez", "Ramírez", "Sánchez", "Torres", "Rojas", "Vargas", "Moreno",
            "Jiménez", "Muñoz", "Castro", "Ortiz", "Rubio", "Marín", "Ospina", "Cardona", "Arias", "Cano", "Ríos", "Suárez", "Loaiza",
            "Giraldo", "Zapata", "Henao", "Valencia", "Mejía", "Restrepo", "Quintero", "Patiño", "Mosquera", "Palacios", "Córdoba",
            "Betancur", "Osorio", "Salazar", "Agudelo", "Bedoya", "Montoya", "Escobar", "Correa", "Duque", "Villegas", "Toro", "Londoño",
            "Acevedo", "Echeverri", "Usuga", "Tabares", "Hincapié", "Grajales", "Orozco", "Buitrago", "Castaño", "Alzate", "Franco"]  # fmt: skip
ORIGINS = ["Pereira", "Cali", "Medellín", "Armenia", "Manizales", "Bogotá", "Ibagué", "Cartago", "Tuluá", "Buga"]
INLAND = ["Bogotá", "Medellín", "Cali", "Pasto", "Popayán", "Neiva", "Bucaramanga", "Villavicencio", "Manizales", "Armenia"]
BORDER = ["Ipiales", "Cúcuta", "Maicao"]
COMPANIES = ["Expreso Bolivariano", "Flota Magdalena", "Transportes Velotax", "Expreso Palmira", "Flota Occidental", "Coomotor"]
HEADERS = ["Nombre del pasajero", "Cédula", "Sexo", "Edad", "Origen", "Destino", "Fecha salida", "Hora salida", "Empresa",
           "Comprador", "Celular comprador", "Fecha de compra", "Tipo de tiquete", "Código de venta"]  # fmt: skip
# Colombian mobile prefixes in use (operators' ranges).
MOBILE_PREFIXES = ["300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315", "316", "317", "318", "319", "320", "321",
                   "322", "323", "324", "350", "351"]  # fmt: skip
INDICATORS = ("known", "buyer_young_women", "minor_unrelated_adult", "repeated_escort", "late_booking")


@dataclass
class Departures:
    day: str
    history: list[str] = field(default_factory=list)  # CSV texts of the days before, oldest first
    today: str = ""
    planted: dict[str, list[set[int]]] = field(default_factory=dict)  # indicator -> the rows of each planted instance (today's file)
    known_subscribers: str = ""  # the known case: a subscriber list of its suspects (name, ID, phone)
    rows: int = 0


class _Writer:
    def __init__(self, rng: random.Random, day: datetime):
        self.rng, self.day = rng, day
        self.lines: list[list[str]] = []
        self.sale = rng.randrange(100_000, 900_000)

    @property
    def next_row(self) -> int:
        return len(self.lines) + 2  # the header is row 1

    def departure(self, destinations: list[str] | None = None) -> tuple[str, str, datetime, str]:
        origin = self.rng.choice(ORIGINS)
        destination = self.rng.choice([d for d in (destinations or INLAND + BORDER) if d != origin])
        leaves = self.day + timedelta(hours=self.rng.randrange(4, 23), minutes=self.rng.choice((0, 15, 30, 45)))
        return origin, destination, leaves, self.rng.choice(COMPANIES)

    def add(self, passenger: str, id_number: str, sex: str, age: int, trip, buyer: str, phone: str, booked: datetime, one_way: bool,
            sale: str) -> int:  # fmt: skip
        origin, destination, leaves, company = trip
        row = self.next_row
        self.lines.append([passenger, id_number, sex, str(age), origin, destination, leaves.strftime("%d/%m/%Y"), leaves.strftime("%H:%M"),
                           company, buyer, phone, booked.strftime("%Y-%m-%d %H:%M"), "Solo ida" if one_way else "Ida y regreso", sale])  # fmt: skip
        return row

    def new_sale(self) -> str:
        self.sale += self.rng.randrange(1, 40)
        return f"V-{self.sale}"

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(self.lines)
        return out.getvalue()


class _People:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: set[str] = set()

    def id_number(self) -> str:
        while True:
            value = str(
                self.rng.randrange(1_000_000_000, 1_130_000_000) if self.rng.random() < 0.6 else self.rng.randrange(10_000_000, 99_999_999)
            )
            if value not in self.ids:
                self.ids.add(value)
                return value

    def phone(self) -> str:
        return f"{self.rng.choice(MOBILE_PREFIXES)} {self.rng.randrange(100, 999)} {self.rng.randrange(1000, 9999)}"

    def name(self, sex: str, surnames: tuple[str, str] | None = None) -> tuple[str, tuple[str, str]]:
        given = self.rng.sample(FEMALE if sex == "F" else MALE, 2 if self.rng.random() < 0.5 else 1)
        chosen = surnames or tuple(self.rng.sample(SURNAMES, 2))
        return " ".join([*given, *chosen]).upper(), chosen  # type: ignore[return-value]


def generate(rows: int = 10_000, seed: int = 2211, day: str = "2026-11-30", history_days: int = 14, history_rows: int = 400) -> Departures:
    rng = random.Random(seed)
    people = _People(rng)
    when = datetime.fromisoformat(day)
    result = Departures(day=day, planted={k: [] for k in INDICATORS})

    # The known case: suspects with their IDs and phones.
    suspects = []
    for _ in range(12):
        sex = rng.choice("FM")
        name, _ = people.name(sex)
        suspects.append((name, people.id_number(), people.phone(), sex))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["Número de línea", "Nombre del titular", "Documento titular"])
    writer.writerows([[phone, name, id_number] for name, id_number, phone, _ in suspects])
    result.known_subscribers = out.getvalue()

    escorts = [(people.name("M")[0], people.id_number()) for _ in range(3)] + [(people.name("F")[0], people.id_number())]
    teacher = (people.name("M")[0], people.id_number())
    days = [when - timedelta(days=d) for d in range(history_days, 0, -1)]
    for index, earlier in enumerate(days):
        w = _Writer(rng, earlier)
        _noise(w, people, history_rows, rng)
        for number, (escort, escort_id) in enumerate(escorts):
            if index % 5 == number % 5:  # every escort has two or three earlier trips
                _escorted_trip(w, people, rng, escort, escort_id, rng.randint(2, 3))
        if index in (3, 9):  # the teacher travels with different students: an innocent repeated "escort"
            _teacher_trip(w, people, rng, teacher)
        result.history.append(w.csv())

    w = _Writer(rng, when)
    planted_at = sorted(rng.sample(range(rows // 40, rows - rows // 40), 40))
    plan = (["known_id"] * 5 + ["known_phone"] * 3 + ["known_name"] * 2 + ["buyer"] * 5 + ["minor"] * 6 + ["escort"] * len(escorts)
            + ["late"] * 8 + ["teacher"] + ["homonym"] * 3)  # fmt: skip
    rng.shuffle(plan)
    escort_queue = list(escorts)
    target = rows
    while w.next_row - 2 < target:
        if planted_at and w.next_row - 2 >= planted_at[0] and plan:
            planted_at.pop(0)
            _plant(plan.pop(), w, people, rng, suspects, escort_queue, teacher, result)
            continue
        _noise(w, people, 1, rng)
    result.today = w.csv()
    result.rows = len(w.lines)
    return result


def _plant(kind: str, w: _Writer, people: _People, rng: random.Random, suspects: list, escort_queue: list, teacher: tuple[str, str],
           result: Departures) -> None:  # fmt: skip
    """One planted pattern (or one innocent look-alike) written into today's rows."""
    if kind.startswith("known"):
        name, id_number, phone, sex = rng.choice(suspects)
        trip = w.departure()
        booked = trip[2] - timedelta(days=rng.randint(2, 9))
        if kind == "known_id":
            row = w.add(people.name(sex)[0] if rng.random() < 0.5 else name, id_number, sex, rng.randint(25, 55), trip, "", "", booked,
                        rng.random() < 0.5, w.new_sale())  # fmt: skip
        elif kind == "known_phone":
            passenger, _ = people.name("F")
            row = w.add(passenger, people.id_number(), "F", rng.randint(30, 60), trip, name, phone, booked, False, w.new_sale())
        else:
            row = w.add(name, "", sex, rng.randint(25, 55), trip, name, people.phone(), booked, False, w.new_sale())
        result.planted["known"].append({row})
    elif kind == "homonym":  # a namesake of a suspect with another ID: innocent
        name, _, _, sex = rng.choice(suspects)
        trip = w.departure()
        w.add(name, people.id_number(), sex, rng.randint(20, 70), trip, name, people.phone(), trip[2] - timedelta(days=3), False,
              w.new_sale())  # fmt: skip
    elif kind == "buyer":
        buyer, _ = people.name(rng.choice("FM"))
        phone = people.phone()
        rows_of = set()
        trip = w.departure(BORDER + ["Pasto", "Bogotá"])
        for _ in range(rng.randint(3, 5)):
            woman, _ = people.name("F")
            booked = trip[2] - timedelta(days=rng.randint(2, 6), hours=rng.randint(0, 10))
            rows_of.add(w.add(woman, people.id_number(), "F", rng.randint(16, 24), trip, buyer, phone, booked, True, w.new_sale()))
        result.planted["buyer_young_women"].append(rows_of)
    elif kind == "minor":
        adult_sex = rng.choice("MF")
        adult, _ = people.name(adult_sex)
        child, _ = people.name("F" if rng.random() < 0.8 else "M")
        trip = w.departure()
        sale, booked = w.new_sale(), trip[2] - timedelta(days=rng.randint(2, 8))
        rows_of = {w.add(adult, people.id_number(), adult_sex, rng.randint(24, 52), trip, adult, people.phone(), booked, True, sale)}
        rows_of.add(w.add(child, people.id_number(), "F", rng.randint(13, 17), trip, adult, "", booked, True, sale))
        result.planted["minor_unrelated_adult"].append(rows_of)
    elif kind == "escort":
        escort, escort_id = escort_queue.pop()
        result.planted["repeated_escort"].append(_escorted_trip(w, people, rng, escort, escort_id, rng.randint(2, 3)))
    elif kind == "teacher":
        _teacher_trip(w, people, rng, teacher)
    elif kind == "late":
        woman, _ = people.name("F")
        trip = w.departure(BORDER)
        booked = trip[2] - timedelta(hours=rng.randint(1, 10))
        row = w.add(woman, people.id_number(), "F", rng.randint(16, 23), trip, "", "", booked, True, w.new_sale())
        result.planted["late_booking"].append({row})


def _escorted_trip(w: _Writer, people: _People, rng: random.Random, escort: str, escort_id: str, women: int) -> set[int]:
    trip = w.departure(BORDER + ["Pasto", "Bogotá", "Medellín"])
    sale, booked = w.new_sale(), trip[2] - timedelta(days=rng.randint(2, 7))
    rows = {w.add(escort, escort_id, "M" if escort.split()[0].title() in MALE else "F", rng.randint(28, 50), trip, escort, people.phone(),
                  booked, True, sale)}  # fmt: skip
    for _ in range(women):
        rows.add(w.add(people.name("F")[0], people.id_number(), "F", rng.randint(17, 24), trip, escort, "", booked, True, sale))
    return rows


def _teacher_trip(w: _Writer, people: _People, rng: random.Random, teacher: tuple[str, str]) -> None:
    trip = w.departure(INLAND)
    sale, booked = w.new_sale(), trip[2] - timedelta(days=rng.randint(10, 30))
    w.add(teacher[0], teacher[1], "M", 47, trip, teacher[0], people.phone(), booked, False, sale)
    for _ in range(4):
        w.add(people.name("F")[0], people.id_number(), "F", rng.randint(18, 22), trip, teacher[0], "", booked, False, sale)


def _noise(w: _Writer, people: _People, count: int, rng: random.Random) -> None:
    """Innocent travel, some of it looking like the patterns."""
    for _ in range(count):
        kind = rng.random()
        if kind < 0.62:  # one traveller, own ticket
            sex = rng.choice("FM")
            name, _ = people.name(sex)
            trip = w.departure()
            late = rng.random() < 0.12
            booked = trip[2] - (timedelta(hours=rng.randint(1, 20)) if late else timedelta(days=rng.randint(1, 25)))
            w.add(name, people.id_number(), sex, rng.randint(16, 80), trip, name, people.phone(), booked, rng.random() < 0.45, w.new_sale())
        elif kind < 0.80:  # a family: children carry the father's and the mother's first surnames
            father, (f1, _) = people.name("M")
            mother, (m1, _) = people.name("F")
            trip, sale = w.departure(), w.new_sale()
            booked = trip[2] - timedelta(days=rng.randint(1, 30))
            one_way = rng.random() < 0.3
            w.add(father, people.id_number(), "M", rng.randint(28, 55), trip, father, people.phone(), booked, one_way, sale)
            w.add(mother, people.id_number(), "F", rng.randint(26, 52), trip, father, "", booked, one_way, sale)
            for _ in range(rng.randint(1, 3)):
                sex = rng.choice("FM")
                child = people.name(sex, (f1, m1))[0]
                w.add(child, people.id_number(), sex, rng.randint(1, 17), trip, father, "", booked, one_way, sale)
        elif kind < 0.84:  # a mother sends her grown daughters (one way)
            mother, (m1, m2) = people.name("F")
            trip, sale = w.departure(), w.new_sale()
            booked = trip[2] - timedelta(days=rng.randint(1, 10))
            for _ in range(3):
                w.add(people.name("F", (rng.choice(SURNAMES), m1))[0], people.id_number(), "F", rng.randint(16, 24), trip, mother, people.phone(),
                      booked, True, sale)  # fmt: skip
        elif kind < 0.88:  # a crew of men paid by their employer
            boss, _ = people.name("M")
            trip, sale = w.departure(), w.new_sale()
            booked = trip[2] - timedelta(days=rng.randint(0, 5))
            for _ in range(rng.randint(4, 6)):
                w.add(people.name("M")[0], people.id_number(), "M", rng.randint(19, 45), trip, boss, "", booked, True, sale)
        elif kind < 0.91:  # a grandmother or an aunt with a child of another surname
            adult, _ = people.name("F")
            child, _ = people.name(rng.choice("FM"))
            trip, sale = w.departure(), w.new_sale()
            booked = trip[2] - timedelta(days=rng.randint(1, 20))
            w.add(adult, people.id_number(), "F", rng.randint(45, 70), trip, adult, people.phone(), booked, False, sale)
            w.add(child, people.id_number(), rng.choice("FM"), rng.randint(6, 15), trip, adult, "", booked, False, sale)
        elif kind < 0.95:  # commuters to the border, bought an hour before
            name, _ = people.name("M")
            trip = w.departure(BORDER)
            w.add(name, people.id_number(), "M", rng.randint(25, 60), trip, name, people.phone(), trip[2] - timedelta(hours=rng.randint(1, 6)),
                  True, w.new_sale())  # fmt: skip
        elif kind < 0.97:  # a young woman going to the border on her own, bought late: innocent, and a look-alike
            name, _ = people.name("F")
            trip = w.departure(BORDER)
            w.add(name, people.id_number(), "F", rng.randint(18, 25), trip, name, people.phone(), trip[2] - timedelta(hours=rng.randint(2, 20)),
                  True, w.new_sale())  # fmt: skip
        else:  # two friends travelling together
            sale = w.new_sale()
            trip = w.departure()
            booked = trip[2] - timedelta(days=rng.randint(1, 15))
            for _ in range(2):
                sex = rng.choice("FM")
                name, _ = people.name(sex)
                w.add(name, people.id_number(), sex, rng.randint(18, 35), trip, name, people.phone(), booked, rng.random() < 0.5, sale)
