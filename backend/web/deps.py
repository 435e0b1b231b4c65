"""What routes depend on: the store as the signed-in user sees it, the settings, the originals."""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool

from backend.domain.model import Case
from backend.domain.settings import Settings
from backend.store.corrected import CorrectedStore
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from backend.store.runs import IngestRuns
from backend.store.scoped import Scope, ScopedStore


def user_store(request: Request) -> GraphStore:
    """The store as the signed-in user may see it: the user's case compartment (roles that see
    every case: all of it), narrowed to the case the request names (`case_id`, by id or name),
    with the standing corrections of those cases applied. One per request, so its visible sets
    are worked out once."""
    seen = getattr(request.state, "store_as_seen", None)
    if seen is None:
        base = request_store(request)
        visible = _compartment(request, base)
        named = request.query_params.get("case_id")
        if named:
            # Judgements, marks and corrections act on their case's views only: a view of one
            # case is that case's compartment, whatever other cases the user works on.
            case_id = visible.record_case(named) or named  # NotFoundError (404) for a case the user cannot see
            visible = _narrowed(request, base, case_id)
        seen = request.state.store_as_seen = CorrectedStore(visible)
    return seen


def case_views(request: Request) -> list[tuple[Case, GraphStore]]:
    """Each of the user's cases with the user's view of that case alone (as `user_store` with
    `case_id=`)."""
    base = request_store(request)
    return [(case, CorrectedStore(_narrowed(request, base, case.id))) for case in user_store(request).cases()]


def request_store(request: Request) -> GraphStore:
    """The store this request reads, before any compartment. A GET's reads are made together (on
    Neo4j: in one read transaction, ended once the answer is worked out by `answered_in_one_trip`,
    or else once it is sent by `EndRequestReads`); a request that writes reads as it goes, so it
    sees its own writes."""
    if request.method not in ("GET", "HEAD"):
        return request.app.state.store.get()
    together = getattr(request.state, "store_reading", None)
    if together is None:
        together, end = request.app.state.store.get().reads_together()
        request.state.store_reading = together
        if end is not None:
            request.state.end_reads = end
    return together


class EndRequestReads:
    """Ends what `request_store` began once the answer is sent, a streamed one included. Plain
    ASGI: a BaseHTTPMiddleware layer cost a fifth of the health check's throughput."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        finally:
            end = _unended_reads(scope)
            if end is not None:
                await run_in_threadpool(end)  # a round trip: off the event loop


def _unended_reads(scope) -> Callable[[], None] | None:
    """What ends the reads `request_store` began, taken so that they are ended once."""
    return scope.get("state", {}).pop("end_reads", None)


def end_request_reads(request: Request) -> None:
    """Ends what `request_store` began now, on this thread, instead of once the answer is sent."""
    end = _unended_reads(request.scope)
    if end is not None:
        end()


def answered_in_one_trip(endpoint: Callable[..., typing.Any]) -> Callable[..., typing.Any]:
    """A route that reads the store, answered in one trip off the event loop instead of three.
    FastAPI takes a plain `def` route to a worker thread to work out its answer, again to check
    the answer against its return type, and `EndRequestReads` a third time to end its reads. Each
    trip wakes a thread and passes Python's lock between it and the event loop: under the Neo4j
    load test a server process spent an eighth of its time handing requests to threads. Here the
    answer is worked out, checked and serialised by its return type, and the reads ended, on one
    thread. The route keeps its signature and return type, so its parameters and its schema in
    /openapi.json are as before; it must take `request`."""

    @functools.cache
    def answer_type() -> TypeAdapter:
        # On first use: the return annotation is a string until the route's module is complete.
        return TypeAdapter(typing.get_type_hints(endpoint)["return"])

    def work(arguments: dict[str, typing.Any]) -> Response:
        adapter = answer_type()
        body = adapter.dump_json(adapter.validate_python(endpoint(**arguments)), by_alias=True)
        end_request_reads(arguments["request"])
        return Response(content=body, media_type="application/json")

    @functools.wraps(endpoint)
    async def answered(**arguments: typing.Any) -> Response:
        return await run_in_threadpool(work, arguments)

    return answered


def user_scope(request: Request) -> Scope | None:
    """The signed-in user's scope (None: every case)."""
    user = getattr(request.state, "user", None)
    return Scope.of(user.role, user.cases) if user is not None else None


def _compartment(request: Request, base: GraphStore) -> GraphStore:
    scope = user_scope(request)
    return base if scope is None else ScopedStore(base, scope)


def _narrowed(request: Request, base: GraphStore, case_id: str) -> GraphStore:
    scope = user_scope(request)
    return ScopedStore(base, Scope(cases=frozenset({case_id}), shareable_only=scope is not None and scope.shareable_only))


def case_param(request: Request) -> str | None:
    """The case the request names, as its id (it may be named by its name)."""
    named = request.query_params.get("case_id")
    return user_store(request).record_case(named) if named else None


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def originals_of(request: Request) -> Originals | None:
    return request.app.state.originals


def runs_of(request: Request) -> IngestRuns | None:
    return getattr(request.app.state, "runs", None)


__all__ = ["answered_in_one_trip", "case_param", "case_views", "originals_of", "runs_of", "settings_of", "user_store"]
