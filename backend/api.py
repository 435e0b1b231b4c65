"""The HTTP API (FastAPI; OpenAPI schema at /openapi.json): thin routes over the store interface."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Annotated, Callable

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from backend import __version__
from backend.errors import InvalidRecordError, NotFoundError, StoreUnavailableError
from backend.model import Decision, Document, Entity, EntityDetail, EntityType, GraphFilter, Judgement, PathResult, RelType, SearchHit, Subgraph
from backend.store.base import GraphStore
from entity_resolution.graph import MergeExplanation, explain_merge, resolved_neighbourhood, resolved_paths
from entity_resolution.graph import same_as as same_as_ids
from entity_resolution.judging import judge, undo


class JudgementRequest(BaseModel):
    left_id: str = Field(min_length=1, max_length=512)
    right_id: str = Field(min_length=1, max_length=512)
    decision: Decision
    user: str = Field(min_length=1, max_length=120, pattern=r"^[^\s:]+$")
    reason: str = Field(default="", max_length=2000)


class UndoRequest(BaseModel):
    user: str = Field(min_length=1, max_length=120, pattern=r"^[^\s:]+$")
    reason: str = Field(min_length=1, max_length=2000)
    decision: Decision = Decision.UNSURE


def create_app(open_store: Callable[[], GraphStore]) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.store = open_store()
        try:
            yield
        finally:
            app.state.store.close()

    # FastAPI's /docs and /redoc pages pull their scripts from a CDN, and nothing here may
    # load from the internet; the OpenAPI schema itself is served at /openapi.json.
    app = FastAPI(title="Telaraña", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)

    def store(request: Request) -> GraphStore:
        return request.app.state.store

    @app.exception_handler(NotFoundError)
    async def not_found(_, exc: NotFoundError):
        return JSONResponse(status_code=404, content={"error": "not_found", "message": str(exc)})

    @app.exception_handler(InvalidRecordError)
    async def invalid(_, exc: InvalidRecordError):
        return JSONResponse(status_code=422, content={"error": "invalid_record", "message": str(exc)})

    @app.exception_handler(StoreUnavailableError)
    async def unavailable(_, exc: StoreUnavailableError):
        return JSONResponse(status_code=503, content={"error": "store_unavailable", "message": str(exc)})

    @app.get("/api/health")
    def health(request: Request) -> dict:
        return {"status": "ok", "store": store(request).kind, "version": __version__}

    @app.get("/api/counts")
    def counts(request: Request) -> dict:
        return store(request).counts()

    @app.get("/api/search")
    def search(request: Request, q: Annotated[str, Query(max_length=200)], limit: int = Query(20, ge=1, le=200)) -> list[SearchHit]:
        return store(request).search(q, limit=limit)

    @app.get("/api/entities/{entity_id}")
    def entity(request: Request, entity_id: str) -> EntityDetail:
        return store(request).get_entity(entity_id)

    @app.get("/api/entities/{entity_id}/neighbourhood")
    def neighbourhood(
        request: Request,
        entity_id: str,
        hops: int = Query(1, ge=0, le=10),
        limit: int = Query(500, ge=1, le=5000),
        types: Annotated[list[EntityType] | None, Query()] = None,
        relationship_types: Annotated[list[RelType] | None, Query()] = None,
        date_from: str | None = None,
        date_to: str | None = None,
        case_id: str | None = None,
        min_confidence: float = Query(0.0, ge=0.0, le=1.0),
        resolved: bool = Query(False, description="Each resolved person once: entities judged the same are one node."),
    ) -> Subgraph:
        filters = GraphFilter.from_options(types, relationship_types, date_from, date_to, case_id, min_confidence)
        if resolved:
            return resolved_neighbourhood(store(request), entity_id, hops=hops, filters=filters, limit=limit)
        return store(request).neighbourhood(entity_id, hops=hops, filters=filters, limit=limit)

    @app.get("/api/paths")
    def paths(
        request: Request,
        source: str,
        target: str,
        k: int = Query(1, ge=1, le=20),
        max_hops: int = Query(6, ge=1, le=10),
        types: Annotated[list[EntityType] | None, Query()] = None,
        relationship_types: Annotated[list[RelType] | None, Query()] = None,
        date_from: str | None = None,
        date_to: str | None = None,
        case_id: str | None = None,
        min_confidence: float = Query(0.0, ge=0.0, le=1.0),
        resolved: bool = Query(False, description="Persons as resolved: entities judged the same are one node."),
    ) -> PathResult:
        filters = GraphFilter.from_options(types, relationship_types, date_from, date_to, case_id, min_confidence)
        if resolved:
            return resolved_paths(store(request), source, target, k=k, max_hops=max_hops, filters=filters)
        return store(request).paths(source, target, k=k, max_hops=max_hops, filters=filters)

    @app.get("/api/entities/{entity_id}/same-as")
    def same_as(request: Request, entity_id: str) -> list[Entity]:
        """The entity and every entity judged the same as it (directly or through others)."""
        s = store(request)
        s.get_entity(entity_id)  # 404 for an unknown id
        members = s.entities(same_as_ids(s, entity_id))
        return [members[i] for i in sorted(members)]

    @app.get("/api/explain-merge")
    def explain(request: Request, left: Annotated[str, Query(max_length=512)], right: Annotated[str, Query(max_length=512)]) -> MergeExplanation:
        """Why two entities are (or are not) one person: the chain of "same" judgements, each
        with who, when, score, features, and the shared phones / IDs and sentences behind it."""
        return explain_merge(store(request), left, right)

    @app.get("/api/judgements")
    def judgements(request: Request, entity: str | None = Query(None, max_length=512)) -> list[Judgement]:
        return store(request).judgements(entity)

    @app.post("/api/judgements", status_code=201)
    def add_judgement(request: Request, body: JudgementRequest) -> Judgement:
        return judge(store(request), body.left_id, body.right_id, body.decision, body.user, body.reason)

    @app.post("/api/judgements/{judgement_id}/undo", status_code=201)
    def undo_judgement(request: Request, judgement_id: str, body: UndoRequest) -> Judgement:
        return undo(store(request), judgement_id, body.user, body.reason, body.decision)

    @app.get("/api/documents/{document_id}")
    def document(request: Request, document_id: str) -> Document:
        return store(request).get_document(document_id)

    return app
