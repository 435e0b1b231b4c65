"""Saved charts: an analyst's arrangement of a view (its nodes, their positions, its filters, a
title and a note), kept per case, append-only. They live in `TELARANA_DATA_DIR/workspace.sqlite3`
beside the graph, whichever graph store is used: a chart is how an analyst laid the case out,
not something the documents say, and reopening it reads the graph as it stands then."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Iterable

from backend.domain.model import Chart
from backend.store.sqlite_files import open_beside

_SCHEMA = """
CREATE TABLE IF NOT EXISTS charts (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    at TEXT NOT NULL,
    chart_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS charts_case ON charts(case_id, at);
"""


class Charts:
    def __init__(self, path: Path | str):
        self._conn = open_beside(path, _SCHEMA)
        self._lock = threading.Lock()

    def save(self, chart: Chart) -> Chart:
        with self._lock:
            self._conn.execute("INSERT INTO charts(id, case_id, at, chart_json) VALUES (?, ?, ?, ?)",
                               (chart.id, chart.case_id, chart.at, chart.model_dump_json()))  # fmt: skip
        return chart

    def of_cases(self, case_ids: Iterable[str]) -> list[Chart]:
        """The charts of these cases, newest first."""
        ids = sorted(set(case_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._conn.execute(f"SELECT chart_json FROM charts WHERE case_id IN ({marks}) ORDER BY at DESC, id", ids).fetchall()  # noqa: S608 - placeholders only
        return [Chart.model_validate(json.loads(r[0])) for r in rows]

    def get(self, chart_id: str) -> Chart | None:
        with self._lock:
            row = self._conn.execute("SELECT chart_json FROM charts WHERE id = ?", (chart_id,)).fetchone()
        return Chart.model_validate(json.loads(row[0])) if row else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()
