"""Charts that are kept: saved in a case with every node where it was placed, reopened from the
graph as it stands, seen only by the case's users."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.store.charts import Charts
from tests import factories as f

PASSWORD = f.SIGN_IN_PASSWORD


@pytest.fixture
def world(tmp_path):
    path = tmp_path / "graph.sqlite3"
    story = f.two_case_database(path)
    users = {"ana": ("analyst", ("caso-1",)), "luis": ("analyst", ("caso-2",)), "fiscal": ("prosecutor", ("caso-1",))}
    app = f.signed_in_app(path, tmp_path, users, charts=Charts(tmp_path / "workspace.sqlite3"))
    return app, story, tmp_path


def _as(app, name):
    client = TestClient(app)
    response = client.post("/api/login", json={"name": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf"]
    return client


def _drawn(client, entity_id):
    view = client.get(f"/api/entities/{entity_id}/network", params={"hops": 1}).json()
    # The analyst drags every node somewhere else before saving.
    return [{"id": n["entity"]["id"], "x": n["x"] + 137.5, "y": -n["y"] - 20} for n in view["nodes"]]


def test_a_saved_chart_reopens_with_every_node_where_it_was_placed(world):
    app, story, tmp_path = world
    with _as(app, "ana") as ana:
        recruiter = story.people["recruiter"].id
        placed = _drawn(ana, recruiter)
        body = {"title": "Red del reclutador", "note": "para la fiscalía", "user": "ana", "focus": recruiter, "nodes": placed,
                "filters": {"hops": "1", "types": []}}  # fmt: skip
        saved = ana.post("/api/charts", json=body)
        assert saved.status_code == 201, saved.text
        chart = saved.json()
        assert chart["case_id"] == "caso-1" and chart["by"] == "ana" and chart["filters"] == {"hops": "1"}
        reopened = ana.get(f"/api/charts/{chart['id']}").json()
        assert {n["entity"]["id"]: (n["x"], n["y"]) for n in reopened["view"]["nodes"]} == {p["id"]: (p["x"], p["y"]) for p in placed}
        assert reopened["left_out"] == 0 and reopened["view"]["edges"]
        assert [c["title"] for c in ana.get("/api/charts").json()] == ["Red del reclutador"]
        again = ana.post("/api/charts", json=body | {"title": "Segunda versión", "replaces": chart["id"]}).json()
        assert again["replaces"] == chart["id"] and [c["title"] for c in ana.get("/api/charts").json()] == [
            "Segunda versión",
            "Red del reclutador",
        ]
    # Kept on disk: another process (a restarted server) reopens it.
    kept = Charts(tmp_path / "workspace.sqlite3").get(chart["id"])
    assert {n.id: (n.x, n.y) for n in kept.nodes} == {p["id"]: (p["x"], p["y"]) for p in placed}


def test_charts_stay_inside_their_case(world):
    app, story, _ = world
    with _as(app, "ana") as ana:
        recruiter = story.people["recruiter"].id
        chart = ana.post("/api/charts", json={"title": "Pereira", "user": "ana", "nodes": _drawn(ana, recruiter)}).json()
        carlos = story.people["carlos"].id  # only in the Cali case
        refused = ana.post("/api/charts", json={"title": "x", "user": "ana", "nodes": [{"id": carlos, "x": 0, "y": 0}]})
        assert refused.status_code == 404
        elsewhere = ana.post(
            "/api/charts", json={"title": "x", "user": "ana", "case_id": "caso-2", "nodes": [{"id": recruiter, "x": 0, "y": 0}]}
        )
        assert elsewhere.status_code == 404
    with _as(app, "luis") as luis:
        assert luis.get(f"/api/charts/{chart['id']}").status_code == 404 and luis.get("/api/charts").json() == []
        cannot = luis.post("/api/charts", json={"title": "x", "user": "luis", "replaces": chart["id"],
                                                "nodes": [{"id": story.people["carlos"].id, "x": 0, "y": 0}]})  # fmt: skip
        assert cannot.status_code == 404
    with _as(app, "fiscal") as fiscal:
        assert fiscal.get(f"/api/charts/{chart['id']}").status_code == 200  # reads the case's charts
        assert (
            fiscal.post("/api/charts", json={"title": "x", "user": "fiscal", "nodes": [{"id": recruiter, "x": 0, "y": 0}]}).status_code
            == 403
        )


def test_a_saved_chart_exports_with_its_layout_for_gephi_and_yed(world):
    from backend.reports.export import read_back

    app, story, _ = world
    with _as(app, "ana") as ana:
        recruiter = story.people["recruiter"].id
        placed = _drawn(ana, recruiter)
        chart = ana.post("/api/charts", json={"title": "Para Gephi", "user": "ana", "nodes": placed}).json()
        graphml = read_back(
            ana.get("/api/export", params={"format": "graphml", "scope": "chart", "chart_id": chart["id"]}).content, "graphml"
        )
        assert {n: (d["x"], d["y"]) for n, d in graphml.nodes(data=True)} == {p["id"]: (p["x"], p["y"]) for p in placed}
        assert graphml.number_of_edges() > 0
        gexf = ana.get("/api/export", params={"format": "gexf", "scope": "chart", "chart_id": chart["id"]}).text
        assert gexf.count("<viz:position") == len(placed)
    with _as(app, "luis") as luis:
        assert luis.get("/api/export", params={"format": "json", "scope": "chart", "chart_id": chart["id"]}).status_code == 404
