"""Routes of screening at transit points: the flags raised on ticket lists and manifests, their
review (confirm, dismiss with a reason, reopen), the watchlist of each case and its alerts.
Thin wrappers over backend.reports.screening."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from backend.domain.screening import FlagReview, ReviewDecision, WatchAlert, WatchEntry, WatchKind
from backend.reports import screening
from backend.reports.screening import FlagView
from backend.store.screening import Screenings
from backend.web.auth import acting_user
from backend.web.deps import user_store
from backend.web.params import UserName

router = APIRouter(tags=["screening"])
CaseId = Annotated[str | None, Query(max_length=200, description="The case (id or name); default: every case of the user.")]


class Review(BaseModel):
    decision: ReviewDecision
    user: UserName
    reason: str = Field(default="", max_length=2000)


class NewWatch(BaseModel):
    kind: WatchKind
    value: str = Field(min_length=1, max_length=300)
    user: UserName
    reason: str = Field(default="", max_length=2000)
    case_id: Annotated[str | None, Field(default=None, max_length=200)] = None


class LiftWatch(BaseModel):
    user: UserName
    reason: str = Field(min_length=1, max_length=2000)


def _screenings(request: Request) -> Screenings:
    return request.app.state.screenings


@router.get("/api/screening/flags")
def flags(request: Request, case_id: CaseId = None, status: Literal["open", "confirmed", "dismissed", "all"] = "open") -> list[FlagView]:
    """Rows of ticket lists and manifests that match an indicator, highest score first, each with its rows and review."""
    return screening.flag_views(user_store(request), _screenings(request), case_id, status)


@router.post("/api/screening/flags/{flag_id}/review", status_code=201)
def review(request: Request, flag_id: str, body: Review) -> FlagReview:
    """Confirm a flag, dismiss it (say why) or reopen it; every review is kept."""
    return screening.review_flag(
        user_store(request), _screenings(request), flag_id, body.decision, acting_user(request, body.user), body.reason
    )


@router.get("/api/watchlist")
def watched(request: Request, case_id: CaseId = None) -> list[WatchEntry]:
    return screening.watchlist(user_store(request), _screenings(request), case_id)


@router.post("/api/watchlist", status_code=201)
def watch(request: Request, body: NewWatch) -> WatchEntry:
    """Watch for a person, a phone or an ID in a case: new data that mentions it raises an alert, a list that carries it a flag."""
    return screening.add_watch(user_store(request), _screenings(request), body.case_id, body.kind, body.value, acting_user(request, body.user),
                               body.reason)  # fmt: skip


@router.post("/api/watchlist/{entry_id}/lift", status_code=201)
def lift(request: Request, entry_id: str, body: LiftWatch) -> WatchEntry:
    return screening.lift_watch(user_store(request), _screenings(request), entry_id, acting_user(request, body.user), body.reason)


@router.get("/api/watchlist/alerts")
def watch_alerts(request: Request, case_id: CaseId = None) -> list[WatchAlert]:
    """Documents read since a watched person, phone or ID was put on the watchlist that mention it, newest first."""
    return screening.alerts(user_store(request), _screenings(request), case_id)
