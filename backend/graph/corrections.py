"""Analysts' corrections of a case's graph: reject a link or one piece of its evidence, add an
entity or a link with the analyst as its source, annotate, undo. Each is a record with who, when
and why, in one case; the store keeps them append-only and a CorrectedStore applies them over
every view. Merging and splitting persons are judgements (entity_resolution.judging).

The API routes and the CLI commands are thin wrappers over these functions.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pydantic import BaseModel

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import ASSOCIATION_KINDS, Correction, CorrectionKind, EntityType, Judgement, RelType
from backend.store.interface import GraphStore


def _by(user: str) -> str:
    return f"user:{user}"


def _case(store: GraphStore, case: str | None, about: tuple[str, ...] = ()) -> str:
    """The case the correction is in: named, the only one, or the only one where `about` is seen."""
    entity_ids = [i for i in about if i in store.entity_types(about)]
    for key in store.relationship_keys(about).values():
        entity_ids += key[1:]
    found = store.record_case(case, "correction", entity_ids)
    if found is None:
        raise InvalidRecordError("correction", None, "a correction belongs to a case, and there is no case yet")
    return found


def _ends(store: GraphStore, relationship_id: str) -> tuple[str | None, str | None]:
    """The two ends of a relationship, kept with a correction about it: the entities' histories
    show it, even once the link is out of every view."""
    key = store.relationship_keys([relationship_id]).get(relationship_id)
    return (key[1], key[2]) if key else (None, None)


def reject_link(store: GraphStore, relationship_id: str, user: str, reason: str, case: str | None = None) -> Correction:
    """The link leaves every view of the case (its evidence stays on record)."""
    case_id, ends = _case(store, case, (relationship_id,)), _ends(store, relationship_id)
    return store.add_correction(Correction.new(case_id, CorrectionKind.REJECT_LINK, relationship_id, _by(user), reason,
                                               source_id=ends[0], target_id=ends[1]))  # fmt: skip


def reject_evidence(store: GraphStore, relationship_id: str, evidence_id: str, user: str, reason: str,
                    case: str | None = None) -> Correction:  # fmt: skip
    """One piece of a link's evidence no longer supports it in the case's views; a link left with
    none leaves them."""
    case_id, ends = _case(store, case, (relationship_id,)), _ends(store, relationship_id)
    return store.add_correction(
        Correction.new(
            case_id,
            CorrectionKind.REJECT_EVIDENCE,
            evidence_id,
            _by(user),
            reason,
            relationship_id=relationship_id,
            source_id=ends[0],
            target_id=ends[1],
        )
    )


def add_entity(store: GraphStore, entity_type: str, label: str, user: str, reason: str = "", case: str | None = None) -> Correction:
    """An entity no document named, asserted by the analyst."""
    case_id = _case(store, case)
    if not label.strip():
        raise InvalidRecordError("correction", None, "the entity needs a name")
    kind = EntityType(entity_type) if entity_type in {t.value for t in EntityType} else None
    if kind is None:
        raise InvalidRecordError("correction", None, f"unknown entity type {entity_type!r}")
    return store.add_correction(Correction.new(case_id, CorrectionKind.ADD_ENTITY, None, _by(user), reason, entity_type=kind,
                                               label=label.strip()))  # fmt: skip


def add_link(store: GraphStore, relationship_type: str, source_id: str, target_id: str, user: str, reason: str,
             case: str | None = None, date: str | None = None, association: str | None = None) -> Correction:  # fmt: skip
    """A link no document stated, asserted by the analyst: its one piece of evidence is the
    analyst's reason, cited as the analyst's (never as a document)."""
    case_id = _case(store, case, (source_id, target_id))
    if not reason.strip():
        raise InvalidRecordError("correction", None, "say what the link rests on (a reason is required)")
    if relationship_type not in {t.value for t in RelType}:
        raise InvalidRecordError("correction", None, f"unknown relationship type {relationship_type!r}")
    properties = {}
    if relationship_type == RelType.ASSOCIATED_WITH:
        if association not in ASSOCIATION_KINDS:
            raise InvalidRecordError("correction", None, f"an association needs its kind, one of {sorted(ASSOCIATION_KINDS)}")
        properties["kind"] = association
    return store.add_correction(Correction.new(case_id, CorrectionKind.ADD_LINK, None, _by(user), reason,
                                               relationship_type=RelType(relationship_type), source_id=source_id,
                                               target_id=target_id, date=date or None, properties=properties))  # fmt: skip


def annotate(store: GraphStore, subject_id: str, note: str, user: str, case: str | None = None) -> Correction:
    """A note kept with an entity or a link, in the case's history of it."""
    case_id, ends = _case(store, case, (subject_id,)), _ends(store, subject_id)
    return store.add_correction(Correction.new(case_id, CorrectionKind.ANNOTATE, subject_id, _by(user), note=note.strip(),
                                               source_id=ends[0], target_id=ends[1]))  # fmt: skip


def reject_element(store: GraphStore, person_id: str, element: str, tag_id: str, user: str, reason: str,
                   case: str | None = None) -> Correction:  # fmt: skip
    """One sentence no longer evidences a legal element for a person in the case's matrix (the
    sentence and the document stay as they are)."""
    case_id = _case(store, case, (person_id,))
    return store.add_correction(Correction.new(case_id, CorrectionKind.REJECT_ELEMENT, person_id, _by(user), reason,
                                               properties={"element": element, "tag": tag_id}))  # fmt: skip


def add_element(store: GraphStore, person_id: str, element: str, quote: str, user: str, reason: str, case: str | None = None,
                document_id: str | None = None) -> Correction:  # fmt: skip
    """The analyst asserts that a person's case shows a legal element: the quote it rests on (a
    sentence of a document, or the analyst's own words) is cited as the analyst's."""
    case_id = _case(store, case, (person_id,))
    if document_id:
        store.get_document(document_id)
    properties = {"element": element, "quote": quote.strip()[:2000]} | ({"document_id": document_id} if document_id else {})
    return store.add_correction(Correction.new(case_id, CorrectionKind.ADD_ELEMENT, person_id, _by(user), reason, properties=properties))


def undo_correction(store: GraphStore, correction_id: str, user: str, reason: str) -> Correction:
    """Withdraw a correction: both stay on record, and what it changed is back in every view."""
    earlier = {c.id: c for c in store.corrections()}.get(correction_id)
    if earlier is None:
        raise NotFoundError("correction", correction_id)
    # The undo is later than what it withdraws, even within one clock tick.
    at = max(datetime.now(timezone.utc), datetime.fromisoformat(earlier.at).replace(tzinfo=timezone.utc) + timedelta(microseconds=1))
    return store.add_correction(Correction.new(earlier.case_id, CorrectionKind.UNDO, earlier.subject_id, _by(user), reason,
                                               at=at, retracts=correction_id))  # fmt: skip


class HistoryEntry(BaseModel):
    """One record in the history of an entity or a link: a correction or a judgement."""

    kind: str  # a CorrectionKind, or "judgement"
    id: str
    case_id: str | None
    by: str
    at: str
    reason: str = ""
    note: str = ""
    standing: bool = True  # False once withdrawn by a later undo / judgement
    withdrawn_by: str | None = None
    other_id: str | None = None  # a judgement's other entity
    decision: str | None = None


def history(store: GraphStore, subject_id: str) -> list[HistoryEntry]:
    """Every correction and judgement about an entity or a link in the cases the store shows,
    oldest first, each saying whether it still holds."""
    corrections = store.corrections()
    undone = {c.retracts: c.id for c in corrections if c.kind == CorrectionKind.UNDO}
    about = {c.id for c in corrections if subject_id in (c.subject_id, c.source_id, c.target_id, c.relationship_id)}
    entries = [
        HistoryEntry(
            kind=str(c.kind),
            id=c.id,
            case_id=c.case_id,
            by=c.by,
            at=c.at,
            reason=c.reason,
            note=c.note,
            standing=c.id not in undone,
            withdrawn_by=undone.get(c.id),
        )  # fmt: skip
        for c in corrections
        if c.id in about or (c.kind == CorrectionKind.UNDO and c.retracts in about)
    ]
    judgements: list[Judgement] = store.judgements(subject_id) if store.entity_types([subject_id]) else []
    retracted = {j.retracts: j.id for j in judgements if j.retracts}
    entries += [
        HistoryEntry(
            kind="judgement",
            id=j.id,
            case_id=j.case_id,
            by=j.by,
            at=j.at,
            reason=j.reason,
            standing=j.id not in retracted,
            withdrawn_by=retracted.get(j.id),
            other_id=j.right_id if j.left_id == subject_id else j.left_id,
            decision=str(j.decision),
        )  # fmt: skip
        for j in judgements
        if j.by.startswith("user:")
    ]
    return sorted(entries, key=lambda e: (e.at, e.id))


__all__ = ["HistoryEntry", "add_entity", "add_link", "annotate", "history", "reject_evidence", "reject_link", "undo_correction"]
