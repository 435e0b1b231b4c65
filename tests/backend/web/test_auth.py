"""Sign-in, tokens, CSRF, read-only roles, the open development mode and the audit log, through
the API."""

from __future__ import annotations

from importlib import resources

import pytest
from fastapi.testclient import TestClient

from backend.domain.model import EntityMark
from backend.domain.settings import Settings
from backend.store.accounts import MAX_FAILED_LOGINS, Accounts
from backend.store.sqlite import SqliteStore
from backend.web.app import api_routes, create_app
from backend.web.auth import CSRF_HEADER
from ingest.records_file import load_records_file

PASSWORD = "correcto-caballo-bateria"
BOTH_CASES = ("caso-1", "caso-2")  # compartments are tested in test_compartments.py


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "api.sqlite3"
    with SqliteStore(path) as store:
        sample = resources.files("backend").joinpath("sample", "sample_case.jsonl")
        with resources.as_file(sample) as p:
            store.write(load_records_file(p))
    return path


def _client(database, tmp_path, env="development", users=(("admin1", "admin"), ("ana", "analyst"), ("fiscal", "prosecutor"))):
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    for name, role in users:
        accounts.add_user(name, role, PASSWORD, cases=BOTH_CASES)
    settings = Settings(_env_file=None, env=env, data_dir=tmp_path, pseudonym_key="k" * 40, audit_key="a" * 40)
    client = TestClient(create_app(lambda: SqliteStore(database), settings=settings, accounts=accounts))
    client.accounts = accounts
    return client


def _login(client, name):
    response = client.post("/api/login", json={"name": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["csrf"]


def _two_persons(client):
    hits = [h for h in client.get("/api/search", params={"q": "luisa fernanda"}).json() if h["type"] == "Person"]
    hits += [h for h in client.get("/api/search", params={"q": "maria lopez"}).json() if h["type"] == "Person"]
    return hits[0]["id"], hits[-1]["id"]


def test_every_api_route_but_health_login_and_schema_needs_a_signed_in_user(database, tmp_path):
    with _client(database, tmp_path) as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/schema").json()["entity_types"]  # the vocabulary, which the sign-in page needs
        assert client.get("/").status_code == 200  # the page shell loads; its data does not
        paths = sorted({path for _, path in api_routes(client.app)} - {"/api/health", "/api/login", "/api/schema"})
        assert len(paths) > 30
        for path in paths:
            concrete = path.replace("{entity_id}", "x").replace("{document_id}", "x").replace("{judgement_id}", "x")
            for method in ("GET", "POST"):
                response = client.request(method, concrete)
                assert response.status_code in (401, 405), (method, path, response.status_code)
                if response.status_code == 401:
                    assert response.json()["error"] == "unauthenticated"


def test_sign_in_then_read_and_change_with_the_csrf_token(database, tmp_path):
    with _client(database, tmp_path) as client:
        assert client.post("/api/login", json={"name": "ana", "password": "no-es-la-clave"}).status_code == 401
        csrf = _login(client, "ana")
        assert client.get("/api/me").json() == {"name": "ana", "role": "analyst", "cases": list(BOTH_CASES), "open": False}
        a, b = _two_persons(client)
        judgement = {"left_id": a, "right_id": b, "decision": "unsure", "user": "otro.nombre", "reason": "r", "case_id": "caso-1"}
        refused = client.post("/api/judgements", json=judgement)
        assert refused.status_code == 403 and refused.json()["error"] == "csrf"
        made = client.post("/api/judgements", json=judgement, headers={CSRF_HEADER: csrf})
        assert made.status_code == 201 and made.json()["by"] == "user:ana"  # the session's user, not the claimed name
        assert client.post("/api/logout", headers={CSRF_HEADER: csrf}).status_code == 200
        assert client.get("/api/search", params={"q": "x"}).status_code == 401


def test_prosecutors_and_liaisons_read_but_do_not_change(database, tmp_path):
    with _client(database, tmp_path, users=(("fiscal", "prosecutor"), ("enlace", "liaison"))) as client:
        _login(client, "fiscal")
        a, b = _two_persons(client)
        with SqliteStore(database) as store:  # what a liaison sees, an analyst marked shareable
            for entity_id in (a, b):
                store.add_mark(EntityMark.new(entity_id, "shareable", True, "user:ana"))
        for name in ("fiscal", "enlace"):
            csrf = _login(client, name)
            assert client.get(f"/api/entities/{a}").status_code == 200
            response = client.post(
                "/api/judgements", json={"left_id": a, "right_id": b, "decision": "same", "user": name}, headers={CSRF_HEADER: csrf}
            )
            assert response.status_code == 403 and "can read, not change" in response.json()["message"]


def test_an_api_token_works_without_cookie_or_csrf(database, tmp_path):
    with _client(database, tmp_path) as client:
        token = client.accounts.api_token("ana")
        headers = {"Authorization": f"Bearer {token}"}
        a, b = _two_persons_with(client, headers)
        made = client.post(
            "/api/judgements", json={"left_id": a, "right_id": b, "decision": "unsure", "user": "ana", "case_id": "caso-1"}, headers=headers
        )
        assert made.status_code == 201
        assert client.get("/api/me", headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def _two_persons_with(client, headers):
    hits = client.get("/api/search", params={"q": "luisa fernanda"}, headers=headers).json()
    hits += client.get("/api/search", params={"q": "maria lopez"}, headers=headers).json()
    persons = [h["id"] for h in hits if h["type"] == "Person"]
    return persons[0], persons[-1]


def test_sign_in_is_rate_limited(database, tmp_path):
    with _client(database, tmp_path) as client:
        for _ in range(MAX_FAILED_LOGINS):
            assert client.post("/api/login", json={"name": "ana", "password": "mala-clave-1234"}).status_code == 401
        limited = client.post("/api/login", json={"name": "ana", "password": PASSWORD})
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "900"


def test_open_only_in_development_and_only_while_there_are_no_users(database, tmp_path):
    with _client(database, tmp_path, users=()) as client:
        assert client.get("/api/me").json()["open"] is True
        assert client.get("/api/search", params={"q": "luisa fernanda"}).status_code == 200
    with _client(database, tmp_path / "prod", env="production", users=()) as client:
        assert client.get("/api/search", params={"q": "luisa fernanda"}).status_code == 401


def test_the_audit_log_records_logins_searches_views_and_changes_and_only_admins_read_it(database, tmp_path):
    with _client(database, tmp_path) as client:
        client.post("/api/login", json={"name": "ana", "password": "equivocada-123"})
        csrf = _login(client, "ana")
        a, b = _two_persons(client)
        client.get(f"/api/entities/{a}")
        client.post(
            "/api/judgements",
            json={"left_id": a, "right_id": b, "decision": "same", "user": "ana", "case_id": "Caso Pereira"},
            headers={CSRF_HEADER: csrf},
        )
        assert client.get("/api/audit").status_code == 403
        _login(client, "admin1")
        log = client.get("/api/audit", params={"limit": 50}).json()
        assert log["chain"]["intact"] and log["chain"]["entries"] >= 7
        seen = [(e["user"], e["action"], e["outcome"]) for e in reversed(log["entries"])]
        assert ("ana", "POST login", "refused: wrong user name or password, or the user is disabled") in seen
        assert ("ana", "POST login", "200") in seen
        assert ("ana", "GET /api/search", "200") in seen
        assert ("ana", "GET /api/entities/{entity_id}", "200") in seen
        assert ("ana", "POST /api/judgements", "201") in seen
        assert ("ana", "GET /api/audit", "403") in seen and (
            "admin1",
            "GET /api/audit",
            "200",
        ) not in seen  # this read is recorded after it


def test_every_role_can_sign_out(database, tmp_path):
    """Signing out changes no case data: prosecutors and liaisons end their session too."""
    with _client(database, tmp_path, users=(("fiscal", "prosecutor"), ("enlace", "liaison"))) as client:
        for name in ("fiscal", "enlace"):
            csrf = _login(client, name)
            assert client.get("/api/me").status_code == 200
            assert client.post("/api/logout", headers={CSRF_HEADER: csrf}).status_code == 200
            assert client.get("/api/me").status_code == 401


def test_api_answers_are_not_kept_by_browsers_or_proxies(database, tmp_path):
    with _client(database, tmp_path) as client:
        _login(client, "ana")
        answer = client.get("/api/search", params={"q": "x"})
        assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"


def test_a_padded_parameter_cannot_hide_the_query_from_the_audit_log(database, tmp_path):
    with _client(database, tmp_path) as client:
        _login(client, "ana")
        client.get("/api/search", params={"pad": "x" * 490, "q": "PALABRA-BUSCADA"})
        (entry,) = [e for e in client.accounts.audit(limit=5) if e.action == "GET /api/search"]
        assert "q=PALABRA-BUSCADA" in entry.target and "pad=" in entry.target and "…(+290)" in entry.target


def test_a_claimed_name_cannot_forge_or_disguise_an_audit_line(database, tmp_path):
    from click.testing import CliRunner

    from backend.cli import main

    forged = "nadie\n2026-11-30T12:00 admin1 POST /api/judgements 201\u202e"
    with _client(database, tmp_path) as client:
        assert client.post("/api/login", json={"name": forged, "password": "x" * 12}).status_code == 401
        entry = next(e for e in client.accounts.audit(limit=5) if e.action == "POST login")
        assert "\n" not in entry.user and "\u202e" not in entry.user and "\\u000a" in entry.user and "\\u202e" in entry.user
        assert client.accounts.verify_audit()[1] == []
    shown = CliRunner().invoke(main, ["audit", "show", "--limit", "5"], env={"TELARANA_DATA_DIR": str(tmp_path)})
    assert shown.exit_code == 0, shown.output
    assert all("admin1" not in line or "\\u000a" in line for line in shown.output.splitlines())  # no line of its own


def test_forwarded_addresses_are_believed_only_from_configured_proxies(database, tmp_path):
    """Under uvicorn as `telarana serve` runs it, a caller on 127.0.0.1 cannot choose the address
    written to the audit log (and counted by the sign-in limits) with X-Forwarded-For."""
    import socket
    import threading
    import time
    import urllib.request

    import uvicorn

    from backend.cli.server import proxy_options

    def audited_address(trusted: str) -> str:
        settings = Settings(_env_file=None, env="development", data_dir=tmp_path, pseudonym_key="k" * 40, trusted_proxies=trusted)
        accounts = Accounts(tmp_path / f"accounts-{bool(trusted)}.sqlite3")
        app = create_app(lambda: SqliteStore(database), settings=settings, accounts=accounts)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **proxy_options(settings)))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/login", data=b'{"name": "x", "password": "y"}',
                                             headers={"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.9"})  # fmt: skip
            try:
                urllib.request.urlopen(request, timeout=10)
            except urllib.error.HTTPError:
                pass
            return next(e.target for e in accounts.audit(limit=5) if e.action == "POST login")
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    assert audited_address("") == "127.0.0.1"  # not configured: the header is ignored
    assert audited_address("127.0.0.1") == "203.0.113.9"  # the operator's proxy: believed


def test_anonymous_requests_cannot_fill_the_audit_log(database, tmp_path, monkeypatch):
    from backend.web import auth

    clock = [1_000_000.0]
    monkeypatch.setattr(auth.time, "time", lambda: clock[0])
    with _client(database, tmp_path) as client:
        for _ in range(200):
            assert client.get("/api/search", params={"q": "x"}).status_code == 401
        anonymous = [e for e in client.accounts.audit(limit=500) if e.user == "-"]
        assert len(anonymous) == auth.ANONYMOUS_AUDITED_PER_MINUTE
        clock[0] += 60
        assert client.get("/api/search", params={"q": "x"}).status_code == 401
        summary = [e for e in client.accounts.audit(limit=5) if e.action == "not signed in"]
        assert summary and "× 190 more" in summary[0].outcome
        assert client.accounts.verify_audit()[1] == []


def test_sign_ins_are_checked_a_few_at_a_time(database, tmp_path, monkeypatch):
    """Each Argon2 check holds 64 MiB: 30 sign-ins at once run at most CONCURRENT_SIGN_INS at a time."""
    import threading
    import time as clock

    from backend.web import auth

    with _client(database, tmp_path) as client:
        running, most = [0], [0]
        lock = threading.Lock()
        real_login = client.accounts.login

        def slow_login(*args):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            clock.sleep(0.3)
            try:
                return real_login(*args)
            finally:
                with lock:
                    running[0] -= 1

        monkeypatch.setattr(client.accounts, "login", slow_login)
        statuses: list[int] = []
        threads = [threading.Thread(target=lambda n=n: statuses.append(
            client.post("/api/login", json={"name": f"x{n}", "password": "y"}).status_code)) for n in range(30)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert 1 < most[0] <= auth.CONCURRENT_SIGN_INS and len(statuses) == 30 and set(statuses) <= {401, 429}


def _limited_client(database, tmp_path, **limits):
    accounts = Accounts(tmp_path / f"accounts-{len(list(tmp_path.glob('accounts-*.sqlite3')))}.sqlite3")
    accounts.add_user("ana", "analyst", PASSWORD, cases=BOTH_CASES)
    settings = Settings(_env_file=None, env="development", data_dir=tmp_path, pseudonym_key="k" * 40, **limits)
    client = TestClient(create_app(lambda: SqliteStore(database), settings=settings, accounts=accounts))
    client.accounts = accounts
    return client


def test_one_users_requests_are_limited_in_number_time_and_size(database, tmp_path, monkeypatch):
    import threading
    import time as clock

    from backend.web.routes import graph

    real_statistics = graph.statistics
    monkeypatch.setattr(graph, "statistics", lambda store: clock.sleep(0.6) or real_statistics(store))
    with _limited_client(database, tmp_path, user_concurrency=1, user_wait_seconds=0.2, request_seconds=5) as client:
        _login(client, "ana")
        statuses: list[int] = []
        threads = [threading.Thread(target=lambda: statuses.append(client.get("/api/stats").status_code)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [200, 429]  # the second waited for the first, then gave up
    with _limited_client(database, tmp_path, max_response_mb=0.0005) as client:
        _login(client, "ana")
        assert client.get("/api/me").status_code == 200
        big = client.get("/api/search", params={"q": "a", "limit": 200})
        assert big.status_code == 413 and "narrow the request" in big.json()["message"]
    with _limited_client(database, tmp_path, request_seconds=0.2) as client:
        _login(client, "ana")
        slow = client.get("/api/stats")
        assert slow.status_code == 503 and "longer than 0.2 s" in slow.json()["message"]


def test_an_analysis_past_the_time_allowance_is_answered_503_and_stops_working(database, tmp_path, monkeypatch):
    """Not only the answer: the work in its thread stops too, instead of running on."""
    import time as clock

    import igraph

    from backend.graph import compiled

    chunks: list[int] = []
    real = igraph.Graph.betweenness

    def slow_chunk(*args, **kwargs):
        chunks.append(1)
        clock.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(compiled, "BETWEENNESS_CHUNK", 1)
    monkeypatch.setattr(igraph.Graph, "betweenness", slow_chunk)
    with _limited_client(database, tmp_path, request_seconds=0.3) as client:
        _login(client, "ana")
        slow = client.get("/api/analysis/centrality", params={"network": "all"})
        assert slow.status_code == 503 and slow.json()["error"] == "too_slow"
        clock.sleep(0.3)
        stopped_at = len(chunks)
        clock.sleep(0.3)
    with SqliteStore(database) as store:
        nodes = sum(store.counts()["entities"].values())
    assert len(chunks) == stopped_at < nodes / 2, (stopped_at, nodes)  # each chunk is one source node


def test_a_request_answered_503_holds_its_users_slot_until_its_work_stops(database, tmp_path, monkeypatch):
    """The 503 leaves at the allowance, but work that does not check the allowance runs on in its
    thread: until it stops it still counts against the user's requests at once."""
    import threading
    import time as clock

    from backend.web.routes import graph

    real_statistics, entered = graph.statistics, threading.Event()
    monkeypatch.setattr(graph, "statistics", lambda store: entered.set() or clock.sleep(1.5) or real_statistics(store))
    with _limited_client(database, tmp_path, user_concurrency=1, user_wait_seconds=0.2, request_seconds=0.3) as client:
        _login(client, "ana")
        first: list[int] = []
        worker = threading.Thread(target=lambda: first.append(client.get("/api/stats").status_code))
        worker.start()
        assert entered.wait(10)
        clock.sleep(0.6)  # the first was answered 503 at 0.3 s; its thread sleeps on till 1.5 s
        assert client.get("/api/me").status_code == 429
        worker.join()
        assert first == [503]
        assert client.get("/api/me").status_code == 200  # its work stopped: the slot is free again


def _slow_statistics(monkeypatch, seconds: float, spans: list[tuple[float, float]]):
    """/api/stats takes `seconds` and notes when its work began and ended."""
    import time as clock

    from backend.web.routes import graph

    real_statistics = graph.statistics

    def slow(store):
        began = clock.monotonic()
        clock.sleep(seconds)
        spans.append((began, clock.monotonic()))
        return real_statistics(store)

    monkeypatch.setattr(graph, "statistics", slow)


def _at_once(client, paths: list[str], stagger: float = 0.05) -> list[tuple[int, str, float]]:
    """GET each path from its own thread, `stagger` seconds apart: (status, error, answered at)."""
    import threading
    import time as clock

    answers: dict[int, tuple[int, str, float]] = {}

    def get(n: int, path: str) -> None:
        answer = client.get(path)
        answers[n] = (answer.status_code, answer.json().get("error", "") if answer.status_code != 200 else "", clock.monotonic())

    threads = [threading.Thread(target=get, args=(n, path)) for n, path in enumerate(paths)]
    for thread in threads:
        thread.start()
        clock.sleep(stagger)
    for thread in threads:
        thread.join()
    return [answers[n] for n in range(len(paths))]


@pytest.mark.parametrize("at_once", [1, 2])
def test_a_process_works_on_so_many_requests_at_once_and_the_rest_wait_their_turn(database, tmp_path, monkeypatch, at_once):
    spans: list[tuple[float, float]] = []
    _slow_statistics(monkeypatch, 0.3, spans)
    with _limited_client(database, tmp_path, process_concurrency=at_once, user_wait_seconds=5) as client:
        _login(client, "ana")
        answers = _at_once(client, ["/api/stats"] * 3)
    assert [status for status, _, _ in answers] == [200, 200, 200]
    spans.sort()
    most_at_once = max(sum(1 for b, e in spans if b <= began < e) for began, _ in spans)
    assert most_at_once == at_once, spans


def test_a_request_that_has_worked_its_turn_lets_the_next_begin(database, tmp_path, monkeypatch):
    """A long analysis does not hold up the quick requests behind it: after TURN_SECONDS it
    works on alongside them."""
    from backend.web.auth import UserLimits

    spans: list[tuple[float, float]] = []
    _slow_statistics(monkeypatch, 1.2, spans)
    monkeypatch.setattr(UserLimits, "TURN_SECONDS", 0.2)
    with _limited_client(database, tmp_path, process_concurrency=1, user_wait_seconds=5) as client:
        _login(client, "ana")
        (slow_status, _, slow_answered), (quick_status, _, quick_answered) = _at_once(client, ["/api/stats", "/api/me"])
    assert slow_status == quick_status == 200
    assert quick_answered < slow_answered - 0.5, (quick_answered, slow_answered)


def test_a_request_that_waits_too_long_for_its_turn_is_answered_503(database, tmp_path, monkeypatch):
    spans: list[tuple[float, float]] = []
    _slow_statistics(monkeypatch, 0.8, spans)
    with _limited_client(database, tmp_path, process_concurrency=1, user_wait_seconds=0.2) as client:
        _login(client, "ana")
        (first, _, _), (second, error, _) = _at_once(client, ["/api/stats", "/api/me"])
        assert client.get("/api/me").status_code == 200  # the turns and the user's slots were given back
    assert (first, second, error) == (200, 503, "busy")
    audited = [entry.outcome for entry in reversed(client.accounts.audit()) if entry.action == "GET /api/me"]
    assert audited == ["503", "200"], audited


def test_a_request_cancelled_while_waiting_for_its_turn_gives_its_users_slot_back(tmp_path):
    import asyncio

    from backend.web.auth import UserLimits

    settings = Settings(_env_file=None, env="development", data_dir=tmp_path, process_concurrency=1, user_concurrency=1,
                        user_wait_seconds=0.3)  # fmt: skip
    limits = UserLimits(settings)

    async def scenario() -> list[int]:
        go_on = asyncio.Event()
        statuses: list[int] = []

        async def app(scope, receive, send):
            if scope["path"] == "/slow":
                await go_on.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        async def send(message):
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        async def audit(status: int) -> None:
            return None

        def request(user: str, path: str):
            return asyncio.ensure_future(limits.run(user, app, {"type": "http", "path": path}, None, send, audit))

        slow = request("ana", "/slow")
        await asyncio.sleep(0.05)
        waiting = request("ben", "/quick")  # holds ben's one slot while it waits for the turn
        await asyncio.sleep(0.05)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        go_on.set()
        await slow
        await request("ben", "/quick")  # 429 if the cancelled request had kept ben's slot
        return statuses

    assert asyncio.run(scenario()) == [200, 200]
