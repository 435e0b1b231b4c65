"""Case compartments at the store level: a ScopedStore over each store (SQLite and a real Neo4j)
shows a user only their cases — entities, documents, mentions, relationships, evidence, counts,
judgements, marks and search — and only the evidence of their own cases for an entity in two."""

from __future__ import annotations

import pytest

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import Batch, EntityMark, GraphFilter, Judgement
from backend.graph import traversal
from backend.store.scoped import WITHHELD, Scope, ScopedStore, ScopeWriteRefused
from tests import factories as f

PEREIRA = Scope(cases=frozenset({"caso-1"}))
CALI = Scope(cases=frozenset({"caso-2"}))


@pytest.fixture
def two_cases(store):
    """The story, and a Cali report that cites the Pereira recruiter's phone; a cross-case
    "unsure" judgement between Carlos (Cali) and the recruiter (Pereira)."""
    graph = f.story()
    store.write(graph.batch())
    cross = f.cross_case_batch(graph)
    store.write(cross)
    p = graph.people
    graph.cross_judgement = store.add_judgement(Judgement.new(p["carlos"].id, p["recruiter"].id, "unsure", "user:ana", "same first name"))
    graph.cali_report = cross.documents[0]
    return graph


def test_a_user_sees_only_the_entities_and_documents_of_their_cases(store, two_cases):
    g = two_cases
    p, t = g.people, g.things
    everything = store.all_entity_ids()
    pereira = ScopedStore(store, PEREIRA)
    assert pereira.all_entity_ids() == everything - {p["carlos"].id, t["phone_carlos"].id}
    assert set(pereira.entities(everything)) == pereira.all_entity_ids()
    assert pereira.all_document_ids() == {g.report.id, g.interview.id}
    assert [c.id for c in pereira.cases()] == ["caso-1"]
    for hidden in (p["carlos"].id, t["phone_carlos"].id):
        with pytest.raises(NotFoundError):
            pereira.get_entity(hidden)
    for hidden in (g.other_report.id, g.cali_report.id):
        with pytest.raises(NotFoundError):
            pereira.get_document(hidden)
        with pytest.raises(NotFoundError):
            pereira.document_mentions(hidden)
    assert pereira.case_entity_ids("caso-2") == set()
    assert pereira.document_cases([g.report.id, g.other_report.id]) == {g.report.id: {"caso-1"}}


def test_an_entity_in_two_cases_shows_each_user_only_their_cases_evidence(store, two_cases):
    g = two_cases
    p, t = g.people, g.things
    phone = t["phone_recruiter"].id
    uses = g.relationships["recruiter_phone"].id
    full = {r.id: r for r in store.get_entity(phone).relationships}
    assert full[uses].evidence_count == 2 and full[uses].confidence == 0.95

    pereira = ScopedStore(store, PEREIRA).get_entity(phone)
    assert {m.document_id for m in pereira.mentions} == {g.report.id}
    seen = {r.id: r for r in pereira.relationships}
    assert set(seen) == {uses, g.relationships["call"].id}  # not Carlos's call, which only the Cali report records
    assert [e.document_id for e in seen[uses].evidence] == [g.report.id]
    assert seen[uses].evidence_count == 1 and seen[uses].confidence == 0.9

    cali = ScopedStore(store, CALI).get_entity(phone)
    assert {m.document_id for m in cali.mentions} == {g.cali_report.id}
    seen = {r.id: r for r in cali.relationships}
    assert [e.document_id for e in seen[uses].evidence] == [g.cali_report.id]
    assert seen[uses].evidence_count == 1 and seen[uses].confidence == 0.95
    # The recruiter is tied to the Cali case by its evidence; a Cali user sees him with that alone.
    recruiter = ScopedStore(store, CALI).get_entity(p["recruiter"].id)
    assert recruiter.mentions == [] and f.ids_of(recruiter.relationships) == {uses}
    evidence = ScopedStore(store, CALI).evidence([uses, g.relationships["recruited"].id])
    assert [e.document_id for e in evidence[uses]] == [g.cali_report.id] and evidence[g.relationships["recruited"].id] == []


def test_traversals_search_and_counts_stay_inside_the_compartment(store, two_cases):
    g = two_cases
    p, t = g.people, g.things
    pereira = ScopedStore(store, PEREIRA)
    around = traversal.neighbourhood(pereira, t["phone_recruiter"].id, hops=3)
    assert p["carlos"].id not in f.ids_of(around.nodes) and t["phone_carlos"].id not in f.ids_of(around.nodes)
    assert f.ids_of(traversal.neighbourhood(store, t["phone_recruiter"].id, hops=3).nodes) - f.ids_of(around.nodes) == {
        p["carlos"].id,
        t["phone_carlos"].id,
    }
    with pytest.raises(NotFoundError):
        traversal.paths(pereira, p["recruiter"].id, p["carlos"].id)
    assert traversal.paths(ScopedStore(store, CALI), p["carlos"].id, p["recruiter"].id).paths  # via the Cali report alone
    with pytest.raises(NotFoundError):
        traversal.paths(ScopedStore(store, CALI), p["carlos"].id, p["luisa"].id)  # Luisa is Pereira's
    assert {e.id for e in pereira.all_edges(GraphFilter())} == {r.id for k, r in g.relationships.items() if k != "carlos_phone"}

    assert store.search("Restrepo") and pereira.search("Restrepo") == []
    assert {h.id for h in pereira.search("Carlos")} == {p["recruiter"].id, g.report.id, g.interview.id}
    assert {h.id for h in store.search("Carlos")} > {h.id for h in pereira.search("Carlos")}

    counts = pereira.counts()
    assert counts["cases"] == 1 and counts["documents"] == 2
    assert counts["mentions"] == len([m for m in g.mentions if m.document_id != g.other_report.id])
    assert sum(counts["entities"].values()) == len(pereira.all_entity_ids())
    assert counts["evidence"] == 13  # 12 relationships; the recruitment has two pieces
    assert counts["relationships"]["CALLED"] == 1 and store.counts()["relationships"]["CALLED"] == 2


def test_judgements_and_marks_across_the_compartment_are_not_seen_and_cannot_be_made(store, two_cases):
    g = two_cases
    p = g.people
    pereira = ScopedStore(store, PEREIRA)
    assert g.cross_judgement.id not in f.ids_of(pereira.judgements())
    assert pereira.judgements(p["recruiter"].id) == [] and pereira.judgements_by_id([g.cross_judgement.id]) == {}
    assert g.cross_judgement.id in f.ids_of(store.judgements(p["recruiter"].id))
    with pytest.raises(InvalidRecordError, match="does not exist"):
        pereira.add_judgement(Judgement.new(p["recruiter"].id, p["carlos"].id, "same", "user:ana"))
    with pytest.raises(InvalidRecordError, match="does not exist"):
        pereira.add_mark(EntityMark.new(p["carlos"].id, "shareable", True, "user:ana"))
    made = pereira.add_judgement(Judgement.new(p["luisa"].id, p["ana"].id, "different", "user:ana", "two women"))
    assert made.id in f.ids_of(store.judgements())
    with pytest.raises(ScopeWriteRefused):
        pereira.write(f.cross_case_batch(g))
    with pytest.raises(ScopeWriteRefused):
        pereira.clear()


def test_a_liaison_sees_only_shareable_entities_and_no_document_text(store, two_cases):
    g = two_cases
    p, t = g.people, g.things
    liaison = Scope(cases=frozenset({"caso-1"}), shareable_only=True)
    assert ScopedStore(store, liaison).all_entity_ids() == set()
    for entity in (p["recruiter"], t["phone_recruiter"], p["carlos"]):
        store.add_mark(EntityMark.new(entity.id, "shareable", True, "user:ana", "cleared for INTERPOL"))
    seen = ScopedStore(store, liaison)
    assert seen.all_entity_ids() == {p["recruiter"].id, t["phone_recruiter"].id}  # Carlos is Cali's
    assert seen.all_document_ids() == set()
    assert [h.id for h in seen.search("Carlos")] == [p["recruiter"].id]  # neither Carlos Restrepo nor the documents
    with pytest.raises(NotFoundError):
        seen.get_document(g.report.id)
    with pytest.raises(NotFoundError):
        seen.get_entity(p["luisa"].id)
    detail = seen.get_entity(p["recruiter"].id)
    assert f.ids_of(detail.relationships) == {g.relationships["recruiter_phone"].id}  # not the recruitment of Luisa
    assert [e.text for r in detail.relationships for e in r.evidence] == [WITHHELD]
    assert detail.mentions and all(m.sentence == "" and m.document_title == "" for m in detail.mentions)
    lifted = EntityMark.new(t["phone_recruiter"].id, "shareable", False, "user:ana", "no longer")
    store.add_mark(lifted)
    assert ScopedStore(store, liaison).all_entity_ids() == {p["recruiter"].id}


def test_a_scope_for_each_role():
    assert Scope.of("admin", ["caso-1"]) is None
    assert Scope.of("analyst", ["caso-1"]) == PEREIRA
    assert Scope.of("prosecutor", []) == Scope(cases=frozenset())
    assert Scope.of("liaison", ["caso-2"]) == Scope(cases=frozenset({"caso-2"}), shareable_only=True)


def test_a_user_with_no_case_sees_nothing(store, two_cases):
    nobody = ScopedStore(store, Scope(cases=frozenset()))
    assert nobody.all_entity_ids() == set() and nobody.all_edges(GraphFilter()) == [] and nobody.search("Carlos") == []
    assert nobody.counts() == {"cases": 0, "documents": 0, "mentions": 0, "evidence": 0, "entities": {}, "relationships": {}}


def test_a_scopes_visible_set_is_worked_out_once_until_a_write_commits(store, two_cases, monkeypatch):
    """Each request makes a ScopedStore; only the first of a generation scans the cases."""
    scans = []
    scan = store.case_entity_ids
    monkeypatch.setattr(store, "case_entity_ids", lambda case_id: scans.append(case_id) or scan(case_id))
    first = ScopedStore(store, PEREIRA).all_entity_ids()
    assert ScopedStore(store, PEREIRA).all_entity_ids() == first and scans == ["caso-1"]
    assert ScopedStore(store, CALI).all_entity_ids() != first and scans == ["caso-1", "caso-2"]
    newcomer = f.entity("Person", "Yesenia Mora")
    report = f.document("Yesenia Mora viajó a Ipiales.", title="Informe 7")
    store.write(Batch(documents=(report,), entities=(newcomer,), mentions=(f.mention(report, "Yesenia Mora", newcomer),)))
    assert ScopedStore(store, PEREIRA).all_entity_ids() == first | {newcomer.id} and scans.count("caso-1") == 2
