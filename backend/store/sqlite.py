"""The embedded store: one SQLite file (standard library), WAL journal, FTS5 for search."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from backend.domain.errors import NotFoundError, StoreUnavailableError
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
    MentionView,
    ReadingChange,
    RetiredRecord,
    SearchHit,
    StoredEvidence,
    WriteSummary,
)
from backend.domain.text import entity_search_terms, search_terms
from backend.store.common import StoreBase, kept_records
from backend.store.rows import edge_from_row, entity_from_row, to_json, without_nulls
from backend.store.snippets import snippet
from backend.store.sqlite_files import one_at_a_time
from backend.store.validation import NUMBERED_TYPES, KnownDocument, PreparedBatch, StoreLookup, prepare_batch, search_names

# 2: phones and IDs indexed with the tails of their number (search finds 7 digits of them).
SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, text TEXT NOT NULL, length INTEGER NOT NULL,
    source_path TEXT NOT NULL, media_type TEXT NOT NULL, page_starts TEXT NOT NULL,
    metadata_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_cases (
    document_id TEXT NOT NULL, case_id TEXT NOT NULL, PRIMARY KEY (document_id, case_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS document_cases_case ON document_cases(case_id);
CREATE TABLE IF NOT EXISTS entities (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, label TEXT NOT NULL, aliases TEXT NOT NULL,
    properties_json TEXT NOT NULL, search_names TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL, entity_type TEXT NOT NULL, text TEXT NOT NULL,
    normalized TEXT, start INTEGER NOT NULL, "end" INTEGER NOT NULL, page INTEGER,
    sentence TEXT NOT NULL, method TEXT NOT NULL, confidence REAL NOT NULL,
    extractor_version TEXT NOT NULL, entity_id TEXT
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE INDEX IF NOT EXISTS mentions_document ON mentions(document_id);
CREATE TABLE IF NOT EXISTS relationships (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, source_id TEXT NOT NULL, target_id TEXT NOT NULL,
    date TEXT, confidence REAL NOT NULL, evidence_count INTEGER NOT NULL DEFAULT 0,
    properties_json TEXT NOT NULL
);
-- Covering indexes: path search reads (source, target) pairs from the index alone.
DROP INDEX IF EXISTS relationships_source;
DROP INDEX IF EXISTS relationships_target;
CREATE INDEX IF NOT EXISTS relationships_source_target ON relationships(source_id, target_id);
CREATE INDEX IF NOT EXISTS relationships_target_source ON relationships(target_id, source_id);
CREATE TABLE IF NOT EXISTS evidence (
    id TEXT PRIMARY KEY, relationship_id TEXT NOT NULL, document_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, page INTEGER, row INTEGER, text TEXT NOT NULL,
    method TEXT NOT NULL, confidence REAL NOT NULL, extractor_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_relationship ON evidence(relationship_id);
CREATE INDEX IF NOT EXISTS evidence_document ON evidence(document_id);
-- Entity-resolution judgements: append-only (no UPDATE or DELETE but clear()).
CREATE TABLE IF NOT EXISTS judgements (
    id TEXT PRIMARY KEY, left_id TEXT NOT NULL, right_id TEXT NOT NULL, decision TEXT NOT NULL,
    by_whom TEXT NOT NULL, at TEXT NOT NULL, score REAL, features_json TEXT NOT NULL,
    reason TEXT NOT NULL, retracts TEXT
);
CREATE INDEX IF NOT EXISTS judgements_left ON judgements(left_id);
CREATE INDEX IF NOT EXISTS judgements_right ON judgements(right_id);
-- Analysts' marks on entities (victim, shareable): append-only like judgements.
CREATE TABLE IF NOT EXISTS marks (
    id TEXT PRIMARY KEY, entity_id TEXT NOT NULL, mark TEXT NOT NULL, value INTEGER NOT NULL,
    by_whom TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS marks_entity ON marks(entity_id);
-- Analysts' corrections of a case's graph (rejections, assertions, notes, undos): append-only.
CREATE TABLE IF NOT EXISTS corrections (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL, at TEXT NOT NULL, record_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_case ON corrections(case_id);
-- What a later reading of a document no longer gave (mentions, evidence) and the entities then
-- left with nothing referring to them: moved here, with when and why, never deleted.
CREATE TABLE IF NOT EXISTS retired (
    rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, document_id TEXT NOT NULL,
    retired_at TEXT NOT NULL, reason TEXT NOT NULL, record_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS retired_document ON retired(document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS entity_fts USING fts5(
    search_names, content='entities', content_rowid='rowid', detail=none,
    tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS document_fts USING fts5(
    title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
-- The full-text tables are filled in bulk by SqliteStore.write: per-row triggers cost 5x more.
DROP TRIGGER IF EXISTS entities_fts_insert;
DROP TRIGGER IF EXISTS entities_fts_update;
DROP TRIGGER IF EXISTS documents_fts_insert;
"""

_EDGE_COLUMNS = "r.id, r.type, r.source_id, r.target_id, r.date, r.confidence, r.properties_json, r.evidence_count"
# Under a compartment a relationship is as strong, and has as much evidence, as its evidence
# from the viewer's cases: the figures over every case would tell of evidence they cannot see.
_IN_COMPARTMENT = (
    "FROM evidence e WHERE e.relationship_id = r.id AND e.document_id IN "
    "(SELECT dc.document_id FROM document_cases dc WHERE dc.case_id IN (SELECT value FROM json_each(?)))"
)
_COMPARTMENT_EDGE_COLUMNS = (
    f"r.id, r.type, r.source_id, r.target_id, r.date, (SELECT max(e.confidence) {_IN_COMPARTMENT}) AS confidence, "
    f"r.properties_json, (SELECT count(*) {_IN_COMPARTMENT}) AS evidence_count"
)


_NOT_KEPT_MENTIONS = (
    "FROM mentions WHERE document_id IN (SELECT value FROM json_each(:docs)) AND id NOT IN (SELECT value FROM json_each(:kept_mentions))"
)
_RETIRE_MENTIONS = (
    "INSERT INTO retired(kind, id, document_id, retired_at, reason, record_json) "
    "SELECT 'mention', id, document_id, :at, :reason, json_object('entity_type', entity_type, 'text', text, "
    "'normalized', normalized, 'start', start, 'end', \"end\", 'page', page, 'sentence', sentence, 'method', method, "
    f"'confidence', confidence, 'extractor_version', extractor_version, 'entity_id', entity_id) {_NOT_KEPT_MENTIONS}"
)
_RETIRED_MENTION_ENTITIES = f"SELECT DISTINCT entity_id {_NOT_KEPT_MENTIONS} AND entity_id IS NOT NULL"
_DROP_RETIRED_MENTIONS = f"DELETE {_NOT_KEPT_MENTIONS}"
_NOT_KEPT_EVIDENCE = (
    "FROM evidence WHERE document_id IN (SELECT value FROM json_each(:docs)) AND id NOT IN (SELECT value FROM json_each(:kept_evidence))"
)
# With the relationship it supported, so a relationship that leaves the graph can be told again.
_RETIRE_EVIDENCE = (
    "INSERT INTO retired(kind, id, document_id, retired_at, reason, record_json) "
    "SELECT 'evidence', e.id, e.document_id, :at, :reason, json_object('relationship_id', e.relationship_id, "
    "'start', e.start, 'end', e.\"end\", 'page', e.page, 'row', e.row, 'text', e.text, 'method', e.method, "
    "'confidence', e.confidence, 'extractor_version', e.extractor_version, 'rel_type', r.type, 'rel_source', r.source_id, "
    "'rel_target', r.target_id, 'rel_date', r.date, 'rel_properties_json', r.properties_json) "
    "FROM evidence e LEFT JOIN relationships r ON r.id = e.relationship_id "
    "WHERE e.id IN (SELECT id " + _NOT_KEPT_EVIDENCE + ")"
)
_RETIRED_EVIDENCE_RELATIONSHIPS = f"SELECT DISTINCT relationship_id {_NOT_KEPT_EVIDENCE}"
_DROP_RETIRED_EVIDENCE = f"DELETE {_NOT_KEPT_EVIDENCE}"
_RETIRED_RELATIONSHIP_ENDS = (
    "SELECT source_id, target_id FROM relationships WHERE evidence_count = 0 AND id IN (SELECT value FROM json_each(?))"
)
# An entity nothing refers to any more (no mention, no relationship) leaves the graph with them.
_RETIRE_ORPHAN_ENTITIES = (
    "INSERT INTO retired(kind, id, document_id, retired_at, reason, record_json) "
    "SELECT 'entity', n.id, '', :at, :reason, json_object('type', n.type, 'label', n.label, 'aliases', n.aliases, "
    "'properties_json', n.properties_json) FROM entities n WHERE n.id IN (SELECT value FROM json_each(:ids)) "
    "AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = n.id) "
    "AND NOT EXISTS (SELECT 1 FROM relationships r WHERE (r.source_id = n.id OR r.target_id = n.id) AND r.evidence_count > 0)"
)


def _edge_columns(filters: GraphFilter) -> tuple[str, list[Any]]:
    if filters.compartment is None:
        return _EDGE_COLUMNS, []
    cases = json.dumps(sorted(filters.compartment))
    return _COMPARTMENT_EDGE_COLUMNS, [cases, cases]


def _filter_sql(filters: GraphFilter) -> tuple[str, list[Any]]:
    """WHERE fragments for the relationship filters; values always go in as parameters."""
    clauses = ["1"]
    params: list[Any] = []
    if filters.min_confidence > 0:
        clauses.append("r.confidence >= ?")
        params.append(filters.min_confidence)
    if filters.relationship_types is not None:
        clauses.append("r.type IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(str(t) for t in filters.relationship_types)))
    if filters.date_from is not None:
        clauses.append("(r.date IS NULL OR r.date >= ?)")
        params.append(filters.date_from)
    if filters.date_to is not None:
        clauses.append("(r.date IS NULL OR r.date <= ?)")
        params.append(filters.date_to_inclusive)
    if filters.case_id is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM evidence e JOIN document_cases dc ON dc.document_id = e.document_id "
            "WHERE e.relationship_id = r.id AND dc.case_id = ?)"
        )
        params.append(filters.case_id)
    if filters.compartment is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM evidence e JOIN document_cases dc ON dc.document_id = e.document_id "
            "WHERE e.relationship_id = r.id AND dc.case_id IN (SELECT value FROM json_each(?)))"
        )
        params.append(json.dumps(sorted(filters.compartment)))
    return " AND ".join(clauses), params


class _Lookup(StoreLookup):
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def _rows(self, sql: str, ids: Iterable[str]) -> list[sqlite3.Row]:
        ids = list(ids)
        if not ids:
            return []
        return self.conn.execute(sql, (json.dumps(ids),)).fetchall()

    def documents(self, ids, with_text):
        column = "text" if with_text else "NULL AS text"
        rows = self._rows(f"SELECT d.id, d.length, {column} FROM documents d WHERE d.id IN (SELECT value FROM json_each(?))", ids)
        return {r["id"]: KnownDocument(r["length"], r["text"]) for r in rows}

    def entity_types(self, ids):
        rows = self._rows("SELECT id, type FROM entities WHERE id IN (SELECT value FROM json_each(?))", ids)
        return {r["id"]: r["type"] for r in rows}

    def relationship_keys(self, ids):
        rows = self._rows("SELECT id, type, source_id, target_id FROM relationships WHERE id IN (SELECT value FROM json_each(?))", ids)
        return {r["id"]: (r["type"], r["source_id"], r["target_id"]) for r in rows}

    def case_ids(self, ids):
        return {r["id"] for r in self._rows("SELECT id FROM cases WHERE id IN (SELECT value FROM json_each(?))", ids)}

    def entity_versions(self, ids):
        return _versions(self._rows("SELECT id, versions_json FROM entities WHERE id IN (SELECT value FROM json_each(?))", ids))


def _versions(rows) -> dict[str, dict[str, dict]]:
    return {r["id"]: json.loads(r["versions_json"]) for r in rows if r["versions_json"] and r["versions_json"] != "{}"}


def _judgement(row: sqlite3.Row) -> Judgement:
    return Judgement(
        id=row["id"], left_id=row["left_id"], right_id=row["right_id"], decision=row["decision"], by=row["by_whom"],
        at=row["at"], score=row["score"], features=json.loads(row["features_json"]), reason=row["reason"], retracts=row["retracts"],
        case_id=row["case_id"],
    )  # fmt: skip


class SqliteStore(StoreBase):
    kind = "sqlite"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
            with one_at_a_time(path):
                self._conn.execute("PRAGMA busy_timeout=10000")
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
                # Checkpoint (and fsync) every ~64 MiB of WAL rather than every 4 MiB: ingest
                # writes in bulk, and each checkpoint is a disk flush.
                self._conn.execute("PRAGMA wal_autocheckpoint=16384")
                self._conn.execute("PRAGMA cache_size=-262144")  # 256 MiB page cache
                self._conn.executescript(SCHEMA)
                self._add_case_columns()
                self._conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                self._conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', lower(hex(randomblob(8))))")
                self._upgrade()
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailableError(str(path), str(exc)) from None
        self._lock = threading.RLock()

    def _upgrade(self) -> None:
        """Bring a store written by an earlier version up to this one, in one transaction."""
        version = int(self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        if version >= SCHEMA_VERSION:
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            rows = self._conn.execute("SELECT rowid, type, label, aliases, search_names FROM entities WHERE type IN (SELECT value FROM json_each(?))",
                                      (json.dumps(sorted(NUMBERED_TYPES)),)).fetchall()  # fmt: skip
            for row in rows:
                names = search_names(row["type"], row["label"], json.loads(row["aliases"]))
                self._conn.execute(
                    "INSERT INTO entity_fts(entity_fts, rowid, search_names) VALUES ('delete', ?, ?)", (row["rowid"], row["search_names"])
                )
                self._conn.execute("UPDATE entities SET search_names = ? WHERE rowid = ?", (names, row["rowid"]))
                self._conn.execute("INSERT INTO entity_fts(rowid, search_names) VALUES (?, ?)", (row["rowid"], names))
            self._conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _add_case_columns(self) -> None:
        """Judgements and marks got their case later: a store written before gains the column
        (NULL: the record acts on every case, as it did when it was made)."""
        for table, column, definition in (("judgements", "case_id", "TEXT"), ("marks", "case_id", "TEXT"),
                                          ("entities", "versions_json", "TEXT NOT NULL DEFAULT '{}'")):  # fmt: skip
            columns = {r["name"] for r in self._conn.execute(f"PRAGMA table_info({table})")}  # noqa: S608 - fixed names
            if column not in columns:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")  # noqa: S608 - fixed names

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            # A new random token rather than a count: a store cleared and refilled never
            # repeats one a cache may still hold.
            self._conn.execute("UPDATE meta SET value = lower(hex(randomblob(8))) WHERE key = 'generation'")
            self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params if isinstance(params, dict) else tuple(params)).fetchall()

    def _edges(self, sql: str, params: list[Any]) -> list[EdgeRow]:
        return [edge_from_row(dict(r)) for r in self._query(sql, params)]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def clear(self) -> None:
        with self._transaction() as conn:
            for table in (
                "retired",
                "corrections",
                "marks",
                "judgements",
                "evidence",
                "relationships",
                "mentions",
                "entities",
                "document_cases",
                "documents",
                "cases",
            ):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            conn.execute("INSERT INTO entity_fts(entity_fts) VALUES ('delete-all')")
            conn.execute("INSERT INTO document_fts(document_fts) VALUES ('delete-all')")

    # ------------------------------------------------------------------ writes

    def write(self, batch: Batch) -> WriteSummary:
        with self._transaction() as conn:
            prepared = prepare_batch(batch, _Lookup(conn))
            document_ids = json.dumps([d["id"] for d in prepared.documents])
            entity_ids = json.dumps([e["id"] for e in prepared.entities])
            stored_documents = {
                r[0] for r in conn.execute("SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))", (document_ids,))
            }
            new_document_ids = json.dumps([d["id"] for d in prepared.documents if d["id"] not in stored_documents])
            # Entities being rewritten leave the full-text index under their old names first.
            conn.execute(
                "INSERT INTO entity_fts(entity_fts, rowid, search_names) SELECT 'delete', rowid, search_names "
                "FROM entities WHERE id IN (SELECT value FROM json_each(?))",
                (entity_ids,),
            )
            self._write_documents(conn, prepared, new_document_ids)
            self._write_entities_and_links(conn, prepared, entity_ids)
        return prepared.summary()

    @staticmethod
    def _write_documents(conn: sqlite3.Connection, prepared: PreparedBatch, new_document_ids: str) -> None:
        """Cases, documents (written once: same id, same bytes) and their cases, and the text index."""
        conn.executemany(
            "INSERT INTO cases(id, name, description) VALUES (:id, :name, :description) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description",
            prepared.cases,
        )
        # Same id means same bytes: a document is written once and only gains cases.
        conn.executemany(
            "INSERT INTO documents(id, title, text, length, source_path, media_type, page_starts, metadata_json) "
            "VALUES (:id, :title, :text, :length, :source_path, :media_type, :page_starts_json, :metadata_json) "
            "ON CONFLICT(id) DO NOTHING",
            [{**d, "page_starts_json": to_json(d["page_starts"])} for d in prepared.documents],
        )
        conn.execute(
            "INSERT INTO document_fts(rowid, title, text) SELECT rowid, title, text FROM documents "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (new_document_ids,),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO document_cases(document_id, case_id) VALUES (?, ?)",
            [(d["id"], c) for d in prepared.documents for c in d["case_ids"]],
        )

    @staticmethod
    def _write_entities_and_links(conn: sqlite3.Connection, prepared: PreparedBatch, entity_ids: str) -> None:
        """Entities with their index, mentions, relationships and evidence."""
        conn.executemany(
            "INSERT INTO entities(id, type, label, aliases, properties_json, search_names, versions_json) "
            "VALUES (:id, :type, :label, :aliases_json, :properties_json, :search_names, :versions_json) "
            "ON CONFLICT(id) DO UPDATE SET label = excluded.label, aliases = excluded.aliases, "
            "properties_json = excluded.properties_json, search_names = excluded.search_names, versions_json = excluded.versions_json",
            [{**e, "aliases_json": to_json(e["aliases"])} for e in prepared.entities],
        )
        conn.execute(
            "INSERT INTO entity_fts(rowid, search_names) SELECT rowid, search_names FROM entities "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (entity_ids,),
        )
        conn.executemany(
            'INSERT INTO mentions(id, document_id, entity_type, text, normalized, start, "end", page, sentence, '
            "method, confidence, extractor_version, entity_id) VALUES (:id, :document_id, :entity_type, :text, "
            ":normalized, :start, :end, :page, :sentence, :method, :confidence, :extractor_version, :entity_id) "
            "ON CONFLICT(id) DO UPDATE SET entity_type = excluded.entity_type, text = excluded.text, "
            'normalized = excluded.normalized, start = excluded.start, "end" = excluded."end", page = excluded.page, '
            "sentence = excluded.sentence, method = excluded.method, confidence = excluded.confidence, "
            "extractor_version = excluded.extractor_version, entity_id = excluded.entity_id",
            prepared.mentions,
        )
        conn.executemany(
            "INSERT INTO relationships(id, type, source_id, target_id, date, confidence, evidence_count, "
            "properties_json) VALUES (:id, :type, :source_id, :target_id, :date, :confidence, :evidence_count, "
            ":properties_json) "
            "ON CONFLICT(id) DO UPDATE SET date = excluded.date, properties_json = excluded.properties_json",
            prepared.relationships,
        )
        conn.executemany(
            'INSERT INTO evidence(id, relationship_id, document_id, start, "end", page, row, text, method, '
            "confidence, extractor_version) VALUES (:id, :relationship_id, :document_id, :start, :end, :page, "
            ":row, :text, :method, :confidence, :extractor_version) "
            "ON CONFLICT(id) DO UPDATE SET page = excluded.page, row = excluded.row, text = excluded.text, "
            "confidence = excluded.confidence, extractor_version = excluded.extractor_version",
            prepared.evidence,
        )
        # A relationship is as strong as its strongest evidence, old or new. New ones
        # already carry the figures of their (only) evidence, from this batch.
        conn.execute(
            "UPDATE relationships SET (confidence, evidence_count) = "
            "(SELECT max(e.confidence), count(*) FROM evidence e WHERE e.relationship_id = relationships.id) "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(prepared.existing_relationship_ids)),),
        )

    def replace_reading(self, batch: Batch, at: str, reason: str) -> ReadingChange:
        with self._transaction() as conn:
            prepared = prepare_batch(batch, _Lookup(conn), replacing_documents=True)
            document_ids = json.dumps([d["id"] for d in prepared.documents])
            entity_ids = json.dumps([e["id"] for e in prepared.entities])
            conn.execute(
                "INSERT INTO entity_fts(entity_fts, rowid, search_names) SELECT 'delete', rowid, search_names "
                "FROM entities WHERE id IN (SELECT value FROM json_each(?))",
                (entity_ids,),
            )
            # The reader may now give another text: it replaces the stored one, and its index.
            conn.execute(
                "INSERT INTO document_fts(document_fts, rowid, title, text) SELECT 'delete', rowid, title, text "
                "FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                (document_ids,),
            )
            conn.executemany(
                "UPDATE documents SET title = :title, text = :text, length = :length, media_type = :media_type, "
                "page_starts = :page_starts_json, metadata_json = :metadata_json WHERE id = :id",
                [{**d, "page_starts_json": to_json(d["page_starts"])} for d in prepared.documents],
            )
            self._write_documents(conn, prepared, document_ids)
            self._write_entities_and_links(conn, prepared, entity_ids)
            return self._retire(conn, prepared, at, reason)

    @staticmethod
    def _retire(conn: sqlite3.Connection, prepared: PreparedBatch, at: str, reason: str) -> ReadingChange:
        """Move what the documents' new reading no longer gives into `retired`, then settle the
        relationships it supported and the entities it referred to."""
        scope = {
            "docs": json.dumps([d["id"] for d in prepared.documents]),
            "kept_mentions": json.dumps([m["id"] for m in prepared.mentions]),
            "kept_evidence": json.dumps([e["id"] for e in prepared.evidence]),
            "at": at,
            "reason": reason,
        }
        conn.execute(_RETIRE_MENTIONS, scope)
        mentions = conn.execute(_DROP_RETIRED_MENTIONS, scope).rowcount
        conn.execute(_RETIRE_EVIDENCE, scope)
        touched = json.dumps(sorted({r[0] for r in conn.execute(_RETIRED_EVIDENCE_RELATIONSHIPS, scope)}))
        evidence = conn.execute(_DROP_RETIRED_EVIDENCE, scope).rowcount
        conn.execute(
            "UPDATE relationships SET (confidence, evidence_count) = "
            "(SELECT coalesce(max(e.confidence), 0), count(*) FROM evidence e WHERE e.relationship_id = relationships.id) "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (touched,),
        )
        ends = {r[0] for r in conn.execute(_RETIRED_RELATIONSHIP_ENDS, (touched,)) for r in (r[:1], r[1:])}
        removed = conn.execute(
            "DELETE FROM relationships WHERE evidence_count = 0 AND id IN (SELECT value FROM json_each(?))", (touched,)
        ).rowcount
        candidates = json.dumps(sorted(ends | {r[0] for r in conn.execute(_RETIRED_MENTION_ENTITIES, scope)}))
        conn.execute(_RETIRE_ORPHAN_ENTITIES, {"ids": candidates, "at": at, "reason": reason})
        conn.execute(
            "INSERT INTO entity_fts(entity_fts, rowid, search_names) SELECT 'delete', rowid, search_names FROM entities "
            "WHERE id IN (SELECT id FROM retired WHERE kind = 'entity' AND retired_at = ? AND id IN (SELECT value FROM json_each(?)))",
            (at, candidates),
        )
        entities = conn.execute(
            "DELETE FROM entities WHERE id IN (SELECT id FROM retired WHERE kind = 'entity' AND retired_at = ? "
            "AND id IN (SELECT value FROM json_each(?)))",
            (at, candidates),
        ).rowcount
        return ReadingChange(written=prepared.summary(), retired_mentions=mentions, retired_evidence=evidence,
                             removed_relationships=removed, retired_entities=entities)  # fmt: skip

    def retired(self, document_id: str) -> list[RetiredRecord]:
        rows = self._query(
            "SELECT kind, id, document_id, retired_at, reason, record_json FROM retired WHERE document_id = ? ORDER BY rowid",
            (document_id,),
        )
        return [
            RetiredRecord(
                kind=r["kind"],
                id=r["id"],
                document_id=r["document_id"],
                retired_at=r["retired_at"],
                reason=r["reason"],
                record=without_nulls(json.loads(r["record_json"])),
            )  # fmt: skip
            for r in rows
        ]

    # ------------------------------------------------------------------ reads

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        ids = list(ids)
        if not ids:
            return {}
        rows = self._query(
            "SELECT id, type, label, aliases, properties_json FROM entities WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        return {r["id"]: entity_from_row({**dict(r), "aliases": json.loads(r["aliases"])}) for r in rows}

    def incident_edges(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        ids = json.dumps(sorted(set(node_ids)))
        where, params = _filter_sql(filters)
        columns, column_params = _edge_columns(filters)
        return self._edges(
            f"SELECT {columns} FROM relationships r "
            f"WHERE r.source_id IN (SELECT value FROM json_each(?)) AND {where} "
            f"UNION SELECT {columns} FROM relationships r "
            f"WHERE r.target_id IN (SELECT value FROM json_each(?)) AND {where} ORDER BY 1",
            [*column_params, ids, *params, *column_params, ids, *params],
        )

    def edges_among(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        ids = json.dumps(sorted(set(node_ids)))
        where, params = _filter_sql(filters)
        columns, column_params = _edge_columns(filters)
        return self._edges(
            f"SELECT {columns} FROM relationships r "
            f"WHERE r.source_id IN (SELECT value FROM json_each(?)) "
            f"AND r.target_id IN (SELECT value FROM json_each(?)) AND {where} ORDER BY r.id",
            [*column_params, ids, ids, *params],
        )

    def neighbour_pairs(self, node_ids: Iterable[str], filters: GraphFilter) -> list[tuple[str, str]]:
        ids = json.dumps(list(set(node_ids)))
        where, params = _filter_sql(filters)
        sql = (
            "SELECT r.source_id, r.target_id FROM relationships r "
            f"WHERE r.source_id IN (SELECT value FROM json_each(?)) AND {where} "
            "UNION ALL SELECT r.source_id, r.target_id FROM relationships r "
            f"WHERE r.target_id IN (SELECT value FROM json_each(?)) AND {where}"
        )
        with self._lock:
            cursor = self._conn.cursor()
            cursor.row_factory = None  # plain tuples: this runs for every layer of a path search
            return cursor.execute(sql, [ids, *params, ids, *params]).fetchall()

    def entity_types(self, ids: Iterable[str]) -> dict[str, str]:
        with self._lock:
            return _Lookup(self._conn).entity_types(ids)

    def relationship_keys(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        with self._lock:
            return _Lookup(self._conn).relationship_keys(ids)

    def all_edges(self, filters: GraphFilter) -> list[EdgeRow]:
        where, params = _filter_sql(filters)
        columns, column_params = _edge_columns(filters)
        return self._edges(f"SELECT {columns} FROM relationships r WHERE {where} ORDER BY r.id", [*column_params, *params])

    def case_entity_ids(self, case_id: str) -> set[str]:
        rows = self._query(
            "SELECT m.entity_id AS id FROM mentions m JOIN document_cases dc ON dc.document_id = m.document_id "
            "WHERE dc.case_id = ? AND m.entity_id IS NOT NULL "
            "UNION SELECT r.source_id FROM relationships r JOIN evidence e ON e.relationship_id = r.id "
            "JOIN document_cases dc ON dc.document_id = e.document_id WHERE dc.case_id = ? "
            "UNION SELECT r.target_id FROM relationships r JOIN evidence e ON e.relationship_id = r.id "
            "JOIN document_cases dc ON dc.document_id = e.document_id WHERE dc.case_id = ?",
            (case_id, case_id, case_id),
        )
        return {r["id"] for r in rows}

    def all_entity_ids(self) -> set[str]:
        return {r["id"] for r in self._query("SELECT id FROM entities")}

    def case_document_ids(self, case_ids: Iterable[str]) -> set[str]:
        rows = self._query("SELECT DISTINCT document_id FROM document_cases WHERE case_id IN (SELECT value FROM json_each(?))",
                           (json.dumps(sorted(set(case_ids))),))  # fmt: skip
        return {r["document_id"] for r in rows}

    def mention_count(self, document_ids: Iterable[str]) -> int:
        rows = self._query("SELECT count(*) FROM mentions WHERE document_id IN (SELECT value FROM json_each(?))",
                           (json.dumps(sorted(set(document_ids))),))  # fmt: skip
        return rows[0][0]

    def generation(self) -> str:
        return str(self._query("SELECT value FROM meta WHERE key = 'generation'")[0][0])

    def ping(self) -> None:
        self._query("SELECT 1")

    def all_document_ids(self) -> set[str]:
        return {r["id"] for r in self._query("SELECT id FROM documents")}

    def cases(self) -> list[Case]:
        return [Case(**r) for r in self._query("SELECT id, name, description FROM cases ORDER BY name, id")]

    def evidence(self, relationship_ids: Iterable[str]) -> dict[str, list[StoredEvidence]]:
        ids = list(relationship_ids)
        result: dict[str, list[StoredEvidence]] = {i: [] for i in ids}
        if not ids:
            return result
        rows = self._query(
            'SELECT e.id, e.relationship_id, e.document_id, e.start, e."end", e.page, e.row, e.text, e.method, '
            "e.confidence, e.extractor_version, d.title AS document_title FROM evidence e "
            "JOIN documents d ON d.id = e.document_id "
            "WHERE e.relationship_id IN (SELECT value FROM json_each(?)) ORDER BY e.document_id, e.start, e.id",
            (json.dumps(ids),),
        )
        for r in rows:
            result[r["relationship_id"]].append(StoredEvidence(**dict(r)))
        return result

    def get_entity(self, entity_id: str, mention_limit: int = 1000, relationship_limit: int = 1000) -> EntityDetail:
        entity = self._require_entity(entity_id)
        mention_rows = self._query(
            'SELECT m.id, m.document_id, m.entity_type, m.text, m.normalized, m.start, m."end", m.page, m.sentence, '
            "m.method, m.confidence, m.extractor_version, m.entity_id, d.title AS document_title "
            "FROM mentions m JOIN documents d ON d.id = m.document_id WHERE m.entity_id = ? "
            "ORDER BY m.document_id, m.start LIMIT ?",
            (entity_id, mention_limit),
        )
        # A compartment reads the mentions alone (relationship_limit=0) and its own relationships.
        edges = self.incident_edges([entity_id], GraphFilter())[:relationship_limit] if relationship_limit else []
        return EntityDetail(
            entity=entity,
            mentions=[MentionView(**dict(r)) for r in mention_rows],
            relationships=self.relationship_views(edges),
        )

    def document_mentions(self, document_id: str, limit: int = 10_000) -> list[Mention]:
        self.get_document(document_id)  # NotFoundError for an unknown id
        rows = self._query(
            'SELECT id, document_id, entity_type, text, normalized, start, "end", page, sentence, method, confidence, '
            'extractor_version, entity_id FROM mentions WHERE document_id = ? ORDER BY start, "end", id LIMIT ?',
            (document_id, limit),
        )
        return [Mention(**dict(r)) for r in rows]

    def get_document(self, document_id: str) -> Document:
        rows = self._query(
            "SELECT d.*, (SELECT json_group_array(case_id) FROM "
            "(SELECT case_id FROM document_cases dc WHERE dc.document_id = d.id ORDER BY case_id)) AS case_ids "
            "FROM documents d WHERE d.id = ?",
            (document_id,),
        )
        if not rows:
            raise NotFoundError("document", document_id)
        r = rows[0]
        return Document(
            id=r["id"],
            title=r["title"],
            text=r["text"],
            source_path=r["source_path"],
            media_type=r["media_type"],
            case_ids=tuple(json.loads(r["case_ids"])),
            page_starts=tuple(json.loads(r["page_starts"])),
            metadata=json.loads(r["metadata_json"]),
        )

    def judgements(self, entity_id=None):
        if entity_id is None:
            return kept_records(
                self, "judgements", lambda: tuple(_judgement(r) for r in self._query("SELECT * FROM judgements ORDER BY at, id"))
            )
        rows = self._query("SELECT * FROM judgements WHERE left_id = ? OR right_id = ? ORDER BY at, id", (entity_id, entity_id))
        return [_judgement(r) for r in rows]

    def judgements_by_id(self, ids):
        rows = self._query("SELECT * FROM judgements WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))
        return {r["id"]: _judgement(r) for r in rows}

    def _insert_judgements(self, judgements):
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO judgements(id, left_id, right_id, decision, by_whom, at, score, features_json, reason, retracts, case_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(j.id, j.left_id, j.right_id, str(j.decision), j.by, j.at, j.score, to_json(j.features), j.reason, j.retracts, j.case_id)
                 for j in judgements],
            )  # fmt: skip

    def marks(self, entity_ids=None):
        if entity_ids is None:
            rows = self._query("SELECT * FROM marks ORDER BY at, id")
        else:
            rows = self._query("SELECT * FROM marks WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY at, id",
                               (json.dumps(sorted(set(entity_ids))),))  # fmt: skip
        return [EntityMark(id=r["id"], entity_id=r["entity_id"], mark=r["mark"], value=bool(r["value"]), by=r["by_whom"], at=r["at"],
                           reason=r["reason"], case_id=r["case_id"]) for r in rows]  # fmt: skip

    def _insert_mark(self, mark):
        with self._transaction() as conn:
            conn.execute("INSERT INTO marks(id, entity_id, mark, value, by_whom, at, reason, case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (mark.id, mark.entity_id, str(mark.mark), int(mark.value), mark.by, mark.at, mark.reason, mark.case_id))  # fmt: skip

    def entity_versions(self, ids):
        return _versions(self._query("SELECT id, versions_json FROM entities WHERE id IN (SELECT value FROM json_each(?))",
                                     (json.dumps(sorted(set(ids))),)))  # fmt: skip

    def corrections(self, case_ids=None):
        wanted = None if case_ids is None else frozenset(case_ids)

        def read() -> tuple[Correction, ...]:
            if wanted is None:
                rows = self._query("SELECT record_json FROM corrections ORDER BY at, id")
            else:
                rows = self._query("SELECT record_json FROM corrections WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY at, id",
                                   (json.dumps(sorted(wanted)),))  # fmt: skip
            return tuple(Correction.model_validate_json(r["record_json"]) for r in rows)

        return kept_records(self, ("corrections", wanted), read)

    def _insert_correction(self, correction):
        with self._transaction() as conn:
            conn.execute("INSERT INTO corrections(id, case_id, at, record_json) VALUES (?, ?, ?, ?)",
                         (correction.id, correction.case_id, correction.at, correction.model_dump_json()))  # fmt: skip

    def document_cases(self, document_ids):
        rows = self._query(
            "SELECT d.id, dc.case_id FROM documents d LEFT JOIN document_cases dc ON dc.document_id = d.id "
            "WHERE d.id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(document_ids)),),
        )
        found: dict[str, set[str]] = {}
        for r in rows:
            cases = found.setdefault(r["id"], set())
            if r["case_id"] is not None:
                cases.add(r["case_id"])
        return found

    def search(self, query: str, limit: int = 20, entity_ids: Iterable[str] | None = None,
               document_ids: Iterable[str] | None = None) -> list[SearchHit]:  # fmt: skip
        terms, names = search_terms(query), entity_search_terms(query)
        if not terms:
            return []
        limit = max(1, min(limit, 200))
        match = " AND ".join(f'"{t}"*' for t in terms)
        name_match = " AND ".join(f'"{t}"*' for t in names)
        only_entities = None if entity_ids is None else json.dumps(sorted(set(entity_ids)))
        only_documents = None if document_ids is None else json.dumps(sorted(set(document_ids)))
        entity_rows = self._query(
            "SELECT e.id, e.type, e.label, -bm25(entity_fts) AS score FROM entity_fts "
            "JOIN entities e ON e.rowid = entity_fts.rowid WHERE entity_fts MATCH ? "
            "AND (? IS NULL OR e.id IN (SELECT value FROM json_each(?))) "
            "ORDER BY score DESC, e.label, e.id LIMIT ?",
            (name_match, only_entities, only_entities, limit),
        )
        document_rows = self._query(
            "SELECT d.id, d.title, d.text, -bm25(document_fts) AS score FROM document_fts "
            "JOIN documents d ON d.rowid = document_fts.rowid WHERE document_fts MATCH ? "
            "AND (? IS NULL OR d.id IN (SELECT value FROM json_each(?))) "
            "ORDER BY score DESC, d.title, d.id LIMIT ?",
            (match, only_documents, only_documents, limit),
        )
        hits = [SearchHit(kind="entity", id=r["id"], label=r["label"], type=r["type"], score=r["score"]) for r in entity_rows]
        hits += [
            SearchHit(
                kind="document",
                id=r["id"],
                label=r["title"],
                type="Document",
                score=r["score"],
                snippet=snippet(r["text"], terms),
            )
            for r in document_rows
        ]
        return hits

    def counts(self) -> dict[str, Any]:
        def scalar(sql: str) -> int:
            return self._query(sql)[0][0]

        return {
            "cases": scalar("SELECT count(*) FROM cases"),
            "documents": scalar("SELECT count(*) FROM documents"),
            "mentions": scalar("SELECT count(*) FROM mentions"),
            "evidence": scalar("SELECT count(*) FROM evidence"),
            "entities": {r[0]: r[1] for r in self._query("SELECT type, count(*) FROM entities GROUP BY type ORDER BY type")},
            "relationships": {r[0]: r[1] for r in self._query("SELECT type, count(*) FROM relationships GROUP BY type ORDER BY type")},
        }
