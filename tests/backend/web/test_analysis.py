"""The analysis, report, export and mark routes over the sample case: thin wrappers that answer
JSON (or the file asked for) and say clearly what is wrong."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from backend.domain.settings import Settings
from backend.reports.export import read_back
from backend.store.sqlite import SqliteStore
from backend.web.app import create_app
from ingest import sample_case_builder as story
from ingest.records import case_id_for

CASE = case_id_for(story.CASE_NAME)


@pytest.fixture
def api(sample_case_copy):
    path = sample_case_copy.path
    with TestClient(create_app(lambda: SqliteStore(path), settings=Settings(pseudonym_key="api-test-key"))) as client:
        yield client


def _person_id(api, name: str) -> str:
    rows = api.get("/api/analysis/centrality", params={"top": 100}).json()["rows"]
    return next(r["id"] for r in rows if r["label"] == name)


def test_brokers_network_and_communities(api):
    body = api.get("/api/analysis/centrality", params={"case_id": CASE, "top": 3}).json()
    assert body["rows"][0]["label"] == story.PAISA and body["network"] == "persons" and len(body["rows"]) == 3
    view = api.get("/api/analysis/network", params={"case_id": CASE}).json()
    assert view["nodes"] and all(n["community"] >= 1 for n in view["nodes"])
    assert len({n["community"] for n in view["nodes"]}) > 1
    ids = {n["entity"]["id"] for n in view["nodes"]}
    assert all(e["source_id"] in ids and e["target_id"] in ids for e in view["edges"])
    small = api.get("/api/analysis/network", params={"limit": 10}).json()
    assert len(small["nodes"]) == 10 and small["truncated"] is True


def test_co_travel_calls_cross_border_and_timeline_routes(api):
    travel = api.get("/api/analysis/co-travel", params={"kinds": "bus_departure", "hours": 6}).json()
    assert travel and all(t["kind"] == "bus_departure" and t["evidence"] for t in travel)
    first_two = api.get("/api/analysis/co-travel", params={"limit": 2}).json()
    everything = api.get("/api/analysis/co-travel").json()
    assert first_two == everything[:2] and len(everything) > 2
    common = api.get(
        "/api/analysis/calls/common", params=[("ids", f"phone:{story.PAISA_PHONE}"), ("ids", f"phone:{story.MADRINA_PHONE}")]
    ).json()
    assert [c["phone"]["label"] for c in common["contacts"]] == [story.CONDUCTOR_PHONE]
    top = api.get("/api/analysis/calls/top", params={"id": f"phone:{story.MADRINA_PHONE}", "limit": 2}).json()
    assert len(top) == 2 and top[0]["stats"]["calls"] >= top[1]["stats"]["calls"]
    pairs = api.get("/api/analysis/calls/pairs", params={"ids": f"phone:{story.ESPAÑOLA_PHONE}"}).json()["pairs"]
    assert pairs and all(f"phone:{story.ESPAÑOLA_PHONE}" in p["phones"] for p in pairs)
    burners = api.get("/api/analysis/calls/burners", params={"window_hours": 24}).json()
    assert burners["records_from"].startswith("2018-03-01") and burners["candidates"] == []
    border = api.get("/api/analysis/cross-border", params={"country": "MX"}).json()
    assert story.MEXICANO_PHONE in {i["label"] for i in border["items"]} and border["home_country"] == "CO"
    events = api.get("/api/analysis/timeline", params={"entity_id": f"phone:{story.ESPAÑOLA_PHONE}"}).json()["events"]
    assert events and {e["kind"] for e in events} == {"call"}


@pytest.mark.parametrize(
    "route, params, status, words",
    [
        ("/api/analysis/calls/common", [("ids", "airport:BOG"), ("ids", f"phone:{story.MADRINA_PHONE}")], 422, "phones or persons"),
        ("/api/analysis/calls/common", [("ids", "phone:+570"), ("ids", f"phone:{story.MADRINA_PHONE}")], 404, "not found"),
        ("/api/analysis/calls/top", {"id": "nadie"}, 404, "not found"),
        ("/api/analysis/centrality", {"network": "everything"}, 422, "network"),
        ("/api/analysis/cross-border", {"country": "ESP"}, 422, "country"),
        ("/api/export", {"format": "xls"}, 422, "format"),
        ("/api/export", {"format": "json", "scope": "view"}, 422, "needs entity_id"),
        ("/api/export", {"format": "json", "scope": "search"}, 422, "needs q"),
        ("/api/report", [("ids", "a")], 422, "user"),
        ("/api/report", [("ids", "person:nobody"), ("ids", "person:else"), ("user", "ana")], 404, "not found"),
    ],
)
def test_bad_requests_get_a_json_error_naming_the_problem(api, route, params, status, words):
    response = api.get(route, params=params)
    assert response.status_code == status, response.text
    assert words in response.json()["message"]


def test_report_in_html_pdf_and_json(api):
    params = [("ids", _person_id(api, story.PAISA)), ("ids", _person_id(api, story.YULIANA)), ("user", "fiscal.rojas")]
    html = api.get("/api/report", params=params)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "El Paisa les pagó los pasajes" in html.text and "por fiscal.rojas" in html.text
    assert "<script" not in html.text
    pdf = api.get("/api/report", params=params + [("format", "pdf")])
    assert pdf.headers["content-type"] == "application/pdf" and "attachment" in pdf.headers["content-disposition"]
    assert "El Paisa les pagó" in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", " ")
    body = api.get("/api/report", params=params + [("format", "json")]).json()
    assert body["generated_by"] == "user:fiscal.rojas" and len(body["data_version"]) == 64


def test_marking_a_victim_pseudonymises_reports(api):
    yuliana = _person_id(api, story.YULIANA)
    mark = api.post(f"/api/entities/{yuliana}/marks", json={"mark": "victim", "user": "ana.rojas", "reason": "denuncia de la madre"})
    assert mark.status_code == 201 and mark.json()["by"] == "user:ana.rojas"
    assert [m["mark"] for m in api.get(f"/api/entities/{yuliana}/marks").json()] == ["victim"]
    params = [("ids", _person_id(api, story.PAISA)), ("ids", yuliana), ("user", "ana.rojas"), ("pseudonymise", "true")]
    html = api.get("/api/report", params=params).text
    assert "Yuliana" not in html and "Víctima-" in html
    lifted = api.post(f"/api/entities/{yuliana}/marks", json={"mark": "victim", "value": False, "user": "ana.rojas"})
    assert lifted.status_code == 201
    assert "Yuliana" in api.get("/api/report", params=params).text  # no standing mark, nothing to hide
    bad = api.post(f"/api/entities/{yuliana}/marks", json={"mark": "sospechoso", "user": "ana"})
    assert bad.status_code == 422 and "mark" in bad.json()["message"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "i2", "json"])
def test_exports_of_case_search_and_view_download_and_parse(api, fmt):
    case = api.get("/api/export", params={"format": fmt, "case_id": CASE})
    assert case.status_code == 200 and "attachment" in case.headers["content-disposition"]
    whole = read_back(case.content, fmt)
    counts = api.get("/api/analysis/centrality", params={"case_id": CASE, "network": "all", "top": 1}).json()
    assert whole.number_of_nodes() == counts["nodes"]
    view = read_back(
        api.get("/api/export", params={"format": fmt, "scope": "view", "entity_id": f"phone:{story.MADRINA_PHONE}", "hops": 1}).content, fmt
    )
    assert f"phone:{story.MADRINA_PHONE}" in view and 1 < view.number_of_nodes() < whole.number_of_nodes()
    search = read_back(api.get("/api/export", params={"format": fmt, "scope": "search", "q": "Terminal"}).content, fmt)
    assert 1 <= search.number_of_nodes() < whole.number_of_nodes()


def test_the_analysis_page_is_served_with_its_scripts_and_policy(api):
    page = api.get("/analysis")
    assert page.status_code == 200 and "/static/analysis.js" in page.text and "/vendor/vis-network/vis-network.min.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_the_analysis_routes_share_one_graph_until_the_data_changes(sample_case_copy):
    from backend.domain.model import Batch
    from tests import factories as f

    path = sample_case_copy.path
    with TestClient(create_app(lambda: SqliteStore(path), settings=Settings(pseudonym_key="api-test-key"))) as api:
        cache = api.app.state.case_graphs
        for route in ("centrality", "network", "co-travel", "calls/burners", "cross-border", "map"):
            assert api.get(f"/api/analysis/{route}", params={"case_id": CASE}).status_code == 200
        assert cache.builds == 1  # the page's requests read one graph
        api.get("/api/analysis/centrality")
        assert cache.builds == 2  # every case together is another graph

        doc = f.document("Informe: ANA RUTH PÉREZ llamó a NÉSTOR GIL desde el celular 3105550101.", case_ids=(CASE,))
        ana, nestor = f.entity("Person", "ANA RUTH PÉREZ"), f.entity("Person", "NÉSTOR GIL")
        with SqliteStore(path) as other_process:
            other_process.write(Batch(documents=(doc,), entities=(ana, nestor),
                                      relationships=(f.relationship("ASSOCIATED_WITH", ana, nestor, doc, "ANA RUTH PÉREZ llamó a NÉSTOR GIL",
                                                                     properties={"kind": "other"}),)))  # fmt: skip
        rows = api.get("/api/analysis/centrality", params={"case_id": CASE, "top": 500}).json()["rows"]
        assert cache.builds == 3 and {"ANA RUTH PÉREZ", "NÉSTOR GIL"} <= {r["label"] for r in rows}
