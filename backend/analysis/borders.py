"""Cross-border view for liaison officers: entities tied to foreign phone numbers, foreign
identity documents, international flights and border crossings, filterable by country."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from pydantic import BaseModel

from backend.analysis.graph import CaseGraph
from backend.domain.gazetteer import load_gazetteer
from backend.domain.model import Entity, EntityType, RelType

CrossBorderKind = Literal["foreign_phone", "foreign_id", "international_flight", "border_crossing"]


class CrossBorderItem(BaseModel):
    kind: CrossBorderKind
    entity_id: str
    label: str
    countries: list[str]  # the foreign countries (ISO 3166 alpha-2) it ties the case to
    tied_persons: list[str]  # labels of the resolved persons tied to it
    tied_person_ids: list[str]
    relationship_ids: list[str]


class CrossBorderView(BaseModel):
    home_country: str
    countries: list[str]  # every foreign country found (for the filter)
    items: list[CrossBorderItem]


def _airport_country(airport: Entity) -> str | None:
    gazetteer = load_gazetteer()
    iata = airport.properties.get("iata")
    found = gazetteer.airport_by_code(str(iata)) if iata else None
    city = gazetteer.city(found.city if found else str(airport.properties.get("city", "")))
    return city.country if city else None


def _place_country(case: CaseGraph, place_id: str, city_name: str | None = None) -> str | None:
    place = case.entities.get(place_id)
    if place is not None and place.type is EntityType.AIRPORT:
        return _airport_country(place)
    name = city_name or (place.properties.get("city") if place else None) or (place.label if place else None)
    city = load_gazetteer().city(str(name)) if name else None
    return city.country if city else None


def cross_border(case: CaseGraph, home_country: str = "CO", country: str | None = None) -> CrossBorderView:
    home = home_country.upper()
    persons_of: dict[str, set[str]] = defaultdict(set)
    relationships: dict[str, set[str]] = defaultdict(set)
    for edge in case.edges:
        if case.entities[edge.source_id].type is EntityType.PERSON:
            persons_of[edge.target_id].add(edge.source_id)
            relationships[edge.target_id].add(edge.id)
    # A leg's ends, to place flights and crossings in countries.
    ends: dict[str, set[str]] = defaultdict(set)
    for edge in case.edges_of_type(RelType.DEPARTS_FROM, RelType.ARRIVES_AT):
        found = _place_country(case, edge.target_id)
        if found:
            ends[edge.source_id].add(found)
    for leg_id, leg in case.entities.items():
        if leg.type is EntityType.ROUTE_LEG:
            for key in ("origin_city", "destination_city"):
                found = _place_country(case, "", str(leg.properties.get(key) or "")) if leg.properties.get(key) else None
                if found:
                    ends[leg_id].add(found)
    for edge in case.edges_of_type(RelType.VIA):  # a flight is as international as the legs flown on it
        if case.entities[edge.target_id].type is EntityType.FLIGHT:
            ends[edge.target_id] |= ends.get(edge.source_id, set())

    items: list[CrossBorderItem] = []

    def add(kind: CrossBorderKind, entity: Entity, countries: set[str]) -> None:
        people = sorted(persons_of.get(entity.id, ()))
        items.append(CrossBorderItem(kind=kind, entity_id=entity.id, label=entity.label, countries=sorted(countries),
                                     tied_persons=[case.entities[p].label for p in people], tied_person_ids=people,
                                     relationship_ids=sorted(relationships.get(entity.id, ()))))  # fmt: skip

    for entity in case.entities.values():
        props = entity.properties
        if entity.type is EntityType.PHONE and props.get("country") and str(props["country"]).upper() != home:
            add("foreign_phone", entity, {str(props["country"]).upper()})
        elif entity.type is EntityType.IDENTITY_DOCUMENT and props.get("country") and str(props["country"]).upper() != home:
            add("foreign_id", entity, {str(props["country"]).upper()})
        elif entity.type is EntityType.FLIGHT and ends.get(entity.id, set()) - {home}:
            add("international_flight", entity, ends[entity.id] - {home})
        elif entity.type is EntityType.ROUTE_LEG and props.get("mode") == "border_crossing":
            add("border_crossing", entity, (ends.get(entity.id, set()) - {home}) or {"?"})
    every = sorted({c for item in items for c in item.countries})
    if country:
        items = [i for i in items if country.upper() in i.countries]
    order = {"foreign_phone": 0, "foreign_id": 1, "international_flight": 2, "border_crossing": 3}
    items.sort(key=lambda i: (order[i.kind], i.countries, i.label, i.entity_id))
    return CrossBorderView(home_country=home, countries=every, items=items)
