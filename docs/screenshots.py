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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "screenshots")
    args = parser.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from backend.domain.model import RunOutcome
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
        app = create_app(lambda: SqliteStore(database), originals=originals, runs=runs)
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
                for name, (path, ready) in pages.items():
                    page.goto(base + path)
                    page.wait_for_selector(ready, timeout=60_000)
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(args.out / f"{name}-{lang}.png"), full_page=False)
                    print(f"{name}-{lang}.png")
                context.close()
            browser.close()
        server.should_exit = True
        if outside:
            raise SystemExit(f"a page tried to reach beyond 127.0.0.1: {sorted(set(outside))}")


if __name__ == "__main__":
    main()
