"""Relationships read from sentences: who uses which phone, who holds which ID, who travelled
where by which means and when, who recruited whom, who travelled with or paid for whom.

Rules work sentence by sentence over the mentions already found, reading the cue tables of
ingest/cues.py. A sentence that names its travellers only as "ellas" / "they" takes the
persons of the sentence before it, with lower confidence (across paragraphs too: reports say
"el indiciado" pages after the name). Two persons in one sentence with nothing stronger
between them get the weak ASSOCIATED_WITH(co_mentioned), confidence 0.3, marked as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backend.domain.vocabulary import EntityType, RelType, route_leg_label
from ingest import cues
from ingest.extraction import EntityRef, ExtractedEntity, ExtractedMention, ExtractedRelationship, Extraction

_PLACE_TYPES = (EntityType.LOCATION, EntityType.AIRPORT, EntityType.BUS_TERMINAL)
_ORIGIN_BEFORE = re.compile(
    r"\b(?:de|desde|from|del|out of)\s+(?:la\s+|el\s+|los\s+|las\s+|the\s+)?(?:ciudad\s+de\s+|municipio\s+de\s+)?$", re.I
)
_DESTINATION_BEFORE = re.compile(
    r"\b(?:a|al|hasta|hacia|para|to|towards|into|con\s+destino\s+(?:a|al)|rumbo\s+(?:a|al)|destino|lleg\w*\s+(?:a|al)|arrived\s+in|bound\s+for)\s+"
    r"(?:la\s+|el\s+|los\s+|las\s+|the\s+)?(?:ciudad\s+de\s+|municipio\s+de\s+)?$",
    re.I,
)


@dataclass
class _Sentence:
    start: int
    end: int
    persons: list = field(default_factory=list)  # first mention of each person, in order
    mentions: list = field(default_factory=list)
    persons_all: list = field(default_factory=list)  # every person mention, in order
    date: str | None = None


@dataclass
class _Reading:
    """What the rules share while they read one document."""

    text: str
    extraction: Extraction
    dates: list[dict]
    found: list[ExtractedRelationship] = field(default_factory=list)

    def add(self, rel_type, source, target, sentence, method, confidence, date=None, /, **properties) -> None:
        self.found.append(
            ExtractedRelationship(rel_type, source, target, sentence.start, sentence.end, method, round(confidence, 3), date, properties)
        )

    def date_in(self, start: int, end: int) -> str | None:
        return next((d["value"] for d in self.dates if start <= d["start"] < end), None)


def _person(m) -> EntityRef:
    return EntityRef(EntityType.PERSON, m.key)


def _ref(m) -> EntityRef:
    return EntityRef(m.type, m.key)


def _sentences(extraction: Extraction, bounds: list[tuple[int, int]]) -> list[_Sentence]:
    """The sentences, each with its mentions and the first mention of each person it names."""
    sentences = [_Sentence(s, e) for s, e in bounds]
    index = 0
    for mention in extraction.mentions:
        while index < len(sentences) - 1 and mention.start >= sentences[index].end:
            index += 1
        sentence = sentences[index]
        sentence.mentions.append(mention)
        if mention.type == EntityType.PERSON:
            sentence.persons_all.append(mention)
            if all(p.key != mention.key for p in sentence.persons):
                sentence.persons.append(mention)
    return sentences


@dataclass(frozen=True)
class _Parties:
    """Who a document's pronouns mean: the speaker of a first-person document or the writer of
    a message ("me", "nos"), and the persons a message is written to ("te", "tu vuelo")."""

    speaker: ExtractedMention | None = None
    addressees: tuple = ()
    header_end: int = 0  # where a message's header lines end
    header_lines: tuple = ()  # (start, end, persons) of a message's From: and To: lines

    def of(self, pronoun: str) -> list:
        meant = cues.PARTY_PRONOUNS.get(pronoun)
        if meant == "speaker":
            return [self.speaker] if self.speaker is not None else []
        return list(self.addressees) if meant == "addressee" else []


def find_relationships(text: str, extraction: Extraction, bounds: list[tuple[int, int]], dates: list[dict]) -> list[ExtractedRelationship]:
    """Relationships the sentences assert; route legs are added to `extraction` as entities."""
    reading = _Reading(text, extraction, dates)
    parties = _parties(text, extraction.mentions)
    speaker = parties.speaker
    carried: list = []  # persons of the last sentence that named any
    last_destination = None
    previous_end = 0
    for sentence in _sentences(extraction, bounds):
        if "\n\n" in text[previous_end : sentence.start]:
            # A new paragraph starts a new movement; "el indiciado" may still be the person before.
            last_destination = None
        previous_end = sentence.end
        sentence.date = reading.date_in(sentence.start, sentence.end)
        subjects, subject_confidence = (sentence.persons, 1.0) if sentence.persons else (carried, cues.CARRIED_SUBJECT_FACTOR)
        if speaker is not None and all(p.key != speaker.key for p in sentence.persons):
            if not sentence.persons and cues.FIRST_PERSON_TRAVEL_ALONE.search(text, sentence.start, sentence.end):
                subjects, subject_confidence = [speaker], 1.0
            elif cues.FIRST_PERSON_TRAVEL_TOGETHER.search(text, sentence.start, sentence.end):
                subjects = [*(p for p in subjects if p.key != speaker.key), speaker]
        if (
            parties.addressees
            and sentence.start >= parties.header_end
            and cues.ADDRESSEE_TRAVELS.search(text, sentence.start, sentence.end)
        ):
            subjects, subject_confidence = list(parties.addressees), 1.0
        _ownership(reading, sentence, carried)
        last_destination = _travel(reading, sentence, subjects, subject_confidence, last_destination)
        _ties(reading, sentence, carried, parties)
        carried = _carried_after(text, sentence, carried)
    _message_offer(reading, bounds, parties)
    _message_addresses(reading, parties)
    return reading.found


def _carried_after(text: str, sentence: _Sentence, carried: list) -> list:
    """Whom the next sentence's pronouns may mean: the persons this one names, after the one
    (or ones) a pronoun or role noun before its first name stood for ("Ella se fue con la
    Karen": Daniela, then Karen)."""
    if not sentence.persons:
        return carried
    meant = _anaphor_meant(text, sentence.start, sentence.persons[0].start, sentence.persons_all, carried)
    named = {p.key for p in sentence.persons}
    return [*(p for p in meant if p.key not in named), *sentence.persons]


def _anaphor_meant(text: str, start: int, end: int, persons: list, carried, offset: int = 0) -> list:
    """The carried persons a pronoun or role noun between start and end points back to: the
    first for "ella", "la víctima", all for "ellas", "las jóvenes"; none when there is none.
    (`offset` is where `text` starts in the document the persons' offsets index.)"""
    for anaphor in cues.ANAPHOR.finditer(text, start, end):
        if any(0 <= p.start - offset - anaphor.end() <= 3 for p in persons):
            continue  # "la joven YESENIA …" introduces a name; it does not point back
        return list(carried) if cues.PLURAL_ANAPHORS.search(anaphor.group(0)) else list(carried)[:1]
    return []


def _parties(text: str, mentions: list) -> _Parties:
    """The speaker (the "Nombre:" field or "yo soy X"; in a message its writer) and a message's
    addressees, read from its From: and To: lines near the top."""
    persons = [m for m in mentions if m.type == EntityType.PERSON]
    head = text[: cues.MESSAGE_HEADER_SPAN]
    sender_line = cues.MESSAGE_SENDER_LINE.search(head)
    recipient_line = cues.MESSAGE_RECIPIENT_LINE.search(head)
    if not (sender_line and recipient_line):
        return _Parties(_speaker(text, mentions))
    lines = tuple(_line(text, persons, line.end()) for line in (sender_line, recipient_line))
    sender = next(iter(lines[0][2]), None)
    header_end = max(end for _, end, _ in lines)
    return _Parties(_speaker(text, mentions) or sender, tuple(lines[1][2]), header_end, lines)


def _line(text: str, persons: list, start: int) -> tuple[int, int, list]:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return start, end, [p for p in persons if start <= p.start < end]


def _message_addresses(reading: _Reading, parties: _Parties) -> None:
    """A message's From: and To: lines ("Name" <address>): the address is the named person's."""
    cue = _OWNERSHIP_BY_TYPE[EntityType.EMAIL]
    for start, end, persons in parties.header_lines:
        addresses = [m for m in reading.extraction.mentions if m.type == EntityType.EMAIL and start <= m.start < end]
        if len(persons) == 1 and len(addresses) == 1:
            reading.add(cue.relationship, _person(persons[0]), _ref(addresses[0]), _Sentence(start, end), cue.method,
                        cues.OWNER_BY_WORDS_CONFIDENCE)  # fmt: skip


def _message_offer(reading: _Reading, bounds: list[tuple[int, int]], parties: _Parties) -> None:
    """A message whose own words (not the quoted reply) offer work: its writer recruited its
    addressees, less surely than words that say so."""
    if parties.speaker is None or not parties.addressees:
        return
    text = reading.text
    for start, end in bounds:
        if start < parties.header_end or not cues.JOB_OFFER.search(text, start, end):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].lstrip().startswith(">"):
            offer = cues.JOB_OFFERED.search(text, start, end)
            extra = {"offer": offer.group(1).strip()} if offer else {}
            evidence = _Sentence(start, end, date=reading.date_in(start, end))
            for addressee in parties.addressees:
                if addressee.key != parties.speaker.key:
                    reading.add(RelType.ASSOCIATED_WITH, _person(parties.speaker), _person(addressee), evidence,
                                cues.MESSAGE_OFFER_METHOD, cues.MESSAGE_OFFER_CONFIDENCE, evidence.date, kind="recruited", **extra)  # fmt: skip
            return


def _ownership(reading: _Reading, sentence: _Sentence, carried: list) -> None:
    """Identifiers and their holders: who the words say holds the value ("atribuido a X", "las
    líneas de X (…)", "X utiliza la línea …"); not whoever called it or handed it over; failing
    words, the nearest person before the value, else one just after it."""
    words = reading.text[sentence.start : sentence.end]
    for mention in sentence.mentions:
        cue = _OWNERSHIP_BY_TYPE.get(mention.type)
        if cue is None or (cue.cue is not None and not cue.cue.search(words)):
            continue
        named = _owner_named(reading.text, sentence, mention)
        if named is not None:
            if named is not _NO_OWNER:
                reading.add(
                    cue.relationship,
                    _person(named),
                    _ref(mention),
                    sentence,
                    cue.method,
                    max(cue.confidence, cues.OWNER_BY_WORDS_CONFIDENCE),
                )
            continue
        eligible = [p for p in sentence.persons if not cues.GIVER_AFTER.match(reading.text, p.end)]
        confidence = cue.confidence
        owner = _nearest_person(eligible, mention)
        if owner is None and len(carried) == 1 and not eligible:
            owner, confidence = carried[0], confidence * cues.CARRIED_OWNER_FACTOR
        if owner is not None:
            reading.add(cue.relationship, _person(owner), _ref(mention), sentence, cue.method, confidence)


_NO_OWNER = object()
_OWNERSHIP_BY_TYPE = {c.mention_type: c for c in cues.OWNERSHIP_CUES}


def _owner_named(text: str, sentence: _Sentence, mention):
    """The holder the words around a value name, _NO_OWNER when they say it is someone
    unnamed's or another's number (a contact), or None when they say nothing either way."""
    persons = sentence.persons_all
    after = next((p for p in persons if p.start >= mention.end), None)
    if after is not None and cues.OWNER_NAMED_AFTER.fullmatch(text, mention.end, after.start):
        return after
    before = [p for p in persons if p.end <= mention.start]
    for person in reversed(before):
        if cues.OWNER_TO_NUMBER.fullmatch(text, person.end, mention.start) is None:
            continue
        if cues.OWNER_NAMED_BEFORE.search(text, max(sentence.start, person.start - 40), person.start):
            return person
    if cues.THIRD_PARTY_AFTER.match(text, mention.end):
        return _NO_OWNER
    if cues.CONTACT_BEFORE.search(text, max(sentence.start, mention.start - 80), mention.start):
        return _NO_OWNER
    return None


def _travel(reading: _Reading, sentence: _Sentence, subjects: list, subject_confidence: float, last_destination):
    """Route legs and flights' passengers; returns the last destination, for the next sentence."""
    text, words = reading.text, reading.text[sentence.start : sentence.end]
    travel = cues.TRAVEL_CUES[RelType.TRAVELLED]
    places = [m for m in sentence.mentions if m.type in _PLACE_TYPES]
    flights = [m for m in sentence.mentions if m.type == EntityType.FLIGHT]
    legs = []
    if travel.cue.search(words) and places:
        legs, last_destination = _legs(text, sentence, places, last_destination)
    for origin, destination, seg_start, seg_end, assumed_origin in legs:
        leg_flights = [f for f in flights if seg_start <= f.start < seg_end] or (flights if len(legs) == 1 else [])
        # The words between the two places describe this leg best ("… hacia Tulcán y de allí
        # continuaron en bus hasta Quito"); then its part of the sentence, then the sentence.
        between = text[min(origin.end, destination.end) : max(origin.start, destination.start)]
        first = min(origin.start, destination.start)
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, seg_start, first)), default=seg_start)
        clause = text[clause_start : max(origin.end, destination.end)]
        parts = (between, clause, text[seg_start:seg_end], words)
        mode = next((m for m in (_mode(part, origin, destination, leg_flights) for part in parts) if m), "unknown")
        leg_date = reading.date_in(seg_start, seg_end) or sentence.date
        confidence = travel.confidence * (cues.ASSUMED_ORIGIN_FACTOR if assumed_origin else 1.0)
        leg = _leg_entity(reading.extraction, origin, destination, mode, leg_date)

        def leg_link(rel_type, source, target, factor=1.0, **properties):
            reading.add(rel_type, source, target, sentence, travel.method, confidence * factor, leg_date, **properties)

        leg_link(RelType.DEPARTS_FROM, leg, _ref(origin))
        leg_link(RelType.ARRIVES_AT, leg, _ref(destination))
        for traveller in subjects:
            leg_link(RelType.TRAVELLED, _person(traveller), leg, subject_confidence, mode=mode)
        for flight in leg_flights:
            leg_link(RelType.VIA, leg, _ref(flight))
            leg_link(RelType.DEPARTS_FROM, _ref(flight), _ref(origin))
            leg_link(RelType.ARRIVES_AT, _ref(flight), _ref(destination))
        for terminal in (m for m in places if m.type == EntityType.BUS_TERMINAL and seg_start <= m.start < seg_end):
            if terminal is not origin and terminal is not destination:
                leg_link(RelType.VIA, leg, _ref(terminal))
    passenger = cues.TRAVEL_CUES[RelType.PASSENGER_ON]
    if flights and passenger.cue.search(words):
        for flight in flights:
            for traveller in subjects:
                reading.add(RelType.PASSENGER_ON, _person(traveller), _ref(flight), sentence, passenger.method,
                            passenger.confidence * subject_confidence, sentence.date)  # fmt: skip
    return last_destination


def _leg_entity(extraction: Extraction, origin, destination, mode: str, leg_date: str | None) -> EntityRef:
    key = "|".join((mode, origin.type, origin.key, destination.type, destination.key, leg_date or f"doc:{extraction.document_id}"))
    origin_label, destination_label = _label(extraction, origin), _label(extraction, destination)
    return extraction.add_entity(
        ExtractedEntity(
            EntityType.ROUTE_LEG, key,
            route_leg_label(origin_label, destination_label, mode, leg_date),
            [],
            {"mode": mode, "origin": origin_label, "destination": destination_label,
             "origin_city": _place_city(origin), "destination_city": _place_city(destination),
             **({"date": leg_date} if leg_date else {})},
        )
    )  # fmt: skip


def _ties(reading: _Reading, sentence: _Sentence, carried: list, parties: _Parties) -> None:
    """Between persons: the tie cues (the speaker of a first-person document being "me", the
    addressee of a message "te"), else, for a few persons, the weak co-mention."""
    persons = sentence.persons
    if not persons:
        return  # every tie names at least its doer in the sentence
    words = reading.text[sentence.start : sentence.end]
    related_pairs: set[frozenset] = set()

    def tie(cue_kind: str, method: str, confidence: float, source, target, extra: dict) -> None:
        reading.add(RelType.ASSOCIATED_WITH, _person(source), _person(target), sentence, method, confidence, sentence.date,
                    kind=cue_kind, **extra)  # fmt: skip
        related_pairs.add(frozenset((source.key, target.key)))

    for cue in cues.TIE_CUES:
        for source, target, extra, factor in _tie_pairs(cue, words, sentence, persons, carried, parties):
            tie(cue.kind, cue.method, cue.confidence * factor, source, target, extra)
    for cue in cues.FIRST_PERSON_TIES:
        match = cue.pattern.search(words)
        for party in parties.of(cues.party_pronoun(match)) if match else ():
            others = [p for p in persons if p.key != party.key]
            if others:
                at = sentence.start + match.start()
                other = min(others, key=lambda p: abs(p.start - at))  # the one the words are about
                tie(cue.kind, cue.method, cue.confidence, *((other, party) if cue.party_is_target else (party, other)), {})
    if len(persons) < 2 or len(persons) > cues.MAX_CO_MENTIONED_PERSONS:
        return
    for i, first in enumerate(persons):
        for second in persons[i + 1 :]:
            if frozenset((first.key, second.key)) not in related_pairs:
                reading.add(RelType.ASSOCIATED_WITH, _person(first), _person(second), sentence, cues.CO_MENTION_METHOD,
                            cues.CO_MENTION_CONFIDENCE, sentence.date, kind="co_mentioned")  # fmt: skip


# Where the clause that names a leg starts: "Tu vuelo sería el 21, el bus de Pereira a Bogotá sale…".
_CLAUSE_BREAK = re.compile(r"[,;:]")
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
        elif origin is None:
            # "… llegamos a Ipiales … y en Tulcán nos montamos en otro bus para Quito": where they
            # were since the last destination is where this leg starts.
            origin = next((p for role, p in reversed(roles[since:index]) if role == "at"), None)
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
    """The leg's mode: a flight or an airport says air, a terminal says bus; else the words."""
    if flights or EntityType.AIRPORT in (origin.type, destination.type):
        return "air"
    for cue in cues.MODE_CUES:
        if cue.cue.search(segment):
            return cue.mode
    if EntityType.BUS_TERMINAL in (origin.type, destination.type):
        return "bus"
    return None


def _split_pairs(pattern, words, sentence, persons, carried=()):
    """(before, after, factor) person pairs around the first cue: the person nearest before the
    cue (who acts: recruits, pays, travels with) and every person after it. With no one after
    it but a pronoun before the verb ("X les ofreció trabajo", "quien le ofreció"), the persons
    of the sentence before, less surely."""
    match = pattern.search(words)
    if not match:
        return []
    cue_start, cue_end = sentence.start + match.start(), sentence.start + match.end()
    before = [p for p in persons if p.end <= cue_start]
    after = [p for p in persons if p.start >= cue_end]
    if before and not after and cues.OBJECT_PRONOUN_BEFORE.search(words[: match.start()] + match.group(0)[:4]):
        return [(before[-1], other, cues.CARRIED_SUBJECT_FACTOR) for other in carried if other.key != before[-1].key]
    if not before or not after:
        return []
    return [(before[-1], other, 1.0) for other in after if other.key != before[-1].key]


def _tie_pairs(cue: cues.TieCue, words: str, sentence: _Sentence, persons: list, carried: list | tuple = (), parties=None):
    """(source, target, properties, factor) of one tie cue in a sentence: the passive form first
    ("fue captada por X": X recruited her, and everyone named before the cue, or with no one
    named before it the persons of the sentence before, less surely), else the active."""
    if cue.requires is not None and not cue.requires.search(words):
        return []
    detail = cue.detail[1].search(words) if cue.detail else None
    extra = {cue.detail[0]: detail.group(1).strip()} if cue.detail and detail else {}
    passive = cue.passive.search(words) if cue.passive is not None else None
    if passive:
        cue_start, cue_end = sentence.start + passive.start(), sentence.start + passive.end()
        before = [p for p in persons if p.end <= cue_start]
        agents = [p for p in persons if p.start >= cue_end][:1]
        factor = 1.0
        if agents and not before:
            # "La víctima … fue captada por Y": the one "la víctima" points back to, else all.
            before = _anaphor_meant(words, 0, passive.start(), sentence.persons_all, carried, sentence.start) or list(carried)
            factor = cues.CARRIED_SUBJECT_FACTOR
        return [(agent, other, extra, factor) for agent in agents for other in before if agent.key != other.key]
    pairs = [(source, target, extra, factor) for source, target, factor in _split_pairs(cue.active, words, sentence, persons, carried)]
    if pairs or cue.inverted is None:
        return pairs
    return [
        (agent, other, extra, factor) for agent, other, factor in _inverted_pairs(cue.inverted, words, sentence, persons, carried, parties)
    ]


def _inverted_pairs(pattern, words: str, sentence: _Sentence, persons: list, carried, parties):
    """The doer named right after the cue; the one acted upon by the pronoun before the verb:
    "me"/"nos" the speaker of a first-person document, "le"/"les" the persons of the sentence
    before (less surely); with no pronoun, whom the document is about (less surely): the
    addressee of a message ("los tiquetes los cubre don Hernán"), else the speaker."""
    parties = parties or _Parties()
    speaker = parties.speaker
    match = pattern.search(words)
    if not match:
        return []
    agent = next((p for p in persons if p.start >= sentence.start + match.end()), None)
    if agent is None:
        return []
    dative = (match.group("dative") or "").lower()
    if dative in ("me", "nos"):
        targets, factor = ([speaker] if speaker is not None else []), 1.0
    elif dative:
        targets, factor = list(carried), cues.CARRIED_SUBJECT_FACTOR
    else:
        targets = list(parties.addressees) or ([speaker] if speaker is not None else [])
        factor = cues.CARRIED_SUBJECT_FACTOR
    return [(agent, other, factor) for other in targets if other.key != agent.key]


def _speaker(text: str, mentions: list) -> ExtractedMention | None:
    """Who says "yo" in a first-person document: the person named in its first "Nombre:"
    field (the interviewee or complainant of a police form), or in "yo soy X", "me llamo X"."""
    persons = [m for m in mentions if m.type == EntityType.PERSON]
    for cue in cues.SPEAKER_NAMED.finditer(text):
        named = next((p for p in persons if 0 <= p.start - cue.end() <= 3), None)
        if named is not None:
            return named
    return None
