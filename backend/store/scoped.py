"""Case compartments: the store as one user may see it.

A ScopedStore wraps a store and answers the same interface, limited to a Scope: the documents
of the user's cases, the entities those documents mention or tie by evidence, and the
relationships with evidence in those documents — with only that evidence, and with counts and
confidences figured from it alone. Everything above the store (views, paths, resolution,
analyses, reports, exports) reads through it, so no route has a filter of its own to forget.
An entity outside the scope does not exist for the user: asking for it by id is a 404, as for
an id never stored.

Liaisons see less: only entities an analyst marked `shareable`, and no document text — their
mentions and evidence keep the citation (document, page, row, offsets) with the words withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from backend.domain.access import policy
from backend.domain.errors import NotFoundError
from backend.domain.model import (
    ELEMENT_CORRECTIONS,
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
from backend.domain.text import own_score, search_terms
from backend.store.common import KeptPerGeneration, StoreBase, per_instance, standing_marks
from backend.store.interface import GraphStore

WITHHELD = "[withheld: the source document is not shared]"
# A compartment's search reads this many hits of each kind before ranking them itself.
SEARCH_READ = 200
# get_entity keeps at most this many mentions before leaving out other cases' ones.
MENTIONS_READ = 100_000
# Visible sets kept per store, the oldest dropped beyond this many (scope, part) entries.
KEPT_VISIBLE_SETS = 256


@dataclass(frozen=True)
class Scope:
    """What one user may see: their cases, and for liaisons only what is marked shareable."""

    cases: frozenset[str]
    shareable_only: bool = False

    @classmethod
    def of(cls, role: str, cases: Iterable[str]) -> "Scope | None":
        """The scope of a user with this role and these cases; None (everything) for admins."""
        rules = policy(role)
        if rules.every_case:
            return None
        return cls(cases=frozenset(cases), shareable_only=rules.shareable_only)


def as_seen_in(entity: Entity, versions: dict[str, dict[str, Any]]) -> Entity:
    """The entity as the documents of these cases gave it: the name of the first case (by id),
    the aliases of all, the attributes merged in case order. Unchanged without versions."""
    if not versions:
        return entity
    ordered = [versions[c] for c in sorted(versions)]
    properties: dict[str, Any] = {}
    for version in ordered:
        properties.update(version.get("properties", {}))
    label = ordered[0].get("label") or entity.label
    aliases = sorted({a for v in ordered for a in (*v.get("aliases", []), v.get("label")) if a and a != label})
    return entity.model_copy(update={"label": label, "aliases": tuple(aliases), "properties": properties})


# Each scope's visible documents and entities: a user's set takes a scan of their cases.
VISIBLE_SETS = KeptPerGeneration(KEPT_VISIBLE_SETS)


class ScopeWriteRefused(RuntimeError):
    """A batch write or a reset through a compartment: ingest writes to the store itself."""


class ScopedStore(StoreBase):
    def __init__(self, base: GraphStore, scope: Scope):
        self.base = base
        self.scope = scope
        self.kind = base.kind

    # ------------------------------------------------------------------ what is visible
    # Read once per ScopedStore (the API makes one per request), from VISIBLE_SETS while no
    # write has committed since they were worked out.

    @per_instance
    def _generation(self) -> str:
        return self.base.generation()

    @per_instance
    def visible_documents(self) -> frozenset[str]:
        return VISIBLE_SETS.get(self.base, (self.scope, "documents"), self._generation, self._documents_in_scope)

    @per_instance
    def visible_entities(self) -> frozenset[str]:
        return VISIBLE_SETS.get(self.base, (self.scope, "entities"), self._generation, self._entities_in_scope)

    def _documents_in_scope(self) -> frozenset[str]:
        return frozenset(self.base.case_document_ids(self.scope.cases)) if self.scope.cases else frozenset()

    def _entities_in_scope(self) -> frozenset[str]:
        ids: set[str] = set()
        for case_id in sorted(self.scope.cases):
            ids |= self.base.case_entity_ids(case_id)
        if self.scope.shareable_only and ids:
            ids &= standing_marks([m for m in self.base.marks(ids) if self._in_scope(m.case_id)], "shareable")
        return frozenset(ids)

    def _in_scope(self, case_id: str | None) -> bool:
        # A record without a case was made for every case (the resolver's rules, older records).
        return case_id is None or case_id in self.scope.cases

    def _visible(self, ids: Iterable[str]) -> set[str]:
        return set(ids) & self.visible_entities

    def _filters(self, filters: GraphFilter) -> GraphFilter:
        cases = self.scope.cases if filters.compartment is None else self.scope.cases & filters.compartment
        if filters.case_id is not None and filters.case_id not in cases:
            # Another case's filter would show which visible relationships it also evidences.
            cases = frozenset()
        return filters.model_copy(update={"compartment": frozenset(cases)})

    def _edges(self, edges: list[EdgeRow], filters: GraphFilter) -> list[EdgeRow]:
        # The store's confidence filter saw the confidence over every case; the relationship's
        # confidence here is that of the visible evidence alone, which may be lower.
        seen = self.visible_entities
        return [e for e in edges if e.source_id in seen and e.target_id in seen and (e.confidence or 0.0) >= filters.min_confidence]

    def _redacted(self, record):
        return record.model_copy(update={"sentence": "", "document_title": ""}) if self.scope.shareable_only else record

    # ------------------------------------------------------------------ graph primitives

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        found = self.base.entities(self._visible(ids))
        versions = self.entity_versions(found) if found else {}
        return {i: as_seen_in(e, versions.get(i, {})) for i, e in found.items()}

    def entity_versions(self, ids: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
        found = self.base.entity_versions(self._visible(ids))
        return {i: {c: v for c, v in by_case.items() if c in self.scope.cases} for i, by_case in found.items()}

    def entity_types(self, ids: Iterable[str]) -> dict[str, str]:
        return self.base.entity_types(self._visible(ids))

    def incident_edges(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        ids = self._visible(node_ids)
        return self._edges(self.base.incident_edges(ids, self._filters(filters)), filters) if ids else []

    def edges_among(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        ids = self._visible(node_ids)
        return self._edges(self.base.edges_among(ids, self._filters(filters)), filters) if ids else []

    def records_among(self, node_ids: Iterable[str], filters: GraphFilter) -> tuple[dict[str, Entity], list[EdgeRow]]:
        ids = self._visible(node_ids)
        if not ids:
            return {}, []
        found, edges = self.base.records_among(ids, self._filters(filters))
        versions = self.entity_versions(found) if found else {}
        return {i: as_seen_in(e, versions.get(i, {})) for i, e in found.items()}, self._edges(edges, filters)

    def all_edges(self, filters: GraphFilter) -> list[EdgeRow]:
        return self._edges(self.base.all_edges(self._filters(filters)), filters) if self.scope.cases else []

    def neighbour_pairs(self, node_ids: Iterable[str], filters: GraphFilter) -> list[tuple[str, str]]:
        if filters.min_confidence > 0:  # needs each relationship's confidence as the scope sees it
            return super().neighbour_pairs(node_ids, filters)
        ids = self._visible(node_ids)
        if not ids:
            return []
        seen = self.visible_entities
        return [(s, t) for s, t in self.base.neighbour_pairs(ids, self._filters(filters)) if s in seen and t in seen]

    def relationship_keys(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        ids = set(ids)
        if not ids:
            return {}
        seen = self.visible_entities
        keys = {i: k for i, k in self.base.relationship_keys(ids).items() if k[1] in seen and k[2] in seen}
        cited = self.base.evidence(keys)
        return {i: k for i, k in keys.items() if any(e.document_id in self.visible_documents for e in cited.get(i, ()))}

    def evidence(self, relationship_ids: Iterable[str]) -> dict[str, list[StoredEvidence]]:
        ids = list(relationship_ids)
        seen = self.visible_entities
        ends = self.base.relationship_keys(ids)
        shown = {i for i, k in ends.items() if k[1] in seen and k[2] in seen}
        found = self.base.evidence(sorted(shown))
        result: dict[str, list[StoredEvidence]] = {i: [] for i in ids}
        for relationship_id, records in found.items():
            result[relationship_id] = [self._redacted_evidence(e) for e in records if e.document_id in self.visible_documents]
        return result

    def _redacted_evidence(self, evidence: StoredEvidence) -> StoredEvidence:
        return evidence.model_copy(update={"text": WITHHELD, "document_title": ""}) if self.scope.shareable_only else evidence

    def case_entity_ids(self, case_id: str) -> set[str]:
        return self.base.case_entity_ids(case_id) & self.visible_entities if case_id in self.scope.cases else set()

    def all_entity_ids(self) -> set[str]:
        return set(self.visible_entities)

    def all_document_ids(self) -> set[str]:
        return set() if self.scope.shareable_only else set(self.visible_documents)

    def case_document_ids(self, case_ids: Iterable[str]) -> set[str]:
        wanted = set(case_ids) & self.scope.cases
        return self.base.case_document_ids(wanted) & self.all_document_ids() if wanted else set()

    def mention_count(self, document_ids: Iterable[str]) -> int:
        return self.base.mention_count(set(document_ids) & self.all_document_ids())

    def cases(self) -> list[Case]:
        return [c for c in self.base.cases() if c.id in self.scope.cases]

    # ------------------------------------------------------------------ records

    def get_entity(self, entity_id: str, mention_limit: int = 1000, relationship_limit: int = 1000) -> EntityDetail:
        if entity_id not in self.visible_entities:
            raise NotFoundError("entity", entity_id)
        detail = self.base.get_entity(entity_id, mention_limit=MENTIONS_READ, relationship_limit=0)
        mentions = [self._redacted(m) for m in detail.mentions if m.document_id in self.visible_documents][:mention_limit]
        edges = self.incident_edges([entity_id], GraphFilter())[:relationship_limit]
        entity = as_seen_in(detail.entity, self.entity_versions([entity_id]).get(entity_id, {}))
        return EntityDetail(entity=entity, mentions=mentions, relationships=self.relationship_views(edges))

    def _require_document(self, document_id: str) -> None:
        if document_id not in self.all_document_ids():
            raise NotFoundError("document", document_id)

    def get_document(self, document_id: str) -> Document:
        self._require_document(document_id)
        document = self.base.get_document(document_id)
        return document.model_copy(update={"case_ids": tuple(c for c in document.case_ids if c in self.scope.cases)})

    def document_mentions(self, document_id: str, limit: int = 10_000) -> list[Mention]:
        self._require_document(document_id)
        return self.base.document_mentions(document_id, limit=limit)

    def document_cases(self, document_ids: Iterable[str]) -> dict[str, set[str]]:
        wanted = set(document_ids) & self.all_document_ids()
        return {d: cases & self.scope.cases for d, cases in self.base.document_cases(wanted).items()} if wanted else {}

    def judgements(self, entity_id: str | None = None) -> list[Judgement]:
        if entity_id is not None and entity_id not in self.visible_entities:
            return []
        seen = self.visible_entities
        return [j for j in self.base.judgements(entity_id) if j.left_id in seen and j.right_id in seen and self._in_scope(j.case_id)]

    def judgements_by_id(self, ids: Iterable[str]) -> dict[str, Judgement]:
        seen = self.visible_entities
        return {i: j for i, j in self.base.judgements_by_id(ids).items()
                if j.left_id in seen and j.right_id in seen and self._in_scope(j.case_id)}  # fmt: skip

    def _insert_judgements(self, judgements: Sequence[Judgement]) -> None:
        # add_judgements has checked every entity through this scope.
        self.base._insert_judgements(judgements)

    def marks(self, entity_ids: Iterable[str] | None = None) -> list[EntityMark]:
        ids = self.visible_entities if entity_ids is None else self._visible(entity_ids)
        return [m for m in self.base.marks(ids) if self._in_scope(m.case_id)] if ids else []

    def _insert_mark(self, mark: EntityMark) -> None:
        self.base._insert_mark(mark)

    def corrections(self, case_ids: Iterable[str] | None = None) -> list[Correction]:
        """The corrections of the user's cases about what the user sees: one naming an entity out
        of sight (a liaison's unshared ones) would tell of it."""
        wanted = self.scope.cases if case_ids is None else self.scope.cases & set(case_ids)
        found = self.base.corrections(wanted) if wanted else []
        seen = set(self.visible_entities)
        if not self.scope.shareable_only:  # what analysts added is theirs to see
            seen |= {c.subject_id for c in found if c.kind == CorrectionKind.ADD_ENTITY}
        kept = set()
        for c in found:
            named = {i for i in (c.source_id, c.target_id) if i}
            if c.kind in (CorrectionKind.ADD_ENTITY, CorrectionKind.ANNOTATE, *ELEMENT_CORRECTIONS) and not named:
                named = {c.subject_id}
            if c.kind != CorrectionKind.UNDO and named <= seen:
                kept.add(c.id)
        return [c for c in found if c.id in kept or (c.kind == CorrectionKind.UNDO and c.retracts in kept)]

    def _insert_correction(self, correction: Correction) -> None:
        self.base._insert_correction(correction)

    def search(self, query: str, limit: int = 20, entity_ids: Iterable[str] | None = None,
               document_ids: Iterable[str] | None = None) -> list[SearchHit]:  # fmt: skip
        entities = self.visible_entities if entity_ids is None else self._visible(entity_ids)
        documents = self.all_document_ids() if document_ids is None else set(document_ids) & self.all_document_ids()
        # The store ranks with statistics over every case (BM25's document frequencies), so a
        # score would tell what other cases hold: rank again from each hit's own words.
        found = self.base.search(query, limit=SEARCH_READ, entity_ids=entities, document_ids=documents)
        terms = search_terms(query)
        ranked = [h.model_copy(update={"score": own_score(terms, f"{h.label} {h.snippet}")}) for h in found]
        ordered = sorted(ranked, key=lambda h: (h.kind != "entity", -h.score, h.label, h.id))
        return [h for h in ordered if h.kind == "entity"][:limit] + [h for h in ordered if h.kind == "document"][:limit]

    def counts(self) -> dict[str, Any]:
        return self.counts_from_views()

    # ------------------------------------------------------------------ the rest

    def write(self, batch: Batch) -> WriteSummary:
        raise ScopeWriteRefused("batches are written by ingest to the store itself, not through a user's case compartment")

    def replace_reading(self, batch: Batch, at: str, reason: str) -> ReadingChange:
        raise ScopeWriteRefused("documents are read again by ingest in the store itself, not through a user's case compartment")

    def retired(self, document_id: str) -> list[RetiredRecord]:
        self._require_document(document_id)
        return self.base.retired(document_id)

    def clear(self) -> None:
        raise ScopeWriteRefused("a reset empties the store itself, not a user's case compartment")

    def ping(self) -> None:
        self.base.ping()

    def generation(self) -> str:
        return self.base.generation()

    def close(self) -> None:
        """The store underneath belongs to whoever opened it."""


__all__ = ["Scope", "ScopeWriteRefused", "ScopedStore", "WITHHELD"]
