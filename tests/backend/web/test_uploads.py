"""Uploads from the browser, through the API: files into a case the user works on, read by the
ingest job in the background, followed to the end; limits, cancel, roles and compartments."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from backend.store.runs import IngestRuns
from tests import factories as f

REPORT = (
    "INFORME DE POLICÍA JUDICIAL. En la terminal de transportes de Pereira se entrevistó a ROSALBA QUINTERO MEJÍA, "
    "C.C. 24.331.908, quien manifestó que su celular es el 316 402 7781 y que viajaba a Ipiales.\n"
)
NOTE = "Nota de campo: el conductor GILDARDO PATIÑO OSORIO recibió a las jóvenes en el terminal de Ipiales.\n"


@pytest.fixture
def server(tmp_path):
    path = tmp_path / "graph.sqlite3"
    f.two_case_database(path)
    users = {"ana": ("analyst", ("caso-1",)), "fiscal": ("prosecutor", ("caso-1",)), "luis": ("analyst", ("caso-2",))}
    runs = IngestRuns(tmp_path / "runs.sqlite3")
    app = f.signed_in_app(path, tmp_path, users, settings={"upload_max_files": 3}, runs=runs)
    with TestClient(app) as client:
        yield client, app


def _sign_in(client, name):
    answer = client.post("/api/login", json={"name": name, "password": f.SIGN_IN_PASSWORD})
    assert answer.status_code == 200
    client.headers["X-CSRF-Token"] = answer.json()["csrf"]


def _open(client, case_id="caso-1", user="ana"):
    answer = client.post("/api/uploads", json={"case_id": case_id, "user": user})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _send(client, run_id, name, data: bytes):
    return client.put(f"/api/uploads/{run_id}/files", params={"name": name}, content=data)


def test_a_folder_uploaded_is_read_into_the_case_and_followed_to_the_end(server):
    client, app = server
    _sign_in(client, "ana")
    run = _open(client)
    assert run["status"] == "receiving" and run["case_id"] == "caso-1" and run["by"] == "web:ana"
    assert _send(client, run["id"], "terminal/informe.txt", REPORT.encode()).json()["files_received"] == 1
    assert _send(client, run["id"], "terminal/nota.txt", NOTE.encode()).json()["kept"] == ["terminal/nota.txt"]
    started = client.post(f"/api/uploads/{run['id']}/start")
    assert started.status_code == 202 and started.json()["status"] in ("queued", "running", "done")
    assert app.state.uploads.wait(180)
    done = client.get(f"/api/uploads/{run['id']}").json()
    assert done["status"] == "done" and done["percent"] == 100.0 and done["files_done"] == done["files_total"] == 2
    assert sorted((o["path"], o["status"]) for o in done["outcomes"]) == [
        ("terminal/informe.txt", "stored"),
        ("terminal/nota.txt", "stored"),
    ]
    hits = client.get("/api/search", params={"q": "Rosalba Quintero", "case_id": "caso-1"}).json()
    assert any(h["type"] == "Person" and "ROSALBA" in h["label"].upper() for h in hits)
    assert done["id"] in [r["id"] for r in client.get("/api/uploads").json()]
    # The run is over: it takes no more files, and cannot be started twice.
    assert _send(client, run["id"], "tarde.txt", b"tarde").status_code == 422
    assert client.post(f"/api/uploads/{run['id']}/start").status_code == 422


def test_a_zip_is_unpacked_and_its_members_count_against_the_limits(server):
    client, _ = server
    _sign_in(client, "ana")
    run = _open(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(4):
            archive.writestr(f"carpeta/informe{i}.txt", NOTE)
    refused = _send(client, run["id"], "carpeta.zip", buffer.getvalue())
    assert refused.status_code == 413 and "limits" in refused.json()["message"]
    # Three files is the limit here: the fourth one is refused, the others stay.
    for i in range(3):
        assert _send(client, run["id"], f"a{i}.txt", NOTE.encode()).status_code == 200
    assert _send(client, run["id"], "a3.txt", NOTE.encode()).status_code == 413


def test_an_upload_not_yet_read_is_cancelled_at_once_and_its_files_removed(server, tmp_path):
    client, _ = server
    _sign_in(client, "ana")
    run = _open(client)
    _send(client, run["id"], "informe.txt", REPORT.encode())
    cancelled = client.post(f"/api/uploads/{run['id']}/cancel").json()
    assert cancelled["status"] == "cancelled" and cancelled["cancel_requested"]
    assert not [p for p in (tmp_path / "uploads").rglob("informe.txt")]
    assert client.post(f"/api/uploads/{run['id']}/start").status_code == 422


def test_only_a_member_of_the_case_who_changes_data_uploads_into_it(server):
    client, _ = server
    _sign_in(client, "ana")
    assert client.post("/api/uploads", json={"case_id": "caso-2", "user": "ana"}).status_code == 404
    run = _open(client)
    _sign_in(client, "luis")  # an analyst of the other case cannot see, feed or cancel it
    assert client.get(f"/api/uploads/{run['id']}").status_code == 404
    assert _send(client, run["id"], "x.txt", b"x").status_code == 404
    assert client.post(f"/api/uploads/{run['id']}/cancel").status_code == 404
    assert run["id"] not in [r["id"] for r in client.get("/api/uploads").json()]
    _sign_in(client, "fiscal")  # a prosecutor reads the case, does not add to it
    assert client.post("/api/uploads", json={"case_id": "caso-1", "user": "fiscal"}).status_code == 403
    assert client.get(f"/api/uploads/{run['id']}").status_code == 200


def test_a_file_name_that_climbs_out_of_the_upload_is_refused(server):
    client, _ = server
    _sign_in(client, "ana")
    run = _open(client)
    answer = _send(client, run["id"], "../../fuera.txt", b"x")
    assert answer.status_code == 422 and "outside" in answer.json()["message"]


def test_the_upload_and_its_file_names_are_in_the_audit_log(server):
    client, app = server
    _sign_in(client, "ana")
    run = _open(client)
    _send(client, run["id"], "entrevista víctima.txt", NOTE.encode())
    lines = [" ".join(str(v) for v in e.__dict__.values()) for e in app.state.accounts.audit(limit=20)]
    assert any("PUT /api/uploads/{run_id}/files" in line and "entrevista" in line and "200" in line for line in lines), lines
