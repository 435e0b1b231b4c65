"""The one traversal (neighbourhood, k shortest paths, networkx export) over both stores: every
test runs on SQLite and on a real Neo4j, with the raw graph's canonicaliser, and the resolved
graph's canonicaliser draws a cluster as one node with the same code."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from backend.domain.errors import NotFoundError
from backend.domain.model import Batch, EntityType, GraphFilter, Judgement, RelType
from backend.graph import traversal
from backend.graph.canonical import IDENTITY, Clusters
from tests import factories as f


def test_neighbourhood_one_hop(store, story):
    p, t = story.people, story.things
    sub = traversal.neighbourhood(store, p["recruiter"].id, hops=1)
    assert f.ids_of(sub.nodes) == {p["recruiter"].id, p["luisa"].id, t["phone_recruiter"].id}
    assert sub.nodes[0].id == p["recruiter"].id
    assert f.ids_of(sub.edges) == {story.relationships["recruited"].id, story.relationships["recruiter_phone"].id}
    assert not sub.truncated


def test_neighbourhood_two_hops_includes_ties_among_the_outer_ring(store, story):
    p, t = story.people, story.things
    sub = traversal.neighbourhood(store, p["recruiter"].id, hops=2)
    assert f.ids_of(sub.nodes) == {
        p["recruiter"].id,
        p["luisa"].id,
        t["phone_recruiter"].id,
        t["phone_luisa"].id,
        t["leg"].id,
        p["ana"].id,
    }
    # Luisa's phone called the recruiter's phone: both are in view, so the call is too.
    assert story.relationships["call"].id in f.ids_of(sub.edges)


def test_neighbourhood_limit_truncates_and_says_so(store, story):
    sub = traversal.neighbourhood(store, story.people["recruiter"].id, hops=3, limit=4)
    assert len(sub.nodes) == 4
    assert sub.truncated


def test_a_compartment_keeps_only_relationships_evidenced_in_its_cases(store, story):
    p, t = story.people, story.things
    every = {e.id for e in store.all_edges(GraphFilter())}
    cali = {e.id for e in store.all_edges(GraphFilter(compartment=frozenset({"caso-2"})))}
    assert cali == {story.relationships["carlos_phone"].id}
    assert {e.id for e in store.all_edges(GraphFilter(compartment=frozenset({"caso-1", "caso-2"})))} == every
    assert store.all_edges(GraphFilter(compartment=frozenset())) == []
    # Traversals take it too: from Carlos's phone, a Cali-only viewer reaches Carlos; a
    # Pereira-only viewer reaches nothing.
    assert f.ids_of(
        traversal.neighbourhood(store, t["phone_carlos"].id, hops=2, filters=GraphFilter(compartment=frozenset({"caso-2"}))).nodes
    ) == {t["phone_carlos"].id, p["carlos"].id}
    assert f.ids_of(
        traversal.neighbourhood(store, t["phone_carlos"].id, hops=2, filters=GraphFilter(compartment=frozenset({"caso-1"}))).nodes
    ) == {t["phone_carlos"].id}
    assert traversal.paths(store, p["luisa"].id, p["recruiter"].id, filters=GraphFilter(compartment=frozenset({"caso-2"}))).paths == []
    assert traversal.paths(store, p["luisa"].id, p["recruiter"].id, filters=GraphFilter(compartment=frozenset({"caso-1"}))).paths != []


def test_neighbourhood_filters(store, story):
    p, t = story.people, story.things
    only_people = traversal.neighbourhood(store, p["luisa"].id, hops=2, filters=GraphFilter(entity_types={EntityType.PERSON}))
    assert f.ids_of(only_people.nodes) == {p["luisa"].id, p["recruiter"].id, p["ana"].id, p["payer"].id}

    strong = traversal.neighbourhood(store, p["luisa"].id, hops=1, filters=GraphFilter(min_confidence=0.75))
    assert p["ana"].id not in f.ids_of(strong.nodes)  # only the weak co-mention joins them directly
    assert p["recruiter"].id in f.ids_of(strong.nodes)

    calls = traversal.neighbourhood(store, t["phone_luisa"].id, hops=1, filters=GraphFilter(relationship_types={RelType.CALLED}))
    assert f.ids_of(calls.nodes) == {t["phone_luisa"].id, t["phone_recruiter"].id}

    # Dated relationships outside the range drop out; undated ones stay.
    march = traversal.neighbourhood(store, p["luisa"].id, hops=1, filters=GraphFilter(date_from="2018-03-01", date_to="2018-03-31"))
    assert f.ids_of(march.nodes) == {p["luisa"].id, p["recruiter"].id, t["phone_luisa"].id, p["ana"].id}
    same_day = traversal.neighbourhood(
        store, t["phone_luisa"].id, hops=1, filters=GraphFilter(date_from="2018-03-20", date_to="2018-03-20")
    )
    assert t["phone_recruiter"].id in f.ids_of(same_day.nodes)


def test_neighbourhood_case_filter(store, story):
    p = story.people
    in_case_2 = traversal.neighbourhood(store, p["recruiter"].id, hops=2, filters=GraphFilter(case_id="caso-2"))
    assert f.ids_of(in_case_2.nodes) == {p["recruiter"].id}
    in_case_1 = traversal.neighbourhood(store, p["recruiter"].id, hops=1, filters=GraphFilter(case_id="caso-1"))
    assert p["luisa"].id in f.ids_of(in_case_1.nodes)


def test_shortest_path_carries_evidence_on_every_edge(store, story):
    p = story.people
    result = traversal.paths(store, p["recruiter"].id, p["ana"].id)
    assert len(result.paths) == 1
    path = result.paths[0]
    assert path.node_ids == [p["recruiter"].id, p["luisa"].id, p["ana"].id]
    assert [n.label for n in path.nodes] == ["Juan Carlos Pérez Gómez", "Luisa Fernanda Ríos", "Ana María Torres"]
    for step in path.steps:
        assert step.relationships
        for rel in step.relationships:
            assert rel.evidence
            assert all(ev.document_title for ev in rel.evidence)


def test_k_shortest_paths_are_ordered_and_distinct(store, story):
    p = story.people
    result = traversal.paths(store, p["recruiter"].id, p["ana"].id, k=3, slack=2)
    lengths = [path.length for path in result.paths]
    assert lengths == sorted(lengths)
    assert lengths[0] == 2
    assert len(result.paths) >= 2
    assert len({tuple(path.node_ids) for path in result.paths}) == len(result.paths)
    assert [p["recruiter"].id, p["luisa"].id, story.things["leg"].id, p["ana"].id] in [x.node_ids for x in result.paths]


def test_paths_respect_filters_and_limits(store, story):
    p = story.people
    strong = traversal.paths(store, p["recruiter"].id, p["ana"].id, filters=GraphFilter(min_confidence=0.5))
    assert strong.paths[0].node_ids == [p["recruiter"].id, p["luisa"].id, story.things["leg"].id, p["ana"].id]
    assert traversal.paths(store, p["recruiter"].id, p["ana"].id, max_hops=1).paths == []
    assert traversal.paths(store, p["recruiter"].id, p["carlos"].id).paths == []  # different case, no tie
    with pytest.raises(NotFoundError):
        traversal.paths(store, p["recruiter"].id, "nobody")


def _random_network(seed: int, people: int = 30, ties: int = 38):
    """A sparse random network of persons (some apart from the rest), and the same as networkx;
    each seed's persons and document are its own, so several networks share one store apart."""
    rng = random.Random(seed)
    doc = f.document(f"Informe {seed}: vínculos entre personas.")
    persons = [f.entity(EntityType.PERSON, f"Persona {seed}-{i}") for i in range(people)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ties:
        a, b = sorted(rng.sample(range(people), 2))
        pairs.add((a, b))
    rels = [f.relationship(RelType.ASSOCIATED_WITH, persons[a], persons[b], doc, "vínculos", properties={"kind": "other"})
            for a, b in sorted(pairs)]  # fmt: skip
    graph = nx.Graph()
    graph.add_nodes_from(p.id for p in persons)
    graph.add_edges_from((persons[a].id, persons[b].id) for a, b in pairs)
    return Batch(cases=(f.case(),), documents=(doc,), entities=tuple(persons), relationships=tuple(rels)), graph


@pytest.mark.parametrize("together_frontier", [0, traversal.TOGETHER_FRONTIER])
def test_the_shortest_path_has_networkx_s_length_and_never_more_than_max_hops(store, monkeypatch, together_frontier):
    # 0: one end steps out at a time, as before; the default: both ends together while small.
    monkeypatch.setattr(traversal, "TOGETHER_FRONTIER", together_frontier)
    for seed in (1, 2, 3):
        batch, graph = _random_network(seed)
        store.write(batch)
        rng = random.Random(seed)
        nodes = sorted(graph.nodes)
        for _ in range(12):
            source, target = rng.sample(nodes, 2)
            expected = nx.shortest_path_length(graph, source, target) if nx.has_path(graph, source, target) else None
            for max_hops in (2, 3, 6):
                found = traversal.paths(store, source, target, max_hops=max_hops).paths
                if expected is None or expected > max_hops:
                    assert found == [], (seed, source, target, max_hops)
                    continue
                path = found[0].node_ids
                assert len(path) - 1 == expected, (seed, source, target, max_hops)
                assert path[0] == source and path[-1] == target
                assert all(graph.has_edge(a, b) for a, b in zip(path, path[1:]))


def test_both_ends_of_a_short_path_step_out_in_one_read(store, story, monkeypatch):
    reads = []
    neighbour_pairs = store.neighbour_pairs

    def counted(node_ids, filters):
        reads.append(sorted(node_ids))
        return neighbour_pairs(node_ids, filters)

    monkeypatch.setattr(store, "neighbour_pairs", counted)
    p = story.people
    result = traversal.paths(store, p["recruiter"].id, p["ana"].id)
    assert result.paths[0].node_ids == [p["recruiter"].id, p["luisa"].id, p["ana"].id]
    # One step from each end meets at Luisa: one read of both ends, not one read per end.
    assert reads == [sorted([p["recruiter"].id, p["ana"].id])]


def test_whole_graph_as_networkx(store, story):
    graph = traversal.to_networkx(store)
    assert graph.number_of_nodes() == 13
    assert graph.number_of_edges() == 13
    rec = story.people["recruiter"].id
    assert graph.nodes[rec]["type"] == "Person"
    assert graph.has_edge(rec, story.people["luisa"].id, key=story.relationships["recruited"].id)


def test_case_subgraph_and_given_entities(store, story):
    case_2 = traversal.to_networkx(store, filters=GraphFilter(case_id="caso-2"))
    assert set(case_2.nodes) == {story.people["carlos"].id, story.things["phone_carlos"].id}
    assert case_2.number_of_edges() == 1
    ids = [story.people["recruiter"].id, story.people["luisa"].id, story.people["ana"].id]
    trio = traversal.to_networkx(store, entity_ids=ids)
    assert set(trio.nodes) == set(ids)
    assert {d["type"] for _, _, d in trio.edges(data=True)} == {"ASSOCIATED_WITH"}
    assert trio.number_of_edges() == 2


# ---------------------------------------------------------------- one traversal, two canonicalisers


def test_with_no_same_judgement_the_resolved_graph_is_the_raw_graph(store, story):
    p = story.people
    clusters = Clusters(store)
    for start in (p["recruiter"].id, p["luisa"].id):
        raw = traversal.neighbourhood(store, start, hops=3)
        assert traversal.neighbourhood(store, start, hops=3, canon=clusters) == raw
    assert traversal.paths(store, p["recruiter"].id, p["ana"].id, k=3, canon=clusters) == traversal.paths(
        store, p["recruiter"].id, p["ana"].id, k=3
    )
    raw_graph, resolved_graph = traversal.to_networkx(store), traversal.to_networkx(store, canon=clusters)
    assert sorted(raw_graph.nodes) == sorted(resolved_graph.nodes)
    assert sorted(raw_graph.edges(keys=True)) == sorted(resolved_graph.edges(keys=True))


def test_a_resolved_person_is_one_node_in_neighbourhoods_paths_and_networkx(store, story):
    p, t = story.people, story.things
    # Two cases' persons judged the same: the Pereira recruiter is the Cali "Carlos Restrepo".
    store.add_judgement(Judgement.new(p["recruiter"].id, p["carlos"].id, "same", "user:ana", reason="misma cédula"))
    clusters = Clusters(store)
    node = min(p["recruiter"].id, p["carlos"].id)

    around = traversal.neighbourhood(store, p["carlos"].id, hops=1, canon=clusters)
    assert f.ids_of(around.nodes) == {node, p["luisa"].id, t["phone_recruiter"].id, t["phone_carlos"].id}
    merged = next(n for n in around.nodes if n.id == node)
    assert sorted(merged.properties["member_ids"]) == sorted((p["recruiter"].id, p["carlos"].id))
    assert {e.source_id for e in around.edges if e.type == RelType.USES_PHONE} == {node}

    assert traversal.paths(store, p["luisa"].id, t["phone_carlos"].id).paths == []  # no tie in the raw graph
    [path] = traversal.paths(store, p["luisa"].id, t["phone_carlos"].id, canon=clusters).paths
    assert path.node_ids == [p["luisa"].id, node, t["phone_carlos"].id]
    assert [r.id for r in path.steps[1].relationships] == [story.relationships["carlos_phone"].id]
    assert path.steps[1].relationships[0].evidence  # the citation travels with the resolved step

    graph = traversal.to_networkx(store, canon=clusters)
    assert node in graph and max(p["recruiter"].id, p["carlos"].id) not in graph
    assert graph.has_edge(node, t["phone_carlos"].id) and graph.has_edge(node, p["luisa"].id)


def test_unknown_entities_are_not_found_in_either_view(store, story):
    for canon in (IDENTITY, Clusters(store)):
        with pytest.raises(NotFoundError):
            traversal.neighbourhood(store, "person:nobody", canon=canon)
        with pytest.raises(NotFoundError):
            traversal.paths(store, story.people["luisa"].id, "person:nobody", canon=canon)
