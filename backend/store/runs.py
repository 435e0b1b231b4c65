"""Ingest runs: each run of the ingest job — into which case, by whom, from where, how far it
got and what each file came to, warnings included. The dashboard shows the latest of each case.

A run uploaded from the browser keeps here what the server needs to take it up again after a
restart: the folder its files were received in, the options it was started with, whether the
analyst asked to cancel it, and each file's outcome as it is settled.

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
import time
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
CREATE TABLE IF NOT EXISTS run_outcomes (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    outcome_json TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
"""
# Columns added after the first release of this file: (name, declaration).
_ADDED_COLUMNS = (
    ("kind", "TEXT NOT NULL DEFAULT 'cli'"),
    ("folder", "TEXT"),
    ("options_json", "TEXT NOT NULL DEFAULT '{}'"),
    ("files_received", "INTEGER NOT NULL DEFAULT 0"),
    ("bytes_received", "INTEGER NOT NULL DEFAULT 0"),
    ("cancel_requested", "INTEGER NOT NULL DEFAULT 0"),
    ("reading_since", "REAL"),
)
# An upload's states before it ends; a process that dies in one of them leaves work to take up.
UNFINISHED_UPLOAD = ("queued", "running")


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
            present = {row["name"] for row in self._conn.execute("PRAGMA table_info(runs)")}
            for name, declaration in _ADDED_COLUMNS:
                if name not in present:
                    self._conn.execute(f"ALTER TABLE runs ADD COLUMN {name} {declaration}")
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

    def finish(self, run_id: str, outcomes: Iterable[RunOutcome] | None, seconds: float, status: str = "done") -> None:
        """End the run. `outcomes` replace those recorded as they came; None keeps them (a
        cancelled upload keeps the outcomes of the files read before it stopped)."""
        with self._lock, self._conn:
            if outcomes is not None:
                self._conn.execute("DELETE FROM run_outcomes WHERE run_id = ?", (run_id,))
                self._conn.executemany(
                    "INSERT INTO run_outcomes(run_id, seq, outcome_json) VALUES (?, ?, ?)",
                    [(run_id, seq, o.model_dump_json()) for seq, o in enumerate(outcomes)],
                )
            self._conn.execute(
                "UPDATE runs SET status = ?, finished_at = ?, seconds = ?, "
                "files_done = max(files_done, (SELECT count(*) FROM run_outcomes WHERE run_id = runs.id)), "
                "files_total = coalesce(files_total, files_done) WHERE id = ?",
                (status, utc_stamp(), seconds, run_id),
            )

    def add_outcome(self, run_id: str, outcome: RunOutcome) -> None:
        """Record one file's outcome as it is settled."""
        self._execute(
            "INSERT INTO run_outcomes(run_id, seq, outcome_json) "
            "VALUES (?, (SELECT coalesce(max(seq), -1) + 1 FROM run_outcomes WHERE run_id = ?), ?)",
            (run_id, run_id, outcome.model_dump_json()),
        )

    # -------------------------------------------------------------- uploads from the browser

    def open_upload(self, case_id: str, case_name: str, by: str, folder: Path, options: dict[str, Any]) -> IngestRun:
        """A run whose files are about to arrive from the browser into `folder`."""
        run_id = "run:" + secrets.token_hex(8)
        self._execute(
            "INSERT INTO runs(id, case_id, case_name, by, source, pid, started_at, status, kind, folder, options_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'receiving', 'upload', ?, ?)",
            (run_id, case_id, case_name, by, "subida desde el navegador", os.getpid(), utc_stamp(), str(folder),
             json.dumps(options, ensure_ascii=False)),
        )  # fmt: skip
        run = self.get(run_id)
        assert run is not None
        return run

    def receive(self, run_id: str, size: int, max_files: int, max_bytes: int, files: int = 1) -> bool:
        """Count `files` received files of `size` bytes against the run's limits, atomically
        (files may arrive at once); negative counts give back what a refused zip had counted.
        False: it would go past a limit, or the run is no longer receiving."""
        with self._lock:
            changed = self._conn.execute(
                "UPDATE runs SET files_received = files_received + :files, bytes_received = bytes_received + :size "
                "WHERE id = :id AND status = 'receiving' AND files_received + :files <= :max_files "
                "AND bytes_received + :size <= :max_bytes",
                {"id": run_id, "size": size, "files": files, "max_files": max_files, "max_bytes": max_bytes},
            ).rowcount
        return changed == 1

    def queue(self, run_id: str) -> bool:
        """Every file has arrived: the run waits for a reader. False if it was not receiving."""
        with self._lock:
            return self._conn.execute("UPDATE runs SET status = 'queued' WHERE id = ? AND status = 'receiving'", (run_id,)).rowcount == 1

    def claim(self, run: IngestRun) -> bool:
        """Take the run for this process to read: it is queued, or it was running in a process
        that is gone. Of several processes claiming it at once, exactly one gets True."""
        with self._lock:
            row = self._conn.execute("SELECT pid, status FROM runs WHERE id = ?", (run.id,)).fetchone()
            if row is None or row["status"] not in UNFINISHED_UPLOAD:
                return False
            if row["status"] == "running" and _alive(row["pid"]) and row["pid"] != os.getpid():
                return False
            with self._conn:
                taken = self._conn.execute(
                    "UPDATE runs SET pid = ?, status = 'running', reading_since = ?, files_done = 0 "
                    "WHERE id = ? AND pid = ? AND status = ?",
                    (os.getpid(), time.time(), run.id, row["pid"], row["status"]),
                ).rowcount == 1  # fmt: skip
                if taken:  # read again from the start: the outcomes come again (stored files as unchanged)
                    self._conn.execute("DELETE FROM run_outcomes WHERE run_id = ?", (run.id,))
            return taken

    def unfinished_uploads(self) -> list[IngestRun]:
        """Uploads queued or running whose process is gone: work a server takes up at start."""
        rows = self._execute("SELECT * FROM runs WHERE kind = 'upload' AND status IN ('queued', 'running') ORDER BY started_at")
        return self._runs([r for r in rows if not _alive(r["pid"]) or r["pid"] == os.getpid()])

    def request_cancel(self, run_id: str) -> IngestRun | None:
        """Ask the run to stop: one still receiving or queued stops at once, one being read
        after the file in hand."""
        with self._lock, self._conn:
            self._conn.execute(
                "UPDATE runs SET cancel_requested = 1 WHERE id = ? AND status NOT IN ('done', 'failed', 'cancelled')", (run_id,)
            )
            self._conn.execute(
                "UPDATE runs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('receiving', 'queued')",
                (utc_stamp(), run_id),
            )
        return self.get(run_id)

    def cancel_requested(self, run_id: str) -> bool:
        rows = self._execute("SELECT cancel_requested FROM runs WHERE id = ?", (run_id,))
        return bool(rows and rows[0]["cancel_requested"])

    def options(self, run_id: str) -> tuple[Path | None, dict[str, Any]]:
        """The folder an upload's files were received in and the options it was started with."""
        rows = self._execute("SELECT folder, options_json FROM runs WHERE id = ?", (run_id,))
        if not rows:
            return None, {}
        return (Path(rows[0]["folder"]) if rows[0]["folder"] else None), json.loads(rows[0]["options_json"])

    def of_cases(self, case_ids: Iterable[str], kind: str | None = None, limit: int = 20) -> list[IngestRun]:
        """The latest runs into these cases (of one kind), newest first."""
        ids = sorted(set(case_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        kinds = ("cli", "upload") if kind is None else (kind,)
        rows = self._execute(
            f"SELECT * FROM runs WHERE case_id IN ({marks}) AND kind IN (?, ?) ORDER BY started_at DESC, id LIMIT ?",  # noqa: S608 - placeholders only
            (*ids, kinds[0], kinds[-1], limit),
        )
        return self._runs(rows)

    def latest(self, case_ids: Iterable[str], limit: int = 1) -> list[IngestRun]:
        """The latest runs into these cases, newest first. A run whose process is gone before it
        finished reads as interrupted."""
        return self.of_cases(case_ids, limit=limit)

    def get(self, run_id: str) -> IngestRun | None:
        rows = self._execute("SELECT * FROM runs WHERE id = ?", (run_id,))
        return self._runs(rows)[0] if rows else None

    def _runs(self, rows: list[sqlite3.Row]) -> list[IngestRun]:
        """The runs of these rows, with their outcomes read in one query."""
        if not rows:
            return []
        marks = ",".join("?" * len(rows))
        streamed: dict[str, list[RunOutcome]] = {r["id"]: [] for r in rows}
        for found in self._execute(
            f"SELECT run_id, outcome_json FROM run_outcomes WHERE run_id IN ({marks}) ORDER BY run_id, seq",  # noqa: S608 - placeholders only
            tuple(streamed),
        ):
            streamed[found["run_id"]].append(RunOutcome.model_validate_json(found["outcome_json"]))
        return [self._run(row, streamed[row["id"]]) for row in rows]

    @staticmethod
    def _run(row: sqlite3.Row, streamed: list[RunOutcome]) -> IngestRun:
        status = row["status"]
        if status in ("running", "queued") and not _alive(row["pid"]):
            status = "interrupted"
        # Runs recorded before outcomes had their own table kept them in one column.
        outcomes = streamed or [RunOutcome(**o) for o in json.loads(row["outcomes_json"])]
        since = row["reading_since"]
        return IngestRun(
            id=row["id"], case_id=row["case_id"], case_name=row["case_name"], by=row["by"], source=row["source"],
            started_at=row["started_at"], finished_at=row["finished_at"], status=status, files_total=row["files_total"],
            files_done=row["files_done"], seconds=row["seconds"], outcomes=outcomes, kind=row["kind"],
            files_received=row["files_received"], bytes_received=row["bytes_received"],
            cancel_requested=bool(row["cancel_requested"]),
            running_seconds=(time.time() - since) if since is not None and status == "running" else None,
        )  # fmt: skip

    def close(self) -> None:
        with self._lock:
            self._conn.close()
