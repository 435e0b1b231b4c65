"""Request parameters shared by the API's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from backend.domain.model import EntityType, GraphFilter, RelType
from backend.web.deps import case_param

# A user name as judgements record it ("user:NAME"): no spaces, no colon.
USER_NAME_PATTERN = r"^[^\s:]+$"
UserName = Annotated[str, Field(min_length=1, max_length=120, pattern=USER_NAME_PATTERN)]


async def view_filters(
    request: Request,
    types: Annotated[list[EntityType] | None, Query(description="Entity types to keep (default: all).")] = None,
    relationship_types: Annotated[list[RelType] | None, Query(description="Relationship types to keep (default: all).")] = None,
    date_from: Annotated[str | None, Query(description="ISO date: relationships dated before it are left out.")] = None,
    date_to: Annotated[str | None, Query(description="ISO date: relationships dated after it are left out.")] = None,
    case_id: Annotated[str | None, Query(description="Only what this case's documents support.")] = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
) -> GraphFilter:
    """The graph filters shared by the neighbourhood, network and path routes. A coroutine, so
    that FastAPI does not take it to a worker thread for nothing: only a named case is looked up
    in the store, and that off the event loop."""
    case = await run_in_threadpool(case_param, request) if case_id else None
    return GraphFilter.from_options(types, relationship_types, date_from, date_to, case, min_confidence)
