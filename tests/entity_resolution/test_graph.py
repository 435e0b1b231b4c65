"""Resolving the graph's persons on both stores: the resolver's decisions become judgements,
analysts' judgements stand, and running it again records nothing new."""

from __future__ import annotations

from backend.domain.model import Judgement
from backend.graph import traversal
from backend.graph.canonical import Clusters, same_as
from entity_resolution.graph import RULE, resolve_persons
from ingest.job import ingest_paths

DOCUMENTS = {
    "informe.txt": "El indiciado CARDONA RESTREPO JHON FREDY, alias El Paisa, usa el celular 314 782 3390.",
    "entrevista.txt": "La víctima dijo que Jhon Fredy Cardona Restrepo la llamaba desde el 314-7823390.",
    "nota.txt": "Jhon Fredy Cardona Restrepo y su hermana Luz Dary Cardona Restrepo viven en Pereira.",
}


def ingest(store, tmp_path):
    folder = tmp_path / "caso"
    folder.mkdir()
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, "utf-8")
    ingest_paths([folder], store, "Caso")


def persons_named(store, name):
    return sorted(h.id for h in store.search(name, limit=50) if h.type == "Person" and h.label == name)


def test_the_same_person_in_three_documents_becomes_one_cluster(store, tmp_path):
    ingest(store, tmp_path)
    result = resolve_persons(store)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    assert len(paisa) == 3 and result.same >= 2
    assert same_as(store, paisa[0]) == paisa  # his sister, in one of the documents, is not in it
    [sister] = persons_named(store, "Luz Dary Cardona Restrepo")
    assert sister not in same_as(store, paisa[0])
    rule = [j for j in store.judgements() if j.by == RULE and j.decision == "same"]
    assert rule and all(j.score >= 0.95 and j.features.get("name") for j in rule)
    again = resolve_persons(store)
    assert (again.same, again.unsure) == (0, 0)


def test_an_analysts_different_stands_and_splits(store, tmp_path):
    ingest(store, tmp_path)
    resolve_persons(store)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    for other in paisa[1:]:
        store.add_judgement(Judgement.new(paisa[0], other, "different", "user:ana", reason="otra persona, otra cédula"))
    assert same_as(store, paisa[0]) == [paisa[0]]
    after = resolve_persons(store)
    assert after.kept_analyst_decisions == 2
    assert same_as(store, paisa[0]) == [paisa[0]]  # the rule never crosses an analyst's "different"
    assert same_as(store, paisa[1]) == paisa[1:]  # the other two are still one person


def test_paths_between_resolved_persons_start_at_any_of_their_entities(store, tmp_path):

    ingest(store, tmp_path)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    [sister] = persons_named(store, "Luz Dary Cardona Restrepo")
    # The sister is named only beside his node from nota.txt; the other two nodes reach her
    # only once resolution says they are the same man.
    far = next(p for p in paisa if traversal.paths(store, p, sister).paths == [] or traversal.paths(store, p, sister).paths[0].length > 1)
    assert (
        traversal.paths(store, far, sister, canon=Clusters(store)).paths == []
        or traversal.paths(store, far, sister, canon=Clusters(store)).paths[0].length > 1
    )
    resolve_persons(store)
    [path] = traversal.paths(store, far, sister, canon=Clusters(store)).paths
    assert path.length == 1 and path.steps[0].relationships[0].properties["kind"] == "co_mentioned"


def test_a_resolved_neighbourhood_draws_each_person_once(store, tmp_path):

    ingest(store, tmp_path)
    resolve_persons(store)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    [sister] = persons_named(store, "Luz Dary Cardona Restrepo")
    for start in paisa:  # from any of his three entities: the same picture
        view = traversal.neighbourhood(store, start, hops=1, canon=Clusters(store))
        [him] = [n for n in view.nodes if n.label == "Jhon Fredy Cardona Restrepo"]
        assert him.id == paisa[0] and him.properties["member_ids"] == paisa  # canonical = smallest member id
        assert view.nodes[0].id == paisa[0]
        ids = [n.id for n in view.nodes]
        assert len(ids) == len(set(ids)) and sister in ids
        assert sum(1 for n in view.nodes if n.type == "Phone") == 1  # his phone, read in two documents
        assert all(e.source_id in ids and e.target_id in ids and e.source_id != e.target_id for e in view.edges)
    # Without resolution she is a neighbour only of his entity from the document naming both.
    assert sum(sister in [n.id for n in traversal.neighbourhood(store, p, hops=1).nodes] for p in paisa) == 1


def test_a_resolved_path_passes_through_a_person_as_one_node(store, tmp_path):

    ingest(store, tmp_path)
    [sister] = persons_named(store, "Luz Dary Cardona Restrepo")
    phone = next(h.id for h in store.search("+573147823390", limit=10) if h.type == "Phone")
    assert traversal.paths(store, sister, phone).paths == []
    resolve_persons(store)
    [path] = traversal.paths(store, sister, phone, canon=Clusters(store)).paths
    assert path.length == 2 and path.nodes[1].label == "Jhon Fredy Cardona Restrepo"
    assert len(path.nodes[1].properties["member_ids"]) == 3
    assert all(step.relationships and all(r.evidence for r in step.relationships) for step in path.steps)


def test_an_analysts_different_on_one_pair_splits_the_chain_and_the_rule_retracts_its_merge(store, tmp_path):
    ingest(store, tmp_path)
    resolve_persons(store)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    assert same_as(store, paisa[0]) == paisa
    # The rule recorded a spanning chain (A = B, B = C): the analyst separates its two ends.
    standing = store.standing_judgements()
    [(first, last)] = [(a, b) for i, a in enumerate(paisa) for b in paisa[i + 1 :] if frozenset((a, b)) not in standing]
    store.add_judgement(Judgement.new(first, last, "different", "user:ana", reason="dos cédulas distintas"))
    after = resolve_persons(store)
    assert last not in same_as(store, first)  # no chain of older rule merges bridges her "different"
    assert after.retracted >= 1
    retractions = [j for j in store.judgements() if j.by == RULE and j.retracts]
    assert retractions and all(store.judgements_by_id([j.retracts])[j.retracts].decision == "same" for j in retractions)
    assert (resolve_persons(store).same, resolve_persons(store).retracted) == (0, 0)


def test_incremental_resolution_joins_new_persons_to_existing_clusters(store, tmp_path):
    folder = tmp_path / "primero"
    folder.mkdir()
    for name in ("informe.txt", "entrevista.txt"):
        (folder / name).write_text(DOCUMENTS[name], "utf-8")
    ingest_paths([folder], store, "Caso")
    first = resolve_persons(store)
    assert first.same == 1
    before = {j.id for j in store.judgements()}
    later = tmp_path / "despues"
    later.mkdir()
    (later / "nota.txt").write_text(DOCUMENTS["nota.txt"], "utf-8")
    ingest_paths([later], store, "Caso")
    added = resolve_persons(store, incremental=True)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    assert len(paisa) == 3 and same_as(store, paisa[0]) == paisa
    new = [j for j in store.judgements() if j.id not in before]
    assert new and added.same == len([j for j in new if j.decision == "same"])
    new_entities = {e for j in new for e in (j.left_id, j.right_id)} - {
        e for j in store.judgements() if j.id in before for e in (j.left_id, j.right_id)
    }
    assert all({j.left_id, j.right_id} & new_entities for j in new)  # every new judgement is about a new person
    assert (resolve_persons(store, incremental=True).same, resolve_persons(store).same) == (0, 0)


def test_a_merge_is_explained_link_by_link_with_its_evidence(store, tmp_path):
    from entity_resolution.graph import explain_merge

    ingest(store, tmp_path)
    resolve_persons(store)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    [sister] = persons_named(store, "Luz Dary Cardona Restrepo")
    found = explain_merge(store, paisa[0], paisa[2])
    assert found.merged and 1 <= len(found.chain) <= 2
    ends = [found.chain[0].judgement.left_id, found.chain[0].judgement.right_id]
    assert paisa[0] in ends
    for link in found.chain:
        assert link.judgement.by == RULE and link.judgement.decision == "same" and link.judgement.features["name"]
        assert link.left_seen_in and link.right_seen_in and all(": " in line for line in link.left_seen_in)
    linked_by_phone = [link for link in found.chain if link.shared]
    for link in linked_by_phone:
        assert link.shared == ["+573147823390"]
    not_merged = explain_merge(store, paisa[0], sister)
    assert not not_merged.merged and not_merged.chain == []
