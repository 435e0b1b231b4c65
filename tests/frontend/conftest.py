"""A live Telaraña server on 127.0.0.1 with the sample case ingested and resolved, and Debian's
Chromium driven by Playwright. Every request a page makes is recorded; anything not for
127.0.0.1 is blocked and fails the test. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from backend.domain.model import Batch, EntityType, RelType
from tests import factories as f

CHROMIUM = os.environ.get("TELARANA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
XSS_NAME = "<img src=x onerror=alert(1)>"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hostile_person(store, case_id: str) -> None:
    """A person whose name is markup, tied to El Paisa by a sentence that quotes it."""
    paisa = next(h for h in store.search("Jhon Fredy Cardona", limit=5) if h.type == "Person")
    text = f"Según la fuente, la señora {XSS_NAME} trabaja con Jhon Fredy Cardona Restrepo en Pereira."
    doc = f.document(text, title=f"Nota {XSS_NAME}", case_ids=(case_id,))
    hostile = f.entity(EntityType.PERSON, XSS_NAME, aliases=(f"alias {XSS_NAME}",))
    paisa_entity = store.entities([paisa.id])[paisa.id]
    store.write(Batch(
        documents=(doc,), entities=(hostile,),
        mentions=(f.mention(doc, XSS_NAME, hostile).model_copy(update={"sentence": text}),),
        relationships=(f.relationship(RelType.ASSOCIATED_WITH, hostile, paisa_entity, doc, text, properties={"kind": "employed"}),),
    ))  # fmt: skip


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """(base URL, database path) of a server holding the sample case 'Operación Telar'."""
    from backend.domain.model import RunOutcome
    from backend.store.originals import Originals
    from backend.store.runs import IngestRuns
    from backend.store.sqlite import SqliteStore
    from backend.web.app import create_app
    from entity_resolution.graph import resolve_persons
    from ingest.job import ingest_paths
    from ingest.records import case_id_for
    from ingest.sample_case_builder import CASE_NAME, FOLDER

    folder = tmp_path_factory.mktemp("web")
    database, originals = folder / "web.sqlite3", Originals(folder / "originals")
    runs = IngestRuns(folder / "runs.sqlite3")  # the run is recorded as `telarana ingest` records it
    run = runs.start(case_id_for(CASE_NAME), CASE_NAME, "cli:ana", str(FOLDER))
    with SqliteStore(database) as store:
        summary = ingest_paths([FOLDER, _ambiguous_reports(folder / "extra")], store, CASE_NAME, originals=originals)
        assert not summary.failed, summary.failed
        runs.finish(run.id, [RunOutcome.model_validate(o, from_attributes=True) for o in summary.outcomes], summary.seconds)
        resolve_persons(store)
        _hostile_person(store, case_id_for(CASE_NAME))
    with _served(create_app(lambda: SqliteStore(database), originals=originals, runs=runs)) as base:
        yield base, database


def _ambiguous_reports(folder):
    """Two invented reports naming two brothers and, later, "Juan Pérez", who could be either:
    the resolver cannot tell, so the review queue has work (the sample case's own fragments
    all resolve)."""
    folder.mkdir()
    (folder / "informe_hermanos.txt").write_text(
        "Se identificó a JUAN CARLOS PÉREZ GÓMEZ, C.C. 10.234.567, y a su hermano JUAN DAVID PÉREZ GÓMEZ, C.C. 10.765.432, "
        "administradores del hotel donde se alojaban las jóvenes.\n",
        "utf-8",
    )
    (folder / "informe_vecinos.txt").write_text("Los vecinos dicen que el señor Juan Pérez recibía a las jóvenes en la noche.\n", "utf-8")
    # For the corrections tests: two women the analyst will judge to be one, and a phone only one report ties to the first.
    (folder / "informe_arrendadora.txt").write_text(
        "La arrendadora MARLENY OSPINA DUARTE, C.C. 42.118.907, manifestó que su celular es el 315 770 4412.\n\n"
        "En otra diligencia se entrevistó a GLORIA INÉS ZAPATA RÍOS, quien administra el inquilinato de la calle 19.\n",
        "utf-8",
    )
    return folder


@contextmanager
def _served(app):
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


SIGN_IN_PASSWORD = "correcto-caballo-bateria"


@pytest.fixture(scope="session")
def signed_in_server(live_server, tmp_path_factory):
    """The same sample case served with a user account (analyst "ana"): sign-in required."""
    from backend.store.accounts import Accounts
    from backend.store.sqlite import SqliteStore
    from backend.web.app import create_app

    _, database = live_server
    accounts = Accounts(tmp_path_factory.mktemp("accounts") / "accounts.sqlite3")
    with SqliteStore(database) as store:
        cases = tuple(c.id for c in store.cases())
    accounts.add_user("ana", "analyst", SIGN_IN_PASSWORD, cases=cases)
    with _served(create_app(lambda: SqliteStore(database), accounts=accounts)) as base:
        yield base, accounts


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium; `make install-test` does it)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """One browser page with a record of every request and every dialog it produced."""

    def __init__(self, context, base: str):
        self.base = base
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith("data:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@contextmanager
def visiting(browser, base: str):
    """A Visit of the server at `base`; afterwards, every request it made stayed on 127.0.0.1,
    no dialog opened and no script failed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    v = Visit(context, base)
    yield v
    context.close()
    assert v.requests, "the page made no requests at all"
    assert v.blocked == [], f"the page tried to reach beyond 127.0.0.1: {v.blocked}"
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in v.requests if not u.startswith("data:"))
    assert v.dialogs == [], f"a dialog opened (script ran): {v.dialogs}"
    assert v.errors == [], f"script errors on the page: {v.errors}"


@pytest.fixture
def visit(browser, live_server):
    with visiting(browser, live_server[0]) as v:
        yield v


@pytest.fixture
def upload_server(tmp_path):
    """(base URL, database path) of a server of its own, with uploads on, holding a small case
    ("Caso Pereira", caso-1): what is uploaded into it does not change the sample case."""
    from backend.domain.settings import Settings
    from backend.store.originals import Originals
    from backend.store.runs import IngestRuns
    from backend.store.sqlite import SqliteStore
    from backend.web.app import create_app

    database = tmp_path / "graph.sqlite3"
    f.two_case_database(database)
    settings = Settings(_env_file=None, data_dir=tmp_path)
    app = create_app(lambda: SqliteStore(database), originals=Originals(tmp_path / "originals"), settings=settings,
                     runs=IngestRuns(settings.runs_path))  # fmt: skip
    with _served(app) as base:
        yield base, database
