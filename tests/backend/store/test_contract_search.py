"""Search as analysts type, on every store: phones and ID numbers in any written form, or a
run of 7 or more of their digits; a date in a document's text stays a date."""

from __future__ import annotations

import pytest

from backend.domain.model import Batch, EntityType
from tests import factories as f


@pytest.fixture
def numbers(store):
    doc = f.document("Su celular es 310 456 7821 y su cédula 1.094.567.890; llegó el 2018-03-12.", title="Informe")
    phone = f.entity(EntityType.PHONE, "+573104567821")
    card = f.entity(EntityType.IDENTITY_DOCUMENT, "CC 1094567890", properties={"type": "CC", "number": "1094567890"})
    store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(phone, card),
                      mentions=(f.mention(doc, "310 456 7821", phone), f.mention(doc, "1.094.567.890", card))))  # fmt: skip
    return store, phone.id, card.id, doc.id


@pytest.mark.parametrize(
    "written", ["3104567821", "310-456-7821", "(310) 456 78 21", "+57 310 456 7821", "573104567821", "4567821", "3104567"]
)
def test_a_phone_is_found_however_it_is_written(numbers, written):
    store, phone, _, _ = numbers
    assert [h.id for h in store.search(written) if h.kind == "entity"] == [phone]


@pytest.mark.parametrize("written", ["1094567890", "1.094.567.890", "CC 1.094.567.890", "cc 1094567890", "4567890"])
def test_an_id_number_is_found_with_or_without_dots(numbers, written):
    store, _, card, _ = numbers
    assert [h.id for h in store.search(written) if h.kind == "entity"] == [card]


def test_the_last_six_digits_are_too_few_and_a_date_still_finds_its_document(numbers):
    store, phone, _, document = numbers
    assert [h.id for h in store.search("567821") if h.kind == "entity"] == []  # found from 7 digits on
    assert [h.id for h in store.search("2018-03-12") if h.kind == "document"] == [document]


def test_a_store_written_before_numbers_had_tails_is_upgraded_when_opened(tmp_path):
    """An embedded store from the version before: its phones are found by 7 digits once reopened."""
    import sqlite3

    from backend.store.sqlite import SqliteStore

    path = tmp_path / "old.sqlite3"
    with SqliteStore(path) as store:
        doc = f.document("Su celular es 310 456 7821.", title="Informe")
        phone = f.entity(EntityType.PHONE, "+573104567821")
        store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(phone,), mentions=(f.mention(doc, "310 456 7821", phone),)))
    with sqlite3.connect(path) as conn:  # as the earlier version wrote it: the number alone, version 1
        conn.execute("INSERT INTO entity_fts(entity_fts, rowid, search_names) SELECT 'delete', rowid, search_names FROM entities")
        conn.execute("UPDATE entities SET search_names = '+573104567821'")
        conn.execute("INSERT INTO entity_fts(rowid, search_names) SELECT rowid, search_names FROM entities")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with SqliteStore(path) as store:
        assert [h.id for h in store.search("4567821") if h.kind == "entity"] == [phone.id]
        assert store._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == "2"


@pytest.mark.neo4j
def test_a_neo4j_database_written_before_numbers_had_tails_is_upgraded_when_opened(neo4j_store_session):
    import cypher

    store = neo4j_store_session
    store.clear()
    doc = f.document("Su celular es 310 456 7821.", title="Informe")
    phone = f.entity(EntityType.PHONE, "+573104567821")
    store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(phone,), mentions=(f.mention(doc, "310 456 7821", phone),)))
    # As the earlier version left it: the number alone in the index, and version 1.
    store._driver.execute_query(cypher.load("set_search_names"), rows=[{"id": phone.id, "search_names": "+573104567821"}],
                                database_=store.database)  # fmt: skip
    store._driver.execute_query(cypher.load("set_schema_version"), version=1, database_=store.database)
    assert [h.id for h in store.search("4567821") if h.kind == "entity"] == []
    store._apply_schema()  # what opening the database does
    assert [h.id for h in store.search("4567821") if h.kind == "entity"] == [phone.id]


def test_a_compartments_search_ranks_without_what_other_cases_hold(store):
    """BM25 weighs a word by how many documents of the whole store hold it: a case-A user's
    scores would move when case B adds documents. Ranked from each hit's own words, they do not."""
    from backend.store.scoped import Scope, ScopedStore

    a, b = f.case("caso-a", "Caso A"), f.case("caso-b", "Caso B")
    docs_a = [f.document(text, title=f"Informe A{n}", case_ids=("caso-a",)) for n, text in
              enumerate(("Rufino Páez llamó a Brenda.", "Brenda viajó sola; Rufino no aparece más.", "Nada que ver aquí."))]  # fmt: skip
    store.write(Batch(cases=(a, b), documents=tuple(docs_a)))
    as_a = ScopedStore(store, Scope(cases=frozenset({"caso-a"})))
    before = [(h.id, h.score) for h in as_a.search("rufino brenda")]
    docs_b = [f.document(f"Rufino {n} y Rufino otra vez, Brenda no.", title=f"Informe B{n}", case_ids=("caso-b",)) for n in range(30)]
    store.write(Batch(documents=tuple(docs_b)))
    after = [(h.id, h.score) for h in ScopedStore(store, Scope(cases=frozenset({"caso-a"}))).search("rufino brenda")]
    assert before == after and len(before) == 2
