"""Graph stores: one interface (GraphStore), embedded SQLite and Neo4j implementations."""

from __future__ import annotations

from backend.domain.settings import Settings
from backend.store.interface import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name, ready to use (schema applied)."""
    if settings.store == "neo4j":
        from backend.store.neo4j import Neo4jStore

        return Neo4jStore(
            uri=settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            connect_timeout=settings.neo4j_connect_timeout,
        )
    from backend.store.sqlite import SqliteStore

    return SqliteStore(settings.resolved_sqlite_path)


__all__ = ["GraphStore", "open_store"]
