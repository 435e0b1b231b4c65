from __future__ import annotations

from importlib import resources

import pytest
from fastapi.testclient import TestClient

from backend.store.originals import Originals
from backend.store.sqlite import SqliteStore
from backend.web.app import create_app
from ingest.records_file import load_records_file
from tests import factories
from tests.factories import ingest_sample_case


@pytest.fixture
def client(tmp_path):
    """The API over a SQLite store holding the small bundled sample (3 documents); `client.originals`
    is where it looks for original files (empty at first)."""
    path = tmp_path / "api.sqlite3"
    with SqliteStore(path) as store:
        sample = resources.files("backend").joinpath("sample", "sample_case.jsonl")
        with resources.as_file(sample) as p:
            store.write(load_records_file(p))
    originals = Originals(tmp_path / "originals")
    with TestClient(create_app(lambda: SqliteStore(path), originals=originals)) as c:
        c.originals = originals
        yield c


@pytest.fixture(scope="module", params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def sample_case(request, sample_case_db):
    """The sample case in each store (the same ingest and resolution run on both); read-only."""
    if request.param == "sqlite":
        store = SqliteStore(sample_case_db)
        yield store
        store.close()
    else:
        store = request.getfixturevalue("neo4j_store_session")
        store.clear()
        ingest_sample_case(store)
        yield store


@pytest.fixture
def sample_case_copy(sample_case_db, tmp_path):
    """A writable copy of the SQLite sample case."""
    import sqlite3

    path = tmp_path / "copy.sqlite3"
    with sqlite3.connect(sample_case_db) as source, sqlite3.connect(path) as target:
        source.backup(target)
    with SqliteStore(path) as store:
        yield store


@pytest.fixture
def story(store):
    """The invented story (tests/factories.py) written to the store under test."""
    graph = factories.story()
    store.write(graph.batch())
    return graph
