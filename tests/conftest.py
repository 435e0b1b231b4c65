"""Shared fixtures. The Neo4j half of the store contract runs against a real server:
the one named by TELARANA_NEO4J_URI (CI starts it with the launcher), or one this test
session starts itself with the launcher. If neither works, those tests fail — never skip.
"""

from __future__ import annotations

import pytest

from backend.store.sqlite import SqliteStore
from tests.factories import ingest_sample_case


@pytest.fixture(scope="session")
def neo4j_server():
    """(uri, user, password) of a running Neo4j."""
    from backend.store import launcher as neo4j_launcher

    with neo4j_launcher.configured_or_started(password="telarana-test-password") as server:
        yield server


@pytest.fixture(scope="session")
def neo4j_store_session(neo4j_server):
    from backend.store.neo4j import Neo4jStore

    uri, user, password = neo4j_server
    store = Neo4jStore(uri=uri, user=user, password=password, connect_timeout=30)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    """An empty store of each kind; the same contract must hold for both."""
    if request.param == "sqlite":
        s = SqliteStore(tmp_path / "test.sqlite3")
        yield s
        s.close()
    else:
        s = request.getfixturevalue("neo4j_store_session")
        s.clear()
        yield s


@pytest.fixture(scope="session")
def sample_case_db(tmp_path_factory):
    """A SQLite file holding the whole bundled sample case, ingested and resolved (read-only:
    tests that write take `sample_case_copy`)."""
    path = tmp_path_factory.mktemp("sample-case") / "case.sqlite3"
    with SqliteStore(path) as store:
        ingest_sample_case(store)
    return path
