"""What every store shares, written once on top of the interface's primitives: judgements
and marks (append-only, validated the same way), the content digest, relationship views."""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections import Counter
from typing import Any, Callable, Generic, Hashable, Iterable, Sequence, TypeVar, overload

from pydantic import BaseModel

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import (
    ELEMENT_CORRECTIONS,
    ENDPOINTS,
    Correction,
    CorrectionKind,
    EdgeRow,
    Entity,
    EntityMark,
    EntityType,
    GraphFilter,
    Judgement,
    RelationshipView,
)
from backend.domain.text import fold
from backend.store.batch_writer import BatchWriter, WritesInTurn
from backend.store.interface import GraphStore

_Value = TypeVar("_Value")


class per_instance(Generic[_Value]):  # noqa: N801 (used as a decorator, like the property it replaces)
    """functools.cached_property without its lock. On Python 3.11 that lock is one for every
    instance of the class, so one request's view reading its corrections from Neo4j held up every
    other request's view in the process (Python 3.12 dropped the lock). A view belongs to one
    request; two threads computing the same value at once would both store the same answer."""

    def __init__(self, compute: Callable[[Any], _Value]):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> per_instance[_Value]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _Value: ...
    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


class KeptPerGeneration:
    """Values worked out from a store, kept against its generation: a request reuses one until a
    write commits anywhere, from this process or another (every write gives the store a new
    generation). One per process and kind of value, shared by its threads; per store, the oldest
    key is dropped beyond `limit`."""

    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._kept: weakref.WeakKeyDictionary[GraphStore, dict[Hashable, tuple[str, Any]]] = weakref.WeakKeyDictionary()

    def get(self, store: GraphStore, key: Hashable, generation: str, work_out: Callable[[], _Value]) -> _Value:
        """The value kept for `key` at `generation`, else `work_out()`, kept. Read `generation`
        before anything `work_out` reads: a write committing in between then leaves a newer value
        kept against the older generation, which no later request asks for."""
        shared = store.shared()
        with self._lock:
            found = self._kept.get(shared, {}).get(key)
        if found is not None and found[0] == generation:
            return found[1]
        value = work_out()
        with self._lock:
            kept = self._kept.setdefault(shared, {})
            kept.pop(key, None)
            while len(kept) >= self.limit:
                kept.pop(next(iter(kept)))
            kept[key] = (generation, value)
        return value


# All judgements, and the corrections of each set of cases, as a store's records (before any
# compartment): read on every request that shows the resolved or the corrected graph.
KEPT_RECORDS = KeptPerGeneration(limit=64)


def kept_records(store: GraphStore, key: Hashable, read: Callable[[], tuple[_Value, ...]]) -> list[_Value]:
    """`read()`'s records as KEPT_RECORDS holds them for the store's generation: a list of the
    caller's own."""
    return list(KEPT_RECORDS.get(store, key, store.generation(), read))


def standing_marks(marks: Iterable[EntityMark], kind: str) -> set[str]:
    """The entities whose latest of these marks of this kind sets it (marks oldest first)."""
    latest: dict[str, EntityMark] = {}
    for mark in marks:
        if mark.mark == kind:
            latest[mark.entity_id] = mark
    return {entity_id for entity_id, mark in latest.items() if mark.value}


def _check_judgement(judgement: Judgement, types: dict[str, str], stored: dict[str, Judgement], given: dict[str, Judgement]) -> None:
    """InvalidRecordError unless both entities exist and are of one type, the id is new, and a
    judgement it retracts (stored, or given before it) is about the same pair."""
    for entity_id in (judgement.left_id, judgement.right_id):
        if entity_id not in types:
            raise InvalidRecordError("judgement", judgement.id, f"entity {entity_id!r} does not exist")
    if types[judgement.left_id] != types[judgement.right_id]:
        raise InvalidRecordError(
            "judgement", judgement.id, f"a {types[judgement.left_id]} and a {types[judgement.right_id]} cannot be the same thing"
        )
    if judgement.id in stored:
        raise InvalidRecordError("judgement", judgement.id, "already recorded; judgements are never rewritten")
    if judgement.id in given:
        raise InvalidRecordError("judgement", judgement.id, "given twice")
    if judgement.retracts is not None:
        earlier = stored.get(judgement.retracts) or given.get(judgement.retracts)
        if earlier is None:
            raise InvalidRecordError("judgement", judgement.id, f"retracts {judgement.retracts!r}, which does not exist")
        if {earlier.left_id, earlier.right_id} != {judgement.left_id, judgement.right_id}:
            raise InvalidRecordError("judgement", judgement.id, "retracts a judgement about another pair")


class StoreBase(GraphStore):
    """The interface's shared methods; SQLite, Neo4j and the case compartment extend it."""

    def batch_writer(self) -> BatchWriter:
        return WritesInTurn(self)

    def reads_together(self) -> tuple[GraphStore, Callable[[], None] | None]:
        return self, None

    def shared(self) -> GraphStore:
        return self

    def neighbour_pairs(self, node_ids: Iterable[str], filters: GraphFilter) -> list[tuple[str, str]]:
        """(source, target) of the relationships incident_edges would return, nothing more:
        what path search needs. Stores may answer it more cheaply."""
        return [(e.source_id, e.target_id) for e in self.incident_edges(node_ids, filters)]

    def records_among(self, node_ids: Iterable[str], filters: GraphFilter) -> tuple[dict[str, Entity], list[EdgeRow]]:
        ids = set(node_ids)
        return self.entities(ids), self.edges_among(ids, filters)

    def entity_types(self, ids: Iterable[str]) -> dict[str, str]:
        return {i: str(e.type) for i, e in self.entities(ids).items()}

    def add_judgement(self, judgement: Judgement) -> Judgement:
        """Record a judgement. Append-only: an id is written once; an entity pair's standing
        decision is its latest judgement, so undoing is recording another one."""
        return self.add_judgements([judgement])[0]

    def add_judgements(self, judgements: Sequence[Judgement]) -> list[Judgement]:
        """Record several judgements, each checked as add_judgement checks one, with two reads
        and one write for all of them: all or none."""
        judgements = list(judgements)
        if not judgements:
            return []
        types = self.entity_types({entity_id for j in judgements for entity_id in (j.left_id, j.right_id)})
        stored = self.judgements_by_id({j.id for j in judgements} | {j.retracts for j in judgements if j.retracts is not None})
        given: dict[str, Judgement] = {}
        for judgement in judgements:
            _check_judgement(judgement, types, stored, given)
            given[judgement.id] = judgement
        self._insert_judgements(judgements)
        return judgements

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
        return standing_marks(self.marks(entity_ids), kind)

    def record_case(self, case: str | None, kind: str = "correction", entity_ids: Iterable[str] = ()) -> str | None:
        """The case a judgement, mark or correction is recorded in: the one named (by its id or
        its name), else the only case there is, else the only case where all of `entity_ids` are
        seen; otherwise the caller must say. None while the store holds no case at all (the
        record then acts on every case)."""
        cases = self.cases()
        if case:
            wanted = fold(case.strip())
            for found in cases:
                if found.id == case.strip() or fold(found.name) == wanted or found.id == "case:" + wanted.replace(" ", "-"):
                    return found.id
            raise NotFoundError("case", case)
        if len(cases) <= 1:
            return cases[0].id if cases else None
        wanted_ids = set(entity_ids)
        seen_in = [c.id for c in cases if wanted_ids and wanted_ids <= self.case_entity_ids(c.id)] if wanted_ids else []
        if len(seen_in) == 1:
            return seen_in[0]
        raise InvalidRecordError(kind, None, "name the case it belongs to: " + ", ".join(c.name for c in cases))

    def add_correction(self, correction: Correction) -> Correction:
        """Record an analyst's correction of a case's graph (append-only; an UNDO withdraws one)."""
        if correction.case_id not in {c.id for c in self.cases()}:
            raise NotFoundError("case", correction.case_id)
        if any(c.id == correction.id for c in self.corrections([correction.case_id])):
            raise InvalidRecordError("correction", correction.id, "already recorded; corrections are never rewritten")
        self._check_correction(correction)
        self._insert_correction(correction)
        return correction

    def _check_correction(self, correction: Correction) -> None:
        kind, subject = correction.kind, correction.subject_id
        if kind == CorrectionKind.UNDO:
            standing = self.standing_corrections([correction.case_id])
            if correction.retracts not in standing:
                raise InvalidRecordError("correction", correction.id, f"{correction.retracts!r} is not a standing correction of this case")
        elif kind == CorrectionKind.REJECT_LINK and subject not in self.relationship_keys([subject]):
            raise NotFoundError("relationship", subject)
        elif kind == CorrectionKind.REJECT_EVIDENCE:
            found = self.evidence([correction.relationship_id or ""]).get(correction.relationship_id or "", [])
            if not any(e.id == subject for e in found):
                raise NotFoundError("evidence", subject)
        elif kind == CorrectionKind.ANNOTATE:
            if subject not in self.entity_types([subject]) and subject not in self.relationship_keys([subject]):
                raise NotFoundError("entity or relationship", subject)
        elif kind in ELEMENT_CORRECTIONS and self.entity_types([subject]).get(subject) != EntityType.PERSON:
            raise NotFoundError("person", subject)
        elif kind == CorrectionKind.ADD_ENTITY and self.entity_types([subject]):
            raise InvalidRecordError("correction", correction.id, f"entity {subject!r} already exists")
        elif kind == CorrectionKind.ADD_LINK and correction.relationship_type is not None:
            types = self.entity_types([correction.source_id or "", correction.target_id or ""])
            for end in (correction.source_id, correction.target_id):
                if end not in types:
                    raise NotFoundError("entity", end or "")
            sources, targets = ENDPOINTS[correction.relationship_type]
            if types[correction.source_id or ""] not in sources or types[correction.target_id or ""] not in targets:
                raise InvalidRecordError("correction", correction.id,
                                         f"a {correction.relationship_type} link cannot join a {types[correction.source_id or '']} "
                                         f"and a {types[correction.target_id or '']}")  # fmt: skip

    def standing_corrections(self, case_ids: Iterable[str] | None = None) -> dict[str, Correction]:
        """The corrections that hold (no later UNDO withdrew them), by id, oldest first."""
        found = self.corrections(case_ids)
        withdrawn = {c.retracts for c in found if c.kind == CorrectionKind.UNDO}
        return {c.id: c for c in found if c.kind != CorrectionKind.UNDO and c.id not in withdrawn}

    def counts_from_views(self) -> dict[str, Any]:
        """The counts as this store's views answer them (a compartment, a corrected graph), not
        as the tables underneath hold them."""
        edges = self.all_edges(GraphFilter())
        documents = self.all_document_ids()
        return {
            "cases": len(self.cases()),
            "documents": len(documents),
            "mentions": self.mention_count(documents) if documents else 0,
            "evidence": sum(e.evidence_count for e in edges),
            "entities": dict(sorted(Counter(self.entity_types(self.all_entity_ids()).values()).items())),
            "relationships": dict(sorted(Counter(str(e.type) for e in edges).items())),
        }

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
        add("correction", self.corrections(), set() if stamps else {"id", "at", "retracts"})
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
