"""Text folding: the accent- and case-insensitive form that search, matching and the
gazetteer compare, so "PÉREZ" and "perez" meet."""

from __future__ import annotations

import functools
import re
import unicodedata

from unidecode import unidecode

_COMBINING_MARKS = re.compile("[\u0300-\u036f]")
# Any character but ASCII and the accented Latin letters that fold to exactly one letter.
_FOLDS_TO_OTHER_LENGTH = re.compile(
    "[^\x00-\x7f\u00c0-\u00c5\u00c7-\u00cf\u00d1-\u00d6\u00d9-\u00dd\u00e0-\u00e5\u00e7-\u00ef\u00f1-\u00f6\u00f9-\u00fd\u00ff]"
)


def fold(text: str) -> str:
    """Accent- and case-insensitive form used for search: "PÉREZ" and "perez" meet here.

    Stripping combining marks after NFKD covers Spanish (and most Latin-script) text in C;
    unidecode transliterates whatever is left (other scripts, ligatures, symbols).
    """
    if text.isascii():
        return text.lower()
    stripped = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not stripped.isascii():
        # unidecode reads a character at a time in Python; a document's text (a search hit's
        # snippet folds up to 200,000 characters) holds few distinct ones, each looked up once.
        stripped = stripped.translate({ord(ch): _transliterated(ch) for ch in set(_NON_ASCII.findall(stripped))})
    return stripped.lower()


_NON_ASCII = re.compile("[^\x00-\x7f]")


@functools.lru_cache(maxsize=8192)
def _transliterated(char: str) -> str:
    return unidecode(char)


def search_terms(query: str) -> list[str]:
    """Words of a user's query, folded, with every character that means something to a
    query language dropped, so user text can never become query syntax."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(query)).split()
    return [w for w in words if w][:12]


# A number as analysts type it: digits in groups split by spaces, dots, hyphens, parentheses or a
# plus ("(310) 456 78 21", "1.094.567.890", "+57 310-456-7821"); a slash (dates) splits numbers.
# A code with letters in it ("G33445566", "AV204") is a word, not a number.
_WRITTEN_NUMBER = re.compile(r"(?<!\w)\+?\(?\d[\d.\-() ]*\d\)?(?!\w)")
# Partial numbers shorter than this find too much to mean anything.
MIN_NUMBER_DIGITS = 7
_DIGIT_RUNS = re.compile(r"\d+")


def entity_search_terms(query: str) -> list[str]:
    """search_terms for entity names, with a number written in groups read as one number, so
    phones and ID numbers are found however they are written."""

    def one_number(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group())
        return f" {digits} " if len(digits) >= MIN_NUMBER_DIGITS else match.group()

    joined = _WRITTEN_NUMBER.sub(one_number, query)
    return search_terms(joined)


def number_suffixes(text: str) -> list[str]:
    """The tails of every number of MIN_NUMBER_DIGITS digits or more in text: indexed with a
    phone's or an ID's name, a prefix search on them finds any run of 7 or more of its digits."""
    tails = []
    for number in _DIGIT_RUNS.findall(text):
        tails += [number[i:] for i in range(1, len(number) - MIN_NUMBER_DIGITS + 1)]
    return tails


def own_score(terms: list[str], text: str) -> float:
    """How well a text matches the query's words, from that text alone (no statistics of other
    texts, which may belong to cases the reader cannot see): each word's occurrences as a word or
    a word's start, saturating, whole words worth more; shorter texts a little ahead."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(text)).split()
    score = 0.0
    for term in terms:
        whole = sum(w == term for w in words)
        starts = sum(w.startswith(term) for w in words)
        score += whole / (whole + 1.2) + 0.5 * starts / (starts + 1.2)
    return round(score - 0.001 * len(words), 6)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold` of the text, with where each folded character came from: `starts[i]` is the offset
    in `text` of the character that folded character i comes from, and `starts[len(folded)]` is
    `len(text)`. Folding may change the length ("—" becomes "--", a combining accent vanishes), so
    a match found in the folded text is mapped back through this before it indexes the text."""
    if text.isascii() or not _FOLDS_TO_OTHER_LENGTH.search(text):
        # ASCII and Spanish accented letters fold one character to one: offsets stay as they are.
        return fold(text), list(range(len(text) + 1))
    pieces: list[str] = []
    starts: list[int] = []
    for offset, char in enumerate(text):
        folded = fold(char)
        pieces.append(folded)
        starts.extend([offset] * len(folded))
    starts.append(len(text))
    return "".join(pieces), starts


def original_span(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of `text` that the folded span [start, end) comes from."""
    return starts[start], (starts[end - 1] + 1 if end > start else starts[start])


# Function words that tell the two languages of the case files apart.
_ENGLISH = frozenset("the and of to was were with from her his she he they on at by for this that which".split())
_SPANISH = frozenset("el la los las de del que y en por con su se fue para una un al lo como".split())


def detect_language(text: str) -> str:
    """ "es" or "en" by function words; Spanish when in doubt (the case files' language)."""
    words = re.findall(r"[a-záéíóúñ]+", text[:20000].lower())
    english = sum(w in _ENGLISH for w in words)
    spanish = sum(w in _SPANISH for w in words)
    return "en" if english > spanish * 1.2 else "es"
