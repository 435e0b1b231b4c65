"""The resolved case graph every analysis starts from."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, TypeVar

import networkx as nx

from backend.domain.model import EdgeRow, Entity, GraphFilter, RelType
from backend.graph import traversal
from backend.graph.canonical import Clusters, collapse_edges, merged_nodes
from backend.store.interface import GraphStore

T = TypeVar("T")

# Figures worked out from one graph that are kept: the network view is one per period asked for,
# and a period is any pair of dates. The least recently asked for goes first (worked out again if
# asked for again).
DERIVED_KEPT = 64


@dataclass
class CaseGraph:
    """Entities of a case (or of everything) with each resolved cluster as one node, and every
    relationship among them, each keeping its own id, date and properties."""

    entities: dict[str, Entity]  # canonical id -> the merged entity
    edges: list[EdgeRow]  # source/target rewritten to canonical ids; self-loops dropped
    clusters: Clusters
    case_id: str | None = None
    # What analyses work out from the graph (the persons network, its igraph copy): a graph is
    # shared by the requests that read one data version, so each is worked out once.
    _derived: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict, repr=False)
    _building: dict[Hashable, threading.Lock] = field(default_factory=dict, repr=False)
    _derived_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def canonical(self, entity_id: str) -> str:
        return self.clusters.canonical(entity_id)

    def simple(self) -> nx.Graph:
        """Undirected, one edge per linked pair (60 calls between two phones are one tie), with
        the number of relationships behind it as `weight`."""
        return self.derived("simple", self._build_simple)

    def _build_simple(self) -> nx.Graph:
        graph = nx.Graph()
        for node_id in sorted(self.entities):
            graph.add_node(node_id)
        for edge in self.edges:
            if graph.has_edge(edge.source_id, edge.target_id):
                graph[edge.source_id][edge.target_id]["weight"] += 1
            else:
                graph.add_edge(edge.source_id, edge.target_id, weight=1)
        return graph

    def derived(self, name: Hashable, build: Callable[[], T]) -> T:
        """What `build` works out from this graph, worked out once: concurrent callers that want
        the same wait for it, others go on. `build` must not change the graph, and its result must
        not be changed by callers."""
        with self._derived_lock:
            if name in self._derived:
                self._derived.move_to_end(name)
                return self._derived[name]
            building = self._building.setdefault(name, threading.Lock())
        with building:
            with self._derived_lock:
                if name in self._derived:
                    return self._derived[name]
            try:
                value = build()
            except BaseException:
                with self._derived_lock:
                    self._building.pop(name, None)
                raise
            with self._derived_lock:
                self._derived[name] = value
                self._building.pop(name, None)
                while len(self._derived) > DERIVED_KEPT:
                    self._derived.popitem(last=False)
            return value

    def edges_of_type(self, *types: RelType) -> list[EdgeRow]:
        by_type = self.derived("edges by type", self._edges_by_type)
        return [e for t in types for e in by_type.get(str(t), ())]

    def _edges_by_type(self) -> dict[str, list[EdgeRow]]:
        by_type: dict[str, list[EdgeRow]] = defaultdict(list)
        for edge in self.edges:
            by_type[str(edge.type)].append(edge)
        return by_type

    def member_ids(self) -> set[str]:
        return {m for c in self.entities for m in self.clusters.members(c)}

    def within(self, date_from: str | None, date_to: str | None) -> "CaseGraph":
        """The graph of a period: relationships dated in it (by day, both ends included) or not
        dated at all, and the entities they tie."""
        edges = [e for e in self.edges if in_period(e.date, date_from, date_to)]
        kept = {end for e in edges for end in (e.source_id, e.target_id)}
        return CaseGraph(entities={i: e for i, e in self.entities.items() if i in kept}, edges=edges, clusters=self.clusters,
                         case_id=self.case_id)  # fmt: skip


def in_period(date: str | None, date_from: str | None, date_to: str | None) -> bool:
    """Whether a date falls in a period (compared by day); an undated record is in every period."""
    if not date:
        return True
    day = date[:10]
    return (not date_from or day >= date_from[:10]) and (not date_to or day <= date_to[:10])


def case_graph(store: GraphStore, case_id: str | None = None, filters: GraphFilter | None = None,
               entity_ids: set[str] | None = None) -> CaseGraph:  # fmt: skip
    """The case's entities (those mentioned in or tied by evidence to its documents; every
    entity when no case is given, or just `entity_ids`) and their relationships that pass the
    filters, with persons judged the same collapsed into one node."""
    filters = (filters or GraphFilter()).model_copy(update={"case_id": case_id})
    entities, edges = traversal.subgraph_records(store, entity_ids, filters)
    clusters = Clusters(store)
    merged = merged_nodes(entities, clusters)
    inside = [e for e in edges if e.source_id in entities and e.target_id in entities]
    kept = [e for e in collapse_edges(inside, clusters) if e.source_id != e.target_id]
    return CaseGraph(entities=merged, edges=kept, clusters=clusters, case_id=case_id)


class CaseGraphCache:
    """Resolved case graphs kept for the data version (the store's generation) they were built
    from: the analysis page's requests share one graph instead of each building it. A write
    changes the generation, and every graph of the older one is dropped; at most `size` graphs
    (views of different cases, users' compartments, filters) are kept, the least recently used
    going first. Requests that want a graph being built wait for it rather than build it again."""

    def __init__(self, size: int = 4):
        self.size = size
        self._generation: str | None = None
        self._graphs: OrderedDict[Hashable, CaseGraph] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self.builds = 0  # graphs built (for tests and benchmarks: hits are the requests that did not build one)

    def get(self, generation: str, key: Hashable, build: Callable[[], CaseGraph]) -> CaseGraph:
        with self._lock:
            if generation != self._generation:
                self._graphs.clear()
                self._building.clear()
                self._generation = generation
            found = self._graphs.get(key)
            if found is not None:
                self._graphs.move_to_end(key)
                return found
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                found = self._graphs.get(key) if generation == self._generation else None
            if found is not None:
                return found
            graph = build()
            with self._lock:
                self.builds += 1
                if generation == self._generation and self.size > 0:
                    self._graphs[key] = graph
                    while len(self._graphs) > self.size:
                        self._graphs.popitem(last=False)
                    self._building.pop(key, None)
            return graph
