"""Timeline of an entity (as resolved: every document it was read from) or of a case: calls,
journeys, other dated relationships and document dates, in order."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Literal

from pydantic import BaseModel

from backend.analysis.graph import CaseGraph
from backend.domain.model import EntityType, RelType
from backend.domain.vocabulary import relationship_label
from backend.store.interface import GraphStore

EventKind = Literal["call", "journey", "relationship", "document", "judgement"]
_JOURNEYS = {RelType.PASSENGER_ON, RelType.TRAVELLED}


class TimelineEvent(BaseModel):
    at: str  # ISO date or date-time
    kind: EventKind
    summary: str
    entity_ids: list[str]  # canonical ids of the entities it joins
    relationship_id: str | None = None
    relationship_type: str | None = None
    # What the page words in its language: the two ends, an association's kind, a call's seconds.
    source_label: str | None = None
    target_label: str | None = None
    association: str | None = None
    duration_s: int | None = None
    document_id: str | None = None
    document_title: str | None = None
    quote: str | None = None  # the first sentence or row that records it
    decision: str | None = None  # a judgement's: same, different, unsure
    by: str | None = None  # who judged


class Timeline(BaseModel):
    subject: str  # an entity id, or "case:ID", or "all"
    events: list[TimelineEvent]
    truncated: bool = False


def _document_date(metadata: dict[str, str]) -> str | None:
    """What a file says about when it was written: an e-mail's Date header, a PDF's or DOCX's
    creation date."""
    if metadata.get("date"):
        try:
            return parsedate_to_datetime(metadata["date"]).replace(tzinfo=None).isoformat()
        except (TypeError, ValueError):
            pass
    if metadata.get("created"):
        try:
            return datetime.fromisoformat(metadata["created"]).replace(tzinfo=None).isoformat()
        except ValueError:
            pass
    return None


def timeline(store: GraphStore, case: CaseGraph, entity_id: str | None = None, limit: int = 1000) -> Timeline:
    """Dated events in order (then by kind and id). For an entity: its own dated relationships,
    the calls of the phones it uses, and the dates of the documents it was read from."""
    if entity_id is not None:
        subject = case.canonical(entity_id)
        store.get_entity(entity_id)  # NotFoundError for an unknown id
        focus = {subject}
        if case.entities.get(subject) is not None and case.entities[subject].type in (EntityType.PERSON, EntityType.ORGANIZATION):
            focus |= {e.target_id for e in case.edges_of_type(RelType.USES_PHONE) if e.source_id == subject}
        edges = [e for e in case.edges if e.date and (e.source_id in focus or e.target_id in focus)]
        evidence = store.evidence(e.id for e in edges)
        members = list(case.clusters.members(entity_id))
        document_ids = {m.document_id for member in members for m in store.get_entity(member).mentions}
    else:
        subject = f"case:{case.case_id}" if case.case_id else "all"
        focus = set()
        edges = [e for e in case.edges if e.date]
        evidence = store.evidence(e.id for e in case.edges)  # every cited document, for its date
        document_ids = {ev.document_id for evs in evidence.values() for ev in evs}
    events: list[TimelineEvent] = []
    for edge in edges:
        source, target = case.entities[edge.source_id], case.entities[edge.target_id]
        if edge.type is RelType.CALLED:
            kind, summary = "call", f"{source.label} → {target.label}"
        elif edge.type in _JOURNEYS:
            kind, summary = "journey", f"{source.label}: {target.label}"
        else:
            kind, summary = "relationship", f"{source.label} — {relationship_label(edge.type)} — {target.label}"
        first = (evidence.get(edge.id) or [None])[0]
        seconds = edge.properties.get("duration_s") if edge.type is RelType.CALLED else None
        association = edge.properties.get("kind") if edge.type is RelType.ASSOCIATED_WITH else None
        events.append(TimelineEvent(
            at=edge.date, kind=kind, summary=summary, entity_ids=[edge.source_id, edge.target_id], relationship_id=edge.id,
            relationship_type=str(edge.type), source_label=source.label, target_label=target.label,
            association=str(association) if association else None,
            duration_s=int(seconds) if isinstance(seconds, (int, float)) or (isinstance(seconds, str) and seconds.isdigit()) else None,
            document_id=first.document_id if first else None,
            document_title=first.document_title if first else None, quote=first.text if first else None,
        ))  # fmt: skip
    # Only documents the reader may open (a liaison's compartment cites documents it cannot open).
    for document_id in sorted(store.document_cases(document_ids)):
        document = store.get_document(document_id)
        when = _document_date(document.metadata)
        if when:
            events.append(TimelineEvent(at=when, kind="document", summary=document.title, entity_ids=[], document_id=document.id,
                                        document_title=document.title))  # fmt: skip
    events.extend(_judgements(store, case, focus if entity_id is not None else None))
    events.sort(key=lambda e: (e.at, e.kind, e.relationship_id or e.document_id or ""))
    return Timeline(subject=subject, events=events[:limit], truncated=len(events) > limit)


def _judgements(store: GraphStore, case: CaseGraph, focus: set[str] | None) -> list[TimelineEvent]:
    """Analysts' decisions on whether two entities of the case are the same person (the
    resolver's own rules are not events of the investigation), when they were made."""
    members = case.member_ids()
    events = []
    for judgement in store.judgements():
        if not judgement.by.startswith("user:") or judgement.left_id not in members or judgement.right_id not in members:
            continue
        left, right = case.canonical(judgement.left_id), case.canonical(judgement.right_id)
        if focus is not None and not ({left, right} & focus):
            continue
        labels = [case.entities[i].label if i in case.entities else i for i in (left, right)]
        events.append(TimelineEvent(
            at=judgement.at, kind="judgement", summary=f"{labels[0]} / {labels[1]}: {judgement.decision}", entity_ids=[left, right],
            source_label=labels[0], target_label=labels[1], decision=str(judgement.decision), by=judgement.by.removeprefix("user:"),
            quote=judgement.reason or None,
        ))  # fmt: skip
    return events
