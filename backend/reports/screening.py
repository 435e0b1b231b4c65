"""Screening as the pages show it: each flag with its rows, its standing review and what it
matched, seen through the user's compartment (a match in a case the user cannot see is said to
exist, never named); reviews and watchlist entries recorded with who, when and why."""

from __future__ import annotations

from pydantic import BaseModel

from backend.analysis.screening import watch_key
from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import stable_id, utc_stamp
from backend.domain.screening import Flag, FlagReview, Indicator, ReviewDecision, TravelRow, WatchAlert, WatchEntry, WatchKind
from backend.store.interface import GraphStore
from backend.store.screening import Screenings

HIDDEN_MATCH = (
    "coincide con un registro de un caso al que usted no tiene acceso; consulte al analista de ese caso",
    "matches a record of a case you have no access to; ask that case's analyst",
)


class FlagView(BaseModel):
    flag: Flag
    document_title: str
    rows: list[TravelRow]
    review: FlagReview | None
    status: str  # "open", "confirmed", "dismissed"


def _case_ids(store: GraphStore, case: str | None) -> list[str]:
    cases = [c.id for c in store.cases()]
    if case:
        wanted = store.record_case(case)
        return [c for c in cases if c == wanted]
    return cases


def flag_views(store: GraphStore, screenings: Screenings, case: str | None = None, status: str = "open") -> list[FlagView]:
    case_ids = _case_ids(store, case)
    standing = screenings.standing_reviews(case_ids)
    views, rows_of = [], {}
    for flag in screenings.flags(case_ids):
        review = standing.get(flag.id)
        state = str(review.decision) if review else "open"
        if status != "all" and state != status:
            continue
        key = (flag.case_id, flag.document_id)
        if key not in rows_of:
            rows_of[key] = screenings.rows_of(*key)
        try:
            title = store.get_document(flag.document_id).title
        except NotFoundError:  # a list the user cannot see (or no longer stored): its flag is not shown
            continue
        views.append(FlagView(flag=_seen(store, flag), document_title=title, rows=[rows_of[key][r] for r in flag.rows if r in rows_of[key]],
                              review=review, status=state))  # fmt: skip
    return sorted(views, key=lambda v: (-v.flag.score, v.flag.at, v.flag.id))


def _seen(store: GraphStore, flag: Flag) -> Flag:
    """A known-entity flag as the user may see it: matches out of the user's sight are not named."""
    if flag.indicator is not Indicator.KNOWN or not flag.entity_ids:
        return flag
    visible = set(store.entity_types(flag.entity_ids))
    if visible >= set(flag.entity_ids):
        return flag
    watched = [i for i, r in enumerate(flag.reasons) if "lista de vigilancia" in r]
    reasons = [flag.reasons[i] for i in watched] + [HIDDEN_MATCH[0]]
    reasons_en = [flag.reasons_en[i] for i in watched if i < len(flag.reasons_en)] + [HIDDEN_MATCH[1]]
    return flag.model_copy(update={"reasons": reasons, "reasons_en": reasons_en, "entity_ids": sorted(visible & set(flag.entity_ids))})


def review_flag(store: GraphStore, screenings: Screenings, flag_id: str, decision: str, user: str, reason: str) -> FlagReview:
    flag = screenings.flag(flag_id, _case_ids(store, None))
    try:
        chosen = ReviewDecision(decision)
    except ValueError:
        raise InvalidRecordError("review", None, f"decision must be one of {[d.value for d in ReviewDecision]}") from None
    at = utc_stamp()
    review = FlagReview(id="review:" + stable_id(flag.id, chosen, user, at)[:24], flag_id=flag.id, case_id=flag.case_id, decision=chosen,
                        by=f"user:{user}", at=at, reason=reason.strip())  # fmt: skip
    return screenings.add_review(review)


def add_watch(store: GraphStore, screenings: Screenings, case: str | None, kind: str, value: str, user: str, reason: str) -> WatchEntry:
    case_id = store.record_case(case, "watchlist")
    if case_id is None:
        raise InvalidRecordError("watchlist", None, "a watchlist belongs to a case, and there is no case yet")
    try:
        chosen = WatchKind(kind)
    except ValueError:
        raise InvalidRecordError("watchlist", None, f"kind must be one of {[k.value for k in WatchKind]}") from None
    key = watch_key(chosen, value)
    if not key:
        raise InvalidRecordError("watchlist", None, f"{value!r} gives nothing to compare as a {chosen.value}")
    at = utc_stamp()
    entry = WatchEntry(id="watch:" + stable_id(case_id, chosen, key, user, at)[:24], case_id=case_id, kind=chosen, value=value.strip(),
                       key=key, by=f"user:{user}", at=at, reason=reason.strip())  # fmt: skip
    return screenings.add_watch(entry)


def lift_watch(store: GraphStore, screenings: Screenings, entry_id: str, user: str, reason: str) -> WatchEntry:
    if not reason.strip():
        raise InvalidRecordError("watchlist", None, "say why the entry is lifted (a reason is required)")
    entry = next((e for e in screenings.watchlist(_case_ids(store, None)) if e.id == entry_id), None)
    if entry is None:
        raise NotFoundError("watchlist entry", entry_id)
    at = utc_stamp()
    lifted = entry.model_copy(update={"id": "watch:" + stable_id(entry.id, "lift", user, at)[:24], "by": f"user:{user}", "at": at,
                                      "reason": reason.strip(), "lifts": entry.id})  # fmt: skip
    return screenings.add_watch(lifted)


def watchlist(store: GraphStore, screenings: Screenings, case: str | None = None) -> list[WatchEntry]:
    return screenings.watchlist(_case_ids(store, case))


def alerts(store: GraphStore, screenings: Screenings, case: str | None = None) -> list[WatchAlert]:
    """Alerts on documents the user can see."""
    found = screenings.alerts(_case_ids(store, case))
    visible = set(store.entity_types({a.entity_id for a in found if a.entity_id}))
    return [a for a in found if a.entity_id in visible]
