from __future__ import annotations


def _person(client, query):
    hits = client.get("/api/search", params={"q": query}).json()
    return next(h for h in hits if h["type"] == "Person")["id"]


def test_the_schema_is_served_and_redoc_is_not(client):
    assert client.get("/redoc").status_code == 404  # ReDoc's page would load its script from a CDN
    schema = client.get("/openapi.json").json()
    assert "/api/paths" in schema["paths"]


def test_health_and_counts(client):
    assert client.get("/api/health").json()["store"] == "sqlite"
    assert client.get("/api/counts").json()["documents"] == 3


def test_entity_neighbourhood_and_paths(client):
    recruiter, ana = _person(client, "perez"), _person(client, "ana torres")
    profile = client.get(f"/api/entities/{recruiter}").json()
    assert profile["entity"]["aliases"] == ["El Paisa"]
    hood = client.get(f"/api/entities/{recruiter}/neighbourhood", params={"hops": 2, "types": ["Person"]}).json()
    assert {n["type"] for n in hood["nodes"]} == {"Person"}
    paths = client.get("/api/paths", params={"source": recruiter, "target": ana, "k": 2}).json()["paths"]
    assert paths[0]["steps"][0]["relationships"][0]["evidence"][0]["text"]


def test_errors_are_json_with_the_right_status(client):
    missing = client.get("/api/entities/nobody")
    assert missing.status_code == 404
    assert missing.json() == {"error": "not_found", "message": "entity 'nobody' not found", "kind": "entity", "id": "nobody"}
    bad_date = client.get("/api/entities/x/neighbourhood", params={"date_from": "12/03/2018"})
    assert bad_date.status_code == 422
    assert "ISO 8601" in bad_date.json()["message"]
    bad_type = client.get("/api/entities/x/neighbourhood", params={"types": ["Alien"]})
    assert bad_type.status_code == 422


def test_the_schema_route_serves_the_vocabulary(client):
    from backend.domain.vocabulary import ENTITY_KINDS

    served = client.get("/api/schema").json()
    person = next(k for k in served["entity_types"] if k["type"] == "Person")
    assert person["label_es"] == "Persona" and person["label_en"] == "Person" and person["resolved"] is True
    assert len(served["entity_types"]) == len(ENTITY_KINDS)
    assert {k["type"] for k in served["relationship_types"]} >= {"USES_PHONE", "CALLED", "TRAVELLED"}
