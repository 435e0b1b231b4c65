"""The web view in a real browser (Debian's Chromium through Playwright) against a live server
with the sample case: what an analyst does, click by click. The `visit` fixture fails a test
whose page reached beyond 127.0.0.1, opened a dialog or threw a script error."""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.frontend.conftest import XSS_NAME

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NODE_POINT = """(id) => {
  const network = window.telaranaNetwork.network;
  const at = network.canvasToDOM(network.getPositions([id])[id]);
  const box = document.getElementById("network").getBoundingClientRect();
  return {x: box.left + at.x, y: box.top + at.y};
}"""


def _wait_until(page, expression: str, timeout: float = 15.0):
    """Poll a JavaScript expression. (Playwright's wait_for_function evaluates strings with
    eval(), which the pages' Content-Security-Policy forbids — as it should.)"""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(expression):
                return
        except PlaywrightError:  # the page is navigating (a reload); ask the next one
            pass
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(50)


def _api(base: str, path: str):
    with urlopen(base + path, timeout=30) as response:
        return json.load(response)


def _drawn(page, count: int = 1):
    page.wait_for_selector("#network[data-state=drawn]", timeout=20_000)


def _node_ids(page) -> set[str]:
    return set(page.evaluate("window.telaranaNetwork.nodes.getIds()"))


def _scroll_to_network(page):
    """The whole drawing in the viewport (mouse coordinates are the viewport's)."""
    page.evaluate("document.getElementById('network').scrollIntoView({block: 'start'})")


def test_search_open_profile_expand_a_node_and_read_its_evidence(visit):
    page = visit.page
    page.goto(visit.base + "/")
    page.fill("#q", "jhon fredy")
    page.press("#q", "Enter")
    page.wait_for_selector("ol.hits li.hit-entity")
    assert "Jhon Fredy Cardona Restrepo" in page.inner_text("ol.hits")
    visit.screenshot("01-search")

    page.click("ol.hits li.hit-entity a >> text=Jhon Fredy Cardona Restrepo")
    page.wait_for_url(re.compile(r"/entity/"))
    _drawn(page)
    assert page.inner_text("#entity-label") == "Jhon Fredy Cardona Restrepo"
    assert page.locator("#mentions mark").count() >= 1
    visit.screenshot("02-entity")

    # One hop only, then expand a neighbour that has neighbours of its own.
    page.fill("input[name=hops]", "1")
    page.click("#filters button[type=submit]")
    _wait_until(page, "document.getElementById('network-status').textContent.includes('·')")
    _drawn(page)
    shown = _node_ids(page)
    centre = page.evaluate("window.telaranaNetwork.focus[0]")
    expandable = {}
    for node in sorted(shown - {centre}):
        around = _api(visit.base, f"/api/entities/{quote(node, safe='')}/network?hops=1")
        fresh = {n["entity"]["id"] for n in around["nodes"]} - shown
        if fresh:
            expandable[node] = fresh
    assert expandable, "no neighbour of El Paisa leads further"
    node, fresh = next(iter(expandable.items()))
    _scroll_to_network(page)
    point = page.evaluate(NODE_POINT, node)
    page.mouse.dblclick(point["x"], point["y"])
    page.wait_for_selector("#network[data-expanded='1']", timeout=10_000)
    assert _node_ids(page) == shown | fresh
    # The expansion lands around its node, on none of the nodes already drawn.
    positions = page.evaluate("window.telaranaNetwork.network.getPositions()")
    gaps = [math.dist((positions[a]["x"], positions[a]["y"]), (positions[b]["x"], positions[b]["y"])) for a in fresh for b in shown]
    assert min(gaps) >= 59, min(gaps)

    point = page.evaluate(NODE_POINT, centre)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#evidence .evidence-list li mark")
    assert "Cardona" in page.inner_text("#evidence")
    visit.screenshot("03-entity-expanded-evidence")


def test_path_between_two_people_and_the_evidence_of_an_edge(visit):
    page = visit.page
    page.goto(visit.base + "/paths")
    for side, typed, pick in [
        ("source", "jhon fredy", "Jhon Fredy Cardona Restrepo"),
        ("target", "madrina", "María Eugenia Salazar Ocampo"),
    ]:
        page.fill(f"#{side}-input", typed)
        page.click(f"#{side}-picks button >> text={pick}")
        page.wait_for_selector(f"#{side}-chosen:has-text('✓')")
    page.click("#path-form button[type=submit]")
    page.wait_for_selector("#path-list li.path")
    _drawn(page)
    first = page.inner_text("#path-list li.path >> nth=0")
    assert first.split(": ", 1)[1].startswith("Jhon Fredy Cardona Restrepo") and "María Eugenia Salazar Ocampo" in first

    page.click("#path-list button.step >> nth=0")
    page.wait_for_selector("#evidence li.evidence q")
    assert page.locator("#evidence li.evidence").count() >= 1

    # Click an edge on the drawing itself: the middle of the longest straight line (clear of nodes).
    _scroll_to_network(page)
    edges = page.evaluate("window.telaranaNetwork.edges.get().map((e) => ({id: e.id, from: e.from, to: e.to}))")

    def ends(e):
        return page.evaluate(NODE_POINT, e["from"]), page.evaluate(NODE_POINT, e["to"])

    edge = max(edges, key=lambda e: (lambda a, b: (a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2)(*ends(e)))
    a, b = ends(edge)
    page.evaluate("document.getElementById('evidence').replaceChildren()")
    page.mouse.click((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2)
    page.wait_for_selector("#evidence li.evidence q")
    assert page.evaluate("window.telaranaNetwork.network.getSelection().edges")[0] == edge["id"]
    quoted = page.inner_text("#evidence li.evidence q >> nth=0")
    evidence = _api(visit.base, f"/api/relationships/evidence?ids={quote(edge['id'], safe='')}")[edge["id"]]
    assert quoted == evidence[0]["text"]
    visit.screenshot("04-paths-edge-evidence")


def test_document_page_marks_mentions_and_downloads_the_original(visit):
    page = visit.page
    hit = next(h for h in _api(visit.base, "/api/search?q=" + quote("informe sijin")) if h["kind"] == "document")
    page.goto(f"{visit.base}/documents/{hit['id']}")
    page.wait_for_selector("#document-text mark.mention")
    assert page.locator("#document-text .page-break").count() >= 1  # the SIJÍN report is a PDF with pages
    with page.expect_download() as download:
        page.click("#download")
    data = open(download.value.path(), "rb").read()
    assert hashlib.sha256(data).hexdigest() == hit["id"] and data.startswith(b"%PDF")
    visit.screenshot("05-document")


def test_merge_from_the_review_queue_and_undo_it(visit):
    page = visit.page
    page.goto(visit.base + "/review")
    page.fill("#analyst", "ana.rojas")
    page.press("#analyst", "Tab")  # "change" stores the name
    page.wait_for_selector("article.review-item")
    waiting_before = _api(visit.base, "/api/review-queue?limit=0")["total"]
    item = page.locator("article.review-item").first
    left, right = item.get_attribute("data-left"), item.get_attribute("data-right")
    item.locator("input.reason").fill("misma cédula en el informe")
    item.locator("button.merge").click()
    page.wait_for_selector("article.review-item.decided")
    standing = [
        j for j in _api(visit.base, "/api/judgements?entity=" + quote(left, safe="")) if {j["left_id"], j["right_id"]} == {left, right}
    ]
    assert standing[-1]["decision"] == "same" and standing[-1]["by"] == "user:ana.rojas"
    # the pair leaves the queue (and so may others that the merge joined into one person)
    assert _api(visit.base, "/api/review-queue?limit=0")["total"] < waiting_before
    visit.screenshot("06-review-merged")

    recent = page.locator("#recent li").first
    recent.locator("input.reason").fill("me equivoqué de persona")
    recent.locator("button.undo").click()
    _wait_until(page, "document.getElementById('review-status').textContent.includes('deshecha')")
    after = [
        j for j in _api(visit.base, "/api/judgements?entity=" + quote(left, safe="")) if {j["left_id"], j["right_id"]} == {left, right}
    ]
    assert after[-1]["retracts"] == standing[-1]["id"] and after[-1]["decision"] == "unsure"
    assert _api(visit.base, "/api/review-queue?limit=0")["total"] == waiting_before
    visit.screenshot("07-review-undone")


def test_switch_language(visit):
    page = visit.page
    page.goto(visit.base + "/stats")
    page.wait_for_selector("#most-connected li")
    assert "Estadísticas" in page.inner_text("header#top") and page.evaluate("document.documentElement.lang") == "es"
    visit.screenshot("08-stats-es")
    page.select_option("#language", "en")
    _wait_until(page, "document.documentElement.lang === 'en'")
    page.wait_for_selector("#most-connected li")
    assert "Statistics" in page.inner_text("header#top") and "Case statistics" in page.inner_text("main")
    visit.screenshot("09-stats-en")
    page.select_option("#language", "es")
    _wait_until(page, "document.documentElement.lang === 'es'")


def test_a_refusal_under_load_is_told_in_the_pages_language(visit):
    """A 503 or 429 from the server's limits carries an English message; the page says it in its
    own language instead."""
    page = visit.page
    refusal = {"error": "busy", "message": "the server has had other requests before yours for 10 s; try again in a moment"}

    def refuse(route):
        route.fulfill(status=503, content_type="application/json", headers={"Retry-After": "1"}, body=json.dumps(refusal))

    page.route("**/api/stats", refuse)
    page.goto(visit.base + "/stats")
    page.wait_for_selector("main p.error")
    shown = page.inner_text("main p.error")
    assert "El servidor está atendiendo otras consultas" in shown and "before yours" not in shown
    refusal.update(error="too_slow", message="the request took more than 30 s")
    page.select_option("#language", "en")
    _wait_until(page, "document.documentElement.lang === 'en'")
    _wait_until(page, "document.querySelector('main p.error')?.innerText.includes('took longer than allowed')")
    assert "30 s" not in page.inner_text("main p.error")
    page.select_option("#language", "es")
    _wait_until(page, "document.documentElement.lang === 'es'")


def test_a_name_made_of_markup_shows_as_text_and_runs_nothing(visit):
    page = visit.page
    page.add_init_script("window.alert = () => { window.__alerted = true; };")
    page.goto(visit.base + "/?q=" + quote("onerror"))
    page.wait_for_selector("ol.hits li")
    assert XSS_NAME in page.inner_text("ol.hits")
    page.click("ol.hits li.hit-entity a")
    _drawn(page)
    assert page.inner_text("#entity-label") == XSS_NAME
    assert XSS_NAME in page.inner_text("#mentions")

    _scroll_to_network(page)
    centre = page.evaluate("window.telaranaNetwork.focus[0]")
    point = page.evaluate(NODE_POINT, centre)
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible")
    assert XSS_NAME in page.inner_text("div.vis-tooltip")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#evidence .evidence-list li")
    visit.screenshot("10-markup-name")

    page.click("#mentions a.document-link")
    page.wait_for_selector("#document-text mark")
    assert XSS_NAME in page.inner_text("#document-title")
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("window.__alerted === undefined")


def test_api_docs_render_from_local_assets(visit):
    page = visit.page
    page.goto(visit.base + "/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 20
    listed = page.inner_text(".swagger-ui").replace("\u200b", "")  # Swagger UI breaks long paths with zero-width spaces
    assert "/api/entities/{entity_id}/network" in listed and "/api/review-queue" in listed
    visit.screenshot("11-api-docs")


def test_analysis_page_brokers_communities_co_travel_calls_and_borders(visit):
    page = visit.page
    page.goto(visit.base + "/analysis")
    page.wait_for_selector("#broker-table tbody tr")
    assert page.inner_text("#broker-table tbody tr >> nth=0").startswith("Jhon Fredy Cardona Restrepo")
    _drawn(page)
    colours = page.evaluate("window.telaranaNetwork.nodes.get().map((n) => n.color.background)")
    communities = page.evaluate("window.telaranaNetwork.nodes.get().map((n) => n.metrics.community)")
    assert len(set(colours)) > 1 and len(set(communities)) > 1
    # Nodes of one community share one colour, and the legend names the communities.
    by_community = {}
    for community, colour in zip(communities, colours):
        by_community.setdefault(community, set()).add(colour)
    assert all(len(c) == 1 for c in by_community.values())
    assert "1 (" in page.inner_text("#legend")

    row = page.locator("#co-travel-table tr[data-kind=bus_departure]", has_text="Yuliana").filter(has_text="Leidy").first
    assert "Terminal de Transportes de Pereira" in row.inner_text() and "22:30" in row.locator("q").all_inner_texts().__str__()

    for typed, pick in [("+573147823390", "+573147823390"), ("+573182246701", "+573182246701")]:
        page.fill("#call-input", typed)
        page.click(f"#call-picks button >> text={pick}")
    page.click("#call-run")
    page.wait_for_selector("#common-contacts li.common-contact")
    assert page.inner_text("#common-contacts").startswith("+573004189922")
    assert "Wilmer Andrés Quintero Lasso" in page.inner_text("#common-contacts")
    assert page.locator("#top-contacts li").count() >= 1

    page.select_option("#country", "MX")
    _wait_until(
        page,
        "[...document.querySelectorAll('#cross-border-table td:nth-child(3)')].length > 0 && "
        "[...document.querySelectorAll('#cross-border-table td:nth-child(3)')].every((td) => td.textContent.includes('MX'))",
    )
    assert "+525534127789" in page.inner_text("#cross-border-table")
    assert page.locator("#cross-border-table td:nth-child(4) a.entity-link").count() >= 2  # each tied person a link
    page.wait_for_selector("#timeline li.event")
    visit.screenshot("12-analysis")


def test_victim_mark_then_a_pseudonymised_report_from_the_path_finder(visit):
    page = visit.page
    yuliana = next(h for h in _api(visit.base, "/api/search?q=Yuliana+Andrea+R%C3%ADos+Casta%C3%B1o") if h["type"] == "Person")
    page.goto(visit.base + "/entity/" + quote(yuliana["id"], safe=""))
    page.fill("#analyst", "ana.rojas")
    page.press("#analyst", "Tab")
    page.wait_for_selector("#victim-mark")
    assert page.get_attribute("#victim", "data-marked") == "false"
    page.click("#victim-mark")
    page.wait_for_selector("#victim[data-marked=true]")
    assert page.locator("#export-view a.export").count() == 4

    page.goto(visit.base + "/paths")
    for side, typed, pick in [("source", "jhon fredy", "Jhon Fredy Cardona Restrepo"), ("target", "yuliana andrea", yuliana["label"])]:
        page.fill(f"#{side}-input", typed)
        page.click(f"#{side}-picks button >> text={pick}")
        page.wait_for_selector(f"#{side}-chosen:has-text('✓')")
    page.click("#path-form button[type=submit]")
    page.wait_for_selector("#report #report-html")
    page.check("#pseudonymise")
    href = page.get_attribute("#report-html", "href")
    assert "pseudonymise=true" in href and "user=ana.rojas" in href
    with page.expect_download() as download:
        page.click("#report-pdf")
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.goto(visit.base + href)
    body = page.inner_text("body")
    assert "Informe de análisis de vínculos" in body and "por ana.rojas" in body
    assert "Víctima-" in body and "Yuliana" not in body and "Jhon Fredy Cardona Restrepo" in body
    visit.screenshot("13-report-pseudonymised")


def test_sign_in_then_a_change_carries_the_csrf_token_then_sign_out(browser, signed_in_server):
    from tests.frontend.conftest import SIGN_IN_PASSWORD, Visit

    base, accounts = signed_in_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    visit = Visit(context, base)
    page = visit.page
    try:
        page.goto(base + "/review")
        page.wait_for_url(re.compile(r"/login\?next=%2Freview$"))  # the API said 401: off to sign in
        # After sign-in the page goes back only to a path on this server.
        assert page.evaluate("[localTarget('//elsewhere.example'), localTarget('http:x'), localTarget('/entity/a')]") == [
            "/",
            "/",
            "/entity/a",
        ]
        # What a browser reads as another host after normalising ("\\", a tab, both encoded or not) goes home.
        tricks = ["/\\attacker.example/phish", "/\tattacker.example", "/\\\\attacker.example", "/\t/attacker.example"]
        assert page.evaluate("(tricks) => tricks.map(localTarget)", tricks) == [
            "/",
            "/attacker.example",
            "/",
            "/",
        ]  # a tab alone: a local path
        page.fill("#login-name", "ana")
        page.fill("#login-password", "no-es-la-clave")
        page.click("#login-form button[type=submit]")
        _wait_until(page, "document.getElementById('login-error').textContent.includes('wrong user name or password')")
        page.fill("#login-password", SIGN_IN_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(base + "/review")
        page.wait_for_selector("#signed-in")
        assert "ana (analyst · case:" in page.inner_text("#signed-in") and page.is_disabled("#analyst")
        visit.screenshot("14-signed-in-review")
        item = page.locator("article.review-item").first
        item.locator("input.reason").fill("misma cédula")
        item.locator("button.merge").click()
        page.wait_for_selector("article.review-item.decided")  # the POST passed the CSRF check
        recent = page.locator("#recent li").first
        recent.locator("input.reason").fill("deshecho por la prueba de ingreso")
        recent.locator("button.undo").click()
        _wait_until(page, "document.getElementById('review-status').textContent.includes('deshecha')")
        page.click("#sign-out")
        page.wait_for_url(re.compile(r"/login$"))
        entries = [(e.user, e.action, e.outcome) for e in accounts.audit(limit=100)]
        assert ("ana", "POST login", "200") in entries and ("ana", "POST /api/judgements", "201") in entries
        assert ("ana", "POST /api/judgements/{judgement_id}/undo", "201") in entries
        assert accounts.verify_audit()[1] == []
    finally:
        context.close()
    assert visit.blocked == [] and visit.dialogs == [] and visit.errors == [], (visit.blocked, visit.dialogs, visit.errors)


def test_an_analyst_of_another_case_finds_nothing_of_this_one(browser, live_server, signed_in_server):
    from backend.store.sqlite import SqliteStore
    from tests.frontend.conftest import SIGN_IN_PASSWORD, Visit

    base, accounts = signed_in_server
    with SqliteStore(live_server[1]) as store:
        person = next(h for h in store.search("Restrepo") if h.type == "Person")
    accounts.add_user("otra", "analyst", SIGN_IN_PASSWORD, cases=("case:otro-caso",))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    visit = Visit(context, base)
    page = visit.page
    try:
        page.goto(base + "/login")
        page.fill("#login-name", "otra")
        page.fill("#login-password", SIGN_IN_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(base + "/")
        page.wait_for_selector("#signed-in")
        assert "otra (analyst · case:otro-caso)" in page.inner_text("#signed-in")
        page.goto(base + "/?q=Restrepo")
        _wait_until(page, "document.getElementById('results').textContent.includes('Sin resultados')")
        page.goto(base + f"/entity/{person.id}")  # reached by id, as a shared link would
        page.wait_for_selector("p.error")
        assert "No encontrado" in page.inner_text("p.error") and person.label not in page.inner_text("body")
        visit.screenshot("15-other-case-not-found")
    finally:
        context.close()
    # The 404s the page met are the compartment's answers, not failures of the page itself.
    assert visit.dialogs == [] and visit.blocked == [] and visit.errors == [], (visit.dialogs, visit.blocked, visit.errors)


# ----------------------------------------------------------------------------- corrections


def _person_id(base: str, name: str) -> str:
    return next(h["id"] for h in _api(base, "/api/search?q=" + quote(name)) if h["type"] == "Person")


def _analyst(page, name: str = "ana.rojas") -> None:
    page.fill("#analyst", name)
    page.press("#analyst", "Tab")


def test_merge_two_entities_found_by_search_then_undo(visit):
    page = visit.page
    marleny, gloria = _person_id(visit.base, "Marleny Ospina"), _person_id(visit.base, "Gloria Zapata")
    page.goto(f"{visit.base}/entity/{quote(marleny, safe='')}")
    _analyst(page)
    page.wait_for_selector("#merge-input")
    page.fill("#merge-input", "gloria zapata")
    page.locator("#merge-picks button.pick").first.click()
    page.fill("#merge-reason", "misma cédula en el contrato de arriendo")
    page.click("#merge")
    _wait_until(
        page, "document.getElementById('entity-kind') && document.getElementById('entity-kind').textContent.includes('2 registros')"
    )
    assert {e["id"] for e in _api(visit.base, f"/api/entities/{quote(gloria, safe='')}/same-as")} == {marleny, gloria}
    assert "misma cédula en el contrato de arriendo" in page.inner_text("#history")
    visit.screenshot("20-merged-by-search")
    page.locator("#history button.undo").first.evaluate("b => b.previousElementSibling.value = 'eran dos personas'")
    page.locator("#history button.undo").first.click()
    _wait_until(page, "!document.getElementById('entity-kind').textContent.includes('registros')")
    assert {e["id"] for e in _api(visit.base, f"/api/entities/{quote(gloria, safe='')}/same-as")} == {gloria}


def test_reject_a_link_then_it_is_gone_from_the_path_finder_and_a_new_report_and_back_after_undo(visit):
    page = visit.page
    marleny = _person_id(visit.base, "Marleny Ospina")
    phone = next(h["id"] for h in _api(visit.base, "/api/search?q=3157704412") if h["type"] == "Phone")
    paths_url = f"{visit.base}/paths?source={quote(marleny, safe='')}&target={quote(phone, safe='')}"
    report_api = f"/api/report?ids={quote(marleny, safe='')}&ids={quote(phone, safe='')}&user=ana.rojas&format=json"
    page.goto(paths_url)
    page.wait_for_selector("#path-list li.path")
    uses = next(r for r in _api(visit.base, f"/api/entities/{quote(marleny, safe='')}")["relationships"] if r["type"] == "USES_PHONE")
    assert uses["id"] in json.dumps(_api(visit.base, report_api))

    page.goto(f"{visit.base}/entity/{quote(marleny, safe='')}")
    _analyst(page)
    item = page.locator(f"li.relationship[data-id='{uses['id']}']")
    item.locator("button.reject-link").click()
    item.locator("input.reason").first.fill("el número es de la inmobiliaria, no de ella")
    item.locator("button.reject-link-confirm").click()
    _wait_until(page, "document.querySelector('#entity-history .kind-reject_link') !== null")
    assert page.locator(f"li.relationship[data-id='{uses['id']}']").count() == 0
    page.goto(paths_url)
    _wait_until(page, "document.getElementById('paths-status').textContent.includes('No hay rutas')")
    report = _api(visit.base, report_api)
    assert uses["id"] not in json.dumps(report["pairs"])
    assert [(c["kind"], c["reason"]) for c in report["corrections"]] == [("reject_link", "el número es de la inmobiliaria, no de ella")]
    visit.screenshot("21-link-rejected")

    page.goto(f"{visit.base}/entity/{quote(marleny, safe='')}")
    entry = page.locator("#entity-history li.kind-reject_link")
    entry.locator("button.undo-correction").click()
    entry.locator("input.reason").fill("sí era de ella: lo confirmó la empresa")
    entry.locator("button.undo-correction-confirm").click()
    _wait_until(page, f"document.querySelector(\"li.relationship[data-id='{uses['id']}']\") !== null")
    page.goto(paths_url)
    page.wait_for_selector("#path-list li.path")
    assert uses["id"] in json.dumps(_api(visit.base, report_api)["pairs"])


def test_add_a_link_by_hand_cited_as_the_analysts_and_annotate(visit):
    page = visit.page
    gloria, wilmer = _person_id(visit.base, "Gloria Zapata"), _person_id(visit.base, "Wilmer Quintero")
    page.goto(f"{visit.base}/entity/{quote(gloria, safe='')}")
    _analyst(page)
    page.wait_for_selector("#link-input")
    page.select_option("#link-type", "ASSOCIATED_WITH")
    page.select_option("#link-kind", "hosted")
    page.fill("#link-input", "wilmer quintero")
    page.locator("#link-picks button.pick").first.click()
    page.fill("#link-reason", "vigilancia del 3 de mayo: lo recibió en el inquilinato")
    page.click("#add-link")
    _wait_until(page, "document.querySelector('li.relationship.asserted') !== null")
    asserted = page.locator("li.relationship.asserted")
    text = asserted.inner_text()
    assert "Aserción del analista" in text and "ana.rojas" in text and "alojamiento" in text and "afirmado por el analista" in text
    assert asserted.locator("a.document-link").count() == 0  # no document behind it
    link = next(
        r for r in _api(visit.base, f"/api/entities/{quote(gloria, safe='')}")["relationships"] if r["properties"].get("asserted_by")
    )
    assert {link["source_id"], link["target_id"]} == {gloria, wilmer} and link["evidence"][0]["method"] == "analyst"

    link_id = asserted.get_attribute("data-id")
    page.evaluate("window.beforeTheNote = true")  # gone once the page reloads itself after recording
    asserted.locator("button.annotate-link").click()
    asserted.locator("input.reason").nth(1).fill("confirmar con la Sijín")
    asserted.locator("button.annotate-link-confirm").click()
    _wait_until(
        page, "window.beforeTheNote === undefined && document.querySelector('li.relationship.asserted button.show-history') !== null"
    )
    assert any(h["note"] == "confirmar con la Sijín" for h in _api(visit.base, "/api/history?subject=" + quote(link_id, safe="")))
    page.locator("li.relationship.asserted button.show-history").click()
    _wait_until(page, "document.querySelector('li.relationship.asserted .link-history').innerText.includes('confirmar con la Sijín')")

    page.fill("#note-text", "pedir certificado de tradición del inmueble")
    page.click("#annotate")
    _wait_until(page, "(document.getElementById('entity-history') || {innerText: ''}).innerText.includes('certificado de tradición')")
    assert "nota · por ana.rojas" in page.inner_text("#entity-history li.kind-annotate")
    visit.screenshot("22-link-added-and-note")


def test_after_sign_in_a_crafted_next_never_leaves_the_server(browser, signed_in_server):
    """/login?next=/%5Cattacker.example/phish passed the old check; Chromium then left the site."""
    from tests.frontend.conftest import SIGN_IN_PASSWORD, Visit

    base, _ = signed_in_server
    for crafted in ("/%5Cattacker.example/phish", "/%09/attacker.example", "/%5C%5Cattacker.example"):
        context = browser.new_context()
        visit = Visit(context, base)
        page = visit.page
        try:
            page.goto(f"{base}/login?next={crafted}")  # as the finding wrote it: decoded once by the page
            page.fill("#login-name", "ana")
            page.fill("#login-password", SIGN_IN_PASSWORD)
            page.click("#login-form button[type=submit]")
            page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/"), timeout=10_000)
            page.wait_for_timeout(500)
            assert page.url.startswith(base + "/"), page.url
            assert visit.blocked == [], visit.blocked
        finally:
            context.close()


def test_the_home_page_is_the_case_dashboard_in_both_languages(visit):
    page = visit.page
    page.goto(visit.base + "/")
    card = page.wait_for_selector(".case-card")
    assert card.query_selector(".case-name").inner_text() == "Operación Telar"
    page.wait_for_selector(".case-card .brokers li a.entity-link")  # the brokers come from the analysis route
    text = card.inner_text()
    assert "Documentos" in text and "Pendientes de revisión" in text and "Última ingesta" in text
    assert "terminada" in card.query_selector(".last-run").inner_text()
    assert card.query_selector_all("section a[href^='/documents/']"), "the latest documents link to their pages"
    visit.screenshot("20-dashboard-es")
    page.select_option("#language", "en")
    _wait_until(page, "document.documentElement.lang === 'en'")
    page.wait_for_selector(".case-card .brokers li a.entity-link")
    assert "My cases" in page.inner_text("main") and "done" in page.inner_text(".last-run")
    visit.screenshot("21-dashboard-en")
    page.select_option("#language", "es")
    _wait_until(page, "document.documentElement.lang === 'es'")
    page.click(".case-card a.case-name")
    page.wait_for_url("**/analysis?case_id=*")


def open_network_of(visit, name: str) -> str:
    """The entity page of the person found by `name`, its first ring drawn and in view; the person's id."""
    (person,) = [h for h in _api(visit.base, f"/api/search?q={quote(name)}") if h["type"] == "Person"]
    visit.page.goto(f"{visit.base}/entity/{quote(person['id'], safe='')}?hops=1")
    _drawn(visit.page)
    _scroll_to_network(visit.page)
    return person["id"]


def test_drag_a_node_save_the_chart_and_find_it_where_it_was_after_a_reload(visit):
    page = visit.page
    open_network_of(visit, "Jhon Fredy Cardona")
    moved = sorted(_node_ids(page) - {page.evaluate("window.telaranaNetwork.focus[0]")})[0]
    start = page.evaluate(NODE_POINT, moved)
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 60, start["y"] + 45, steps=8)
    page.mouse.up()
    before = page.evaluate("window.telaranaNetwork.network.getPositions()")
    assert before[moved] != page.evaluate(f"({{x: {start['x']}, y: {start['y']}}})")
    page.fill("#chart-title", "Red del Paisa, ordenada")
    page.fill("#chart-note", "el conductor aparte")
    page.click("#save-chart")
    page.wait_for_selector("#saved-chart-link")
    page.click("#saved-chart-link")
    page.wait_for_url(re.compile(r"/charts/chart(:|%3A)"))
    _drawn(page)
    assert page.inner_text("#chart-heading") == "Red del Paisa, ordenada" and "el conductor aparte" in page.inner_text("main")
    for _ in range(2):  # as reopened, and after a reload
        after = page.evaluate("window.telaranaNetwork.network.getPositions()")
        assert set(after) == set(before)
        assert all(abs(after[n]["x"] - before[n]["x"]) < 0.01 and abs(after[n]["y"] - before[n]["y"]) < 0.01 for n in before)
        page.reload()
        _drawn(page)
    visit.screenshot("22-chart-reopened")
    page.goto(visit.base + "/")
    page.wait_for_selector(".saved-charts a >> text=Red del Paisa, ordenada")
