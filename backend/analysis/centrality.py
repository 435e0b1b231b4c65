"""Brokers and communities: degree and betweenness centrality, and communities (Louvain or
label propagation), computed by networkx on the resolved case graph."""

from __future__ import annotations

import random
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from backend.analysis.graph import CaseGraph
from backend.analysis.travel import co_travel
from backend.domain import deadline
from backend.domain.model import EntityType, RelType

# Exact betweenness is O(nodes × edges); above this many nodes it is estimated from a fixed
# sample of sources (seeded, so the same graph gives the same figures).
EXACT_BETWEENNESS_MAX_NODES = 2000
BETWEENNESS_SAMPLE = 200
BETWEENNESS_CHUNK = 16  # sources between checks of the request's time allowance
SEED = 7

CommunityMethod = Literal["louvain", "label_propagation"]
Network = Literal["persons", "all"]
# Ties to a shared thing that make two persons "linked" in the persons network.
_SHARED = (RelType.USES_PHONE, RelType.USES_EMAIL, RelType.HOLDS_ID)


class CentralityRow(BaseModel):
    id: str
    label: str
    type: str
    degree: int  # distinct entities it is tied to
    betweenness: float  # normalised, 0..1
    community: int  # 1 = the largest community


class CentralityResult(BaseModel):
    rows: list[CentralityRow]
    nodes: int
    edges: int
    communities: int
    community_method: str
    network: str
    betweenness_sampled_sources: int | None = None  # None: exact


def person_network(case: CaseGraph) -> nx.Graph:
    """Persons (resolved) linked when the case ties them: an association of any kind, a call
    between their phones, a phone / e-mail / ID they share, or co-travel (same flight or bus
    departure). Each link lists what ties them in `ties`; `weight` counts the ties."""
    graph = nx.Graph()
    for node_id in sorted(case.entities):
        if case.entities[node_id].type is EntityType.PERSON:
            graph.add_node(node_id)

    def tie(a: str, b: str, why: str) -> None:
        if a == b or a not in graph or b not in graph:
            return
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += 1
            graph[a][b]["ties"].add(why)
        else:
            graph.add_edge(a, b, weight=1, ties={why})

    holders: dict[str, set[str]] = {}
    for edge in case.edges_of_type(*_SHARED):
        holders.setdefault(edge.target_id, set()).add(edge.source_id)
    for thing, persons in sorted(holders.items()):
        deadline.check()
        ordered = sorted(persons)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                tie(a, b, f"shared {case.entities[thing].type}")
    for edge in case.edges_of_type(RelType.ASSOCIATED_WITH):
        tie(edge.source_id, edge.target_id, f"association: {edge.properties.get('kind', 'other')}")
    for edge in case.edges_of_type(RelType.CALLED):
        for a in holders.get(edge.source_id, ()):
            for b in holders.get(edge.target_id, ()):
                tie(a, b, "calls")
    for item in co_travel(None, case, kinds={"flight", "bus_departure"}, with_evidence=False):
        tie(*item.persons, f"co-travel: {item.kind}")
    return graph


def communities(graph: nx.Graph, method: CommunityMethod = "louvain") -> dict[str, int]:
    """Community number of every node: 1 for the largest community, then by size (ties by the
    smallest node id), so numbers are stable across runs and stores."""
    if graph.number_of_edges() == 0:
        found = [{n} for n in graph.nodes]
    elif method == "louvain":
        found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    elif method == "label_propagation":
        found = list(nx.community.label_propagation_communities(graph))
    else:
        raise ValueError(f"unknown community method {method!r}; use louvain or label_propagation")
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    return {node: number for number, members in enumerate(ordered, start=1) for node in members}


def betweenness(graph: nx.Graph) -> tuple[dict[str, float], int | None]:
    """Normalised betweenness, exact or estimated from the sampled sources (None: exact) — the
    figures networkx's betweenness_centrality gives with the same sample — worked out a few
    sources at a time so that a request past its time allowance stops between them."""
    nodes = list(graph.nodes)
    n = len(nodes)
    sampled = n > EXACT_BETWEENNESS_MAX_NODES
    sources = random.Random(SEED).sample(nodes, min(BETWEENNESS_SAMPLE, n)) if sampled else nodes
    # Each chunk's figures are half the path-dependency sums (an undirected pair is counted once).
    totals = dict.fromkeys(nodes, 0.0)
    for start in range(0, len(sources), BETWEENNESS_CHUNK):
        deadline.check()
        chunk = nx.betweenness_centrality_subset(graph, sources[start : start + BETWEENNESS_CHUNK], nodes, normalized=False)
        for node, value in chunk.items():
            totals[node] += value
    if n < 3:
        return totals, len(sources) if sampled else None
    # Pairs through each node: (n-1)(n-2) when exact; with k sampled sources a source is
    # scored over k-1 of them, any other node over k (networkx's normalisation).
    k = len(sources)
    if not sampled:
        return {v: 2 * b / ((n - 1) * (n - 2)) for v, b in totals.items()}, None
    chosen = set(sources)
    return {v: 2 * b / (((k - 1) if v in chosen else k) * (n - 2)) for v, b in totals.items()}, k


def centrality(case: CaseGraph, network: Network = "persons", types: set[str] | None = None, top: int | None = 50,
               method: CommunityMethod = "louvain") -> CentralityResult:  # fmt: skip
    """Degree, betweenness and community of every node, highest betweenness first (then
    degree, then id). `network`: "persons" (who is tied to whom: see person_network) finds
    brokers between people; "all" scores every entity over the whole graph, phones, flights
    and terminals included. `types` keeps only those entity types in the list."""
    graph = person_network(case) if network == "persons" else case.simple()
    between, sampled = betweenness(graph)
    community = communities(graph, method)
    rows = [
        CentralityRow(
            id=n,
            label=case.entities[n].label,
            type=str(case.entities[n].type),
            degree=graph.degree(n),
            betweenness=round(between.get(n, 0.0), 6),
            community=community[n],
        )  # fmt: skip
        for n in graph.nodes
        if types is None or str(case.entities[n].type) in types
    ]
    rows.sort(key=lambda r: (-r.betweenness, -r.degree, r.id))
    return CentralityResult(
        rows=rows[:top] if top else rows, nodes=graph.number_of_nodes(), edges=graph.number_of_edges(),
        communities=len(set(community.values())), community_method=method, network=network, betweenness_sampled_sources=sampled,
    )  # fmt: skip
