"""Dates as case files write them, to ISO 8601.

"12 de marzo de 2018", "12 de marzo del 2018", "marzo 12 de 2018", "12/03/2018" (day
first, as in Colombia), "2018-03-12", "12-mar-2018", "March 12, 2018", "12 March 2018".
A date without a year ("el 14 de marzo") takes the year of the last full date before it,
or the document's year when given.
"""

from __future__ import annotations

import re
from datetime import date

from backend.domain.normalize import Found
from backend.domain.text import fold

MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "ene": 1, "feb": 2, "mar": 3, "abr": 4, "jun": 6, "jul": 7, "ago": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dic": 12, "jan": 1, "apr": 4, "aug": 8, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"

_PATTERNS = [
    # 12 de marzo de 2018 / 12 de marzo del 2018 / 12 de marzo (year inferred)
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:º|°)?\s+de\s+(?P<month>{_MONTH})\.?(?:\s+(?:de|del)\s+(?P<year>{_YEAR}))?\b", re.I),
    # marzo 12 de 2018 / March 12, 2018
    re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?:de\s+)?(?P<year>{_YEAR}))\b", re.I),
    # 12 March 2018 / 12-mar-2018 / 12 mar. 2018
    re.compile(rf"\b(?P<day>\d{{1,2}})[\s-](?P<month>{_MONTH})\.?[\s-](?P<year>{_YEAR})\b", re.I),
    # 2018-03-12
    re.compile(rf"\b(?P<year>{_YEAR})-(?P<nmonth>\d{{1,2}})-(?P<day>\d{{1,2}})\b"),
    # 12/03/2018, 12-03-2018, 12.03.2018 (day first)
    re.compile(rf"\b(?P<day>\d{{1,2}})[/.-](?P<nmonth>\d{{1,2}})[/.-](?P<year>{_YEAR})\b"),
]


# Numbers in words, as legal documents write days and years: "trece (13) de marzo de dos mil
# veinticuatro (2024)", "el quince de marzo", "primero de abril".
_UNITS = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "primero": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiun": 21, "veintiuno": 21,
    "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300,
    "cuatrocientos": 400, "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800,
    "novecientos": 900,
}  # fmt: skip
_ACCENTED = {
    "dieciseis": "dieciséis",
    "veintiun": "veintiún",
    "veintidos": "veintidós",
    "veintitres": "veintitrés",
    "veintiseis": "veintiséis",
}
_NUMBER_WORD = "(?:" + "|".join(sorted({*_UNITS, *_ACCENTED.values(), "mil"}, key=len, reverse=True)) + ")"
_NUMBER_WORDS = rf"{_NUMBER_WORD}(?:\s+(?:y\s+)?{_NUMBER_WORD}){{0,5}}"
_WORD_DATE = re.compile(
    rf"\b(?P<dayw>{_NUMBER_WORD}(?:\s+y\s+{_NUMBER_WORD})?)\b(?:\s*\(\s*(?P<dayn>\d{{1,2}})\s*\))?\s+de\s+(?P<month>{_MONTH})\b"
    rf"(?:\s+(?:de|del)\s+(?:(?P<year>{_YEAR})\b|(?P<yearw>{_NUMBER_WORDS})\b(?:\s*\(\s*(?P<yearn>{_YEAR})\s*\))?))?",
    re.I,
)


def number_in_words(text: str) -> int | None:
    """A Spanish number written in words ("trece", "treinta y uno", "dos mil veinticuatro",
    "mil novecientos noventa y ocho"), or None if the words are not one."""
    words = [w for w in fold(text).split() if w != "y"]
    if not words:
        return None
    total, current = 0, 0
    for word in words:
        if word == "mil":
            total += (current or 1) * 1000
            current = 0
        elif word in _UNITS:
            current += _UNITS[word]
        else:
            return None
    return total + current


def _word_dates(text: str, hits: list[tuple[int, int, dict]]) -> None:
    for match in _WORD_DATE.finditer(text):
        day = int(match.group("dayn")) if match.group("dayn") else number_in_words(match.group("dayw"))
        if day is None or not 1 <= day <= 31:
            continue
        year = match.group("year") or match.group("yearn")
        if year is None and match.group("yearw"):
            written = number_in_words(match.group("yearw"))
            year = str(written) if written is not None and 1900 <= written <= 2099 else None
        end = match.end() if year else match.end("month")
        hits.append((match.start(), end, {"day": str(day), "month": match.group("month"), "year": year, "text": text[match.start() : end]}))


def find_dates(text: str, default_year: int | None = None) -> list[Found]:
    """Every date in the text with its ISO value, in text order."""
    hits: list[tuple[int, int, dict]] = []
    _word_dates(text, hits)
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end, _ in hits):
                continue
            hits.append((match.start(), match.end(), {**match.groupdict(), "text": match.group(0)}))
    found = []
    last_year = default_year
    for start, end, groups in sorted(hits, key=lambda h: h[0]):
        month = int(groups["nmonth"]) if groups.get("nmonth") else MONTHS[fold(groups["month"]).rstrip(".")]
        year = int(groups["year"]) if groups.get("year") else last_year
        if year is None:
            continue
        try:
            value = date(year, month, int(groups["day"]))
        except ValueError:
            continue
        if groups.get("year"):
            last_year = year
        found.append(Found(start, end, groups["text"], value.isoformat()))
    return found


def parse_date(text: str) -> str | None:
    """One cell's date ("12/03/2018", "2018-03-12 22:15", "12 de marzo de 2018") as ISO;
    a time after the date is kept ("2018-03-12T22:15:00")."""
    text = text.strip()
    if not text:
        return None
    found = find_dates(text)
    if not found:
        return None
    day = found[0]
    rest = text[day.end :]
    clock = re.match(r"\s*(?:T|\s|,|a las)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", rest, re.I)
    if clock:
        hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        meridiem = (clock.group(4) or "").lower().replace(".", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        if meridiem == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and second < 60:
            return f"{day.value}T{hour:02d}:{minute:02d}:{second:02d}"
    return day.value
