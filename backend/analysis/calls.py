"""Call-record analysis over CALLED relationships (one per CDR row): common contacts of two or
more phones, call counts / first and last contact / total duration between pairs, a phone's
top contacts, and phones seen only in a short window (possible burners)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel

from backend.analysis.graph import CaseGraph
from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import EdgeRow, EntityType, RelType


class CallStats(BaseModel):
    phones: tuple[str, str]  # sorted
    calls: int
    first: str | None
    last: str | None
    total_duration_s: int
    relationship_ids: list[str]


class PhoneSummary(BaseModel):
    id: str
    label: str
    country: str | None = None
    users: list[str] = []  # labels of the (resolved) persons tied to it


class CommonContact(BaseModel):
    phone: PhoneSummary
    shared_by: list[str]  # which of the asked-for sides reach it (their ids)
    calls: int  # with all of those sides together


class CommonContacts(BaseModel):
    sides: dict[str, list[str]]  # each asked-for id -> the phones it stands for
    contacts: list[CommonContact]
    direct: list[CallStats]  # calls between the sides' own phones


class TopContact(BaseModel):
    phone: PhoneSummary
    stats: CallStats


class BurnerCandidate(BaseModel):
    phone: PhoneSummary
    calls: int
    first: str
    last: str
    active_hours: float
    contacts: int


class BurnerReport(BaseModel):
    window_hours: float
    records_from: str | None
    records_to: str | None
    candidates: list[BurnerCandidate]


def _calls(case: CaseGraph) -> list[EdgeRow]:
    return case.edges_of_type(RelType.CALLED)


def _users(case: CaseGraph) -> dict[str, set[str]]:
    users: dict[str, set[str]] = defaultdict(set)
    for edge in case.edges_of_type(RelType.USES_PHONE):
        users[edge.target_id].add(edge.source_id)
    return users


def _summary(case: CaseGraph, phone_id: str, users: dict[str, set[str]]) -> PhoneSummary:
    entity = case.entities[phone_id]
    return PhoneSummary(id=phone_id, label=entity.label, country=entity.properties.get("country"),
                        users=sorted(case.entities[u].label for u in users.get(phone_id, ())))  # fmt: skip


def pair_stats(calls: list[EdgeRow]) -> dict[tuple[str, str], CallStats]:
    """Counts, first and last contact and total duration for every pair of phones that called."""
    grouped: dict[tuple[str, str], list[EdgeRow]] = defaultdict(list)
    for call in calls:
        grouped[tuple(sorted((call.source_id, call.target_id)))].append(call)
    out = {}
    for pair, rows in grouped.items():
        dates = sorted(r.date for r in rows if r.date)
        out[pair] = CallStats(
            phones=pair, calls=len(rows), first=dates[0] if dates else None, last=dates[-1] if dates else None,
            total_duration_s=sum(int(r.properties.get("duration_s") or 0) for r in rows), relationship_ids=sorted(r.id for r in rows),
        )  # fmt: skip
    return out


def phones_of(case: CaseGraph, entity_id: str) -> list[str]:
    """A phone stands for itself; a person (any id of a resolved person) for the phones tied to it."""
    canonical = case.canonical(entity_id)
    entity = case.entities.get(canonical)
    if entity is None:
        raise NotFoundError("entity", entity_id)
    if entity.type is EntityType.PHONE:
        return [canonical]
    if entity.type in (EntityType.PERSON, EntityType.ORGANIZATION):
        return sorted({e.target_id for e in case.edges_of_type(RelType.USES_PHONE) if e.source_id == canonical})
    raise InvalidRecordError("entity", entity_id, f"is a {entity.type}: call analysis takes phones or persons")


def common_contacts(case: CaseGraph, entity_ids: list[str], min_sides: int = 2) -> CommonContacts:
    """Phones in contact with at least `min_sides` of the given phones or persons (all of them
    by default when two are given), most shared first, then most calls."""
    if len(set(entity_ids)) < 2:
        raise InvalidRecordError("request", None, "common contacts need at least two phones or persons")
    sides = {entity_id: phones_of(case, entity_id) for entity_id in dict.fromkeys(entity_ids)}
    own = {p for phones in sides.values() for p in phones}
    stats = pair_stats([c for c in _calls(case) if c.source_id in own or c.target_id in own])
    reached: dict[str, dict[str, int]] = defaultdict(dict)  # contact -> side -> calls
    for (a, b), row in stats.items():
        for mine, other in ((a, b), (b, a)):
            if other in own:
                continue
            for side, phones in sides.items():
                if mine in phones:
                    reached[other][side] = reached[other].get(side, 0) + row.calls
    users = _users(case)
    needed = max(2, min(min_sides, len(sides)))
    contacts = [
        CommonContact(phone=_summary(case, contact, users), shared_by=sorted(by_side), calls=sum(by_side.values()))
        for contact, by_side in reached.items()
        if len(by_side) >= needed
    ]
    contacts.sort(key=lambda c: (-len(c.shared_by), -c.calls, c.phone.id))
    side_of = {phone: {side for side, phones in sides.items() if phone in phones} for phone in own}
    direct = [row for (a, b), row in sorted(stats.items())
              if a in own and b in own and any(x != y for x in side_of[a] for y in side_of[b])]  # fmt: skip
    return CommonContacts(sides=sides, contacts=contacts, direct=direct)


def top_contacts(case: CaseGraph, entity_id: str, limit: int = 10) -> list[TopContact]:
    """The phones a phone (or a person's phones) talked to most: by calls, then total duration."""
    mine = set(phones_of(case, entity_id))
    users = _users(case)
    merged: dict[str, list[EdgeRow]] = defaultdict(list)
    for call in _calls(case):
        if call.source_id in mine and call.target_id not in mine:
            merged[call.target_id].append(call)
        elif call.target_id in mine and call.source_id not in mine:
            merged[call.source_id].append(call)
    rows = []
    for other, calls in merged.items():
        [stats] = pair_stats([c.model_copy(update={"source_id": entity_id, "target_id": other}) for c in calls]).values()
        rows.append(TopContact(phone=_summary(case, other, users), stats=stats))
    rows.sort(key=lambda t: (-t.stats.calls, -t.stats.total_duration_s, t.phone.id))
    return rows[: max(1, limit)]


def burner_candidates(case: CaseGraph, window_hours: float = 72.0, min_calls: int = 2) -> BurnerReport:
    """Phones whose every call falls within `window_hours`, while the call records as a whole
    cover more than twice that: a number used briefly and dropped. Fewer than `min_calls`
    calls say too little to call it anything."""
    times: dict[str, list[datetime]] = defaultdict(list)
    contacts: dict[str, set[str]] = defaultdict(set)
    everything: list[datetime] = []
    for call in _calls(case):
        if not call.date:
            continue
        try:
            when = datetime.fromisoformat(call.date).replace(tzinfo=None)
        except ValueError:
            continue
        everything.append(when)
        for mine, other in ((call.source_id, call.target_id), (call.target_id, call.source_id)):
            times[mine].append(when)
            contacts[mine].add(other)
    if not everything:
        return BurnerReport(window_hours=window_hours, records_from=None, records_to=None, candidates=[])
    start, end = min(everything), max(everything)
    coverage = (end - start).total_seconds() / 3600
    users = _users(case)
    candidates = []
    if coverage > 2 * window_hours:
        for phone, seen in times.items():
            active = (max(seen) - min(seen)).total_seconds() / 3600
            if len(seen) >= min_calls and active <= window_hours:
                candidates.append(BurnerCandidate(phone=_summary(case, phone, users), calls=len(seen), first=min(seen).isoformat(),
                                                  last=max(seen).isoformat(), active_hours=round(active, 2), contacts=len(contacts[phone])))  # fmt: skip
    candidates.sort(key=lambda c: (c.active_hours, -c.calls, c.phone.id))
    return BurnerReport(window_hours=window_hours, records_from=start.isoformat(), records_to=end.isoformat(), candidates=candidates)
