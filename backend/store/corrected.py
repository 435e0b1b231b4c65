"""Analysts' corrections applied over a store: the graph as the case's analysts corrected it.

A CorrectedStore answers the same interface as the store it wraps, with the standing
corrections of the cases it sees applied: a rejected link, or one whose every piece of evidence
was rejected, is in no view; a rejected piece of evidence is left out of its link (which counts
one less); an entity or link an analyst added is there, its only evidence the analyst's
assertion (method "analyst", cited as such, never as a document). Nothing underneath changes:
undoing a correction brings back exactly what was there.

The web view reads every store through one (after the case compartment), and so do the CLI's
reports and exports: every view, analysis, export and report honours the same corrections.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from backend.domain.model import (
    ANALYST_METHOD,
    Batch,
    Case,
    Correction,
    CorrectionKind,
    Document,
    EdgeRow,
    Entity,
    EntityDetail,
    EntityMark,
    GraphFilter,
    Judgement,
    Mention,
    ReadingChange,
    RetiredRecord,
    SearchHit,
    StoredEvidence,
    WriteSummary,
)
from backend.domain.text import fold
from backend.store.batch_writer import BatchWriter
from backend.store.common import StoreBase, per_instance
from backend.store.interface import GraphStore


def assertion_evidence(correction: Correction) -> StoredEvidence:
    """The evidence of an added link: the analyst's own words, cited as the analyst's."""
    words = correction.reason.strip() or correction.note.strip() or "—"
    return StoredEvidence(
        id=correction.id, relationship_id=correction.subject_id, document_id=f"analyst:{correction.case_id}", start=0, end=len(words),
        method=ANALYST_METHOD, confidence=1.0, extractor_version=correction.by, text=words,
        document_title=f"{correction.by.removeprefix('user:')} · {correction.at[:10]}",
    )  # fmt: skip


class CorrectedStore(StoreBase):
    def __init__(self, base: GraphStore, case_ids: Iterable[str] | None = None):
        """`case_ids`: the cases whose corrections apply (None: those of every case the base shows)."""
        self.base = base
        self.kind = base.kind
        self._case_ids = None if case_ids is None else frozenset(case_ids)

    # ------------------------------------------------------------------ the corrections, read once

    @per_instance
    def standing(self) -> dict[str, Correction]:
        return self.base.standing_corrections(self._case_ids)

    @per_instance
    def rejected_links(self) -> frozenset[str]:
        return frozenset(c.subject_id for c in self.standing.values() if c.kind == CorrectionKind.REJECT_LINK)

    @per_instance
    def rejected_evidence(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for c in self.standing.values():
            if c.kind == CorrectionKind.REJECT_EVIDENCE and c.relationship_id:
                found.setdefault(c.relationship_id, set()).add(c.subject_id)
        return found

    @per_instance
    def added_entities(self) -> dict[str, tuple[Entity, Correction]]:
        found = {}
        for c in self.standing.values():
            if c.kind == CorrectionKind.ADD_ENTITY and c.entity_type is not None and c.label:
                entity = Entity(id=c.subject_id, type=c.entity_type, label=c.label,
                                properties={"asserted_by": c.by.removeprefix("user:"), "asserted_at": c.at})  # fmt: skip
                found[c.subject_id] = (entity, c)
        return found

    @per_instance
    def added_links(self) -> dict[str, tuple[EdgeRow, Correction]]:
        found = {}
        for c in self.standing.values():
            if c.kind == CorrectionKind.ADD_LINK and c.relationship_type and c.source_id and c.target_id:
                if c.subject_id in self.rejected_links:
                    continue
                edge = EdgeRow(id=c.subject_id, type=c.relationship_type, source_id=c.source_id, target_id=c.target_id, date=c.date,
                               confidence=1.0, properties={**c.properties, "asserted_by": c.by.removeprefix("user:")},
                               evidence_count=1)  # fmt: skip
                found[c.subject_id] = (edge, c)
        return found

    def _corrected(self, edges: Iterable[EdgeRow]) -> list[EdgeRow]:
        out = []
        for edge in edges:
            if edge.id in self.rejected_links:
                continue
            dropped = self.rejected_evidence.get(edge.id)
            if dropped:
                kept = [e for e in self.base.evidence([edge.id]).get(edge.id, []) if e.id not in dropped]
                if not kept:
                    continue
                edge = edge.model_copy(update={"evidence_count": len(kept), "confidence": max(e.confidence for e in kept)})
            out.append(edge)
        return out

    def _added(self, filters: GraphFilter, touching: set[str] | None = None, among: set[str] | None = None) -> list[EdgeRow]:
        out = []
        for edge, c in self.added_links.values():
            if filters.relationship_types is not None and edge.type not in filters.relationship_types:
                continue
            if filters.case_id is not None and filters.case_id != c.case_id:
                continue
            if filters.compartment is not None and c.case_id not in filters.compartment:
                continue
            if edge.date and ((filters.date_from and edge.date < filters.date_from) or
                              (filters.date_to_inclusive and edge.date > filters.date_to_inclusive)):  # fmt: skip
                continue
            ends = {edge.source_id, edge.target_id}
            if touching is not None and not ends & touching:
                continue
            if among is not None and not ends <= among:
                continue
            if self.entity_types(ends).keys() == ends:  # both ends still visible here
                out.append(edge)
        return out

    # ------------------------------------------------------------------ graph primitives

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        ids = set(ids)
        found = self.base.entities(ids - self.added_entities.keys())
        found.update({i: self.added_entities[i][0] for i in ids & self.added_entities.keys()})
        return found

    def entity_types(self, ids: Iterable[str]) -> dict[str, str]:
        ids = set(ids)
        found = self.base.entity_types(ids - self.added_entities.keys())
        found.update({i: str(self.added_entities[i][0].type) for i in ids & self.added_entities.keys()})
        return found

    def entity_versions(self, ids: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
        return self.base.entity_versions(ids)

    def incident_edges(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        ids = set(node_ids)
        return self._corrected(self.base.incident_edges(ids, filters)) + self._added(filters, touching=ids)

    def edges_among(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        ids = set(node_ids)
        return self._corrected(self.base.edges_among(ids, filters)) + self._added(filters, among=ids)

    def records_among(self, node_ids: Iterable[str], filters: GraphFilter) -> tuple[dict[str, Entity], list[EdgeRow]]:
        ids = set(node_ids)
        found, edges = self.base.records_among(ids, filters)
        found.update({i: self.added_entities[i][0] for i in ids & self.added_entities.keys()})
        return found, self._corrected(edges) + self._added(filters, among=ids)

    def all_edges(self, filters: GraphFilter) -> list[EdgeRow]:
        return self._corrected(self.base.all_edges(filters)) + self._added(filters)

    def neighbour_pairs(self, node_ids: Iterable[str], filters: GraphFilter) -> list[tuple[str, str]]:
        if self.rejected_links or self.rejected_evidence:  # the pairs alone do not say which link they are
            return super().neighbour_pairs(node_ids, filters)
        ids = set(node_ids)
        return self.base.neighbour_pairs(ids, filters) + [(e.source_id, e.target_id) for e in self._added(filters, touching=ids)]

    def relationship_keys(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        ids = set(ids)
        keys = {i: k for i, k in self.base.relationship_keys(ids - self.added_links.keys()).items() if i not in self.rejected_links}
        keys.update({i: (str(e.type), e.source_id, e.target_id) for i, (e, _) in self.added_links.items() if i in ids})
        return keys

    def evidence(self, relationship_ids: Iterable[str]) -> dict[str, list[StoredEvidence]]:
        ids = list(relationship_ids)
        found = self.base.evidence([i for i in ids if i not in self.added_links and i not in self.rejected_links])
        result: dict[str, list[StoredEvidence]] = {}
        for i in ids:
            if i in self.added_links:
                result[i] = [assertion_evidence(self.added_links[i][1])]
            else:
                dropped = self.rejected_evidence.get(i, set())
                result[i] = [e for e in found.get(i, []) if e.id not in dropped]
        return result

    def case_entity_ids(self, case_id: str) -> set[str]:
        ids = self.base.case_entity_ids(case_id)
        ids |= {i for i, (_, c) in self.added_entities.items() if c.case_id == case_id}
        return ids

    def all_entity_ids(self) -> set[str]:
        return self.base.all_entity_ids() | set(self.added_entities)

    def all_document_ids(self) -> set[str]:
        return self.base.all_document_ids()

    def case_document_ids(self, case_ids: Iterable[str]) -> set[str]:
        return self.base.case_document_ids(case_ids)

    def mention_count(self, document_ids: Iterable[str]) -> int:
        return self.base.mention_count(document_ids)

    def cases(self) -> list[Case]:
        return self.base.cases()

    def get_entity(self, entity_id: str, mention_limit: int = 1000, relationship_limit: int = 1000) -> EntityDetail:
        if entity_id in self.added_entities:
            entity = self.added_entities[entity_id][0]
            mentions = []
        else:
            detail = self.base.get_entity(entity_id, mention_limit=mention_limit, relationship_limit=0)
            entity, mentions = detail.entity, detail.mentions
        edges = self.incident_edges([entity_id], GraphFilter())[:relationship_limit]
        return EntityDetail(entity=entity, mentions=mentions, relationships=self.relationship_views(edges))

    def get_document(self, document_id: str) -> Document:
        return self.base.get_document(document_id)

    def document_mentions(self, document_id: str, limit: int = 10_000) -> list[Mention]:
        return self.base.document_mentions(document_id, limit=limit)

    def document_cases(self, document_ids: Iterable[str]) -> dict[str, set[str]]:
        return self.base.document_cases(document_ids)

    def search(self, query: str, limit: int = 20, entity_ids: Iterable[str] | None = None,
               document_ids: Iterable[str] | None = None) -> list[SearchHit]:  # fmt: skip
        hits = self.base.search(query, limit=limit, entity_ids=entity_ids, document_ids=document_ids)
        words = fold(query).split()
        wanted = None if entity_ids is None else set(entity_ids)
        for entity, _ in self.added_entities.values():
            if words and all(w in fold(entity.label) for w in words) and (wanted is None or entity.id in wanted):
                hits.insert(0, SearchHit(kind="entity", id=entity.id, label=entity.label, type=str(entity.type), score=1.0))
        return hits

    def counts(self) -> dict[str, Any]:
        # Counting from the views reads every relationship: only worth it when something changed.
        return self.counts_from_views() if self.standing else self.base.counts()

    # ------------------------------------------------------------------ the rest: the store underneath

    def judgements(self, entity_id: str | None = None) -> list[Judgement]:
        return self.base.judgements(entity_id)

    def judgements_by_id(self, ids: Iterable[str]) -> dict[str, Judgement]:
        return self.base.judgements_by_id(ids)

    def _insert_judgements(self, judgements: Sequence[Judgement]) -> None:
        self.base._insert_judgements(judgements)

    def marks(self, entity_ids: Iterable[str] | None = None) -> list[EntityMark]:
        return self.base.marks(entity_ids)

    def _insert_mark(self, mark: EntityMark) -> None:
        self.base._insert_mark(mark)

    def corrections(self, case_ids: Iterable[str] | None = None) -> list[Correction]:
        if self._case_ids is not None:
            case_ids = self._case_ids if case_ids is None else self._case_ids & set(case_ids)
        return self.base.corrections(case_ids)

    def _insert_correction(self, correction: Correction) -> None:
        self.base._insert_correction(correction)
        self.__dict__.pop("standing", None)
        for derived in ("rejected_links", "rejected_evidence", "added_entities", "added_links"):
            self.__dict__.pop(derived, None)

    def write(self, batch: Batch) -> WriteSummary:
        return self.base.write(batch)

    def batch_writer(self) -> BatchWriter:
        return self.base.batch_writer()

    def replace_reading(self, batch: Batch, at: str, reason: str) -> ReadingChange:
        return self.base.replace_reading(batch, at, reason)

    def retired(self, document_id: str) -> list[RetiredRecord]:
        return self.base.retired(document_id)

    def clear(self) -> None:
        self.base.clear()

    def ping(self) -> None:
        self.base.ping()

    def generation(self) -> str:
        return self.base.generation()

    def close(self) -> None:
        """The store underneath belongs to whoever opened it."""


__all__ = ["CorrectedStore", "assertion_evidence"]
