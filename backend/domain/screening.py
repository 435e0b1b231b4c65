"""Screening at transit points, as data: a row of a bus-ticket list or a flight manifest as the
indicators read it, the indicators first responders use, the flags they raise and the reviews
and watchlist entries analysts record (append-only, with who, when and why, per case).

The indicators (backend.analysis.screening computes them):
- known: a passenger, buyer, phone or ID already in a case or on the case's watchlist;
- buyer_young_women: one buyer (or one buyer's phone) paying one-way tickets for several young
  women who are not their relatives;
- minor_unrelated_adult: a minor travelling with adults none of whom is a relative by surname
  or by record;
- repeated_escort: the same adult on repeated trips, each time with different young women;
- late_booking: a one-way ticket bought shortly before departure to a border city, abroad, or
  to a destination of a known case.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.domain.model import stable_id, utc_stamp


class Indicator(StrEnum):
    KNOWN = "known"
    BUYER_YOUNG_WOMEN = "buyer_young_women"
    MINOR_UNRELATED_ADULT = "minor_unrelated_adult"
    REPEATED_ESCORT = "repeated_escort"
    LATE_BOOKING = "late_booking"


class ReviewDecision(StrEnum):
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    REOPENED = "reopened"  # withdraws the review before it; the flag is open again


class WatchKind(StrEnum):
    PERSON = "person"
    PHONE = "phone"
    ID = "id"


class TravelRow(BaseModel):
    """One passenger on one departure, as a ticket list or a manifest gives it."""

    model_config = ConfigDict(frozen=True)

    document_id: str
    row: int  # as the spreadsheet numbers it
    passenger: str
    departure: str  # ISO date or date and time
    origin: str
    destination: str
    id_number: str | None = None
    sex: str | None = None  # "F" or "M"
    age: int | None = None  # at departure: said, or from the date of birth
    phone: str | None = None  # E.164 when it reads as a number
    buyer: str | None = None
    buyer_phone: str | None = None
    booked_at: str | None = None
    one_way: bool | None = None
    booking: str | None = None  # booking reference / sale number
    service: str | None = None  # flight or bus company

    @property
    def day(self) -> str:
        return self.departure[:10]


class Flag(BaseModel):
    """Rows that match an indicator, with why in words and a score in [0, 1]."""

    id: str
    case_id: str
    indicator: Indicator
    document_id: str
    rows: list[int]
    passengers: list[str]
    score: float = Field(ge=0, le=1)
    reasons: list[str]  # in Spanish
    reasons_en: list[str] = []  # the same, in English
    entity_ids: list[str] = []  # what of a case it matched (known)
    at: str

    @classmethod
    def new(cls, case_id: str, indicator: Indicator, document_id: str, rows: list[int], passengers: list[str], score: float,
            reasons: list[tuple[str, str]], entity_ids: list[str] | None = None, at: str | None = None) -> "Flag":  # fmt: skip
        """`reasons`: each in Spanish and in English."""
        ordered = sorted(set(rows))
        return cls(id="flag:" + stable_id(case_id, indicator, document_id, *ordered)[:24], case_id=case_id, indicator=indicator,
                   document_id=document_id, rows=ordered, passengers=passengers, score=round(min(1.0, max(0.0, score)), 3),
                   reasons=[es for es, _ in reasons], reasons_en=[en for _, en in reasons], entity_ids=sorted(set(entity_ids or ())), at=at or utc_stamp())  # fmt: skip


class FlagReview(BaseModel):
    id: str
    flag_id: str
    case_id: str
    decision: ReviewDecision
    by: str
    at: str
    reason: str = Field(default="", max_length=2000)

    @field_validator("by")
    @classmethod
    def _by(cls, value: str) -> str:
        if not value.startswith("user:") or len(value) < 6:
            raise ValueError('by must be "user:NAME"')
        return value


class WatchEntry(BaseModel):
    """Someone or something to watch for in a case: new data that mentions it raises an alert.
    Lifting an entry is a later entry that `lifts` it."""

    id: str
    case_id: str
    kind: WatchKind
    value: str  # as the analyst wrote it
    key: str  # as it is compared: a folded name, an E.164 number, the ID's digits
    by: str
    at: str
    reason: str = Field(default="", max_length=2000)
    lifts: str | None = None


class WatchAlert(BaseModel):
    """New data that mentions a watched person, phone or ID: a document read after the entry
    was made, or a screened row."""

    entry_id: str
    case_id: str
    kind: WatchKind
    value: str
    entity_id: str | None = None
    entity_label: str | None = None
    document_id: str
    document_title: str
    seen_at: str  # when the document was read
