"""Routes of entity resolution: who is the same as whom and why, judgements and their undo,
the review queue, and splitting an entity out of the person it was merged into."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from backend.domain.model import Decision, Entity, Judgement
from backend.graph.canonical import same_as as same_as_ids
from backend.web.auth import acting_user
from backend.web.deps import user_store
from backend.web.params import UserName
from entity_resolution.graph import MergeExplanation, explain_merge
from entity_resolution.judging import judge, undo
from entity_resolution.review import ReviewQueue, review_queue, split

router = APIRouter()


class JudgementRequest(BaseModel):
    left_id: str = Field(min_length=1, max_length=512)
    right_id: str = Field(min_length=1, max_length=512)
    decision: Decision
    user: UserName
    reason: str = Field(default="", max_length=2000)
    case_id: str | None = Field(default=None, max_length=200, description="The case it acts on (id or name).")


class SplitRequest(BaseModel):
    user: UserName
    reason: str = Field(min_length=1, max_length=2000)
    case_id: str | None = Field(default=None, max_length=200, description="The case it acts on (id or name).")


class UndoRequest(BaseModel):
    user: UserName
    reason: str = Field(min_length=1, max_length=2000)
    decision: Decision = Decision.UNSURE
    case_id: str | None = Field(default=None, max_length=200, description="For a rule's judgement: the case it is withdrawn in.")


@router.get("/api/entities/{entity_id}/same-as")
def same_as(request: Request, entity_id: str) -> list[Entity]:
    """The entity and every entity judged the same as it (directly or through others)."""
    store = user_store(request)
    store.get_entity(entity_id)  # 404 for an unknown id
    members = store.entities(same_as_ids(store, entity_id))
    return [members[i] for i in sorted(members)]


@router.get("/api/explain-merge")
def explain(
    request: Request, left: Annotated[str, Query(max_length=512)], right: Annotated[str, Query(max_length=512)]
) -> MergeExplanation:
    """Why two entities are (or are not) one person: the chain of "same" judgements, each
    with who, when, score, features, and the shared phones / IDs and sentences behind it."""
    return explain_merge(user_store(request), left, right)


@router.get("/api/judgements")
def judgements(request: Request, entity: str | None = Query(None, max_length=512)) -> list[Judgement]:
    return user_store(request).judgements(entity)


@router.post("/api/judgements", status_code=201)
def add_judgement(request: Request, body: JudgementRequest) -> Judgement:
    return judge(
        user_store(request), body.left_id, body.right_id, body.decision, acting_user(request, body.user), body.reason, body.case_id
    )


@router.post("/api/judgements/{judgement_id}/undo", status_code=201)
def undo_judgement(request: Request, judgement_id: str, body: UndoRequest) -> Judgement:
    return undo(user_store(request), judgement_id, acting_user(request, body.user), body.reason, body.decision, body.case_id)


@router.get("/api/review-queue")
def queue(request: Request, limit: int = Query(50, ge=0, le=500)) -> ReviewQueue:
    """Pairs the resolver was unsure about, highest score first, both sides with their evidence."""
    return review_queue(user_store(request), limit=limit)


@router.post("/api/entities/{entity_id}/split", status_code=201)
def split_entity(request: Request, entity_id: str, body: SplitRequest) -> list[Judgement]:
    """Take the entity out of the person it was merged into (a "different" judgement against
    each entity it is directly judged the same as; undo them to merge it back)."""
    return split(user_store(request), entity_id, acting_user(request, body.user), body.reason, body.case_id)
