import math

import networkx as nx
import pytest

from backend.domain.model import EdgeRow, Entity, EntityType, RelType, Subgraph
from backend.reports.layout import SPRING_MAX_NODES, network_view, radial_positions


def _subgraph(graph: nx.Graph) -> Subgraph:
    nodes = [Entity(id=f"n{i}", type=EntityType.PERSON, label=f"Persona {i}") for i in graph]
    edges = [
        EdgeRow(id=f"e{a}-{b}", type=RelType.ASSOCIATED_WITH, source_id=f"n{a}", target_id=f"n{b}", date=None, confidence=0.9)
        for a, b in graph.edges
    ]
    return Subgraph(nodes=nodes, edges=edges)


def _distinct(view) -> int:
    return len({(round(n.x), round(n.y)) for n in view.nodes})


def test_small_view_gets_a_spring_layout_with_every_node_placed_apart():
    view = network_view(_subgraph(nx.star_graph(20)), ["n0"])
    assert view.layout == "spring"
    assert len(view.nodes) == 21 and _distinct(view) == 21
    centre = next(n for n in view.nodes if n.entity.id == "n0")
    assert centre.degree == 20 and all(n.degree == 1 for n in view.nodes if n is not centre)
    assert centre.betweenness == max(n.betweenness for n in view.nodes) > 0.9


@pytest.mark.parametrize("size", [SPRING_MAX_NODES + 1, 2000])
def test_large_view_gets_rings_by_distance_from_the_focus(size):
    graph = nx.random_labeled_tree(size, seed=3)
    view = network_view(_subgraph(graph), ["n0"])
    assert view.layout == "radial" and view.focus == ["n0"]
    assert _distinct(view) == size
    radius = {n.entity.id: math.hypot(n.x, n.y) for n in view.nodes}
    depth = nx.single_source_shortest_path_length(graph, 0)
    assert radius["n0"] == 0
    by_depth: dict[int, list[float]] = {}
    for node, d in depth.items():
        by_depth.setdefault(d, []).append(radius[f"n{node}"])
    assert all(max(radii) - min(radii) < 1 for radii in by_depth.values()), "one ring per distance (positions are rounded)"
    rings = [min(by_depth[d]) for d in sorted(by_depth)]
    assert all(outer - inner > 100 for inner, outer in zip(rings, rings[1:]))


def test_radial_layout_places_other_components_and_unknown_focus():
    graph = nx.Graph([("a", "b"), ("c", "d")])
    graph.add_node("lonely")
    positions = radial_positions(graph, ["nobody", "a"])
    assert set(positions) == {"a", "b", "c", "d", "lonely"}
    assert positions["a"] == (0.0, 0.0)
    assert len({(round(x, 3), round(y, 3)) for x, y in positions.values()}) == 5


def test_empty_view():
    view = network_view(Subgraph(nodes=[], edges=[]), ["x"])
    assert view.nodes == [] and view.focus == []


def test_paths_subgraph_draws_relationships_of_merged_persons_from_their_node():
    from backend.domain.model import GraphPath, PathResult, PathStep, RelationshipView
    from backend.reports.layout import paths_subgraph

    merged = Entity(id="p1", type=EntityType.PERSON, label="Jhon Fredy", properties={"member_ids": ["p1", "p2"]})
    phone = Entity(id="t1", type=EntityType.PHONE, label="+573215560914")
    rel = RelationshipView(id="r1", type=RelType.USES_PHONE, source_id="p2", target_id="t1", date=None, confidence=0.8)
    path = GraphPath(node_ids=["p1", "t1"], nodes=[merged, phone], steps=[PathStep(source_id="p1", target_id="t1", relationships=[rel])])
    subgraph = paths_subgraph(PathResult(paths=[path, path]))
    assert [n.id for n in subgraph.nodes] == ["p1", "t1"]
    assert [(e.id, e.source_id, e.target_id) for e in subgraph.edges] == [("r1", "p1", "t1")]
