"""The case dashboard: for each of the user's cases, what it holds, what waits for the analyst
and what happened last — the counts, the latest documents, the review pairs still open, the
latest corrections and the last ingest run with its warnings. The brokers of each case come
from the analysis route, one request per case, so a large case does not hold up the page."""

from __future__ import annotations

from pydantic import BaseModel

from backend.domain.model import Case, Correction, IngestRun
from backend.store.interface import GraphStore
from backend.store.runs import IngestRuns
from entity_resolution.review import review_queue

RECENT = 5


class DocumentRef(BaseModel):
    id: str
    title: str


class CaseSummary(BaseModel):
    case: Case
    documents: int
    mentions: int
    entities: dict[str, int]  # entity records by type (before resolution merges persons)
    relationships: int
    open_review_pairs: int
    recent_corrections: list[Correction]  # newest first
    corrections: int
    last_run: IngestRun | None
    latest_documents: list[DocumentRef]  # from the latest runs; without a run that stored one, a few of the case's by title


def case_summary(case_view: GraphStore, case: Case, runs: IngestRuns | None, recent: int = RECENT) -> CaseSummary:
    """The dashboard card of one case, read through `case_view`: the user's view of that case
    alone, with its corrections applied."""
    counts = case_view.counts()
    queue = review_queue(case_view, limit=0)
    standing = case_view.corrections()
    in_case = case_view.case_document_ids([case.id])
    latest_runs = runs.latest([case.id], limit=recent) if runs is not None else []
    latest: list[str] = []
    for run in latest_runs:
        for outcome in reversed(run.outcomes):  # the last file a run stored first
            if outcome.status in ("stored", "reread") and outcome.document_id in in_case and outcome.document_id not in latest:
                latest.append(outcome.document_id)
    from_runs = bool(latest)
    documents = [case_view.get_document(i) for i in (latest or sorted(in_case))[: recent * 4]]
    if not from_runs:
        documents.sort(key=lambda d: d.title.casefold())
    return CaseSummary(
        case=case, documents=len(in_case), mentions=counts["mentions"], entities=counts["entities"],
        relationships=sum(counts["relationships"].values()), open_review_pairs=queue.total,
        recent_corrections=sorted(standing, key=lambda c: (c.at, c.id), reverse=True)[:recent], corrections=len(standing),
        last_run=latest_runs[0] if latest_runs else None, latest_documents=[DocumentRef(id=d.id, title=d.title) for d in documents[:recent]],
    )  # fmt: skip
