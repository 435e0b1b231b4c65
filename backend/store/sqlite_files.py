"""Opening a SQLite file that other processes may be opening at the same moment (the server's
workers start together; an ingest may start beside them). Switching to WAL, creating tables
and adding columns each need the file to themselves, and SQLite answers "database is locked"
or "duplicate column" at once rather than wait when two connections try it together. So the
set-up of each connection runs under an exclusive lock on a file beside the database
(`<name>.open-lock`), one connection after the other."""

from __future__ import annotations

import fcntl
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def one_at_a_time(path: Path | str) -> Iterator[None]:
    if str(path) == ":memory:":
        yield
        return
    lock = Path(f"{path}.open-lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_beside(path: Path | str, schema: str) -> sqlite3.Connection:
    """A connection to a SQLite file kept beside the graph (charts, screening), in WAL mode with
    its tables made, shared by the threads of one process (callers hold their own lock)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    with one_at_a_time(path):
        connection.execute("PRAGMA busy_timeout=10000")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(schema)
    return connection
