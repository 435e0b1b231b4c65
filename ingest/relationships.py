"""Relationships read from sentences: who uses which phone, who holds which ID, who travelled
where by which means and when, who recruited whom, who travelled with or paid for whom.

Rules work sentence by sentence over the mentions already found. A sentence that names
its travellers only as "ellas" / "they" takes the persons of the sentence before it, with
lower confidence (across paragraphs too: reports say "el indiciado" pages after the name). Two persons in one sentence with nothing stronger between them get the
weak ASSOCIATED_WITH(co_mentioned), confidence 0.3, marked as such.
"""

from __future__ import annotations

import re
from backend.domain.vocabulary import EntityType, RelType
from dataclasses import dataclass, field

from ingest.extraction import EntityRef, ExtractedEntity, ExtractedMention, ExtractedRelationship, Extraction

MAX_CO_MENTIONED_PERSONS = 6
CO_MENTION_CONFIDENCE = 0.3

_PHONE_CUE = re.compile(r"celular|tel[eé]fono|n[uú]mero|abonado|l[ií]nea|whats\s?app|m[oó]vil|phone|mobile|number|contacto|comunica|llamab|marcaba", re.I)
_EMAIL_CUE = re.compile(r"correo|e-?mail|escrib|wrote|address", re.I)
_TRAVEL_CUE = re.compile(
    r"viaj|sal[ií]|part[ií]|traslad|llev[oóa]|abord|vol[oóa]|fl[eoy]w?|travel|\bbus\b|buseta|vuelo|desplaz|transport|envi[óa]|"
    r"lleg|moved|took|drove|embarc|ruta|route|dirig|regres|return|avi[oó]n|tiquete|pasaje|boarded|destino",
    re.I,
)
_AIR = re.compile(r"vuelo|avi[oó]n|a[eé]re[oa]|aeropuerto|flight|plane|flew|fly|airport|aerol[ií]nea", re.I)
_BUS = re.compile(r"\bbus(es)?\b|buseta|flota|terrestre|autob[uú]s|coach|terminal|expreso|tiquete de bus", re.I)
_BORDER = re.compile(r"frontera|trocha|puente internacional|rumichaca|border|paso fronterizo", re.I)
_ORIGIN_BEFORE = re.compile(r"\b(?:de|desde|from|del|out of)\s+(?:la\s+|el\s+|los\s+|las\s+|the\s+)?(?:ciudad\s+de\s+|municipio\s+de\s+)?$", re.I)
_DESTINATION_BEFORE = re.compile(
    r"\b(?:a|al|hasta|hacia|para|to|towards|into|con\s+destino\s+(?:a|al)|rumbo\s+(?:a|al)|destino|lleg\w*\s+(?:a|al)|arrived\s+in|bound\s+for)\s+"
    r"(?:la\s+|el\s+|los\s+|las\s+|the\s+)?(?:ciudad\s+de\s+|municipio\s+de\s+)?$",
    re.I,
)
_PASSIVE_RECRUITED = re.compile(r"\b(?:captad|reclutad|contactad|enganchad|convencid|recruited|approached)[oa]?s?\s+(?:por|by)\b", re.I)
_ACTIVE_RECRUITED = re.compile(
    r"\b(?:capt[oó]|reclut[oó]|enganch[oó]|convenci[oó]|(?:le|les)\s+ofreci[oó]|ofreci[oó]\s+(?:trabajo|empleo)|prometi[oó]|recruited|offered)\b", re.I
)
_OFFER = re.compile(r"(?:trabajo|empleo|job|work)\s+(?:como|de|as)\s+([^,.;]{3,60})", re.I)
_TRAVELLED_WITH = re.compile(
    r"\b(?:(?:viaj\w+|sal\w+|lleg\w+|se\s+fue|se\s+fueron)\s+(?:junto\s+)?con|en\s+compañ[ií]a\s+de|junto\s+(?:a|con)|acompañad[oa]s?\s+por|travell?ed\s+with|together\s+with|accompanied\s+by)\b",
    re.I,
)
_PAID_ACTIVE = re.compile(r"\b(?:pag[oó]|compr[oó]|cancel[oó]|paid\s+for|bought)\b", re.I)
_PAID_PASSIVE = re.compile(r"\b(?:pagad|comprad|costead)[oa]s\s+por\b|\bpaid\s+(?:for\s+)?by\b", re.I)
_TICKET = re.compile(r"tiquete|pasaje|boleto|vuelo|ticket|fare|billete", re.I)


@dataclass
class _Sentence:
    start: int
    end: int
    persons: list = field(default_factory=list)  # first mention of each person, in order
    mentions: list = field(default_factory=list)


def find_relationships(
    text: str, extraction: Extraction, bounds: list[tuple[int, int]], dates: list[dict]
) -> list[ExtractedRelationship]:
    """Relationships the sentences assert; route legs are added to `extraction` as entities."""
    relationships: list[ExtractedRelationship] = []
    sentences = [_Sentence(s, e) for s, e in bounds]
    index = 0
    for mention in extraction.mentions:
        while index < len(sentences) - 1 and mention.start >= sentences[index].end:
            index += 1
        sentence = sentences[index]
        sentence.mentions.append(mention)
        if mention.type == EntityType.PERSON and all(p.key != mention.key for p in sentence.persons):
            sentence.persons.append(mention)

    def add(rel_type, source, target, sentence, method, confidence, date=None, /, **properties):
        relationships.append(
            ExtractedRelationship(rel_type, source, target, sentence.start, sentence.end, method, round(confidence, 3), date, properties)
        )

    def person(m) -> EntityRef:
        return EntityRef(EntityType.PERSON, m.key)

    def ref(m) -> EntityRef:
        return EntityRef(m.type, m.key)

    carried: list = []  # persons of the last sentence that named any
    last_destination = None
    previous_end = 0
    for sentence in sentences:
        words = text[sentence.start : sentence.end]
        if "\n\n" in text[previous_end : sentence.start]:
            # A new paragraph starts a new movement; "el indiciado" may still be the person before.
            last_destination = None
        previous_end = sentence.end
        persons = sentence.persons
        subjects, subject_confidence = (persons, 1.0) if persons else (carried, 0.65)
        sentence_date = next((d["value"] for d in dates if sentence.start <= d["start"] < sentence.end), None)
        related_pairs: set[frozenset] = set()

        # -- identifiers: the nearest person before the value, else just after it
        for mention in sentence.mentions:
            kind, method, confidence = None, None, 0.0
            if mention.type == EntityType.IDENTITY_DOCUMENT:
                kind, method, confidence = RelType.HOLDS_ID, "pattern:holds_id", 0.85
            elif mention.type == EntityType.PHONE and _PHONE_CUE.search(words):
                kind, method, confidence = RelType.USES_PHONE, "pattern:uses_phone", 0.8
            elif mention.type == EntityType.EMAIL and _EMAIL_CUE.search(words):
                kind, method, confidence = RelType.USES_EMAIL, "pattern:uses_email", 0.8
            if kind is None:
                continue
            owner = _nearest_person(sentence.persons, mention)
            if owner is None and len(carried) == 1 and not persons:
                owner, confidence = carried[0], confidence * 0.65
            if owner is not None:
                add(kind, person(owner), ref(mention), sentence, method, confidence)

        # -- travel legs
        places = [m for m in sentence.mentions if m.type in (EntityType.LOCATION, EntityType.AIRPORT, EntityType.BUS_TERMINAL)]
        flights = [m for m in sentence.mentions if m.type == EntityType.FLIGHT]
        legs = []
        if _TRAVEL_CUE.search(words) and places:
            legs, last_destination = _legs(text, sentence, places, last_destination)
        for origin, destination, seg_start, seg_end, assumed_origin in legs:
            segment = text[seg_start:seg_end]
            leg_flights = [f for f in flights if seg_start <= f.start < seg_end] or (flights if len(legs) == 1 else [])
            mode = _mode(segment, origin, destination, leg_flights) or _mode(words, origin, destination, leg_flights) or "unknown"
            leg_date = next((d["value"] for d in dates if seg_start <= d["start"] < seg_end), None) or sentence_date
            confidence = 0.75 * (0.8 if assumed_origin else 1.0)
            key = "|".join((mode, origin.type, origin.key, destination.type, destination.key, leg_date or f"doc:{extraction.document_id}"))
            leg = extraction.add_entity(
                ExtractedEntity(
                    EntityType.ROUTE_LEG, key,
                    f"{_label(extraction, origin)} → {_label(extraction, destination)} ({mode}{', ' + leg_date if leg_date else ''})",
                    [],
                    {"mode": mode, "origin": _label(extraction, origin), "destination": _label(extraction, destination),
                     "origin_city": _place_city(origin), "destination_city": _place_city(destination),
                     **({"date": leg_date} if leg_date else {})},
                )
            )  # fmt: skip
            add(RelType.DEPARTS_FROM, leg, ref(origin), sentence, "pattern:travel", confidence, leg_date)
            add(RelType.ARRIVES_AT, leg, ref(destination), sentence, "pattern:travel", confidence, leg_date)
            for traveller in subjects:
                add(RelType.TRAVELLED, person(traveller), leg, sentence, "pattern:travel", confidence * subject_confidence, leg_date, mode=mode)
            for flight in leg_flights:
                add(RelType.VIA, leg, ref(flight), sentence, "pattern:travel", confidence, leg_date)
                add(RelType.DEPARTS_FROM, ref(flight), ref(origin), sentence, "pattern:travel", confidence, leg_date)
                add(RelType.ARRIVES_AT, ref(flight), ref(destination), sentence, "pattern:travel", confidence, leg_date)
            for terminal in (m for m in places if m.type == EntityType.BUS_TERMINAL and seg_start <= m.start < seg_end):
                if terminal is not origin and terminal is not destination:
                    add(RelType.VIA, leg, ref(terminal), sentence, "pattern:travel", confidence, leg_date)
        if flights and _TRAVEL_CUE.search(words):
            for flight in flights:
                for traveller in subjects:
                    add(RelType.PASSENGER_ON, person(traveller), ref(flight), sentence, "pattern:passenger_on", 0.75 * subject_confidence, sentence_date)

        # -- between persons
        if len(persons) >= 2:
            for kind, pattern_pairs, method in (
                ("recruited", _recruitment_pairs(words, sentence, persons), "pattern:recruited"),
                ("travelled_with", _split_pairs(_TRAVELLED_WITH, words, sentence, persons), "pattern:travelled_with"),
                ("paid_for", _paid_pairs(words, sentence, persons), "pattern:paid_for"),
            ):
                for source, target, extra in pattern_pairs:
                    add(RelType.ASSOCIATED_WITH, person(source), person(target), sentence, method, 0.7, sentence_date, kind=kind, **extra)
                    related_pairs.add(frozenset((source.key, target.key)))
            if len(persons) <= MAX_CO_MENTIONED_PERSONS:
                for i, first in enumerate(persons):
                    for second in persons[i + 1 :]:
                        if frozenset((first.key, second.key)) in related_pairs:
                            continue
                        add(RelType.ASSOCIATED_WITH, person(first), person(second), sentence, "cooccurrence:sentence",
                            CO_MENTION_CONFIDENCE, sentence_date, kind="co_mentioned")  # fmt: skip
        if persons:
            carried = persons
    return relationships


_AT_BEFORE = re.compile(r"\b(?:en|at|in)\s+(?:la\s+|el\s+|the\s+)?$", re.I)
# "la llevaría a Cali", "would take her to": a journey planned, not made.
_CONDITIONAL = re.compile(r"\b\w+r[ií]an?\b|\bwould\b|\bwill\b", re.I)
_ARRIVAL = re.compile(r"lleg[óoa]|llegad[oa]|arriv", re.I)
# "Terminal de Cali - Terminal del Sur de Bogotá", "BOG-MAD", "Pereira → Bogotá" in itineraries.
_BETWEEN_ENDPOINTS = re.compile(r"\s*(?:\([A-Z]{3}\))?\s*(?:-|–|—|→|->|>|/)\s*")


def _legs(text, sentence, places, last_destination):
    """Origin -> destination pairs in one sentence, by the words before each place ("de",
    "desde" / "a", "hasta", "con destino a"). A destination takes the origin named before it
    since the last destination, else one named just after it ("con destino a Madrid desde
    El Dorado"), else a place the sentence puts the travellers at ("en Bogotá la esperaba
    ... la llevaría a Cali"), else the last destination (a chain: "de Pereira a Bogotá y de
    allí a Madrid"), the last one of an earlier sentence included, marked as assumed. An
    origin with no destination but an arrival ("llegó en bus desde Cúcuta") ends where the
    sentence says they were. Places joined by a dash or an arrow are origin and destination."""
    roles = []
    for index, place in enumerate(places):
        before = text[max(sentence.start, place.start - 40) : place.start]
        previous = places[index - 1] if index else None
        if previous is not None and roles and roles[-1][1] is previous and _BETWEEN_ENDPOINTS.fullmatch(text[previous.end : place.start]):
            roles[-1] = ("origin", previous) if roles[-1][0] != "destination" else roles[-1]
            roles.append(("destination", place))
        elif _ORIGIN_BEFORE.search(before):
            roles.append(("origin", place))
        elif _DESTINATION_BEFORE.search(before):
            roles.append(("destination", place))
        elif _AT_BEFORE.search(before):
            roles.append(("at", place))
        else:
            roles.append(("none", place))
    legs = []
    previous = last_destination
    segment_start = sentence.start
    destinations = [i for i, (role, _) in enumerate(roles) if role == "destination"]
    for number, index in enumerate(destinations):
        destination = roles[index][1]
        since = destinations[number - 1] + 1 if number else 0
        until = destinations[number + 1] if number + 1 < len(destinations) else len(roles)
        origins = [p for role, p in roles[since:index] if role == "origin"]
        origin = origins[-1] if origins else next((p for role, p in roles[index + 1 : until] if role == "origin"), None)
        assumed = origin is None
        if origin is None and not number:
            origin = next((p for role, p in roles[:index] if role == "at"), None)
        origin = origin or previous
        planned = origin is not None and _CONDITIONAL.search(text[min(origin.end, destination.start) : destination.start])
        if origin is not None and _place_city(origin) != _place_city(destination) and not planned:
            segment_end = max(destination.end, origin.end)
            legs.append((origin, destination, segment_start, segment_end, assumed))
            segment_start = segment_end
        previous = destination
    if not destinations and _ARRIVAL.search(text[sentence.start : sentence.end]):
        origins = [p for role, p in roles if role == "origin"]
        arrived_at = [p for role, p in roles if role == "at"]
        if origins and arrived_at and _place_city(origins[-1]) != _place_city(arrived_at[0]):
            legs.append((origins[-1], arrived_at[0], sentence.start, sentence.end, False))
            previous = arrived_at[0]
    return legs, previous


def _nearest_person(persons, mention, before_limit: int = 160, after_limit: int = 60):
    before = [p for p in persons if p.end <= mention.start and mention.start - p.end <= before_limit]
    if before:
        return max(before, key=lambda p: p.end)
    after = [p for p in persons if p.start >= mention.end and p.start - mention.end <= after_limit]
    return min(after, key=lambda p: p.start) if after else None


def _place_city(mention) -> str:
    return mention.attributes.get("city") or mention.normalized


def _label(extraction: Extraction, mention: ExtractedMention) -> str:
    return extraction.entities[EntityRef(mention.type, mention.key)].label


def _mode(segment: str, origin, destination, flights) -> str | None:
    if flights or _AIR.search(segment) or EntityType.AIRPORT in (origin.type, destination.type):
        return "air"
    if _BORDER.search(segment):
        return "border_crossing"
    if _BUS.search(segment) or EntityType.BUS_TERMINAL in (origin.type, destination.type):
        return "bus"
    return None


def _split_pairs(pattern, words, sentence, persons):
    """(before, after) person pairs around the first cue: the person nearest before the cue
    (who acts: recruits, pays, travels with) and every person after it."""
    match = pattern.search(words)
    if not match:
        return []
    cue_start, cue_end = sentence.start + match.start(), sentence.start + match.end()
    before = [p for p in persons if p.end <= cue_start]
    after = [p for p in persons if p.start >= cue_end]
    if not before or not after:
        return []
    return [(before[-1], other, {}) for other in after if other.key != before[-1].key]


def _recruitment_pairs(words, sentence, persons):
    offer = _OFFER.search(words)
    extra = {"offer": offer.group(1).strip()} if offer else {}
    passive = _PASSIVE_RECRUITED.search(words)
    if passive:
        # "Y fue captada por X": X recruited Y (and everyone named before the cue).
        cue_start, cue_end = sentence.start + passive.start(), sentence.start + passive.end()
        victims = [p for p in persons if p.end <= cue_start]
        recruiters = [p for p in persons if p.start >= cue_end][:1]
        return [(r, v, extra) for r in recruiters for v in victims if r.key != v.key]
    active = _ACTIVE_RECRUITED.search(words)
    if active:
        return [(source, target, extra) for source, target, _ in _split_pairs(_ACTIVE_RECRUITED, words, sentence, persons)]
    return []


def _paid_pairs(words, sentence, persons):
    if not _TICKET.search(words):
        return []
    passive = _PAID_PASSIVE.search(words)
    if passive:
        cue_start, cue_end = sentence.start + passive.start(), sentence.start + passive.end()
        payers = [p for p in persons if p.start >= cue_end][:1]
        beneficiaries = [p for p in persons if p.end <= cue_start]
        return [(payer, b, {}) for payer in payers for b in beneficiaries if payer.key != b.key]
    return _split_pairs(_PAID_ACTIVE, words, sentence, persons)
