"""Network views for the browser: positions computed here, so the page draws with physics off.

vis-network's physics needs minutes to settle a few thousand nodes in a browser; networkx
on the server gives every node a position at once. Small views get a spring layout (the
familiar force-directed look); views above SPRING_MAX_NODES get a radial layout around the
entities the view is about — ring k holds what is k links away, each node inside the
angular sector of the node it was reached from — which costs one breadth-first search.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import networkx as nx
from pydantic import BaseModel

from backend.domain.model import EdgeRow, Entity, PathResult, Subgraph
from backend.graph.canonical import aggregate_calls

# Above this many nodes the O(n²) spring layout takes seconds (2.2 s at 1,000 nodes here).
SPRING_MAX_NODES = 300
# Exact betweenness is O(n·m); above this many nodes it is estimated from a sample of sources.
EXACT_BETWEENNESS_MAX_NODES = 500
BETWEENNESS_SAMPLE = 100
# Pixels: distance between rings, and the arc each node on a ring needs.
RING_GAP = 160.0
NODE_ARC = 28.0


class NodeView(BaseModel):
    entity: Entity
    x: float
    y: float
    degree: int
    betweenness: float
    community: int | None = None  # set by the case-analysis view (1 = the largest community)


class NetworkView(BaseModel):
    nodes: list[NodeView]
    edges: list[EdgeRow]
    focus: list[str]
    layout: str  # "spring" or "radial"
    truncated: bool = False


def _graph(node_ids: Iterable[str], edges: Iterable[EdgeRow]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from((e.source_id, e.target_id) for e in edges if e.source_id in graph and e.target_id in graph)
    return graph


def spring_positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    if len(graph) == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    scale = 90.0 * math.sqrt(len(graph))
    positions = nx.spring_layout(graph, seed=7, iterations=80, scale=scale)
    return {n: (float(x), float(y)) for n, (x, y) in positions.items()}


def radial_positions(graph: nx.Graph, focus: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Rings by distance from the focus; every subtree of the breadth-first tree gets an
    angular sector in proportion to its size, so what hangs off one node stays together."""
    roots = [n for n in dict.fromkeys(focus) if n in graph] or [max(graph, key=graph.degree)]
    parent: dict[str, str | None] = {r: None for r in roots}
    depth = {r: 0 for r in roots}
    order = list(roots)
    for start in [*roots, *sorted(graph, key=str)]:  # every component, focus first
        if start not in depth:
            parent[start], depth[start] = None, 1
            order.append(start)
        frontier = [start]
        while frontier:
            following = []
            for node in frontier:
                for neighbour in sorted(graph[node], key=str):
                    if neighbour not in depth:
                        parent[neighbour], depth[neighbour] = node, depth[node] + 1
                        order.append(neighbour)
                        following.append(neighbour)
            frontier = following
    children: dict[str | None, list[str]] = {}
    for node in order:
        children.setdefault(parent[node], []).append(node)
    size = dict.fromkeys(order, 1)
    for node in reversed(order):
        if parent[node] is not None:
            size[parent[node]] += size[node]

    per_ring: dict[int, int] = {}
    for d in depth.values():
        per_ring[d] = per_ring.get(d, 0) + 1
    radius = {0: 0.0 if len(roots) == 1 else NODE_ARC * len(roots) / math.pi}
    for ring in range(1, max(per_ring) + 1):
        radius[ring] = max(radius[ring - 1] + RING_GAP, per_ring.get(ring, 0) * NODE_ARC / (2 * math.pi))

    angle: dict[str, float] = {}
    stack: list[tuple[str | None, float, float]] = [(None, 0.0, 2 * math.pi)]
    while stack:
        node, low, high = stack.pop()
        kids = children.get(node, [])
        total = sum(size[k] for k in kids) or 1
        cursor = low
        for kid in kids:
            share = (high - low) * size[kid] / total
            angle[kid] = cursor + share / 2
            stack.append((kid, cursor, cursor + share))
            cursor += share
    return {n: (radius[depth[n]] * math.cos(angle[n]), radius[depth[n]] * math.sin(angle[n])) for n in order}


def betweenness(graph: nx.Graph) -> dict[str, float]:
    if len(graph) <= EXACT_BETWEENNESS_MAX_NODES:
        return nx.betweenness_centrality(graph)
    return nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLE, seed=7)


def network_view(subgraph: Subgraph, focus: Sequence[str] = ()) -> NetworkView:
    """Positions, degree and betweenness for every node of `subgraph`; `focus` is what the
    view is about (the radial layout's centre)."""
    subgraph = subgraph.model_copy(update={"edges": aggregate_calls(subgraph.edges)})
    graph = _graph((n.id for n in subgraph.nodes), subgraph.edges)
    if len(graph) == 0:
        return NetworkView(nodes=[], edges=[], focus=[], layout="spring", truncated=subgraph.truncated)
    if len(graph) <= SPRING_MAX_NODES:
        layout, positions = "spring", spring_positions(graph)
    else:
        layout, positions = "radial", radial_positions(graph, focus)
    central = betweenness(graph)
    nodes = [
        NodeView(entity=n, x=round(positions[n.id][0], 1), y=round(positions[n.id][1], 1),
                 degree=graph.degree(n.id), betweenness=round(central.get(n.id, 0.0), 5))
        for n in subgraph.nodes
    ]  # fmt: skip
    return NetworkView(nodes=nodes, edges=subgraph.edges, focus=[f for f in focus if f in graph],
                       layout=layout, truncated=subgraph.truncated)  # fmt: skip


class PathsView(BaseModel):
    paths: PathResult
    view: NetworkView


def paths_subgraph(result: PathResult) -> Subgraph:
    """Every node and relationship on the paths, once. On resolved paths a node stands for
    several entities (`member_ids`): its relationships are drawn from and to that node."""
    nodes: dict[str, Entity] = {}
    edges: dict[str, EdgeRow] = {}
    for path in result.paths:
        nodes.update((n.id, n) for n in path.nodes)
    node_of = {member: n.id for n in nodes.values() for member in [n.id, *n.properties.get("member_ids", ())]}
    for path in result.paths:
        for step in path.steps:
            for r in step.relationships:
                ends = {"source_id": node_of.get(r.source_id, r.source_id), "target_id": node_of.get(r.target_id, r.target_id)}
                edges[r.id] = EdgeRow(**r.model_dump(exclude={"evidence"}) | ends)
    return Subgraph(nodes=list(nodes.values()), edges=list(edges.values()), truncated=result.truncated)
