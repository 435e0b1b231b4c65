"""The resolved case graph every analysis starts from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from backend.domain.model import EdgeRow, Entity, GraphFilter, RelType
from backend.graph import traversal
from backend.graph.canonical import Clusters, collapse_edges, merged_nodes
from backend.store.interface import GraphStore


@dataclass
class CaseGraph:
    """Entities of a case (or of everything) with each resolved cluster as one node, and every
    relationship among them, each keeping its own id, date and properties."""

    entities: dict[str, Entity]  # canonical id -> the merged entity
    edges: list[EdgeRow]  # source/target rewritten to canonical ids; self-loops dropped
    clusters: Clusters
    case_id: str | None = None
    _simple: nx.Graph | None = field(default=None, repr=False)
    _by_type: dict[str, list[EdgeRow]] | None = field(default=None, repr=False)

    def canonical(self, entity_id: str) -> str:
        return self.clusters.canonical(entity_id)

    def simple(self) -> nx.Graph:
        """Undirected, one edge per linked pair (60 calls between two phones are one tie), with
        the number of relationships behind it as `weight`."""
        if self._simple is None:
            graph = nx.Graph()
            for node_id in sorted(self.entities):
                graph.add_node(node_id)
            for edge in self.edges:
                if graph.has_edge(edge.source_id, edge.target_id):
                    graph[edge.source_id][edge.target_id]["weight"] += 1
                else:
                    graph.add_edge(edge.source_id, edge.target_id, weight=1)
            self._simple = graph
        return self._simple

    def edges_of_type(self, *types: RelType) -> list[EdgeRow]:
        if self._by_type is None:
            self._by_type = defaultdict(list)
            for edge in self.edges:
                self._by_type[str(edge.type)].append(edge)
        return [e for t in types for e in self._by_type.get(str(t), ())]

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
