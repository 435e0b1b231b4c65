"""Judgements through the CLI and the API (the store contract covers the stores)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from fastapi.testclient import TestClient

from backend.cli import main
from backend.domain.model import Batch, Entity
from backend.store.sqlite import SqliteStore
from backend.web.app import create_app

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
    assert [(j["decision"], j["by"], j["retracts"]) for j in listed] == [
        ("same", "user:ana.gomez", None),
        ("different", "user:ana.gomez", judgement_id),
    ]
    missing = run(main, ["undo", "judgement:nope", "--by", "ana", "--reason", "x"])
    assert missing.exit_code == 1 and "not found" in missing.output.lower() and "Traceback" not in missing.output


def test_judgements_through_the_api(tmp_path):
    path = tmp_path / "api.sqlite3"
    with SqliteStore(path) as store:
        store.write(PEOPLE)
    with TestClient(create_app(lambda: SqliteStore(path))) as client:
        made = client.post(
            "/api/judgements", json={"left_id": "person:a", "right_id": "person:b", "decision": "same", "user": "ana", "reason": "r"}
        )
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


def test_ingest_resolves_new_persons_and_a_merge_is_explained_by_the_cli_and_the_api(tmp_path, monkeypatch):
    from tests.entity_resolution.test_graph import DOCUMENTS

    monkeypatch.setenv("TELARANA_DATA_DIR", str(tmp_path))
    for name in ("TELARANA_STORE", "TELARANA_SQLITE_PATH"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "caso"
    folder.mkdir()
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, "utf-8")
    run = CliRunner().invoke
    ingested = run(main, ["ingest", str(folder), "--case", "Caso", "--no-progress"])
    assert ingested.exit_code == 0, ingested.output
    assert "entity resolution: 4 person entities: 2 new 'same'" in ingested.output
    with SqliteStore(tmp_path / "telarana.sqlite3") as store:
        paisa = sorted(
            h.id
            for h in store.search("Jhon Fredy Cardona Restrepo", limit=20)
            if h.type == "Person" and h.label == "Jhon Fredy Cardona Restrepo"
        )
        [sister] = [h.id for h in store.search("Luz Dary", limit=20) if h.type == "Person"]
    explained = run(main, ["explain", paisa[0], paisa[2]])
    assert explained.exit_code == 0 and "are one person through" in explained.output and "by rule:fellegi-sunter-v1" in explained.output
    apart = run(main, ["explain", paisa[0], sister])
    assert apart.exit_code == 0 and "are not merged" in apart.output
    unknown = run(main, ["explain", paisa[0], "person:nobody"])
    assert unknown.exit_code == 1 and "not found" in unknown.output.lower() and "Traceback" not in unknown.output
    view = json.loads(run(main, ["neighbours", paisa[2], "--resolved"]).output)
    assert view["nodes"][0]["id"] == paisa[0] and sister in [n["id"] for n in view["nodes"]]
    again = run(main, ["resolve"])
    assert "0 new 'same' and 0 new 'unsure'" in again.output
    with TestClient(create_app(lambda: SqliteStore(tmp_path / "telarana.sqlite3"))) as client:
        body = client.get("/api/explain-merge", params={"left": paisa[0], "right": paisa[2]}).json()
        assert body["merged"] and body["chain"][0]["judgement"]["by"] == "rule:fellegi-sunter-v1"
        assert client.get("/api/explain-merge", params={"left": paisa[0], "right": "person:nobody"}).status_code == 404
        hood = client.get(f"/api/entities/{paisa[1]}/neighbourhood", params={"resolved": "true"}).json()
        assert [n["id"] for n in hood["nodes"]].count(paisa[0]) == 1 and all(p not in [n["id"] for n in hood["nodes"]] for p in paisa[1:])
        path = client.get("/api/paths", params={"source": sister, "target": paisa[1], "resolved": "true"}).json()["paths"]
        # Named beside one of his entities, she is one hop from the person he resolves to.
        assert [p["node_ids"] for p in path] == [[sister, paisa[0]]] and path[0]["steps"][0]["relationships"][0]["evidence"]
