"""The import wizard through the API: a table's proposal and preview, the mapping kept as a
profile, and the table imported into a case with it."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from backend.store.runs import IngestRuns
from tests import factories as f
from tests.ingest.test_table_mapping import ODD_BUS_LIST, ODD_MAPPING


@pytest.fixture
def client(tmp_path):
    path = tmp_path / "graph.sqlite3"
    f.two_case_database(path)
    users = {"ana": ("analyst", ("caso-1",)), "fiscal": ("prosecutor", ("caso-1",))}
    app = f.signed_in_app(path, tmp_path, users, runs=IngestRuns(tmp_path / "runs.sqlite3"))
    with TestClient(app) as client:
        client.app_under_test = app
        yield client


def _sign_in(client, name):
    answer = client.post("/api/login", json={"name": name, "password": f.SIGN_IN_PASSWORD})
    client.headers["X-CSRF-Token"] = answer.json()["csrf"]


def _preview(client, **params):
    return client.post("/api/import/preview", params={"name": "viajeros.csv", **params}, content=ODD_BUS_LIST)


def test_the_wizard_proposes_previews_keeps_the_profile_and_imports_with_it(client):
    _sign_in(client, "ana")
    proposed = _preview(client).json()
    assert proposed["header_row"] == 2 and proposed["profile"] == "bus_tickets" and "passenger" in proposed["missing"]
    assert {p["name"] for p in proposed["profiles"]} == {"bus_tickets", "cdr", "flight_manifest", "subscribers"}
    assert proposed["profiles"][0]["labels"]["es"]["profile"] and proposed["profiles"][0]["labels"]["en"]["profile"]
    mapped = _preview(client, profile="bus_tickets", header_row=2, columns=json.dumps(ODD_MAPPING)).json()
    assert mapped["missing"] == [] and mapped["records_total"] == 2 and mapped["problems_total"] == 1
    headers = mapped["headers"]
    columns = {field: headers[index] for field, index in ODD_MAPPING.items()}
    saved = client.post(
        "/api/import/profiles", json={"name": "viajeros-pereira", "profile": "bus_tickets", "columns": columns, "user": "ana"}
    )
    assert saved.status_code == 201
    assert client.get("/api/import/profiles").json() == [{"name": "viajeros-pereira", "profile": "bus_tickets", "columns": columns}]

    run = client.post("/api/uploads", json={"case_id": "caso-1", "user": "ana", "profile": "viajeros-pereira"}).json()
    assert client.put(f"/api/uploads/{run['id']}/files", params={"name": "viajeros.csv"}, content=ODD_BUS_LIST).status_code == 200
    client.post(f"/api/uploads/{run['id']}/start")
    assert client.app_under_test.state.uploads.wait(120)
    done = client.get(f"/api/uploads/{run['id']}").json()
    ((outcome),) = done["outcomes"]
    assert outcome["status"] == "stored" and outcome["table_rows"] == 2 and outcome["rows_read"] == 1, outcome
    hits = client.get("/api/search", params={"q": "Yésica Montoya", "case_id": "caso-1"}).json()
    assert any(h["type"] == "Person" for h in hits)


def test_what_the_wizard_cannot_use_is_refused_with_the_reason(client):
    _sign_in(client, "ana")
    assert _preview(client, profile="pasaportes").status_code == 422
    assert _preview(client, columns="no es json").status_code == 422
    assert client.post("/api/import/preview", params={"name": "informe.pdf"}, content=b"%PDF").status_code == 422
    refused = client.post("/api/import/profiles", json={"name": "../fuera", "profile": "cdr", "columns": {"caller": "A"}, "user": "ana"})
    assert refused.status_code == 422
    unknown_field = client.post(
        "/api/import/profiles", json={"name": "malo", "profile": "cdr", "columns": {"pasajero": "A"}, "user": "ana"}
    )
    assert unknown_field.status_code == 422 and "pasajero" in unknown_field.json()["message"]
    assert client.post("/api/uploads", json={"case_id": "caso-1", "user": "ana", "profile": "no-existe"}).status_code == 404


def test_a_prosecutor_does_not_import(client):
    _sign_in(client, "fiscal")
    assert _preview(client).status_code == 403
    assert (
        client.post("/api/import/profiles", json={"name": "x", "profile": "cdr", "columns": {"caller": "A"}, "user": "fiscal"}).status_code
        == 403
    )
