"""The case on a map: its places, bus terminals and airports with how much of the case touches
each, and its route legs from end to end with their travellers. Border crossings and legs that
end abroad are marked, for the liaisons. Coordinates come from the gazetteer
(backend.domain.coordinates); what cannot be placed is listed, not guessed.

A period (date_from, date_to) keeps the legs dated within it (and the undated legs someone
travelled in the period) and counts only the relationships dated within it or undated.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel

from backend.analysis.graph import CaseGraph, in_period
from backend.domain.coordinates import Located, locate_airport, locate_place
from backend.domain.gazetteer import load_gazetteer
from backend.domain.model import EdgeRow, Entity, EntityType, RelType

PLACE_TYPES = (EntityType.LOCATION, EntityType.BUS_TERMINAL, EntityType.AIRPORT)
TRAVEL = (RelType.TRAVELLED, RelType.PASSENGER_ON)
SHOWN_UNPLACED = 100


class MapPoint(BaseModel):
    id: str
    type: str
    label: str
    lat: float
    lon: float
    place: str  # the gazetteer place it is drawn at (a terminal: its city)
    source: str  # where the coordinates come from
    country: str
    kind: str  # city, country, department, border_crossing
    foreign: bool
    relationships: int  # of the case, touching it
    legs: int  # route legs starting or ending at it


class MapLeg(BaseModel):
    id: str
    label: str
    mode: str
    date: str | None
    origin: str
    destination: str
    from_lat: float
    from_lon: float
    to_lat: float
    to_lon: float
    travellers: int
    traveller_ids: list[str]
    border_crossing: bool
    foreign_destination: bool


class CaseMap(BaseModel):
    home_country: str
    points: list[MapPoint]
    legs: list[MapLeg]
    unplaced: list[str]  # labels of places and legs that could not be placed
    unplaced_total: int


def _locate(entity: Entity) -> Located | None:
    props = entity.properties
    if entity.type is EntityType.AIRPORT:
        return locate_airport(str(props.get("iata") or ""), str(props.get("city") or ""))
    if entity.type is EntityType.BUS_TERMINAL:
        terminal = load_gazetteer().terminal(entity.id)
        return locate_place(str(props.get("city") or (terminal.city if terminal else "")))
    return locate_place(entity.label)


@dataclass
class _Ties:
    """What the period's relationships say: how many touch each entity, each leg's two ends, and
    who travelled each leg (a leg flown on a flight: the flight's passengers)."""

    touching: Counter[str] = field(default_factory=Counter)
    ends: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    travellers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, edges: list[EdgeRow]) -> "_Ties":
        ties = cls()
        for edge in edges:
            ties.touching[edge.source_id] += 1
            ties.touching[edge.target_id] += 1
            if edge.type is RelType.DEPARTS_FROM:
                ties.ends[edge.source_id]["from"] = edge.target_id
            elif edge.type is RelType.ARRIVES_AT:
                ties.ends[edge.source_id]["to"] = edge.target_id
            elif edge.type in TRAVEL:
                ties.travellers[edge.target_id].add(edge.source_id)
        for edge in edges:
            if edge.type is RelType.VIA:
                ties.travellers[edge.source_id] |= ties.travellers.get(edge.target_id, set())
        return ties


class _Places:
    """Each entity's coordinates, worked out once."""

    def __init__(self, case: CaseGraph):
        self.case = case
        self.found: dict[str, Located | None] = {}

    def of(self, entity_id: str) -> Located | None:
        if entity_id not in self.found:
            self.found[entity_id] = _locate(self.case.entities[entity_id])
        return self.found[entity_id]

    def end(self, entity_id: str | None, fallback_name: str) -> tuple[Located | None, str]:
        """Where a leg's end is: the place it is tied to, else the place its properties name."""
        if entity_id is not None and entity_id in self.case.entities and (found := self.of(entity_id)) is not None:
            return found, self.case.entities[entity_id].label
        return locate_place(fallback_name), fallback_name


def case_map(case: CaseGraph, home_country: str = "CO", date_from: str | None = None, date_to: str | None = None) -> CaseMap:
    home = home_country.upper()
    ties = _Ties.of([e for e in case.edges if in_period(e.date, date_from, date_to)])
    places = _Places(case)
    legs: list[MapLeg] = []
    unplaced: list[str] = []
    leg_count: Counter[str] = Counter()
    for entity in sorted(case.entities.values(), key=lambda e: e.id):
        if entity.type is not EntityType.ROUTE_LEG:
            continue
        date = str(entity.properties.get("date") or "") or None
        if not in_period(date, date_from, date_to) or (not date and not ties.touching[entity.id]):
            continue
        for end_id in ties.ends[entity.id].values():
            leg_count[end_id] += 1
        leg = _leg(entity, ties, places, home)
        if leg is None:
            unplaced.append(entity.label)
        else:
            legs.append(leg)
    points: list[MapPoint] = []
    for entity in sorted(case.entities.values(), key=lambda e: e.id):
        if entity.type not in PLACE_TYPES or not (ties.touching[entity.id] or not (date_from or date_to)):
            continue
        found = places.of(entity.id)
        if found is None:
            unplaced.append(entity.label)
            continue
        points.append(MapPoint(
            id=entity.id, type=str(entity.type), label=entity.label, lat=found.lat, lon=found.lon, place=found.place,
            source=found.source, country=found.country, kind=found.kind, foreign=bool(found.country) and found.country != home,
            relationships=ties.touching[entity.id], legs=leg_count[entity.id],
        ))  # fmt: skip
    return CaseMap(home_country=home, points=points, legs=legs, unplaced=sorted(unplaced)[:SHOWN_UNPLACED], unplaced_total=len(unplaced))


def _leg(entity: Entity, ties: _Ties, places: _Places, home: str) -> MapLeg | None:
    props = entity.properties
    start, origin = places.end(ties.ends[entity.id].get("from"), str(props.get("origin_city") or props.get("origin") or ""))
    end, destination = places.end(ties.ends[entity.id].get("to"), str(props.get("destination_city") or props.get("destination") or ""))
    if start is None or end is None:
        return None
    mode = str(props.get("mode") or "")
    crosses = mode == "border_crossing" or "border_crossing" in (start.kind, end.kind)
    crosses = crosses or bool(start.country and end.country and start.country != end.country)
    return MapLeg(
        id=entity.id, label=entity.label, mode=mode, date=str(props.get("date") or "") or None, origin=origin, destination=destination,
        from_lat=start.lat, from_lon=start.lon, to_lat=end.lat, to_lon=end.lon,
        travellers=len(ties.travellers[entity.id]), traveller_ids=sorted(ties.travellers[entity.id]),
        border_crossing=crosses, foreign_destination=bool(end.country) and end.country != home,
    )  # fmt: skip
