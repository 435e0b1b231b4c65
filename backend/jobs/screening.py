"""Screening after ingest: the ticket lists and manifests a run stored are screened against
what the cases held before the run (a list's own passengers are not "already in a case"), their
rows kept as the history later lists are compared with; the documents the run stored are
checked against the watchlists of their cases. `telarana ingest` and uploads from the browser
both call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from backend.analysis.screening import RULES, KnownIndex, ScreeningRules, known_index, screen_rows, watch_alerts
from backend.domain.model import Document
from backend.domain.screening import Flag
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from backend.store.screening import Screenings
from ingest.travel_rows import travel_rows


@dataclass
class ScreeningSummary:
    lists: int = 0
    rows: int = 0
    flags: list[Flag] = field(default_factory=list)
    new_flags: int = 0
    alerts: int = 0


TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")


def known_before(store: GraphStore, screenings: Screenings, paths: list[Path] | None = None) -> KnownIndex | None:
    """What the cases hold now, and their watchlists: taken before a run stores anything. None
    when `paths` (the run's files) hold no table, since only tables are screened and reading
    the whole graph has a cost."""
    if paths is not None and not any(p.suffix.lower() in TABLE_SUFFIXES for folder in paths for p in _files(folder)):
        return None
    return known_index(store, screenings.watchlist(c.id for c in store.cases()))


def _files(path: Path) -> list[Path]:
    return [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]


def screen_documents(store: GraphStore, screenings: Screenings, known: KnownIndex | None, documents: list[Document], originals: Originals | None,
                     profile_file: Path | None = None, rules: ScreeningRules = RULES) -> ScreeningSummary:  # fmt: skip
    """Screen the ticket lists and manifests among `documents` in each of their cases (none
    without `known`), and raise the watchlist alerts the documents call for."""
    summary = ScreeningSummary()
    for document in documents if known is not None else ():
        data = originals.read(document.id) if originals is not None else None
        if data is None and document.source_path and Path(document.source_path).is_file():
            data = Path(document.source_path).read_bytes()
        if data is None:
            continue
        rows = travel_rows(data, Path(document.source_path or document.title).name, document.id, profile_file)
        if not rows:
            continue
        summary.lists += 1
        summary.rows += len(rows)
        days = sorted(r.day for r in rows)
        first = (date.fromisoformat(days[0]) - timedelta(days=rules.history_days)).isoformat()
        for case_id in document.case_ids:
            history = screenings.rows_between(case_id, first, days[-1])
            flags = screen_rows(rows, case_id, known, history, rules)
            screenings.keep_rows(case_id, rows)
            summary.new_flags += screenings.add_flags(flags)
            summary.flags.extend(flags)
    case_ids = {c for d in documents for c in d.case_ids}
    summary.alerts = screenings.add_alerts(watch_alerts(store, screenings.watchlist(case_ids), documents))
    return summary


def stored_documents(store: GraphStore, document_ids: list[str]) -> list[Document]:
    return [store.get_document(i) for i in dict.fromkeys(document_ids) if i]
