"""The heavy graph algorithms in igraph's compiled code: betweenness, communities (Leiden,
Louvain, label propagation) and k shortest paths. The graphs stay networkx graphs everywhere else; each is copied
once into igraph, its nodes in the order the graph holds them (the case graph adds them sorted,
so results do not depend on the order records arrived in).

Leiden is igraph's own implementation, not the leidenalg package's: on the 100k-entity case's
persons network (40,000 nodes, 330,247 ties) igraph found a partition of modularity 0.568 in
0.4 s, leidenalg one of about the same in 7.9 s."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Iterable

import igraph as ig
import networkx as nx

from backend.domain import deadline

SEED = 7
# Sources per igraph call: between calls the request's time allowance is checked.
BETWEENNESS_CHUNK = 256
# igraph draws from a process-wide random generator; runs that use it take turns.
_RANDOM_LOCK = threading.Lock()


@dataclass(frozen=True)
class IndexedGraph:
    """An undirected graph as igraph holds it: vertex i is node `names[i]`, each edge keeps its `weight`."""

    graph: ig.Graph
    names: list[str]

    @classmethod
    def of(cls, graph: nx.Graph) -> "IndexedGraph":
        """A networkx graph, its nodes in the graph's order."""
        return cls.from_pairs(list(graph.nodes), ((a, b, d.get("weight", 1)) for a, b, d in graph.edges(data=True)))

    @classmethod
    def from_pairs(cls, names: list[str], pairs: Iterable[tuple[str, str, float]]) -> "IndexedGraph":
        """The nodes `names`, in that order, and the (a, b, weight) edges among them."""
        index = {name: i for i, name in enumerate(names)}
        edges = sorted((min(index[a], index[b]), max(index[a], index[b]), w) for a, b, w in pairs)
        compiled = ig.Graph(n=len(names), edges=[(a, b) for a, b, _ in edges], directed=False)
        compiled.es["weight"] = [w for _, _, w in edges]
        return cls(compiled, names)


def betweenness(indexed: IndexedGraph, sources: list[str] | None = None) -> dict[str, float]:
    """Betweenness of every node, not normalised, each unordered pair counted once (networkx's
    betweenness_centrality_subset with normalized=False): over shortest paths from every node,
    or only from `sources` to every node (an estimate, once scaled)."""
    graph = indexed.graph
    if sources is None:
        chosen = list(range(graph.vcount()))
    else:
        index = {name: i for i, name in enumerate(indexed.names)}
        chosen = sorted(index[s] for s in sources)
    everyone = list(range(graph.vcount()))
    totals = [0.0] * graph.vcount()
    for start in range(0, len(chosen), BETWEENNESS_CHUNK):
        deadline.check()
        part = graph.betweenness(directed=False, sources=chosen[start : start + BETWEENNESS_CHUNK], targets=everyone)
        totals = [t + p for t, p in zip(totals, part)]
    return dict(zip(indexed.names, totals))


def leiden(indexed: IndexedGraph) -> list[set[str]]:
    """Communities maximising modularity (edge weights counted) by the Leiden algorithm; seeded."""
    clustering = _seeded(lambda: indexed.graph.community_leiden(objective_function="modularity", weights="weight", n_iterations=2))
    return [{indexed.names[v] for v in members} for members in clustering]


def louvain(indexed: IndexedGraph) -> list[set[str]]:
    """Communities by the Louvain method (igraph's multilevel), weighted and seeded."""
    clustering = _seeded(lambda: indexed.graph.community_multilevel(weights="weight"))
    return [{indexed.names[v] for v in members} for members in clustering]


def label_propagation(indexed: IndexedGraph) -> list[set[str]]:
    """Communities by label propagation (igraph), weighted and seeded."""
    clustering = _seeded(lambda: indexed.graph.community_label_propagation(weights="weight"))
    return [{indexed.names[v] for v in members} for members in clustering]


def _seeded(work):
    """Run `work` with igraph drawing from a generator seeded alike every time: the same graph
    gives the same communities."""
    with _RANDOM_LOCK:
        ig.set_random_number_generator(random.Random(SEED))
        try:
            return work()
        finally:
            ig.set_random_number_generator(random)


def k_shortest_paths(graph: nx.Graph, source: str, target: str, k: int, longest: int) -> list[list[str]]:
    """Up to k shortest simple paths from source to target with at most `longest` steps, shortest
    first and, at one length, in the order of their node ids."""
    indexed = IndexedGraph.of(graph)
    deadline.check()
    found = indexed.graph.get_k_shortest_paths(indexed.names.index(source), indexed.names.index(target), k=k, mode="all", output="vpath")
    paths = [[indexed.names[v] for v in path] for path in found if path and len(path) - 1 <= longest]
    return sorted(paths, key=lambda p: (len(p), p))
