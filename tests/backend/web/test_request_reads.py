"""On Neo4j a GET request makes its reads in one read transaction, ended when it is answered; a
request that writes reads as it goes, so it sees its own writes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.store.neo4j import Neo4jStore
from backend.web.app import create_app
from tests import factories as f
from tests.backend.store.test_store_specific import counting_reads
from tests.backend.web.test_deps import worker_trips

pytestmark = pytest.mark.neo4j


def test_a_get_reads_in_one_transaction_ended_with_its_answer_and_a_post_reads_as_it_goes(neo4j_server, monkeypatch):
    uri, user, password = neo4j_server
    store = Neo4jStore(uri=uri, user=user, password=password, connect_timeout=30)  # the app closes it at shutdown
    store.clear()
    g = f.story()
    store.write(g.batch())
    opened: list = []
    real_together = Neo4jStore.reads_together

    def together(self):
        view, end = real_together(self)
        opened.append(view._together)
        return view, end

    monkeypatch.setattr(Neo4jStore, "reads_together", together)
    counts = counting_reads(store, monkeypatch)
    recruiter, luisa = g.people["recruiter"].id, g.people["luisa"].id
    with TestClient(create_app(lambda: store)) as client:
        counts.update(managed=0, sessions=0)
        trips = worker_trips(monkeypatch)
        answer = client.get(f"/api/entities/{recruiter}/neighbourhood", params={"hops": 2})
        assert answer.status_code == 200 and len(answer.json()["nodes"]) > 3
        assert len(opened) == 1 and counts == {"managed": 0, "sessions": 1}  # every read in one transaction
        assert opened[0]._done and opened[0]._session is None  # ended with the answer
        assert [t for t in trips if t != "record"] == ["work"]  # and on the thread that worked it out, not one more trip
        counts.update(managed=0, sessions=0)
        made = client.post("/api/judgements", json={"left_id": recruiter, "right_id": luisa, "decision": "unsure", "user": "ana.r"})
        assert made.status_code == 201 and len(opened) == 1 and counts["managed"] > 0
        history = client.get(f"/api/entities/{recruiter}/profile").json()["resolution_history"]
        assert [j["decision"] for j in history] == ["unsure"] and len(opened) == 2
        store.clear()
