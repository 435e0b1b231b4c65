"""Ingest runs: each run of the ingest job — into which case, by whom, from where, how far it
got and what each file came to, warnings included. The dashboard shows the latest of each case.

They live in a SQLite file of their own (`TELARANA_DATA_DIR/runs.sqlite3`) whichever graph
store is used: a run is an account of work done on the case, not part of the case graph, and
the graph store only ever receives the records a run wrote.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable

from backend.domain.model import IngestRun, RunOutcome, utc_stamp
from backend.store.sqlite_files import one_at_a_time

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    case_name TEXT NOT NULL,
    by TEXT NOT NULL,
    source TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    files_total INTEGER,
    files_done INTEGER NOT NULL DEFAULT 0,
    seconds REAL NOT NULL DEFAULT 0,
    outcomes_json TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS runs_case ON runs(case_id, started_at);
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


class IngestRuns:
    def __init__(self, path: Path | str):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        with one_at_a_time(path):
            self._conn.execute("PRAGMA busy_timeout=10000")
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def _execute(self, sql: str, params: dict[str, Any] | tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def start(self, case_id: str, case_name: str, by: str, source: str, files_total: int | None = None) -> IngestRun:
        run = IngestRun(id="run:" + secrets.token_hex(8), case_id=case_id, case_name=case_name, by=by, source=source,
                        started_at=utc_stamp(), files_total=files_total)  # fmt: skip
        self._execute(
            "INSERT INTO runs(id, case_id, case_name, by, source, pid, started_at, status, files_total) "
            "VALUES (:id, :case_id, :case_name, :by, :source, :pid, :started_at, 'running', :files_total)",
            run.model_dump(include={"id", "case_id", "case_name", "by", "source", "started_at", "files_total"}) | {"pid": os.getpid()},
        )
        return run

    def progress(self, run_id: str, files_done: int, files_total: int | None) -> None:
        self._execute(
            "UPDATE runs SET files_done = ?, files_total = ? WHERE id = ? AND status = 'running'", (files_done, files_total, run_id)
        )

    def finish(self, run_id: str, outcomes: Iterable[RunOutcome], seconds: float, status: str = "done") -> None:
        listed = [o.model_dump() for o in outcomes]
        self._execute(
            "UPDATE runs SET status = ?, finished_at = ?, seconds = ?, outcomes_json = ?, files_done = ?, "
            "files_total = coalesce(files_total, ?) WHERE id = ?",
            (status, utc_stamp(), seconds, json.dumps(listed, ensure_ascii=False), len(listed), len(listed), run_id),
        )

    def latest(self, case_ids: Iterable[str], limit: int = 1) -> list[IngestRun]:
        """The latest runs into these cases, newest first. A run whose process is gone before it
        finished reads as interrupted."""
        ids = sorted(set(case_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._execute(f"SELECT * FROM runs WHERE case_id IN ({marks}) ORDER BY started_at DESC, id LIMIT ?", (*ids, limit))  # noqa: S608 - placeholders only
        return [self._run(r) for r in rows]

    def get(self, run_id: str) -> IngestRun | None:
        rows = self._execute("SELECT * FROM runs WHERE id = ?", (run_id,))
        return self._run(rows[0]) if rows else None

    @staticmethod
    def _run(row: sqlite3.Row) -> IngestRun:
        status = row["status"]
        if status == "running" and not _alive(row["pid"]):
            status = "interrupted"
        return IngestRun(
            id=row["id"], case_id=row["case_id"], case_name=row["case_name"], by=row["by"], source=row["source"],
            started_at=row["started_at"], finished_at=row["finished_at"], status=status, files_total=row["files_total"],
            files_done=row["files_done"], seconds=row["seconds"],
            outcomes=[RunOutcome(**o) for o in json.loads(row["outcomes_json"])],
        )  # fmt: skip

    def close(self) -> None:
        with self._lock:
            self._conn.close()
