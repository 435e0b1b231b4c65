"""Users, their roles and cases, sign-in sessions and API tokens, and the audit log.

They live in one SQLite file of their own (`TELARANA_DATA_DIR/accounts.sqlite3`) whichever
graph store is used: who may see a case is not part of the case graph. Passwords are hashed
with Argon2id (argon2-cffi); session and API tokens are random and kept only as SHA-256
hashes. The audit log is append-only and hash-chained: each entry's hash covers the previous
entry's hash, so changing, removing or inserting an entry breaks the chain (`verify_audit`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from backend.domain.access import ROLES, policy
from backend.domain.errors import TelaranaError
from backend.store.sqlite_files import one_at_a_time

MIN_PASSWORD_CHARS = 12
SESSION_HOURS = 12
# Failed sign-ins allowed within the window: for one name from one address (the attacker's own
# attempts; the owner signing in from elsewhere is not locked out), and from one address over
# every name (password spraying; higher, as several users may share an office's address).
MAX_FAILED_LOGINS = 5
MAX_FAILED_LOGINS_PER_ADDRESS = 30
FAILED_LOGIN_WINDOW = timedelta(minutes=15)
# A name failing from many addresses is slowed, not locked: after this many failures, each one
# more doubles the wait before the next try for that name (capped at the window).
NAME_BACKOFF_AFTER = 10
GENESIS = "0" * 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    cases_json TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES users(name),
    kind TEXT NOT NULL,            -- 'session' (browser, with a CSRF token) or 'api'
    csrf TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT                -- NULL: until revoked
);
CREATE TABLE IF NOT EXISTS failed_logins (
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


class AccountError(TelaranaError):
    """A user command that cannot be done as asked (unknown user, weak password...)."""


class LoginRefused(TelaranaError):
    def __init__(self, reason: str, retry_after: int | None = None):
        self.retry_after = retry_after
        super().__init__(reason)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    cases: tuple[str, ...]
    disabled: bool = False
    created_at: str = ""

    @property
    def sees_every_case(self) -> bool:
        return policy(self.role).every_case


@dataclass(frozen=True)
class Session:
    user: User
    kind: str
    csrf: str


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user: str
    action: str
    target: str
    outcome: str
    detail: str
    prev_hash: str
    hash: str
    keyed: int = 1  # 0: written before the chain was keyed


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="microseconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def entry_hash(prev_hash: str, at: str, user: str, action: str, target: str, outcome: str, detail: str, key: bytes | None = None) -> str:
    """An entry's link in the chain: HMAC-SHA-256 with the server's audit key (entries written
    before the chain was keyed: plain SHA-256, which anyone could recompute)."""
    body = json.dumps([prev_hash, at, user, action, target, outcome, detail], ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest() if key is not None else hashlib.sha256(body).hexdigest()


class Accounts:
    def __init__(self, path: Path, audit_key: str | None = None):
        """`audit_key`: the secret that keys the audit chain and its anchored head (None: a key
        for tests and development, as TELARANA_AUDIT_KEY's default)."""
        self.path = Path(path)
        self._audit_key = (audit_key or "telarana-dev-audit-chain").encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        with one_at_a_time(self.path):
            self._conn.execute("PRAGMA busy_timeout=10000")
            self._conn.execute("PRAGMA journal_mode=WAL")
            # Every API request appends an audit entry: in WAL mode NORMAL keeps the file consistent
            # and skips an fsync per entry; a power cut can lose the last entries, not the chain.
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
            if "keyed" not in {r["name"] for r in self._conn.execute("PRAGMA table_info(audit)")}:
                self._conn.execute("ALTER TABLE audit ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0")
        self._lock = threading.Lock()
        self._hasher = PasswordHasher()

    def _one(self, sql: str, params: tuple = ()) -> sqlite3.Row | None:
        with self._lock:  # one connection shared by the server's threads
            return self._conn.execute(sql, params).fetchone()

    def _all(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ users

    def add_user(self, name: str, role: str, password: str, cases: tuple[str, ...] = ()) -> User:
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum() or len(name) > 64:
            raise AccountError("a user name is letters, digits, '.', '-' or '_' (at most 64)")
        _check_password(password, name)
        with self._lock:
            try:
                self._conn.execute(
                    "INSERT INTO users(name, role, cases_json, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    (name, role, json.dumps(sorted(set(cases))), self._hasher.hash(password), _stamp(_now())),
                )
            except sqlite3.IntegrityError:
                raise AccountError(f"user {name!r} exists already") from None
        return self.user(name)

    def user(self, name: str) -> User:
        row = self._one("SELECT * FROM users WHERE name = ?", (name,))
        if row is None:
            raise AccountError(f"no user {name!r}")
        return _user(row)

    def users(self) -> list[User]:
        return [_user(r) for r in self._all("SELECT * FROM users ORDER BY name")]

    def has_users(self) -> bool:
        return self._one("SELECT 1 FROM users LIMIT 1") is not None

    def set_disabled(self, name: str, disabled: bool = True) -> User:
        self.user(name)
        with self._lock:
            self._conn.execute("UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), name))
            if disabled:  # a disabled user's sessions and tokens end now
                self._conn.execute("DELETE FROM tokens WHERE name = ?", (name,))
        return self.user(name)

    def set_cases(self, name: str, cases: tuple[str, ...]) -> User:
        self.user(name)
        with self._lock:
            self._conn.execute("UPDATE users SET cases_json = ? WHERE name = ?", (json.dumps(sorted(set(cases))), name))
        return self.user(name)

    def set_password(self, name: str, password: str) -> None:
        self.user(name)
        _check_password(password, name)
        with self._lock:
            self._conn.execute("UPDATE users SET password_hash = ? WHERE name = ?", (self._hasher.hash(password), name))

    # ------------------------------------------------------------------ sign-in

    def login(self, name: str, password: str, address: str) -> tuple[str, Session]:
        """A new browser session for the user: (token, session). Refused with the same words
        for an unknown user, a wrong password and a disabled user. Each attempt is counted as a
        failure *before* the password is checked, in one write transaction (so concurrent
        attempts cannot all pass the limit), and taken back if it succeeds."""
        attempt_id = self._reserve_attempt(name, address)
        row = self._one("SELECT * FROM users WHERE name = ?", (name,))
        good = False
        if row is not None:
            try:
                good = self._hasher.verify(row["password_hash"], password)
            except (VerificationError, InvalidHashError):
                good = False
        else:
            self._hasher.hash(password)  # as slow as a real check: timing does not tell who exists
        if row is None or not good or row["disabled"]:
            raise LoginRefused("wrong user name or password, or the user is disabled")
        with self._lock:  # the owner is in: this attempt and this address's failures for the name are forgiven
            self._conn.execute("DELETE FROM failed_logins WHERE rowid = ? OR (name = ? AND address = ?)", (attempt_id, name, address))
        return self._new_token(name, "session", timedelta(hours=SESSION_HOURS))

    def _reserve_attempt(self, name: str, address: str) -> int:
        """Count this attempt, or refuse it when a limit is reached (LoginRefused with Retry-After)."""
        now = _now()
        window = int(FAILED_LOGIN_WINDOW.total_seconds())
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("DELETE FROM failed_logins WHERE at < ?", (_stamp(now - FAILED_LOGIN_WINDOW),))
                pair, by_address, by_name, last = self._conn.execute(
                    "SELECT (SELECT count(*) FROM failed_logins WHERE name = ? AND address = ?), "
                    "(SELECT count(*) FROM failed_logins WHERE address = ?), (SELECT count(*) FROM failed_logins WHERE name = ?), "
                    "(SELECT max(at) FROM failed_logins WHERE name = ?)",
                    (name, address, address, name, name),
                ).fetchone()
                wait = 0
                if pair >= MAX_FAILED_LOGINS or by_address >= MAX_FAILED_LOGINS_PER_ADDRESS:
                    wait = window
                elif by_name >= NAME_BACKOFF_AFTER and last:
                    backoff = min(window, 2 ** (by_name - NAME_BACKOFF_AFTER + 1))
                    wait = max(0, backoff - int((now - datetime.fromisoformat(last)).total_seconds()))
                if wait:
                    self._conn.execute("COMMIT")
                    raise LoginRefused(f"too many failed sign-ins; try again in {max(1, wait // 60)} minute(s)"
                                       if wait >= 60 else f"too many failed sign-ins; try again in {wait} s", retry_after=wait)  # fmt: skip
                cursor = self._conn.execute("INSERT INTO failed_logins(name, address, at) VALUES (?, ?, ?)", (name, address, _stamp(now)))
                self._conn.execute("COMMIT")
            except LoginRefused:
                raise
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return cursor.lastrowid or 0

    def api_token(self, name: str, days: int | None = 90) -> str:
        """A token for scripts (`Authorization: Bearer …`); shown once, kept only as a hash."""
        if self.user(name).disabled:
            raise AccountError(f"user {name!r} is disabled")
        token, _ = self._new_token(name, "api", timedelta(days=days) if days else None)
        return token

    def _new_token(self, name: str, kind: str, lifetime: timedelta | None) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32) if kind == "session" else ""
        now = _now()
        with self._lock:
            self._conn.execute(
                "INSERT INTO tokens(token_hash, name, kind, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (_token_hash(token), name, kind, csrf, _stamp(now), _stamp(now + lifetime) if lifetime else None),
            )
        return token, Session(self.user(name), kind, csrf)

    def session(self, token: str) -> Session | None:
        """The live session or API token `token` stands for, or None."""
        row = self._one(
            "SELECT t.kind, t.csrf, t.expires_at, u.* FROM tokens t JOIN users u ON u.name = t.name WHERE t.token_hash = ?",
            (_token_hash(token),),
        )
        if row is None or row["disabled"] or (row["expires_at"] and row["expires_at"] < _stamp(_now())):
            return None
        return Session(_user(row), row["kind"], row["csrf"])

    def logout(self, token: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM tokens WHERE token_hash = ?", (_token_hash(token),))

    # ------------------------------------------------------------------ audit

    def record(self, user: str, action: str, target: str, outcome: str, detail: str = "") -> AuditEntry:
        """Append one entry, chained to the last one (in one transaction, so two processes
        writing at once still make one chain). Every field is escaped and bounded: a claimed
        name with a newline or a right-to-left mark cannot forge or disguise a line."""
        user, action, target, outcome, detail = (audit_field(v, limit) for v, limit in
                                                 ((user, 200), (action, 200), (target, MAX_AUDIT_FIELD), (outcome, 500), (detail, MAX_AUDIT_FIELD)))  # fmt: skip
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                last = self._conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                prev = last["hash"] if last else GENESIS
                at = _stamp(_now())
                digest = entry_hash(prev, at, user, action, target, outcome, detail, self._audit_key)
                cursor = self._conn.execute(
                    "INSERT INTO audit(at, user, action, target, outcome, detail, prev_hash, hash, keyed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    (at, user, action, target, outcome, detail, prev, digest),
                )
                self._anchor(cursor.lastrowid or 0, digest)  # inside the transaction: writers take turns
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return AuditEntry(cursor.lastrowid or 0, at, user, action, target, outcome, detail, prev, digest, 1)

    @property
    def anchor_path(self) -> Path:
        """The chain's head, kept outside the database: cutting entries off the end, or all of
        them, shows against it."""
        return self.path.with_name(self.path.name + ".audit-head")

    def _anchor_mac(self, seq: int, digest: str) -> str:
        return hmac.new(self._audit_key, f"{seq}:{digest}".encode(), hashlib.sha256).hexdigest()

    def _anchor(self, seq: int, digest: str) -> None:
        if str(self.path) == ":memory:":
            return
        temporary = self.anchor_path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"seq": seq, "hash": digest, "mac": self._anchor_mac(seq, digest)}))
        temporary.replace(self.anchor_path)

    def audit(self, limit: int = 200, user: str | None = None) -> list[AuditEntry]:
        """The latest entries, newest first."""
        sql = "SELECT * FROM audit" + (" WHERE user = ?" if user else "") + " ORDER BY seq DESC LIMIT ?"
        return [AuditEntry(**dict(r)) for r in self._all(sql, (user, limit) if user else (limit,))]

    def verify_audit(self) -> tuple[int, list[str]]:
        """(entries checked, problems): each entry's link recomputed with the key from its fields
        and the previous entry's, sequence numbers without gaps, no unkeyed entry after a keyed
        one, and the last entry against the anchored head (entries cut off the end are named)."""
        problems: list[str] = []
        prev, expected_seq, count, keyed_seen, last_seq = GENESIS, 1, 0, False, 0
        for r in self._all("SELECT * FROM audit ORDER BY seq"):
            count += 1
            if r["seq"] != expected_seq:
                problems.append(f"entries {expected_seq}–{r['seq'] - 1} are missing" if r["seq"] > expected_seq + 1
                                else f"entry {expected_seq} is missing (next is {r['seq']})")  # fmt: skip
            if r["prev_hash"] != prev:
                problems.append(f"entry {r['seq']} does not follow the entry before it")
            keyed = bool(r["keyed"])
            if keyed_seen and not keyed:
                problems.append(f"entry {r['seq']} was written without the audit key")
            keyed_seen = keyed_seen or keyed
            fields = (r["prev_hash"], r["at"], r["user"], r["action"], r["target"], r["outcome"], r["detail"])
            if not hmac.compare_digest(r["hash"], entry_hash(*fields, self._audit_key if keyed else None)):
                problems.append(f"entry {r['seq']} was changed after it was written")
            prev, expected_seq, last_seq = r["hash"], r["seq"] + 1, r["seq"]
        problems += self._check_anchor(last_seq, prev)
        return count, problems

    def _check_anchor(self, last_seq: int, last_hash: str) -> list[str]:
        if str(self.path) == ":memory:":
            return []
        if not self.anchor_path.exists():
            return ["the anchored head of the log is missing: entries cut off the end would not show"] if last_seq else []
        try:
            head = json.loads(self.anchor_path.read_text())
            seq, digest, mac = int(head["seq"]), str(head["hash"]), str(head["mac"])
        except (OSError, ValueError, KeyError, TypeError):
            return ["the anchored head of the log cannot be read"]
        if not hmac.compare_digest(mac, self._anchor_mac(seq, digest)):
            return ["the anchored head of the log was changed without the audit key"]
        if last_seq < seq:
            return [f"entries {last_seq + 1}–{seq} were removed from the end of the log" if last_seq + 1 < seq
                    else f"entry {seq} was removed from the end of the log"]  # fmt: skip
        if last_seq == seq and last_hash != digest:
            return [f"entry {seq} is not the entry the head anchored: the log was rewritten"]
        if last_seq > seq:
            return [f"entries {seq + 1}–{last_seq} were added after the anchored head, not by the server"]
        return []


def _user(row: sqlite3.Row) -> User:
    return User(name=row["name"], role=row["role"], cases=tuple(json.loads(row["cases_json"])), disabled=bool(row["disabled"]),
                created_at=row["created_at"])  # fmt: skip


# Words zxcvbn's own (English) lists lack, that people here build passwords from: guessed first.
LOCAL_COMMON_WORDS = ("contraseña", "contrasena", "clave", "colombia", "telaraña", "telarana", "bogota", "bogotá", "medellin",
                      "medellín", "cali", "policia", "policía", "fiscalia", "fiscalía", "interpol", "migracion", "migración",
                      "sijin", "dijin", "hola", "amor", "teamo", "secreto", "usuario", "analista", "fiscal", "enlace")  # fmt: skip
# zxcvbn's score: 3 is "safely unguessable: moderate protection from offline slow-hash scenario".
MIN_PASSWORD_SCORE = 3


MAX_AUDIT_FIELD = 4000


def audit_field(value: str, limit: int) -> str:
    """A value as the audit log keeps it: control, format and bidirectional characters written
    as \\uXXXX (a newline, U+202E), backslashes doubled so the escape is unambiguous, and at most
    `limit` characters, saying how many more there were."""
    escaped = "".join(
        "\\\\" if ch == "\\" else f"\\u{ord(ch):04x}" if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in value
    )
    return escaped if len(escaped) <= limit else escaped[:limit] + f"…(+{len(escaped) - limit})"


def _check_password(password: str, name: str = "") -> None:
    """At least 12 characters, and hard to guess as zxcvbn estimates it (common passwords, words,
    names, dates, repeats and keyboard patterns, the user's own name)."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password has at least {MIN_PASSWORD_CHARS} characters")
    if len(set(password)) < 5:
        raise AccountError("a password needs more than a few distinct characters")
    from zxcvbn import zxcvbn

    parts = [p for p in re.split(r"[^\w]+", name) if p]
    estimate = zxcvbn(password[:100], user_inputs=[name, *parts, *LOCAL_COMMON_WORDS])
    if estimate["score"] < MIN_PASSWORD_SCORE:
        advice = " ".join(x for x in (estimate["feedback"].get("warning"), *estimate["feedback"].get("suggestions", [])) if x)
        raise AccountError("that password is too easy to guess" + (f": {advice}" if advice else ""))
