"""The HTTP API and the web view (FastAPI; OpenAPI at /docs): thin routes over the stage functions.

Everything a page needs is served from here — the pages and scripts in frontend/, vis-network
from the installed pyvis package, Swagger UI from fastapi-offline — because the server runs on
closed police networks: no page may load anything from the internet (a Content-Security-Policy
header says so to the browser as well).
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Callable
from urllib.parse import quote

import fastapi_offline
import pyvis
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend import __version__
from backend.store.accounts import Accounts
from backend.web.analysis import add_analysis_routes
from backend.web.auth import acting_user, add_auth
from backend.web.params import UserName, view_filters
from backend.domain.errors import InvalidRecordError, NotFoundError, StoreUnavailableError
from backend.reports.layout import NetworkView, PathsView, network_view, paths_subgraph
from backend.domain.model import Decision, Document, Entity, EntityDetail, GraphFilter, Judgement, PathResult, SearchHit, StoredEvidence, Subgraph
from backend.domain.vocabulary import schema
from backend.domain.settings import Settings, get_settings
from backend.store.interface import GraphStore
from backend.store.scoped import Scope, ScopedStore
from backend.reports.views import DocumentView, EntityProfile, Statistics, document_view, entity_profile, statistics
from backend.graph import traversal
from backend.graph.canonical import canonicaliser
from backend.graph.canonical import same_as as same_as_ids
from entity_resolution.graph import MergeExplanation, explain_merge
from entity_resolution.judging import judge, undo
from entity_resolution.review import ReviewQueue, review_queue, split
from backend.store.originals import Originals

log = logging.getLogger(__name__)

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
VIS_NETWORK = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
SWAGGER = Path(fastapi_offline.__file__).parent / "static"
# Every page is frontend/page.html with its own scripts; the network pages add vis-network.
NETWORK_SCRIPTS = ("/vendor/vis-network/vis-network.min.js", "/static/network.js")
PAGES = {"/": ("search.js",), "/entity/{entity_id}": (*NETWORK_SCRIPTS, "entity.js"), "/paths": (*NETWORK_SCRIPTS, "paths.js"),
         "/documents/{document_id}": ("document.js",), "/review": ("review.js",), "/stats": ("stats.js",),
         "/analysis": (*NETWORK_SCRIPTS, "analysis.js"), "/login": ("login.js",)}
# Pages run only their own scripts and talk only to this server; Swagger UI (/docs) needs one
# inline script of FastAPI's, so its policy allows that and nothing more.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
DOCS_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class JudgementRequest(BaseModel):
    left_id: str = Field(min_length=1, max_length=512)
    right_id: str = Field(min_length=1, max_length=512)
    decision: Decision
    user: UserName
    reason: str = Field(default="", max_length=2000)


class SplitRequest(BaseModel):
    user: UserName
    reason: str = Field(min_length=1, max_length=2000)


class UndoRequest(BaseModel):
    user: UserName
    reason: str = Field(min_length=1, max_length=2000)
    decision: Decision = Decision.UNSURE


class StoreHolder:
    """The API's store: opened at start-up, or, if it could not be reached then, by the first
    request after it is back. Requests meanwhile get StoreUnavailableError (503) at once: one
    request at a time tries to reopen, at most every RETRY_SECONDS."""

    RETRY_SECONDS = 2.0

    def __init__(self, open_store: Callable[[], GraphStore]):
        self._open = open_store
        self._store: GraphStore | None = None
        self._lock = threading.Lock()
        self._last_error: StoreUnavailableError | None = None
        self._failed_at = 0.0

    def get(self) -> GraphStore:
        if self._store is not None:
            return self._store
        if not self._lock.acquire(blocking=False):
            raise StoreUnavailableError(*self._reason("another request is reconnecting"))
        try:
            if self._store is None:
                if self._last_error is not None and time.monotonic() - self._failed_at < self.RETRY_SECONDS:
                    raise self._last_error
                try:
                    self._store = self._open()
                except StoreUnavailableError as exc:
                    self._last_error, self._failed_at = exc, time.monotonic()
                    raise
            return self._store
        finally:
            self._lock.release()

    def _reason(self, default: str) -> tuple[str, str]:
        error = self._last_error
        return (error.target, error.reason) if error else ("the store", default)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def create_app(open_store: Callable[[], GraphStore], originals: Originals | None = None, settings: Settings | None = None,
               accounts: Accounts | None = None) -> FastAPI:
    """The web view and API over a store. `accounts` holds users, sessions and the audit log;
    without it the app keeps them in memory (tests): no users, so open in development."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.store = StoreHolder(open_store)
        try:
            app.state.store.get()
        except StoreUnavailableError as exc:  # serve anyway: 503 until the store is back
            log.warning("starting without the store: %s", exc)
        try:
            yield
        finally:
            app.state.store.close()

    # FastAPI's /docs and /redoc pages pull their scripts from a CDN, and nothing here may
    # load from the internet; the OpenAPI schema itself is served at /openapi.json.
    app = FastAPI(title="Telaraña", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=FRONTEND / "static"), name="static")
    app.mount("/vendor/vis-network", StaticFiles(directory=VIS_NETWORK), name="vis-network")
    app.mount("/vendor/swagger", StaticFiles(directory=SWAGGER), name="swagger")

    settings = settings or get_settings()
    accounts = accounts or Accounts(Path(":memory:"))
    add_auth(app, accounts, settings)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        policy = DOCS_POLICY if request.url.path == "/docs" else PAGE_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="Telaraña API", swagger_js_url="/vendor/swagger/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger/swagger-ui.css", swagger_favicon_url="/vendor/swagger/favicon.png",
        )  # fmt: skip

    for route, scripts in PAGES.items():
        app.add_api_route(route, _page(scripts), methods=["GET"], include_in_schema=False)

    def store(request: Request) -> GraphStore:
        """The store as the signed-in user may see it: the user's case compartment (admins: all of it)."""
        seen = getattr(request.state, "store_as_seen", None)  # one per request: its visible sets are worked out once
        if seen is None:
            base = request.app.state.store.get()
            user = getattr(request.state, "user", None)
            scope = Scope.of(user.role, user.cases) if user is not None else None
            seen = request.state.store_as_seen = base if scope is None else ScopedStore(base, scope)
        return seen

    @app.exception_handler(NotFoundError)
    async def not_found(_, exc: NotFoundError):
        return JSONResponse(status_code=404, content={"error": "not_found", "message": str(exc)})

    @app.exception_handler(InvalidRecordError)
    async def invalid(_, exc: InvalidRecordError):
        return JSONResponse(status_code=422, content={"error": "invalid_record", "message": str(exc)})

    @app.exception_handler(RequestValidationError)
    async def bad_request(_, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}" for e in exc.errors())
        return JSONResponse(status_code=422, content={"error": "invalid_request", "message": problems or "invalid request"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_, exc: StarletteHTTPException):
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "no such page or API route" if exc.status_code == 404 else str(exc.detail)
        return JSONResponse(status_code=exc.status_code, content={"error": kind, "message": message})

    @app.exception_handler(StoreUnavailableError)
    async def unavailable(_, exc: StoreUnavailableError):
        return JSONResponse(status_code=503, content={"error": "store_unavailable", "message": str(exc)})

    @app.get("/api/schema")
    def vocabulary_schema() -> dict:
        """The vocabulary: every entity and relationship type with its id prefix, Spanish and
        English labels, colour, whether resolution compares it, and its Neo4j constraint."""
        return schema()

    @app.get("/api/health")
    def health(request: Request) -> dict:
        answering = store(request)
        answering.ping()  # 503 (StoreUnavailableError) while the store is down
        return {"status": "ok", "store": answering.kind, "version": __version__}

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
        filters: Annotated[GraphFilter, Depends(view_filters)],
        entity_id: str,
        hops: int = Query(1, ge=0, le=10),
        limit: int = Query(500, ge=1, le=5000),
        resolved: bool = Query(False, description="Each resolved person once: entities judged the same are one node."),
    ) -> Subgraph:
        s = store(request)
        return traversal.neighbourhood(s, entity_id, hops=hops, filters=filters, limit=limit, canon=canonicaliser(s, resolved))

    @app.get("/api/paths")
    def paths(
        request: Request,
        filters: Annotated[GraphFilter, Depends(view_filters)],
        source: str,
        target: str,
        k: int = Query(1, ge=1, le=20),
        max_hops: int = Query(6, ge=1, le=10),
        resolved: bool = Query(False, description="Persons as resolved: entities judged the same are one node."),
    ) -> PathResult:
        s = store(request)
        return traversal.paths(s, source, target, k=k, max_hops=max_hops, filters=filters, canon=canonicaliser(s, resolved))

    @app.get("/api/paths/network", response_model=PathsView)
    def paths_network(
        request: Request,
        filters: Annotated[GraphFilter, Depends(view_filters)],
        source: str,
        target: str,
        k: int = Query(3, ge=1, le=20),
        max_hops: int = Query(6, ge=1, le=10),
        resolved: bool = Query(True, description="Persons as resolved."),
    ) -> Response:
        """The k shortest paths, and all their nodes and edges laid out to draw as one network."""
        found = paths(request, filters, source, target, k, max_hops, resolved)
        return _json(PathsView(paths=found, view=network_view(paths_subgraph(found), [found.paths[0].node_ids[0]] if found.paths else [])))

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
        return judge(store(request), body.left_id, body.right_id, body.decision, acting_user(request, body.user), body.reason)

    @app.post("/api/judgements/{judgement_id}/undo", status_code=201)
    def undo_judgement(request: Request, judgement_id: str, body: UndoRequest) -> Judgement:
        return undo(store(request), judgement_id, acting_user(request, body.user), body.reason, body.decision)

    @app.get("/api/documents/{document_id}")
    def document(request: Request, document_id: str) -> Document:
        return store(request).get_document(document_id)

    @app.get("/api/entities/{entity_id}/profile")
    def profile(request: Request, entity_id: str) -> EntityProfile:
        """Attributes, every mention with its sentence (and where the mention sits in it), the
        relationships with their evidence, the entities judged the same, and the judgements."""
        return entity_profile(store(request), entity_id)

    @app.get("/api/entities/{entity_id}/network", response_model=NetworkView)
    def network(
        request: Request,
        filters: Annotated[GraphFilter, Depends(view_filters)],
        entity_id: str,
        hops: int = Query(1, ge=0, le=10),
        limit: int = Query(500, ge=1, le=5000),
        resolved: bool = Query(True, description="Each resolved person once."),
    ) -> Response:
        """The neighbourhood with a position, degree and betweenness for every node, ready to draw."""
        subgraph = neighbourhood(request, filters, entity_id, hops, limit, resolved)
        centre = [n.id for n in subgraph.nodes if n.id == entity_id or entity_id in n.properties.get("member_ids", ())]
        return _json(network_view(subgraph, centre))

    @app.get("/api/documents/{document_id}/view")
    def document_page(request: Request, document_id: str) -> DocumentView:
        """The text with its mentions (offsets into the text), pages, and whether the original file is kept."""
        return document_view(store(request), document_id, originals)

    @app.get("/api/documents/{document_id}/original", response_class=Response)
    def original(request: Request, document_id: str):
        """The file the document was read from, byte for byte (its SHA-256 is the document id)."""
        document = store(request).get_document(document_id)
        data = originals.read(document_id) if originals is not None else None
        if data is None:
            raise NotFoundError("original file of document", document_id)
        name = Path(document.source_path.rsplit("#", 1)[-1]).name or f"{document_id}.bin"
        return Response(data, media_type=document.media_type or "application/octet-stream",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})  # fmt: skip

    @app.get("/api/review-queue")
    def queue(request: Request, limit: int = Query(50, ge=0, le=500)) -> ReviewQueue:
        """Pairs the resolver was unsure about, highest score first, both sides with their evidence."""
        return review_queue(store(request), limit=limit)

    @app.post("/api/entities/{entity_id}/split", status_code=201)
    def split_entity(request: Request, entity_id: str, body: SplitRequest) -> list[Judgement]:
        """Take the entity out of the person it was merged into (a "different" judgement against
        each entity it is directly judged the same as; undo them to merge it back)."""
        return split(store(request), entity_id, acting_user(request, body.user), body.reason)

    @app.get("/api/relationships/evidence")
    def relationship_evidence(request: Request, ids: Annotated[list[str], Query(max_length=200)]) -> dict[str, list[StoredEvidence]]:
        """The evidence of each relationship: the sentence or table row, the document, page and offsets."""
        return store(request).evidence(ids)

    @app.get("/api/stats")
    def stats(request: Request) -> Statistics:
        return statistics(store(request))

    add_analysis_routes(app, store, settings)

    return app


def _json(model: BaseModel) -> Response:
    """A large view serialised once by pydantic: returning the model would have FastAPI validate
    and encode it again, which doubles the time of a 2,000-node view."""
    return Response(content=model.model_dump_json(), media_type="application/json")


def _page(scripts: tuple[str, ...]):
    tags = [f'<script src="{s if s.startswith("/") else "/static/" + s}" defer></script>' for s in scripts]
    if NETWORK_SCRIPTS[0] in scripts:
        tags.insert(0, '<link rel="stylesheet" href="/vendor/vis-network/vis-network.css">')
    html = (FRONTEND / "page.html").read_text("utf-8").replace("<!-- page scripts -->", "\n  ".join(tags))

    def page() -> HTMLResponse:
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    return page


def app_from_settings() -> FastAPI:
    """The application as `telarana serve` runs it in each worker process: the store, originals
    folder and options named by the TELARANA_* settings."""
    from backend.store import open_store

    settings = get_settings()
    return create_app(lambda: open_store(settings), originals=Originals(settings.originals_dir), settings=settings,
                      accounts=Accounts(settings.accounts_path))
