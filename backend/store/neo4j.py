"""The team-server store: Neo4j 5.26 over Bolt with the official driver.

Every statement comes from cypher/*.cypher by name and runs with parameters.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterable

from neo4j import READ_ACCESS, WRITE_ACCESS, Driver, GraphDatabase, ManagedTransaction, Result, Transaction
from neo4j import exceptions as neo4j_errors

import cypher
from backend.domain.errors import InvalidRecordError, NotFoundError, StoreUnavailableError
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
from backend.store.batch_writer import BatchWriter, WritesInTurn
from backend.store.common import StoreBase, kept_records
from backend.store.rows import edge_from_row, entity_from_row, to_json, without_nulls
from backend.store.snippets import snippet
from backend.store.validation import (
    NUMBERED_TYPES,
    AfterCommitting,
    KnownDocument,
    LookupIds,
    PreparedBatch,
    ShapedAhead,
    StoreLookup,
    prepare_batch,
    prepare_shaped,
    search_names,
    shape_ahead,
)

# Rows per UNWIND: big enough to amortise round trips, small enough to keep the
# server's per-statement memory modest. All chunks of a batch share one transaction.
CHUNK = 5000


def _run_chunked(tx: ManagedTransaction | Transaction, name: str, rows: list[dict[str, Any]]) -> None:
    # Not consumed one by one: the driver sends a statement while the server still runs the one
    # before, so packing the next rows overlaps the server's work; the commit consumes them all
    # (and raises what any of them raised).
    for start in range(0, len(rows), CHUNK):
        tx.run(cypher.load(name), rows=rows[start : start + CHUNK])


def _write_prepared(tx: ManagedTransaction | Transaction, prepared: PreparedBatch, create_new: bool = True) -> None:
    """The batch's rows, each with the statement it needs: records the lookup found no trace of
    are created (a merge costs an index lookup and locks per row; mentions and evidence of a new
    document cannot exist yet), the others merged. `create_new=False` merges everything."""
    keys = {r["id"]: r for r in prepared.relationships}
    evidence_rows = [
        {
            **ev,
            "rel_type": keys[ev["relationship_id"]]["type"],
            "rel_source": keys[ev["relationship_id"]]["source_id"],
            "rel_target": keys[ev["relationship_id"]]["target_id"],
        }
        for ev in prepared.evidence
    ]
    new_documents = {d["id"] for d in prepared.documents if d["id"] not in prepared.existing_document_ids} if create_new else set()

    def split(rows, is_new):
        return [r for r in rows if is_new(r)], [r for r in rows if not is_new(r)]

    documents = split(prepared.documents, lambda r: r["id"] in new_documents)
    entities = split(prepared.entities, lambda r: create_new and r["id"] not in prepared.existing_entity_ids)
    mentions = split(prepared.mentions, lambda r: r["document_id"] in new_documents)
    evidence = split(evidence_rows, lambda r: r["document_id"] in new_documents)
    relationships = split(prepared.relationships, lambda r: r["id"] not in prepared.existing_relationship_ids)
    for name, rows in (
        ("write_cases", prepared.cases),
        ("create_documents", documents[0]),
        ("write_documents", documents[1]),
        ("create_entities", entities[0]),
        ("write_entities", entities[1]),
        ("create_mentions", mentions[0]),
        ("write_mentions", mentions[1]),
        ("create_evidence", evidence[0]),
        ("write_evidence", evidence[1]),
        ("create_relationships", relationships[0]),
        ("update_relationships", relationships[1]),
    ):
        _run_chunked(tx, name, rows)


class _CommitsBehind(BatchWriter):
    """Batches written in turn, each committing while the next is shaped and checked. Python
    shapes and checks a batch while the server has nothing to do, and the server commits one
    while Python waits: about 1 s of the client's work in 7.5 s of writing 126,000 rows
    (benchmarks.store_write). While a batch commits, the next is looked up beside that commit, in
    a read transaction of its own, and checked against the store as it will be after it
    (AfterCommitting); once the commit is done its statements run in a transaction of its own, so
    they see all of it. A batch shaped after the commit ended is looked up inside its write
    transaction, as `write` does. A transaction that fails on the way (a record another writer
    created meanwhile, a transient error, a lost connection, even in the commit) is written
    again by `write`, whose managed transaction retries, looks up and merges what is there;
    writes are idempotent, so a commit whose answer was lost is written twice harmlessly."""

    def __init__(self, store: Neo4jStore):
        self._store = store
        # One thread, so commits land in the order submitted; it mostly waits on the socket.
        self._committer = ThreadPoolExecutor(1, thread_name_prefix="telarana-commit")
        self._last: Future[WriteSummary] | None = None
        self._last_rows: PreparedBatch | None = None  # what the batch committing writes
        self._session: Any = None

    def submit(self, batch: Batch) -> Future[WriteSummary]:
        ahead = shape_ahead(batch)  # while the batch before commits
        checked = self._check_beside_commit(ahead)
        self.wait()

        def work(tx: Transaction) -> PreparedBatch:
            prepared = checked if checked is not None else prepare_shaped(ahead, _Lookup(tx))
            _write_prepared(tx, prepared)
            return prepared

        tx: Transaction | None = None
        try:
            if self._session is None:
                self._session = self._store._write_session()
            tx = self._session.begin_transaction()
            prepared = Neo4jStore._with_new_generation(tx, work)
        except InvalidRecordError:
            self._drop(tx)
            raise
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            self._drop(tx)
            return WritesInTurn(self._store).submit(batch)  # managed: retried, and merges
        self._last, self._last_rows = self._committer.submit(self._commit, tx, prepared, batch), prepared
        return self._last

    def _check_beside_commit(self, ahead: ShapedAhead) -> PreparedBatch | None:
        """The batch looked up and checked while the one before commits; None when that commit
        is over already (the lookup then goes inside the write transaction) or the read failed.
        A bad batch is refused here, after the error of the one before if it had one."""
        last, under_way = self._last, self._last_rows
        if last is None or under_way is None or last.done():
            return None
        try:
            # On the leader, which the write goes to; read only, so closing it rolls back nothing.
            with self._store._write_session() as session, session.begin_transaction() as tx:
                return prepare_shaped(ahead, AfterCommitting(_Lookup(tx), under_way))
        except InvalidRecordError:
            self.wait()
            raise
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            return None

    def _commit(self, tx: Transaction, prepared: PreparedBatch, batch: Batch) -> WriteSummary:
        try:
            tx.commit()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            self._drop(tx)
            return self._store.write(batch)
        return prepared.summary()

    def _drop(self, tx: Transaction | None) -> None:
        """Roll back and close a failed transaction and its session; the next batch opens new ones."""
        session, self._session = self._session, None
        for thing in (tx, session):
            try:
                if thing is not None:
                    thing.close()
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
                pass  # the server dropped it already

    def wait(self) -> None:
        last, self._last, self._last_rows = self._last, None, None
        if last is not None:
            last.result()

    def close(self) -> None:
        try:
            if self._last is not None:
                self._last.exception()  # waits; the error was the caller's to ask for
        finally:
            self._last = self._last_rows = None
            self._committer.shutdown()
            self._drop(None)


class _Lookup(StoreLookup):
    """Reads inside the write transaction: all of a batch's in one statement (read_ahead), sent
    before the batch is shaped and collected when a check first needs it, so the server reads
    while Python shapes the rows; a method asked for ids it did not read ahead reads them on its
    own."""

    def __init__(self, tx: ManagedTransaction | Transaction):
        self.tx = tx
        self._ahead: LookupIds | None = None
        self._answer: Result | None = None
        self._rows: dict[str, dict[str, dict[str, Any]]] = {}

    def _run(self, name: str, **params) -> list[dict[str, Any]]:
        return _plain_rows(self.tx.run(cypher.load(name), **params))

    def read_ahead(self, wanted):
        params = {
            "case_ids": sorted(wanted.case_ids), "document_ids": sorted(wanted.document_ids), "with_text": wanted.with_text,
            "entity_ids": sorted(wanted.entity_ids), "relationship_ids": sorted(wanted.relationship_ids),
        }  # fmt: skip
        self._answer = self.tx.run(cypher.load("lookup_batch"), **params)
        self._ahead = wanted

    def _read_ahead(self, kind: str, ids: list[str], ahead_ids: frozenset[str] | None) -> list[dict[str, Any]] | None:
        if ahead_ids is None or not ahead_ids.issuperset(ids):
            return None
        if self._answer is not None:
            record, self._answer = self._answer.single(strict=True), None
            self._rows = {part: {r["id"]: r for r in record[part]} for part in ("cases", "documents", "entities", "relationships")}
        rows = self._rows[kind]
        return [rows[i] for i in ids if i in rows]

    def documents(self, ids, with_text):
        ids = list(ids)
        ahead = self._ahead.document_ids if self._ahead and self._ahead.with_text >= with_text else None
        rows = self._read_ahead("documents", ids, ahead)
        if rows is None:
            rows = self._run("lookup_documents", ids=ids, with_text=with_text) if ids else []
        return {r["id"]: KnownDocument(r["length"], r["text"] if with_text else None) for r in rows}

    def _entities(self, ids: list[str]) -> list[dict[str, Any]]:
        rows = self._read_ahead("entities", ids, self._ahead.entity_ids if self._ahead else None)
        if rows is None:
            rows = self._run("lookup_entity_types", ids=ids) if ids else []
        return rows

    def entity_types(self, ids):
        return {r["id"]: r["type"] for r in self._entities(list(ids))}

    def relationship_keys(self, ids):
        ids = list(ids)
        rows = self._read_ahead("relationships", ids, self._ahead.relationship_ids if self._ahead else None)
        if rows is None:
            rows = self._run("lookup_relationship_keys", ids=ids) if ids else []
        return {r["id"]: (r["type"], r["source_id"], r["target_id"]) for r in rows}

    def entity_versions(self, ids):
        return _versions(self._entities(list(ids)))

    def case_ids(self, ids):
        ids = list(ids)
        rows = self._read_ahead("cases", ids, self._ahead.case_ids if self._ahead else None)
        if rows is None:
            rows = self._run("lookup_cases", ids=ids) if ids else []
        return {r["id"] for r in rows}


# 2: phones and IDs indexed with the tails of their number (search finds 7 digits of them).
SCHEMA_VERSION = 2


def _versions(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict]]:
    return {r["id"]: json.loads(r["versions_json"]) for r in rows if r["versions_json"] and r["versions_json"] != "{}"}


def _plain_rows(result: Result) -> list[dict[str, Any]]:
    """The statement's rows as dicts. A statement whose one column is `rows` sends them all in one
    record, a list of maps: the driver spent about 18 µs of Python on each record it received, a
    third of the web process's time on a 2-hop neighbourhood. Record.data() is not used either: it
    walks every value to convert nodes and relationships, which no statement here returns."""
    keys = result.keys()
    if keys == ["rows"]:
        return result.single(strict=True)["rows"]
    return [dict(zip(keys, record)) for record in result]


def _filter_params(filters: GraphFilter) -> dict[str, Any]:
    return {
        "min_confidence": filters.min_confidence,
        "types": sorted(str(t) for t in filters.relationship_types) if filters.relationship_types is not None else None,
        "date_from": filters.date_from,
        "date_to": filters.date_to_inclusive,
        "case_id": filters.case_id,
        "compartment": sorted(filters.compartment) if filters.compartment is not None else None,
    }


def _judgement(node: dict[str, Any]) -> Judgement:
    features = json.loads(node.pop("features_json", "{}") or "{}")
    return Judgement(**node, features=features)


class _OneReadTransaction:
    """The reads of one web request in one read transaction: one BEGIN and one end instead of one
    each per read (on Neo4j a request makes five to nine reads, and each transaction's overhead was
    about a third of the web process's share of one). Only the thread that made the first read uses
    it. After `close`, or once the transaction failed, reads go back to a managed transaction each
    (with its retries): nothing is lost when a request outlives it."""

    def __init__(self, driver: Driver, database: str):
        self._driver, self._database = driver, database
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._session: Any = None
        self._tx: Transaction | None = None
        self._busy = self._done = False

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The rows, or None when this read is not the transaction's to make."""
        with self._lock:
            if self._done or self._owner not in (None, threading.get_ident()):
                return None
            self._owner = threading.get_ident()
            self._busy = True
        try:
            if self._tx is None:
                self._session = self._driver.session(database=self._database, default_access_mode=READ_ACCESS,
                                                     bookmark_manager=self._driver.execute_query_bookmark_manager)  # fmt: skip
                self._tx = self._session.begin_transaction()
            return _plain_rows(self._tx.run(cypher.load(name), params))
        except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError) as exc:
            self._done = True  # a failed transaction takes no more reads
            if isinstance(exc, neo4j_errors.Neo4jError) and not exc.is_retryable():
                raise
            return None  # read again in a managed transaction, which retries
        finally:
            with self._lock:
                self._busy = False
                shut = self._done
            if shut:
                self._shut()

    def close(self) -> None:
        with self._lock:
            self._done = True
            if self._busy:
                return  # the read under way shuts it when it ends
        self._shut()

    def _shut(self) -> None:
        tx, session, self._tx, self._session = self._tx, self._session, None, None
        for part in (tx, session):
            if part is not None:
                try:
                    part.close()  # a read transaction: closing it rolls back nothing
                except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError):
                    pass


class Neo4jStore(StoreBase):
    kind = "neo4j"
    _together: _OneReadTransaction | None = None
    _viewed: Neo4jStore | None = None  # a request's view: the store it views
    _generation_seen: str | None = None  # a request's view: the generation its first read of it found

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j", connect_timeout: float = 10.0):
        self.uri = uri
        self.database = database
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=min(connect_timeout, 30.0),
                max_connection_pool_size=20,
                # While the server is down a request should fail soon with a clear 503, not
                # retry for the driver's default 30 s; the next request finds it back.
                max_transaction_retry_time=5.0,
                # Schema and lookup statements name properties an empty database has not seen
                # yet; the server's warnings about that are noise, not news.
                notifications_min_severity="OFF",
            )
        except (ValueError, neo4j_errors.ConfigurationError) as exc:
            raise StoreUnavailableError(uri, f"not a usable Neo4j URI ({exc})") from None
        self._wait_until_reachable(connect_timeout)
        try:
            self._apply_schema()
        except neo4j_errors.ClientError as exc:
            self._driver.close()
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreUnavailableError(uri, f"the server has no database named {database!r} (TELARANA_NEO4J_DATABASE)") from None
            raise StoreUnavailableError(uri, f"{exc.code}: {exc.message}") from None

    def _wait_until_reachable(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._driver.verify_connectivity()
                return
            except neo4j_errors.AuthError as exc:
                self._driver.close()
                raise StoreUnavailableError(self.uri, f"authentication failed ({exc.message})") from None
            except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
                if time.monotonic() >= deadline:
                    self._driver.close()
                    raise StoreUnavailableError(self.uri, f"no Neo4j answered within {timeout:g} s ({type(exc).__name__}: {exc})") from None
                time.sleep(0.5)
            except neo4j_errors.Neo4jError as exc:
                self._driver.close()
                raise StoreUnavailableError(self.uri, f"{exc.code}: {exc.message}") from None

    def _apply_schema(self) -> None:
        # Schema statements run on their own (auto-commit); a write session is routed to the
        # cluster's leader for the database.
        with self._write_session() as session:
            for statement in cypher.statements("schema"):
                session.run(statement).consume()
            session.run(cypher.load("await_indexes"), timeout_seconds=300).consume()
            found = session.run(cypher.load("schema_version")).single()
            version = (found["version"] if found is not None else None) or 1
            if version < SCHEMA_VERSION:
                session.execute_write(self._upgrade)

    @staticmethod
    def _upgrade(tx: ManagedTransaction) -> None:
        """Bring a database written by an earlier version up to this one, in one transaction."""
        rows = [r.data() for r in tx.run(cypher.load("numbered_entities"), types=sorted(NUMBERED_TYPES))]
        names = [{"id": r["id"], "search_names": search_names(r["type"], r["label"], r["aliases"] or [])} for r in rows]
        for start in range(0, len(names), 10_000):
            tx.run(cypher.load("set_search_names"), rows=names[start : start + 10_000]).consume()
        tx.run(cypher.load("set_schema_version"), version=SCHEMA_VERSION).consume()

    def _write_session(self):
        """A session on the database's leader whose writes the reads after them wait for: it
        shares the bookmarks of execute_query (every read), so on a cluster an analyst reads her
        own correction even from a follower."""
        return self._driver.session(database=self.database, default_access_mode=WRITE_ACCESS,
                                    bookmark_manager=self._driver.execute_query_bookmark_manager)  # fmt: skip

    def reads_together(self) -> tuple[Neo4jStore, Callable[[], None]]:
        together = _OneReadTransaction(self._driver, self.database)
        view = copy.copy(self)
        view._together, view._viewed = together, self
        return view, together.close

    def shared(self) -> Neo4jStore:
        return self._viewed or self

    def _read(self, name: str, **params) -> list[dict[str, Any]]:
        if self._together is not None:
            rows = self._together.run(name, params)
            if rows is not None:
                return rows
        try:
            return self._driver.execute_query(cypher.load(name), parameters_=params, database_=self.database, routing_="r",
                                              result_transformer_=_plain_rows)  # fmt: skip
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailableError(self.uri, str(exc)) from None

    def close(self) -> None:
        self._driver.close()

    def clear(self) -> None:
        # CALL … IN TRANSACTIONS commits as it goes, so it cannot run in a managed transaction.
        with self._write_session() as session:
            session.run(cypher.load("delete_everything")).consume()
        self._write_transaction(lambda tx: None)

    # ------------------------------------------------------------------ writes

    def write(self, batch: Batch) -> WriteSummary:
        def work(tx: ManagedTransaction, create_new: bool = True) -> WriteSummary:
            prepared = prepare_batch(batch, _Lookup(tx))
            _write_prepared(tx, prepared, create_new)
            return prepared.summary()

        return self._write_creating_new(work)

    def batch_writer(self) -> BatchWriter:
        return _CommitsBehind(self)

    def _write_creating_new(self, work):
        """Run `work(tx, create_new)` in a write transaction, new records created. A record another
        writer created since the lookup makes the uniqueness constraint refuse it: then the batch
        is written again with merges, which take the record as it now stands."""
        try:
            return self._write_transaction(work)
        except neo4j_errors.ConstraintError:
            return self._write_transaction(lambda tx: work(tx, create_new=False))

    @staticmethod
    def _with_new_generation(tx: ManagedTransaction | Transaction, work):
        result = work(tx)
        tx.run(cypher.load("new_generation")).consume()
        return result

    def _write_transaction(self, work):
        try:
            with self._write_session() as session:
                return session.execute_write(self._with_new_generation, work)
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailableError(self.uri, str(exc)) from None

    def replace_reading(self, batch: Batch, at: str, reason: str) -> ReadingChange:
        def work(tx: ManagedTransaction, create_new: bool = True) -> ReadingChange:
            prepared = prepare_batch(batch, _Lookup(tx), replacing_documents=True)
            _run_chunked(tx, "replace_documents", prepared.documents)
            _write_prepared(tx, prepared, create_new)
            scope: dict[str, Any] = {"document_ids": [d["id"] for d in prepared.documents], "at": at, "reason": reason}
            mentions = tx.run(cypher.load("retire_mentions"), kept=[m["id"] for m in prepared.mentions], **scope).data()
            evidence = tx.run(cypher.load("retire_evidence"), kept=[e["id"] for e in prepared.evidence], **scope).data()
            touched = list({e["id"]: e for e in evidence}.values())
            removed = tx.run(cypher.load("settle_relationships"), rows=touched).single()
            ends = {e[end] for e in touched for end in ("source_id", "target_id")} | {m["entity_id"] for m in mentions if m["entity_id"]}
            orphans = tx.run(cypher.load("retire_orphan_entities"), ids=sorted(ends), at=at, reason=reason).single()
            return ReadingChange(written=prepared.summary(), retired_mentions=len(mentions), retired_evidence=len(evidence),
                                 removed_relationships=removed["removed"] if removed else 0,
                                 retired_entities=orphans["retired"] if orphans else 0)  # fmt: skip

        return self._write_creating_new(work)

    def retired(self, document_id: str) -> list[RetiredRecord]:
        found = []
        for row in self._read("retired_for_document", id=document_id):
            record = dict(row["record"])
            found.append(RetiredRecord(kind=row["kind"], id=record.pop("id"), document_id=record.pop("document_id"),
                                       retired_at=record.pop("retired_at"), reason=record.pop("retired_reason"), record=without_nulls(record)))  # fmt: skip
        return sorted(found, key=lambda r: (r.retired_at, r.kind, r.id))

    # ------------------------------------------------------------------ reads

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        ids = sorted(set(ids))
        if not ids:
            return {}
        return {r["id"]: entity_from_row(r) for r in self._read("entities_by_id", ids=ids)}

    def records_among(self, node_ids: Iterable[str], filters: GraphFilter) -> tuple[dict[str, Entity], list[EdgeRow]]:
        ids = sorted(set(node_ids))
        if not ids:
            return {}, []
        found = self._read("records_among", ids=ids, **_filter_params(filters))[0]
        return {r["id"]: entity_from_row(r) for r in found["entities"]}, [edge_from_row(r) for r in found["rows"]]

    def incident_edges(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        return self._edges_touching(node_ids, filters, both_ends=False)

    def neighbour_pairs(self, node_ids: Iterable[str], filters: GraphFilter) -> list[tuple[str, str]]:
        ids = sorted(set(node_ids))
        if not ids:
            return []
        return [(source, target) for source, target in self._read("neighbour_pairs", ids=ids, **_filter_params(filters))]

    def edges_among(self, node_ids: Iterable[str], filters: GraphFilter) -> list[EdgeRow]:
        return self._edges_touching(node_ids, filters, both_ends=True)

    def _edges_touching(self, node_ids: Iterable[str], filters: GraphFilter, both_ends: bool) -> list[EdgeRow]:
        ids = sorted(set(node_ids))
        if not ids:
            return []
        rows = self._read("incident_edges", ids=ids, both_ends=both_ends, **_filter_params(filters))
        return [edge_from_row(r) for r in rows]

    def relationship_keys(self, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        ids = sorted(set(ids))
        return (
            {r["id"]: (r["type"], r["source_id"], r["target_id"]) for r in self._read("lookup_relationship_keys", ids=ids)} if ids else {}
        )

    def all_edges(self, filters: GraphFilter) -> list[EdgeRow]:
        return [edge_from_row(r) for r in self._read("all_edges", **_filter_params(filters))]

    def case_entity_ids(self, case_id: str) -> set[str]:
        return {r["id"] for r in self._read("case_entity_ids", case_id=case_id)}

    def all_entity_ids(self) -> set[str]:
        return {r["id"] for r in self._read("all_entity_ids")}

    def case_document_ids(self, case_ids: Iterable[str]) -> set[str]:
        return {r["id"] for r in self._read("case_document_ids", case_ids=sorted(set(case_ids)))}

    def mention_count(self, document_ids: Iterable[str]) -> int:
        return self._read("mention_count", ids=sorted(set(document_ids)))[0]["mentions"]

    def ping(self) -> None:
        self._read("ping")

    def generation(self) -> str:
        if self._generation_seen is not None:
            return self._generation_seen
        found = self._read("generation")
        generation = str(found[0]["generation"]) if found and found[0]["generation"] is not None else ""
        if self._together is not None:  # a GET's view: it writes nothing, one read is enough
            self._generation_seen = generation
        return generation

    def all_document_ids(self) -> set[str]:
        return {r["id"] for r in self._read("all_document_ids")}

    def cases(self) -> list[Case]:
        return [Case(**r) for r in self._read("cases_all")]

    def evidence(self, relationship_ids: Iterable[str]) -> dict[str, list[StoredEvidence]]:
        ids = list(relationship_ids)
        result: dict[str, list[StoredEvidence]] = {i: [] for i in ids}
        if ids:
            for r in self._read("evidence_for_relationships", ids=ids):
                result[r["relationship_id"]].append(StoredEvidence(**r))
        return result

    def get_entity(self, entity_id: str, mention_limit: int = 1000, relationship_limit: int = 1000) -> EntityDetail:
        entity = self._require_entity(entity_id)
        mentions = self._read("entity_mentions", id=entity_id, limit=mention_limit)
        # A compartment reads the mentions alone (relationship_limit=0) and its own relationships.
        edges = self.incident_edges([entity_id], GraphFilter())[:relationship_limit] if relationship_limit else []
        return EntityDetail(
            entity=entity,
            mentions=[MentionView(**r) for r in mentions],
            relationships=self.relationship_views(edges),
        )

    def judgements(self, entity_id=None):
        if entity_id is None:
            return kept_records(self, "judgements", lambda: tuple(_judgement(r["judgement"]) for r in self._read("judgements_all")))
        return [_judgement(r["judgement"]) for r in self._read("judgements_for_entity", entity_id=entity_id)]

    def judgements_by_id(self, ids):
        return {j.id: j for j in (_judgement(r["judgement"]) for r in self._read("judgements_by_id", ids=list(ids)))}

    def _create(self, name: str, params: dict[str, Any]) -> None:
        """One append-only record written in its own transaction."""
        try:
            with self._write_session() as session:
                session.execute_write(self._with_new_generation, lambda tx: tx.run(cypher.load(name), **params).consume())
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailableError(self.uri, str(exc)) from None

    def _insert_judgements(self, judgements):
        rows = [j.model_dump(mode="json", exclude={"features"}) | {"features_json": to_json(j.features)} for j in judgements]
        self._write_transaction(lambda tx: _run_chunked(tx, "write_judgements", rows))

    def marks(self, entity_ids=None):
        rows = self._read("marks_all") if entity_ids is None else self._read("marks_for_entities", ids=sorted(set(entity_ids)))
        return [EntityMark(**r["mark"]) for r in rows]

    def _insert_mark(self, mark):
        self._create("write_mark", mark.model_dump(mode="json"))

    def entity_versions(self, ids):
        ids = sorted(set(ids))
        return _versions(self._read("entity_versions", ids=ids)) if ids else {}

    def corrections(self, case_ids=None):
        wanted = None if case_ids is None else frozenset(case_ids)

        def read() -> tuple[Correction, ...]:
            rows = self._read("corrections_all") if wanted is None else self._read("corrections_for_cases", case_ids=sorted(wanted))
            return tuple(Correction.model_validate_json(r["record_json"]) for r in rows)

        return kept_records(self, ("corrections", wanted), read)

    def _insert_correction(self, correction):
        self._create("write_correction", {"id": correction.id, "case_id": correction.case_id, "at": correction.at,
                                          "record_json": correction.model_dump_json()})  # fmt: skip

    def document_cases(self, document_ids):
        return {r["id"]: set(r["case_ids"]) for r in self._read("document_cases", ids=list(document_ids))}

    def document_mentions(self, document_id: str, limit: int = 10_000) -> list[Mention]:
        self.get_document(document_id)  # NotFoundError for an unknown id
        return [Mention(**r) for r in self._read("document_mentions", id=document_id, limit=limit)]

    def get_document(self, document_id: str) -> Document:
        rows = self._read("document_by_id", id=document_id)
        if not rows:
            raise NotFoundError("document", document_id)
        r = rows[0]
        return Document(
            id=r["id"],
            title=r["title"],
            text=r["text"],
            source_path=r["source_path"],
            media_type=r["media_type"],
            case_ids=tuple(r["case_ids"]),
            page_starts=tuple(r["page_starts"] or ()),
            metadata=json.loads(r["metadata_json"] or "{}"),
        )

    def search(self, query: str, limit: int = 20, entity_ids: Iterable[str] | None = None,
               document_ids: Iterable[str] | None = None) -> list[SearchHit]:  # fmt: skip
        terms, names = search_terms(query), entity_search_terms(query)
        if not terms:
            return []
        limit = max(1, min(limit, 200))
        # Terms are folded alphanumerics only, so they cannot carry Lucene syntax.
        lucene = " AND ".join(f"{t}*" for t in terms)
        lucene_names = " AND ".join(f"{t}*" for t in names)
        found = self._read("search", names=lucene_names, text=lucene, limit=limit,
                           entity_ids=None if entity_ids is None else sorted(set(entity_ids)),
                           document_ids=None if document_ids is None else sorted(set(document_ids)))[0]  # fmt: skip
        hits = [SearchHit(kind="entity", id=r["id"], label=r["label"], type=r["type"], score=r["score"]) for r in found["entities"]]
        hits += [
            SearchHit(kind="document", id=r["id"], label=r["title"], type="Document", score=r["score"], snippet=snippet(r["text"], terms))
            for r in found["documents"]
        ]
        return hits

    def counts(self) -> dict[str, Any]:
        r = self._read("counts")[0]
        return {
            "cases": r["cases"],
            "documents": r["documents"],
            "mentions": r["mentions"],
            "evidence": r["evidence"],
            "entities": {t: n for t, n in r["entities"]},
            "relationships": {t: n for t, n in r["relationships"]},
        }
