"""With Neo4j stopped the API answers 503 with a clear message, and it recovers by itself when
Neo4j is back — whether Neo4j went away while the API ran or was not there when it started."""

from __future__ import annotations

import socket
import time

import pytest
from fastapi.testclient import TestClient

from backend.store import launcher as neo4j_launcher
from backend.store.neo4j import Neo4jStore
from backend.web.app import StoreHolder, create_app
from tests import factories as f

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

PASSWORD = "telarana-outage-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_neo4j(tmp_path):
    """A Neo4j of this test's own (the shared one must stay up), with a fixed home and port so
    that it can be stopped and started again with its data."""
    started = {}

    def start():
        started["server"] = neo4j_launcher.start(home=tmp_path / "neo4j", port=port, password=PASSWORD, heap="512m", pagecache="64m")
        return started["server"].uri

    def stop():
        started.pop("server").stop()

    port = _free_port()
    yield start, stop, f"bolt://127.0.0.1:{port}"
    if "server" in started:
        stop()


def _open(uri):
    return lambda: Neo4jStore(uri=uri, user="neo4j", password=PASSWORD, connect_timeout=2)


def _assert_unavailable(response):
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["error"] == "store_unavailable" and body["message"].startswith("store not reachable at bolt://127.0.0.1:")


def test_neo4j_going_away_gives_503_and_coming_back_heals(own_neo4j):
    start, stop, uri = own_neo4j
    start()
    story = f.story()
    with Neo4jStore(uri=uri, user="neo4j", password=PASSWORD) as store:
        store.write(story.batch())
    recruiter = story.people["recruiter"].id
    with TestClient(create_app(_open(uri))) as client:
        assert client.get("/api/health").json()["status"] == "ok"
        assert client.get(f"/api/entities/{recruiter}").status_code == 200
        stop()
        for route in ("/api/health", "/api/search?q=Pérez", f"/api/entities/{recruiter}", f"/api/entities/{recruiter}/neighbourhood"):
            _assert_unavailable(client.get(route))
        start()
        assert client.get("/api/health").json()["status"] == "ok"
        assert client.get(f"/api/entities/{recruiter}").json()["entity"]["label"] == story.people["recruiter"].label
        assert any(hit["id"] == recruiter for hit in client.get("/api/search", params={"q": "Pérez"}).json())


def test_an_api_started_while_neo4j_is_down_serves_once_it_is_up(own_neo4j):
    start, stop, uri = own_neo4j
    with TestClient(create_app(_open(uri))) as client:
        _assert_unavailable(client.get("/api/health"))
        _assert_unavailable(client.get("/api/search?q=x"))
        assert client.get("/").status_code == 200  # the pages themselves still load, and say why data does not
        start()
        time.sleep(StoreHolder.RETRY_SECONDS)  # failures are remembered that long, not retried per request
        assert client.get("/api/health").json()["status"] == "ok"
