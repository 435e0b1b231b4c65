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


def find_dates(text: str, default_year: int | None = None) -> list[Found]:
    """Every date in the text with its ISO value, in text order."""
    hits: list[tuple[int, int, re.Match]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end, _ in hits):
                continue
            hits.append((match.start(), match.end(), match))
    found = []
    last_year = default_year
    for start, end, match in sorted(hits, key=lambda h: h[0]):
        groups = match.groupdict()
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
        found.append(Found(start, end, match.group(0), value.isoformat()))
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
