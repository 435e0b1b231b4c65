"""The resolved search: each resolved person once, with its merged name, on both stores."""

from __future__ import annotations

from backend.domain.model import Judgement
from backend.reports.views import resolved_search


def test_a_search_shows_each_merged_person_once_and_reads_their_records_in_one_read(store, story, monkeypatch):
    p = story.people
    # Two merged persons, both found by "Carlos": the recruiter with Luisa, Carlos with the payer.
    store.add_judgement(Judgement.new(p["recruiter"].id, p["luisa"].id, "same", "user:ana", reason="prueba"))
    store.add_judgement(Judgement.new(p["carlos"].id, p["payer"].id, "same", "user:ana", reason="prueba"))
    reads = []
    entities = store.entities

    def counted(ids):
        reads.append(sorted(ids))
        return entities(ids)

    monkeypatch.setattr(store, "entities", counted)
    hits = [h for h in resolved_search(store, "Carlos") if h.kind == "entity"]
    recruiter_node, carlos_node = min(p["recruiter"].id, p["luisa"].id), min(p["carlos"].id, p["payer"].id)
    assert {h.id: h.member_count for h in hits} == {recruiter_node: 2, carlos_node: 2}
    # The merged name is the most frequent, the longest among equals.
    assert {h.id: h.label for h in hits} == {recruiter_node: "Juan Carlos Pérez Gómez", carlos_node: "María López de Ruiz"}
    assert reads == [sorted([p["recruiter"].id, p["luisa"].id, p["carlos"].id, p["payer"].id])]
