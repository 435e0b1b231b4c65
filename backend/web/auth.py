"""Sign-in, API tokens, roles on writes, CSRF and the audit of every API request.

Every /api route but /api/health, /api/login and /api/schema (the vocabulary) needs a signed-in user: a browser session
(cookie `telarana_session`, HttpOnly, SameSite=Strict) or an API token (`Authorization:
Bearer …`). A state-changing request made with the session cookie must carry the session's
CSRF token in `X-CSRF-Token` (the page reads it from the `telarana_csrf` cookie). Prosecutors
and liaisons read; only admins and analysts change data. Each API request is one audit entry:
user, time, what was asked, and the status it got.

In development, while no user exists, the server is open and acts as `dev` (an admin), so the
demo runs without a sign-in; once a user is added, or outside development, sign-in is required.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import Awaitable, Callable
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.domain.access import Role, policy
from backend.domain.deadline import allowance
from backend.domain.errors import TooSlowError
from backend.domain.settings import Settings
from backend.store.accounts import AccountError, Accounts, LoginRefused, Session, User

SESSION_COOKIE = "telarana_session"
CSRF_COOKIE = "telarana_csrf"
CSRF_HEADER = "X-CSRF-Token"
# The vocabulary is no secret, and the sign-in page needs it as much as any other page.
OPEN_ROUTES = {"/api/health", "/api/login", "/api/schema"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DEV_USER = User(name="dev", role=Role.ADMIN, cases=())
# Requests without a session cost the server nothing but an audit entry: at most this many per
# client address and minute are written one by one, the rest counted into one entry after.
ANONYMOUS_AUDITED_PER_MINUTE = 10
# Sign-ins checked at once per server process: each Argon2 check holds 64 MiB.
CONCURRENT_SIGN_INS = 4


SIGN_INS = threading.BoundedSemaphore(CONCURRENT_SIGN_INS)


class UserLimits:
    """What one user's requests may take of a server process: so many at once (the rest wait, then
    429), so long each (then 503), so large an answer (else 413). One analyst's heavy analyses
    cannot starve another's searches. And what all users' requests take together: a process works
    on `process_concurrency` of them at once and the rest wait their turn in the order they came."""

    # Python runs one thread at a time: requests worked on together share it in slices, so each
    # answer comes later and the unluckiest much later (the Neo4j load test's p99 fell from
    # 850-960 ms to 480-740 with two at a time instead of eight). The queue is for quick requests:
    # one that has worked this long gives its turn to the next and works on alongside, so a long
    # analysis does not hold up every search behind it.
    TURN_SECONDS = 1.0

    def __init__(self, settings: Settings):
        self.settings = settings
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._turns = asyncio.Semaphore(settings.process_concurrency)

    async def run(
        self, user: str, app: ASGIApp, scope: Scope, receive: Receive, send: Send, audit: Callable[[int], Awaitable[None]]
    ) -> None:
        """Answer one of the user's requests with `app`, within the limits. `audit(status)` is
        awaited before the answer's first byte leaves, whatever the answer."""
        slots = self._slots.setdefault(user, asyncio.Semaphore(self.settings.user_concurrency))
        wait = self.settings.user_wait_seconds
        if not await _acquired(slots, wait):
            await _answer(_error(429, "busy", f"you have {self.settings.user_concurrency} requests running; try again when one ends",
                                 {"Retry-After": "2"}), scope, receive, send, audit)  # fmt: skip
            return
        slot = _Place(slots)
        try:
            has_turn = await _acquired(self._turns, wait)
        except BaseException:  # cancelled while waiting: the user's slot is given back
            slot.give_back()
            raise
        if not has_turn:
            slot.give_back()
            await _answer(_error(503, "busy", f"the server has had other requests before yours for {wait:g} s; try again in a moment",
                                 {"Retry-After": "2"}), scope, receive, send, audit)  # fmt: skip
            return
        seconds, most_bytes = self.settings.request_seconds, self.settings.max_response_mb * 1_000_000
        started, finished = asyncio.Event(), False
        turn = _Place(self._turns)
        turn_ends = asyncio.get_running_loop().call_later(self.TURN_SECONDS, turn.give_back)

        def release() -> None:
            turn_ends.cancel()
            turn.give_back()
            slot.give_back()

        async def send_within_limits(message: Message) -> None:
            if finished:
                return  # answered already (503 or 413): the rest of this answer is not sent
            if message["type"] == "http.response.start":
                release()  # the slot is for working out the answer, not for streaming it
                started.set()
                size = int(Headers(raw=message.get("headers", [])).get("content-length") or 0)
                if size > most_bytes:
                    await finish(_error(413, "too_large", f"the answer would be {size / 1e6:.0f} MB, more than "
                                                          f"{self.settings.max_response_mb:g} MB; narrow the request"))  # fmt: skip
                    return
                await audit(message["status"])
            await send(message)

        async def finish(refusal: JSONResponse) -> None:
            nonlocal finished
            finished = True
            await _answer(refusal, scope, receive, send, audit)

        # The answer is 503 at the allowance; work that checks it (the analyses, path search)
        # also stops there, rather than running on in its thread. The task takes the allowance
        # with it (a copy of this context).
        with allowance(seconds):
            work = asyncio.ensure_future(app(scope, receive, send_within_limits))
        answering = asyncio.ensure_future(started.wait())
        try:
            await asyncio.wait({work, answering}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
            if not started.is_set() and not work.done():
                await finish(_error(503, "too_slow", str(TooSlowError(seconds))))
                # Not cancelled: a thread cannot be, and what it sends now is dropped. It stops at
                # the allowance's next check, or when it ends; the user's slot is held till then.
                with contextlib.suppress(Exception):
                    await work
                return
            await work  # a streamed answer takes as long as it takes once it has begun
        finally:
            answering.cancel()
            release()


class _Place:
    """A place taken in a semaphore, given back once however often it is let go."""

    def __init__(self, semaphore: asyncio.Semaphore):
        self._semaphore, self._held = semaphore, True

    def give_back(self) -> None:
        if self._held:
            self._held = False
            self._semaphore.release()


async def _acquired(semaphore: asyncio.Semaphore, timeout: float) -> bool:
    """Whether a place was had within `timeout` seconds (a free one at once, without a timer)."""
    if not semaphore.locked():  # locked() also while others wait: they keep their place in line
        await semaphore.acquire()
        return True
    try:
        await asyncio.wait_for(semaphore.acquire(), timeout=timeout)
    except TimeoutError:
        return False
    return True


async def _answer(response: JSONResponse, scope: Scope, receive: Receive, send: Send, audit: Callable[[int], Awaitable[None]]) -> None:
    await audit(response.status_code)
    await response(scope, receive, send)


class AnonymousAudit:
    """Per client address, which refused anonymous requests to write to the audit log."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._minute: dict[str, tuple[int, int]] = {}  # address -> (minute, requests in it)

    def admit(self, address: str) -> tuple[bool, int]:
        """(write this one, how many of the address's earlier minute went unwritten)."""
        minute = int(time.time() // 60)
        with self._lock:
            seen_minute, count = self._minute.get(address, (minute, 0))
            unwritten = max(0, count - ANONYMOUS_AUDITED_PER_MINUTE) if seen_minute != minute else 0
            if seen_minute != minute:
                count = 0
            count += 1
            if len(self._minute) > 10_000:  # addresses seen once long ago are forgotten
                self._minute = {a: v for a, v in self._minute.items() if v[0] == minute}
            self._minute[address] = (minute, count)
        return count <= ANONYMOUS_AUDITED_PER_MINUTE, unwritten


# Each query value is kept to this many characters in the audit log, every parameter named: a
# padded parameter cannot push what follows it out of the record.
MAX_AUDITED_VALUE = 200


class LoginRequest(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


def _error(status: int, kind: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": kind, "message": message}, headers=headers)


def signed_in(request: Request) -> User:
    """The user making the request (set by the middleware below)."""
    return request.state.user


def acting_user(request: Request, claimed: str) -> str:
    """Who a judgement, mark or report is recorded as: the signed-in user, whatever name the
    request claims; the claimed name only while the server is open (development, no users)."""
    user = getattr(request.state, "user", None)
    return claimed if user is None or user is DEV_USER else user.name


def add_auth(app: FastAPI, accounts: Accounts, settings: Settings) -> None:
    """Sign-in and the audit of every API request: the gate in front of every route, and the
    routes of access (login, logout, me, audit)."""
    app.state.accounts = accounts
    app.add_middleware(_Gate, accounts=accounts, settings=settings)
    app.include_router(router)


def _session(accounts: Accounts, request: Request) -> tuple[Session | None, bool]:
    """(session, by_cookie)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return accounts.session(header[7:].strip()), False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (accounts.session(cookie), True) if cookie else (None, False)


SIGN_OUT_ROUTES = frozenset({"/api/logout"})


def audited_target(path: str, query: str) -> str:
    """The path and every query parameter, each value bounded (saying how much was left out)."""
    parts = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        if len(value) > MAX_AUDITED_VALUE:
            value = value[:MAX_AUDITED_VALUE] + f"…(+{len(value) - MAX_AUDITED_VALUE})"
        parts.append(f"{name[:MAX_AUDITED_VALUE]}={value}")
    return path + ("?" + "&".join(parts) if parts else "")


def _refused_change(request: Request, session: Session, by_cookie: bool) -> tuple[str, JSONResponse] | None:
    """Why a signed-in user may not make this request (audit outcome, response), if not."""
    if request.method in SAFE_METHODS:
        return None
    user = session.user
    if by_cookie and request.headers.get(CSRF_HEADER, "") != session.csrf:
        return "403 CSRF token missing or wrong", _error(
            403, "csrf", f"a change made from the browser needs the {CSRF_HEADER} header of this session"
        )
    # Signing out changes no case data: every role may end its own session (ASVS 3.3.1).
    if not policy(user.role).changes_data and request.url.path not in SIGN_OUT_ROUTES:
        return f"403 role {user.role} reads only", _error(403, "forbidden", f"the {user.role} role can read, not change data")
    return None


class _Gate:
    """Who is asking, whether they may, and the audit entry of what they asked and what they got,
    in front of every /api/ route but the open ones. Plain ASGI: as a BaseHTTPMiddleware it cost
    every request a task and a copy of its answer (see backend.web.app.SecurityHeaders)."""

    def __init__(self, app: ASGIApp, accounts: Accounts, settings: Settings):
        self.app, self.accounts, self.settings = app, accounts, settings
        self.anonymous = AnonymousAudit()
        self.limits = UserLimits(settings)

    def _open_mode(self) -> bool:
        return self.settings.env == "development" and not self.accounts.has_users()

    async def _audit(self, *entry: str) -> None:
        # A write per request: off the event loop, which other requests share.
        await run_in_threadpool(self.accounts.record, *entry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        path = request.url.path
        if not path.startswith("/api/") or path in OPEN_ROUTES:
            await self.app(scope, receive, send)
            return
        target = audited_target(path, request.url.query)
        action = f"{request.method} {path}"
        session, by_cookie = _session(self.accounts, request)
        if session is None:
            if not self._open_mode():
                address = request.client.host if request.client else "-"
                write, unwritten = self.anonymous.admit(address)
                if unwritten:
                    await self._audit(
                        "-", "not signed in", address, f"401 × {unwritten} more in the minute before (not written one by one)"
                    )
                if write:
                    await self._audit("-", action, target, "401 not signed in")
                refusal = _error(401, "unauthenticated", "sign in first (POST /api/login), or send an API token (Authorization: Bearer …)")
                await refusal(scope, receive, send)
                return
            user = DEV_USER
        else:
            user = session.user
            refused = _refused_change(request, session, by_cookie)
            if refused is not None:
                await self._audit(user.name, action, target, refused[0])
                await refused[1](scope, receive, send)
                return
        request.state.user = user

        async def audit(status: int) -> None:
            route = scope.get("route")  # set once the router matched one
            await self._audit(user.name, f"{request.method} {route.path}" if route else action, target, str(status))

        await self.limits.run(user.name, self.app, scope, receive, send, audit)


router = APIRouter(tags=["access"])


@router.post("/api/login")
def login(request: Request, body: LoginRequest) -> JSONResponse:
    accounts: Accounts = request.app.state.accounts
    address = request.client.host if request.client else "-"
    if not SIGN_INS.acquire(timeout=2):
        return _error(429, "busy", "too many sign-ins at once; try again in a moment", {"Retry-After": "1"})
    try:
        token, session = accounts.login(body.name, body.password, address)
    except LoginRefused as exc:
        accounts.record(body.name, "POST login", address, f"refused: {exc}")
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return _error(429 if exc.retry_after else 401, "login_refused", str(exc), headers)
    finally:
        SIGN_INS.release()
    accounts.record(session.user.name, "POST login", address, "200")
    response = JSONResponse({"name": session.user.name, "role": session.user.role, "cases": list(session.user.cases), "csrf": session.csrf})
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, session.csrf, httponly=False, samesite="strict", secure=secure, path="/")
    return response


@router.post("/api/logout")
def logout(request: Request) -> JSONResponse:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        request.app.state.accounts.logout(cookie)
    response = JSONResponse({"status": "signed out"})
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/api/me")
def me(request: Request) -> dict:
    user = signed_in(request)
    return {"name": user.name, "role": user.role, "cases": list(user.cases), "open": user is DEV_USER}


@router.get("/api/audit")
def audit(request: Request, limit: int = 200, user: str | None = None):
    if not policy(signed_in(request).role).administers:
        return _error(403, "forbidden", "only admins read the audit log")
    accounts: Accounts = request.app.state.accounts
    count, problems = accounts.verify_audit()
    entries = [e.__dict__ for e in accounts.audit(limit=max(1, min(limit, 5000)), user=user)]
    return {"entries": entries, "chain": {"entries": count, "intact": not problems, "problems": problems}}


__all__ = ["AccountError", "DEV_USER", "acting_user", "add_auth", "signed_in"]
