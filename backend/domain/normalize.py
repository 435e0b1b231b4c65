"""Finding and normalising the values that have one right form: phones, identity documents,
flights. Each finder returns spans into the text it was given, so every value can be cited.

Phones go to E.164 with `phonenumbers` (default region CO); identity documents to a type and
a digits-only number; flights to IATA carrier + number without leading zeros.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType

DEFAULT_REGION = "CO"


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str  # as written
    value: str  # normalised: E.164, "CC:1088234567", "AV10"
    attributes: tuple[tuple[str, str], ...] = ()

    def attribute(self, name: str) -> str | None:
        return dict(self.attributes).get(name)

    @classmethod
    def from_match(cls, match: re.Match, value: str, **attributes: str) -> "Found":
        return cls(match.start(), match.end(), match.group(0), value, tuple(attributes.items()))


# ----------------------------------------------------------------------------- phones

_PHONE_KIND = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline_or_mobile",
    PhoneNumberType.VOIP: "voip",
    # Numbers of a service, not of a person: toll-free lines, shared-cost and premium numbers.
    PhoneNumberType.TOLL_FREE: "service",
    PhoneNumberType.SHARED_COST: "service",
    PhoneNumberType.PREMIUM_RATE: "service",
    PhoneNumberType.UAN: "service",
}


# "0034 612 345 678": the European "00" international prefix, which Colombian dialling
# does not use (it needs a carrier digit), so phonenumbers reads it as no number at all.
_DOUBLE_ZERO = re.compile(r"(?<![\d+])00(?=[1-9])([\d][\d\s.-]{7,16}\d)")


def _phone_found(start: int, end: int, raw: str, number) -> Found:
    return Found(
        start=start,
        end=end,
        text=raw,
        value=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        attributes=(
            ("country", phonenumbers.region_code_for_number(number) or ""),
            ("kind", _PHONE_KIND.get(phonenumbers.number_type(number), "other")),
        ),
    )


# Numbers recur: a call record names the same lines thousands of times, and phonenumbers' parse
# and type lookup cost over 100 µs a number, a third of reading a call-record table. Bounded,
# since a national ingest sees millions of numbers.
NUMBERS_KEPT = 1 << 18


def phone_properties(e164: str) -> dict[str, str]:
    """What a phone entity says of its number wherever it was read (a sentence, a CDR row): its
    E.164 form, country and kind, so a number read from two sources is the same entity."""
    country, kind = _country_and_kind(e164)
    return {"e164": e164, "country": country, "kind": kind}


@lru_cache(maxsize=NUMBERS_KEPT)
def _country_and_kind(e164: str) -> tuple[str, str]:
    number = phonenumbers.parse(e164)
    return phonenumbers.region_code_for_number(number) or "", _PHONE_KIND.get(phonenumbers.number_type(number), "other")


@lru_cache(maxsize=NUMBERS_KEPT)
def _valid_colombian_mobile(national: str) -> str | None:
    number = phonenumbers.parse(national, "CO")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164) if phonenumbers.is_valid_number(number) else None


def find_phones(text: str, region: str = DEFAULT_REGION) -> list[Found]:
    """Valid phone numbers, national ones read as `region`'s; foreign ones keep their country."""
    found = [_phone_found(m.start, m.end, m.raw_string, m.number) for m in PhoneNumberMatcher(text, region, leniency=Leniency.VALID)]
    for match in _DOUBLE_ZERO.finditer(text):
        if any(match.start() < f.end and f.start < match.end() for f in found):
            continue
        try:
            number = phonenumbers.parse("+" + match.group(1), None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            found.append(_phone_found(match.start(), match.end(), match.group(0), number))
    return sorted(found, key=lambda f: f.start)


_COLOMBIAN_MOBILE = re.compile(r"(?:\+?57)?(3\d{9})")


def normalize_phone(text: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 of one number written any usual way, or None if it is not a valid number."""
    text = text.strip()
    digits = re.sub(r"[\s().-]", "", text)
    mobile = _COLOMBIAN_MOBILE.fullmatch(digits) if region == "CO" else None
    if mobile and digits[:1] != "0":
        # The common case, without phonenumbers' full parse (it costs ~100 µs a number);
        # validity is still phonenumbers' word: ranges of 3xx not in service are refused.
        return _valid_colombian_mobile(mobile.group(1))
    if text.startswith("00") and text[2:3].isdigit() and text[2] != "0":
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalize_msisdn(text: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 of a number as operators write it in call records and subscriber lists: in
    international form, often without "+" ("529982147730", "573104567821"). A run of digits
    longer than any national number of the region is read as international first."""
    digits = re.sub(r"[\s().-]", "", text.strip())
    if digits.isdigit() and len(digits) > _LONGEST_NATIONAL.get(region, 10) and digits[0] != "0":
        international = normalize_phone("+" + digits, region)
        if international is not None:
            return international
    return normalize_phone(text, region)


# The most digits a national number has, per region: a longer run of digits is international.
_LONGEST_NATIONAL = {"CO": 10}


# ----------------------------------------------------------------------------- identity documents

# Digits grouped by dots, commas or spaces as people write them ("1.088.234.567").
_GROUPED_DIGITS = r"\d{1,3}(?:[.,\s]\d{3}){1,3}|\d{6,10}"

_ID_PATTERNS: list[tuple[str, str, re.Pattern]] = [
    (
        "CC",
        "CO",
        re.compile(
            r"\b(?:C\.?\s?C\.?|c[ée]dula(?:\s+de\s+ciudadan[íi]a)?)(?:\s+(?:No\.?|N[°º]\.?|n[úu]mero))?[\s:.]*"
            rf"(?P<number>{_GROUPED_DIGITS})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "CE",
        "CO",
        re.compile(
            r"\b(?:C\.?\s?E\.?|c[ée]dula\s+de\s+extranjer[íi]a)(?:\s+(?:No\.?|N[°º]\.?))?[\s:.]*"
            rf"(?P<number>{_GROUPED_DIGITS})\b",
            re.IGNORECASE,
        ),
    ),
    ("VE_CI", "VE", re.compile(rf"\b[VE]-\s?(?P<number>{_GROUPED_DIGITS})\b")),
    (
        "PASSPORT",
        "",
        re.compile(
            r"\b(?:pasaporte|passport)(?:\s+(?:No\.?|N[°º]\.?|n[úu]mero|number))?[\s:.]*(?P<number>[A-Z]{1,3}\d{5,9})\b", re.IGNORECASE
        ),
    ),
    (
        "PEP",
        "CO",
        re.compile(r"\b(?:PEP|PPT)(?:\s+(?:No\.?|N[°º]\.?))?[\s:.]*(?P<number>\d{6,15})\b"),
    ),
]


def find_identity_documents(text: str) -> list[Found]:
    """Colombian cédulas (CC, CE), Venezuelan cédulas, passports and PEP/PPT permits.

    A Colombian passport number ("AT123456") is a passport of country CO; other passports
    keep an empty country until the sentence says more.
    """
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for kind, country, pattern in _ID_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            number = re.sub(r"\D", "", match.group("number")) if kind != "PASSPORT" else match.group("number").upper()
            if kind in ("CC", "CE", "VE_CI") and not 6 <= len(number) <= 10:
                continue
            issuing = country or ("CO" if re.fullmatch(r"[A-Z]{2}\d{6}", number) else "")
            found.append(Found.from_match(match, f"{kind}:{number}", type=kind, number=number, country=issuing))
            taken.append((match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


# ----------------------------------------------------------------------------- flights

AIRLINES = {
    "AV": ("Avianca",),
    "LA": ("LATAM", "Latam"),
    "4C": ("LATAM Colombia",),
    "CM": ("Copa", "Copa Airlines"),
    "P5": ("Wingo",),
    "JA": ("JetSMART", "JetSmart"),
    "IB": ("Iberia",),
    "UX": ("Air Europa",),
    "9R": ("Satena",),
    "AA": ("American", "American Airlines"),
    "TK": ("Turkish", "Turkish Airlines"),
}
# Codes that are also Spanish words; with a short number they are read as flights only
# after "vuelo".
_SPANISH_WORD_CODES = {"LA"}
_NAME_TO_CODE = {name.lower(): code for code, names in AIRLINES.items() for name in names}
_CODES = "|".join(sorted(AIRLINES, key=len, reverse=True))
_NAMES = "|".join(sorted((re.escape(n) for names in AIRLINES.values() for n in names), key=len, reverse=True))
_FLIGHT = re.compile(
    rf"\b(?:(?P<code>{_CODES})\s?-?\s?|(?P<name>{_NAMES})\s+(?:vuelo\s+)?)(?P<number>\d{{1,4}})\b(?![.,]\d)",
)


def find_flights(text: str) -> list[Found]:
    """Flight numbers written with an IATA carrier code ("AV 010", "AV10", "CM-394") or an
    airline's name ("Avianca 010"). AV 010 and AV10 are the same flight: "AV10"."""
    found = []
    for match in _FLIGHT.finditer(text):
        code = match.group("code") or _NAME_TO_CODE[match.group("name").lower()]
        digits = match.group("number")
        said_flight = re.search(r"vuelo\s*$", text[max(0, match.start() - 12) : match.start()], re.IGNORECASE)
        if code in _SPANISH_WORD_CODES and match.group("code") and len(digits) < 3 and not said_flight:
            continue  # "LA 12 DE MARZO" in a report written in capitals is a date, not LATAM 12
        number = str(int(digits))
        found.append(Found.from_match(match, f"{code}{number}", carrier=code, number=number, airline=AIRLINES[code][0]))
    found += _flights_of_an_airline_named_before(text, found)
    return sorted(found, key=lambda f: f.start)


# "flight 2260", "el vuelo número 254": a flight number without its carrier, which the paragraph
# named before ("… Spirit Airlines … flight 2260").
_BARE_FLIGHT = re.compile(r"\b(?:vuelo|flight)(?:\s+(?:n[oº°]\.?|n[uú]mero|number|#))?\s*(?P<number>\d{2,4})\b(?![.,/-]?\d)", re.I)
_AIRLINE_NAMED = re.compile(rf"\b(?P<name>{_NAMES})\b", re.I)


def _flights_of_an_airline_named_before(text: str, found: list[Found]) -> list[Found]:
    more = []
    for match in _BARE_FLIGHT.finditer(text):
        if any(match.start() < f.end and f.start < match.end() for f in found):
            continue
        paragraph_start = text.rfind("\n\n", 0, match.start()) + 1
        named = list(_AIRLINE_NAMED.finditer(text, paragraph_start, match.start()))
        if not named:
            continue
        code = _NAME_TO_CODE[named[-1].group("name").lower()]
        number = str(int(match.group("number")))
        more.append(Found.from_match(match, f"{code}{number}", carrier=code, number=number, airline=AIRLINES[code][0]))
    return more


# ----------------------------------------------------------------------------- e-mail addresses

_EMAIL = re.compile(r"\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")


def find_emails(text: str) -> list[Found]:
    """E-mail addresses, lower-cased: "Paisa.Viajes@Gmail.com" is "paisa.viajes@gmail.com"."""
    return [Found.from_match(m, m.group(0).lower()) for m in _EMAIL.finditer(text)]
