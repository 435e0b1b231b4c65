from __future__ import annotations

from importlib import resources

import pytest
from fastapi.testclient import TestClient

from backend.api import create_app
from backend.store.sqlite import SqliteStore
from ingest.originals import Originals
from ingest.records_file import load_records_file


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
