"""What is specific to trafficking work, in a real browser: the legal elements on a person's
page (corrected by the analyst and back), the prosecutor's report builder, and the screening of
departures. Every page is checked to stay on 127.0.0.1 (see conftest.visiting)."""

from __future__ import annotations

import json
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from tests.frontend.conftest import visiting
from tests.frontend.test_browser import _api, _person_id, _wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _undo_all_element_corrections(base: str, person_id: str) -> None:
    from urllib.request import Request

    for entry in _api(base, "/api/history?subject=" + quote(person_id)):
        if entry["kind"] in ("reject_element", "add_element") and entry["standing"]:
            body = json.dumps({"user": "ana.rojas", "reason": "fin de la prueba"}).encode()
            request = Request(f"{base}/api/corrections/{quote(entry['id'], safe='')}/undo", data=body,
                              headers={"Content-Type": "application/json"}, method="POST")  # fmt: skip
            urlopen(request, timeout=30).close()


def test_a_suspects_page_shows_the_legal_elements_with_their_sentences_and_the_analyst_corrects_them(visit):
    page, base = visit.page, visit.base
    suspect = _person_id(base, "Jhon Fredy Cardona Restrepo")
    try:
        page.goto(f"{base}/entity/{quote(suspect, safe='')}")
        page.fill("#analyst", "ana.rojas")
        page.press("#analyst", "Tab")
        page.wait_for_selector("#elements-matrix")
        assert "Elementos del delito de trata" in page.inner_text("#elements h2")
        recruitment = page.locator('tr[data-element="recruitment"] li.element-evidence')
        assert recruitment.count() >= 1
        quoted = recruitment.first.inner_text()
        assert page.locator('tr[data-element="recruitment"] li.element-evidence mark').count() >= 1  # the cue is marked
        assert "Sin evidencia aún de: finalidad de explotación" in page.inner_text("#element-gaps")
        before = page.locator("li.element-evidence").count()

        first = recruitment.first
        first.locator("button.reject-element").click()
        first.locator("input.reason").fill("la frase habla de otra persona")
        first.locator("button.reject-element-confirm").click()
        page.wait_for_selector("#elements-rejected")
        assert page.locator("li.element-evidence").count() == before - 1
        page.click("#elements-rejected summary")
        rejected = page.inner_text("#elements-rejected")
        assert "la frase habla de otra persona" in rejected and "ana.rojas" in rejected
        assert quoted.split("—")[0].strip()[:40] in rejected

        page.select_option("#element-choice", "sexual_exploitation")
        page.fill("#element-quote", "Las jóvenes eran obligadas a atender clientes en el bar.")
        page.click("button.add-element")
        page.locator("#elements .element-add input.reason").fill("declaración ampliada de la víctima")
        page.click("button.add-element-confirm")
        page.wait_for_selector('tr[data-element="sexual_exploitation"] li[data-method="analyst"]')
        assert page.locator("#element-gaps").count() == 0  # action, means and purpose all evidenced now
        visit.screenshot("40-legal-elements")

        page.evaluate("localStorage.setItem('telarana.lang', 'en')")
        page.reload()
        page.wait_for_selector("#elements-matrix")
        assert "Legal elements of trafficking" in page.inner_text("#elements h2")
        assert "sexual exploitation" in page.inner_text('tr[data-element="sexual_exploitation"] th')
        page.evaluate("localStorage.setItem('telarana.lang', 'es')")
    finally:
        _undo_all_element_corrections(base, suspect)
    matrix = _api(base, "/api/analysis/elements?entity_id=" + quote(suspect))
    assert sum(len(c["evidence"]) for c in matrix["cells"]) == before and matrix["rejected"] == []


# ----------------------------------------------------------------------------- screening at transit points

TICKETS = (
    "Nombre del pasajero;Cédula;Sexo;Edad;Origen;Destino;Fecha salida;Hora salida;Comprador;Celular comprador;Fecha de compra;"
    "Tipo de tiquete;Empresa\n"
    "LUISA FERNANDA ARIAS PÉREZ;1088345221;F;18;Pereira;Ipiales;30/11/2026;06:30;H. MEJÍA;312 456 7890;2026-11-25 10:00;Solo ida;Expreso Bolivariano\n"
    "YURANI ESTELA CANO RÍOS;1088345222;F;21;Pereira;Ipiales;30/11/2026;06:30;H. MEJÍA;312 456 7890;2026-11-25 10:00;Solo ida;Expreso Bolivariano\n"
    "MARÍA CAMILA SUÁREZ LOPERA;1088345223;F;19;Pereira;Ipiales;30/11/2026;06:30;H. MEJÍA;312 456 7890;2026-11-25 10:01;Solo ida;Expreso Bolivariano\n"
    "JORGE ELIÉCER GÓMEZ;10222333;M;40;Pereira;Cali;30/11/2026;07:00;JORGE ELIÉCER GÓMEZ;311 555 6677;2026-11-20 09:00;Ida y regreso;Flota Occidental\n"
)
NOTE = "Nota de la terminal de Pereira: el celular 312 456 7890 volvió a comprar tiquetes a nombre de terceros.\n"


def _send(base: str, method: str, path: str, body: bytes | None = None, json_body: dict | None = None):
    from urllib.request import Request

    data = json.dumps(json_body).encode() if json_body is not None else body
    headers = {"Content-Type": "application/json"} if json_body is not None else {"Content-Type": "application/octet-stream"}
    with urlopen(Request(base + path, data=data, headers=headers, method=method), timeout=60) as response:
        return json.load(response)


def test_a_ticket_list_uploaded_is_screened_its_flags_reviewed_and_a_watched_phone_alerts_the_dashboard(browser, upload_server):
    import time

    base, _ = upload_server
    with visiting(browser, base) as visit:
        page = visit.page
        page.goto(base + "/screening")
        page.evaluate("localStorage.setItem('telarana.case', 'caso-1'); localStorage.setItem('telarana.analyst', 'ana.rojas')")
        page.reload()
        page.wait_for_selector("#watch-add")
        assert "Ninguna bandera" in page.inner_text("#flags")
        page.select_option("#watch-kind", "phone")
        page.fill("#watch-value", "312 456 7890")
        page.fill("#watch-reason", "celular del reclutador")
        page.click("#watch-add")
        page.wait_for_selector("#watch-entries li")
        assert "312 456 7890" in page.inner_text("#watch-entries")

        run = _send(base, "POST", "/api/uploads", json_body={"case_id": "caso-1", "user": "ana.rojas"})
        _send(base, "PUT", f"/api/uploads/{run['id']}/files?name=ventas_terminal.csv", TICKETS.encode("utf-8"))
        _send(base, "PUT", f"/api/uploads/{run['id']}/files?name=nota_terminal.txt", NOTE.encode("utf-8"))
        _send(base, "POST", f"/api/uploads/{run['id']}/start", json_body={})
        deadline = time.monotonic() + 180
        while _api(base, f"/api/uploads/{run['id']}")["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline, "the upload was not read in time"
            time.sleep(0.2)

        page.reload()
        page.wait_for_selector("#flags li.flag")
        indicators = page.eval_on_selector_all("#flags li.flag", "items => items.map(i => i.dataset.indicator)")
        assert indicators.count("known") == 3 and indicators.count("buyer_young_women") == 1
        buyer = page.locator('li.flag[data-indicator="buyer_young_women"]')
        assert "3 tiquetes solo de ida de 3 mujeres de 18 a 21 años" in buyer.inner_text()
        assert buyer.locator("table.flag-rows tr[data-row]").count() == 3
        visit.screenshot("41-screening")
        buyer.locator("button.confirm-flag").click()
        _wait_until(page, "!document.querySelector('li.flag[data-indicator=\"buyer_young_women\"]')")
        known = page.locator('li.flag[data-indicator="known"]').first
        known.locator("button.dismiss-flag").click()
        known.locator("input.reason").fill("el comprador es el tío de la pasajera")
        known.locator("button.dismiss-flag-confirm").click()
        _wait_until(page, "document.querySelectorAll('#flags li.flag').length === 2")
        page.select_option("#flag-status", "dismissed")
        page.wait_for_selector("#flags li.status-dismissed")
        assert "el comprador es el tío de la pasajera" in page.inner_text("#flags")
        assert "Nota de la terminal" in page.inner_text("#watchlist .watch-alerts") or "nota_terminal" in page.inner_text(
            "#watchlist .watch-alerts"
        )

        page.evaluate("localStorage.setItem('telarana.lang', 'en')")
        page.goto(base + "/screening?status=confirmed")
        page.wait_for_selector("#flags li.flag")
        assert "paid 3 one-way tickets of 3 women aged 18 to 21 who share no surname with the buyer" in page.inner_text("#flags")
        page.evaluate("localStorage.setItem('telarana.lang', 'es')")

        page.goto(base + "/")
        card = page.locator('article.case-card[data-case="caso-1"]')
        card.locator(".case-screening .watch-alerts li").first.wait_for()
        assert "312 456 7890" in card.locator(".case-screening").inner_text()
        assert card.locator("a.open-flags").inner_text().startswith("2 ")


# ----------------------------------------------------------------------------- the prosecutor's report builder


def test_the_report_builder_makes_the_report_of_the_links_ticked_and_its_pdf_opens_with_the_annex_list(visit):
    import hashlib
    import io

    from pypdf import PdfReader

    page, base = visit.page, visit.base
    paisa, yuliana = _person_id(base, "Jhon Fredy Cardona Restrepo"), _person_id(base, "Yuliana Andrea Ríos Castaño")
    page.goto(f"{base}/report")
    page.fill("#analyst", "fiscal.rojas")
    page.press("#analyst", "Tab")
    for name in ("Cardona Restrepo", "Yuliana Andrea"):
        page.fill("#report-input", name)
        page.locator("#report-picks button.pick").first.click()
    assert page.locator("#report-chosen li").count() == 2
    page.click("#report-prepare")
    page.wait_for_selector("#report-preview input.report-link")
    assert page.is_checked("#report-weak") and page.is_checked("#report-hubs") and page.is_checked("#report-elements")
    links = page.locator("#report-preview input.report-link")
    total = links.count()
    left_out = links.first.get_attribute("data-id")
    links.first.uncheck()
    href = page.get_attribute("#report-open-html", "href")
    assert "leave_out=" in href and "annex=true" in href
    visit.screenshot("42-report-builder")
    html = page.request.get(base + href).text()
    assert "Criterios de inclusión" in html and "artículo 188A" in html and "excluido por el analista" in html
    assert "Elementos del tipo penal por persona" in html and "Jhon Fredy Cardona Restrepo" in html
    report = _api(base, href.replace("/api/report?", "/api/report?format=json&", 1))
    assert left_out not in {r["id"] for pair in report["pairs"] for p in pair["paths"] for s in p["steps"] for r in s["relationships"]}
    assert total > 1 and report["annex"] and all(doc["attached"] for doc in report["annex"])

    with page.expect_download() as download:
        page.click("#report-open-pdf")
    pdf = download.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())  # the extractor spreads justified words
    annex = [doc for doc in report["annex"]]
    assert "6. Anexos: documentos originales" in [item.title for item in reader.outline if not isinstance(item, list)]
    for number, doc in enumerate(annex, start=1):
        assert f"Anexo {number}." in text
    digests = {hashlib.sha256(c).hexdigest() for contents in reader.attachments.values() for c in contents}
    assert digests == {doc["document_id"] for doc in annex}  # the originals themselves, whose hashes the list states
    # The same data and choices give the same bytes.
    again = page.request.get(base + page.get_attribute("#report-open-pdf", "href")).body()
    assert again == pdf
    assert paisa and yuliana
