"""Users, sign-in, tokens, the sign-in rate limit and the hash-chained audit log."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from backend.store.accounts import (
    MAX_FAILED_LOGINS,
    MAX_FAILED_LOGINS_PER_ADDRESS,
    NAME_BACKOFF_AFTER,
    AccountError,
    Accounts,
    LoginRefused,
)

PASSWORD = "correcto-caballo-bateria"


@pytest.fixture
def accounts(tmp_path):
    with Accounts(tmp_path / "accounts.sqlite3") as a:
        yield a


def test_a_user_is_stored_with_a_hashed_password_and_signs_in(accounts, tmp_path):
    accounts.add_user("ana.fiscal", "prosecutor", PASSWORD, cases=("caso-2", "caso-1"))
    user = accounts.user("ana.fiscal")
    assert (user.role, user.cases, user.disabled) == ("prosecutor", ("caso-1", "caso-2"), False)
    stored = sqlite3.connect(tmp_path / "accounts.sqlite3").execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    token, session = accounts.login("ana.fiscal", PASSWORD, "127.0.0.1")
    assert session.user.name == "ana.fiscal" and len(session.csrf) > 30
    assert accounts.session(token).user.name == "ana.fiscal"
    tokens = sqlite3.connect(tmp_path / "accounts.sqlite3").execute("SELECT token_hash FROM tokens").fetchall()
    assert token not in {t[0] for t in tokens}  # only its hash is kept
    accounts.logout(token)
    assert accounts.session(token) is None


@pytest.mark.parametrize("name, role, password, words", [
    ("x", "jefe", PASSWORD, "unknown role"),
    ("x", "analyst", "corta", "at least 12"),
    ("x", "analyst", "aaaaaaaaaaaaaa", "distinct"),
    ("<script>", "analyst", PASSWORD, "letters, digits"),
])  # fmt: skip
def test_bad_users_are_refused_with_a_reason(accounts, name, role, password, words):
    with pytest.raises(AccountError, match=words):
        accounts.add_user(name, role, password)


def test_wrong_password_unknown_and_disabled_users_are_refused_alike(accounts):
    accounts.add_user("luis", "analyst", PASSWORD)
    token = accounts.api_token("luis")
    for name, password in [("luis", "otra-clave-larga-123"), ("nadie", PASSWORD)]:
        with pytest.raises(LoginRefused, match="wrong user name or password"):
            accounts.login(name, password, "10.0.0.1")
    accounts.set_disabled("luis")
    assert accounts.session(token) is None  # disabling ends tokens at once
    with pytest.raises(LoginRefused, match="wrong user name or password"):
        accounts.login("luis", PASSWORD, "10.0.0.2")


def test_the_attackers_attempts_are_locked_not_the_owner(accounts):
    accounts.add_user("luis", "analyst", PASSWORD)
    accounts.add_user("eva", "analyst", PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginRefused, match="wrong"):
            accounts.login("luis", "mala-clave-numero-x", "10.6.6.6")
    with pytest.raises(LoginRefused, match="too many failed sign-ins") as refused:
        accounts.login("luis", PASSWORD, "10.6.6.6")  # from the attacker's address: even the right password
    assert refused.value.retry_after == 900
    assert accounts.login("luis", PASSWORD, "10.0.0.7")[1].user.name == "luis"  # the owner, from elsewhere
    # Spraying many names from one address stops that address, not the users elsewhere.
    for n in range(MAX_FAILED_LOGINS_PER_ADDRESS):
        with pytest.raises(LoginRefused):
            accounts.login(f"nadie{n}", "mala-clave-numero-x", "10.9.9.9")
    with pytest.raises(LoginRefused, match="too many"):
        accounts.login("eva", PASSWORD, "10.9.9.9")
    assert accounts.login("eva", PASSWORD, "10.1.1.1")[1].user.name == "eva"


def test_a_name_guessed_from_many_addresses_is_slowed_with_backoff(accounts, monkeypatch):
    from backend.store import accounts as module

    accounts.add_user("luis", "analyst", PASSWORD)
    clock = [module._now()]
    monkeypatch.setattr(module, "_now", lambda: clock[0])
    for n in range(NAME_BACKOFF_AFTER):
        with pytest.raises(LoginRefused, match="wrong"):
            accounts.login("luis", "mala-clave-numero-x", f"10.0.1.{n}")
    waits = []
    for n in range(4):  # each further failure doubles the wait
        with pytest.raises(LoginRefused, match="too many") as refused:
            accounts.login("luis", "mala-clave-numero-x", f"10.0.2.{n}")
        waits.append(refused.value.retry_after)
        clock[0] += timedelta(seconds=refused.value.retry_after)
        with pytest.raises(LoginRefused, match="wrong"):
            accounts.login("luis", "mala-clave-numero-x", f"10.0.3.{n}")
    assert waits == [2, 4, 8, 16]
    clock[0] += timedelta(seconds=32)
    assert accounts.login("luis", PASSWORD, "10.0.0.7")[1].user.name == "luis"  # slowed, never locked out


def test_concurrent_attempts_cannot_race_past_the_limit(accounts):
    """150 wrong passwords at once for one name from one address: at most the limit are checked;
    in a burst of 40, the right password at position 30 is refused."""
    import threading

    accounts.add_user("luis", "analyst", PASSWORD)
    checked = []

    class CountingHasher:  # the real hasher, counting its password checks
        def __init__(self, real):
            self.real = real

        def verify(self, *args):
            checked.append(1)
            return self.real.verify(*args)

        def hash(self, *args):
            return self.real.hash(*args)

    accounts._hasher = CountingHasher(accounts._hasher)
    start = threading.Barrier(40)
    outcomes: list[str] = []

    def attempt(position: int) -> None:
        start.wait()
        try:
            accounts.login("luis", "mala-clave-numero-x", "10.6.6.6")
            outcomes.append(f"{position} in")
        except LoginRefused as exc:
            outcomes.append(f"{position} {exc}")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= MAX_FAILED_LOGINS and len(outcomes) == 40 and not any(o.endswith(" in") for o in outcomes)
    # Once the limit is reached, even the right password waits (a racing right guess could win
    # among the first attempts, so it comes after them here).
    with pytest.raises(LoginRefused):
        accounts.login("luis", PASSWORD, "10.6.6.6")
    assert len(checked) <= MAX_FAILED_LOGINS


def test_the_audit_log_is_append_only_and_its_chain_shows_tampering(accounts, tmp_path):
    for n in range(5):
        accounts.record("ana", "search", f"q=nombre {n}", "200")
    assert accounts.verify_audit() == (5, [])
    conn = sqlite3.connect(tmp_path / "accounts.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET target = 'otra cosa' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit WHERE seq = 2")
    # Someone with the file drops the triggers and edits anyway: the chain tells.
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET target = 'otra cosa' WHERE seq = 2")
    conn.commit()
    count, problems = accounts.verify_audit()
    assert count == 5 and problems == ["entry 2 was changed after it was written"]
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq = 4")
    conn.commit()
    assert "entry 4 is missing (next is 5)" in accounts.verify_audit()[1]
    assert "entry 5 does not follow the entry before it" in accounts.verify_audit()[1]


def test_two_server_processes_appending_at_once_make_one_chain(tmp_path):
    # Each web worker process has its own connection to the file; entries must still chain.
    import threading

    path = tmp_path / "accounts.sqlite3"
    writers = [Accounts(path), Accounts(path)]

    def append(accounts, who):
        for n in range(60):
            accounts.record(who, "GET /api/search", f"q={n}", "200")

    threads = [threading.Thread(target=append, args=(a, f"worker{i}")) for i, a in enumerate(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert writers[0].verify_audit() == (120, [])
    for a in writers:
        a.close()


@pytest.mark.parametrize("weak", ["password1234", "aaaaaaaaaaaabcde", "contraseña2024", "fiscalia123456", "qwertyuiop123", "Telarana2026!"])
def test_common_or_guessable_passwords_are_refused(tmp_path, weak):
    """Long enough, yet on a common-password list, a repeat, a keyboard run or a local word with a year."""
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    with pytest.raises(AccountError, match="too easy to guess"):
        accounts.add_user("luis", "analyst", weak)
    accounts.add_user("luis", "analyst", PASSWORD)
    with pytest.raises(AccountError, match="too easy to guess"):
        accounts.set_password("luis", weak)


def _tamper(path, *statements):
    """What someone with the database file, but not the audit key, can do: drop the triggers first."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        for statement in statements:
            conn.execute(statement)


def _chained(tmp_path, n: int = 6) -> Accounts:
    accounts = Accounts(tmp_path / "accounts.sqlite3", audit_key="clave-del-servidor-" + "x" * 20)
    for i in range(n):
        accounts.record("ana", "GET /api/search", f"/api/search?q={i}", "200")
    assert accounts.verify_audit() == (n, [])
    return accounts


def test_cutting_entries_off_the_end_of_the_audit_log_shows(tmp_path):
    accounts = _chained(tmp_path)
    _tamper(accounts.path, "DELETE FROM audit WHERE seq > 3")
    assert accounts.verify_audit()[1] == ["entries 4–6 were removed from the end of the log"]
    _tamper(accounts.path, "DELETE FROM audit")
    assert accounts.verify_audit() == (0, ["entries 1–6 were removed from the end of the log"])


def test_rewriting_the_chain_without_the_key_shows(tmp_path):
    """Delete one entry and recompute every later link as the unkeyed chain did: caught."""
    from backend.store.accounts import entry_hash

    accounts = _chained(tmp_path)
    with sqlite3.connect(accounts.path) as conn:
        rows = conn.execute("SELECT seq, at, user, action, target, outcome, detail FROM audit WHERE seq > 3 ORDER BY seq").fetchall()
        prev = conn.execute("SELECT hash FROM audit WHERE seq = 2").fetchone()[0]
    statements = ["DELETE FROM audit WHERE seq >= 3"]
    for seq, at, user, action, target, outcome, detail in rows:
        digest = entry_hash(prev, at, user, action, target, outcome, detail)  # no key: plain SHA-256
        statements.append(f"INSERT INTO audit(seq, at, user, action, target, outcome, detail, prev_hash, hash, keyed) VALUES "
                          f"({seq - 1}, '{at}', '{user}', '{action}', '{target}', '{outcome}', '{detail}', '{prev}', '{digest}', 0)")  # fmt: skip
        prev = digest
    _tamper(accounts.path, *statements)
    problems = accounts.verify_audit()[1]
    assert "entry 3 was written without the audit key" in problems and "entry 6 was removed from the end of the log" in problems
    # Keyed links need the server's key: checked with another key, nothing verifies.
    assert "entry 1 was changed after it was written" in Accounts(accounts.path, audit_key="otra-clave-" + "y" * 20).verify_audit()[1]


def test_the_anchored_head_cannot_be_moved_without_the_key(tmp_path):
    accounts = _chained(tmp_path)
    head = json.loads(accounts.anchor_path.read_text())
    accounts.anchor_path.write_text(json.dumps({**head, "seq": 3}))
    assert accounts.verify_audit()[1] == ["the anchored head of the log was changed without the audit key"]
    accounts.anchor_path.unlink()
    assert accounts.verify_audit()[1] == ["the anchored head of the log is missing: entries cut off the end would not show"]


def test_entries_written_before_the_chain_was_keyed_still_verify(tmp_path):
    from backend.store.accounts import GENESIS, entry_hash

    path = tmp_path / "accounts.sqlite3"
    Accounts(path).close()
    digest = entry_hash(GENESIS, "2026-01-01T00:00:00", "ana", "POST login", "-", "200", "")
    _tamper(path, f"INSERT INTO audit(at, user, action, target, outcome, detail, prev_hash, hash, keyed) VALUES "
                  f"('2026-01-01T00:00:00', 'ana', 'POST login', '-', '200', '', '{GENESIS}', '{digest}', 0)")  # fmt: skip
    accounts = Accounts(path, audit_key="clave-del-servidor-" + "x" * 20)
    accounts.record("ana", "GET /api/search", "/api/search?q=x", "200")
    assert accounts.verify_audit() == (2, [])


def test_an_audit_entry_that_could_not_be_written_fails_its_request_and_leaves_the_chain_whole(accounts, monkeypatch):
    accounts.record("ana", "GET /api/counts", "/api/counts", "200")

    def disk_full(seq, digest):
        raise OSError("No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(accounts, "_anchor", disk_full)
        with pytest.raises(OSError, match="No space"):
            accounts.record("ana", "GET /api/search", "q=x", "200")
    assert accounts.verify_audit() == (1, [])  # rolled back with its anchored head
    assert accounts.record("ana", "GET /api/search", "q=x", "200").seq == 2 and accounts.verify_audit() == (2, [])
