"""The case on a map: places at their gazetteer coordinates, route legs from end to end with
their travellers, crossings and foreign destinations marked, a period narrowing it all, and
what cannot be placed listed."""

from __future__ import annotations

import pytest

from backend.analysis.geography import case_map
from backend.analysis.graph import case_graph
from backend.domain.coordinates import locate_airport, locate_place
from backend.domain.gazetteer import load_gazetteer
from backend.domain.model import Batch, EntityType, RelType
from backend.store.sqlite import SqliteStore
from tests import factories as f


@pytest.fixture
def trips(tmp_path):
    """Two women travel Pereira → Ipiales by bus, one crosses at Rumichaca, one flies Bogotá →
    Madrid a month later; a leg ends at a place no gazetteer knows."""
    doc = f.document("Informe de viajes", title="Viajes")
    luisa, marta = f.entity(EntityType.PERSON, "Luisa Ríos"), f.entity(EntityType.PERSON, "Marta Gil")
    pereira, ipiales = (
        f.entity(EntityType.BUS_TERMINAL, "Terminal de Pereira", properties={"city": "Pereira"}),
        f.entity(EntityType.LOCATION, "Ipiales"),
    )
    rumichaca, tulcan = f.entity(EntityType.LOCATION, "Rumichaca"), f.entity(EntityType.LOCATION, "Tulcán")
    bog, mad = (f.entity(EntityType.AIRPORT, f"Aeropuerto {c}", properties={"iata": c}) for c in ("BOG", "MAD"))
    nowhere = f.entity(EntityType.LOCATION, "vereda La Esperanza")

    def leg(label, date, mode):
        return f.entity(EntityType.ROUTE_LEG, label, properties={"date": date, "mode": mode})

    legs = {
        "bus": (leg("Pereira → Ipiales", "2024-03-14", "bus"), pereira, ipiales, (luisa, marta)),
        "crossing": (leg("Rumichaca → Tulcán", "2024-03-15", "border_crossing"), rumichaca, tulcan, (luisa,)),
        "flight": (leg("BOG → MAD", "2024-04-20", "air"), bog, mad, (marta,)),
        "lost": (leg("Ipiales → La Esperanza", "2024-03-16", "car"), ipiales, nowhere, (luisa,)),
    }
    relationships = []
    for key, (route, start, end, people) in legs.items():
        date = route.properties["date"]
        relationships += [f.relationship(RelType.DEPARTS_FROM, route, start, doc, "Informe", date=date),
                          f.relationship(RelType.ARRIVES_AT, route, end, doc, "Informe", date=date)]  # fmt: skip
        relationships += [f.relationship(RelType.TRAVELLED, p, route, doc, "Informe", date=date) for p in people]
    entities = (luisa, marta, pereira, ipiales, rumichaca, tulcan, bog, mad, nowhere, *(v[0] for v in legs.values()))
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(Batch(cases=(f.case(),), documents=(doc,), entities=entities, relationships=tuple(relationships)))
        yield case_graph(store, "caso-1"), legs


def test_legs_are_drawn_end_to_end_with_their_travellers_and_marks(trips):
    graph, legs = trips
    found = case_map(graph)
    by_label = {leg.label: leg for leg in found.legs}
    assert set(by_label) == {"Pereira → Ipiales", "Rumichaca → Tulcán", "BOG → MAD"}
    bus = by_label["Pereira → Ipiales"]
    pereira, ipiales = locate_place("Pereira"), locate_place("Ipiales")
    assert (bus.from_lat, bus.from_lon, bus.to_lat, bus.to_lon) == (pereira.lat, pereira.lon, ipiales.lat, ipiales.lon)
    assert bus.travellers == 2 and not bus.border_crossing and not bus.foreign_destination
    crossing = by_label["Rumichaca → Tulcán"]
    assert crossing.border_crossing and crossing.foreign_destination  # Tulcán is in Ecuador
    flight = by_label["BOG → MAD"]
    assert flight.foreign_destination and (flight.to_lat, flight.to_lon) == (locate_airport("MAD").lat, locate_airport("MAD").lon)
    assert found.unplaced == ["Ipiales → La Esperanza", "vereda La Esperanza"] and found.unplaced_total == 2


def test_places_carry_their_counts_and_whether_they_are_abroad(trips):
    graph, _ = trips
    points = {p.label: p for p in case_map(graph).points}
    assert points["Ipiales"].legs == 2 and points["Ipiales"].relationships == 2 and not points["Ipiales"].foreign
    assert points["Terminal de Pereira"].place == "Pereira" and points["Terminal de Pereira"].type == "BusTerminal"
    assert points["Tulcán"].foreign and points["Tulcán"].country == "EC"
    assert points["Rumichaca"].kind == "border_crossing" and points["Rumichaca"].source == "near:Ipiales"
    assert points["Aeropuerto MAD"].foreign and points["Aeropuerto MAD"].source.startswith("geonames:")


def test_a_period_keeps_the_legs_dated_in_it_and_the_places_they_touch(trips):
    graph, _ = trips
    march = case_map(graph, date_from="2024-03-01", date_to="2024-03-31")
    assert {leg.label for leg in march.legs} == {"Pereira → Ipiales", "Rumichaca → Tulcán"}
    assert "Aeropuerto MAD" not in {p.label for p in march.points}
    april = case_map(graph, date_from="2024-04-20", date_to="2024-04-20")
    assert [leg.label for leg in april.legs] == ["BOG → MAD"]
    assert graph.within("2024-04-20", "2024-04-20").entities.keys() == {p.id for p in april.points} | {
        e.id for e in graph.entities.values() if e.label in ("Marta Gil", "BOG → MAD")
    }


def test_every_gazetteer_city_terminal_and_airport_has_coordinates():
    gazetteer = load_gazetteer()
    missing = [c.name for c in gazetteer.cities if c.listed and c.kind != "department" and locate_place(c.name) is None]
    missing += [t.name for t in gazetteer.terminals if locate_place(t.city) is None]
    missing += [a.iata for a in gazetteer.airports if locate_airport(a.iata) is None]
    assert missing == [], "run scripts/gazetteer_coordinates.py after changing the gazetteer"
    # Coordinates land where the places are (a few checked against their well-known positions).
    for name, (lat, lon) in {
        "Pereira": (4.81, -75.69),
        "Ipiales": (0.83, -77.64),
        "Cúcuta": (7.89, -72.5),
        "Madrid": (40.42, -3.7),
    }.items():
        place = locate_place(name)
        assert abs(place.lat - lat) < 0.2 and abs(place.lon - lon) < 0.2, name
