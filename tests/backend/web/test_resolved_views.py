"""One person is one person everywhere: search, pickers, statistics, the person page, the
network's calls, the timeline and the analysis's case box, over the bundled sample case
(ingested and resolved). And search as analysts type phones, ID numbers and case names."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.store.sqlite import SqliteStore
from backend.web.app import create_app


@pytest.fixture(scope="module")
def client(sample_case_db):
    with TestClient(create_app(lambda: SqliteStore(sample_case_db))) as c:
        yield c


def _entities(client, q: str) -> list[dict]:
    return [h for h in client.get("/api/search", params={"q": q, "limit": 50}).json() if h["kind"] == "entity"]


def test_search_lists_each_resolved_person_once_with_its_member_count(client):
    wilmer = [h for h in _entities(client, "wilmer") if h["type"] == "Person"]
    assert len(wilmer) == 1 and wilmer[0]["member_count"] == 9 and wilmer[0]["label"] == "Wilmer Andrés Quintero Lasso"


@pytest.mark.parametrize("written", ["3004189922", "300-418-9922", "(300) 418 99 22", "+57 300 418 9922", "4189922", "300 4189"])
def test_phones_are_found_however_they_are_written(client, written):
    found = [h["label"] for h in _entities(client, written) if h["type"] == "Phone"]
    if len("".join(c for c in written if c.isdigit())) >= 7:
        assert found == ["+573004189922"], written
    else:
        assert "+573004189922" in found or found == [], written  # fewer than 7 digits: words, not a number


@pytest.mark.parametrize("written", ["1004567213", "1.004.567.213", "CC 1.004.567.213", "4567213"])
def test_id_numbers_are_found_with_or_without_dots(client, written):
    assert [h["label"] for h in _entities(client, written) if h["type"] == "IdentityDocument"] == ["CC 1004567213"]


def test_the_person_page_gathers_every_member(client):
    (wilmer,) = [h for h in _entities(client, "wilmer quintero") if h["type"] == "Person"]
    profile = client.get(f"/api/entities/{wilmer['id']}/profile").json()
    assert profile["member_count"] == 9 and len(profile["entity"]["properties"]["member_ids"]) == 9
    assert len({m["document_id"] for m in profile["mentions"]}) == len(profile["documents"]) > 1
    assert sum(d["mentions"] for d in profile["documents"]) == len(profile["mentions"]) >= 9
    member = profile["entity"]["properties"]["member_ids"][-1]  # any member's page is the person's page
    assert client.get(f"/api/entities/{member}/profile").json()["member_count"] == 9
    phones = {profile["linked"][r["target_id"]]["label"] for r in profile["relationships"] if r["type"] == "USES_PHONE"}
    assert phones  # the phones of all its records


def test_calls_between_two_phones_are_one_edge_with_count_dates_and_rows(client):
    (phone,) = _entities(client, "+573004189922")
    profile = client.get(f"/api/entities/{phone['id']}/profile").json()
    calls = [r for r in profile["relationships"] if r["type"] == "CALLED"]
    pairs = [frozenset((r["source_id"], r["target_id"])) for r in calls]
    assert len(pairs) == len(set(pairs))  # one per pair of phones
    busiest = max(calls, key=lambda r: r["properties"].get("calls", 1))
    props = busiest["properties"]
    assert props["calls"] == 12 == len(props["relationship_ids"]) == len(busiest["evidence"])
    assert props["first_date"] <= props["last_date"] and props["total_duration_s"] > 0
    network = client.get(f"/api/entities/{phone['id']}/network", params={"hops": 1}).json()
    drawn = [frozenset((e["source_id"], e["target_id"])) for e in network["edges"] if e["type"] == "CALLED"]
    assert len(drawn) == len(set(drawn))
    rows = client.get("/api/relationships/evidence", params={"ids": props["relationship_ids"]}).json()
    assert sum(len(v) for v in rows.values()) == 12  # the rows behind it, one click away


def test_statistics_rank_resolved_persons(client):
    ranked = client.get("/api/stats").json()["most_connected"]
    labels = [r["entity"]["label"] for r in ranked]
    assert len(labels) == len(set(labels)) and any(r["member_count"] > 1 for r in ranked)


def test_a_case_is_asked_for_by_its_name_or_its_id_and_an_unknown_one_is_a_clear_404(client):
    (case,) = client.get("/api/cases").json()
    answers = [client.get("/api/analysis/centrality", params={"case_id": named}).json()
               for named in (case["id"], "Operación Telar", "operacion telar", " OPERACIÓN TELAR ")]  # fmt: skip
    assert answers[0]["nodes"] > 10 and all(a == answers[0] for a in answers)
    unknown = client.get("/api/analysis/centrality", params={"case_id": "Operación Inexistente"})
    assert unknown.status_code == 404 and "Operación Inexistente" in unknown.json()["message"]
    network = client.get(f"/api/entities/{case['id']}/network")  # an entity route is not asked for a case
    assert network.status_code == 404


def test_the_timeline_gives_the_page_what_it_words_in_its_language(client):
    events = client.get("/api/analysis/timeline", params={"limit": 2000}).json()["events"]
    related = [e for e in events if e["kind"] == "relationship"]
    assert related and all(e["source_label"] and e["target_label"] and "ASSOCIATED_WITH" not in e["summary"] for e in related)
    assert any(e["association"] for e in related) and any(e["duration_s"] for e in events if e["kind"] == "call")
