"""The server's workers start together and each opens the same new SQLite files: none of them
may fail with "database is locked" or "duplicate column" (seen as a worker dying on `make demo`)."""

from __future__ import annotations

import threading

import pytest

from backend.store.accounts import Accounts
from backend.store.runs import IngestRuns
from backend.store.sqlite import SqliteStore


@pytest.mark.parametrize("opener", [Accounts, IngestRuns, SqliteStore], ids=["accounts", "runs", "graph"])
def test_processes_opening_one_new_file_at_once_all_succeed(tmp_path, opener):
    failures: list[str] = []
    for round_ in range(10):
        path = tmp_path / f"round-{round_}" / "file.sqlite3"
        start = threading.Barrier(6)

        def open_it() -> None:
            start.wait()
            try:
                opener(path).close()
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                failures.append(repr(exc))

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
