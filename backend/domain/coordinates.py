"""Where the gazetteer's places are, for the map: coordinates read from gazetteer/coordinates.json
(made by scripts/gazetteer_coordinates.py from GeoNames and Natural Earth; each entry names its
source). Terminals and airports are placed at their city; a place not in the gazetteer has no
coordinates and the map lists it as such rather than guess."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from backend.domain.gazetteer import City, load_gazetteer
from backend.domain.text import fold


@dataclass(frozen=True)
class Located:
    lat: float
    lon: float
    source: str  # "geonames:ID", "naturalearth:…", "near:CITY"
    country: str
    kind: str  # city, country, department, border_crossing
    place: str  # the gazetteer's name of the place it is drawn at


@cache
def _coordinates() -> dict[str, list]:
    return json.loads(resources.files("backend.domain").joinpath("gazetteer/coordinates.json").read_text("utf-8"))["places"]


def locate_city(city: City) -> Located | None:
    found = _coordinates().get(f"{city.country}|{fold(city.name)}")
    return Located(found[0], found[1], found[2], city.country, city.kind, city.name) if found else None


def locate_place(name: str) -> Located | None:
    """A place by any of its names or aliases (a city, a country, a department, a crossing)."""
    city = load_gazetteer().city(name) if name else None
    return locate_city(city) if city is not None else None


def locate_airport(iata: str | None, city_name: str | None = None) -> Located | None:
    gazetteer = load_gazetteer()
    airport = gazetteer.airport_by_code(iata) if iata else None
    own = _coordinates().get(f"airport|{airport.iata}") if airport else None
    if airport is not None and own is not None:
        return Located(own[0], own[1], own[2], own[3], "city", airport.city)
    names = [airport.city, *airport.serves] if airport else []
    return next((found for name in [*names, city_name or ""] if (found := locate_place(name)) is not None), None)
