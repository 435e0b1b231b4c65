"""Routes of analysts' corrections: reject a link or a piece of its evidence, add an entity or a
link with the analyst as its source, annotate, undo, and the history of an entity or a link.
Thin wrappers over backend.graph.corrections; merging and splitting are judgements (resolution)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from backend.domain.model import Case, Correction
from backend.graph import corrections
from backend.graph.corrections import HistoryEntry
from backend.web.auth import acting_user
from backend.web.deps import user_store
from backend.web.params import UserName

router = APIRouter(tags=["corrections"])
CaseName = Annotated[str | None, Field(default=None, max_length=200, description="The case it belongs to (id or name); "
                                                                             "needed when the user works on several.")]  # fmt: skip
Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class RejectLink(BaseModel):
    user: UserName
    reason: Reason
    case_id: CaseName = None


class RejectEvidence(RejectLink):
    relationship_id: str = Field(min_length=1, max_length=512)


class NewEntity(BaseModel):
    entity_type: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=512)
    user: UserName
    reason: str = Field(default="", max_length=2000)
    case_id: CaseName = None


class NewLink(BaseModel):
    relationship_type: str = Field(min_length=1, max_length=64)
    source_id: str = Field(min_length=1, max_length=512)
    target_id: str = Field(min_length=1, max_length=512)
    date: str | None = Field(default=None, max_length=32)
    association: str | None = Field(default=None, max_length=32, description="An association's kind (ASSOCIATED_WITH).")
    user: UserName
    reason: Reason
    case_id: CaseName = None


class Annotation(BaseModel):
    subject_id: str = Field(min_length=1, max_length=512)
    note: str = Field(min_length=1, max_length=5000)
    user: UserName
    case_id: CaseName = None


class RejectElement(RejectLink):
    element: str = Field(min_length=1, max_length=64)
    tag_id: str = Field(min_length=1, max_length=128, description="The tag as the elements matrix names it.")


class NewElement(RejectLink):
    element: str = Field(min_length=1, max_length=64)
    quote: str = Field(min_length=1, max_length=2000, description="The sentence or words the element rests on.")
    document_id: str | None = Field(default=None, max_length=512)


class UndoCorrection(BaseModel):
    user: UserName
    reason: Reason


@router.get("/api/cases")
def cases(request: Request) -> list[Case]:
    """The cases the user works on, by name."""
    return user_store(request).cases()


@router.get("/api/corrections")
def correction_list(request: Request) -> list[Correction]:
    """Every correction of the user's cases (of the case named by case_id), oldest first."""
    return user_store(request).corrections()


@router.get("/api/history")
def history(request: Request, subject: Annotated[str, Query(min_length=1, max_length=512)]) -> list[HistoryEntry]:
    """The corrections and analysts' judgements about an entity or a link, oldest first."""
    return corrections.history(user_store(request), subject)


@router.post("/api/relationships/{relationship_id}/reject", status_code=201)
def reject_link(request: Request, relationship_id: str, body: RejectLink) -> Correction:
    """The link leaves every view, analysis, export and report of the case; undo brings it back."""
    return corrections.reject_link(user_store(request), relationship_id, acting_user(request, body.user), body.reason, body.case_id)


@router.post("/api/evidence/{evidence_id}/reject", status_code=201)
def reject_evidence(request: Request, evidence_id: str, body: RejectEvidence) -> Correction:
    return corrections.reject_evidence(user_store(request), body.relationship_id, evidence_id, acting_user(request, body.user),
                                       body.reason, body.case_id)  # fmt: skip


@router.post("/api/entities", status_code=201)
def add_entity(request: Request, body: NewEntity) -> Correction:
    """An entity no document named, with the analyst as its source."""
    return corrections.add_entity(user_store(request), body.entity_type, body.label, acting_user(request, body.user), body.reason,
                                  body.case_id)  # fmt: skip


@router.post("/api/relationships", status_code=201)
def add_link(request: Request, body: NewLink) -> Correction:
    """A link no document stated, with the analyst's assertion as its evidence."""
    return corrections.add_link(user_store(request), body.relationship_type, body.source_id, body.target_id,
                                acting_user(request, body.user), body.reason, body.case_id, body.date, body.association)  # fmt: skip


@router.post("/api/annotations", status_code=201)
def annotate(request: Request, body: Annotation) -> Correction:
    return corrections.annotate(user_store(request), body.subject_id, body.note, acting_user(request, body.user), body.case_id)


@router.post("/api/entities/{entity_id}/elements/reject", status_code=201)
def reject_element(request: Request, entity_id: str, body: RejectElement) -> Correction:
    """A sentence no longer evidences a legal element for the person in the case's matrix; undo brings it back."""
    return corrections.reject_element(user_store(request), entity_id, body.element, body.tag_id, acting_user(request, body.user),
                                      body.reason, body.case_id)  # fmt: skip


@router.post("/api/entities/{entity_id}/elements", status_code=201)
def add_element(request: Request, entity_id: str, body: NewElement) -> Correction:
    """A legal element the analyst asserts for the person, resting on a quote (cited as the analyst's)."""
    return corrections.add_element(user_store(request), entity_id, body.element, body.quote, acting_user(request, body.user), body.reason,
                                   body.case_id, body.document_id)  # fmt: skip


@router.post("/api/corrections/{correction_id}/undo", status_code=201)
def undo(request: Request, correction_id: str, body: UndoCorrection) -> Correction:
    return corrections.undo_correction(user_store(request), correction_id, acting_user(request, body.user), body.reason)
