"""Request parameters shared by the API's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from pydantic import Field

from backend.domain.model import EntityType, GraphFilter, RelType
from backend.web.deps import case_param

# A user name as judgements record it ("user:NAME"): no spaces, no colon.
USER_NAME_PATTERN = r"^[^\s:]+$"
UserName = Annotated[str, Field(min_length=1, max_length=120, pattern=USER_NAME_PATTERN)]


def view_filters(
    request: Request,
    types: Annotated[list[EntityType] | None, Query(description="Entity types to keep (default: all).")] = None,
    relationship_types: Annotated[list[RelType] | None, Query(description="Relationship types to keep (default: all).")] = None,
    date_from: Annotated[str | None, Query(description="ISO date: relationships dated before it are left out.")] = None,
    date_to: Annotated[str | None, Query(description="ISO date: relationships dated after it are left out.")] = None,
    case_id: Annotated[str | None, Query(description="Only what this case's documents support.")] = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
) -> GraphFilter:
    """The graph filters shared by the neighbourhood, network and path routes."""
    return GraphFilter.from_options(types, relationship_types, date_from, date_to, case_param(request) if case_id else None, min_confidence)
