"""The application as a server process runs it: what its start-up leaves to the garbage collector."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from backend.store.sqlite import SqliteStore
from backend.web.app import app_from_settings, create_app


def _frozen_after_start(app) -> int:
    """How many objects the collector leaves alone once the app has started (then unfrozen, so
    the test process goes on collecting as before)."""
    gc.unfreeze()
    try:
        with TestClient(app) as client:
            assert client.get("/api/health").status_code == 200
            return gc.get_freeze_count()
    finally:
        gc.unfreeze()


def test_a_server_process_puts_what_start_up_made_out_of_the_collectors_reach(tmp_path, monkeypatch):
    monkeypatch.setenv("TELARANA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TELARANA_STORE", "sqlite")
    frozen = _frozen_after_start(app_from_settings())
    # The modules, the app and the store: every object the collector tracked after start-up.
    assert frozen > 0.5 * len(gc.get_objects())


def test_an_app_made_for_a_test_leaves_the_collector_as_it_was(tmp_path):
    store_path = tmp_path / "store.sqlite3"
    assert _frozen_after_start(create_app(lambda: SqliteStore(store_path))) == 0
