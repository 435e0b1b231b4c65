"""What every store shares, written once on top of the interface's primitives: judgements
and marks (append-only, validated the same way), the content digest, relationship views."""

from __future__ import annotations

import hashlib
import json
from typing import Iterable

from pydantic import BaseModel

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import EdgeRow, Entity, EntityMark, GraphFilter, Judgement, RelationshipView
from backend.store.interface import GraphStore


class StoreBase(GraphStore):
    """The interface's shared methods; SQLite, Neo4j and the case compartment extend it."""

    def neighbour_pairs(self, node_ids: Iterable[str], filters: GraphFilter) -> list[tuple[str, str]]:
        """(source, target) of the relationships incident_edges would return, nothing more:
        what path search needs. Stores may answer it more cheaply."""
        return [(e.source_id, e.target_id) for e in self.incident_edges(node_ids, filters)]

    def entity_types(self, ids: Iterable[str]) -> dict[str, str]:
        return {i: str(e.type) for i, e in self.entities(ids).items()}

    def add_judgement(self, judgement: Judgement) -> Judgement:
        """Record a judgement. Append-only: an id is written once; an entity pair's standing
        decision is its latest judgement, so undoing is recording another one."""
        types = self.entity_types([judgement.left_id, judgement.right_id])
        for entity_id in (judgement.left_id, judgement.right_id):
            if entity_id not in types:
                raise InvalidRecordError("judgement", judgement.id, f"entity {entity_id!r} does not exist")
        if types[judgement.left_id] != types[judgement.right_id]:
            raise InvalidRecordError(
                "judgement", judgement.id, f"a {types[judgement.left_id]} and a {types[judgement.right_id]} cannot be the same thing"
            )
        if self.judgements_by_id([judgement.id]):
            raise InvalidRecordError("judgement", judgement.id, "already recorded; judgements are never rewritten")
        if judgement.retracts is not None:
            earlier = self.judgements_by_id([judgement.retracts]).get(judgement.retracts)
            if earlier is None:
                raise InvalidRecordError("judgement", judgement.id, f"retracts {judgement.retracts!r}, which does not exist")
            if {earlier.left_id, earlier.right_id} != {judgement.left_id, judgement.right_id}:
                raise InvalidRecordError("judgement", judgement.id, "retracts a judgement about another pair")
        self._insert_judgement(judgement)
        return judgement

    def standing_judgements(self, entity_id: str | None = None) -> dict[frozenset[str], Judgement]:
        """The decision that holds for each judged pair: its latest judgement."""
        standing: dict[frozenset[str], Judgement] = {}
        for judgement in self.judgements(entity_id):
            standing[frozenset((judgement.left_id, judgement.right_id))] = judgement
        return standing

    def add_mark(self, mark: EntityMark) -> EntityMark:
        """Record an analyst's mark on an entity (append-only; the latest per entity and kind stands)."""
        if mark.entity_id not in self.entity_types([mark.entity_id]):
            raise InvalidRecordError("mark", mark.id, f"entity {mark.entity_id!r} does not exist")
        if any(m.id == mark.id for m in self.marks([mark.entity_id])):
            raise InvalidRecordError("mark", mark.id, "already recorded; marks are never rewritten")
        self._insert_mark(mark)
        return mark

    def standing_marks(self, kind: str, entity_ids: Iterable[str] | None = None) -> set[str]:
        """The entities whose latest mark of this kind sets it."""
        latest: dict[str, EntityMark] = {}
        for mark in self.marks(entity_ids):
            if mark.mark == kind:
                latest[mark.entity_id] = mark
        return {entity_id for entity_id, mark in latest.items() if mark.value}

    def content_digest(self, stamps: bool = True) -> str:
        """SHA-256 of everything stored (cases, documents and their text and cases, mentions,
        entities, relationships, evidence, judgements, marks), in a canonical order: two stores
        holding the same records give the same digest, whatever order they were written in.
        `stamps=False` leaves out the ids and times of judgements and marks, which two runs of the
        same job cannot share (a retraction then names what it retracts by content)."""
        digest = hashlib.sha256()
        judgements = self.judgements()
        if not stamps:
            content = {j.id: [j.left_id, j.right_id, j.decision, j.by] for j in judgements}
            judgements = [j.model_copy(update={"id": "-", "at": "-", "retracts": json.dumps(content.get(j.retracts)) if j.retracts else None})
                          for j in judgements]  # fmt: skip

        def add(kind: str, records: Iterable[BaseModel], leave_out: set[str] | None = None) -> None:
            rows = sorted(json.dumps(r.model_dump(mode="json", exclude=leave_out), sort_keys=True, ensure_ascii=False) for r in records)
            digest.update(json.dumps([kind, len(rows)]).encode())
            for row in rows:
                digest.update(row.encode())
                digest.update(b"\n")

        add("case", self.cases())
        document_ids = sorted(self.all_document_ids())
        add("document", [self.get_document(d) for d in document_ids])  # with its case ids, sorted
        add("mention", [m for d in document_ids for m in self.document_mentions(d, limit=10_000_000)])
        entities = self.entities(sorted(self.all_entity_ids()))
        add("entity", entities.values())
        edges = self.all_edges(GraphFilter())
        add("relationship", edges)
        add("evidence", [e for found in self.evidence(sorted(e.id for e in edges)).values() for e in found])
        add("judgement", judgements)
        add("mark", self.marks(), set() if stamps else {"id", "at"})
        add("retired", [r for d in document_ids for r in self.retired(d)], set() if stamps else {"retired_at"})
        return digest.hexdigest()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _require_entity(self, entity_id: str) -> Entity:
        found = self.entities([entity_id]).get(entity_id)
        if found is None:
            raise NotFoundError("entity", entity_id)
        return found

    def relationship_views(self, edges: Iterable[EdgeRow]) -> list[RelationshipView]:
        edges = list(edges)
        evidence = self.evidence([e.id for e in edges])
        return [RelationshipView(**e.model_dump(), evidence=tuple(evidence.get(e.id, ()))) for e in edges]
