"""The store interface, and nothing else: what every store answers.

Two implementations (SQLite embedded, Neo4j) and the case compartment over either
(ScopedStore) extend StoreBase (backend/store/common.py), which writes once the parts
every store shares on top of these methods. Batch validation lives in validation.py,
traversals (neighbourhood, paths, networkx export) in the graph layer (backend/graph).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from backend.domain.model import (
    Batch,
    Case,
    Correction,
    Document,
    EdgeRow,
    Entity,
    EntityDetail,
    EntityMark,
    GraphFilter,
    Judgement,
    Mention,
    ReadingChange,
    RelationshipView,
    RetiredRecord,
    SearchHit,
    StoredEvidence,
    WriteSummary,
)

if TYPE_CHECKING:
    from backend.store.batch_writer import BatchWriter


class GraphStore(ABC):
    """One interface, two implementations (SQLite embedded, Neo4j). See tests/backend/store."""

    kind: str = "abstract"

    # ------------------------------------------------------------------ primitives

    @abstractmethod
    def write(self, batch: Batch) -> WriteSummary:
        """Write a batch in one transaction: all of it or none of it. Idempotent."""

    @abstractmethod
    def batch_writer(self) -> BatchWriter:
        """A writer of many batches one after another (see BatchWriter): on Neo4j each batch is
        shaped while the one before commits."""

    @abstractmethod
    def replace_reading(self, batch: Batch, at: str, reason: str) -> ReadingChange:
        """A new reading of documents already stored, in one transaction: their text and metadata
        become the batch's, its records are written as `write` writes them, and the mentions and
        evidence of those documents it no longer gives are retired (kept apart with `at` and
        `reason`, out of every view); a relationship left with no evidence and an entity nothing
        refers to any more leave the graph with them. Idempotent."""

    @abstractmethod
    def retired(self, document_id: str) -> list[RetiredRecord]:
        """The mentions and evidence earlier readings of a document gave and later ones did not."""

    @abstractmethod
    def entities(self, ids: Iterable[str]) -> dict[str, Entity]: ...

    @abstractmethod
    def entity_versions(self, ids: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
        """Each entity's name, aliases and attributes as each case's documents gave them
        ({case id: {"label", "aliases", "properties"}}); entities written before cases kept
        their versions are left out."""

    @abstractmethod
    def incident_edges(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        """Relationships touching any of node_ids that pass the relationship filters."""

    @abstractmethod
    def edges_among(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        """Relationships with both ends in node_ids that pass the relationship filters."""

    @abstractmethod
    def records_among(self, node_ids: Iterable[str], filters: GraphFilter) -> tuple[dict[str, Entity], list[EdgeRow]]:
        """(entities(node_ids), edges_among(node_ids, filters)): what a neighbourhood or the paths
        found read last. Stores may answer it in one read."""

    @abstractmethod
    def all_edges(self, filters: GraphFilter) -> list[EdgeRow]: ...

    @abstractmethod
    def relationship_keys(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """(type, source id, target id) of each of these relationships that is stored."""

    @abstractmethod
    def neighbour_pairs(self, node_ids: Iterable[str], filters: GraphFilter) -> list[tuple[str, str]]:
        """(source, target) of the relationships incident_edges would return, nothing more:
        what path search needs. Stores may answer it more cheaply."""

    @abstractmethod
    def entity_types(self, ids: Iterable[str]) -> dict[str, str]: ...

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
    def get_entity(self, entity_id: str, mention_limit: int = 1000, relationship_limit: int = 1000) -> EntityDetail:
        """The entity with its mentions and its relationships (each with evidence), at most these many of each."""

    @abstractmethod
    def get_document(self, document_id: str) -> Document: ...

    @abstractmethod
    def document_mentions(self, document_id: str, limit: int = 10_000) -> list[Mention]:
        """The mentions read from one document, in text order (unknown document: NotFoundError)."""

    # ------------------------------------------------------------------ judgements

    @abstractmethod
    def add_judgement(self, judgement: Judgement) -> Judgement:
        """Record a judgement. Append-only: an id is written once; an entity pair's standing
        decision is its latest judgement, so undoing is recording another one."""

    @abstractmethod
    def add_judgements(self, judgements: Sequence[Judgement]) -> list[Judgement]:
        """Record several judgements, checked as add_judgement checks one, in one transaction:
        all or none (a resolution run records thousands)."""

    @abstractmethod
    def standing_judgements(self, entity_id: str | None = None) -> dict[frozenset[str], Judgement]:
        """The decision that holds for each judged pair: its latest judgement."""

    @abstractmethod
    def judgements(self, entity_id: str | None = None) -> list[Judgement]:
        """Every judgement (about one entity, if given), oldest first."""

    @abstractmethod
    def judgements_by_id(self, ids: Iterable[str]) -> dict[str, Judgement]: ...

    @abstractmethod
    def _insert_judgements(self, judgements: Sequence[Judgement]) -> None: ...

    @abstractmethod
    def add_mark(self, mark: EntityMark) -> EntityMark:
        """Record an analyst's mark on an entity (append-only; the latest per entity and kind stands)."""

    @abstractmethod
    def standing_marks(self, kind: str, entity_ids: Iterable[str] | None = None) -> set[str]:
        """The entities whose latest mark of this kind sets it."""

    @abstractmethod
    def marks(self, entity_ids: Iterable[str] | None = None) -> list[EntityMark]:
        """Every mark (on these entities, if given), oldest first."""

    @abstractmethod
    def _insert_mark(self, mark: EntityMark) -> None: ...

    @abstractmethod
    def add_correction(self, correction: Correction) -> Correction:
        """Record an analyst's correction of a case's graph (append-only; an UNDO withdraws one)."""

    @abstractmethod
    def corrections(self, case_ids: Iterable[str] | None = None) -> list[Correction]:
        """Every correction (of these cases, if given), oldest first."""

    @abstractmethod
    def _insert_correction(self, correction: Correction) -> None: ...

    @abstractmethod
    def standing_corrections(self, case_ids: Iterable[str] | None = None) -> dict[str, Correction]:
        """The corrections that hold (no later UNDO withdrew them), by id, oldest first."""

    @abstractmethod
    def record_case(self, case: str | None, kind: str = "correction", entity_ids: Iterable[str] = ()) -> str | None:
        """The case a judgement, mark or correction is recorded in: the one named (id or name),
        or the only case there is, or the only one where all of entity_ids are seen (None when
        there is no case); NotFoundError for an unknown case."""

    @abstractmethod
    def document_cases(self, document_ids: Iterable[str]) -> dict[str, set[str]]:
        """The case ids of each of these documents that is stored; absent ids are left out.
        Cheap (no text): ingest asks it for every file to skip what is already stored."""

    @abstractmethod
    def search(
        self, query: str, limit: int = 20, entity_ids: Iterable[str] | None = None, document_ids: Iterable[str] | None = None
    ) -> list[SearchHit]:
        """Entities and documents matching every word of the query (accents and case folded),
        best first, at most `limit` of each; only among entity_ids / document_ids when given."""

    @abstractmethod
    def counts(self) -> dict[str, Any]: ...

    @abstractmethod
    def clear(self) -> None:
        """Delete every record (the schema stays). For `telarana reset` and tests."""

    @abstractmethod
    def generation(self) -> str:
        """A token that changes whenever a write commits, from this process or another one:
        what data derived from the store (a user's visible set) is cached against."""

    @abstractmethod
    def reads_together(self) -> tuple[GraphStore, Callable[[], None] | None]:
        """This store for one request's reads, made in one read transaction where that saves round
        trips (Neo4j), and what ends it. A store without such a thing gives itself, and None."""

    @abstractmethod
    def shared(self) -> GraphStore:
        """The store every request shares (for a request's view from `reads_together`, the store
        it views): what per-process caches are kept against."""

    @abstractmethod
    def ping(self) -> None:
        """Return if the store answers now; raise StoreUnavailableError if it does not."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def content_digest(self, stamps: bool = True) -> str:
        """SHA-256 of everything stored (cases, documents and their text and cases, mentions,
        entities, relationships, evidence, judgements, marks), in a canonical order: two stores
        holding the same records give the same digest, whatever order they were written in.
        `stamps=False` leaves out the ids and times of judgements and marks, which two runs of the
        same job cannot share (a retraction then names what it retracts by content)."""

    @abstractmethod
    def relationship_views(self, edges: Iterable[EdgeRow]) -> list[RelationshipView]:
        """The relationships with their evidence."""

    @abstractmethod
    def __enter__(self) -> "GraphStore": ...

    @abstractmethod
    def __exit__(self, *exc: object) -> None: ...
