"""What only one of the stores can get wrong: opening, reaching, schema."""

from __future__ import annotations

import pytest

import cypher
from backend.domain.errors import StoreUnavailableError
from backend.store import launcher as neo4j_launcher
from backend.store.neo4j import Neo4jStore
from backend.store.sqlite import SqliteStore


def test_neo4j_unreachable_names_the_uri():
    with pytest.raises(StoreUnavailableError) as caught:
        Neo4jStore("bolt://127.0.0.1:9", "neo4j", "whatever", connect_timeout=1)
    assert "bolt://127.0.0.1:9" in str(caught.value)
    assert "no Neo4j answered" in str(caught.value)


def test_neo4j_bad_uri_is_a_clear_error():
    with pytest.raises(StoreUnavailableError, match="not a usable Neo4j URI"):
        Neo4jStore("http//nowhere", "neo4j", "x", connect_timeout=1)


@pytest.mark.neo4j
def test_neo4j_wrong_password_is_a_clear_error(neo4j_server):
    uri, user, password = neo4j_server
    if not password:
        pytest.fail("the test Neo4j must run with authentication")
    with pytest.raises(StoreUnavailableError, match="authentication failed"):
        Neo4jStore(uri, user, password + "-wrong", connect_timeout=5)


@pytest.mark.neo4j
def test_neo4j_schema_constraints_and_indexes_exist(neo4j_store_session):
    driver = neo4j_store_session._driver
    names = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert {"entity_id", "document_id", "mention_id", "case_id", "evidence_id", "called_id"} <= names
    indexes = {r["name"]: r["state"] for r in driver.execute_query("SHOW INDEXES YIELD name, state").records}
    assert indexes["entity_names"] == "ONLINE"
    assert indexes["document_text"] == "ONLINE"


def test_sqlite_path_that_cannot_be_a_database_is_a_clear_error(tmp_path):
    (tmp_path / "a-directory").mkdir()
    with pytest.raises(StoreUnavailableError) as caught:
        SqliteStore(tmp_path / "a-directory")
    assert "a-directory" in str(caught.value)


def test_sqlite_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x00\xff" * 4096)
    with pytest.raises(StoreUnavailableError):
        SqliteStore(garbage)


def test_every_cypher_file_is_used_and_every_used_name_exists():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    files = {p.stem for p in (root / "cypher").glob("*.cypher")}
    code = (root / "backend" / "store" / "neo4j.py").read_text(encoding="utf-8")
    called = set(re.findall(r'(?:load|_read|_run|statements)\("([a-z_]+)"', code))
    assert called - files == set(), "code names Cypher files that do not exist"
    named = set(re.findall(r'"([a-z_]+)"', code))
    assert files - named == set(), "Cypher files nothing runs"
    for name in files:
        assert cypher.load(name)
    with pytest.raises(KeyError):
        cypher.load("no_such_statement")


def test_launcher_without_sources_says_where_it_looked(tmp_path):
    with pytest.raises(neo4j_launcher.LauncherError, match="no launcher sources"):
        neo4j_launcher.build(tmp_path)


@pytest.mark.neo4j
def test_neo4j_a_routing_uri_reads_through_read_transactions_and_writes_through_write_ones(neo4j_server):
    """neo4j:// asks the server for its routing table (a cluster's or Aura's answer names a leader
    and readers); each read must be a managed read transaction and each write a managed write
    transaction, or a cluster could not route them and retry them."""
    from backend.domain.model import Batch
    from tests import factories as f

    uri, user, password = neo4j_server
    routed = uri.replace("bolt://", "neo4j://", 1)
    store = Neo4jStore(routed, user, password, database="neo4j", connect_timeout=30)
    try:
        assert type(store._driver).__name__ == "Neo4jDriver"  # the routing driver, not a direct connection
        store.clear()
        calls: list[str] = []
        real_query, real_session = store._driver.execute_query, store._driver.session

        def query(*args, **kwargs):
            calls.append(f"query routed {kwargs.get('routing_')}")
            return real_query(*args, **kwargs)

        def session(**kwargs):
            opened = real_session(**kwargs)
            for kind in ("execute_read", "execute_write"):
                real = getattr(opened, kind)
                setattr(opened, kind, lambda work, *a, _kind=kind, _real=real, **k: calls.append(_kind) or _real(work, *a, **k))
            return opened

        store._driver.execute_query, store._driver.session = query, session
        doc = f.document("Informe: LUZ MERY ARIAS usa el celular 3125550199.")
        person = f.entity("Person", "LUZ MERY ARIAS")
        store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(person,), mentions=(f.mention(doc, "LUZ MERY ARIAS", person),)))
        assert calls == ["execute_write"]
        calls.clear()
        assert store.get_entity(person.id).entity.label == "LUZ MERY ARIAS" and store.counts()["documents"] == 1
        assert store.search("luz mery")[0].id == person.id
        assert calls and set(calls) == {"query routed r"}
    finally:
        store.clear()
        store.close()


@pytest.mark.neo4j
def test_neo4j_a_database_the_server_does_not_have_is_a_clear_error(neo4j_server):
    uri, user, password = neo4j_server
    with pytest.raises(StoreUnavailableError, match="the server has no database named 'casos2026'"):
        Neo4jStore(uri, user, password, database="casos2026", connect_timeout=30)


@pytest.mark.neo4j
def test_neo4j_a_record_another_writer_created_since_the_lookup_is_merged_not_refused(neo4j_store_session, monkeypatch):
    """New records are created, not merged (the write benchmark's speed); if another writer
    created one between this transaction's lookup and its write, the constraint refuses the
    create and the batch is written again with merges."""
    from backend.domain.model import Batch
    from backend.store import neo4j as module
    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    doc = f.document("Informe: NELSON RUEDA viajó con MARTA GIL.")
    nelson, marta = f.entity("Person", "NELSON RUEDA"), f.entity("Person", "MARTA GIL")
    store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(nelson,), mentions=(f.mention(doc, "NELSON RUEDA", nelson),)))
    before = store.content_digest(stamps=False)
    # The lookup misses the stored Nelson, as if he had been written after it ran.
    real = module._Lookup.entity_types
    monkeypatch.setattr(module._Lookup, "entity_types", lambda self, ids: {k: v for k, v in real(self, ids).items() if k != nelson.id})
    summary = store.write(Batch(entities=(nelson, marta), mentions=(f.mention(doc, "MARTA GIL", marta),)))
    assert summary.entities == 2 and store.counts()["entities"] == {"Person": 2}
    assert store.get_entity(marta.id).mentions and store.content_digest(stamps=False) != before
    monkeypatch.undo()
    again = store.content_digest(stamps=False)
    store.write(Batch(entities=(nelson, marta), mentions=(f.mention(doc, "MARTA GIL", marta),)))
    assert store.content_digest(stamps=False) == again  # idempotent as before
    store.clear()


def test_neo4j_a_write_looks_up_what_it_checks_in_one_statement(neo4j_store_session, monkeypatch):
    """A write's checks read the stored cases, documents, entities and relationships they need
    in one round trip (an ingest writes a few documents at a time, so round trips were most of
    a write), asked for before the batch is shaped so the server reads meanwhile; a second write
    of the same batch, which finds everything, still reads once."""
    import cypher
    from backend.store import validation
    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    g = f.story()
    store.write(g.batch())
    loaded: list[str] = []
    real = cypher.load

    def spy(name):
        loaded.append(name)
        return real(name)

    def shaping(*args):
        loaded.append("(shaping)")
        return real_shape(*args)

    real_shape = validation.shape_batch
    monkeypatch.setattr(cypher, "load", spy)
    monkeypatch.setattr(validation, "shape_batch", shaping)
    before = store.content_digest(stamps=False)
    loaded.clear()
    store.write(g.batch())
    assert [n for n in loaded if n.startswith("lookup_") or n == "entity_versions"] == ["lookup_batch"]
    assert loaded.index("lookup_batch") < loaded.index("(shaping)")
    assert store.content_digest(stamps=False) == before
    store.clear()


def test_neo4j_reads_come_in_one_record_however_many_rows(neo4j_story, monkeypatch):
    """The reads a neighbourhood, a path and a search make send their rows in one record: the
    driver spent about 18 µs of Python on each record, most of the web process's time under load."""
    from backend.domain.model import GraphFilter
    from backend.graph import traversal
    from backend.store import neo4j as module
    from backend.store.corrected import CorrectedStore

    store, g = neo4j_story
    streamed: list[tuple[tuple[str, ...], int]] = []  # (columns, records) of each read
    real = module._plain_rows

    def spy(result):
        rows = real(result)
        streamed.append((tuple(result.keys()), 1 if result.keys() == ["rows"] else len(rows)))
        return rows

    monkeypatch.setattr(module, "_plain_rows", spy)
    seen = CorrectedStore(store)
    recruiter, ana = g.people["recruiter"].id, g.people["ana"].id
    assert len(traversal.neighbourhood(seen, recruiter, hops=2, filters=GraphFilter()).nodes) > 3
    assert traversal.paths(seen, recruiter, ana, k=3, filters=GraphFilter())
    first = seen.incident_edges([recruiter], GraphFilter())[0]
    assert seen.search("Torres") and seen.evidence([first.id])[first.id] and seen.judgements() == []
    assert len(streamed) > 5 and [(columns, n) for columns, n in streamed if n > 1] == []


def counting_reads(store, monkeypatch) -> dict[str, int]:
    """How many managed read transactions (execute_query) and sessions the store's driver opens."""
    counts = {"managed": 0, "sessions": 0}
    driver = store._driver
    real_query, real_session = driver.execute_query, driver.session

    def managed(*args, **kwargs):
        counts["managed"] += 1
        return real_query(*args, **kwargs)

    def session(*args, **kwargs):
        counts["sessions"] += 1
        return real_session(*args, **kwargs)

    monkeypatch.setattr(driver, "execute_query", managed)
    monkeypatch.setattr(driver, "session", session)
    return counts


@pytest.fixture
def neo4j_story(neo4j_store_session):
    """(the session's Neo4j store holding the invented story, the story); emptied after."""
    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    g = f.story()
    store.write(g.batch())
    yield store, g
    store.clear()


def test_neo4j_a_request_reads_in_one_transaction_until_it_ends(neo4j_story, monkeypatch):
    import threading

    from backend.domain.model import GraphFilter

    store, g = neo4j_story
    recruiter = g.people["recruiter"].id
    expected = (store.entities([recruiter]), store.incident_edges([recruiter], GraphFilter()), store.generation())
    counts = counting_reads(store, monkeypatch)
    view, end = store.reads_together()
    assert view.shared() is store and store.shared() is store
    assert (view.entities([recruiter]), view.incident_edges([recruiter], GraphFilter()), view.generation()) == expected
    assert counts == {"managed": 0, "sessions": 1}  # every read in one transaction
    # Another thread's reads (a graph built for several requests) are not the transaction's.
    other: list = []
    worker = threading.Thread(target=lambda: other.append(view.entities([recruiter])))
    worker.start()
    worker.join()
    assert other == [expected[0]] and counts == {"managed": 1, "sessions": 1}
    end()
    assert view.entities([recruiter]) == expected[0] and counts == {"managed": 2, "sessions": 1}  # ended: read as before
    assert store.entities([recruiter]) == expected[0] and counts["managed"] == 3  # the store itself is untouched


def test_neo4j_a_request_whose_transaction_fails_reads_on_in_managed_ones(neo4j_story, monkeypatch):
    from neo4j import exceptions as neo4j_errors

    from backend.store import neo4j as module

    store, g = neo4j_story
    recruiter = g.people["recruiter"].id
    expected = store.entities([recruiter])
    counts = counting_reads(store, monkeypatch)
    view, end = store.reads_together()
    assert view.entities([recruiter]) == expected and counts == {"managed": 0, "sessions": 1}

    real, failures = module._plain_rows, []

    def lost_once(result):
        if not failures:
            failures.append(1)
            raise neo4j_errors.SessionExpired("the connection went away")
        return real(result)

    monkeypatch.setattr(module, "_plain_rows", lost_once)
    assert view.entities([recruiter]) == expected and failures and counts == {"managed": 1, "sessions": 1}
    assert view.entities([recruiter]) == expected and counts == {"managed": 2, "sessions": 1}  # the failed one is not used again
    end()


def _scans(plan) -> list[str]:
    """The operators of a plan that read every node of a label or every entry of an index."""
    own = [plan.get("args", {}).get("Details", plan["operatorType"])] if "Scan" in plan["operatorType"] else []
    return own + [scan for child in plan.get("children", []) for scan in _scans(child)]


@pytest.mark.neo4j
def test_neo4j_a_neighbourhoods_and_a_paths_reads_seek_their_entities_never_scan_them(neo4j_store_session):
    """Each read of a neighbourhood or a path finds its entities through the id index, whatever the
    filters and the statistics. Left to itself, on the sample case the planner scanned every
    entity once per id asked for when the filters were null (an admin's view): about half of the
    load test's Neo4j time. (On 200,000 generated entities it chose the seek on its own.)"""
    from backend.domain.model import GraphFilter, RelType
    from backend.graph import traversal
    from backend.store.neo4j import _filter_params
    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    f.ingest_sample_case(store)
    case_id = store.cases()[0].id
    try:
        hub = max(store.all_entity_ids(), key=lambda i: len(store.incident_edges([i], GraphFilter())))
        ids = sorted(n.id for n in traversal.neighbourhood(store, hub, hops=2).nodes)
        assert len(ids) > 10
        filters = [
            GraphFilter(),
            GraphFilter(compartment=frozenset({case_id})),
            GraphFilter(case_id=case_id, relationship_types=frozenset({RelType.CALLED}), date_from="2024-01-01", date_to="2024-12-31"),
        ]
        with store._driver.session(database=store.database) as session:
            for name, extra in (("neighbour_pairs", {}), ("records_among", {}), ("incident_edges", {"both_ends": True}),
                                ("incident_edges", {"both_ends": False})):  # fmt: skip
                for graph_filter in filters:
                    params = {"ids": ids, **_filter_params(graph_filter), **extra}
                    plan = session.run("EXPLAIN " + cypher.load(name), params).consume().plan
                    assert _scans(plan) == [], (name, graph_filter)
    finally:
        store.clear()


def _evidence_rows_read(plan) -> int:
    """Rows the plan's evidence index seeks produced."""
    own = plan.get("rows", 0) if "IndexSeek" in plan["operatorType"] and "Evidence" in plan.get("args", {}).get("Details", "") else 0
    return own + sum(_evidence_rows_read(child) for child in plan.get("children", []))


@pytest.mark.neo4j
def test_neo4j_a_relationships_key_is_looked_up_on_one_of_its_evidence_not_all(neo4j_story):
    """A write looks up the type and ends of each relationship it carries; they are on every one
    of its evidence, and one is read. A line's holder named on every row of a year of call records
    is one relationship with an evidence per row: reading them all made each write of it slower
    than the one before."""
    from backend.domain.model import Batch, Document, Evidence, sha256_text

    store, g = neo4j_story
    rel = g.relationships["recruiter_phone"]
    rows = f"Registro de llamadas. {'Titular: Juan Carlos Pérez. ' * 40}"
    doc = Document(id=sha256_text(rows), title="CDR", text=rows, case_ids=("caso-1",))
    spans = [i for i in range(len(rows)) if rows.startswith("Titular", i)]
    cited = rel.model_copy(update={"evidence": tuple(
        Evidence(document_id=doc.id, start=i, end=i + 7, text="Titular", method="table:cdr", confidence=0.9, extractor_version="t")
        for i in spans)})  # fmt: skip
    store.write(Batch(documents=(doc,), relationships=(cited,)))
    with store._driver.session(database=store.database) as session:
        for name, column, params in (
            ("lookup_relationship_keys", "rows", {"ids": [rel.id]}),
            ("lookup_batch", "relationships",
             {"case_ids": [], "document_ids": [], "with_text": False, "entity_ids": [], "relationship_ids": [rel.id]}),
        ):  # fmt: skip
            result = session.run("PROFILE " + cypher.load(name), params)
            found = result.single()[column]
            assert _evidence_rows_read(result.consume().profile) == 1, name
            assert found == [{"id": rel.id, "type": "USES_PHONE", "source_id": rel.source_id, "target_id": rel.target_id}]


@pytest.mark.neo4j
def test_neo4j_a_search_is_one_statement_for_its_entities_and_its_documents(neo4j_story, monkeypatch):
    """Entities by name and documents by text in one round trip, inside a scope too."""
    from backend.store import neo4j as module

    store, g = neo4j_story
    made: list[str] = []
    real = module.Neo4jStore._read

    def spy(self, name, **params):
        made.append(name)
        return real(self, name, **params)

    monkeypatch.setattr(module.Neo4jStore, "_read", spy)
    hits = store.search("Ana María")
    assert {(h.kind, h.id) for h in hits} >= {("entity", g.people["ana"].id), ("document", g.report.id), ("document", g.interview.id)}
    scoped = store.search("Ana María", entity_ids=[], document_ids=[g.interview.id])
    assert [(h.kind, h.id) for h in scoped] == [("document", g.interview.id)]
    assert made == ["search", "search"]


def test_neo4j_a_requests_view_reads_the_generation_once(neo4j_story, monkeypatch):
    """A GET writes nothing, so the generation its caches are checked against is read once, not
    once for the judgements, once for the corrections and once for each visible set."""
    from backend.store import neo4j as module

    store, _ = neo4j_story
    made: list[str] = []
    real = module._OneReadTransaction.run

    def spy(self, name, params):
        made.append(name)
        return real(self, name, params)

    monkeypatch.setattr(module._OneReadTransaction, "run", spy)
    view, end = store.reads_together()
    try:
        assert view.generation() == view.generation() == store.generation()
        assert view.judgements() == [] and view.corrections(["caso-1"]) == []
        assert made.count("generation") == 1
    finally:
        end()


@pytest.mark.neo4j
def test_neo4j_a_batch_commits_while_the_next_is_shaped_and_the_next_waits_for_it(neo4j_store_session, monkeypatch):
    """submit returns once the batch is sent, before it commits; the next batch's statements run
    only after that commit (they need the entities the first one created)."""
    import threading

    from neo4j import Transaction

    from backend.domain.model import Batch
    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    release, committing = threading.Event(), threading.Event()
    real_commit = Transaction.commit

    def held_commit(tx):
        committing.set()
        assert release.wait(30)
        return real_commit(tx)

    g = f.story()
    whole = g.batch()
    try:
        monkeypatch.setattr(Transaction, "commit", held_commit)
        with store.batch_writer() as writer:
            first = writer.submit(Batch(cases=whole.cases, documents=whole.documents, entities=whole.entities))
            assert committing.wait(30) and not first.done()  # sent, and its commit is waiting
            assert store.counts()["entities"] == {}  # not committed yet: nothing to see
            second = threading.Thread(target=lambda: writer.submit(Batch(mentions=whole.mentions, relationships=whole.relationships)))
            second.start()
            second.join(0.5)
            assert second.is_alive()  # waiting for the first to commit
            release.set()
            second.join(30)
        assert first.result().entities == len(whole.entities)
        assert store.counts()["mentions"] == len(whole.mentions)
    finally:
        release.set()
        store.clear()


class _FirstCommitHeld:
    """Transaction.commit patched so the first commit waits for `release` (`committing` is set
    once it waits); each check of a batch notes whether that commit was still held
    (`checked_while_held`), and each batch the writer hands to `write` is noted (`written_again`)."""

    def __init__(self, monkeypatch):
        import threading

        from neo4j import Transaction

        from backend.store import neo4j as neo4j_store

        self.release, self.committing = threading.Event(), threading.Event()
        self.checked_while_held: list[bool] = []
        self.written_again: list = []
        real_commit, real_prepare, real_write = Transaction.commit, neo4j_store.prepare_shaped, neo4j_store.Neo4jStore.write

        def held_commit(tx):
            if not self.committing.is_set():
                self.committing.set()
                assert self.release.wait(30)
            return real_commit(tx)

        def noted_check(*args, **kwargs):
            self.checked_while_held.append(not self.release.is_set())
            return real_prepare(*args, **kwargs)

        def noted_write(store, batch):
            self.written_again.append(batch)
            return real_write(store, batch)

        monkeypatch.setattr(Transaction, "commit", held_commit)
        monkeypatch.setattr(neo4j_store, "prepare_shaped", noted_check)
        monkeypatch.setattr(neo4j_store.Neo4jStore, "write", noted_write)


@pytest.mark.neo4j
def test_neo4j_the_next_batch_is_checked_beside_the_commit_and_written_in_one_go(neo4j_store_session, monkeypatch, tmp_path):
    """While a batch commits, the next one is looked up and checked against the store as it will
    be after it: it merges the first one's phone (a version for the other case), adds evidence to
    its relationship and links mentions to its people, in one transaction, with nothing written
    again; the graph is the one the embedded store writes in turn."""
    import threading

    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    g = f.story()
    cali = f.cross_case_batch(g)
    renamed = g.things["phone_recruiter"].model_copy(update={"aliases": ("celular del Paisa",)})
    batches = [g.batch(), cali.model_copy(update={"entities": (renamed,)})]
    held = _FirstCommitHeld(monkeypatch)
    try:
        with store.batch_writer() as writer:
            first = writer.submit(batches[0])
            assert held.committing.wait(30)
            second = threading.Thread(target=writer.submit, args=(batches[1],))
            second.start()
            second.join(1)
            assert second.is_alive() and held.checked_while_held == [True, True]  # checked, waiting to write
            held.release.set()
            second.join(30)
        assert first.result().entities == len(g.batch().entities)
        assert held.written_again == [] and held.checked_while_held == [True, True]
        with SqliteStore(tmp_path / "in_turn.sqlite3") as in_turn:
            for batch in batches:
                in_turn.write(batch)
            ids = [e.id for e in g.batch().entities]
            assert store.counts() == in_turn.counts()
            assert store.entity_versions(ids) == in_turn.entity_versions(ids)
            assert store.evidence([g.relationships["recruiter_phone"].id]) == in_turn.evidence([g.relationships["recruiter_phone"].id])
        assert store.entity_versions([renamed.id])[renamed.id]["caso-2"]["aliases"] == ["celular del Paisa"]
    finally:
        held.release.set()
        store.clear()


@pytest.mark.neo4j
def test_neo4j_a_batch_refused_beside_the_commit_waits_for_it_and_writes_nothing(neo4j_store_session, monkeypatch):
    """The next batch gives the first one's phone as a person: refused at submit, by the check
    beside the commit (nothing written again), once the first batch has committed."""
    import threading

    from backend.domain.errors import InvalidRecordError
    from backend.domain.model import Batch, EntityType
    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    g = f.story()
    held = _FirstCommitHeld(monkeypatch)
    as_person = f.entity(EntityType.PERSON, "Otra persona", entity_id=g.things["phone_recruiter"].id)
    try:
        with store.batch_writer() as writer:
            first = writer.submit(g.batch())
            assert held.committing.wait(30)
            threading.Timer(0.5, held.release.set).start()
            with pytest.raises(InvalidRecordError, match="already stored as Phone"):
                writer.submit(Batch(entities=(as_person,)))
            assert first.done() and first.result().entities == len(g.batch().entities)
        assert held.written_again == [] and held.checked_while_held == [True, True]
        assert store.entities([as_person.id])[as_person.id].type == EntityType.PHONE
    finally:
        held.release.set()
        store.clear()


@pytest.mark.neo4j
def test_neo4j_a_check_beside_the_commit_that_cannot_read_is_made_in_the_transaction(neo4j_store_session, monkeypatch):
    """The read beside the commit fails (a lost connection): the batch is looked up and checked
    in its own write transaction after the commit instead, and written all the same."""
    import threading

    from neo4j import exceptions as neo4j_errors

    from backend.store import neo4j as neo4j_store
    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    g = f.story()
    held = _FirstCommitHeld(monkeypatch)

    def unreadable(self, wanted):
        raise neo4j_errors.ServiceUnavailable("connection lost")

    monkeypatch.setattr(neo4j_store.AfterCommitting, "read_ahead", unreadable)
    try:
        with store.batch_writer() as writer:
            writer.submit(g.batch())
            assert held.committing.wait(30)
            threading.Timer(0.5, held.release.set).start()
            second = writer.submit(f.cross_case_batch(g))
        assert second.result().mentions == 2
        assert store.counts()["documents"] == 4
        assert held.written_again == [] and held.checked_while_held == [True, True, False]
    finally:
        held.release.set()
        store.clear()


@pytest.mark.neo4j
def test_neo4j_a_batch_whose_commit_fails_is_written_again_by_write(neo4j_store_session, monkeypatch):
    """A commit lost to a transient error or a dropped connection (on a cluster, a leader
    change) does not lose the batch: it is written again in a managed transaction, which retries."""
    from neo4j import Transaction
    from neo4j import exceptions as neo4j_errors

    from tests import factories as f

    store = neo4j_store_session
    store.clear()
    real_commit, failures = Transaction.commit, []

    def failing_once(tx):
        if not failures:
            failures.append(tx)
            tx.close()
            raise neo4j_errors.SessionExpired("the leader moved")
        return real_commit(tx)

    g = f.story()
    try:
        monkeypatch.setattr(Transaction, "commit", failing_once)
        with store.batch_writer() as writer:
            written = writer.submit(g.batch())
        assert failures and written.result().relationships == len(g.relationships)
        assert sum(store.counts()["relationships"].values()) == len(g.relationships)
    finally:
        store.clear()
