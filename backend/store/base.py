"""The store interface, and the parts every store shares.

A store implements a handful of primitives (one transactional batch write, incident
edges of a set of nodes, entities by id, evidence by relationship, search, counts).
Validation of a batch, neighbourhoods, paths and the networkx export are written once,
here, on top of those primitives, so both stores answer the same questions the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from abc import ABC, abstractmethod
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx
from pydantic import BaseModel
from unidecode import unidecode

from backend.errors import InvalidRecordError, NotFoundError
from backend.model import (
    ENDPOINTS,
    Batch,
    Case,
    Document,
    EdgeRow,
    Entity,
    EntityDetail,
    EntityMark,
    GraphFilter,
    GraphPath,
    Judgement,
    Mention,
    PathResult,
    PathStep,
    RelationshipView,
    SearchHit,
    StoredEvidence,
    Subgraph,
    WriteSummary,
)

MAX_NEIGHBOURHOOD_LIMIT = 5000
MAX_HOPS = 10
MAX_PATHS = 20
_COMBINING_MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Accent- and case-insensitive form used for search: "PÉREZ" and "perez" meet here.

    Stripping combining marks after NFKD covers Spanish (and most Latin-script) text in C;
    unidecode transliterates whatever is left (other scripts, ligatures, symbols).
    """
    if text.isascii():
        return text.lower()
    stripped = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
    return (stripped if stripped.isascii() else unidecode(stripped)).lower()


def search_terms(query: str) -> list[str]:
    """Words of a user's query, folded, with every character that means something to a
    query language dropped, so user text can never become query syntax."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(query)).split()
    return [w for w in words if w][:12]


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
    # Relationships already stored (the rest are new): lets a store create rather than merge.
    existing_relationship_ids: set[str] = field(default_factory=set)

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


class StoreLookup(ABC):
    """What validation needs to read inside the write transaction."""

    @abstractmethod
    def documents(self, ids: Iterable[str], with_text: bool) -> dict[str, KnownDocument]: ...

    @abstractmethod
    def entity_types(self, ids: Iterable[str]) -> dict[str, str]: ...

    @abstractmethod
    def relationship_keys(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]: ...

    @abstractmethod
    def case_ids(self, ids: Iterable[str]) -> set[str]: ...


def _dedupe(records, kind: str):
    """One record per id, the last one given winning, as a second write of it would."""
    by_id = {}
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
    doc_refs = {m.document_id for m in batch.mentions} | {
        ev.document_id for r in batch.relationships for ev in r.evidence
    }
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


def prepare_batch(batch: Batch, lookup: StoreLookup) -> PreparedBatch:
    """Check a batch against itself and the store, and shape its rows.

    Raises InvalidRecordError naming the first bad record; the caller then rolls back,
    so a refused batch changes nothing.
    """
    refs = batch_references(batch)
    documents = {d.id: d for d in _dedupe(batch.documents, "document")}
    mentions = _dedupe(batch.mentions, "mention")
    entities = {e.id: e for e in _dedupe(batch.entities, "entity")}
    relationships = _dedupe(batch.relationships, "relationship")
    cases = _dedupe(batch.cases, "case")

    missing_cases = refs.case_ids - lookup.case_ids(refs.case_ids)
    for doc in documents.values():
        for case_id in doc.case_ids:
            if case_id in missing_cases:
                raise InvalidRecordError("document", doc.id, f"case {case_id!r} does not exist (add the case first)")

    need_text = {m.document_id for m in mentions} - documents.keys()
    known_docs: dict[str, KnownDocument] = {
        doc_id: KnownDocument(length=len(doc.text), text=doc.text)
        for doc_id, doc in documents.items()
    }
    known_docs.update(lookup.documents(refs.document_ids, with_text=bool(need_text)))

    stored_types = lookup.entity_types(refs.entity_ids | entities.keys())
    for entity in entities.values():
        stored = stored_types.get(entity.id)
        if stored is not None and stored != entity.type:
            raise InvalidRecordError("entity", entity.id, f"already stored as {stored}, cannot become {entity.type}")
    entity_types = {**stored_types, **{e.id: str(e.type) for e in entities.values()}}

    for mention in mentions:
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

    stored_rels = lookup.relationship_keys(refs.relationship_ids)
    prepared = PreparedBatch()
    for rel in relationships:
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
        stored = stored_rels.get(rel.id)
        if stored is not None and stored != (str(rel.type), rel.source_id, rel.target_id):
            raise InvalidRecordError(
                "relationship", rel.id, f"already stored as {stored[0]} {stored[1]}->{stored[2]}; ids must not be reused"
            )
        evidence_ids = set()
        for ev in rel.evidence:
            doc = known_docs.get(ev.document_id)
            if doc is None:
                raise InvalidRecordError("relationship", rel.id, f"evidence cites document {ev.document_id!r}, which does not exist")
            _check_span("relationship", rel.id, ev.start, ev.end, doc.length, what="evidence span")
            evidence_id = ev.key(rel.id)
            evidence_ids.add(evidence_id)
            prepared.evidence.append(
                {
                    "id": evidence_id,
                    "relationship_id": rel.id,
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
            )
        prepared.relationships.append(
            {
                "id": rel.id,
                "type": str(rel.type),
                "source_id": rel.source_id,
                "target_id": rel.target_id,
                "date": rel.date,
                "confidence": rel.confidence,
                "evidence_count": len(evidence_ids),
                "properties_json": to_json(rel.properties),
            }
        )
    prepared.existing_relationship_ids = set(stored_rels)

    prepared.cases = [{"id": c.id, "name": c.name, "description": c.description} for c in cases]
    prepared.documents = [
        {
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
        for d in documents.values()
    ]
    prepared.mentions = [
        {
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
        for m in mentions
    ]
    prepared.entities = [
        {
            "id": e.id,
            "type": str(e.type),
            "label": e.label,
            "aliases": list(e.aliases),
            "properties_json": to_json(e.properties),
            "search_names": fold(" | ".join((e.label, *e.aliases))),
        }
        for e in entities.values()
    ]
    return prepared


def _check_span(kind: str, record_id: str, start: int, end: int, length: int, what: str = "span") -> None:
    if end > length:
        raise InvalidRecordError(kind, record_id, f"{what} {start}:{end} lies outside the document ({length} characters)")


def to_json(value: dict | list) -> str:
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))


def entity_from_row(row: dict[str, Any]) -> Entity:
    return Entity(
        id=row["id"],
        type=row["type"],
        label=row["label"],
        aliases=tuple(row.get("aliases") or ()),
        properties=json.loads(row.get("properties_json") or "{}"),
    )


def edge_from_row(row: dict[str, Any]) -> EdgeRow:
    return EdgeRow(
        id=row["id"],
        type=row["type"],
        source_id=row["source_id"],
        target_id=row["target_id"],
        date=row.get("date"),
        confidence=row["confidence"],
        properties=json.loads(row.get("properties_json") or "{}"),
        evidence_count=row.get("evidence_count") or 0,
    )


class GraphStore(ABC):
    """One interface, two implementations (SQLite embedded, Neo4j). See tests/backend/store."""

    kind: str = "abstract"

    # ------------------------------------------------------------------ primitives

    @abstractmethod
    def write(self, batch: Batch) -> WriteSummary:
        """Write a batch in one transaction: all of it or none of it. Idempotent."""

    @abstractmethod
    def entities(self, ids: Iterable[str]) -> dict[str, Entity]: ...

    @abstractmethod
    def incident_edges(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        """Relationships touching any of node_ids that pass the relationship filters."""

    @abstractmethod
    def edges_among(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        """Relationships with both ends in node_ids that pass the relationship filters."""

    @abstractmethod
    def all_edges(self, filters: GraphFilter) -> list[EdgeRow]: ...

    @abstractmethod
    def relationship_keys(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """(type, source id, target id) of each of these relationships that is stored."""

    def neighbour_pairs(self, node_ids: Iterable[str], filters: GraphFilter) -> list[tuple[str, str]]:
        """(source, target) of the relationships incident_edges would return, nothing more:
        what path search needs. Stores may answer it more cheaply."""
        return [(e.source_id, e.target_id) for e in self.incident_edges(node_ids, filters)]

    def entity_types(self, ids: Iterable[str]) -> dict[str, str]:
        return {i: str(e.type) for i, e in self.entities(ids).items()}

    @abstractmethod
    def case_entity_ids(self, case_id: str) -> set[str]:
        """Entities mentioned in, or tied by evidence to, a case's documents."""

    @abstractmethod
    def all_entity_ids(self) -> set[str]: ...

    @abstractmethod
    def all_document_ids(self) -> set[str]: ...

    @abstractmethod
    def case_document_ids(self, case_ids: Iterable[str]) -> set[str]:
        """The documents of any of these cases."""

    @abstractmethod
    def mention_count(self, document_ids: Iterable[str]) -> int:
        """How many mentions these documents hold."""

    @abstractmethod
    def cases(self) -> list[Case]:
        """Every case, by name."""

    @abstractmethod
    def evidence(self, relationship_ids: Iterable[str]) -> dict[str, list[StoredEvidence]]: ...

    @abstractmethod
    def get_entity(self, entity_id: str) -> EntityDetail: ...

    @abstractmethod
    def get_document(self, document_id: str) -> Document: ...

    @abstractmethod
    def document_mentions(self, document_id: str, limit: int = 10_000) -> list[Mention]:
        """The mentions read from one document, in text order (unknown document: NotFoundError)."""

    # ------------------------------------------------------------------ judgements

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

    @abstractmethod
    def judgements(self, entity_id: str | None = None) -> list[Judgement]:
        """Every judgement (about one entity, if given), oldest first."""

    @abstractmethod
    def judgements_by_id(self, ids: Iterable[str]) -> dict[str, Judgement]: ...

    @abstractmethod
    def _insert_judgement(self, judgement: Judgement) -> None: ...

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

    @abstractmethod
    def marks(self, entity_ids: Iterable[str] | None = None) -> list[EntityMark]:
        """Every mark (on these entities, if given), oldest first."""

    @abstractmethod
    def _insert_mark(self, mark: EntityMark) -> None: ...

    @abstractmethod
    def document_cases(self, document_ids: Iterable[str]) -> dict[str, set[str]]:
        """The case ids of each of these documents that is stored; absent ids are left out.
        Cheap (no text): ingest asks it for every file to skip what is already stored."""

    @abstractmethod
    def search(self, query: str, limit: int = 20, entity_ids: Iterable[str] | None = None,
               document_ids: Iterable[str] | None = None) -> list[SearchHit]:
        """Entities and documents matching every word of the query (accents and case folded),
        best first, at most `limit` of each; only among entity_ids / document_ids when given."""

    @abstractmethod
    def counts(self) -> dict[str, Any]: ...

    @abstractmethod
    def clear(self) -> None:
        """Delete every record (the schema stays). For `telarana reset` and tests."""

    @abstractmethod
    def ping(self) -> None:
        """Return if the store answers now; raise StoreUnavailableError if it does not."""

    @abstractmethod
    def close(self) -> None: ...

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

        def add(kind: str, records: Iterable[BaseModel], leave_out: set[str] = frozenset()) -> None:
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
        return digest.hexdigest()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ shared queries

    def _require_entity(self, entity_id: str) -> Entity:
        found = self.entities([entity_id]).get(entity_id)
        if found is None:
            raise NotFoundError("entity", entity_id)
        return found

    def relationship_views(self, edges: Iterable[EdgeRow]) -> list[RelationshipView]:
        edges = list(edges)
        evidence = self.evidence([e.id for e in edges])
        return [
            RelationshipView(**e.model_dump(), evidence=tuple(evidence.get(e.id, ()))) for e in edges
        ]

    def neighbourhood(
        self,
        entity_id: str,
        hops: int = 1,
        filters: GraphFilter | None = None,
        limit: int = 500,
    ) -> Subgraph:
        """Entities within `hops` relationships of one entity, closest first, at most `limit`.

        When the limit cuts a ring, the entities with the most relationships to the ring before
        them are kept (ties by id), and the result says it was truncated. The relationships
        returned are all those among the entities returned.
        """
        filters = filters or GraphFilter()
        hops = max(0, min(hops, MAX_HOPS))
        limit = max(1, min(limit, MAX_NEIGHBOURHOOD_LIMIT))
        self._require_entity(entity_id)
        included = {entity_id}
        frontier = [entity_id]
        truncated = False
        allowed_types = {str(t) for t in filters.entity_types} if filters.entity_types is not None else None
        for _ in range(hops):
            if not frontier:
                break
            # Choose the next ring from bare (source, target) pairs; full records are loaded
            # only for what is kept, so a terminal where thousands of journeys meet stays cheap.
            ring = set(frontier)
            links: dict[str, int] = defaultdict(int)
            for source, target in self.neighbour_pairs(frontier, filters):
                if source in ring and target not in included:
                    links[target] += 1
                if target in ring and source not in included:
                    links[source] += 1
            candidates, cut = next_ring(self, links, allowed_types, limit - len(included))
            truncated |= cut
            included.update(candidates)
            frontier = candidates
        nodes = self.entities(included)
        return Subgraph(
            nodes=sorted(nodes.values(), key=lambda n: (n.id != entity_id, n.id)),
            edges=self.edges_among(included, filters),
            truncated=truncated,
        )

    def paths(
        self,
        source_id: str,
        target_id: str,
        k: int = 1,
        max_hops: int = 6,
        filters: GraphFilter | None = None,
        slack: int = 1,
        node_budget: int = 50_000,
    ) -> PathResult:
        """The k shortest simple paths between two entities, each edge with its evidence.

        Bidirectional breadth-first search finds the shortest length d; for k > 1 the search
        goes on until it has seen every relationship of every path up to d + slack hops
        (and never past max_hops). Intermediate entities must pass the entity-type filter.
        """
        filters = filters or GraphFilter()
        k = max(1, min(k, MAX_PATHS))
        max_hops = max(1, min(max_hops, MAX_HOPS))
        ends = self.entities([source_id, target_id])
        for end in (source_id, target_id):
            if end not in ends:
                raise NotFoundError("entity", end)
        if source_id == target_id:
            return PathResult(paths=[])

        explorer = _Explorer(self, filters, {source_id, target_id}, node_budget, keep_pairs=k > 1)
        side_a, side_b = _Side(source_id), _Side(target_id)
        shortest: int | None = None
        while shortest is None and side_a.depth + side_b.depth < max_hops and not explorer.exhausted:
            if not side_a.frontier or not side_b.frontier:
                break  # one end's whole component is seen and the other end is not in it
            explorer.expand(min((side_a, side_b), key=lambda s: len(s.frontier)))
            met = side_a.distance.keys() & side_b.distance.keys()
            if met:
                shortest = min(side_a.distance[n] + side_b.distance[n] for n in met)
        if shortest is None:
            return PathResult(paths=[], truncated=explorer.exhausted)

        if k == 1:
            found = [explorer.shortest_path(side_a, side_b, shortest)]
        else:
            longest = min(max_hops, shortest + max(0, slack))
            while side_a.depth + side_b.depth < longest and not explorer.exhausted:
                candidates = [s for s in (side_a, side_b) if s.frontier]
                if not candidates:
                    break
                explorer.expand(min(candidates, key=lambda s: len(s.frontier)))
            graph = nx.Graph()
            graph.add_nodes_from(sorted(explorer.nodes))
            graph.add_edges_from(sorted(explorer.pairs))
            found = []
            for node_path in nx.shortest_simple_paths(graph, source_id, target_id):
                if len(node_path) - 1 > longest or len(found) >= k:
                    break
                found.append(node_path)

        on_paths = {n for p in found for n in p}
        by_pair: dict[tuple[str, str], list[EdgeRow]] = defaultdict(list)
        for edge in self.edges_among(on_paths, filters):
            by_pair[_pair(edge.source_id, edge.target_id)].append(edge)
        steps_needed = {_pair(a, b) for p in found for a, b in zip(p, p[1:])}
        views = {
            v.id: v
            for v in self.relationship_views(e for pair in sorted(steps_needed) for e in by_pair[pair])
        }
        entities = self.entities(on_paths)
        result = []
        for node_path in found:
            steps = [
                PathStep(
                    source_id=a,
                    target_id=b,
                    relationships=[views[e.id] for e in by_pair[_pair(a, b)]],
                )
                for a, b in zip(node_path, node_path[1:])
            ]
            result.append(GraphPath(node_ids=node_path, nodes=[entities[n] for n in node_path], steps=steps))
        return PathResult(paths=result, truncated=explorer.exhausted)

    def subgraph_records(self, entity_ids: Iterable[str] | None = None, filters: GraphFilter | None = None) -> tuple[dict[str, Entity], list[EdgeRow]]:
        """The given entities (or a case's, or every one) that pass the entity-type filter, and
        the relationships that pass the filters among the given entities (or of the case, or all;
        their ends are added). Relationships may still name an entity the type filter left out."""
        filters = filters or GraphFilter()
        if entity_ids is not None:
            ids = set(entity_ids)
            edges = self.edges_among(ids, filters)
        else:
            edges = self.all_edges(filters)
            ids = self.case_entity_ids(filters.case_id) if filters.case_id else self.all_entity_ids()
            ids |= {end for e in edges for end in (e.source_id, e.target_id)}
        nodes = self.entities(ids)
        if filters.entity_types is not None:
            nodes = {i: n for i, n in nodes.items() if n.type in filters.entity_types}
        return nodes, edges

    def to_networkx(
        self, entity_ids: Iterable[str] | None = None, filters: GraphFilter | None = None
    ) -> nx.MultiDiGraph:
        """A subgraph for analytics: the given entities (or a case, or everything) and the
        relationships among them that pass the filters."""
        nodes, edges = self.subgraph_records(entity_ids, filters)
        graph = nx.MultiDiGraph()
        for node_id in sorted(nodes):
            node = nodes[node_id]
            graph.add_node(node_id, type=str(node.type), label=node.label, properties=node.properties)
        for edge in sorted(edges, key=lambda e: e.id):
            if edge.source_id in nodes and edge.target_id in nodes:
                graph.add_edge(
                    edge.source_id,
                    edge.target_id,
                    key=edge.id,
                    type=str(edge.type),
                    date=edge.date,
                    confidence=edge.confidence,
                    evidence_count=edge.evidence_count,
                    properties=edge.properties,
                )
        return graph


def next_ring(store: GraphStore, links: dict[str, int], allowed_types: set[str] | None, room: int) -> tuple[list[str], bool]:
    """The next ring of a neighbourhood: of the entities linked to the ring before (`links`:
    how many links each has to it), those of an allowed type, the most linked first (ties by
    id), at most `room`. Returns (the ring, whether some were left out)."""
    candidates = list(links)
    if allowed_types is not None:
        types = store.entity_types(candidates)
        candidates = [c for c in candidates if types.get(c) in allowed_types]
    candidates.sort(key=lambda i: (-links[i], i))
    return candidates[: max(0, room)], len(candidates) > room


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class _Side:
    def __init__(self, origin: str):
        self.distance: dict[str, int] = {origin: 0}
        # For each reached node, the smallest-id node one step closer to the origin: a
        # deterministic choice, so both stores return the same path.
        self.parent: dict[str, str] = {}
        self.frontier: list[str] = [origin]
        self.depth = 0

    def walk_back(self, node: str) -> list[str]:
        chain = [node]
        while chain[-1] in self.parent:
            chain.append(self.parent[chain[-1]])
        return chain


class _Explorer:
    """Breadth-first expansion shared by both ends of a path search. Works on bare
    (source, target) pairs; full relationships are loaded only for the paths found."""

    def __init__(self, store: GraphStore, filters: GraphFilter, endpoints: set[str], node_budget: int, keep_pairs: bool):
        self.store = store
        self.filters = filters
        self.endpoints = endpoints
        self.node_budget = node_budget
        self.nodes: set[str] = set(endpoints)
        self.pairs: set[tuple[str, str]] = set()
        self.keep_pairs = keep_pairs  # only k > 1 needs the explored graph itself
        self.types: dict[str, str] = {}
        self.exhausted = False

    def _passes_type_filter(self, ids: set[str]) -> set[str]:
        if self.filters.entity_types is None:
            return ids
        self.types.update(self.store.entity_types(ids - self.types.keys()))
        allowed = {str(t) for t in self.filters.entity_types}
        return {i for i in ids if i in self.endpoints or self.types.get(i) in allowed}

    def expand(self, side: _Side) -> None:
        pairs = self.store.neighbour_pairs(side.frontier, self.filters)
        if self.filters.entity_types is not None:
            reached = self._passes_type_filter({n for pair in pairs for n in pair})
            pairs = [(s, t) for s, t in pairs if s in reached and t in reached]
        if self.keep_pairs:
            self.pairs.update(_pair(s, t) for s, t in pairs if s != t)
        frontier = set(side.frontier)
        distance, parent = side.distance, side.parent
        layer = side.depth + 1
        next_frontier: list[str] = []
        # The hot loop of path search: kept flat on purpose.
        for source, target in pairs:
            for near, far in ((source, target), (target, source)):
                if near in frontier:
                    known = distance.get(far)
                    if known is None:
                        distance[far] = layer
                        parent[far] = near
                        next_frontier.append(far)
                    elif known == layer and near < parent[far]:
                        parent[far] = near
        self.nodes.update(next_frontier)
        side.frontier = next_frontier
        side.depth = layer
        if len(self.nodes) > self.node_budget:
            self.exhausted = True

    def shortest_path(self, side_a: _Side, side_b: _Side, length: int) -> list[str]:
        meeting = min(n for n in side_a.distance.keys() & side_b.distance.keys()
                      if side_a.distance[n] + side_b.distance[n] == length)
        return list(reversed(side_a.walk_back(meeting))) + side_b.walk_back(meeting)[1:]
