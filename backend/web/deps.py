"""What routes depend on: the store as the signed-in user sees it, the settings, the originals."""

from __future__ import annotations

from fastapi import Request

from backend.domain.settings import Settings
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from backend.store.scoped import Scope, ScopedStore


def user_store(request: Request) -> GraphStore:
    """The store as the signed-in user may see it: the user's case compartment (roles that see
    every case: all of it). One per request, so its visible sets are worked out once."""
    seen = getattr(request.state, "store_as_seen", None)
    if seen is None:
        base = request.app.state.store.get()
        user = getattr(request.state, "user", None)
        scope = Scope.of(user.role, user.cases) if user is not None else None
        seen = request.state.store_as_seen = base if scope is None else ScopedStore(base, scope)
    return seen


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def originals_of(request: Request) -> Originals | None:
    return request.app.state.originals


__all__ = ["originals_of", "settings_of", "user_store"]
