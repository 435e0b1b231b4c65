"""Case compartments through the API: every route × every role × own and other cases' records.

Two cases (tests/factories: the story's Pereira case, and a Cali case whose report cites the
Pereira recruiter's phone). For each user, every API route is called with records of their own
cases and with every record they must not see, by id. Two checks, over every response:
- nothing they must not see appears in it (ids, names, numbers, titles, document words);
- asking for a hidden record by id gets exactly what asking for an id never stored gets.
A last test turns the compartments off and shows the same checks find the leaks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from backend.domain.model import ChartNode, EntityMark, GraphFilter, Judgement
from backend.domain.screening import Flag, Indicator, TravelRow
from backend.domain.settings import Settings
from backend.graph import corrections
from backend.jobs.uploads import UploadJobs
from backend.reports import screening as screening_reports
from backend.reports.charts import save_chart
from backend.store.accounts import Accounts
from backend.store.charts import Charts
from backend.store.runs import IngestRuns
from backend.store.screening import Screenings
from backend.store.sqlite import SqliteStore
from backend.web.app import api_routes, create_app
from backend.web.auth import CSRF_HEADER
from tests import factories as f

PASSWORD = "correcto-caballo-bateria"
BOGUS_ENTITY = "person:no-such-entity"
BOGUS_DOCUMENT = "0" * 64
BOGUS_JUDGEMENT = "judgement:no-such-judgement"
BOGUS_CASE = "caso-inexistente"
BOGUS_CORRECTION = "correction:no-such-correction"
BOGUS_CHART = "chart:0000000000000000"
BOGUS_UPLOAD = "run:0000000000000000"
BOGUS_FLAG = "flag:000000000000000000000000"
BOGUS_WATCH = "watch:000000000000000000000000"
# Routes with nothing of a case to show, checked elsewhere (test_api_auth.py).
NOT_CASE_DATA = {("POST", "/api/login"), ("POST", "/api/logout"), ("GET", "/api/health"), ("GET", "/api/schema")}
STAMPED_ID = re.compile(r"\b(judgement|mark|correction):[0-9a-f]{32}\b")
SLOTS = {"entity": "{other}", "document": "{document}", "judgement": "{judgement}", "case": "{case}", "correction": "{correction}",
         "chart": "{chart}", "upload": "{upload}", "flag": "{flag}", "watch": "{watch}"}  # fmt: skip
ROUTES = {
    # (method, route): requests, each (path, query, body) with {own}, {other}, {document}, {judgement}, {case} to fill in
    ("GET", "/api/me"): [("/api/me", {}, None)],
    ("GET", "/api/audit"): [("/api/audit", {}, None)],
    ("GET", "/api/counts"): [("/api/counts", {}, None)],
    ("GET", "/api/search"): [("/api/search", {"q": q}, None) for q in ("Carlos", "Restrepo", "Luisa", "312 456 7890", "Informe")],
    ("GET", "/api/entities/{entity_id}"): [("/api/entities/{other}", {}, None)],
    ("GET", "/api/entities/{entity_id}/neighbourhood"): [
        ("/api/entities/{other}/neighbourhood", {"hops": 3, "resolved": r}, None) for r in ("false", "true")
    ],
    ("GET", "/api/paths"): [
        ("/api/paths", {"source": "{own}", "target": "{other}", "k": 3, "resolved": r}, None) for r in ("false", "true")
    ],
    ("GET", "/api/paths/network"): [("/api/paths/network", {"source": "{own}", "target": "{other}"}, None)],
    ("GET", "/api/entities/{entity_id}/same-as"): [("/api/entities/{other}/same-as", {}, None)],
    ("GET", "/api/explain-merge"): [("/api/explain-merge", {"left": "{own}", "right": "{other}"}, None)],
    ("GET", "/api/judgements"): [("/api/judgements", {}, None), ("/api/judgements", {"entity": "{other}"}, None)],
    ("POST", "/api/judgements"): [("/api/judgements", {}, {"left_id": "{own}", "right_id": "{other}", "decision": "unsure", "user": "x"})],
    ("POST", "/api/judgements/{judgement_id}/undo"): [("/api/judgements/{judgement}/undo", {}, {"user": "x", "reason": "prueba"})],
    ("GET", "/api/documents/{document_id}"): [("/api/documents/{document}", {}, None)],
    ("GET", "/api/entities/{entity_id}/profile"): [("/api/entities/{other}/profile", {}, None)],
    ("GET", "/api/entities/{entity_id}/network"): [("/api/entities/{other}/network", {"hops": 3}, None)],
    ("GET", "/api/documents/{document_id}/view"): [("/api/documents/{document}/view", {}, None)],
    ("GET", "/api/documents/{document_id}/original"): [("/api/documents/{document}/original", {}, None)],
    ("GET", "/api/review-queue"): [("/api/review-queue", {}, None)],
    ("POST", "/api/entities/{entity_id}/split"): [("/api/entities/{other}/split", {}, {"user": "x", "reason": "prueba"})],
    ("GET", "/api/relationships/evidence"): [("/api/relationships/evidence", {"ids": "{relationships}"}, None)],
    ("GET", "/api/stats"): [("/api/stats", {}, None)],
    ("GET", "/api/analysis/centrality"): [
        ("/api/analysis/centrality", {"case_id": c, "network": n}, None) for c in (None, "{case}") for n in ("persons", "all")
    ],
    ("GET", "/api/analysis/network"): [("/api/analysis/network", {"case_id": c}, None) for c in (None, "{case}")],
    ("GET", "/api/analysis/co-travel"): [("/api/analysis/co-travel", {"case_id": c}, None) for c in (None, "{case}")],
    ("GET", "/api/analysis/calls/common"): [("/api/analysis/calls/common", {"ids": ["{own}", "{other}"]}, None)],
    ("GET", "/api/analysis/calls/top"): [("/api/analysis/calls/top", {"id": "{other}"}, None)],
    ("GET", "/api/analysis/calls/pairs"): [("/api/analysis/calls/pairs", {"case_id": c}, None) for c in (None, "{case}")],
    ("GET", "/api/analysis/calls/burners"): [
        ("/api/analysis/calls/burners", {"case_id": c, "window_hours": 1, "min_calls": 1}, None) for c in (None, "{case}")
    ],
    ("GET", "/api/analysis/map"): [("/api/analysis/map", {"case_id": c}, None) for c in (None, "{case}")]
    + [("/api/analysis/map", {"case_id": "{case}", "date_from": "2024-01-01", "date_to": "2024-12-31"}, None)],
    ("GET", "/api/analysis/elements"): [
        ("/api/analysis/elements", {"entity_id": "{other}"}, None),
        ("/api/analysis/elements", {"entity_id": "{other}", "case_id": "{case}"}, None),
    ],
    ("GET", "/api/analysis/cross-border"): [("/api/analysis/cross-border", {"case_id": c}, None) for c in (None, "{case}")],
    ("GET", "/api/analysis/timeline"): [
        ("/api/analysis/timeline", {"entity_id": "{other}"}, None),
        ("/api/analysis/timeline", {"case_id": "{case}"}, None),
    ],
    ("GET", "/api/report"): [("/api/report", {"ids": ["{own}", "{other}"], "user": "x", "format": fmt}, None) for fmt in ("json", "html")],
    ("GET", "/api/export"): [
        ("/api/export", {"format": "json", "scope": "case", "case_id": "{case}"}, None),
        ("/api/export", {"format": "graphml", "scope": "case"}, None),
        ("/api/export", {"format": "json", "scope": "search", "q": "Carlos"}, None),
        ("/api/export", {"format": "json", "scope": "view", "entity_id": "{other}", "hops": 3}, None),
        ("/api/export", {"format": "json", "scope": "chart", "chart_id": "{chart}"}, None),
    ],
    ("GET", "/api/entities/{entity_id}/marks"): [("/api/entities/{other}/marks", {}, None)],
    ("POST", "/api/entities/{entity_id}/marks"): [("/api/entities/{other}/marks", {}, {"mark": "victim", "user": "x"})],
    ("GET", "/api/cases"): [("/api/cases", {}, None)],
    ("GET", "/api/dashboard"): [("/api/dashboard", {}, None)],
    ("GET", "/api/charts"): [("/api/charts", {}, None)],
    ("GET", "/api/charts/{chart_id}"): [("/api/charts/{chart}", {}, None)],
    ("POST", "/api/charts"): [("/api/charts", {}, {"title": "x", "user": "x", "nodes": [{"id": "{other}", "x": 0, "y": 0}]})],
    ("GET", "/api/uploads"): [("/api/uploads", {}, None)],
    ("GET", "/api/uploads/{run_id}"): [("/api/uploads/{upload}", {}, None)],
    ("POST", "/api/uploads"): [("/api/uploads", {}, {"case_id": "{case}", "user": "x"})],
    ("PUT", "/api/uploads/{run_id}/files"): [("/api/uploads/{upload}/files", {"name": "x.txt"}, {"texto": "prueba"})],
    ("POST", "/api/uploads/{run_id}/start"): [("/api/uploads/{upload}/start", {}, None)],
    ("POST", "/api/uploads/{run_id}/cancel"): [("/api/uploads/{upload}/cancel", {}, None)],
    ("POST", "/api/import/preview"): [("/api/import/preview", {"name": "x.csv"}, None)],
    ("GET", "/api/import/profiles"): [("/api/import/profiles", {}, None)],
    ("POST", "/api/import/profiles"): [
        ("/api/import/profiles", {}, {"name": "x", "profile": "cdr", "columns": {"caller": "A"}, "user": "x"})
    ],
    ("GET", "/api/screening/flags"): [("/api/screening/flags", {"status": "all", "case_id": c}, None) for c in (None, "{case}")],
    ("POST", "/api/screening/flags/{flag_id}/review"): [
        ("/api/screening/flags/{flag}/review", {}, {"decision": "dismissed", "user": "x", "reason": "prueba"})
    ],
    ("GET", "/api/watchlist"): [("/api/watchlist", {"case_id": c}, None) for c in (None, "{case}")],
    ("POST", "/api/watchlist"): [("/api/watchlist", {}, {"kind": "person", "value": "Nadie Nunca", "user": "x", "case_id": "{case}"})],
    ("POST", "/api/watchlist/{entry_id}/lift"): [("/api/watchlist/{watch}/lift", {}, {"user": "x", "reason": "prueba"})],
    ("GET", "/api/watchlist/alerts"): [("/api/watchlist/alerts", {"case_id": c}, None) for c in (None, "{case}")],
    ("POST", "/api/entities/{entity_id}/elements/reject"): [
        ("/api/entities/{other}/elements/reject", {}, {"element": "debt", "tag_id": "tag:x", "user": "x", "reason": "prueba"})
    ],
    ("POST", "/api/entities/{entity_id}/elements"): [
        ("/api/entities/{other}/elements", {}, {"element": "debt", "quote": "le cobraban", "user": "x", "reason": "prueba"}),
        (
            "/api/entities/{own}/elements",
            {},
            {"element": "debt", "quote": "x", "user": "x", "reason": "prueba", "document_id": "{document}"},
        ),
    ],
    ("GET", "/api/corrections"): [("/api/corrections", {}, None), ("/api/corrections", {"case_id": "{case}"}, None)],
    ("GET", "/api/history"): [("/api/history", {"subject": "{other}"}, None), ("/api/history", {"subject": "{link}"}, None)],
    ("POST", "/api/annotations"): [("/api/annotations", {}, {"subject_id": "{other}", "note": "prueba", "user": "x"})],
    ("POST", "/api/entities"): [
        ("/api/entities", {}, {"entity_type": "Person", "label": "Persona nueva", "user": "x", "case_id": "{case}"})
    ],
    ("POST", "/api/relationships"): [
        (
            "/api/relationships",
            {},
            {
                "relationship_type": "ASSOCIATED_WITH",
                "source_id": "{own}",
                "target_id": "{other}",
                "association": "other",
                "user": "x",
                "reason": "prueba",
            },
        ),
    ],  # fmt: skip
    ("POST", "/api/evidence/{evidence_id}/reject"): [
        ("/api/evidence/{other}/reject", {}, {"relationship_id": "{link}", "user": "x", "reason": "prueba"})
    ],
    ("POST", "/api/relationships/{relationship_id}/reject"): [("/api/relationships/{link}/reject", {}, {"user": "x", "reason": "prueba"})],
    ("POST", "/api/corrections/{correction_id}/undo"): [("/api/corrections/{correction}/undo", {}, {"user": "x", "reason": "prueba"})],
}


@dataclass
class World:
    """The two cases as stored, and what each user must not see."""

    database: object
    story: f.StoryGraph
    cali_report: object
    cross_judgement: Judgement
    relationship_ids: list[str]
    cali_records: tuple[str, ...]  # ids of case B's (Cali's) judgement and corrections
    link: str  # a relationship of the Pereira case alone
    cali_chart: str  # a chart kept in case B (Cali)
    cali_upload: str  # an upload into case B, half received
    cali_flag: str  # a screening flag raised in case B
    cali_watch: str  # a watchlist entry of case B
    users: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def entity_ids(self) -> set[str]:
        return {e.id for e in (*self.story.people.values(), *self.story.things.values())}

    def document_ids(self) -> set[str]:
        return {self.story.report.id, self.story.interview.id, self.story.other_report.id, self.cali_report.id}


@pytest.fixture
def world(tmp_path):
    database = tmp_path / "two-cases.sqlite3"
    story = f.story()
    with SqliteStore(database) as store:
        store.write(story.batch())
        cross = f.cross_case_batch(story)
        store.write(cross)
        p, t = story.people, story.things
        judgement = store.add_judgement(
            Judgement.new(p["carlos"].id, p["recruiter"].id, "unsure", "user:carla", "Carlos, nombre de pila común")
        )
        for entity in (p["recruiter"], t["phone_recruiter"]):
            store.add_mark(EntityMark.new(entity.id, "shareable", True, "user:ana", "para INTERPOL", case_id="caso-1"))
        store.add_mark(EntityMark.new(p["carlos"].id, "shareable", True, "user:carla", "para INTERPOL", case_id="caso-2"))
        # Case B's records about what case A also sees: invisible and inert in case A.
        cali = (
            store.add_judgement(Judgement.new(t["phone_recruiter"].id, t["phone_luisa"].id, "same", "user:carla",
                                              "juicio de Cali reservado", case_id="caso-2")).id,
            store.add_mark(EntityMark.new(t["phone_luisa"].id, "shareable", True, "user:carla", "marca de Cali reservada",
                                          case_id="caso-2")).id,
            corrections.reject_link(store, story.relationships["recruiter_phone"].id, "carla", "rechazo de Cali reservado", "caso-2").id,
            corrections.annotate(store, p["recruiter"].id, "nota de Cali reservada", "carla", "caso-2").id,
        )  # fmt: skip
        relationship_ids = sorted(e.id for e in store.all_edges(GraphFilter()))
        cali_chart = save_chart(store, Charts(tmp_path / "workspace.sqlite3"), case="caso-2", by="carla", title="gráfico de Cali reservado",
                                note="nota del gráfico de Cali", focus=None, nodes=[ChartNode(id=p["carlos"].id, x=1, y=2)], filters={})  # fmt: skip
        cali_case = next(c for c in store.cases() if c.id == "caso-2")
        screenings = Screenings(tmp_path / "workspace.sqlite3")
        cali_row = TravelRow(document_id=cross.documents[0].id, row=2, passenger="PASAJERA RESERVADA DE CALI", departure="2024-03-01",
                             origin="Cali", destination="Ipiales")  # fmt: skip
        screenings.keep_rows("caso-2", [cali_row])
        cali_flag = Flag.new("caso-2", Indicator.KNOWN, cross.documents[0].id, [2], [cali_row.passenger], 0.9, [("bandera de Cali reservada", "bandera de Cali reservada")],
                             [p["carlos"].id])  # fmt: skip
        screenings.add_flags([cali_flag])
        cali_watch = screening_reports.add_watch(store, screenings, "caso-2", "person", "Vigilada Reservada", "carla",
                                                 "vigilancia de Cali reservada")  # fmt: skip
        screenings.close()
    settings = Settings(_env_file=None, env="development", data_dir=tmp_path, pseudonym_key="k" * 40)
    uploads = UploadJobs(IngestRuns(settings.runs_path), lambda: SqliteStore(database), settings)
    cali_upload = uploads.open(cali_case, "web:carla")
    incoming = tmp_path / "incoming.txt"
    incoming.write_text("subida de Cali reservada", "utf-8")
    uploads.receive(cali_upload, "informe-cali-reservado.txt", incoming)
    return World(
        database,
        story,
        cross.documents[0],
        judgement,
        relationship_ids,
        cali,
        story.relationships["luisa_phone"].id,
        cali_chart.id,
        cali_upload.id,
        cali_flag.id,
        cali_watch.id,
        users={
            "admin1": ("admin", ()),
            "ana": ("analyst", ("caso-1",)),
            "carla": ("analyst", ("caso-2",)),
            "fiscal": ("prosecutor", ("caso-1",)),
            "enlace": ("liaison", ("caso-1",)),
            "nadie": ("analyst", ()),
        },
    )


@dataclass
class Secrets:
    """What one user must not see: records by id, and words only those records hold."""

    own_entity: str
    own_document: str
    cited: set[str]  # documents the user cannot open but may see cited (a liaison's evidence)
    entities: set[str]
    documents: set[str]
    judgements: set[str]
    cases: set[str]
    words: set[str]
    corrections: set[str] = field(default_factory=set)
    charts: set[str] = field(default_factory=set)
    uploads: set[str] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)
    watches: set[str] = field(default_factory=set)


PEREIRA_WORDS = {
    "Luisa",
    "Torres",
    "López de Ruiz",
    "AV 010",
    "Madrid",
    "Informe policial 001",
    "Entrevista víctima",
    "captó",
    "le ofreció trabajo",
    "+573152223344",
    "315 222 3344",
}
CALI_WORDS = {
    "Restrepo",
    "+573180001111",
    "318 000 1111",
    "Informe caso Cali",
    "Informe Cali 002",
    "el celular del Paisa",
    "nombre de pila común",
    "juicio de Cali reservado",
    "marca de Cali reservada",
    "rechazo de Cali reservado",
    "nota de Cali reservada",
    "gráfico de Cali reservado",
    "nota del gráfico de Cali",
    "informe-cali-reservado",
    "bandera de Cali reservada",
    "vigilancia de Cali reservada",
    "PASAJERA RESERVADA DE CALI",
}


def secrets_of(world: World, name: str) -> Secrets | None:
    role, cases = world.users[name]
    p, t, s = world.story.people, world.story.things, world.story
    cali_judgement, _, *cali_corrections = world.cali_records
    cross = {world.cross_judgement.id, cali_judgement}
    if role == "admin":
        return None
    if not cases:
        return Secrets(
            "person:nothing-of-mine",
            BOGUS_DOCUMENT,
            set(),
            world.entity_ids(),
            world.document_ids(),
            cross,
            {"caso-1", "caso-2"},
            PEREIRA_WORDS | CALI_WORDS,
            set(cali_corrections),
            {world.cali_chart},
            {world.cali_upload},
            {world.cali_flag},
            {world.cali_watch},
        )
    if cases == ("caso-2",):
        seen = {p["carlos"].id, t["phone_carlos"].id, t["phone_recruiter"].id, p["recruiter"].id}
        return Secrets(
            p["carlos"].id,
            world.cali_report.id,
            set(),
            world.entity_ids() - seen,
            {s.report.id, s.interview.id},
            {cali_judgement},  # hers, but about a phone of the Pereira case she cannot see
            {"caso-1"},
            PEREIRA_WORDS,
        )
    hidden = Secrets(
        p["recruiter"].id,
        s.report.id,
        set(),
        {p["carlos"].id, t["phone_carlos"].id},
        {s.other_report.id, world.cali_report.id},
        cross,
        {"caso-2"},
        set(CALI_WORDS),
        set(cali_corrections),
        {world.cali_chart},
        {world.cali_upload},
        {world.cali_flag},
        {world.cali_watch},
    )
    if role == "liaison":  # only what is marked shareable, and no document words
        hidden.entities = world.entity_ids() - {p["recruiter"].id, t["phone_recruiter"].id}
        hidden.own_document = BOGUS_DOCUMENT
        hidden.documents |= {s.report.id, s.interview.id}
        hidden.cited = {s.report.id, s.interview.id}  # evidence keeps its citation, without the words
        hidden.words |= PEREIRA_WORDS | {"Su celular es", "El 12 de marzo"}
    return hidden


def _client(world: World, tmp_path) -> TestClient:
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    for name, (role, cases) in world.users.items():
        accounts.add_user(name, role, PASSWORD, cases=cases)
    settings = Settings(_env_file=None, env="development", data_dir=tmp_path, pseudonym_key="k" * 40)
    charts = Charts(tmp_path / "workspace.sqlite3")
    return TestClient(create_app(lambda: SqliteStore(world.database), settings=settings, accounts=accounts, charts=charts,
                                 runs=IngestRuns(settings.runs_path), screenings=Screenings(tmp_path / "workspace.sqlite3")))  # fmt: skip


def _fill(value, values: dict[str, object]):
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items() if v is not None}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in values:
        return values[value[1:-1]]
    if isinstance(value, str):
        for key, v in values.items():
            if isinstance(v, str):
                value = value.replace("{" + key + "}", v)
    return value


def _requests(world: World, secrets: Secrets | None):
    """Every request of the matrix for one user: (route, what it targets, the request)."""
    own = secrets.own_entity if secrets else world.story.people["carlos"].id
    own_document = secrets.own_document if secrets else world.cali_report.id
    targets = [("own", None, {"other": own, "document": own_document, "judgement": world.cross_judgement.id, "case": "caso-1",
                              "correction": BOGUS_CORRECTION, "chart": BOGUS_CHART, "upload": BOGUS_UPLOAD,
                              "flag": BOGUS_FLAG, "watch": BOGUS_WATCH})]  # fmt: skip
    never = {"other": BOGUS_ENTITY, "document": BOGUS_DOCUMENT, "judgement": BOGUS_JUDGEMENT, "case": BOGUS_CASE,
             "correction": BOGUS_CORRECTION, "chart": BOGUS_CHART, "upload": BOGUS_UPLOAD, "flag": BOGUS_FLAG, "watch": BOGUS_WATCH}  # fmt: skip
    targets.append(("never stored", None, never))
    if secrets:
        for kind, ids in (
            ("entity", secrets.entities),
            ("document", secrets.documents),
            ("judgement", secrets.judgements),
            ("case", secrets.cases),
            ("correction", secrets.corrections),
            ("chart", secrets.charts),
            ("upload", secrets.uploads),
            ("flag", secrets.flags),
            ("watch", secrets.watches),
        ):
            targets += [(f"hidden {kind}", SLOTS[kind], {**never, SLOTS[kind][1:-1]: hidden}) for hidden in sorted(ids)]
    for route, variants in ROUTES.items():
        for target, slot, values in targets:
            values = {**values, "own": own, "relationships": world.relationship_ids, "link": world.link}
            for path, query, body in variants:
                if slot is None or slot in json.dumps([path, query, body]):  # a hidden id goes only where an id goes
                    yield route, target, (route[0], _fill(path, values), _fill(query, values), _fill(body, values))


def _call(client: TestClient, csrf: str, request) -> tuple[int, str]:
    method, path, query, body = request
    response = client.request(method, path, params=query, json=body, headers={CSRF_HEADER: csrf} if method != "GET" else {})
    return response.status_code, response.text


def run_matrix(world: World, tmp_path) -> tuple[int, list[str]]:
    """Every route × user × target; returns (requests made, leaks found)."""
    requests, leaks = 0, []
    with _client(world, tmp_path) as client:
        for name in world.users:
            login = client.post("/api/login", json={"name": name, "password": PASSWORD})
            assert login.status_code == 200, login.text
            csrf = login.json()["csrf"]
            secrets = secrets_of(world, name)
            answers: dict[tuple, tuple[int, str]] = {}
            for route, target, request in _requests(world, secrets):
                status, text = _call(client, csrf, request)
                requests += 1
                answers[(route, target, json.dumps(request[1:], sort_keys=True))] = (status, text)
                if secrets is None:
                    continue
                asked = json.dumps(request[1:], ensure_ascii=False)
                found = [w for w in secrets.words if w in text]
                found += [
                    i
                    for i in secrets.entities
                    | secrets.documents
                    | secrets.judgements
                    | secrets.corrections
                    | secrets.charts
                    | secrets.uploads
                    | secrets.flags
                    | secrets.watches
                    if i in text and i not in asked and i not in secrets.cited
                ]
                if found:
                    leaks.append(f"{name} {request[0]} {request[1]} {request[2]} ({target}): {sorted(found)} in {text[:300]}")
                if target.startswith("hidden"):
                    # The same request with a never-stored id must get the same answer, word for word.
                    status_never, text_never = _call(client, csrf, _swap_to_never_stored(request, secrets))
                    requests += 1
                    hidden_ids = (
                        secrets.entities
                        | secrets.documents
                        | secrets.judgements
                        | secrets.cases
                        | secrets.corrections
                        | secrets.charts
                        | secrets.uploads
                        | secrets.flags
                        | secrets.watches
                    )
                    normalised = text
                    for hidden in hidden_ids:
                        normalised = normalised.replace(hidden, _never_stored_for(hidden, secrets))
                    if (status, _unstamped(normalised)) != (status_never, _unstamped(text_never)):
                        leaks.append(
                            f"{name} {request[0]} {request[1]} {request[2]} ({target}): answered {status} {text[:200]} "
                            f"but a never-stored id gets {status_never} {text_never[:200]}"
                        )
            if name == "ana":  # an analyst of the case sees her case: the matrix is not just refusals
                assert answers_contain(answers, "Luisa Fernanda Ríos") and answers_contain(answers, "Su celular es 312 456 7890")
            if name == "carla":
                assert answers_contain(answers, "Carlos Restrepo") and answers_contain(answers, "el celular del Paisa")
            client.post("/api/logout", headers={CSRF_HEADER: csrf})
    return requests, leaks


def _unstamped(text: str) -> str:
    """A refused judgement or mark names the id it would have had, made from the time."""
    return STAMPED_ID.sub(r"\1:…", text)


def answers_contain(answers: dict, words: str) -> bool:
    return any(words in text for status, text in answers.values() if status == 200)


def _never_stored_for(hidden: str, secrets: Secrets) -> str:
    if hidden in secrets.entities:
        return BOGUS_ENTITY
    if hidden in secrets.documents:
        return BOGUS_DOCUMENT
    if hidden in secrets.judgements:
        return BOGUS_JUDGEMENT
    if hidden in secrets.corrections:
        return BOGUS_CORRECTION
    if hidden in secrets.charts:
        return BOGUS_CHART
    if hidden in secrets.uploads:
        return BOGUS_UPLOAD
    if hidden in secrets.flags:
        return BOGUS_FLAG
    if hidden in secrets.watches:
        return BOGUS_WATCH
    return BOGUS_CASE


def _swap_to_never_stored(request, secrets: Secrets):
    text = json.dumps(request)
    hidden_ids = secrets.entities | secrets.documents | secrets.judgements | secrets.cases | secrets.corrections | secrets.charts
    for hidden in hidden_ids | secrets.uploads | secrets.flags | secrets.watches:
        text = text.replace(json.dumps(hidden)[1:-1], _never_stored_for(hidden, secrets))
    return tuple(json.loads(text))


def test_the_matrix_covers_every_api_route(world, tmp_path):
    with _client(world, tmp_path) as client:
        routes = api_routes(client.app)
    assert routes - NOT_CASE_DATA == set(ROUTES)


def test_no_route_shows_any_role_anything_outside_their_cases(world, tmp_path):
    requests, leaks = run_matrix(world, tmp_path)
    print(f"compartment matrix: {len(world.users)} users, {len(ROUTES)} routes, {requests} requests, {len(leaks)} leaks")
    assert leaks == [], "\n".join(leaks[:20])


def test_the_matrix_finds_the_leaks_when_compartments_are_off(world, tmp_path, monkeypatch):
    from backend.store import scoped

    monkeypatch.setattr(scoped.Scope, "of", classmethod(lambda cls, role, cases: None))
    requests, leaks = run_matrix(world, tmp_path)
    print(f"compartments off: {requests} requests, {len(leaks)} leaks")
    assert len(leaks) > 100
    for user in ("ana", "carla", "fiscal", "enlace", "nadie"):
        assert any(leak.startswith(user + " ") for leak in leaks), user


def _case_a_sees_case_b_records(world: World, tmp_path) -> list[str]:
    """What of case B's judgement, mark and corrections reaches case A's users (empty: nothing)."""
    p, t, r = world.story.people, world.story.things, world.story.relationships
    found = []
    with _client(world, tmp_path) as client:
        client.post("/api/login", json={"name": "ana", "password": PASSWORD})
        same = {e["id"] for e in client.get(f"/api/entities/{t['phone_recruiter'].id}/same-as").json()}
        if same != {t["phone_recruiter"].id}:
            found.append(f"judgement merges {sorted(same)}")
        links = {rel["id"] for rel in client.get(f"/api/entities/{p['recruiter'].id}").json()["relationships"]}
        if r["recruiter_phone"].id not in links:
            found.append("rejection removes the link")
        if client.get("/api/history", params={"subject": p["recruiter"].id}).json():
            found.append("history shows the note")
        if client.get("/api/corrections").json():
            found.append("corrections listed")
        client.post("/api/login", json={"name": "enlace", "password": PASSWORD})
        if client.get(f"/api/entities/{t['phone_luisa'].id}").status_code != 404:
            found.append("mark shares the phone")
        client.post("/api/login", json={"name": "carla", "password": PASSWORD})  # in case B they act
        notes = [h["note"] for h in client.get("/api/history", params={"subject": p["recruiter"].id}).json() if h["kind"] == "annotate"]
        links = {rel["id"] for rel in client.get(f"/api/entities/{p['recruiter'].id}").json()["relationships"]}
        assert notes == ["nota de Cali reservada"] and r["recruiter_phone"].id not in links
    return found


def test_case_b_judgement_mark_and_corrections_are_invisible_and_inert_in_case_a(world, tmp_path):
    assert _case_a_sees_case_b_records(world, tmp_path) == []


def test_the_check_finds_case_b_records_when_records_ignore_their_case(world, tmp_path, monkeypatch):
    from backend.store import scoped

    monkeypatch.setattr(scoped.ScopedStore, "_in_scope", lambda self, case_id: True)
    monkeypatch.setattr(scoped.ScopedStore, "corrections", lambda self, case_ids=None: self.base.corrections(case_ids))
    found = {f.split(" [")[0] for f in _case_a_sees_case_b_records(world, tmp_path)}
    assert found == {
        "judgement merges",
        "rejection removes the link",
        "history shows the note",
        "corrections listed",
        "mark shares the phone",
    }
