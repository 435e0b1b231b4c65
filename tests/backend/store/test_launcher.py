"""The launcher users run instead of Docker: starts, keeps data in --home, stops cleanly."""

from __future__ import annotations

import pytest

from backend.domain.model import Batch
from backend.store import launcher as neo4j_launcher
from backend.store.neo4j import Neo4jStore
from tests import factories as f


@pytest.mark.neo4j
@pytest.mark.slow
def test_launcher_keeps_data_in_home_across_restarts(tmp_path):
    home = tmp_path / "neo4j-home"
    password = "launcher-test-password"
    person = f.entity("Person", "Persona Persistente")

    server = neo4j_launcher.start(home=home, password=password, heap="512m", pagecache="64m")
    try:
        assert server.uri.startswith("bolt://127.0.0.1:")
        with Neo4jStore(server.uri, "neo4j", password) as store:
            store.write(Batch(entities=(person,)))
    finally:
        server.stop()
    assert server.process.returncode == 0, "the launcher must shut Neo4j down cleanly when asked"

    again = neo4j_launcher.start(home=home, password=password, heap="512m", pagecache="64m")
    try:
        with Neo4jStore(again.uri, "neo4j", password) as store:
            assert store.entities([person.id])[person.id].label == "Persona Persistente"
    finally:
        again.stop()
