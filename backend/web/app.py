"""The HTTP API and the web view (FastAPI; OpenAPI at /docs): thin routes over the stage functions.

Everything a page needs is served from here — the pages and scripts in frontend/, vis-network
from the installed pyvis package, Leaflet, TopoJSON and the Natural Earth basemap from npm
(frontend/node_modules), Swagger UI from fastapi-offline — because the server runs on
closed police networks: no page may load anything from the internet (a Content-Security-Policy
header says so to the browser as well).
"""

from __future__ import annotations

import gc
import json
import logging
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Callable

import fastapi_offline
import pyvis
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend import __version__
from backend.analysis.graph import CaseGraphCache
from backend.domain.errors import InvalidRecordError, NotFoundError, StoreUnavailableError, TooSlowError, UploadRefusedError
from backend.domain.settings import Settings, get_settings
from backend.jobs.uploads import UploadJobs
from backend.store.accounts import Accounts
from backend.store.charts import Charts
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from backend.store.runs import IngestRuns
from backend.store.screening import Screenings
from backend.web.auth import add_auth
from backend.web.deps import EndRequestReads
from backend.web.routes import analysis, corrections, documents, graph, imports, reports, resolution, screening, uploads
from backend.web.routes import charts as chart_routes

log = logging.getLogger(__name__)

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
VIS_NETWORK = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
# Installed from npm by `make install` (frontend/package-lock.json); the basemap of Colombia's
# departments is kept in the repository (frontend/basemap/extract_departments.py made it).
NODE_MODULES = FRONTEND / "node_modules"
NPM_LIBRARIES = {
    "leaflet": NODE_MODULES / "leaflet" / "dist",
    "topojson-client": NODE_MODULES / "topojson-client" / "dist",
    "world-atlas": NODE_MODULES / "world-atlas",
    "basemap": FRONTEND / "basemap",
}
SWAGGER = Path(fastapi_offline.__file__).parent / "static"
# Every page is frontend/page.html with its own scripts; the network pages add vis-network.
NETWORK_SCRIPTS = ("/vendor/vis-network/vis-network.min.js", "/static/network.js")
MAP_SCRIPTS = ("/vendor/leaflet/leaflet.js", "/vendor/topojson-client/topojson-client.min.js", "/static/timeline_map.js")
STYLESHEETS = {NETWORK_SCRIPTS[0]: "/vendor/vis-network/vis-network.css", MAP_SCRIPTS[0]: "/vendor/leaflet/leaflet.css"}
PAGES = {
    "/": ("search.js", "dashboard.js"),
    "/entity/{entity_id}": (*NETWORK_SCRIPTS, "entity.js"),
    "/paths": (*NETWORK_SCRIPTS, "paths.js"),
    "/documents/{document_id}": ("document.js",),
    "/review": ("review.js",),
    "/stats": ("stats.js",),
    "/analysis": (*NETWORK_SCRIPTS, *MAP_SCRIPTS, "analysis.js"),
    "/charts/{chart_id}": (*NETWORK_SCRIPTS, "chart.js"),
    "/upload": ("upload.js",),
    "/screening": ("screening.js",),
    "/report": ("report.js",),
    "/import": ("import.js",),
    "/login": ("login.js",),
}
# Pages run only their own scripts and talk only to this server; Swagger UI (/docs) needs one
# inline script of FastAPI's, so its policy allows that and nothing more.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
DOCS_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


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
               accounts: Accounts | None = None, runs: IngestRuns | None = None, charts: Charts | None = None,
               screenings: Screenings | None = None, freeze_start_up: bool = False) -> FastAPI:  # fmt: skip
    """The web view and API over a store. `accounts` holds users, sessions and the audit log;
    without it the app keeps them in memory (tests): no users, so open in development. `runs`
    holds the ingest runs the dashboard shows and the uploads from the browser (none: no run is
    shown and uploads are off); `charts` the saved charts and `screenings` the screening of ticket
    lists, its reviews and the watchlists (none: kept in memory). With `freeze_start_up` (a
    server process of its own) what start-up made is put out of the garbage collector's reach
    (see freeze_what_start_up_made)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.store = StoreHolder(open_store)
        try:
            app.state.store.get()
        except StoreUnavailableError as exc:  # serve anyway: 503 until the store is back
            log.warning("starting without the store: %s", exc)
        if app.state.uploads is not None:
            resumed = app.state.uploads.resume()  # uploads a stopped server left half read
            if resumed:
                log.warning("taking up %d interrupted upload(s): %s", len(resumed), ", ".join(resumed))
        if freeze_start_up:
            freeze_what_start_up_made()
        try:
            yield
        finally:
            if app.state.uploads is not None:
                app.state.uploads.close()
            app.state.store.close()

    # FastAPI's /docs and /redoc pages pull their scripts from a CDN, and nothing here may
    # load from the internet; the OpenAPI schema itself is served at /openapi.json.
    app = FastAPI(title="Telaraña", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    settings = settings or get_settings()
    app.state.settings = settings
    app.state.originals = originals
    app.state.runs = runs
    app.state.charts = charts or Charts(":memory:")
    app.state.case_graphs = CaseGraphCache(settings.cached_case_graphs)
    app.state.screenings = screenings or Screenings(":memory:")
    app.state.uploads = (UploadJobs(runs, lambda: app.state.store.get(), settings, originals, screenings=app.state.screenings)
                         if runs is not None else None)  # fmt: skip
    add_auth(app, accounts or Accounts(Path(":memory:")), settings)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(EndRequestReads)
    _add_error_handlers(app)
    _add_pages(app)
    for area in (graph, documents, resolution, corrections, analysis, reports, chart_routes, uploads, imports, screening):
        app.include_router(area.router)
    return app


class SecurityHeaders:
    """The headers every answer carries unless it set its own: the page policy (Swagger UI's for
    /docs), no sniffing, no framing, no referrer; API answers also `no-store`, since they carry case
    data (document text, names) that no browser or proxy should keep. Plain ASGI, as
    `EndRequestReads`: a BaseHTTPMiddleware layer costs every request a task and a copy of its body."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        wanted = [
            ("Content-Security-Policy", DOCS_POLICY if path == "/docs" else PAGE_POLICY),
            ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"),
            *([("Cache-Control", "no-store")] if path.startswith("/api/") else []),
        ]  # fmt: skip

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])  # optional in ASGI
                headers = MutableHeaders(scope=message)
                for name, value in wanted:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": kind, "message": message})


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(_, exc: NotFoundError):
        # What was not found, so a page can say it in its language ("Caso desconocido: …").
        response = _error(404, "not_found", str(exc))
        return JSONResponse(status_code=404, content={**json.loads(response.body), "kind": exc.kind, "id": exc.record_id})

    @app.exception_handler(InvalidRecordError)
    async def invalid(_, exc: InvalidRecordError):
        return _error(422, "invalid_record", str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(_, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}" for e in exc.errors())
        return _error(422, "invalid_request", problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_, exc: StarletteHTTPException):
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "no such page or API route" if exc.status_code == 404 else str(exc.detail)
        return _error(exc.status_code, kind, message)

    @app.exception_handler(StoreUnavailableError)
    async def unavailable(_, exc: StoreUnavailableError):
        return _error(503, "store_unavailable", str(exc))

    @app.exception_handler(UploadRefusedError)
    async def upload_refused(_, exc: UploadRefusedError):
        return _error(413 if exc.too_large else 422, "upload_refused", str(exc))

    @app.exception_handler(TooSlowError)
    async def too_slow(_, exc: TooSlowError):
        return _error(503, "too_slow", str(exc))


def _add_pages(app: FastAPI) -> None:
    """The pages, their scripts, the bundled libraries and Swagger UI, all from this server."""
    app.mount("/static", StaticFiles(directory=FRONTEND / "static"), name="static")
    app.mount("/vendor/vis-network", StaticFiles(directory=VIS_NETWORK), name="vis-network")
    app.mount("/vendor/swagger", StaticFiles(directory=SWAGGER), name="swagger")
    for name, folder in NPM_LIBRARIES.items():
        if not folder.is_dir():  # the page says the map's libraries are missing; everything else works
            log.warning("%s is not installed at %s: run `make install` (npm ci in frontend/)", name, folder)
        app.mount(f"/vendor/{name}", StaticFiles(directory=folder, check_dir=False), name=name)

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="Telaraña API", swagger_js_url="/vendor/swagger/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger/swagger-ui.css", swagger_favicon_url="/vendor/swagger/favicon.png",
        )  # fmt: skip

    for route, scripts in PAGES.items():
        app.add_api_route(route, _page(scripts), methods=["GET"], include_in_schema=False)


def _page(scripts: tuple[str, ...]):
    tags = [f'<script src="{s if s.startswith("/") else "/static/" + s}" defer></script>' for s in scripts]
    tags[:0] = [f'<link rel="stylesheet" href="{sheet}">' for script, sheet in STYLESHEETS.items() if script in scripts]
    html = (FRONTEND / "page.html").read_text("utf-8").replace("<!-- page scripts -->", "\n  ".join(tags))

    def page() -> HTMLResponse:
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    return page


def freeze_what_start_up_made() -> None:
    """Move every object alive after start-up (modules, the app, the store's driver: some
    180,000 the collector tracks) out of the cyclic garbage collector's reach (gc.freeze), once
    the garbage start-up left is collected. A full collection walked all of them: under the
    50-client load test a web process made 16 to 26 full collections in a run, 3.4 to 4.2 s in
    all and up to 280 ms each, during which the process serves nothing; with them frozen, 0.5 to
    0.7 s and up to 150 ms. Frozen objects are never freed: they live as long as the process."""
    gc.collect()
    gc.freeze()


def app_from_settings() -> FastAPI:
    """The application as `telarana serve` runs it in each worker process: the store, originals
    folder and options named by the TELARANA_* settings."""
    from backend.store import open_store

    settings = get_settings()
    return create_app(
        lambda: open_store(settings),
        originals=Originals(settings.originals_dir),
        settings=settings,
        accounts=Accounts(settings.accounts_path, settings.audit_key.get_secret_value()),
        runs=IngestRuns(settings.runs_path),
        charts=Charts(settings.workspace_path),
        screenings=Screenings(settings.workspace_path),
        freeze_start_up=True,
    )


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every API route as (method, path), read from the OpenAPI schema: routers included into
    the app are listed there whether or not the app keeps their routes as its own."""
    return {
        (method.upper(), path) for path, operations in app.openapi()["paths"].items() if path.startswith("/api/") for method in operations
    }
