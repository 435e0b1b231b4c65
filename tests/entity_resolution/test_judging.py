"""Judgements through the CLI and the API (the store contract covers the stores)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from fastapi.testclient import TestClient

from backend.api import create_app
from backend.cli import main
from backend.model import Batch, Entity
from backend.store.sqlite import SqliteStore

PEOPLE = Batch(
    entities=(
        Entity(id="person:a", type="Person", label="Juan Carlos Pérez Gómez"),
        Entity(id="person:b", type="Person", label="PEREZ GOMEZ JUAN CARLOS"),
    )
)


def test_judge_list_and_undo_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("TELARANA_DATA_DIR", str(tmp_path))
    for name in ("TELARANA_STORE", "TELARANA_SQLITE_PATH"):
        monkeypatch.delenv(name, raising=False)
    with SqliteStore(tmp_path / "telarana.sqlite3") as store:
        store.write(PEOPLE)
    run = CliRunner().invoke
    made = run(main, ["judge", "same", "person:a", "person:b", "--by", "ana.gomez", "--reason", "misma cédula"])
    assert made.exit_code == 0, made.output
    judgement_id = made.output.split(":", 2)[0] + ":" + made.output.split(":", 2)[1]
    undone = run(main, ["undo", judgement_id, "--by", "ana.gomez", "--reason", "eran hermanos", "--decision", "different"])
    assert undone.exit_code == 0 and "the pair is now different" in undone.output
    listed = json.loads(run(main, ["judgements", "person:a", "--json"]).output)
    assert [(j["decision"], j["by"], j["retracts"]) for j in listed] == [("same", "user:ana.gomez", None), ("different", "user:ana.gomez", judgement_id)]
    missing = run(main, ["undo", "judgement:nope", "--by", "ana", "--reason", "x"])
    assert missing.exit_code == 1 and "not found" in missing.output.lower() and "Traceback" not in missing.output


def test_judgements_through_the_api(tmp_path):
    path = tmp_path / "api.sqlite3"
    with SqliteStore(path) as store:
        store.write(PEOPLE)
    with TestClient(create_app(lambda: SqliteStore(path))) as client:
        made = client.post("/api/judgements", json={"left_id": "person:a", "right_id": "person:b", "decision": "same", "user": "ana", "reason": "r"})
        assert made.status_code == 201 and made.json()["by"] == "user:ana"
        undone = client.post(f"/api/judgements/{made.json()['id']}/undo", json={"user": "luis", "reason": "no"})
        assert undone.status_code == 201 and undone.json()["decision"] == "unsure"
        assert [j["decision"] for j in client.get("/api/judgements", params={"entity": "person:b"}).json()] == ["same", "unsure"]
        bad = client.post("/api/judgements", json={"left_id": "person:a", "right_id": "person:zz", "decision": "same", "user": "ana"})
        assert bad.status_code == 422 and "does not exist" in bad.json()["message"]
        no_reason = client.post(f"/api/judgements/{made.json()['id']}/undo", json={"user": "luis", "reason": ""})
        assert no_reason.status_code == 422
        # "same", then undone to "unsure": the cluster is the entity alone again; judged same again, both.
        assert [e["id"] for e in client.get("/api/entities/person:a/same-as").json()] == ["person:a"]
        client.post("/api/judgements", json={"left_id": "person:b", "right_id": "person:a", "decision": "same", "user": "ana"})
        assert [e["id"] for e in client.get("/api/entities/person:a/same-as").json()] == ["person:a", "person:b"]
        assert client.get("/api/entities/person:zz/same-as").status_code == 404
