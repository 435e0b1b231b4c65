"""Opening a SQLite file that other processes may be opening at the same moment (the server's
workers start together; an ingest may start beside them). Switching to WAL, creating tables
and adding columns each need the file to themselves, and SQLite answers "database is locked"
or "duplicate column" at once rather than wait when two connections try it together. So the
set-up of each connection runs under an exclusive lock on a file beside the database
(`<name>.open-lock`), one connection after the other."""

from __future__ import annotations

import fcntl
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
