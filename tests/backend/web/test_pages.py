"""The routes behind the web view: profile, network view, paths view, document view and original,
review queue with merge / undo / split, statistics, local assets and JSON errors."""

from __future__ import annotations

import re

from backend.web.app import FRONTEND

ORIGINAL = "Un archivo que ningún documento guardado tiene.".encode()


def _id(client, query, kind="Person"):
    hits = client.get("/api/search", params={"q": query}).json()
    return next(h for h in hits if h["type"] == kind)["id"]


def test_pages_and_api_docs_load_nothing_from_elsewhere(client):
    for route in ["/", "/entity/x", "/paths", "/documents/x", "/review", "/stats", "/docs", "/login", "/upload", "/import", "/analysis"]:
        page = client.get(route)
        assert page.status_code == 200, route
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"
        for url in re.findall(r"""(?:src|href|url)\s*[=:(]\s*["']([^"']+)""", page.text):
            assert url.startswith(("/", "data:")), f"{route} loads {url}"
    assert "'unsafe-inline'" not in client.get("/").headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" in client.get("/docs").headers["content-security-policy"].split("script-src")[1].split(";")[0]
    # An answer's own header is kept: pages say no-cache themselves.
    assert client.get("/api/schema").headers["cache-control"] == "no-store" and client.get("/").headers["cache-control"] == "no-cache"
    scripts = [*FRONTEND.glob("*.html"), *FRONTEND.glob("static/*")]
    assert len(scripts) >= 9
    for file in scripts:
        # The SVG namespace names a vocabulary; nothing is fetched from it.
        text = file.read_text("utf-8").replace("http://www.w3.org/2000/svg", "")
        assert not re.search(r"https?://|//cdn", text), file.name
    vendored = ["/vendor/vis-network/vis-network.min.js", "/vendor/swagger/swagger-ui-bundle.js", "/static/common.js", "/vendor/leaflet/leaflet.js",
                "/vendor/leaflet/leaflet.css", "/vendor/topojson-client/topojson-client.min.js", "/vendor/world-atlas/countries-50m.json",
                "/vendor/basemap/co-departments.topo.json"]  # fmt: skip
    for asset in vendored:
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 1000, asset


def test_profile_highlights_each_mention_and_names_linked_entities(client):
    recruiter = _id(client, "perez")
    profile = client.get(f"/api/entities/{recruiter}/profile").json()
    assert profile["entity"]["label"] == "Juan Carlos Pérez Gómez"
    assert profile["mentions"]
    for m in profile["mentions"]:
        assert m["sentence"][m["highlight_start"] : m["highlight_end"]] == m["text"]
    others = {r["target_id"] if r["source_id"] == recruiter else r["source_id"] for r in profile["relationships"]}
    assert others and others == set(profile["linked"])
    assert profile["same_as"] == [] and profile["resolution_history"] == []


def test_network_view_places_every_node_and_respects_filters(client):
    recruiter = _id(client, "perez")
    view = client.get(f"/api/entities/{recruiter}/network", params={"hops": 2}).json()
    assert view["focus"] == [recruiter] and view["layout"] == "spring"
    ids = {n["entity"]["id"] for n in view["nodes"]}
    assert recruiter in ids and len(ids) > 3
    assert all(e["source_id"] in ids and e["target_id"] in ids for e in view["edges"])
    assert len({(n["x"], n["y"]) for n in view["nodes"]}) == len(ids)
    people = client.get(f"/api/entities/{recruiter}/network", params={"hops": 2, "types": ["Person"]}).json()
    assert {n["entity"]["type"] for n in people["nodes"]} == {"Person"}


def test_paths_view_draws_the_paths_with_evidence_on_every_step(client):
    recruiter, ana = _id(client, "perez"), _id(client, "ana torres")
    result = client.get("/api/paths/network", params={"source": recruiter, "target": ana, "k": 2}).json()
    paths = result["paths"]["paths"]
    assert paths and paths[0]["node_ids"][0] == recruiter and paths[0]["node_ids"][-1] == ana
    drawn = {n["entity"]["id"] for n in result["view"]["nodes"]}
    assert {i for p in paths for i in p["node_ids"]} == drawn
    for step in paths[0]["steps"]:
        for rel in step["relationships"]:
            assert rel["evidence"]
    evidence = client.get("/api/relationships/evidence", params={"ids": [paths[0]["steps"][0]["relationships"][0]["id"]]}).json()
    assert list(evidence.values())[0][0]["text"]


def test_document_view_and_its_original(client):
    document_id = client.get("/api/search", params={"q": "informe"}).json()
    document_id = next(h["id"] for h in document_id if h["kind"] == "document")
    view = client.get(f"/api/documents/{document_id}/view").json()
    text = view["document"]["text"]
    assert view["mentions"] and view["original_available"] is False
    for m in view["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]
        assert m["entity_id"] in view["entities"]
    missing = client.get(f"/api/documents/{document_id}/original")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"

    kept = client.originals.keep(ORIGINAL)  # a file kept, but of no stored document
    assert client.get(f"/api/documents/{kept}/original").status_code == 404
    # The sample's documents were text files: their id is the SHA-256 of the text's bytes.
    assert client.originals.keep(text.encode()) == document_id
    assert client.get(f"/api/documents/{document_id}/view").json()["original_available"] is True
    download = client.get(f"/api/documents/{document_id}/original")
    assert download.status_code == 200 and download.content == text.encode()
    assert download.headers["content-disposition"].startswith("attachment;")


def test_review_queue_merge_undo_and_split(client):
    a, b = _id(client, "luisa fernanda"), _id(client, "maria lopez")
    assert client.get("/api/review-queue").json()["total"] == 0
    unsure = client.post(
        "/api/judgements", json={"left_id": a, "right_id": b, "decision": "unsure", "user": "ana.r", "reason": "mismo barrio"}
    )
    assert unsure.status_code == 201
    queue = client.get("/api/review-queue").json()
    assert queue["total"] == 1
    item = queue["items"][0]
    assert {item["left"]["entity"]["id"], item["right"]["entity"]["id"]} == {a, b}
    assert item["left"]["seen_in"] and item["judgement"]["reason"] == "mismo barrio"

    merged = client.post("/api/judgements", json={"left_id": a, "right_id": b, "decision": "same", "user": "ana.r"}).json()
    assert client.get("/api/review-queue").json()["total"] == 0
    profile = client.get(f"/api/entities/{a}/profile").json()
    assert [e["id"] for e in profile["same_as"]] == [b]
    assert [j["decision"] for j in profile["resolution_history"]] == ["unsure", "same"]
    assert client.get("/api/stats").json()["judgements"]["by_decision"] == {"same": 1}

    undone = client.post(f"/api/judgements/{merged['id']}/undo", json={"user": "ana.r", "reason": "me equivoqué"})
    assert undone.status_code == 201 and undone.json()["retracts"] == merged["id"]
    assert client.get("/api/review-queue").json()["total"] == 1  # back to "not sure"
    assert client.get(f"/api/entities/{a}/profile").json()["same_as"] == []

    client.post("/api/judgements", json={"left_id": a, "right_id": b, "decision": "same", "user": "ana.r"})
    split = client.post(f"/api/entities/{a}/split", json={"user": "jefe", "reason": "otra cédula"})
    assert split.status_code == 201 and [j["decision"] for j in split.json()] == ["different"]
    assert client.get(f"/api/entities/{a}/profile").json()["same_as"] == []
    assert client.post(f"/api/entities/{a}/split", json={"user": "jefe", "reason": " "}).status_code == 422


def test_statistics(client):
    stats = client.get("/api/stats").json()
    assert stats["counts"]["documents"] == 3
    ranked = stats["most_connected"]
    assert ranked and [r["degree"] for r in ranked] == sorted((r["degree"] for r in ranked), reverse=True)
    for r in ranked:
        assert len(client.get(f"/api/entities/{r['entity']['id']}").json()["relationships"]) == r["degree"]
    assert stats["waiting_for_review"] == 0


def test_errors_are_json_everywhere(client):
    unknown = client.get("/api/no-such-route")
    assert unknown.status_code == 404 and unknown.json() == {"error": "not_found", "message": "no such page or API route"}
    bad = client.get("/api/entities/x/network", params={"hops": 99})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_request" and "hops" in bad.json()["message"]
    bad_user = client.post("/api/judgements", json={"left_id": "a", "right_id": "b", "decision": "same", "user": "no spaces"})
    assert bad_user.status_code == 422 and "user" in bad_user.json()["message"]
    assert client.get("/api/entities/nobody/profile").status_code == 404
    assert client.get("/api/documents/nothing/view").json()["error"] == "not_found"
    assert client.delete("/api/stats").json()["error"] == "method_not_allowed"
