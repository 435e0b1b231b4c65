"""Screening through the API: flags reviewed like review pairs (confirm, dismiss with a reason,
reopen; every review kept), a case's watchlist and the alerts new data raises, each seen only by
the case's users."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.analysis.screening import known_index
from backend.domain.model import Batch
from backend.domain.screening import Flag, Indicator, TravelRow
from backend.jobs.screening import screen_documents
from backend.store.screening import Screenings
from backend.store.sqlite import SqliteStore
from tests import factories as f


@pytest.fixture
def world(tmp_path):
    path = tmp_path / "graph.sqlite3"
    story = f.two_case_database(path)
    screenings = Screenings(tmp_path / "workspace.sqlite3")
    users = {"ana": ("analyst", ("caso-1",)), "luis": ("analyst", ("caso-2",))}
    app = f.signed_in_app(path, tmp_path, users, screenings=screenings)
    return app, story, path, screenings


def _as(app, name):
    client = TestClient(app)
    response = client.post("/api/login", json={"name": name, "password": f.SIGN_IN_PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf"]
    return client


def test_a_flag_is_confirmed_dismissed_with_a_reason_or_reopened_and_every_review_is_kept(world):
    app, story, _, screenings = world
    row = TravelRow(document_id=story.report.id, row=7, passenger="LUISA FERNANDA RÍOS", departure="2026-11-30T06:30:00", origin="Pereira",
                    destination="Ipiales", sex="F", age=17)  # fmt: skip
    screenings.keep_rows("caso-1", [row])
    flag = Flag.new(
        "caso-1",
        Indicator.LATE_BOOKING,
        story.report.id,
        [7],
        [row.passenger],
        0.55,
        [("tiquete comprado 2 h antes", "ticket bought 2 h before")],
    )
    screenings.add_flags([flag])
    with _as(app, "ana") as ana, _as(app, "luis") as luis:
        [shown] = ana.get("/api/screening/flags").json()
        assert (shown["status"], shown["rows"][0]["passenger"], shown["document_title"]) == (
            "open",
            "LUISA FERNANDA RÍOS",
            story.report.title,
        )
        assert luis.get("/api/screening/flags", params={"status": "all"}).json() == []
        assert luis.post(f"/api/screening/flags/{flag.id}/review", json={"decision": "confirmed", "user": "luis"}).status_code == 404
        refused = ana.post(f"/api/screening/flags/{flag.id}/review", json={"decision": "dismissed", "user": "ana"})
        assert refused.status_code == 422 and "reason" in refused.text
        dismissed = ana.post(f"/api/screening/flags/{flag.id}/review", json={"decision": "dismissed", "user": "ana",
                                                                           "reason": "viaja con permiso notarial de los padres"})  # fmt: skip
        assert dismissed.status_code == 201
        assert ana.get("/api/screening/flags").json() == []
        [kept] = ana.get("/api/screening/flags", params={"status": "dismissed"}).json()
        assert kept["review"]["reason"] == "viaja con permiso notarial de los padres" and kept["review"]["by"] == "user:ana"
        assert ana.post(f"/api/screening/flags/{flag.id}/review", json={"decision": "confirmed", "user": "ana"}).status_code == 422
        reopened = ana.post(
            f"/api/screening/flags/{flag.id}/review", json={"decision": "reopened", "user": "ana", "reason": "otra versión"}
        )
        assert reopened.status_code == 201 and ana.get("/api/screening/flags").json()[0]["status"] == "open"
        assert ana.post(f"/api/screening/flags/{flag.id}/review", json={"decision": "confirmed", "user": "ana"}).status_code == 201
    assert [r.decision for r in screenings.reviews(["caso-1"])] == ["dismissed", "reopened", "confirmed"]


def test_a_watched_phone_raises_an_alert_when_new_data_mentions_it_and_only_its_case_sees_it(world):
    app, story, path, screenings = world
    with _as(app, "ana") as ana, _as(app, "luis") as luis:
        entry = ana.post("/api/watchlist", json={"kind": "phone", "value": "312 456 7890", "user": "ana", "reason": "celular del reclutador",
                                                 "case_id": "caso-1"}).json()  # fmt: skip
        assert entry["key"] == "+573124567890" and luis.get("/api/watchlist").json() == []
        assert ana.post("/api/watchlist", json={"kind": "phone", "value": "x", "user": "ana", "case_id": "caso-2"}).status_code == 404
        note = f.document("Nota de la terminal: el 312 456 7890 compró dos tiquetes.", title="Nota terminal")
        with SqliteStore(path) as store:
            store.write(Batch(documents=(note,), mentions=(f.mention(note, "312 456 7890", story.things["phone_recruiter"]),)))
            summary = screen_documents(store, screenings, known_index(store, screenings.watchlist(["caso-1"])), [note], None)
        assert summary.alerts == 1
        [alert] = ana.get("/api/watchlist/alerts").json()
        assert (alert["value"], alert["document_title"], alert["entity_id"]) == (
            "312 456 7890",
            "Nota terminal",
            story.things["phone_recruiter"].id,
        )
        assert luis.get("/api/watchlist/alerts").json() == []
        lifted = ana.post(f"/api/watchlist/{entry['id']}/lift", json={"user": "ana", "reason": "línea dada de baja"})
        assert lifted.status_code == 201 and ana.get("/api/watchlist").json() == [] and ana.get("/api/watchlist/alerts").json() == []
