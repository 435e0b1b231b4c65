"""The place gazetteer: cities, bus terminals (with aliases) and airports (IATA).

Terminals are matched fuzzily with rapidfuzz, because case files misspell and abbreviate
them ("Terminal del Salitr", "terminal de transporte de Bogota"). Every place names its
city so route legs can be compared at city level.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

from backend.domain.text import fold

TERMINAL_MIN_SCORE = 88.0
TERMINAL_MIN_DISTINCTIVE_SCORE = 80.0
_COMMON_WORDS = frozenset("terminal terminales de del la las los transportes transporte buses bus".split())


def _distinctive(name: str) -> str:
    return " ".join(w for w in fold(name).split() if w not in _COMMON_WORDS)


@dataclass(frozen=True)
class City:
    """A city, or a country or department ("kind"): any named place a leg can start or end at."""

    name: str
    country: str
    aliases: tuple[str, ...] = ()
    kind: str = "city"
    # Listed in places.json (the names case files use), or read from ISO 3166: those are matched
    # only as written, since "contra la libertad" is not the region La Libertad.
    listed: bool = True
    near: str = ""  # a border crossing: the city beside it

    @property
    def key(self) -> str:
        return f"city:{fold(self.name)}"


@dataclass(frozen=True)
class Terminal:
    id: str
    name: str
    city: str
    aliases: tuple[str, ...] = ()
    shared_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Airport:
    iata: str
    name: str
    city: str
    aliases: tuple[str, ...] = ()
    serves: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"airport:{self.iata}"


@dataclass(frozen=True)
class TerminalMatch:
    terminal: Terminal
    score: float
    length: int  # characters of the phrase that matched


@dataclass
class Gazetteer:
    cities: list[City]
    terminals: list[Terminal]
    airports: list[Airport]
    companies: list[str] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)
    _city_by_alias: dict[str, City] = field(default_factory=dict)
    _airport_by_code: dict[str, Airport] = field(default_factory=dict)
    _airport_by_city: dict[str, Airport] = field(default_factory=dict)
    _terminal_names: list[str] = field(default_factory=list)
    _terminal_candidates: list[list[Terminal]] = field(default_factory=list)
    _terminal_by_city: dict[str, Terminal] = field(default_factory=dict)

    def __post_init__(self):
        for city in self.cities:
            for name in (city.name, *city.aliases):
                self._city_by_alias.setdefault(fold(name), city)
        for airport in self.airports:
            self._airport_by_code[airport.iata] = airport
            for city_name in (airport.city, *airport.serves):
                self._airport_by_city.setdefault(fold(city_name), airport)
        names: dict[str, list[Terminal]] = {}
        for terminal in self.terminals:
            for name in (terminal.name, *terminal.aliases, *terminal.shared_aliases):
                names.setdefault(fold(name), []).append(terminal)
            # The city's main terminal: the first listed for that city.
            self._terminal_by_city.setdefault(fold(terminal.city), terminal)
        self._terminal_names = list(names)
        self._terminal_candidates = list(names.values())

    # -- cities
    def city(self, name: str) -> City | None:
        return self._city_by_alias.get(fold(name))

    def city_names(self) -> list[str]:
        return sorted(self._city_by_alias, key=len, reverse=True)

    # -- airports
    def airport_by_code(self, code: str) -> Airport | None:
        return self._airport_by_code.get(code.upper())

    def airport_for_city(self, city: str) -> Airport | None:
        return self._airport_by_city.get(fold(city))

    # -- terminals
    def terminal(self, terminal_id: str) -> Terminal | None:
        return next((t for t in self.terminals if t.id == terminal_id), None)

    def match_terminal(self, phrase: str, context: str = "") -> TerminalMatch | None:
        """The terminal a phrase starting with "terminal" names, or None.

        Tries the phrase's word prefixes, longest first, against every name and alias; a
        name shared by two cities ("Terminal del Sur": Bogotá and Medellín) is settled by a
        city named in `context`, else the first listed. Failing a name, "terminal ... de
        <city>" is that city's terminal.
        """
        words = phrase.split()
        if words:
            words[0] = "terminal"  # the caller found a word close to it; compare the rest
        best: TerminalMatch | None = None
        for size in range(min(len(words), 8), 1, -1):
            candidate = " ".join(words[:size])
            hit = process.extractOne(fold(candidate), self._terminal_names, scorer=fuzz.ratio, score_cutoff=TERMINAL_MIN_SCORE)
            if hit is None:
                continue
            name, score, index = hit
            if fuzz.ratio(_distinctive(candidate), _distinctive(name)) < TERMINAL_MIN_DISTINCTIVE_SCORE:
                continue  # "terminal de carga" is close to "terminal de cartagena" only in its common words
            if best is None or score > best.score:
                terminal = self._settle(self._terminal_candidates[index], context)
                best = TerminalMatch(terminal, float(score), len(candidate))
            if score == 100:
                break
        if best is not None:
            return best
        for size in range(min(len(words), 7), 1, -1):
            tail = " ".join(words[1:size])
            for city_name in self.city_names():
                if re.search(rf"\b{re.escape(city_name)}$", fold(tail)):
                    of_city = self._terminal_by_city.get(fold(self._city_by_alias[city_name].name))
                    if of_city is not None:
                        return TerminalMatch(of_city, 90.0, len(" ".join(words[:size])))
        return None

    def _settle(self, candidates: list[Terminal], context: str) -> Terminal:
        if len(candidates) == 1:
            return candidates[0]
        folded = fold(context)
        for terminal in candidates:
            if re.search(rf"\b{re.escape(fold(terminal.city))}\b", folded):
                return terminal
        # Without a city in view, the shared names mean Medellín's terminals, the ones
        # case files call plainly "Terminal del Sur" / "del Norte"; listed last, chosen here.
        return candidates[-1]


# The countries and first-level regions read from ISO 3166 (pycountry), for the places of
# cases that cross borders: Spanish name first, English and other names as aliases. Regions of
# the countries a case here most often touches. A one-word name that is also a given name, a
# surname or a plain word ("Jordan", "Bolívar", "Meta") is left out: the sentence rules would
# read persons as places.
REGION_COUNTRIES = ("US", "MX", "CO", "GT", "HN", "SV", "EC", "PE", "VE", "PA", "ES")
AMBIGUOUS_PLACE_NAMES = frozenset(
    fold(n)
    for n in """Jordan Chad Israel Salvador Trinidad Guadalupe Victoria Virginia Carolina Georgia Magdalena Santander
    Bolívar Nariño Sucre Meta Cauca Colón Colon Morelos Hidalgo Guerrero Juárez Juarez Zacatecas Vichada Arauca Amazonas
    Lara Mérida Merida Monagas Miranda Falcón Falcon Barinas Cojedes Portuguesa Yaracuy Carabobo Aragua Anzoátegui
    Dominica Niger Turkey Guinea Montserrat Lima Santa Cruz San Marino Sierra Leone Madrid Barcelona Valencia
    Washington Florida Nevada Montana Maine Indiana Delaware Valle Cortés Cortes Trujillo Vargas Orellana Herrera Cabañas
    Morazán Morazan León Leon César Cesar Loreto Galicia Lempira Pasco Santa Ana San Miguel San Martín San Vicente
    Francisco Morazán La Unión La Paz El Oro Los Santos""".split()
)
AMBIGUOUS_PLACE_PHRASES = frozenset(
    {"santa ana", "san miguel", "san martin", "san vicente", "francisco morazan", "la union", "la paz", "el oro", "los santos"}
)


def _iso_places() -> list[City]:
    import gettext

    import pycountry

    spanish = {
        part: gettext.translation(part, pycountry.LOCALES_DIR, languages=["es"], fallback=True) for part in ("iso3166-1", "iso3166-2")
    }
    places = []
    for country in pycountry.countries:
        names = [spanish["iso3166-1"].gettext(country.name), country.name, getattr(country, "common_name", "")]
        places.append(_place(names, country.alpha_2, "country"))
    for code in REGION_COUNTRIES:
        for region in pycountry.subdivisions.get(country_code=code) or ():
            if region.parent_code is None:
                places.append(_place([spanish["iso3166-2"].gettext(region.name), region.name], code, "department"))
    return [p for p in places if p is not None]


def _place(names: list[str], country: str, kind: str) -> City | None:
    # "Korea, Republic of", "Bolivia (Plurinational State of)": official forms no document writes.
    usable = [n for n in dict.fromkeys(names) if n and not any(c in n for c in ",(")]
    usable = [n for n in usable if (" " in n or fold(n) not in AMBIGUOUS_PLACE_NAMES) and fold(n) not in AMBIGUOUS_PLACE_PHRASES]
    return City(usable[0], country, tuple(usable[1:]), kind, listed=False) if usable else None


@cache
def load_gazetteer() -> Gazetteer:
    data = json.loads(resources.files("backend.domain").joinpath("gazetteer/places.json").read_text("utf-8"))
    listed = [
        City(c["name"], c["country"], tuple(c.get("aliases", ())), c.get("kind", "city"), near=c.get("near", "")) for c in data["cities"]
    ]
    known = {fold(n) for c in listed for n in (c.name, *c.aliases)}
    # The listed places come first and win: their names and aliases are the ones case files use.
    generated = [
        City(c.name, c.country, tuple(a for a in c.aliases if fold(a) not in known), c.kind, listed=False)
        for c in _iso_places()
        if fold(c.name) not in known
    ]
    return Gazetteer(
        cities=listed + generated,
        terminals=[
            Terminal(t["id"], t["name"], t["city"], tuple(t.get("aliases", ())), tuple(t.get("shared_aliases", ())))
            for t in data["terminals"]
        ],
        airports=[
            Airport(a["iata"], a["name"], a["city"], tuple(a.get("aliases", ())), tuple(a.get("serves", ()))) for a in data["airports"]
        ],
        companies=list(data.get("bus_companies", ())),
        institutions=list(data.get("institutions", ())),
    )
