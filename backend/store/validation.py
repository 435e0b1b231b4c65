"""Batch validation and row shaping, the same for every store.

A batch is checked against itself and against what the store already holds (read inside
the write transaction through a StoreLookup); the first bad record raises
InvalidRecordError, the caller rolls back, and a refused batch changes nothing.
"""

from __future__ import annotations

import dataclasses
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Iterable

from backend.domain.errors import InvalidRecordError
from backend.domain.model import ENDPOINTS, Batch, Case, Document, Entity, Mention, Relationship, WriteSummary
from backend.domain.text import fold, number_suffixes
from backend.domain.vocabulary import EntityType
from backend.store.rows import to_json


@dataclass
class KnownDocument:
    length: int
    text: str | None = None  # loaded only when a mention needs its words checked


@dataclass
class PreparedBatch:
    """Rows ready to write, shaped the same for every store."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    # Records already stored (the rest are new): lets a store create rather than merge.
    existing_relationship_ids: set[str] = field(default_factory=set)
    existing_document_ids: set[str] = field(default_factory=set)
    existing_entity_ids: set[str] = field(default_factory=set)

    def summary(self) -> WriteSummary:
        return WriteSummary(
            cases=len(self.cases),
            documents=len(self.documents),
            mentions=len(self.mentions),
            entities=len(self.entities),
            relationships=len(self.relationships),
            evidence=len(self.evidence),
        )


@dataclass
class BatchReferences:
    """Ids a batch refers to that it does not itself define: the store must know them."""

    document_ids: set[str]
    entity_ids: set[str]
    relationship_ids: set[str]
    case_ids: set[str]


@dataclass(frozen=True)
class LookupIds:
    """Every id one batch's checks will look up, known before the first lookup."""

    case_ids: frozenset[str]
    document_ids: frozenset[str]
    with_text: bool
    entity_ids: frozenset[str]
    relationship_ids: frozenset[str]


class StoreLookup(ABC):
    """What validation needs to read inside the write transaction."""

    def read_ahead(self, wanted: LookupIds) -> None:
        """Read at once all that the checks will ask for, where each read is a round trip to a
        server; the methods below then answer from it. Called before the batch is shaped, so a
        store that can may send the read and collect its answer when a method first needs it,
        the server reading while the rows are shaped. Nothing to do by default."""

    @abstractmethod
    def documents(self, ids: Iterable[str], with_text: bool) -> dict[str, KnownDocument]: ...

    @abstractmethod
    def entity_types(self, ids: Iterable[str]) -> dict[str, str]: ...

    @abstractmethod
    def relationship_keys(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]: ...

    @abstractmethod
    def case_ids(self, ids: Iterable[str]) -> set[str]: ...

    @abstractmethod
    def entity_versions(self, ids: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
        """Each stored entity's name and attributes as each case's documents gave them."""


def _dedupe(records, kind: str) -> list:
    """One record per id, the last one given winning, as a second write of it would."""
    by_id: dict[str, Any] = {}
    for record in records:
        previous = by_id.get(record.id)
        if kind == "entity" and previous is not None and previous.type != record.type:
            raise InvalidRecordError(kind, record.id, f"given twice in one batch as {previous.type} and {record.type}")
        by_id[record.id] = record
    return list(by_id.values())


def batch_references(batch: Batch) -> BatchReferences:
    documents = {d.id for d in batch.documents}
    entities = {e.id for e in batch.entities}
    cases = {c.id for c in batch.cases}
    doc_refs = {m.document_id for m in batch.mentions} | {ev.document_id for r in batch.relationships for ev in r.evidence}
    entity_refs = {m.entity_id for m in batch.mentions if m.entity_id} | {
        end for r in batch.relationships for end in (r.source_id, r.target_id)
    }
    case_refs = {c for d in batch.documents for c in d.case_ids}
    return BatchReferences(
        document_ids=doc_refs - documents,
        entity_ids=entity_refs - entities,
        relationship_ids={r.id for r in batch.relationships},
        case_ids=case_refs - cases,
    )


def _lookup_ids(batch: Batch, refs: BatchReferences) -> LookupIds:
    """What checking the batch will look up in the store, so a store can read it all at once."""
    document_ids = {d.id for d in batch.documents}
    return LookupIds(
        case_ids=frozenset(refs.case_ids), document_ids=frozenset(refs.document_ids | document_ids),
        with_text=any(m.document_id not in document_ids for m in batch.mentions),
        entity_ids=frozenset(refs.entity_ids | {e.id for e in batch.entities}), relationship_ids=frozenset(refs.relationship_ids),
    )  # fmt: skip


@dataclass
class ShapedBatch:
    """A batch deduplicated and shaped into rows from the batch alone, nothing read from the
    store yet: each entity's versions are the batch's cases' only, as for an entity stored for
    the first time (the common case); check_batch checks against the store and merges the
    versions it holds."""

    documents: dict[str, Document]
    mentions: list[Mention]
    entities: dict[str, Entity]
    relationships: list[Relationship]
    batch_cases: set[str]  # the cases of the batch's documents: each entity gets a version for each
    rows: PreparedBatch
    evidence_by_relationship: list[list[dict[str, Any]]]  # in the order of `relationships`


def shape_batch(batch: Batch) -> ShapedBatch:
    """Deduplicate a batch and shape its rows; raises InvalidRecordError for an entity given
    twice with two types (the only fault a batch shows without the store)."""
    documents = {d.id: d for d in _dedupe(batch.documents, "document")}
    mentions = _dedupe(batch.mentions, "mention")
    entities = {e.id: e for e in _dedupe(batch.entities, "entity")}
    relationships = _dedupe(batch.relationships, "relationship")
    rows = PreparedBatch()
    evidence_by_relationship = []
    for rel in relationships:
        evidence = [_evidence_row(rel.id, ev) for ev in rel.evidence]
        evidence_by_relationship.append(evidence)
        rows.evidence.extend(evidence)
        rows.relationships.append(_relationship_row(rel, len({e["id"] for e in evidence})))
    rows.cases = [_case_row(c) for c in _dedupe(batch.cases, "case")]
    rows.documents = [_document_row(d) for d in documents.values()]
    rows.mentions = [_mention_row(m) for m in mentions]
    rows.entities = [_entity_row(e) for e in entities.values()]
    batch_cases = {c for d in documents.values() for c in d.case_ids}
    for row in rows.entities:  # as if stored for the first time; check_batch adds the stored versions
        row["versions_json"] = to_json(_case_versions(entities[row["id"]], batch_cases))
    return ShapedBatch(documents, mentions, entities, relationships, batch_cases, rows, evidence_by_relationship)


def check_batch(shaped: ShapedBatch, refs: BatchReferences, wanted: LookupIds, lookup: StoreLookup,
                replacing_documents: bool = False) -> PreparedBatch:  # fmt: skip
    """Check a shaped batch against itself and the store (`refs`: what it refers to beyond itself;
    `wanted`: what the lookup was asked for), and finish its rows (each entity's versions by
    case, which records are stored already). With `replacing_documents` (a new reading) the
    batch's documents' text is the one its spans index, not the stored text.

    Raises InvalidRecordError naming the first bad record; the caller then rolls back,
    so a refused batch changes nothing.
    """
    documents, entities = shaped.documents, shaped.entities
    _check_cases(documents.values(), refs.case_ids - lookup.case_ids(wanted.case_ids))
    known_docs: dict[str, KnownDocument] = {doc_id: KnownDocument(length=len(doc.text), text=doc.text) for doc_id, doc in documents.items()}
    looked_up = lookup.documents(wanted.document_ids, with_text=wanted.with_text)
    stored_docs = {doc_id: known for doc_id, known in looked_up.items() if doc_id in refs.document_ids}
    known_docs = {**known_docs, **stored_docs} if not replacing_documents else {**stored_docs, **known_docs}
    stored_types = lookup.entity_types(wanted.entity_ids)
    entity_types = _entity_types(entities, stored_types)
    for mention in shaped.mentions:
        _check_mention(mention, known_docs, entity_types)

    stored_rels = lookup.relationship_keys(wanted.relationship_ids)
    for rel, evidence in zip(shaped.relationships, shaped.evidence_by_relationship):
        _check_relationship(rel, entity_types, stored_rels.get(rel.id))
        _check_evidence(rel.id, evidence, known_docs)
    # The shaped rows are left as they are, so a batch can be checked again (a writer whose
    # check beside a commit failed checks it inside its transaction).
    return dataclasses.replace(
        shaped.rows,
        entities=_with_stored_versions(shaped.rows.entities, entities, lookup, shaped.batch_cases),
        existing_relationship_ids=set(stored_rels),
        existing_document_ids=looked_up.keys() & documents.keys(),
        existing_entity_ids=stored_types.keys() & entities.keys(),
    )


def prepare_batch(batch: Batch, lookup: StoreLookup, replacing_documents: bool = False) -> PreparedBatch:
    """The rows of a batch checked against itself and the store: what the checks will look up is
    asked for first (read_ahead), then the batch is shaped (shape_batch) and checked (check_batch)."""
    refs = batch_references(batch)
    wanted = _lookup_ids(batch, refs)
    lookup.read_ahead(wanted)
    return check_batch(shape_batch(batch), refs, wanted, lookup, replacing_documents)


class AfterCommitting(StoreLookup):
    """The store as it will be once a batch under way has committed: `read` looks up the store
    beside that commit (seeing it or not yet), and the batch's own rows are laid over its answer
    as a lookup after the commit would find them. A writer checks the next batch with it while
    the one before commits, then writes it once that commit is done."""

    def __init__(self, read: StoreLookup, under_way: PreparedBatch):
        self._read = read
        self._cases = {r["id"] for r in under_way.cases}
        self._documents = {r["id"]: r for r in under_way.documents}
        self._entities = {r["id"]: r for r in under_way.entities}
        keys = {r["id"]: (r["type"], r["source_id"], r["target_id"]) for r in under_way.relationships}
        # A store finds a relationship's key on its evidence: one without evidence is not found.
        self._relationships = {ev["relationship_id"]: keys[ev["relationship_id"]] for ev in under_way.evidence}

    def read_ahead(self, wanted: LookupIds) -> None:
        self._read.read_ahead(wanted)

    def case_ids(self, ids):
        ids = list(ids)
        return self._read.case_ids(ids) | self._cases.intersection(ids)

    def documents(self, ids, with_text):
        ids = list(ids)
        found = self._read.documents(ids, with_text)
        for doc_id in ids:
            # A stored document keeps the text it was stored with: the batch's copy is what a
            # document it created holds.
            row = self._documents.get(doc_id)
            if row is not None and doc_id not in found:
                found[doc_id] = KnownDocument(row["length"], row["text"] if with_text else None)
        return found

    def entity_types(self, ids):
        ids = list(ids)
        return {**self._read.entity_types(ids), **{i: self._entities[i]["type"] for i in ids if i in self._entities}}

    def entity_versions(self, ids):
        ids = list(ids)
        found = self._read.entity_versions(ids)
        for entity_id in ids:
            row = self._entities.get(entity_id)
            if row is not None:  # the batch writes each entity's versions whole
                versions = json.loads(row["versions_json"])
                if versions:
                    found[entity_id] = versions
                else:
                    found.pop(entity_id, None)
        return found

    def relationship_keys(self, ids):
        ids = list(ids)
        return {**self._read.relationship_keys(ids), **{i: self._relationships[i] for i in ids if i in self._relationships}}


@dataclass
class ShapedAhead:
    """A batch shaped before its transaction (shape_ahead), with what checking it will look up."""

    refs: BatchReferences
    wanted: LookupIds
    shaped: ShapedBatch


def shape_ahead(batch: Batch) -> ShapedAhead:
    """Everything prepare_batch does that needs nothing from the store: a writer can do it while
    the batch before commits."""
    refs = batch_references(batch)
    return ShapedAhead(refs, _lookup_ids(batch, refs), shape_batch(batch))


def prepare_shaped(ahead: ShapedAhead, lookup: StoreLookup) -> PreparedBatch:
    """prepare_batch for a batch shaped ahead: looked up and checked, inside the transaction."""
    lookup.read_ahead(ahead.wanted)
    return check_batch(ahead.shaped, ahead.refs, ahead.wanted, lookup)


def _case_versions(entity: Entity, batch_cases: set[str]) -> dict[str, dict[str, Any]]:
    """Each case's version of an entity's name and attributes, as this batch gives them: a
    phone's kind or a label written by one case's ingest must not change what another case's
    users see."""
    return {case_id: {"label": entity.label, "aliases": list(entity.aliases), "properties": entity.properties} for case_id in batch_cases}


def _with_stored_versions(rows: list[dict[str, Any]], entities: dict[str, Entity], lookup: StoreLookup,
                          batch_cases: set[str]) -> list[dict[str, Any]]:  # fmt: skip
    """The entity rows keeping the other cases' versions of the entities the store holds already."""
    stored = {i: versions for i, versions in (lookup.entity_versions(entities.keys()) if entities else {}).items() if versions}
    if not stored:
        return rows
    return [
        {**row, "versions_json": to_json({**stored[row["id"]], **_case_versions(entities[row["id"]], batch_cases)})}
        if row["id"] in stored
        else row
        for row in rows
    ]


def _check_cases(documents: Iterable[Document], missing_cases: set[str]) -> None:
    for doc in documents:
        for case_id in doc.case_ids:
            if case_id in missing_cases:
                raise InvalidRecordError("document", doc.id, f"case {case_id!r} does not exist (add the case first)")


def _entity_types(entities: dict[str, Entity], stored_types: dict[str, str]) -> dict[str, str]:
    """The type of every entity the batch defines or refers to; an entity never changes type."""
    for entity in entities.values():
        stored = stored_types.get(entity.id)
        if stored is not None and stored != entity.type:
            raise InvalidRecordError("entity", entity.id, f"already stored as {stored}, cannot become {entity.type}")
    return {**stored_types, **{e.id: str(e.type) for e in entities.values()}}


def _check_mention(mention: Mention, known_docs: dict[str, KnownDocument], entity_types: dict[str, str]) -> None:
    doc = known_docs.get(mention.document_id)
    if doc is None:
        raise InvalidRecordError("mention", mention.id, f"document {mention.document_id!r} does not exist")
    _check_span("mention", mention.id, mention.start, mention.end, doc.length)
    if doc.text is not None and doc.text[mention.start : mention.end] != mention.text:
        found = doc.text[mention.start : mention.end]
        raise InvalidRecordError(
            "mention", mention.id, f"text {mention.text!r} is not what the document has at {mention.start}:{mention.end} ({found!r})"
        )
    if mention.entity_id is not None:
        entity_type = entity_types.get(mention.entity_id)
        if entity_type is None:
            raise InvalidRecordError("mention", mention.id, f"refers to entity {mention.entity_id!r}, which does not exist")
        if entity_type != mention.entity_type:
            raise InvalidRecordError(
                "mention", mention.id, f"is a {mention.entity_type} mention but entity {mention.entity_id!r} is a {entity_type}"
            )


def _check_relationship(rel: Relationship, entity_types: dict[str, str], stored: tuple[str, str, str] | None) -> None:
    for end_name, end_id, allowed in (
        ("source", rel.source_id, ENDPOINTS[rel.type][0]),
        ("target", rel.target_id, ENDPOINTS[rel.type][1]),
    ):
        end_type = entity_types.get(end_id)
        if end_type is None:
            raise InvalidRecordError("relationship", rel.id, f"{end_name} entity {end_id!r} does not exist")
        if end_type not in allowed:
            raise InvalidRecordError(
                "relationship", rel.id, f"{rel.type} cannot have a {end_type} as {end_name} (allowed: {sorted(allowed)})"
            )
    if stored is not None and stored != (str(rel.type), rel.source_id, rel.target_id):
        raise InvalidRecordError("relationship", rel.id, f"already stored as {stored[0]} {stored[1]}->{stored[2]}; ids must not be reused")


def _evidence_row(relationship_id: str, ev) -> dict[str, Any]:
    return {
        "id": ev.key(relationship_id),
        "relationship_id": relationship_id,
        "document_id": ev.document_id,
        "start": ev.start,
        "end": ev.end,
        "page": ev.page,
        "row": ev.row,
        "text": ev.text,
        "method": ev.method,
        "confidence": ev.confidence,
        "extractor_version": ev.extractor_version,
    }


def _check_evidence(relationship_id: str, evidence: list[dict[str, Any]], known_docs: dict[str, KnownDocument]) -> None:
    for row in evidence:
        doc = known_docs.get(row["document_id"])
        if doc is None:
            raise InvalidRecordError(
                "relationship", relationship_id, f"evidence cites document {row['document_id']!r}, which does not exist"
            )
        _check_span("relationship", relationship_id, row["start"], row["end"], doc.length, what="evidence span")


def _relationship_row(rel: Relationship, evidence_count: int) -> dict[str, Any]:
    return {
        "id": rel.id,
        "type": str(rel.type),
        "source_id": rel.source_id,
        "target_id": rel.target_id,
        "date": rel.date,
        "confidence": rel.confidence,
        "evidence_count": evidence_count,
        "properties_json": to_json(rel.properties),
    }


def _case_row(case: Case) -> dict[str, Any]:
    return {"id": case.id, "name": case.name, "description": case.description}


def _document_row(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "text": d.text,
        "length": len(d.text),
        "source_path": d.source_path,
        "media_type": d.media_type,
        "case_ids": list(d.case_ids),
        "page_starts": list(d.page_starts),
        "metadata_json": to_json(d.metadata),
    }


def _mention_row(m: Mention) -> dict[str, Any]:
    return {
        "id": m.id,
        "document_id": m.document_id,
        "entity_type": str(m.entity_type),
        "text": m.text,
        "normalized": m.normalized,
        "start": m.start,
        "end": m.end,
        "page": m.page,
        "sentence": m.sentence,
        "method": m.method,
        "confidence": m.confidence,
        "extractor_version": m.extractor_version,
        "entity_id": m.entity_id,
    }


# Entities whose name is a number: indexed with its tails too, so a partial number finds them.
NUMBERED_TYPES = frozenset({EntityType.PHONE, EntityType.IDENTITY_DOCUMENT})


def search_names(entity_type: str, label: str, aliases: Iterable[str]) -> str:
    """What the full-text index holds for an entity: its names folded, and for a phone or an ID
    the tails of its number."""
    return fold(" | ".join((label, *aliases, *(number_suffixes(label) if entity_type in NUMBERED_TYPES else ()))))


def _entity_row(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "type": str(e.type),
        "label": e.label,
        "aliases": list(e.aliases),
        "properties_json": to_json(e.properties),
        "search_names": search_names(e.type, e.label, e.aliases),
    }


def _check_span(kind: str, record_id: str, start: int, end: int, length: int, what: str = "span") -> None:
    if end > length:
        raise InvalidRecordError(kind, record_id, f"{what} {start}:{end} lies outside the document ({length} characters)")
