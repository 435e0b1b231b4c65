"""Corrections, and the case of judgements, marks and corrections, on every store.

Two cases of tests/factories: the Pereira story (caso-1) and the Cali report (caso-2), which
shares the recruiter and his phone, and adds Cali evidence to "the recruiter uses that phone".
"""

from __future__ import annotations

import pytest

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import Correction, EntityMark, GraphFilter, Judgement
from backend.graph import corrections
from backend.graph.canonical import Clusters
from backend.graph.traversal import paths
from backend.store.corrected import CorrectedStore
from backend.store.scoped import Scope, ScopedStore
from tests import factories as f


@pytest.fixture
def two_cases(store):
    story = f.story()
    store.write(story.batch())
    store.write(f.cross_case_batch(story))
    return store, story


def _case_view(store, case_id: str, liaison: bool = False) -> CorrectedStore:
    return CorrectedStore(ScopedStore(store, Scope(cases=frozenset({case_id}), shareable_only=liaison)))


def test_a_rejected_link_leaves_every_view_of_its_case_and_comes_back_on_undo(two_cases):
    store, story = two_cases
    uses = story.relationships["luisa_phone"].id
    luisa, phone = story.people["luisa"].id, story.things["phone_luisa"].id
    counted = _case_view(store, "caso-1").counts()["relationships"]["USES_PHONE"]
    rejected = corrections.reject_link(store, uses, "ana", "el número era del hermano", "caso-1")
    view = _case_view(store, "caso-1")
    assert view.counts()["relationships"]["USES_PHONE"] == counted - 1
    assert uses not in {e.id for e in view.all_edges(GraphFilter())}
    assert uses not in {r.id for r in view.get_entity(luisa).relationships}
    assert not view.relationship_keys([uses]) and view.evidence([uses])[uses] == []
    assert all(uses not in {r.id for s in p.steps for r in s.relationships} for p in paths(view, luisa, phone, k=3).paths)
    # The mention and evidence underneath are untouched.
    assert store.evidence([uses])[uses] and uses in store.relationship_keys([uses])
    corrections.undo_correction(view, rejected.id, "ana", "me equivoqué")
    assert uses in {e.id for e in _case_view(store, "caso-1").all_edges(GraphFilter())}
    assert [c.kind for c in store.corrections(["caso-1"])] == ["reject_link", "undo"]


def test_a_rejected_piece_of_evidence_counts_one_less_and_the_last_one_takes_the_link(two_cases):
    store, story = two_cases
    uses = story.relationships["recruiter_phone"].id
    view = CorrectedStore(store)
    pieces = view.evidence([uses])[uses]
    assert len(pieces) == 2  # Pereira and Cali
    corrections.reject_evidence(view, uses, pieces[0].id, "ana", "lectura equivocada", "caso-1")
    view = CorrectedStore(store)
    assert [e.id for e in view.evidence([uses])[uses]] == [pieces[1].id]
    assert next(e for e in view.all_edges(GraphFilter()) if e.id == uses).evidence_count == 1
    corrections.reject_evidence(view, uses, pieces[1].id, "ana", "tampoco", "caso-1")
    assert uses not in {e.id for e in CorrectedStore(store).all_edges(GraphFilter())}
    with pytest.raises(NotFoundError):
        corrections.reject_evidence(view, uses, "evidence:nope", "ana", "x", "caso-1")


def test_an_analyst_adds_an_entity_and_a_link_cited_as_the_analysts(two_cases):
    store, story = two_cases
    view = _case_view(store, "caso-1")
    added = corrections.add_entity(view, "Person", "Alias Tuerto", "ana", "informante, acta 12", "caso-1")
    view = _case_view(store, "caso-1")
    recruiter = story.people["recruiter"].id
    link = corrections.add_link(view, "ASSOCIATED_WITH", recruiter, added.subject_id, "ana", "vigilancia del 3 de mayo", "caso-1",
                                association="employed")  # fmt: skip
    view = _case_view(store, "caso-1")
    assert view.entities([added.subject_id])[added.subject_id].label == "Alias Tuerto"
    assert [h.id for h in view.search("tuerto") if h.kind == "entity"] == [added.subject_id]
    edge = next(e for e in view.incident_edges([recruiter], GraphFilter()) if e.id == link.subject_id)
    assert edge.properties["kind"] == "employed" and edge.properties["asserted_by"] == "ana"
    (evidence,) = view.evidence([link.subject_id])[link.subject_id]
    assert evidence.method == "analyst" and evidence.text == "vigilancia del 3 de mayo" and evidence.document_id == "analyst:caso-1"
    found = paths(view, story.people["luisa"].id, added.subject_id, k=1).paths
    assert found and found[0].node_ids[-1] == added.subject_id
    # Only in its case; a link must join what its type allows.
    assert added.subject_id not in _case_view(store, "caso-2").all_entity_ids()
    with pytest.raises(InvalidRecordError, match="cannot join"):
        corrections.add_link(view, "CALLED", recruiter, added.subject_id, "ana", "x", "caso-1")
    with pytest.raises(InvalidRecordError, match="reason"):
        corrections.add_link(view, "HOLDS_ID", recruiter, added.subject_id, "ana", " ", "caso-1")


def test_a_correction_names_its_case_when_there_are_several(two_cases):
    store, story = two_cases
    flight = story.things["flight"].id  # seen in caso-1 only: its case is found
    assert corrections.annotate(store, flight, "vuelo sin pasajeros verificados", "ana").case_id == "caso-1"
    with pytest.raises(InvalidRecordError, match="name the case"):
        corrections.add_entity(store, "Person", "X", "ana")
    with pytest.raises(NotFoundError):
        corrections.annotate(store, flight, "nota", "ana", "Caso Inexistente")
    assert corrections.annotate(store, flight, "otra nota", "ana", "Caso Pereira").case_id == "caso-1"  # by its name
    with pytest.raises(InvalidRecordError):
        store.add_correction(Correction.new("caso-1", "undo", None, "user:ana", "x", retracts="correction:nope"))


def test_case_b_judgement_mark_and_correction_are_invisible_and_inert_in_case_a(two_cases):
    store, story = two_cases
    p, t, r = story.people, story.things, story.relationships
    shared_link = r["recruiter_phone"].id  # evidence in both cases
    # Case B (Cali) records: a "same" between two phones, a shareable mark, a rejection and a note.
    same = store.add_judgement(Judgement.new(t["phone_recruiter"].id, t["phone_luisa"].id, "same", "user:carla", "CALI", case_id="caso-2"))
    store.add_mark(EntityMark.new(t["phone_recruiter"].id, "shareable", True, "user:carla", "CALI", case_id="caso-2"))
    corrections.reject_link(store, shared_link, "carla", "RECHAZO CALI", "caso-2")
    corrections.annotate(store, p["recruiter"].id, "NOTA CALI", "carla", "caso-2")
    # Case A (Pereira) marks only the recruiter shareable.
    store.add_mark(EntityMark.new(p["recruiter"].id, "shareable", True, "user:ana", "INTERPOL", case_id="caso-1"))

    a = _case_view(store, "caso-1")
    assert same.id not in {j.id for j in a.judgements()} and not a.judgements_by_id([same.id])
    assert Clusters(a).members(t["phone_recruiter"].id) == (t["phone_recruiter"].id,)
    assert shared_link in {e.id for e in a.all_edges(GraphFilter())}
    assert a.corrections() == [] and corrections.history(a, p["recruiter"].id) == []
    assert {m.case_id for m in a.marks()} == {"caso-1"}
    # A's liaison sees what A cleared, not what B cleared.
    assert _case_view(store, "caso-1", liaison=True).all_entity_ids() == {p["recruiter"].id}

    b = _case_view(store, "caso-2")
    assert store.judgements_by_id([same.id])[same.id].case_id == "caso-2"
    assert Clusters(store).members(t["phone_recruiter"].id) == tuple(sorted((t["phone_recruiter"].id, t["phone_luisa"].id)))
    assert shared_link not in {e.id for e in b.all_edges(GraphFilter())}
    assert [h.note for h in corrections.history(b, p["recruiter"].id) if h.kind == "annotate"] == ["NOTA CALI"]
    assert t["phone_recruiter"].id in _case_view(store, "caso-2", liaison=True).all_entity_ids()
    # A user of both cases sees both, and an admin (the store itself) every case.
    both = CorrectedStore(ScopedStore(store, Scope(cases=frozenset({"caso-1", "caso-2"}))))
    assert {c.case_id for c in both.corrections()} == {"caso-2"}
    assert len(store.corrections()) == 2 and len(store.marks()) == 2


def test_records_made_before_cases_act_on_every_case(two_cases):
    store, story = two_cases
    older = store.add_judgement(Judgement.new(story.people["recruiter"].id, story.people["luisa"].id, "different", "user:ana", "antiguo"))
    assert older.case_id is None
    assert older.id in {j.id for j in _case_view(store, "caso-1").judgements()}


def test_attributes_that_differ_by_case_are_kept_per_case(store):
    """Case B's ingest of a phone case A also holds (another kind, another label) changes
    nothing of what case A's users see; a user of both sees both."""
    from backend.domain.model import Batch, EntityType

    a, b = f.case("caso-a", "Caso A"), f.case("caso-b", "Caso B")
    doc_a = f.document("Su celular es 312 456 7890.", title="Informe A", case_ids=("caso-a",))
    doc_b = f.document("Línea fija 312 456 7890 del local.", title="Informe B", case_ids=("caso-b",))
    phone_a = f.entity(EntityType.PHONE, "+573124567890", properties={"kind": "mobile", "country": "CO"})
    phone_b = phone_a.model_copy(update={"label": "+57 312 456 7890", "properties": {"kind": "landline", "country": "CO"}})
    store.write(Batch(cases=(a, b), documents=(doc_a,), entities=(phone_a,), mentions=(f.mention(doc_a, "312 456 7890", phone_a),)))
    store.write(Batch(documents=(doc_b,), entities=(phone_b,), mentions=(f.mention(doc_b, "312 456 7890", phone_b),)))
    seen_in_a = ScopedStore(store, Scope(cases=frozenset({"caso-a"}))).entities([phone_a.id])[phone_a.id]
    seen_in_b = ScopedStore(store, Scope(cases=frozenset({"caso-b"}))).get_entity(phone_a.id).entity
    assert (seen_in_a.label, seen_in_a.properties["kind"]) == ("+573124567890", "mobile")
    assert (seen_in_b.label, seen_in_b.properties["kind"]) == ("+57 312 456 7890", "landline")
    both = ScopedStore(store, Scope(cases=frozenset({"caso-a", "caso-b"}))).entities([phone_a.id])[phone_a.id]
    assert both.label == "+573124567890" and "+57 312 456 7890" in both.aliases
    assert set(store.entity_versions([phone_a.id])[phone_a.id]) == {"caso-a", "caso-b"}


def test_records_among_are_the_entities_and_the_relationships_among_them_in_every_view(two_cases):
    """What a neighbourhood and the paths found read last, in one read where the store can: the
    same as entities() and edges_among(), in the raw store, a case's compartment (a liaison's
    too) and a case's corrected view, for every kind of filter."""
    store, story = two_cases
    recruiter, luisa = story.people["recruiter"].id, story.people["luisa"].id
    added = corrections.add_entity(_case_view(store, "caso-1"), "Person", "Alias Tuerto", "ana", "informante, acta 12", "caso-1")
    corrections.add_link(_case_view(store, "caso-1"), "ASSOCIATED_WITH", recruiter, added.subject_id, "ana", "vigilancia", "caso-1",
                         association="employed")  # fmt: skip
    corrections.reject_link(store, story.relationships["luisa_phone"].id, "ana", "el número era del hermano", "caso-1")
    pieces = store.evidence([story.relationships["recruiter_phone"].id])[story.relationships["recruiter_phone"].id]
    corrections.reject_evidence(CorrectedStore(store), pieces[0].relationship_id, pieces[0].id, "ana", "lectura equivocada", "caso-1")
    everyone = sorted(store.all_entity_ids()) + [added.subject_id, "person:unknown"]
    views = {"raw": store, "caso-1": _case_view(store, "caso-1"), "caso-2": _case_view(store, "caso-2"),
             "liaison": _case_view(store, "caso-1", liaison=True), "corrected": CorrectedStore(store)}  # fmt: skip
    filters = [GraphFilter(), GraphFilter(relationship_types=frozenset({"USES_PHONE", "TRAVELLED"})),
               GraphFilter(date_from="2018-03-15", date_to="2018-04-03"), GraphFilter(case_id="caso-2"),
               GraphFilter(compartment=frozenset({"caso-2"})), GraphFilter(min_confidence=0.92)]  # fmt: skip
    compared = 0
    for name, view in views.items():
        for chosen in filters if name in ("raw", "caso-1") else filters[:1]:
            for ids in (everyone, [recruiter, luisa, added.subject_id], everyone[:3], []):
                entities, edges = view.records_among(ids, chosen)
                assert entities == view.entities(ids), (name, chosen)
                assert sorted(edges, key=lambda e: e.id) == sorted(view.edges_among(ids, chosen), key=lambda e: e.id), (name, chosen)
                compared += bool(edges)
    assert compared > 10  # the comparisons were not all of empty answers
