"""Extraction: one read document and its spaCy Doc -> mentions and evidence-backed relationships.

The output (`Extraction`) is plain data, printed as JSON by `telarana extract` and turned
into graph records by `ingest.records.extraction_to_batch`. Every mention keeps its span
and sentence; every relationship keeps the sentence (or table row) that asserts it, the
rule that read it and a confidence.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from spacy.tokens import Doc

from backend.domain.gazetteer import load_gazetteer
from backend.domain.names import is_given_name, looks_like_name_word, name_tokens, normalize_person_name
from backend.domain.normalize import AIRLINES, phone_properties
from backend.domain.text import detect_language, fold, fold_with_offsets, original_span
from backend.domain.vocabulary import EntityType, flight_label
from ingest.extraction import ExtractedEntity, ExtractedMention, Extraction
from ingest.pipeline import LANGUAGE_KEY, RULES_KEY, SENTENCES_KEY, sentence_at, sentence_bounds, wrapped_line_break
from ingest.relationships import find_relationships

# Which find wins where two overlap: rules with a right form first, then gazetteer
# places, then names by rule, then the statistical model.
_PRIORITY = {
    "rule:phone": 0, "rule:identity_document": 0, "rule:email": 0,
    "rule:flight": 1, "gazetteer:terminal": 1, "fuzzy:terminal": 1, "gazetteer:airport_code": 1,
    "gazetteer:airport_of_city": 1, "gazetteer:airport": 1,
    "rule:alias": 1, "rule:caps_name": 2, "rule:given_name": 2, "rule:initial_name": 2, "rule:titled_name": 2,
    "rule:initials_name": 2, "rule:name_cue": 2, "gazetteer:city": 3,
    "spacy:ner": 4,
}  # fmt: skip

# Institutions, roles and airlines the small model calls places ("Dijín", "Policía Nacional", "Avianca").
NOT_PLACE_WORDS = frozenset(
    "fiscalia policia dijin sijin migracion investigador investigadora fiscal juzgado unidad grupo entrevista "
    "informe noticia delito preguntado contesto entrevistada entrevistadora cedula pasaporte interpol trata personas "
    "atencion victimas registraduria subject operacion "
    # Courts, offices and the titles of their officers, as rulings and releases name them.
    "sala tribunal superior comite accion derechos humanos facultad derecho circuito oralidad corte constitucional "
    "consulado embajada ministerio especializada liquidadora apelaciones comisaria funciones conocimiento magistrado "
    "ponente alcalde mayor contralor personero distrital nacion estado summit consejo seccion rama judicial "
    "procuraduria defensoria gobernacion alcaldia secretaria instituto comision dc thai".split()
) | frozenset(fold(name) for names in AIRLINES.values() for name in names)
# The place in an office's name is not where anything happened: "Tribunal Superior de Cartagena",
# "Juzgado Penal del Circuito de Magangué", "U.S. Attorney for the District of Minnesota",
# "Consulado de Colombia en Houston"; nor in "the San Antonio Police Department".
_OFFICE_BEFORE_PLACE = re.compile(
    r"\b(?:tribunal|juzgado|corte|sala|secretar[ií]a|comit[eé]|consulado|embajada|fiscal[ií]a|comisar[ií]a|alcald[ií]a"
    r"|gobernaci[oó]n|concejo|universidad|procuradur[ií]a|defensor[ií]a|seccional|district|office|department|division"
    r"|court|consulate|embassy|university)\b[^.;:\n]{0,70}?\b(?:de|del|of|for\s+the|en)\s+(?:la\s+|el\s+|los\s+|the\s+)?$",
    re.I,
)
_OFFICE_AFTER_PLACE = re.compile(r"[ \t]+(?:Police|Field\s+Office|Division|Sheriff|County\s+Sheriff|Fire\s+Department)\b")
_NOT_PLACE_FIRST = frozenset(
    "luego despues alli segun el la en se fecha lugar hora senor senora terminal aeropuerto como que cuando donde quien cual".split()
)


# ----------------------------------------------------------------------------- mentions


def _candidates(doc: Doc) -> list[dict]:
    gazetteer = load_gazetteer()
    text = doc.text  # built anew from the tokens at each use: once here, not once per entity
    finds = [dict(f) for f in doc.user_data.get(RULES_KEY, []) if f["type"] != "Date"]
    for ent in doc.ents:
        base = {"start": ent.start_char, "end": ent.end_char, "attributes": {}}
        if ent.label_ == "AIRPORT":
            airport = gazetteer.airport_by_code(ent.ent_id_)
            finds.append(
                {
                    **base,
                    "type": EntityType.AIRPORT,
                    "value": airport.iata,
                    "method": "gazetteer:airport",
                    "confidence": 0.9,
                    "attributes": {"city": airport.city, "name": airport.name},
                }
            )
        elif ent.label_ == "LOC" and is_given_name(ent.text.split()[0]) and not gazetteer.city(ent.text):
            # The small model often calls a woman's name a place ("los tiquetes de Yuliana").
            finds.append({**base, "type": EntityType.PERSON, "value": ent.text, "method": "spacy:ner", "confidence": 0.6})
        elif ent.label_ == "LOC" and _in_office_name(text, ent.start_char, ent.end_char):
            continue
        elif ent.label_ == "LOC":
            city = gazetteer.city(ent.ent_id_ or ent.text)
            if city is not None:
                finds.append(
                    {
                        **base,
                        "type": EntityType.LOCATION,
                        "value": city.name,
                        "method": "gazetteer:city" if ent.ent_id_ else "spacy:ner",
                        "confidence": 0.85,
                        "attributes": {"country": city.country},
                    }
                )
            elif _plausible_place(ent):
                span = ent
                while len(span) > 1 and span[-1].lower_ in ("de", "del", "la", "y", "e", "o", "and", "or"):
                    span = span[:-1]  # "Salitre de" -> "Salitre", "Georgia and" -> "Georgia"
                finds.append(
                    {
                        **base,
                        "end": span.end_char,
                        "type": EntityType.LOCATION,
                        "value": span.text.strip(),
                        "method": "spacy:ner",
                        "confidence": 0.6,
                    }
                )
        elif ent.label_ == "PER":
            for start, end in _line_parts(text, ent.start_char, ent.end_char):
                if _plausible_name(normalize_person_name(text[start:end])):
                    finds.append({**base, "start": start, "end": end, "type": EntityType.PERSON, "value": text[start:end],
                                  "method": "spacy:ner", "confidence": 0.7})  # fmt: skip
        elif ent.label_ == "ORG" and len(ent) >= 2 and not any(c.isdigit() for c in ent.text) and "@" not in ent.text:
            finds.append({**base, "type": EntityType.ORGANIZATION, "value": ent.text.strip(), "method": "spacy:ner", "confidence": 0.5})
    return finds


def _in_office_name(text: str, start: int, end: int) -> bool:
    window = max(0, start - 90)  # bounded: a text of one long line must not make this quadratic
    line_start = text.rfind("\n", window, start) + 1
    return bool(_OFFICE_BEFORE_PLACE.search(text, max(line_start, window), start) or _OFFICE_AFTER_PLACE.match(text, end))


def _line_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at the line breaks that end a line (not those that wrap one), each part trimmed."""
    parts, part_start = [], start
    for index in range(start, end):
        if text[index] == "\n" and not wrapped_line_break(text, index):
            parts.append((part_start, index))
            part_start = index + 1
    parts.append((part_start, end))
    trimmed = [(a + len(text[a:b]) - len(text[a:b].lstrip()), b - len(text[a:b]) + len(text[a:b].rstrip())) for a, b in parts]
    return [(a, b) for a, b in trimmed if b > a]


def _plausible_place(ent) -> bool:
    """The small model calls many capitalised words places: form labels ("Departamento:"),
    sentence-initial verbs ("Refiere que"), airlines and institutions. Those are not."""
    words = ent.text.split()
    if not words or len(words) > 5 or not ent.text[:1].isupper() or any(c.isdigit() for c in ent.text):
        return False
    if any(fold(w) in NOT_PLACE_WORDS for w in words) or fold(words[0]) in _NOT_PLACE_FIRST:
        return False
    following = ent.doc[ent.end].text if ent.end < len(ent.doc) else ""
    if following == ":":
        return False  # a form's label
    first = ent[0]
    line_start = first.i == 0 or "\n" in ent.doc[first.i - 1].text_with_ws or ent.doc[first.i - 1].is_space
    if len(ent) == 1 and (first.is_sent_start or line_start or ent.text.isupper()):
        return False  # one capitalised word opening a sentence or a line, or a heading's word, is no evidence of a place
    return True


def _plausible_name(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 6 or any(c.isdigit() for c in name) or load_gazetteer().city(name):
        return False
    return all(looks_like_name_word(w) or fold(w) in ("de", "del", "la", "y") for w in words) and name[:1].isupper()


def _choose(finds: list[dict]) -> list[dict]:
    """Non-overlapping finds: higher priority first, then longer."""
    chosen: list[dict] = []
    # Taken spans never overlap, so sorted by start they are sorted by end too: a new find can only
    # overlap its two neighbours (a linear scan made long documents quadratic).
    starts: list[int] = []
    ends: list[int] = []
    for f in sorted(finds, key=lambda f: (_PRIORITY.get(f["method"], 5), -(f["end"] - f["start"]), f["start"])):
        at = bisect.bisect_right(starts, f["start"])
        if (at > 0 and ends[at - 1] > f["start"]) or (at < len(starts) and starts[at] < f["end"]):
            continue
        chosen.append(f)
        starts.insert(at, f["start"])
        ends.insert(at, f["end"])
    return sorted(chosen, key=lambda f: f["start"])


def extract_document(
    document_id: str,
    title: str,
    text: str,
    doc: Doc,
    media_type: str = "text/plain",
    page_starts: tuple[int, ...] = (),
    metadata: dict[str, str] | None = None,
    confidence_factor: float = 1.0,
) -> Extraction:
    """Mentions, entities and relationships of one document's text, already run through the
    pipeline as `doc`. `confidence_factor` scales every confidence (OCR text is less sure)."""
    extraction = Extraction(
        document_id=document_id, title=title, text=text, media_type=media_type,
        language=doc.user_data.get(LANGUAGE_KEY) or detect_language(text), page_starts=page_starts, metadata=dict(metadata or {}),
    )  # fmt: skip
    # Through nlp.pipe(n_process=N) user data comes back as lists: bounds must be tuples to bisect.
    bounds = [tuple(b) for b in doc.user_data.get(SENTENCES_KEY) or ()] or sentence_bounds(doc)
    chosen = _choose(_candidates(doc))
    rules = doc.user_data.get(RULES_KEY, [])
    aliases = [f for f in chosen if f["type"] == "Alias"]
    dates = [f for f in rules if f["type"] == "Date"]

    persons = _resolve_persons(text, chosen, aliases, bounds)
    person_spans = [(m.start, m.end) for m, _ in persons]
    for find in chosen:
        if find["type"] in (EntityType.PERSON, "Alias"):
            continue
        if find["type"] == EntityType.LOCATION and any(find["start"] < e and s < find["end"] for s, e in person_spans):
            continue  # an alias written alone ("El Paisa") the model took for a place; a surname that names one ("Cortés")
        sentence = sentence_at(bounds, find["start"])
        mention = _mention(text, find, sentence, confidence_factor)
        # A flight instance is carrier + number + date; the sentence's date when it has one.
        flight_date = _date_in(dates, sentence) if mention.type == EntityType.FLIGHT else None
        if flight_date:
            mention.key = f"{mention.normalized}@{flight_date}"
        extraction.mentions.append(mention)
        extraction.add_entity(_entity_for(mention, flight_date))
    person_words = [name_tokens(entity.label) for _, entity in persons]
    for mention, entity in persons:
        mention.confidence = round(mention.confidence * confidence_factor, 3)
        extraction.mentions.append(mention)
        extraction.add_entity(entity)
    # The model reads surnames as places ("Quintero Lasso"): a model-only place whose words
    # all belong to a person named in this document is that person, not a place.
    extraction.mentions = [
        m
        for m in extraction.mentions
        if not (m.type == EntityType.LOCATION and m.method == "spacy:ner" and any(name_tokens(m.text) <= words for words in person_words))
    ]
    extraction.entities = {
        ref: e
        for ref, e in extraction.entities.items()
        if ref.type != EntityType.LOCATION or any(m.type == EntityType.LOCATION and m.key == ref.key for m in extraction.mentions)
    }
    extraction.mentions.sort(key=lambda m: m.start)
    for relationship in find_relationships(text, extraction, bounds, dates):
        relationship.confidence = round(relationship.confidence * confidence_factor, 3)
        extraction.relationships.append(relationship)
    return extraction


def _date_in(dates: list[dict], sentence: tuple[int, int]) -> str | None:
    inside = [d for d in dates if sentence[0] <= d["start"] < sentence[1]]
    return inside[0]["value"] if inside else None


def _mention(text: str, find: dict, sentence: tuple[int, int], confidence_factor: float) -> ExtractedMention:
    # A span never starts or ends with white space ("KAREN  " from text with double spaces):
    # the stored mention is the words themselves, and the store checks them against the text.
    start, end = find["start"], find["end"]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return ExtractedMention(
        type=find["type"],
        text=text[start:end],
        normalized=find["value"],
        start=start,
        end=end,
        sentence_start=sentence[0],
        sentence_end=sentence[1],
        method=find["method"],
        confidence=round(find["confidence"] * confidence_factor, 3),
        key=fold(find["value"]) if find["type"] in (EntityType.LOCATION, EntityType.ORGANIZATION) else "",
        attributes={k: str(v) for k, v in find.get("attributes", {}).items()},
    )


def _entity_for(mention: ExtractedMention, flight_date: str | None = None) -> ExtractedEntity:
    attributes = mention.attributes
    label = mention.normalized
    properties: dict[str, Any] = {}
    match mention.type:
        case EntityType.PHONE:
            properties = phone_properties(mention.normalized)
        case EntityType.IDENTITY_DOCUMENT:
            label = mention.normalized.replace(":", " ")
            properties = {k: attributes[k] for k in ("type", "number", "country") if k in attributes}
        case EntityType.FLIGHT:
            label = flight_label(mention.normalized, flight_date)
            properties = {"flight": mention.normalized, "carrier": attributes.get("carrier", ""), "airline": attributes.get("airline", "")}
            if flight_date:
                properties["date"] = flight_date
        case EntityType.AIRPORT:
            label = f"{attributes.get('name', mention.normalized)} ({mention.normalized})"
            properties = {"iata": mention.normalized, "city": attributes.get("city", "")}
        case EntityType.BUS_TERMINAL:
            label = attributes.get("name", mention.normalized)
            properties = {"city": attributes.get("city", "")}
        case EntityType.LOCATION:
            properties = {"country": attributes["country"]} if "country" in attributes else {}
    return ExtractedEntity(mention.type, mention.key, label, [], properties)


# ----------------------------------------------------------------------------- persons


_APPOSITION_BLOCKERS = re.compile(r"\b(?:le|les|lo|que|quien|y|e|and|who|which)\b", re.I)


def _apposed(between: str) -> bool:
    """Whether an alias cue follows a name directly ("CARDONA, alias El Paisa") or after an
    apposition ("Carmen Beltrán, a Colombian national resident in Madrid, known as"), not a
    clause about someone else ("fue Yuliana quien le presentó a alias El Paisa")."""
    if re.fullmatch(r"[\s,;:(\-–]*", between):
        return True
    if re.fullmatch(r"\s*,\s*(?:a\s+quien|quien|al\s+que|a\s+la\s+que|(?:el|la|los|las)\s+que|que|who|whom)\b[^,.;]{0,60}", between, re.I):
        return True  # "Jhon Fredy Cardona, a quien en el barrio conocen como alias ...", "doña Adriana, la que le dicen ..."
    return between.lstrip().startswith(",") and len(between) <= 80 and not _APPOSITION_BLOCKERS.search(between)


def _resolve_persons(
    text: str, chosen: list[dict], aliases: list[dict], bounds: list[tuple[int, int]]
) -> list[tuple[ExtractedMention, ExtractedEntity]]:
    """Person mentions with the name each refers to within this document.

    A short form ("Cardona", "Jhon Fredy Cardona") refers to the one full name holding all
    its words; an alias belongs to the name just before it ("CARDONA RESTREPO JHON FREDY,
    alias 'El Paisa'") and, written alone later, refers to that person too. A one-word name
    that matches no full name is dropped: it is more often a misread word than a person.
    """
    results: list[tuple[ExtractedMention, ExtractedEntity]] = []
    taken = [(f["start"], f["end"]) for f in chosen if f["type"] not in (EntityType.PERSON, "Alias")]
    _named_persons(text, chosen, bounds, results, taken)
    alias_owner = _aliased_persons(text, aliases, bounds, results, taken)
    _alias_references(text, alias_owner, bounds, results, taken)
    return results


def _canonical_name(name: str, full_names: list[str]) -> str | None:
    """The full name a name refers to, the name itself, or None (a lone word fitting none)."""
    tokens = name_tokens(name)
    holders = [full for full in full_names if tokens <= name_tokens(full)]
    if not holders:
        # A lone given name ("Wilmer", "Karen") is how interviews name people.
        return name if len(tokens) == 1 and is_given_name(name) else None
    longest = len(name_tokens(holders[0]))
    best = [h for h in holders if len(name_tokens(h)) == longest]
    if len(best) == 1:
        return best[0]
    # Two persons fit equally ("Yurany Martínez" beside Yurany Valentina Martínez Sánchez and
    # Yurany Andrea Martínez Mosquera): a name of two words or more stays as written, for
    # entity resolution to weigh; a lone word is dropped.
    return name if len(tokens) >= 2 else None


def _named_persons(text: str, chosen: list[dict], bounds: list[tuple[int, int]], results: list, taken: list) -> None:
    person_finds = [f for f in chosen if f["type"] == EntityType.PERSON]
    names = [normalize_person_name(f["value"]) for f in person_finds]
    # Ties broken by the name itself: a set's order changes from one process to the next.
    full_names = sorted({n for n in names if len(name_tokens(n)) >= 2}, key=lambda n: (-len(name_tokens(n)), n))
    for find, name in zip(person_finds, names):
        if find["method"] == "rule:initials_name":
            target: str | None = find["value"]  # initials stand for a name the ruling withholds: kept as written
        else:
            target = _canonical_name(name, full_names)
        if target is None and find["method"] == "rule:titled_name":
            target = name  # "President Biden": the title says the lone word is a person's name
        if target is None:
            continue
        sentence = sentence_at(bounds, find["start"])
        mention = _mention(text, {**find, "value": target}, sentence, 1.0)
        mention.key = fold(target)
        results.append((mention, ExtractedEntity(EntityType.PERSON, fold(target), target)))
        taken.append((find["start"], find["end"]))


_NAMED_AFTER_ALIAS = re.compile(r"[\s,;]*(?:y\s+)?(?:se\s+llama(?:ba)?|de\s+nombre|cuyo\s+nombre\s+es|whose\s+name\s+is)\s+", re.I)


def _aliased_persons(text: str, aliases: list[dict], bounds: list[tuple[int, int]], results: list, taken: list) -> dict[str, str]:
    """Each alias as a mention of the name in apposition before it (or named just after it);
    returns the owner of each folded alias, for its later uses."""
    alias_owner: dict[str, str] = {}
    for alias in aliases:
        if any(alias["start"] < e and s < alias["end"] for s, e in taken):
            continue
        cue = int(alias["attributes"]["cue_start"])
        sentence = sentence_at(bounds, cue)
        before = [m for m, _ in results if sentence[0] <= m.start and m.end <= cue and _apposed(text[m.end : cue])]
        after = [
            m for m, _ in results
            if m.start >= alias["end"] and m.end <= sentence[1] and _NAMED_AFTER_ALIAS.fullmatch(text[alias["end"] : m.start])
        ]  # fmt: skip
        # With no name beside it, an alias the document already gave an owner is still that person.
        known = alias_owner.get(fold(alias["value"]))
        first = alias["attributes"].get("same_as")
        if first:  # the second of two aliases given together is the first one's person's
            known = alias_owner.get(fold(first), first)
        owner = before[-1].normalized if before else after[0].normalized if after else known or alias["value"]
        alias_owner[fold(alias["value"])] = owner
        mention = _mention(text, {**alias, "type": EntityType.PERSON, "value": owner}, sentence, 1.0)
        mention.key = fold(owner)
        mention.attributes = {"alias": alias["value"]}
        results.append(
            # An alias with no name beside it is its own entity's alias too: resolution compares it as an alias, not a name.
            (mention, ExtractedEntity(EntityType.PERSON, fold(owner), owner, [alias["value"]]))
        )
        taken.append((alias["start"], alias["end"]))
    return alias_owner


def _alias_references(text: str, alias_owner: dict[str, str], bounds: list[tuple[int, int]], results: list, taken: list) -> None:
    """The alias written alone later ("El Paisa les dijo ...") names the same person."""
    # Matched in the folded text, then mapped back: folding may change the text's length
    # ("—" folds to "--"), and an offset into the folded text would point elsewhere in the text.
    if not alias_owner:
        return
    folded_text, starts = fold_with_offsets(text)
    for folded_alias, owner in alias_owner.items():
        for match in re.finditer(r"(?<!\w)" + re.escape(folded_alias) + r"(?!\w)", folded_text):
            start, end = original_span(starts, match.start(), match.end())
            if fold(text[start:end]) != folded_alias or any(start < e and s < end for s, e in taken):
                continue
            sentence = sentence_at(bounds, start)
            find = {
                "type": EntityType.PERSON,
                "value": owner,
                "start": start,
                "end": end,
                "method": "rule:alias_reference",
                "confidence": 0.7,
            }
            mention = _mention(text, find, sentence, 1.0)
            mention.key = fold(owner)
            mention.attributes = {"alias": text[start:end]}
            results.append((mention, ExtractedEntity(EntityType.PERSON, fold(owner), owner)))
            taken.append((start, end))
