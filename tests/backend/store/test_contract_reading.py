"""A new reading of stored documents (`telarana ingest --reread`), on both stores: what it no
longer gives is retired, never deleted, and reading again the same way changes nothing."""

from __future__ import annotations

from backend.domain.model import Batch, Case, Document, Entity, EntityType, GraphFilter, Mention, Relationship, RelType
from tests import factories as f

FIRST_TEXT = "Informe. Ana Ruiz usa el 310 456 7821. Ana Ruiz viajó con Luis Mora."
# The reader of a new version gives another text for the same file (the same document id).
SECOND_TEXT = "Informe.  Ana Ruiz viajó con Luis Mora y con Pedro Gil."
OTHER_TEXT = "Oficio. Luis Mora viajó con Ana Ruiz a Cali."


def _first_reading():
    doc = f.document(FIRST_TEXT)
    ana, luis = f.entity("Person", "Ana Ruiz"), f.entity("Person", "Luis Mora")
    phone = f.entity("Phone", "+573104567821")
    records = [
        f.case(), doc, ana, luis, phone,
        f.mention(doc, "Ana Ruiz", ana), f.mention(doc, "310 456 7821", phone), f.mention(doc, "Luis Mora", luis),
        f.relationship("USES_PHONE", ana, phone, doc, "Ana Ruiz usa el 310 456 7821"),
        f.relationship("ASSOCIATED_WITH", ana, luis, doc, "Ana Ruiz viajó con Luis Mora", properties={"kind": "travelled_with"}),
    ]  # fmt: skip
    return doc, ana, luis, phone, records


def _second_reading(doc, ana, luis):
    again = Document(id=doc.id, title=doc.title, text=SECOND_TEXT, case_ids=doc.case_ids)
    pedro = f.entity("Person", "Pedro Gil")
    return pedro, [
        again, ana, luis, pedro,
        f.mention(again, "Ana Ruiz", ana), f.mention(again, "Luis Mora", luis), f.mention(again, "Pedro Gil", pedro),
        f.relationship("ASSOCIATED_WITH", ana, luis, again, "Ana Ruiz viajó con Luis Mora", properties={"kind": "travelled_with"}),
    ]  # fmt: skip


def _batch(records) -> Batch:
    kinds = {Case: "cases", Document: "documents", Mention: "mentions", Entity: "entities", Relationship: "relationships"}
    grouped: dict[str, list] = {name: [] for name in kinds.values()}
    for record in records:
        grouped[kinds[type(record)]].append(record)
    return Batch(**{name: tuple(found) for name, found in grouped.items()})


def test_a_new_reading_retires_what_it_no_longer_gives(store):
    doc, ana, luis, phone, records = _first_reading()
    other = f.document(OTHER_TEXT, title="Oficio")
    store.write(_batch(records))
    store.write(_batch([f.case(), other, ana, luis, f.mention(other, "Luis Mora", luis), f.mention(other, "Ana Ruiz", ana),
                        f.relationship("ASSOCIATED_WITH", ana, luis, other, "Luis Mora viajó con Ana Ruiz",
                                       properties={"kind": "travelled_with"})]))  # fmt: skip
    pedro, second = _second_reading(doc, ana, luis)

    change = store.replace_reading(_batch(second), at="2026-11-30T08:00:00+00:00", reason="reread: reglas nuevas")

    # the new text moved every span (one more space): the three old mentions and both pieces of
    # old evidence are retired; the phone's link is left with no evidence, the phone with nothing
    assert (change.retired_mentions, change.retired_evidence, change.removed_relationships, change.retired_entities) == (3, 2, 1, 1)
    assert store.get_document(doc.id).text == SECOND_TEXT
    assert {m.text for m in store.document_mentions(doc.id)} == {"Ana Ruiz", "Luis Mora", "Pedro Gil"}
    # the phone now has nothing referring to it: it leaves the graph, its link with it
    assert store.entities([phone.id]) == {}
    assert not store.all_edges(GraphFilter(relationship_types=frozenset({RelType.USES_PHONE})))
    tie = store.all_edges(GraphFilter(relationship_types=frozenset({RelType.ASSOCIATED_WITH})))
    assert [(e.source_id, e.target_id, e.evidence_count) for e in tie] == [(ana.id, luis.id, 2)]
    # nothing is deleted: what was retired is kept with when and why
    retired = store.retired(doc.id)
    assert {(r.kind, r.reason) for r in retired} == {("mention", "reread: reglas nuevas"), ("evidence", "reread: reglas nuevas")}
    phone_mention = next(r for r in retired if r.kind == "mention" and r.record["entity_id"] == phone.id)
    assert (phone_mention.record["text"], phone_mention.record["entity_id"]) == ("310 456 7821", phone.id)
    phone_evidence = next(r for r in retired if r.kind == "evidence" and r.record["rel_type"] == "USES_PHONE")
    assert (phone_evidence.record["rel_source"], phone_evidence.record["rel_target"]) == (ana.id, phone.id)
    # the search index follows the new text
    documents_found = lambda query: {h.id for h in store.search(query, limit=5) if h.kind == "document"}  # noqa: E731
    assert documents_found("Pedro") == {doc.id} and documents_found("usa") == set()
    # the other document is untouched
    assert {m.text for m in store.document_mentions(other.id)} == {"Luis Mora", "Ana Ruiz"}
    assert not store.retired(other.id)
    assert EntityType.PERSON in {store.entities([pedro.id])[pedro.id].type}


def test_reading_again_the_same_way_changes_nothing(store):
    doc, ana, luis, _, records = _first_reading()
    store.write(_batch(records))
    _, second = _second_reading(doc, ana, luis)
    store.replace_reading(_batch(second), at="2026-11-30T08:00:00+00:00", reason="reread")
    before = (store.counts(), store.content_digest(stamps=False))
    change = store.replace_reading(_batch(second), at="2026-11-30T09:00:00+00:00", reason="reread")
    assert (change.retired_mentions, change.retired_evidence, change.removed_relationships, change.retired_entities) == (0, 0, 0, 0)
    assert (store.counts(), store.content_digest(stamps=False)) == before


def test_a_retired_record_given_again_comes_back(store):
    doc, ana, luis, phone, records = _first_reading()
    store.write(_batch(records))
    _, second = _second_reading(doc, ana, luis)
    store.replace_reading(_batch(second), at="2026-11-30T08:00:00+00:00", reason="reread")
    first = [r for r in records if not isinstance(r, Document)] + [doc]
    store.replace_reading(_batch(first), at="2026-11-30T09:00:00+00:00", reason="reread: back to the old rules")
    assert store.entities([phone.id])[phone.id].label == "+573104567821"
    assert store.all_edges(GraphFilter(relationship_types=frozenset({RelType.USES_PHONE})))
    assert store.get_document(doc.id).text == FIRST_TEXT
