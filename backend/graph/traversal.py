"""One traversal for the raw and the resolved graph: neighbourhood, k shortest paths, and the
networkx export, written once on top of the store's primitives.

Each takes a canonicaliser (backend/graph/canonical.py): IDENTITY draws every entity as
itself; Clusters draws each resolved person once, so a path may leave a person from any of
his documents and the neighbours of any of his entities are his neighbours. Relationships
keep their ids and evidence either way.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import networkx as nx

from backend.domain import deadline
from backend.domain.errors import NotFoundError
from backend.domain.model import EdgeRow, Entity, GraphFilter, GraphPath, PathResult, PathStep, RelationshipView, Subgraph
from backend.graph.canonical import IDENTITY, Canonicaliser, collapse_edges, merged_nodes
from backend.graph.compiled import k_shortest_paths
from backend.store.interface import GraphStore

MAX_NEIGHBOURHOOD_LIMIT = 5000
MAX_HOPS = 10
MAX_PATHS = 20
# Both ends of a path search step out in one read while their frontiers hold no more nodes than
# this together. On 200,000 generated entities (benchmarks.store_query's graph) 32 took 3.8 reads
# a path instead of 5.8, reading no more ids; 200 took 3.0 reads but read 7 % more ids, which on
# the embedded store cost more than the reads it saved.
TOGETHER_FRONTIER = 32


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _members(canon: Canonicaliser, nodes: Iterable[str]) -> set[str]:
    return {m for node in nodes for m in canon.members(node)}


def _allowed_types(filters: GraphFilter) -> set[str] | None:
    return {str(t) for t in filters.entity_types} if filters.entity_types is not None else None


def _require(store: GraphStore, entity_ids: list[str], found: dict[str, Entity] | None = None) -> None:
    """NotFoundError for an entity the store does not have (or the viewer may not see). `found`:
    the entities read already, when they include these (a read fewer: on Neo4j each read is a
    round trip and a good share of a request's time)."""
    found = store.entities(entity_ids) if found is None else found
    for entity_id in entity_ids:
        if entity_id not in found:
            raise NotFoundError("entity", entity_id)


def next_ring(store: GraphStore, links: dict[str, int], allowed_types: set[str] | None, room: int) -> tuple[list[str], bool]:
    """The next ring of a neighbourhood: of the nodes linked to the ring before (`links`: how
    many links each has to it), those of an allowed type, the most linked first (ties by id),
    at most `room`. Returns (the ring, whether some were left out)."""
    candidates = list(links)
    if allowed_types is not None:
        types = store.entity_types(candidates)
        candidates = [c for c in candidates if types.get(c) in allowed_types]
    candidates.sort(key=lambda i: (-links[i], i))
    return candidates[: max(0, room)], len(candidates) > room


def neighbourhood(
    store: GraphStore,
    entity_id: str,
    hops: int = 1,
    filters: GraphFilter | None = None,
    limit: int = 500,
    canon: Canonicaliser = IDENTITY,
) -> Subgraph:
    """Nodes within `hops` relationships of one entity's node, closest first, at most `limit`.

    When the limit cuts a ring, the nodes with the most relationships to the ring before them
    are kept (ties by id), and the result says it was truncated. The relationships returned
    are all those among the nodes returned.
    """
    filters = filters or GraphFilter()
    hops = max(0, min(hops, MAX_HOPS))
    limit = max(1, min(limit, MAX_NEIGHBOURHOOD_LIMIT))
    start = canon.canonical(entity_id)  # an unknown entity is refused once its node's entities are read
    included, frontier, truncated = {start}, [start], False
    allowed = _allowed_types(filters)
    for _ in range(hops):
        if not frontier:
            break
        # The next ring is chosen from bare (source, target) pairs; full records are loaded
        # only for what is kept, so a terminal where thousands of journeys meet stays cheap.
        ring_members = _members(canon, frontier)
        links: dict[str, int] = defaultdict(int)
        for source, target in store.neighbour_pairs(ring_members, filters):
            for near, far in ((source, target), (target, source)):
                if near in ring_members:
                    other = canon.canonical(far)
                    if other not in included:
                        links[other] += 1
        candidates, cut = next_ring(store, links, allowed, limit - len(included))
        truncated |= cut
        included.update(candidates)
        frontier = candidates
    entities, edges = store.records_among(_members(canon, included), filters)
    _require(store, [entity_id], entities)
    nodes = merged_nodes(entities, canon)
    return Subgraph(
        nodes=[nodes[n] for n in sorted(nodes, key=lambda n: (n != start, n))],
        edges=collapse_edges(edges, canon),
        truncated=truncated,
    )


class _Side:
    def __init__(self, origin: str):
        self.distance: dict[str, int] = {origin: 0}
        # For each reached node, the smallest-id node one step closer to the origin: a
        # deterministic choice, so both stores return the same path.
        self.parent: dict[str, str] = {}
        self.frontier: list[str] = [origin]
        self.depth = 0

    def walk_back(self, node: str) -> list[str]:
        chain = [node]
        while chain[-1] in self.parent:
            chain.append(self.parent[chain[-1]])
        return chain


class _Explorer:
    """Breadth-first expansion over nodes (canonical ids) shared by both ends of a path search.
    Works on bare (source, target) pairs; full relationships are loaded only for the paths found."""

    def __init__(self, store: GraphStore, filters: GraphFilter, canon: Canonicaliser, endpoints: set[str], node_budget: int,
                 keep_pairs: bool):  # fmt: skip
        self.store = store
        self.filters = filters
        self.canon = canon
        self.endpoints = endpoints
        self.node_budget = node_budget
        self.nodes: set[str] = set(endpoints)
        self.pairs: set[tuple[str, str]] = set()
        self.keep_pairs = keep_pairs  # only k > 1 needs the explored graph itself
        self.types: dict[str, str] = {}
        self.exhausted = False

    def _passes_type_filter(self, ids: set[str]) -> set[str]:
        if self.filters.entity_types is None:
            return ids
        self.types.update(self.store.entity_types(ids - self.types.keys()))
        allowed = {str(t) for t in self.filters.entity_types}
        return {i for i in ids if i in self.endpoints or self.types.get(i) in allowed}

    def _pairs(self, frontier: list[str]) -> list[tuple[str, str]]:
        if self.canon is IDENTITY:
            # The raw graph: the pairs as stored, with no per-pair call in path search's hot
            # loop (benchmarks.store_query times it on a million entities).
            pairs = self.store.neighbour_pairs(frontier, self.filters)
        else:
            canonical = self.canon.canonical
            pairs = [(canonical(s), canonical(t)) for s, t in self.store.neighbour_pairs(_members(self.canon, frontier), self.filters)]
            pairs = [(s, t) for s, t in pairs if s != t]  # inside one node: no step
        if self.filters.entity_types is not None:
            reached = self._passes_type_filter({n for pair in pairs for n in pair})
            pairs = [(s, t) for s, t in pairs if s in reached and t in reached]
        return pairs

    def expand(self, *sides: _Side) -> None:
        """Each side's frontier one step further, all of them in one read of the store."""
        deadline.check()
        frontiers = [set(side.frontier) for side in sides]
        pairs = self._pairs(sorted(set().union(*frontiers)))
        if self.keep_pairs:
            self.pairs.update(_pair(s, t) for s, t in pairs if s != t)
        for side, frontier in zip(sides, frontiers):
            distance, parent = side.distance, side.parent
            layer = side.depth + 1
            next_frontier: list[str] = []
            # The hot loop of path search: kept flat on purpose.
            for source, target in pairs:
                for near, far in ((source, target), (target, source)):
                    if near in frontier:
                        known = distance.get(far)
                        if known is None:
                            distance[far] = layer
                            parent[far] = near
                            next_frontier.append(far)
                        elif known == layer and near < parent[far]:
                            parent[far] = near
            self.nodes.update(next_frontier)
            side.frontier = next_frontier
            side.depth = layer
        if len(self.nodes) > self.node_budget:
            self.exhausted = True

    def expand_smaller(self, sides: tuple[_Side, _Side]) -> bool:
        """Expand the side with the smaller frontier; False when neither has one."""
        candidates = [s for s in sides if s.frontier]
        if not candidates:
            return False
        self.expand(min(candidates, key=lambda s: len(s.frontier)))
        return True

    def shortest_path(self, side_a: _Side, side_b: _Side, length: int) -> list[str]:
        meeting = min(n for n in side_a.distance.keys() & side_b.distance.keys() if side_a.distance[n] + side_b.distance[n] == length)
        return list(reversed(side_a.walk_back(meeting))) + side_b.walk_back(meeting)[1:]


def among(store: GraphStore, node_ids: Iterable[str], filters: GraphFilter | None = None, canon: Canonicaliser = IDENTITY) -> Subgraph:
    """Given nodes (ids as drawn: a resolved person by any member's id) and the relationships
    among them; ids the store does not show are left out."""
    filters = filters or GraphFilter()
    found = store.entities(_members(canon, {canon.canonical(i) for i in node_ids}))
    nodes = merged_nodes(found, canon)
    return Subgraph(nodes=[nodes[n] for n in sorted(nodes)], edges=collapse_edges(store.edges_among(set(found), filters), canon))


def _shortest_length(explorer: _Explorer, side_a: _Side, side_b: _Side, max_hops: int) -> int | None:
    """The length of a shortest path, or None. Both ends step out together while their frontiers
    are small: one read of the store instead of two (each read is a round trip to Neo4j, and a
    path request made four); past that the smaller frontier alone, so a hub's side waits."""
    while side_a.depth + side_b.depth < max_hops and not explorer.exhausted:
        if not side_a.frontier or not side_b.frontier:
            return None  # one end's whole component is seen and the other end is not in it
        together = side_a.depth + side_b.depth + 2 <= max_hops and len(side_a.frontier) + len(side_b.frontier) <= TOGETHER_FRONTIER
        explorer.expand(*((side_a, side_b) if together else (min((side_a, side_b), key=lambda s: len(s.frontier)),)))
        met = side_a.distance.keys() & side_b.distance.keys()
        if met:
            # Each side's distances are exact up to its depth, so the least sum is the shortest
            # length even when both stepped out together.
            return min(side_a.distance[n] + side_b.distance[n] for n in met)
    return None


def paths(
    store: GraphStore,
    source_id: str,
    target_id: str,
    k: int = 1,
    max_hops: int = 6,
    filters: GraphFilter | None = None,
    slack: int = 1,
    node_budget: int = 50_000,
    canon: Canonicaliser = IDENTITY,
) -> PathResult:
    """The k shortest simple paths between two entities' nodes, each step with the
    relationships (and their evidence) between any member of one node and any of the next.

    Bidirectional breadth-first search finds the shortest length d; for k > 1 the search goes
    on until it has seen every relationship of every path up to d + slack hops (and never
    past max_hops). Intermediate nodes must pass the entity-type filter.
    """
    filters = filters or GraphFilter()
    k = max(1, min(k, MAX_PATHS))
    max_hops = max(1, min(max_hops, MAX_HOPS))
    # Unknown ends are refused when no path is found, or from the entities read for the paths.
    source, target = canon.canonical(source_id), canon.canonical(target_id)
    if source == target:
        _require(store, [source_id, target_id])
        return PathResult(paths=[])
    explorer = _Explorer(store, filters, canon, {source, target}, node_budget, keep_pairs=k > 1)
    side_a, side_b = _Side(source), _Side(target)
    shortest = _shortest_length(explorer, side_a, side_b, max_hops)
    if shortest is None:
        _require(store, [source_id, target_id])
        return PathResult(paths=[], truncated=explorer.exhausted)
    if k == 1:
        found = [explorer.shortest_path(side_a, side_b, shortest)]
    else:
        longest = min(max_hops, shortest + max(0, slack))
        while side_a.depth + side_b.depth < longest and not explorer.exhausted and explorer.expand_smaller((side_a, side_b)):
            pass
        graph = nx.Graph()
        graph.add_nodes_from(sorted(explorer.nodes))
        graph.add_edges_from(sorted(explorer.pairs))
        found = k_shortest_paths(graph, source, target, k, longest)
    return PathResult(paths=_graph_paths(store, found, filters, canon, ends=[source_id, target_id]), truncated=explorer.exhausted)


def _graph_paths(store: GraphStore, found: list[list[str]], filters: GraphFilter, canon: Canonicaliser, ends: list[str]) -> list[GraphPath]:
    """The node paths found, with the relationships of each step and the nodes' entities (the
    `ends` asked about must be among them)."""
    entities, edges = store.records_among(_members(canon, {n for p in found for n in p}), filters)
    between: dict[tuple[str, str], list[EdgeRow]] = defaultdict(list)
    for edge in edges:
        a, b = canon.canonical(edge.source_id), canon.canonical(edge.target_id)
        if a != b:
            between[_pair(a, b)].append(edge)
    needed = {_pair(a, b) for p in found for a, b in zip(p, p[1:])}
    views: dict[str, RelationshipView] = {v.id: v for v in store.relationship_views(e for pair in sorted(needed) for e in between[pair])}
    _require(store, ends, entities)
    nodes = merged_nodes(entities, canon)
    return [
        GraphPath(
            node_ids=node_path,
            nodes=[nodes[n] for n in node_path],
            steps=[
                PathStep(source_id=a, target_id=b, relationships=[views[e.id] for e in between[_pair(a, b)]])
                for a, b in zip(node_path, node_path[1:])
            ],
        )
        for node_path in found
    ]


def subgraph_records(
    store: GraphStore, entity_ids: Iterable[str] | None = None, filters: GraphFilter | None = None
) -> tuple[dict[str, Entity], list[EdgeRow]]:
    """The given entities (or a case's, or every one) that pass the entity-type filter, and
    the relationships that pass the filters among the given entities (or of the case, or all;
    their ends are added). Relationships may still name an entity the type filter left out."""
    filters = filters or GraphFilter()
    if entity_ids is not None:
        ids = set(entity_ids)
        edges = store.edges_among(ids, filters)
    else:
        edges = store.all_edges(filters)
        ids = store.case_entity_ids(filters.case_id) if filters.case_id else store.all_entity_ids()
        ids |= {end for e in edges for end in (e.source_id, e.target_id)}
    nodes = store.entities(ids)
    if filters.entity_types is not None:
        nodes = {i: n for i, n in nodes.items() if n.type in filters.entity_types}
    return nodes, edges


def to_networkx(
    store: GraphStore,
    entity_ids: Iterable[str] | None = None,
    filters: GraphFilter | None = None,
    canon: Canonicaliser = IDENTITY,
) -> nx.MultiDiGraph:
    """A subgraph for analytics: the given entities (or a case, or everything) and the
    relationships among them that pass the filters, each node as the canonicaliser draws it."""
    entities, edges = subgraph_records(store, entity_ids, filters)
    edges = [e for e in edges if e.source_id in entities and e.target_id in entities]
    nodes = merged_nodes(entities, canon)
    graph = nx.MultiDiGraph()
    for node_id in sorted(nodes):
        node = nodes[node_id]
        graph.add_node(node_id, type=str(node.type), label=node.label, properties=node.properties)
    for edge in sorted(collapse_edges(edges, canon), key=lambda e: e.id):
        graph.add_edge(
            edge.source_id,
            edge.target_id,
            key=edge.id,
            type=str(edge.type),
            date=edge.date,
            confidence=edge.confidence,
            evidence_count=edge.evidence_count,
            properties=edge.properties,
        )
    return graph
