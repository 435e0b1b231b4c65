"""The case dashboard: each of the user's cases, and only those, with what it holds, what waits
for the analyst and what was ingested last."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.domain.model import Correction, Judgement, RunOutcome
from backend.store.runs import IngestRuns
from backend.store.scoped import Scope, ScopedStore
from backend.store.sqlite import SqliteStore
from tests import factories as f

PASSWORD = f.SIGN_IN_PASSWORD


@pytest.fixture
def setting(tmp_path):
    path = tmp_path / "graph.sqlite3"
    story = f.two_case_database(path)
    with SqliteStore(path) as store:
        p = story.people
        store.add_judgement(Judgement.new(p["luisa"].id, p["recruiter"].id, "unsure", "rule:fs", "parecidos", case_id="caso-1", score=0.6))
        store.add_correction(Correction.new("caso-1", "annotate", p["luisa"].id, "user:ana", note="vista en la terminal"))
        store.add_correction(Correction.new("caso-2", "annotate", p["carlos"].id, "user:luis", note="nota de Cali"))
    runs = IngestRuns(tmp_path / "runs.sqlite3")
    run = runs.start("caso-1", "Caso Pereira", "cli:ana", "/casos/pereira")
    runs.finish(run.id, [RunOutcome(path="informe.txt", status="stored", document_id=story.interview.id, warnings=["fila 3 sin fecha"]),
                         RunOutcome(path="roto.pdf", status="failed", reason="PDF cifrado")], 1.0)  # fmt: skip
    users = {"ana": ("analyst", ("caso-1",)), "jefe": ("admin", ())}
    with TestClient(f.signed_in_app(path, tmp_path, users, runs=runs)) as client:
        yield client, path, story


def _signed_in(client, name):
    assert client.post("/api/login", json={"name": name, "password": PASSWORD}).status_code == 200
    return client.get("/api/dashboard").json()


def test_an_analyst_sees_her_cases_card_alone_with_what_it_holds(setting):
    client, path, story = setting
    (card,) = _signed_in(client, "ana")
    assert card["case"]["id"] == "caso-1"
    with SqliteStore(path) as store:
        counts = ScopedStore(store, Scope(cases=frozenset({"caso-1"}))).counts()
    assert card["documents"] == counts["documents"] == 2 and card["mentions"] == counts["mentions"]
    assert card["entities"] == counts["entities"] and card["relationships"] == sum(counts["relationships"].values())
    assert card["open_review_pairs"] == 1
    assert [c["note"] for c in card["recent_corrections"]] == ["vista en la terminal"] and card["corrections"] == 1
    run = card["last_run"]
    assert run["status"] == "done" and [o["status"] for o in run["outcomes"]] == ["stored", "failed"]
    assert run["outcomes"][0]["warnings"] == ["fila 3 sin fecha"] and run["outcomes"][1]["reason"] == "PDF cifrado"
    assert [d["title"] for d in card["latest_documents"]] == [story.interview.title]
    assert "Cali" not in str(card) and "318 000 1111" not in str(card)


def test_an_admin_sees_every_case_each_counted_on_its_own(setting):
    client, _, story = setting
    cards = {c["case"]["id"]: c for c in _signed_in(client, "jefe")}
    assert set(cards) == {"caso-1", "caso-2"}
    cali = cards["caso-2"]
    assert cali["documents"] == 2 and cali["last_run"] is None and cali["open_review_pairs"] == 0
    assert [c["note"] for c in cali["recent_corrections"]] == ["nota de Cali"]
    assert {d["title"] for d in cali["latest_documents"]} == {"Informe Cali 002", story.other_report.title}
