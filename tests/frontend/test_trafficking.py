"""What is specific to trafficking work, in a real browser: the legal elements on a person's
page (corrected by the analyst and back), the prosecutor's report builder, and the screening of
departures. Every page is checked to stay on 127.0.0.1 (see conftest.visiting)."""

from __future__ import annotations

import json
from urllib.parse import quote
from urllib.request import urlopen

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _api(base: str, path: str):
    with urlopen(base + path, timeout=30) as response:
        return json.load(response)


def _person_id(base: str, name: str) -> str:
    return next(h["id"] for h in _api(base, "/api/search?q=" + quote(name)) if h["type"] == "Person")


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
