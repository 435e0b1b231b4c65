"""What screening keeps, beside the graph in `TELARANA_DATA_DIR/workspace.sqlite3` (whichever
graph store is used): the travel rows screened (the history later screenings compare against),
the flags raised, analysts' reviews of them, the watchlist and its alerts. Reviews and watchlist
entries are append-only: a review is withdrawn by a later "reopened" one, an entry by one that
lifts it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.screening import Flag, FlagReview, ReviewDecision, TravelRow, WatchAlert, WatchEntry
from backend.store.sqlite_files import open_beside

_SCHEMA = """
CREATE TABLE IF NOT EXISTS travel_rows (
    case_id TEXT NOT NULL, document_id TEXT NOT NULL, row INTEGER NOT NULL, day TEXT NOT NULL, row_json TEXT NOT NULL,
    PRIMARY KEY (case_id, document_id, row)
);
CREATE INDEX IF NOT EXISTS travel_rows_day ON travel_rows(case_id, day);
CREATE TABLE IF NOT EXISTS flags (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, at TEXT NOT NULL, flag_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS flags_case ON flags(case_id, at);
CREATE TABLE IF NOT EXISTS flag_reviews (id TEXT PRIMARY KEY, flag_id TEXT NOT NULL, case_id TEXT NOT NULL, at TEXT NOT NULL,
                                         review_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watch_entries (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, at TEXT NOT NULL, entry_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watch_alerts (entry_id TEXT NOT NULL, document_id TEXT NOT NULL, case_id TEXT NOT NULL, seen_at TEXT NOT NULL,
                                         alert_json TEXT NOT NULL, PRIMARY KEY (entry_id, document_id));
"""


def _placeholders(values: list[str]) -> str:
    return ",".join("?" * len(values))


class Screenings:
    def __init__(self, path: Path | str):
        self._conn = open_beside(path, _SCHEMA)
        self._lock = threading.Lock()

    def _select(self, sql: str, args: Iterable = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, tuple(args)).fetchall()

    # ------------------------------------------------------------------ rows and flags

    def keep_rows(self, case_id: str, rows: list[TravelRow]) -> None:
        """Rows screened in a case; screening the same document again changes nothing."""
        with self._lock:
            self._conn.executemany(
                "INSERT OR IGNORE INTO travel_rows(case_id, document_id, row, day, row_json) VALUES (?, ?, ?, ?, ?)",
                [(case_id, r.document_id, r.row, r.day, r.model_dump_json()) for r in rows],
            )

    def rows_between(self, case_id: str, first_day: str, last_day: str) -> list[TravelRow]:
        found = self._select("SELECT row_json FROM travel_rows WHERE case_id = ? AND day BETWEEN ? AND ? ORDER BY day, document_id, row",
                             (case_id, first_day, last_day))  # fmt: skip
        return [TravelRow.model_validate_json(r[0]) for r in found]

    def rows_of(self, case_id: str, document_id: str) -> dict[int, TravelRow]:
        found = self._select("SELECT row_json FROM travel_rows WHERE case_id = ? AND document_id = ?", (case_id, document_id))
        return {(row := TravelRow.model_validate_json(r[0])).row: row for r in found}

    def add_flags(self, flags: list[Flag]) -> int:
        """Flags not raised before (a flag's id is its case, indicator, document and rows)."""
        with self._lock:
            before = self._conn.total_changes
            self._conn.executemany("INSERT OR IGNORE INTO flags(id, case_id, at, flag_json) VALUES (?, ?, ?, ?)",
                                   [(f.id, f.case_id, f.at, f.model_dump_json()) for f in flags])  # fmt: skip
            return self._conn.total_changes - before

    def flags(self, case_ids: Iterable[str]) -> list[Flag]:
        ids = sorted(set(case_ids))
        if not ids:
            return []
        found = self._select(f"SELECT flag_json FROM flags WHERE case_id IN ({_placeholders(ids)}) ORDER BY at, id", ids)  # noqa: S608 - placeholders only
        return [Flag.model_validate_json(r[0]) for r in found]

    def flag(self, flag_id: str, case_ids: Iterable[str]) -> Flag:
        found = [f for f in self.flags(case_ids) if f.id == flag_id]
        if not found:
            raise NotFoundError("flag", flag_id)
        return found[0]

    # ------------------------------------------------------------------ reviews

    def add_review(self, review: FlagReview) -> FlagReview:
        standing = self.standing_reviews([review.case_id]).get(review.flag_id)
        if review.decision is ReviewDecision.REOPENED and standing is None:
            raise InvalidRecordError("review", review.id, "the flag has no review to withdraw")
        if review.decision is not ReviewDecision.REOPENED and standing is not None:
            raise InvalidRecordError("review", review.id, f"the flag is already {standing.decision}; reopen it first")
        if review.decision is ReviewDecision.DISMISSED and not review.reason.strip():
            raise InvalidRecordError("review", review.id, "say why the flag is dismissed (a reason is required)")
        with self._lock:
            self._conn.execute("INSERT INTO flag_reviews(id, flag_id, case_id, at, review_json) VALUES (?, ?, ?, ?, ?)",
                               (review.id, review.flag_id, review.case_id, review.at, review.model_dump_json()))  # fmt: skip
        return review

    def reviews(self, case_ids: Iterable[str]) -> list[FlagReview]:
        ids = sorted(set(case_ids))
        if not ids:
            return []
        found = self._select(f"SELECT review_json FROM flag_reviews WHERE case_id IN ({_placeholders(ids)}) ORDER BY at, id", ids)  # noqa: S608 - placeholders only
        return [FlagReview.model_validate_json(r[0]) for r in found]

    def standing_reviews(self, case_ids: Iterable[str]) -> dict[str, FlagReview]:
        """Each flag's review that holds (the latest, unless a later one reopened it)."""
        standing: dict[str, FlagReview] = {}
        for review in self.reviews(case_ids):
            if review.decision is ReviewDecision.REOPENED:
                standing.pop(review.flag_id, None)
            else:
                standing[review.flag_id] = review
        return standing

    # ------------------------------------------------------------------ watchlist

    def add_watch(self, entry: WatchEntry) -> WatchEntry:
        if entry.lifts and entry.lifts not in {e.id for e in self.watchlist([entry.case_id])}:
            raise NotFoundError("watchlist entry", entry.lifts)
        with self._lock:
            self._conn.execute("INSERT INTO watch_entries(id, case_id, at, entry_json) VALUES (?, ?, ?, ?)",
                               (entry.id, entry.case_id, entry.at, entry.model_dump_json()))  # fmt: skip
        return entry

    def watch_entries(self, case_ids: Iterable[str]) -> list[WatchEntry]:
        ids = sorted(set(case_ids))
        if not ids:
            return []
        found = self._select(f"SELECT entry_json FROM watch_entries WHERE case_id IN ({_placeholders(ids)}) ORDER BY at, id", ids)  # noqa: S608 - placeholders only
        return [WatchEntry.model_validate_json(r[0]) for r in found]

    def watchlist(self, case_ids: Iterable[str]) -> list[WatchEntry]:
        """The entries that hold: made and not lifted."""
        entries = self.watch_entries(case_ids)
        lifted = {e.lifts for e in entries if e.lifts}
        return [e for e in entries if not e.lifts and e.id not in lifted]

    def add_alerts(self, alerts: list[WatchAlert]) -> int:
        with self._lock:
            before = self._conn.total_changes
            self._conn.executemany(
                "INSERT OR IGNORE INTO watch_alerts(entry_id, document_id, case_id, seen_at, alert_json) VALUES (?, ?, ?, ?, ?)",
                [(a.entry_id, a.document_id, a.case_id, a.seen_at, a.model_dump_json()) for a in alerts],
            )
            return self._conn.total_changes - before

    def alerts(self, case_ids: Iterable[str]) -> list[WatchAlert]:
        """Alerts of the entries that hold, newest first."""
        ids = sorted(set(case_ids))
        if not ids:
            return []
        holding = {e.id for e in self.watchlist(ids)}
        found = self._select(f"SELECT alert_json FROM watch_alerts WHERE case_id IN ({_placeholders(ids)}) ORDER BY seen_at DESC", ids)  # noqa: S608 - placeholders only
        return [a for a in (WatchAlert.model_validate_json(r[0]) for r in found) if a.entry_id in holding]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
