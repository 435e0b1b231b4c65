"""Co-travel: persons on the same flight instance, on the same bus departure (same terminal
and company within ±N hours), or on the same route leg (same mode, origin and destination city
within ±N hours). Each pair comes with the manifest and ticket rows (or sentences) behind it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import combinations
from typing import Literal

from pydantic import BaseModel

from backend.analysis.graph import CaseGraph
from backend.domain import deadline
from backend.domain.model import EdgeRow, EntityType, RelType, StoredEvidence
from backend.store.interface import GraphStore

DEFAULT_HOURS = 12.0
CoTravelKind = Literal["flight", "bus_departure", "route_leg"]


@dataclass(frozen=True)
class When:
    """A time, or the whole day when only the date is known."""

    start: datetime
    end: datetime

    @classmethod
    def parse(cls, value: str | None) -> "When | None":
        if not value:
            return None
        try:
            if len(value) == 10:
                day = date.fromisoformat(value)
                start = datetime(day.year, day.month, day.day)
                return cls(start, start + timedelta(days=1))
            moment = datetime.fromisoformat(value).replace(tzinfo=None)
            return cls(moment, moment)
        except ValueError:
            return None

    def gap_hours(self, other: "When") -> float:
        """Hours between the two (0 when they overlap)."""
        later, earlier = (self, other) if self.start >= other.start else (other, self)
        return max(0.0, (later.start - earlier.end).total_seconds() / 3600)


class Journey(BaseModel):
    """One person's place on a vehicle or leg, as one relationship records it."""

    person_id: str
    relationship_id: str
    when: str | None


class CoTravel(BaseModel):
    persons: tuple[str, str]  # canonical ids, sorted
    labels: tuple[str, str]
    kind: CoTravelKind
    vehicle: str  # what they shared: the flight, the departure, the route
    mode: str | None = None  # a shared route's travel mode (a vocabulary key)
    when: str  # the earliest time either record gives
    gap_hours: float
    journeys: list[Journey]
    evidence: list[StoredEvidence] = []


@dataclass
class _Shared:
    earliest: datetime
    gap_hours: float
    journeys: dict[str, tuple[str, str | None]]  # relationship id -> (person, its date)


def _minute(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _vehicle_name(key: tuple) -> str:
    # The order CoTravel.vehicle sorts in: a route leg's name without its mode.
    return key[2].partition("|")[0] if key[1] == "route_leg" else key[2]


def _journey_time(edge: EdgeRow, vehicle_props: dict) -> str | None:
    return edge.date or (str(vehicle_props["date"]) if vehicle_props.get("date") else None)


def _within(seats: list[tuple[str, When, EdgeRow]], hours: float | None):
    """Pairs of seats no more than `hours` apart (every pair when None). Sorted by start, each
    seat is compared only with those starting before its end + the window: a terminal with
    thousands of departures does not cost thousands squared."""
    if hours is None:
        yield from combinations(seats, 2)
        return
    ordered = sorted(seats, key=lambda seat: (seat[1].start, seat[2].id))
    window = timedelta(hours=hours)
    for i, first in enumerate(ordered):
        limit = first[1].end + window
        for second in ordered[i + 1 :]:
            if second[1].start > limit:
                break
            if first[1].gap_hours(second[1]) <= hours:
                yield first, second


def co_travel(store: GraphStore | None, case: CaseGraph, hours: float = DEFAULT_HOURS, kinds: set[str] | None = None,
              with_evidence: bool = True, limit: int | None = None) -> list[CoTravel]:  # fmt: skip
    """Every pair of distinct (resolved) persons who travelled together, by each kind of tie,
    earliest first (the first `limit` of them, when given)."""
    entities = case.entities
    found = shared_journeys(case, hours, kinds)
    deadline.check()
    wanted = (max(0.0, float(hours)), tuple(sorted(kinds)) if kinds is not None else None)
    earliest_first = case.derived(
        ("co-travel order", *wanted),
        lambda: sorted(found, key=lambda key: (_minute(found[key].earliest), key[1], _vehicle_name(key), key[0])),
    )
    ordered = earliest_first[:limit]
    result = []
    for pair, kind, vehicle in ordered:
        shared = found[(pair, kind, vehicle)]
        route, _, mode = vehicle.partition("|") if kind == "route_leg" else (vehicle, "", "")
        result.append(CoTravel(
            persons=pair, labels=(entities[pair[0]].label, entities[pair[1]].label), kind=kind, vehicle=route, mode=mode or None,
            when=_minute(shared.earliest), gap_hours=shared.gap_hours,
            journeys=[Journey(person_id=person, relationship_id=edge_id, when=when) for edge_id, (person, when) in shared.journeys.items()],
        ))  # fmt: skip
    if with_evidence:
        evidence = store.evidence({j.relationship_id for c in result for j in c.journeys})
        for item in result:
            item.evidence = [ev for j in item.journeys for ev in evidence.get(j.relationship_id, ())]
    return result


def shared_journeys(case: CaseGraph, hours: float = DEFAULT_HOURS, kinds: set[str] | None = None) -> dict[tuple, _Shared]:
    """What each pair of persons shared, keyed by (pair, kind, vehicle): only what an answer
    needs. Records for people are made from it for the pairs returned (co_travel); a terminal with
    thousands of departures in a wide window makes millions of pairs, and the persons network
    needs the keys alone."""
    hours = max(0.0, float(hours))
    wanted = tuple(sorted(kinds)) if kinds is not None else None
    return case.derived(("shared journeys", hours, wanted), lambda: _shared_journeys(case, hours, kinds))


def _shared_journeys(case: CaseGraph, hours: float, kinds: set[str] | None) -> dict[tuple, _Shared]:
    entities = case.entities
    departs: dict[str, str] = {}  # leg id -> the terminal it leaves from
    for edge in case.edges_of_type(RelType.DEPARTS_FROM):
        if entities[edge.target_id].type is EntityType.BUS_TERMINAL:
            departs[edge.source_id] = edge.target_id
    groups: dict[tuple[str, str], list[tuple[str, When, EdgeRow]]] = defaultdict(list)
    for edge in case.edges_of_type(RelType.PASSENGER_ON, RelType.TRAVELLED):
        person, vehicle = edge.source_id, entities[edge.target_id]
        when = When.parse(_journey_time(edge, vehicle.properties))
        if when is None:
            continue  # a journey with no date cannot be placed next to another
        props = vehicle.properties
        if edge.type is RelType.PASSENGER_ON and props.get("date"):
            groups[("flight", f"{vehicle.label}")].append((person, when, edge))
        if edge.type is RelType.TRAVELLED:
            mode = edge.properties.get("mode") or props.get("mode")
            company = edge.properties.get("company") or props.get("company")
            terminal = departs.get(vehicle.id)
            if mode == "bus" and terminal and company:
                groups[("bus_departure", f"{entities[terminal].label} · {company}")].append((person, when, edge))
            origin, destination = props.get("origin_city"), props.get("destination_city")
            if mode and origin and destination:
                groups[("route_leg", f"{origin} → {destination}|{mode}")].append((person, when, edge))
    found: dict[tuple, _Shared] = {}
    for (kind, vehicle), seats in sorted(groups.items()):
        if kinds is not None and kind not in kinds:
            continue  # grouping is cheap; the pairs below are the work skipped
        for count, ((a, when_a, edge_a), (b, when_b, edge_b)) in enumerate(_within(seats, None if kind == "flight" else hours)):
            if count % 4096 == 0:
                deadline.check()
            if a == b:
                continue
            gap = 0.0 if kind == "flight" else when_a.gap_hours(when_b)
            key = (tuple(sorted((a, b))), kind, vehicle)
            earliest = min(when_a.start, when_b.start)
            shared = found.get(key)
            if shared is None:
                found[key] = _Shared(earliest, gap, {edge_a.id: (a, edge_a.date), edge_b.id: (b, edge_b.date)})
                continue
            shared.earliest = min(shared.earliest, earliest)
            shared.gap_hours = min(shared.gap_hours, gap)
            shared.journeys.setdefault(edge_a.id, (a, edge_a.date))
            shared.journeys.setdefault(edge_b.id, (b, edge_b.date))
    return found
