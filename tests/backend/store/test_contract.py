"""The store contract: every test runs on SQLite and on a real Neo4j, and both must agree."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import (
    Batch,
    Correction,
    Entity,
    EntityMark,
    EntityType,
    GraphFilter,
    Judgement,
    RelType,
    batch_from_records,
)
from backend.graph import traversal
from tests import factories as f

# ---------------------------------------------------------------- writes


def test_write_counts_every_record(store, story):
    counts = store.counts()
    assert counts["cases"] == 2
    assert counts["documents"] == 3
    assert counts["mentions"] == 7
    assert counts["entities"] == {
        "Airport": 1,
        "Flight": 1,
        "Location": 2,
        "Person": 5,
        "Phone": 3,
        "RouteLeg": 1,
    }
    assert counts["relationships"] == {
        "ARRIVES_AT": 2,
        "ASSOCIATED_WITH": 3,
        "CALLED": 1,
        "DEPARTS_FROM": 1,
        "PASSENGER_ON": 1,
        "TRAVELLED": 2,
        "USES_PHONE": 3,
    }
    assert counts["evidence"] == 14  # 13 relationships, the recruitment has two sources


def test_writing_the_same_batch_again_changes_nothing(store, story):
    before = store.counts()
    detail_before = store.get_entity(story.people["recruiter"].id)
    store.write(story.batch())
    assert store.counts() == before
    assert store.get_entity(story.people["recruiter"].id) == detail_before


def test_cases_are_listed_by_name(store, story):
    assert [(c.id, c.name) for c in store.cases()] == [("caso-2", "Caso Cali"), ("caso-1", "Caso Pereira")]


def test_the_content_digest_is_the_same_whatever_the_write_order_and_changes_with_any_record(store, story):
    from backend.domain.model import Batch

    written_in_order = store.content_digest()
    assert written_in_order == store.content_digest() and len(written_in_order) == 64
    assert store.all_document_ids() == {story.report.id, story.interview.id, story.other_report.id}
    store.clear()
    batch = story.batch()
    # Reversed, and split in two writes: the records arrive in another order.
    store.write(Batch(cases=batch.cases, documents=batch.documents[::-1], entities=batch.entities[::-1], mentions=batch.mentions[:3]))
    store.write(
        Batch(
            documents=batch.documents, entities=batch.entities, mentions=batch.mentions[3:][::-1], relationships=batch.relationships[::-1]
        )
    )
    assert store.content_digest() == written_in_order
    store.write(Batch(mentions=(story.mentions[0].model_copy(update={"id": "mencion-extra"}),)))
    assert store.content_digest() != written_in_order


def test_evidence_accumulates_and_confidence_is_the_strongest(store, story):
    recruited = story.relationships["recruited"]
    views = store.relationship_views([e for e in store.incident_edges([recruited.source_id], GraphFilter()) if e.id == recruited.id])
    assert len(views) == 1
    view = views[0]
    assert view.confidence == pytest.approx(0.85)
    assert [e.document_title for e in view.evidence] == sorted(
        ["Informe policial 001", "Entrevista víctima"],
        key=lambda t: {"Informe policial 001": story.report.id, "Entrevista víctima": story.interview.id}[t],
    )
    interview_ev = next(e for e in view.evidence if e.document_id == story.interview.id)
    assert interview_ev.page == 2
    assert interview_ev.text == "Juan Carlos Pérez le ofreció trabajo"
    assert story.interview.text[interview_ev.start : interview_ev.end] == interview_ev.text

    # A third source for the same relationship, written later, is added to the others.
    doc = f.document("Tercer informe: Juan Carlos Pérez captó a Luisa Fernanda Ríos.", title="Informe 003")
    more = recruited.model_copy(update={"evidence": (f.evidence(doc, "captó a Luisa Fernanda Ríos", 0.95),)})
    store.write(Batch(documents=(doc,), relationships=(more,)))
    view = store.relationship_views([e for e in store.incident_edges([recruited.source_id], GraphFilter()) if e.id == recruited.id])[0]
    assert len(view.evidence) == 3
    assert view.confidence == pytest.approx(0.95)
    assert view.evidence_count == 3


def test_entity_profile_has_mentions_with_sentences_and_evidenced_relationships(store, story):
    detail = store.get_entity(story.people["recruiter"].id)
    assert detail.entity.label == "Juan Carlos Pérez Gómez"
    assert detail.entity.aliases == ("El Paisa",)
    assert sorted(m.text for m in detail.mentions) == ["Juan Carlos Pérez", "PÉREZ GÓMEZ JUAN CARLOS"]
    assert {m.document_title for m in detail.mentions} == {"Informe policial 001", "Entrevista víctima"}
    assert {r.type for r in detail.relationships} == {RelType.ASSOCIATED_WITH, RelType.USES_PHONE}
    for rel in detail.relationships:
        assert rel.evidence, f"{rel.type} has no evidence"
        for ev in rel.evidence:
            doc = store.get_document(ev.document_id)
            assert doc.text[ev.start : ev.end] == ev.text


def test_document_round_trip_keeps_pages_cases_and_text(store, story):
    doc = store.get_document(story.interview.id)
    assert doc == story.interview
    assert doc.page_of(20) == 2
    with pytest.raises(NotFoundError):
        store.get_document("0" * 64)


def test_document_mentions_come_in_text_order_and_match_the_text(store, story):
    mentions = store.document_mentions(story.report.id)
    expected = sorted((m for m in story.batch().mentions if m.document_id == story.report.id), key=lambda m: (m.start, m.end, m.id))
    assert [m.id for m in mentions] == [m.id for m in expected] and mentions
    for m in mentions:
        assert story.report.text[m.start : m.end] == m.text
    assert [m.id for m in store.document_mentions(story.report.id, limit=1)] == [expected[0].id]
    with pytest.raises(NotFoundError):
        store.document_mentions("0" * 64)


def test_document_in_two_cases_keeps_both(store, story):
    again = story.report.model_copy(update={"case_ids": ("caso-2",)})
    store.write(Batch(documents=(again,)))
    assert store.get_document(story.report.id).case_ids == ("caso-1", "caso-2")
    assert store.counts()["documents"] == 3


def test_document_cases_tells_which_documents_are_stored_and_where(store, story):
    again = story.report.model_copy(update={"case_ids": ("caso-2",)})
    store.write(Batch(documents=(again,)))
    found = store.document_cases([story.report.id, story.interview.id, "0" * 64])
    assert found == {story.report.id: {"caso-1", "caso-2"}, story.interview.id: set(story.interview.case_ids)}
    assert store.document_cases([]) == {}


def test_unknown_entity_is_not_found(store, story):
    with pytest.raises(NotFoundError):
        store.get_entity("no-such-entity")
    with pytest.raises(NotFoundError):
        traversal.neighbourhood(store, "no-such-entity")


def test_hostile_text_is_stored_and_returned_literally(store):
    hostile = "<script>alert(1)</script> '; MATCH (n) DETACH DELETE n // \"} RETURN 1"
    doc = f.document(f"Nombre declarado: {hostile}. Fin.", title="<img src=x onerror=alert(1)>")
    person = f.entity(EntityType.PERSON, hostile)
    store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(person,), mentions=(f.mention(doc, hostile, person),)))
    assert store.get_entity(person.id).entity.label == hostile
    assert store.get_document(doc.id).title == "<img src=x onerror=alert(1)>"
    assert store.counts()["entities"] == {"Person": 1}


# ---------------------------------------------------------------- bad input


def _assert_refused(store, batch, kind, record_id, words):
    before = store.counts()
    with pytest.raises(InvalidRecordError) as caught:
        store.write(batch)
    err = caught.value
    assert err.kind == kind
    assert err.record_id == record_id
    assert words in err.reason
    assert store.counts() == before, "a refused batch must leave the store unchanged"


def test_mention_span_outside_the_document_is_refused(store, story):
    bad = f.mention(story.report, "Pereira", story.things["pereira"]).model_copy(
        update={"start": len(story.report.text) + 5, "end": len(story.report.text) + 12}
    )
    good_person = f.entity(EntityType.PERSON, "Persona Nueva")
    _assert_refused(store, Batch(entities=(good_person,), mentions=(bad,)), "mention", bad.id, "outside the document")
    assert good_person.id not in store.entities([good_person.id])


def test_mention_whose_text_is_not_in_the_document_there_is_refused(store, story):
    bad = f.mention(story.report, "Pereira", story.things["pereira"]).model_copy(update={"text": "Medellín"})
    _assert_refused(store, Batch(mentions=(bad,)), "mention", bad.id, "is not what the document has")


def test_evidence_span_outside_the_document_is_refused(store, story):
    rel = story.relationships["leg_from"]
    ev = rel.evidence[0].model_copy(update={"start": 10_000, "end": 10_010})
    bad = rel.model_copy(update={"id": "leg-from-bad", "evidence": (ev,)})
    _assert_refused(store, Batch(relationships=(bad,)), "relationship", "leg-from-bad", "outside the document")


def test_relationship_to_a_missing_entity_is_refused(store, story):
    rel = story.relationships["recruiter_phone"].model_copy(update={"id": "dangling", "target_id": "nobody"})
    _assert_refused(store, Batch(relationships=(rel,)), "relationship", "dangling", "does not exist")


def test_relationship_between_wrong_entity_types_is_refused(store, story):
    rel = story.relationships["recruiter_phone"].model_copy(update={"id": "phone-to-person", "target_id": story.people["luisa"].id})
    _assert_refused(store, Batch(relationships=(rel,)), "relationship", "phone-to-person", "cannot have a Person as target")


def test_entity_cannot_change_type(store, story):
    clash = story.people["luisa"].model_copy(update={"type": EntityType.PHONE})
    _assert_refused(store, Batch(entities=(clash,)), "entity", clash.id, "already stored as Person")


def test_relationship_id_cannot_be_reused_for_other_endpoints(store, story):
    rel = story.relationships["ana_flight"].model_copy(update={"source_id": story.people["luisa"].id})
    _assert_refused(store, Batch(relationships=(rel,)), "relationship", rel.id, "ids must not be reused")


def test_one_id_given_as_two_types_in_one_batch_is_refused(store):
    person = f.entity(EntityType.PERSON, "Doble Tipo", entity_id="dup-1")
    phone = f.entity(EntityType.PHONE, "+573000000000", entity_id="dup-1")
    _assert_refused(store, Batch(entities=(person, phone)), "entity", "dup-1", "given twice in one batch")


def test_document_in_an_unknown_case_is_refused(store):
    doc = f.document("Texto sin caso conocido.", case_ids=("caso-inexistente",))
    _assert_refused(store, Batch(documents=(doc,)), "document", doc.id, "does not exist")


@pytest.mark.parametrize(
    "kind, data, record_id, words",
    [
        ("entity", {"type": "Person", "label": "Sin Id"}, None, "id: Field required"),
        ("entity", {"id": "e1", "type": "Person", "label": "X", "confidence": 1}, "e1", "Extra inputs"),
        ("entity", {"id": "e2", "type": "Alien", "label": "X"}, "e2", "type"),
        ("relationship", {"id": "r1", "type": "KNOWS", "source_id": "a", "target_id": "b", "evidence": []}, "r1", "type"),
        ("relationship", {"id": "r2", "type": "CALLED", "source_id": "a", "target_id": "b", "evidence": []}, "r2", "evidence"),
        (
            "relationship",
            {
                "id": "r3",
                "type": "ASSOCIATED_WITH",
                "source_id": "a",
                "target_id": "b",
                "evidence": [
                    {"document_id": "d", "start": 0, "end": 1, "text": "x", "method": "m", "confidence": 0.5, "extractor_version": "1"}
                ],
            },
            "r3",
            "properties.kind",
        ),
        (
            "mention",
            {
                "id": "m1",
                "document_id": "d",
                "entity_type": "Person",
                "text": "x",
                "start": 5,
                "end": 2,
                "method": "m",
                "confidence": "high",
                "extractor_version": "1",
            },
            "m1",
            "confidence",
        ),
        ("document", {"id": "not-a-hash", "title": "t", "text": "x"}, "not-a-hash", "SHA-256"),
        ("gizmo", {"id": "g"}, None, "unknown record kind"),
    ],
)
def test_malformed_records_are_refused_with_their_name(kind, data, record_id, words):
    with pytest.raises(InvalidRecordError) as caught:
        batch_from_records([(kind, data)])
    assert caught.value.record_id == record_id
    assert words in str(caught.value)


# ---------------------------------------------------------------- paths


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    "filters",
    [
        GraphFilter(),
        GraphFilter(relationship_types=frozenset({RelType.USES_PHONE, RelType.TRAVELLED})),
        GraphFilter(date_from="2018-03-15", date_to="2018-04-03"),
        GraphFilter(case_id="caso-2"),
        GraphFilter(compartment=frozenset({"caso-2"})),
        GraphFilter(min_confidence=0.92),
    ],
    ids=["none", "types", "dates", "case", "compartment", "confidence"],
)
def test_neighbour_pairs_are_the_ends_of_the_incident_edges(store, story, filters):
    """What path search and a neighbourhood's rings read: the ends of the relationships incident_edges
    gives, one pair for each relationship leading out of the nodes asked about (a ring counts its
    links to each node beyond it); one with both ends among them may come twice."""
    store.write(f.cross_case_batch(story))
    everyone = sorted(store.all_entity_ids())
    for ids in (everyone, [story.people["recruiter"].id], everyone[:3]):
        expected = [(e.source_id, e.target_id) for e in store.incident_edges(ids, filters)]
        pairs = store.neighbour_pairs(ids, filters)

        def leading_out(found):
            return Counter(p for p in found if (p[0] in ids) != (p[1] in ids))

        assert set(pairs) == set(expected) and leading_out(pairs) == leading_out(expected)
    assert store.neighbour_pairs(everyone, GraphFilter()) and store.neighbour_pairs([], filters) == []


@pytest.mark.parametrize("query", ["perez", "PÉREZ", "Pérez Gómez", "juan carl", "paisa"])
def test_search_is_accent_and_case_insensitive(store, story, query):
    hits = store.search(query)
    entity_hits = [h for h in hits if h.kind == "entity"]
    assert entity_hits and entity_hits[0].id == story.people["recruiter"].id


def test_search_finds_documents_with_a_snippet(store, story):
    hits = [h for h in store.search("mesera madrid") if h.kind == "document"]
    assert [h.id for h in hits] == [story.interview.id]
    assert "mesera" in hits[0].snippet


@pytest.mark.parametrize("query", ['"', "*", "OR", "AND NOT", ") MATCH (n) DETACH DELETE n //", 'ríos" OR 1=1 --', ""])
def test_hostile_search_queries_are_harmless(store, story, query):
    store.search(query)
    assert store.counts()["entities"]["Person"] == 5


# ---------------------------------------------------------------- analytics export


# ---------------------------------------------------------------- judgements (entity resolution)


def _two_people(store):
    people = (
        Entity(id="person:a", type="Person", label="Juan Carlos Pérez Gómez"),
        Entity(id="person:b", type="Person", label="PEREZ GOMEZ JUAN CARLOS"),
        Entity(id="phone:1", type="Phone", label="+573124567890"),
    )
    store.write(Batch(entities=people))


def test_judgements_are_recorded_with_who_when_score_and_reason(store):
    _two_people(store)
    same = store.add_judgement(
        Judgement.new("person:b", "person:a", "same", "rule:fellegi-sunter", reason="name and phone", score=0.993,
                      features={"name": "a name dropped", "phone": "shared"})
    )  # fmt: skip
    [stored] = store.judgements("person:a")
    assert stored == same and stored.left_id == "person:a" and stored.features["phone"] == "shared"
    assert store.judgements("phone:1") == [] and store.judgements() == [same]


def test_judgements_are_append_only_and_undone_by_a_later_one(store):
    _two_people(store)
    same = store.add_judgement(Judgement.new("person:a", "person:b", "same", "rule:fellegi-sunter", score=0.99))
    with pytest.raises(InvalidRecordError, match="never rewritten"):
        store.add_judgement(same)
    undo = Judgement.new("person:a", "person:b", "different", "user:ana.gomez", reason="hermanos, no la misma persona",
                         retracts=same.id, at=datetime(2099, 1, 1, tzinfo=timezone.utc))  # fmt: skip
    store.add_judgement(undo)
    assert [j.decision for j in store.judgements()] == ["same", "different"]  # both kept
    assert store.standing_judgements()[frozenset(("person:a", "person:b"))].id == undo.id


@pytest.mark.parametrize(
    "left, right, retracts, message",
    [
        ("person:a", "person:zz", None, "entity 'person:zz' does not exist"),
        ("person:a", "phone:1", None, "cannot be the same thing"),
        ("person:a", "person:b", "judgement:nope", "does not exist"),
    ],
)
def test_bad_judgements_are_refused(store, left, right, retracts, message):
    _two_people(store)
    with pytest.raises(InvalidRecordError, match=message):
        store.add_judgement(Judgement.new(left, right, "same", "user:ana", retracts=retracts))
    assert store.judgements() == []


def test_judgements_recorded_together_are_all_kept_or_none(store):
    _two_people(store)
    store.write(Batch(entities=(Entity(id="person:c", type="Person", label="Carla Ruiz"),)))
    first = Judgement.new("person:a", "person:b", "same", "rule:fellegi-sunter", score=0.97)
    # A later judgement in the same call may retract an earlier one of it.
    undo = Judgement.new("person:a", "person:b", "unsure", "rule:fellegi-sunter", retracts=first.id,
                         at=datetime(2099, 1, 1, tzinfo=timezone.utc))  # fmt: skip
    other = Judgement.new("person:a", "person:c", "unsure", "rule:fellegi-sunter", score=0.6)
    assert store.add_judgements([first, undo, other]) == [first, undo, other]
    assert {j.id for j in store.judgements()} == {first.id, undo.id, other.id}
    assert store.standing_judgements()[frozenset(("person:a", "person:b"))].id == undo.id

    fine = Judgement.new("person:b", "person:c", "same", "user:ana")
    for bad, message in (
        (Judgement.new("person:b", "person:zz", "same", "user:ana"), "does not exist"),
        (first, "never rewritten"),
        (fine, "given twice"),
    ):
        with pytest.raises(InvalidRecordError, match=message):
            store.add_judgements([fine, bad])
        assert len(store.judgements()) == 3  # the good one of the call was not kept either


def test_marks_are_append_only_and_the_latest_stands(store):
    _two_people(store)
    set_mark = store.add_mark(EntityMark.new("person:a", "victim", True, "user:ana.rojas", reason="entrevista 03"))
    with pytest.raises(InvalidRecordError, match="never rewritten"):
        store.add_mark(set_mark)
    store.add_mark(EntityMark.new("person:b", "shareable", True, "user:ana.rojas"))
    assert store.standing_marks("victim") == {"person:a"} and store.standing_marks("shareable") == {"person:b"}
    lifted = store.add_mark(EntityMark.new("person:a", "victim", False, "user:juez", at=datetime(2099, 1, 1, tzinfo=timezone.utc)))
    assert store.standing_marks("victim") == set()
    assert [m.id for m in store.marks(["person:a"])] == [set_mark.id, lifted.id]  # both kept, oldest first
    assert store.marks(["person:a"])[0] == set_mark and set_mark.reason == "entrevista 03"
    with pytest.raises(InvalidRecordError, match="does not exist"):
        store.add_mark(EntityMark.new("person:zz", "victim", True, "user:ana"))
    with pytest.raises(InvalidRecordError, match="user:NAME"):
        EntityMark.new("person:a", "victim", True, "rule:x")


def test_a_judgement_names_a_rule_or_a_user():
    with pytest.raises(InvalidRecordError, match="rule:NAME"):
        Judgement.new("person:a", "person:b", "same", "ana")
    with pytest.raises(InvalidRecordError, match="two different entities"):
        Judgement.new("person:a", "person:a", "same", "user:ana")


@pytest.mark.neo4j
def test_both_stores_holding_the_same_records_give_the_same_digest(tmp_path, neo4j_store_session):
    from backend.store.sqlite import SqliteStore

    batch = f.story().batch()
    neo4j_store_session.clear()
    neo4j_store_session.write(batch)
    with SqliteStore(tmp_path / "s.sqlite3") as sqlite:
        sqlite.write(batch)
        assert sqlite.content_digest() == neo4j_store_session.content_digest()


@pytest.fixture
def second_handle(request, store):
    """Another handle on the same data, as another worker process holds: a second SQLite
    connection to the file, or a second driver to the server."""
    if store.kind == "sqlite":
        from backend.store.sqlite import SqliteStore

        other = SqliteStore(store.path)
    else:
        from backend.store.neo4j import Neo4jStore

        uri, user, password = request.getfixturevalue("neo4j_server")
        other = Neo4jStore(uri=uri, user=user, password=password, connect_timeout=30)
    yield other
    other.close()


def test_the_generation_changes_with_every_committed_write_from_any_handle(store, story, second_handle):
    """What caches of derived data are kept against: a new token after each kind of write, seen
    by the other handle too; a refused write leaves it."""
    seen = [store.generation()]

    def changed(handle) -> bool:
        now = handle.generation()
        fresh = now not in seen and now == (store if handle is second_handle else second_handle).generation()
        seen.append(now)
        return fresh

    store.write(story.batch())
    assert changed(second_handle)
    p = story.people
    store.add_judgement(Judgement.new(p["luisa"].id, p["recruiter"].id, "different", "user:ana", "otra persona"))
    assert changed(second_handle)
    second_handle.add_mark(EntityMark.new(p["luisa"].id, "shareable", True, "user:ana", "para INTERPOL"))
    assert changed(store)
    store.add_correction(Correction.new("caso-1", "annotate", p["luisa"].id, "user:ana", note="vista en la terminal"))
    assert changed(second_handle)
    with pytest.raises(InvalidRecordError):
        store.write(Batch(documents=(f.document("x", case_ids=("caso-inexistente",)),)))
    assert store.generation() == seen[-1]
    store.clear()
    assert changed(second_handle)


def test_judgements_and_corrections_are_read_once_while_no_write_commits_from_any_handle(store, story, second_handle):
    """Every request that shows the resolved or the corrected graph asks for all the judgements and
    its cases' corrections: they are read once per generation, and again after a write from any
    handle (another worker process)."""
    store.write(story.batch())
    p = story.people
    first = store.add_judgement(Judgement.new(p["luisa"].id, p["recruiter"].id, "different", "user:ana", "otra persona"))
    kept = store.judgements()
    assert kept == [first] and store.judgements()[0] is kept[0]  # the records read before, not read again
    kept.clear()  # a caller's list is its own
    second = second_handle.add_judgement(Judgement.new(p["ana"].id, p["recruiter"].id, "different", "user:ana", "otra"))
    assert store.judgements() == [first, second]

    note = second_handle.add_correction(Correction.new("caso-1", "annotate", p["luisa"].id, "user:ana", note="vista en la terminal"))
    in_case = store.corrections(["caso-1"])
    assert in_case == [note] and store.corrections(["caso-1"])[0] is in_case[0]
    assert store.corrections(["caso-2"]) == [] and store.corrections() == [note]
    undo = second_handle.add_correction(Correction.new("caso-1", "undo", None, "user:ana", "no era ella", retracts=note.id))
    assert store.corrections(["caso-1"]) == [note, undo] and store.corrections() == [note, undo]


# ---------------------------------------------------------------- many batches in turn


def _story_in_parts(g):
    """The story as four batches, each needing what the ones before wrote: cases and documents,
    entities, mentions, relationships."""
    whole = g.batch()
    return [
        Batch(cases=whole.cases, documents=whole.documents),
        Batch(entities=whole.entities),
        Batch(mentions=whole.mentions),
        Batch(relationships=whole.relationships),
    ]


def test_a_batch_writer_writes_batches_in_turn_as_write_does(store, tmp_path):
    from backend.store.sqlite import SqliteStore

    g = f.story()
    with store.batch_writer() as writer:
        written = [writer.submit(part) for part in _story_in_parts(g)]
    summaries = [w.result() for w in written]
    assert [(s.documents, s.entities, s.mentions, s.relationships) for s in summaries] == [
        (3, 0, 0, 0), (0, len(g.batch().entities), 0, 0), (0, 0, len(g.mentions), 0), (0, 0, 0, len(g.relationships)),
    ]  # fmt: skip
    # The same graph as one write of the whole story in another store.
    with SqliteStore(tmp_path / "whole.sqlite3") as whole:
        whole.write(g.batch())
        whole_counts = whole.counts()
        assert store.counts() == whole_counts
        assert store.entities(e.id for e in g.batch().entities) == whole.entities(e.id for e in g.batch().entities)
        assert sorted(e.id for e in store.all_edges(GraphFilter())) == sorted(e.id for e in whole.all_edges(GraphFilter()))
    # Written again, nothing changes: idempotent as write is.
    with store.batch_writer() as writer:
        for part in _story_in_parts(g):
            writer.submit(part)
    assert store.counts() == whole_counts


def test_a_batch_writer_refuses_a_bad_batch_at_submit_and_keeps_the_others(store):
    g = f.story()
    parts = _story_in_parts(g)
    orphan = f.mention(g.report, "Pereira", f.entity(EntityType.LOCATION, "Nowhere"))
    with store.batch_writer() as writer:
        writer.submit(parts[0])
        writer.submit(parts[1])
        with pytest.raises(InvalidRecordError, match="does not exist"):
            writer.submit(Batch(mentions=(orphan,)))
        writer.submit(parts[2])
    assert store.counts()["mentions"] == len(g.mentions)
    assert store.get_document(g.report.id).title == g.report.title
