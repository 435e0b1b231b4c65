"""Screening at transit points: the rows of a bus-ticket list or a flight manifest that match
the indicators first responders use (backend.domain.screening lists them), each flag citing its
rows, the indicator, why in words and a score; and the watchlist's alerts when new data
mentions a watched person, phone or ID.

The rules hold for the domain, not for one list: a relative is someone who shares a surname
(Colombian names carry both parents' surnames, so a mother shares one with her child) or whom a
case records as family; "young" is 14–25 years; a payer is a buyer's phone or name; a party is
who travels on one departure under one booking, buyer or buyer's phone. What a list does not
give (no sex, no age, no buyer) is not guessed: the indicator that needs it stays silent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from backend.analysis.graph import case_graph
from backend.domain.gazetteer import load_gazetteer
from backend.domain.model import Document, EntityType, RelType, utc_stamp
from backend.domain.names import is_given_name
from backend.domain.normalize import normalize_msisdn
from backend.domain.screening import Flag, Indicator, TravelRow, WatchAlert, WatchEntry, WatchKind
from backend.domain.text import fold
from backend.store.interface import GraphStore


@dataclass(frozen=True)
class ScreeningRules:
    young_min: int = 14
    young_max: int = 25
    min_young_women: int = 3  # paid for by one payer
    late_hours: float = 24.0  # bought at most this long before departure
    escort_min_trips: int = 2
    history_days: int = 120
    home_country: str = "CO"


RULES = ScreeningRules()
Said = tuple[str, str]  # a reason in Spanish and in English
_LATE_WHY = {"border": ("ciudad de frontera", "a border city"), "abroad": ("destino en el exterior", "abroad"),
             "case": ("destino de un caso conocido", "a known case's destination")}  # fmt: skip
_FAMILY_KINDS = {"family", "partner"}


def name_key(name: str) -> str:
    return " ".join(re.sub(r"[^a-zñ ]", " ", fold(name)).split())


def surnames(name: str) -> frozenset[str]:
    """The words of a name that are not given names ("APELLIDOS, NOMBRES" puts them first)."""
    words = name_key(name.split(",")[0] if "," in name else name).split()
    kept = [w for w in words if len(w) > 2 and not is_given_name(w)]
    return frozenset(kept or words[-1:])


def id_key(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


@dataclass
class KnownIndex:
    """What the cases already hold, as screening compares it."""

    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # folded name -> person ids
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # ID number -> person ids (or the ID's own)
    phones: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # E.164 -> person ids (or the phone's own)
    labels: dict[str, str] = field(default_factory=dict)
    id_numbers_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # person -> its ID numbers
    family: set[frozenset[str]] = field(default_factory=set)
    destinations: set[str] = field(default_factory=set)  # folded cities where known cases' legs end
    watch: list[WatchEntry] = field(default_factory=list)
    holders: set[str] = field(default_factory=set)  # the persons among the ids above


def known_index(store: GraphStore, watch: list[WatchEntry] | None = None) -> KnownIndex:
    """Persons (with every name they were read under), their phones and IDs, family links and
    the destinations of route legs, in every case the store shows."""
    graph = case_graph(store, None)
    known = KnownIndex(watch=list(watch or ()))
    for entity in graph.entities.values():
        known.labels[entity.id] = entity.label
        if entity.type == EntityType.PERSON:
            known.holders.add(entity.id)
            for name in (entity.label, *entity.aliases):
                key = name_key(name)
                if len(key.split()) >= 2:
                    known.names[key].add(entity.id)
        elif entity.type == EntityType.IDENTITY_DOCUMENT:
            known.ids[id_key(str(entity.properties.get("number") or entity.label))].add(entity.id)
        elif entity.type == EntityType.PHONE:
            known.phones[str(entity.properties.get("e164") or entity.label)].add(entity.id)
        elif entity.type == EntityType.ROUTE_LEG and entity.properties.get("destination_city"):
            known.destinations.add(fold(str(entity.properties["destination_city"])))
    for edge in graph.edges:
        if edge.type == RelType.HOLDS_ID and edge.target_id in graph.entities:
            number = id_key(str(graph.entities[edge.target_id].properties.get("number") or graph.entities[edge.target_id].label))
            known.ids[number].add(edge.source_id)
            known.id_numbers_of[edge.source_id].add(number)
        elif edge.type == RelType.USES_PHONE and edge.target_id in graph.entities:
            phone = graph.entities[edge.target_id]
            known.phones[str(phone.properties.get("e164") or phone.label)].add(edge.source_id)
        elif edge.type == RelType.ASSOCIATED_WITH and edge.properties.get("kind") in _FAMILY_KINDS:
            known.family.add(frozenset((edge.source_id, edge.target_id)))
    return known


def watch_key(kind: WatchKind, value: str) -> str:
    if kind is WatchKind.PHONE:
        return normalize_msisdn(value) or id_key(value)
    if kind is WatchKind.ID:
        return id_key(value)
    return name_key(value)


# ----------------------------------------------------------------------------- the indicators


def _is_young_woman(row: TravelRow, rules: ScreeningRules) -> bool:
    return row.sex == "F" and row.age is not None and rules.young_min <= row.age <= rules.young_max


def _related(a: TravelRow, b: TravelRow, known: KnownIndex) -> bool:
    if surnames(a.passenger) & surnames(b.passenger):
        return True
    ids_a, ids_b = known.names.get(name_key(a.passenger), set()), known.names.get(name_key(b.passenger), set())
    return any(frozenset((x, y)) in known.family for x in ids_a for y in ids_b)


def _moment(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value if "T" in value or len(value) > 10 else value + "T00:00:00")
    except ValueError:
        return None


def parties(rows: list[TravelRow]) -> list[list[TravelRow]]:
    """Who travels together: on one departure, under one booking, one buyer or one buyer's phone."""
    departures: dict[tuple, list[TravelRow]] = defaultdict(list)
    for row in rows:
        departures[(row.departure, fold(row.origin), fold(row.destination), fold(row.service or ""))].append(row)
    found = []
    for together in departures.values():
        parent = list(range(len(together)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        by_key: dict[str, int] = {}
        for index, row in enumerate(together):
            for key in (f"b:{row.booking}" if row.booking else "", f"n:{name_key(row.buyer)}" if row.buyer else "",
                        f"p:{row.buyer_phone}" if row.buyer_phone else ""):  # fmt: skip
                if key:
                    if key in by_key:
                        parent[root(index)] = root(by_key[key])
                    else:
                        by_key[key] = index
        groups: dict[int, list[TravelRow]] = defaultdict(list)
        for index, row in enumerate(together):
            groups[root(index)].append(row)
        found.extend(g for g in groups.values() if len(g) > 1)
    return found


def _known_rows(rows: list[TravelRow], case_id: str, known: KnownIndex, at: str) -> list[Flag]:
    watched = {(e.kind, e.key): e for e in known.watch if e.case_id == case_id}
    flags = []
    for row in rows:
        reasons, score, entities = [], 0.0, set()

        def hit(value: float, reason: Said, ids: set[str] = frozenset()) -> None:  # type: ignore[assignment]
            nonlocal score
            score = max(score, value)
            reasons.append(reason)
            entities.update(ids)

        if row.id_number and row.id_number in known.ids:
            ids = known.ids[row.id_number]
            hit(0.95, (f"documento {row.id_number} ya está en un caso: {_labels(ids, known)}",
                       f"ID {row.id_number} is already in a case: {_labels(ids, known)}"), ids)  # fmt: skip
        for phone, whose, whose_en in ((row.phone, "del pasajero", "passenger's"), (row.buyer_phone, "del comprador", "buyer's")):
            if phone and phone in known.phones:
                holders = _labels(known.phones[phone], known)
                hit(0.9, (f"teléfono {whose} {phone} ya está en un caso: {holders}", f"the {whose_en} phone {phone} is already in a case: {holders}"),
                    known.phones[phone])  # fmt: skip
        own_ticket = bool(row.buyer) and name_key(row.buyer or "") == name_key(row.passenger)
        for name, whose, value in ((row.passenger, "pasajero", 0.6), (None if own_ticket else row.buyer, "comprador", 0.7)):
            whose_en = "passenger" if whose == "pasajero" else "buyer"
            ids = known.names.get(name_key(name or ""), set())
            # A homonym: the row's ID differs from every ID the known person holds.
            if whose == "pasajero" and row.id_number:
                ids = {i for i in ids if not known.id_numbers_of.get(i) or row.id_number in known.id_numbers_of[i]}
            if ids:
                hit(value, (f"el {whose} {name} se llama como {_labels(ids, known)}, que ya está en un caso",
                            f"the {whose_en} {name} has the name of {_labels(ids, known)}, already in a case"), ids)  # fmt: skip
        for kind, key, what, what_en in ((WatchKind.ID, row.id_number, "documento", "ID"),
                                         (WatchKind.PHONE, row.phone, "teléfono del pasajero", "passenger's phone"),
                                         (WatchKind.PHONE, row.buyer_phone, "teléfono del comprador", "buyer's phone"),
                                         (WatchKind.PERSON, name_key(row.passenger), "pasajero", "passenger"),
                                         (WatchKind.PERSON, name_key(row.buyer or ""), "comprador", "buyer")):  # fmt: skip
            entry = watched.get((kind, key or ""))
            if key and entry:
                hit(0.95 if kind is not WatchKind.PERSON else 0.75,
                    (f"{what} en la lista de vigilancia: {entry.value} ({entry.reason or 'sin motivo'})",
                     f"{what_en} on the watchlist: {entry.value} ({entry.reason or 'no reason given'})"))  # fmt: skip
        if reasons:
            flags.append(
                Flag.new(case_id, Indicator.KNOWN, row.document_id, [row.row], [row.passenger], score, reasons, sorted(entities), at)
            )
    return flags


def _labels(ids: set[str], known: KnownIndex) -> str:
    """Who a matched phone or ID belongs to; the phone or ID itself only when nobody is known to hold it."""
    holders = {i for i in ids if i in known.holders} or ids
    return ", ".join(sorted({known.labels.get(i, i) for i in holders}))


def _payers(rows: list[TravelRow], case_id: str, known: KnownIndex, rules: ScreeningRules, at: str) -> list[Flag]:
    by_payer: dict[str, list[TravelRow]] = defaultdict(list)
    for row in rows:
        if not _is_young_woman(row, rules) or row.one_way is False or not (row.buyer or row.buyer_phone):
            continue
        if row.buyer and (name_key(row.buyer) == name_key(row.passenger) or surnames(row.buyer) & surnames(row.passenger)):
            continue  # she bought her own ticket, or a relative did
        for key in (f"teléfono {row.buyer_phone}" if row.buyer_phone else "", f"comprador {row.buyer}" if row.buyer else ""):
            if key:
                by_payer[key if key.startswith("teléfono") else "comprador " + name_key(row.buyer or "")].append(row)
    flags, flagged = [], set()
    for payer, paid in sorted(by_payer.items(), key=lambda kv: -len(kv[1])):
        women = {name_key(r.passenger) for r in paid}
        rows_key = frozenset((r.document_id, r.row) for r in paid)
        if len(women) < rules.min_young_women or rows_key in flagged:
            continue
        flagged.add(rows_key)
        one_way = all(r.one_way for r in paid)
        ages = sorted(r.age for r in paid if r.age is not None)
        score = min(0.95, 0.45 + 0.1 * len(women) + (0.1 if one_way else 0))
        who = payer.replace("comprador ", "el comprador ")
        who_en = payer.replace("teléfono ", "the phone ").replace("comprador ", "the buyer ")
        reason = (f"{who} pagó {len(paid)} tiquetes {'solo de ida ' if one_way else ''}de {len(women)} mujeres de {ages[0]} a {ages[-1]} años "
                  "que no comparten apellido con quien compra",
                  f"{who_en} paid {len(paid)} {'one-way ' if one_way else ''}tickets of {len(women)} women aged {ages[0]} to {ages[-1]} "
                  "who share no surname with the buyer")  # fmt: skip
        for document_id in sorted({r.document_id for r in paid}):
            mine = [r for r in paid if r.document_id == document_id]
            flags.append(Flag.new(case_id, Indicator.BUYER_YOUNG_WOMEN, document_id, [r.row for r in mine], [r.passenger for r in mine],
                                  score, [reason], at=at))  # fmt: skip
    return flags


def _minors(rows: list[TravelRow], case_id: str, known: KnownIndex, at: str) -> list[Flag]:
    flags = []
    for party in parties(rows):
        minors = [r for r in party if r.age is not None and r.age < 18]
        adults = [r for r in party if r.age is not None and r.age >= 18]
        for minor in minors:
            if not adults or any(_related(minor, adult, known) for adult in adults):
                continue
            paid = any(minor.buyer and name_key(minor.buyer) == name_key(a.passenger) for a in adults)
            score = min(0.95, 0.7 + (0.1 if minor.one_way else 0) + (0.1 if paid else 0))
            company = ", ".join(f"{a.passenger} ({a.age})" for a in adults)
            reason = (f"{minor.passenger} ({minor.age} años) viaja con {company}; ninguno comparte su apellido ni consta como familiar",
                      f"{minor.passenger} (aged {minor.age}) travels with {company}; none shares a surname or is recorded as family")  # fmt: skip
            party_rows = [minor, *adults]
            flags.append(Flag.new(case_id, Indicator.MINOR_UNRELATED_ADULT, minor.document_id, [r.row for r in party_rows],
                                  [r.passenger for r in party_rows], score, [reason], at=at))  # fmt: skip
    return flags


def _escorts(rows: list[TravelRow], history: list[TravelRow], case_id: str, known: KnownIndex, rules: ScreeningRules,
             at: str) -> list[Flag]:  # fmt: skip
    """An adult who, on several days, travels in a party with young women who are not relatives,
    different women each time."""
    screened = {(r.document_id, r.row) for r in rows}
    trips: dict[str, list[tuple[str, frozenset[str], list[TravelRow]]]] = defaultdict(list)
    for party in parties([*history, *rows]):
        for escort in party:
            if escort.age is None or escort.age < 18 or _is_young_woman(escort, rules):
                continue
            women = [r for r in party if r is not escort and _is_young_woman(r, rules) and not _related(r, escort, known)]
            if women:
                key = escort.id_number or name_key(escort.passenger)
                trips[key].append((escort.day, frozenset(name_key(w.passenger) for w in women), [escort, *women]))
    flags = []
    for key, made in trips.items():
        days = {day for day, _, _ in made}
        groups = {women for _, women, _ in made}
        if len(days) < rules.escort_min_trips or len(groups) < 2:
            continue
        today = [t for t in made if any((r.document_id, r.row) in screened for r in t[2])]
        for day, women, party_rows in today:
            score = min(0.95, 0.55 + 0.15 * (len(days) - 1))
            escort = party_rows[0]
            dates, count = ", ".join(sorted(days)), sum(len(g) for g in groups)
            reason = (f"{escort.passenger} viaja por {len(days)}.ª vez ({dates}) con mujeres jóvenes distintas ({count} en total) que no son familiares",
                      f"{escort.passenger} travels for the {len(days)}th time ({dates}) with different young women ({count} in all), none a relative")  # fmt: skip
            mine = [r for r in party_rows if (r.document_id, r.row) in screened]
            flags.append(Flag.new(case_id, Indicator.REPEATED_ESCORT, mine[0].document_id, [r.row for r in mine], [r.passenger for r in mine],
                                  score, [reason], at=at))  # fmt: skip
    return flags


def _late(rows: list[TravelRow], case_id: str, known: KnownIndex, rules: ScreeningRules, at: str) -> list[Flag]:
    gazetteer = load_gazetteer()
    border = {fold(c.near) for c in gazetteer.cities if c.kind == "border_crossing" and c.near}
    flags = []
    for row in rows:
        if row.one_way is not True or not row.booked_at:
            continue
        booked, leaves = _moment(row.booked_at), _moment(row.departure)
        if booked is None or leaves is None:
            continue
        hours = (leaves - booked).total_seconds() / 3600
        if not 0 <= hours <= rules.late_hours:
            continue
        place = gazetteer.city(row.destination)
        destination = fold(place.name if place else row.destination)
        why = ("border" if destination in border else "abroad" if place and place.country != rules.home_country
               else "case" if destination in known.destinations else None)  # fmt: skip
        vulnerable = _is_young_woman(row, rules) or (row.age is not None and row.age < 18)
        if why is None or not (vulnerable or why == "case"):
            continue
        score = 0.35 + (0.2 if vulnerable else 0) + (0.15 if destination in known.destinations else 0)
        reason = (f"tiquete solo de ida comprado {hours:.0f} h antes de salir hacia {row.destination} ({_LATE_WHY[why][0]})",
                  f"one-way ticket bought {hours:.0f} h before leaving for {row.destination} ({_LATE_WHY[why][1]})")  # fmt: skip
        flags.append(Flag.new(case_id, Indicator.LATE_BOOKING, row.document_id, [row.row], [row.passenger], score, [reason], at=at))
    return flags


def screen_rows(rows: list[TravelRow], case_id: str, known: KnownIndex, history: list[TravelRow] | None = None,
                rules: ScreeningRules = RULES, at: str | None = None) -> list[Flag]:  # fmt: skip
    """Every indicator over the rows (and, for repeated trips, the rows screened before)."""
    at = at or utc_stamp()
    seen = {(r.document_id, r.row) for r in rows}
    earlier = [r for r in history or () if (r.document_id, r.row) not in seen]
    return [
        *_known_rows(rows, case_id, known, at), *_payers(rows, case_id, known, rules, at), *_minors(rows, case_id, known, at),
        *_escorts(rows, earlier, case_id, known, rules, at), *_late(rows, case_id, known, rules, at),
    ]  # fmt: skip


# ----------------------------------------------------------------------------- watchlist alerts


def watch_alerts(store: GraphStore, entries: list[WatchEntry], documents: list[Document], seen_at: str | None = None) -> list[WatchAlert]:
    """The watched people, phones and IDs that these (newly read) documents mention."""
    if not entries or not documents:
        return []
    seen_at = seen_at or utc_stamp()
    wanted = {(e.kind, e.key): e for e in entries}
    alerts = []
    for document in documents:
        for mention in store.document_mentions(document.id):
            entity = store.entities([mention.entity_id]).get(mention.entity_id)
            if entity is None:
                continue
            keys = _watch_keys(entity)
            for key in keys:
                entry = wanted.get(key)
                if entry and entry.case_id in document.case_ids:
                    alerts.append(WatchAlert(entry_id=entry.id, case_id=entry.case_id, kind=entry.kind, value=entry.value, entity_id=entity.id,
                                             entity_label=entity.label, document_id=document.id, document_title=document.title,
                                             seen_at=seen_at))  # fmt: skip
    unique = {(a.entry_id, a.document_id): a for a in alerts}
    return list(unique.values())


def _watch_keys(entity) -> set[tuple[WatchKind, str]]:
    if entity.type == EntityType.PERSON:
        return {(WatchKind.PERSON, name_key(n)) for n in (entity.label, *entity.aliases)}
    if entity.type == EntityType.PHONE:
        return {(WatchKind.PHONE, str(entity.properties.get("e164") or entity.label))}
    if entity.type == EntityType.IDENTITY_DOCUMENT:
        return {(WatchKind.ID, id_key(str(entity.properties.get("number") or entity.label)))}
    return set()
