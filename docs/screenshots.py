"""Screenshots of every page in Spanish and English, for docs/screenshots/ (linked from the
README): the bundled sample case ingested and resolved into a temporary store, served on
127.0.0.1, each page opened in Debian's Chromium in both languages. Nothing is fetched from
anywhere else (such a request fails the run).

    python docs/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base: str, path: str):
    with urlopen(base + path, timeout=60) as response:
        return json.load(response)


def _post(base: str, path: str, body: dict):
    request = Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST")
    with urlopen(request, timeout=60) as response:
        return json.load(response)


def _put(base: str, path: str, data: bytes):
    request = Request(base + path, data=data, headers={"Content-Type": "application/octet-stream"}, method="PUT")
    with urlopen(request, timeout=60) as response:
        return json.load(response)


UPLOADED_NOTE = (
    "Nota de campo (inventada). En la terminal de transportes de Pereira se entrevistó a la señora ROSALBA QUINTERO MEJÍA, "
    "C.C. 24.331.908, quien dijo que su celular es el 316 402 7781 y que dos jóvenes viajaron con ella a Ipiales.\n"
)
# Invented ticket sales: a buyer paying with El Paisa's phone for three young women's one-way tickets.
TICKET_SALES = (
    "Nombre del pasajero;Cédula;Sexo;Edad;Origen;Destino;Fecha salida;Hora salida;Comprador;Celular comprador;Fecha de compra;"
    "Tipo de tiquete;Empresa\n"
    "LINA MARCELA TORO GIL;1088456001;F;19;Pereira;Ipiales;02/04/2018;21:30;J. CARDONA;314 782 3390;2018-03-30 11:00;Solo ida;Expreso Bolivariano\n"
    "ERIKA JOHANA VÉLEZ RUIZ;1088456002;F;17;Pereira;Ipiales;02/04/2018;21:30;J. CARDONA;314 782 3390;2018-03-30 11:02;Solo ida;Expreso Bolivariano\n"
    "PAOLA ANDREA SOTO MEJÍA;1088456003;F;22;Pereira;Ipiales;02/04/2018;21:30;J. CARDONA;314 782 3390;2018-03-30 11:03;Solo ida;Expreso Bolivariano\n"
    "HÉCTOR FABIO LOAIZA;10111222;M;52;Pereira;Cali;02/04/2018;06:00;HÉCTOR FABIO LOAIZA;311 222 3344;2018-03-20 09:00;Ida y regreso;Flota Occidental\n"
)
ODD_TABLE = (
    "Listado de viajeros - Terminal de Transportes de Pereira - marzo 2018\n"
    "Viajera;Doc. ident.;Sale de;Llega a;Día;Hora\n"
    "Yésica Andrea Montoya Gil;1088234567;Pereira;Ipiales;14/03/2018;21:30\n"
    "Leidy Johana Cardona Ruiz;1088765432;Pereira;Ipiales;14/03/2018;21:30\n"
)


def _upload(base: str, case_id: str, uploads, files: dict[str, str] | None = None) -> str:
    """An upload through the API, as the page does it, read to the end: its run's id."""
    run = _post(base, "/api/uploads", {"case_id": case_id, "user": "dev"})
    for name, text in (files or {"notas/nota_terminal.txt": UPLOADED_NOTE}).items():
        _put(base, f"/api/uploads/{run['id']}/files?name=" + quote(name), text.encode())
    _post(base, f"/api/uploads/{run['id']}/start", {})
    uploads.wait(300)
    return run["id"]


def _wizard(table: Path):
    """The import wizard with an unusual table chosen and its columns mapped."""

    def prepare(page) -> None:
        page.set_input_files("#import-file", str(table))
        page.wait_for_selector("#import-rows")
        for field, header in (("passenger", "Viajera"), ("id_number", "Doc. ident."), ("origin", "Sale de"),
                              ("destination", "Llega a"), ("departure", "Día")):  # fmt: skip
            renders = page.get_attribute("#import-wizard", "data-renders")
            page.select_option(f".column-choice[data-field={field}]", label=header)
            # (Playwright's wait_for_function evaluates strings with eval(), which the pages' policy forbids: poll.)
            for _ in range(200):
                if page.get_attribute("#import-wizard", "data-renders") != renders:
                    break
                page.wait_for_timeout(50)

    return prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "screenshots")
    args = parser.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from backend.domain.model import RunOutcome
    from backend.domain.settings import Settings
    from backend.store.originals import Originals
    from backend.store.runs import IngestRuns
    from backend.store.sqlite import SqliteStore
    from backend.web.app import create_app
    from entity_resolution.graph import resolve_persons
    from ingest.job import ingest_paths
    from ingest.records import case_id_for
    from ingest.sample_case_builder import CASE_NAME, FOLDER

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        database, originals = Path(folder) / "case.sqlite3", Originals(Path(folder) / "originals")
        runs = IngestRuns(Path(folder) / "runs.sqlite3")
        run = runs.start(case_id_for(CASE_NAME), CASE_NAME, "cli:ana", str(FOLDER))
        with SqliteStore(database) as store:
            summary = ingest_paths([FOLDER], store, CASE_NAME, originals=originals)
            runs.finish(run.id, [RunOutcome.model_validate(o, from_attributes=True) for o in summary.outcomes], summary.seconds)
            resolve_persons(store)
        port = _free_port()
        settings = Settings(_env_file=None, data_dir=Path(folder))
        app = create_app(lambda: SqliteStore(database), originals=originals, runs=runs, settings=settings)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        paisa = next(h for h in _get(base, "/api/search?q=" + quote("Jhon Fredy Cardona")) if h["type"] == "Person")
        madrina = next(h for h in _get(base, "/api/search?q=" + quote("María Eugenia Salazar")) if h["type"] == "Person")
        view = _get(base, f"/api/entities/{quote(paisa['id'], safe='')}/network?hops=1")
        chart = _post(base, "/api/charts", {"title": "Red del Paisa", "note": "primer anillo", "user": "ana", "focus": paisa["id"],
                                            "nodes": [{"id": n["entity"]["id"], "x": n["x"], "y": n["y"]} for n in view["nodes"]]})  # fmt: skip
        document = next(h for h in _get(base, "/api/search?q=" + quote("denuncia")) if h["kind"] == "document")
        upload = _upload(base, case_id_for(CASE_NAME), app.state.uploads)
        _upload(base, case_id_for(CASE_NAME), app.state.uploads, {"ventas_terminal_pereira.csv": TICKET_SALES})
        yuliana = next(h for h in _get(base, "/api/search?q=" + quote("Yuliana Andrea Ríos")) if h["type"] == "Person")
        table = Path(folder) / "viajeros_pereira.csv"
        table.write_text(ODD_TABLE, "utf-8")
        analysis = "/analysis?case_id=" + quote(case_id_for(CASE_NAME))
        # name: (path, ready when this shows, what to do first, the part of the page to shoot)
        pages = {
            "dashboard": ("/", ".case-card .brokers li a"),
            "search": ("/?q=" + quote("paisa"), "ol.hits li"),
            "entity": (f"/entity/{quote(paisa['id'], safe='')}?hops=1", "#network[data-state=drawn]"),
            "paths": (f"/paths?source={quote(paisa['id'], safe='')}&target={quote(madrina['id'], safe='')}", "#path-list li"),
            "document": (f"/documents/{document['id']}", "mark"),
            "review": ("/review", "main h1, main h2"),
            "stats": ("/stats", "#most-connected li"),
            "analysis": ("/analysis?case_id=" + quote(case_id_for(CASE_NAME)), "#network[data-state=drawn]"),
            "chart": (f"/charts/{quote(chart['id'], safe='')}", "#network[data-state=drawn]"),
            "upload": (f"/upload?run={quote(upload, safe='')}", "#upload-outcomes"),
            "import": ("/import", "#import-preview", _wizard(table)),
            "time-and-place": (analysis, "#case-map[data-state=drawn][data-basemap=drawn]", None, "#period-section"),
            "legal-elements": (f"/entity/{quote(paisa['id'], safe='')}", "#elements-matrix", None, "#elements"),
            "screening": ("/screening", "#flags li.flag"),
            "report": (f"/report?ids={quote(paisa['id'], safe='')}&ids={quote(yuliana['id'], safe='')}", "#report-annex li"),
        }
        outside: list[str] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            for lang in ("es", "en"):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname == "127.0.0.1"
                              else (outside.append(r.request.url), r.abort()))  # fmt: skip
                context.add_init_script(f"localStorage.setItem('telarana.lang', '{lang}')")
                page = context.new_page()
                for name, (path, ready, *more) in pages.items():
                    prepare, part = (*more, None, None)[:2]
                    page.goto(base + path)
                    if prepare:
                        page.wait_for_selector("main h1")
                        prepare(page)
                    page.wait_for_selector(ready, timeout=60_000)
                    page.wait_for_timeout(300)
                    shot = str(args.out / f"{name}-{lang}.png")
                    page.locator(part).screenshot(path=shot) if part else page.screenshot(path=shot, full_page=False)
                    print(f"{name}-{lang}.png")
                context.close()
            browser.close()
        server.should_exit = True
        if outside:
            raise SystemExit(f"a page tried to reach beyond 127.0.0.1: {sorted(set(outside))}")


if __name__ == "__main__":
    main()
