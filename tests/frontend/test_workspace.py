"""The analyst's workspace in a real browser: upload a folder and follow its reading to the end,
import a spreadsheet through the wizard, the timeline and the map. Every page is checked to
stay on 127.0.0.1 (see conftest.visiting)."""

from __future__ import annotations

import json
import time
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from tests.frontend.conftest import visiting

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPORTS = {
    "informe_terminal.txt": "INFORME DE POLICÍA JUDICIAL. En la terminal de transportes de Pereira se entrevistó a "
    "ROSALBA QUINTERO MEJÍA, C.C. 24.331.908, quien manifestó que su celular es el 316 402 7781.\n",
    "entrevistas/acta_conductor.txt": "Acta de entrevista. El conductor GILDARDO PATIÑO OSORIO dijo que recibió a las "
    "jóvenes en el terminal de Ipiales el 14 de marzo de 2024.\n",
    "entrevistas/nota.txt": "Nota: la señora ROSALBA QUINTERO MEJÍA viajó con dos jóvenes hacia Ipiales.\n",
}


def _api(base: str, path: str):
    with urlopen(base + path, timeout=30) as response:
        return json.load(response)


def _wait_until(page, expression: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def test_upload_a_folder_and_follow_its_reading_to_the_outcome_of_each_file(browser, upload_server, tmp_path):
    base, _ = upload_server
    folder = tmp_path / "caso_pereira"
    for name, text in REPORTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    with visiting(browser, base) as visit:
        page = visit.page
        page.goto(base + "/upload")
        page.wait_for_selector("#upload-form")
        assert page.inner_text("#upload-chosen") == "Nada elegido todavía."
        page.select_option("#upload-case", "caso-1")
        page.set_input_files("#upload-folder", str(folder))
        assert page.inner_text("#upload-chosen").startswith("3 archivos")
        page.click("#upload-send")
        page.wait_for_selector("#upload-progress")
        deadline = time.monotonic() + 180
        while not page.query_selector("#upload-outcomes"):
            assert time.monotonic() < deadline, "the upload was not read in time"
            page.wait_for_timeout(100)
        assert page.get_attribute("#upload-progress", "value") == "100"
        assert "terminada" in page.inner_text("#upload-progress-label") and "3 / 3 archivos (100 %)" in page.inner_text(
            "#upload-progress-label"
        )
        rows = page.query_selector_all("#upload-outcomes tbody tr")
        assert sorted(r.query_selector("td").inner_text() for r in rows) == sorted(f"caso_pereira/{n}" for n in REPORTS)
        assert all(r.query_selector_all("td")[1].inner_text() == "guardado" for r in rows)
        assert "run=" in page.url  # the run's own address: reopened, it shows the same outcome
        visit.screenshot("30-upload-es")
        page.reload()
        page.wait_for_selector("#upload-outcomes")
        assert len(page.query_selector_all("#upload-outcomes tbody tr")) == 3
    hits = _api(base, f"/api/search?q={quote('Rosalba Quintero')}&case_id=caso-1")
    assert any(h["type"] == "Person" for h in hits)
    runs = _api(base, "/api/uploads")
    assert runs[0]["status"] == "done" and runs[0]["by"] == "web:dev" and runs[0]["files_done"] == 3


UNUSUAL_TABLE = (
    "Listado de viajeros - Terminal de Transportes de Pereira - marzo 2024\n"
    "Viajera;Doc. ident.;Sale de;Llega a;Día;Hora\n"
    "Yésica Andrea Montoya Gil;1088234567;Pereira;Ipiales;14/03/2024;21:30\n"
    "Leidy Johana Cardona Ruiz;1088765432;Pereira;Ipiales;14/03/2024;21:30\n"
    "Yésica Andrea Montoya Gil;1088234567;Ipiales;Pereira;20/03/2024;06:15\n"
)


def _choose_column(page, field: str, header: str):
    """Map a field to a column and wait for the wizard to show the table read that way."""
    renders = page.get_attribute("#import-wizard", "data-renders")
    page.select_option(f".column-choice[data-field={field}]", label=header)
    _wait_until(page, f"document.getElementById('import-wizard').dataset.renders !== {json.dumps(renders)}")
    assert page.input_value(f".column-choice[data-field={field}]") != ""


def test_import_a_table_with_unusual_headers_through_the_wizard_and_find_its_rows_in_the_graph(browser, upload_server, tmp_path):
    base, _ = upload_server
    table = tmp_path / "viajeros_pereira.csv"
    table.write_text(UNUSUAL_TABLE, "utf-8")
    with visiting(browser, base) as visit:
        page = visit.page
        page.goto(base + "/import")
        page.select_option("#import-case", "caso-1")
        page.set_input_files("#import-file", str(table))
        page.wait_for_selector("#import-rows")
        # The title line is passed over: the header row proposed is the second, with the time column mapped.
        assert page.input_value("#import-header-row") == "2"
        assert page.input_value("#import-profile") == "bus_tickets"
        assert page.input_value(".column-choice[data-field=departure_time]") == "5"
        assert "Faltan campos obligatorios" in page.inner_text("#import-missing")
        for field, header in (("passenger", "Viajera"), ("id_number", "Doc. ident."), ("origin", "Sale de"),
                              ("destination", "Llega a"), ("departure", "Día")):  # fmt: skip
            _choose_column(page, field, header)
        page.wait_for_selector("#import-preview")
        assert page.inner_text("#import-summary").startswith("3 filas con registros · 0 filas rechazadas")
        first = page.inner_text("#import-preview tbody tr:first-child")
        assert "Yésica Andrea Montoya Gil" in first and "1088234567" in first and "14/03/2024" in first
        visit.screenshot("32-import-es")
        page.fill("#import-profile-name", "viajeros-pereira")
        page.click("#import-run")
        page.wait_for_url("**/upload?run=*")
        page.wait_for_selector("#upload-outcomes", timeout=120_000)
        assert page.inner_text("#upload-outcomes tbody tr td:nth-child(2)") == "guardado"
    hits = _api(base, f"/api/search?q={quote('Leidy Johana Cardona')}&case_id=caso-1")
    person = next(h for h in hits if h["type"] == "Person")
    around = _api(base, f"/api/entities/{quote(person['id'], safe='')}/neighbourhood?hops=1")
    assert {"IdentityDocument", "RouteLeg"} <= {n["type"] for n in around["nodes"]}
    assert [p["name"] for p in _api(base, "/api/import/profiles")] == ["viajeros-pereira"]


CLIENT_X = """(day) => {
  const view = window.telaranaTimeline;
  const box = view.plot.getBoundingClientRect();
  const [y, m, d] = day.split("-").map(Number);
  return {x: box.left + view.x(Date.UTC(y, m - 1, d)) / view.width * box.width, y: box.top + box.height / 2};
}"""


def test_the_map_draws_the_cases_routes_and_brushing_the_timeline_filters_map_chart_and_tables(visit):
    page = visit.page
    case = "Operación Telar"
    whole = _api(visit.base, f"/api/analysis/map?case_id={quote(case)}")
    assert (
        whole["legs"] and any(leg["foreign_destination"] for leg in whole["legs"]) and any(leg["border_crossing"] for leg in whole["legs"])
    )
    page.goto(f"{visit.base}/analysis?case_id={quote(case)}")
    page.wait_for_selector("#case-map[data-state=drawn][data-basemap=drawn]", timeout=30_000)
    page.wait_for_selector("#network[data-state=drawn]", timeout=30_000)
    page.wait_for_selector("#timeline-histogram rect.bar")
    # Every leg the case has is drawn as a line; those ending abroad and the crossings are marked.
    assert page.get_attribute("#case-map", "data-legs") == str(len(whole["legs"]))
    assert len(page.query_selector_all("#case-map path.map-leg")) == len(whole["legs"])
    assert len(page.query_selector_all("#case-map path.map-leg.foreign")) == sum(leg["foreign_destination"] for leg in whole["legs"])
    assert page.query_selector_all("#case-map path.map-leg.border-crossing")
    assert len(page.query_selector_all("#case-map path.leaflet-interactive")) > len(whole["legs"])  # points and departments too
    # Analysts' decisions are counted but not drawn until asked for (they would stretch the axis to today).
    assert page.is_checked("input[data-kind=journey]") and not page.is_checked("input[data-kind=judgement]")
    edges_before = page.evaluate("window.telaranaNetwork.edges.length")
    events_before = len(page.query_selector_all("ol.timeline li:not([hidden])"))
    _section_screenshot(page, "#period-section", "34-time-and-place-es")

    period = ("2018-04-15", "2018-05-05")
    page.locator("#timeline-histogram").scroll_into_view_if_needed()
    start, stop = (page.evaluate(CLIENT_X, day) for day in period)
    page.mouse.move(start["x"] + 1, start["y"])
    page.mouse.down()
    page.mouse.move((start["x"] + stop["x"]) / 2, start["y"], steps=4)
    page.mouse.move(stop["x"] - 1, stop["y"], steps=4)
    page.mouse.up()
    chosen = page.get_attribute("#period-section", "data-period")
    assert chosen, "the brush chose no period"
    date_from, date_to = chosen.split("/")
    bucket_days = page.evaluate("window.telaranaTimeline.step / 86400000")  # a day or a week per bar
    assert abs((_day(date_from) - _day(period[0])).days) <= bucket_days and abs((_day(date_to) - _day(period[1])).days) <= bucket_days
    # The map, the chart and the tables now show that period alone.
    _wait_until(page, f"document.getElementById('network').dataset.period === {json.dumps(chosen)}")
    page.wait_for_selector("#case-map[data-state=drawn]")
    inside = _api(visit.base, f"/api/analysis/map?case_id={quote(case)}&date_from={date_from}&date_to={date_to}")
    assert 0 < len(inside["legs"]) < len(whole["legs"])
    _wait_until(page, f"document.getElementById('case-map').dataset.legs === '{len(inside['legs'])}'")
    assert all(date_from <= leg["date"][:10] <= date_to for leg in inside["legs"] if leg["date"])
    assert page.evaluate("window.telaranaNetwork.edges.length") < edges_before
    shown = page.eval_on_selector_all("ol.timeline li:not([hidden])", "items => items.map(i => i.dataset.at)")
    assert 0 < len(shown) < events_before and all(date_from <= at[:10] <= date_to for at in shown)
    _section_screenshot(page, "#period-section", "35-time-and-place-brushed-es")
    page.click("#period-clear")
    _wait_until(page, f"document.getElementById('case-map').dataset.legs === '{len(whole['legs'])}'")
    assert len(page.query_selector_all("ol.timeline li:not([hidden])")) == events_before


def _section_screenshot(page, selector: str, name: str) -> None:
    from tests.frontend.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(selector).screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _day(text: str):
    from datetime import date

    return date.fromisoformat(text[:10])


def _right_click(page, node_id: str):
    from tests.frontend.test_browser import NODE_POINT, _scroll_to_network

    _scroll_to_network(page)  # the node in the viewport (a click on the toolbar may have scrolled it away)
    point = page.evaluate(NODE_POINT, node_id)
    page.mouse.click(point["x"], point["y"], button="right")
    menu = page.wait_for_selector("#chart-menu")
    return [item.get_attribute("data-action") for item in menu.query_selector_all("li")]


def _menu(page, action: str):
    page.click(f"#chart-menu li[data-action='{action}'] button")
    page.wait_for_selector("#chart-menu", state="detached")


def test_the_chart_menu_groups_hides_pins_expands_by_type_undoes_exports_and_is_kept(visit):
    from tests.frontend.test_browser import _drawn, open_network_of

    page = visit.page
    open_network_of(visit, "Jhon Fredy Cardona")
    focus = page.evaluate("window.telaranaNetwork.focus[0]")
    actions = _right_click(page, focus)
    assert {"expand", "expand:Phone", "pin", "hide", "group", "paths", "source", "profile"} <= set(actions)
    visit.screenshot("36-chart-menu-es")
    phones = page.evaluate(f"window.telaranaNetwork.phonesOf({json.dumps(focus)})")
    assert phones, "El Paisa's phones are drawn"
    _menu(page, "group")
    group = f"group:{focus}"
    assert page.evaluate(f"window.telaranaNetwork.network.isCluster({json.dumps(group)})")
    assert all(page.evaluate(f"window.telaranaNetwork.network.clustering.findNode({json.dumps(p)})[0]") == group for p in phones)
    page.click("#chart-undo")  # undo the grouping
    assert not page.evaluate(f"window.telaranaNetwork.network.isCluster({json.dumps(group)})")

    others = [i for i in page.evaluate("window.telaranaNetwork.nodes.getIds()") if i != focus and i not in phones]
    hidden = others[0]
    _right_click(page, hidden)
    _menu(page, "hide")
    assert page.evaluate(f"window.telaranaNetwork.nodes.get({json.dumps(hidden)}).hidden") is True
    assert page.inner_text("#chart-show-hidden").endswith("(1)")
    page.keyboard.press("Control+z")
    assert not page.evaluate(f"window.telaranaNetwork.nodes.get({json.dumps(hidden)}).hidden")

    _right_click(page, focus)
    _menu(page, "pin")
    assert page.evaluate(f"window.telaranaNetwork.nodes.get({json.dumps(focus)}).fixed.x") is True

    # Expanding a phone by one type draws only entities of that type around it (and can be undone).
    before = set(page.evaluate("window.telaranaNetwork.nodes.getIds()"))
    _right_click(page, phones[0])
    _menu(page, "expand:Phone")
    _wait_until(page, f"window.telaranaNetwork.nodes.length > {len(before)}", timeout=20)
    added = set(page.evaluate("window.telaranaNetwork.nodes.getIds()")) - before
    types = {page.evaluate(f"window.telaranaNetwork.nodes.get({json.dumps(i)}).entity.type") for i in added}
    assert types == {"Phone"}
    page.click("#chart-undo")
    assert set(page.evaluate("window.telaranaNetwork.nodes.getIds()")) == before

    with page.expect_download() as png:
        page.click("#chart-png")
    assert png.value.suggested_filename == "telarana-red.png" and open(png.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    _right_click(page, focus)
    _menu(page, "group")
    _right_click(page, hidden)
    _menu(page, "hide")
    with page.expect_download() as drawing:
        page.click("#chart-svg")
    svg = open(drawing.value.path(), encoding="utf-8").read()
    assert svg.startswith("<?xml") and "<svg" in svg and "Cardona" in svg and f"(+{len(phones)})" in svg
    hidden_label = page.evaluate(f"window.telaranaNetwork.nodes.get({json.dumps(hidden)}).entity.label")
    assert f">{hidden_label}<" not in svg, "a hidden node is not exported"

    # Saved, the chart keeps its group, its hidden node and its pin.
    page.fill("#chart-title", "Paisa con sus teléfonos agrupados")
    page.click("#save-chart")
    page.click("#saved-chart-link")
    page.wait_for_url("**/charts/*")
    _drawn(page)
    _wait_until(page, f"window.telaranaNetwork.network.isCluster({json.dumps(group)})")
    assert page.evaluate(f"window.telaranaNetwork.nodes.get({json.dumps(hidden)}).hidden") is True
    assert page.evaluate(f"window.telaranaNetwork.nodes.get({json.dumps(focus)}).fixed.x") is True


BIG_VIEW = """(count) => {
  const nodes = [], edges = [];
  for (let i = 0; i < count; i++) {
    const type = i % 3 ? "Phone" : "Person";
    nodes.push({ entity: { id: `n${i}`, type, label: `Nodo ${i}`, aliases: [], properties: {} }, x: (i % 40) * 30, y: Math.floor(i / 40) * 30,
                 degree: i < 10 ? 50 - i : 1, betweenness: i < 10 ? 1 / (i + 1) : 0, community: null });
    if (i) edges.push({ id: `e${i}`, source_id: "n0", target_id: `n${i}`, type: "CALLED", confidence: 0.9, properties: {}, date: null });
  }
  return { nodes, edges, focus: ["n0"], truncated: false };
}"""


def test_a_large_result_is_summarised_by_centrality_and_type_and_can_be_drawn_whole(visit):
    from tests.frontend.test_browser import open_network_of

    page = visit.page
    open_network_of(visit, "Jhon Fredy Cardona")
    page.evaluate(f"window.telaranaNetwork.draw(({BIG_VIEW})(900))")
    drawn = page.evaluate("window.telaranaNetwork.nodes.getIds()")
    summaries = sorted(i for i in drawn if i.startswith("summary:"))
    assert summaries == ["summary:Person", "summary:Phone"] and len(drawn) == 150 + 2
    assert all(f"n{i}" in drawn for i in range(10)), "the most central are drawn"
    counts = {s: page.evaluate(f"window.telaranaNetwork.nodes.get('{s}').entity.label") for s in summaries}
    assert counts == {"summary:Person": "250 × Persona", "summary:Phone": "500 × Teléfono"}
    assert "Dibujar todo" in page.inner_text("#chart-summary")
    page.click("#chart-draw-whole")
    assert page.evaluate("window.telaranaNetwork.nodes.length") == 900
