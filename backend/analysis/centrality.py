"""Brokers and communities on the resolved case graph: degree (networkx), betweenness and
communities (Leiden, Louvain, label propagation) in igraph."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Literal

import networkx as nx
from pydantic import BaseModel

from backend.analysis.graph import CaseGraph
from backend.analysis.travel import shared_journeys
from backend.domain import deadline
from backend.domain.model import EntityType, RelType
from backend.graph import compiled
from backend.graph.compiled import IndexedGraph

# Exact betweenness is O(nodes × edges); above this many nodes it is estimated from a fixed
# sample of sources (seeded, so the same graph gives the same figures). benchmarks/analytics.py
# prints the estimate's error against the exact figures on its 100k-entity case.
EXACT_BETWEENNESS_MAX_NODES = 5000
BETWEENNESS_SAMPLE = 200
SEED = 7

CommunityMethod = Literal["leiden", "louvain", "label_propagation"]
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
    persons, ties = case.derived("persons ties", lambda: person_ties(case))
    graph = nx.Graph()
    graph.add_nodes_from(persons)
    graph.add_edges_from((a, b, {"weight": len(why), "ties": set(why)}) for (a, b), why in ties.items())
    return graph


def person_ties(case: CaseGraph) -> tuple[list[str], dict[tuple[str, str], list[str]]]:
    """The persons network as plain data: the persons (sorted) and, per linked pair (sorted),
    each tie behind the link (see person_network)."""
    persons = sorted(n for n, e in case.entities.items() if e.type is EntityType.PERSON)
    known = set(persons)
    ties: dict[tuple[str, str], list[str]] = defaultdict(list)

    def tie(a: str, b: str, why: str) -> None:
        if a != b and a in known and b in known:
            ties[(a, b) if a < b else (b, a)].append(why)

    holders: dict[str, set[str]] = {}
    for edge in case.edges_of_type(*_SHARED):
        holders.setdefault(edge.target_id, set()).add(edge.source_id)
    for thing, holding in sorted(holders.items()):
        if len(holding) > 1:
            deadline.check()
            ordered = sorted(holding)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    tie(a, b, f"shared {case.entities[thing].type}")
    for edge in case.edges_of_type(RelType.ASSOCIATED_WITH):
        tie(edge.source_id, edge.target_id, f"association: {edge.properties.get('kind', 'other')}")
    for edge in case.edges_of_type(RelType.CALLED):
        for a in holders.get(edge.source_id, ()):
            for b in holders.get(edge.target_id, ()):
                tie(a, b, "calls")
    for pair, kind, _vehicle in shared_journeys(case, kinds={"flight", "bus_departure"}):
        tie(*pair, f"co-travel: {kind}")
    return persons, ties


def communities(graph: nx.Graph, method: CommunityMethod = "leiden") -> dict[str, int]:
    """Community number of every node: 1 for the largest community, then by size (ties by the
    smallest node id), so numbers are stable across runs and stores."""
    return communities_of(IndexedGraph.of(graph), method)


def communities_of(indexed: IndexedGraph, method: CommunityMethod = "leiden") -> dict[str, int]:
    """communities() of a graph already in igraph."""
    if indexed.graph.ecount() == 0:
        found = [{n} for n in indexed.names]
    elif method in ("leiden", "louvain", "label_propagation"):
        found = {"leiden": compiled.leiden, "louvain": compiled.louvain, "label_propagation": compiled.label_propagation}[method](indexed)
    else:
        raise ValueError(f"unknown community method {method!r}; use leiden, louvain or label_propagation")
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    return {node: number for number, members in enumerate(ordered, start=1) for node in members}


def betweenness(indexed: IndexedGraph) -> tuple[dict[str, float], int | None]:
    """Normalised betweenness, exact or estimated from the sampled sources (None: exact) — the
    figures networkx's betweenness_centrality gives with the same seed on the graph's nodes in the
    same order — worked out in igraph a few hundred sources at a time so that a request past its
    time allowance stops between them."""
    nodes = indexed.names
    n = len(nodes)
    sampled = n > EXACT_BETWEENNESS_MAX_NODES
    sources = random.Random(SEED).sample(nodes, min(BETWEENNESS_SAMPLE, n)) if sampled else None
    totals = compiled.betweenness(indexed, sources)
    if n < 3:
        return totals, len(sources) if sources is not None else None
    if sources is None:
        return {v: 2 * b / ((n - 1) * (n - 2)) for v, b in totals.items()}, None
    # Pairs through each node with k sampled sources: a source is scored over k-1 of them, any
    # other node over k (networkx's normalisation).
    k = len(sources)
    chosen = set(sources)
    return {v: 2 * b / (((k - 1) if v in chosen else k) * (n - 2)) for v, b in totals.items()}, k


def centrality(case: CaseGraph, network: Network = "persons", types: set[str] | None = None, top: int | None = 50,
               method: CommunityMethod = "leiden") -> CentralityResult:  # fmt: skip
    """Degree, betweenness and community of every node, highest betweenness first (then
    degree, then id). `network`: "persons" (who is tied to whom: see person_network) finds
    brokers between people; "all" scores every entity over the whole graph, phones, flights
    and terminals included. `types` keeps only those entity types in the list."""
    scored = case.derived(("centrality", network, method), lambda: _scored(case, network, method))
    rows = [r for r in scored.rows if types is None or r.type in types]
    return scored.model_copy(update={"rows": rows[:top] if top else rows})


def network_in_igraph(case: CaseGraph, network: Network) -> IndexedGraph:
    """The persons network (built straight into igraph) or the whole case graph, kept with the graph."""
    if network == "persons":
        persons, ties = case.derived("persons ties", lambda: person_ties(case))
        build = lambda: IndexedGraph.from_pairs(persons, ((a, b, len(why)) for (a, b), why in ties.items()))  # noqa: E731
    else:
        build = lambda: IndexedGraph.of(case.simple())  # noqa: E731
    return case.derived(f"{network} network in igraph", build)


def _scored(case: CaseGraph, network: Network, method: CommunityMethod) -> CentralityResult:
    """Every node of the network scored, in centrality's order (worked out once per graph)."""
    indexed = network_in_igraph(case, network)
    between, sampled = betweenness(indexed)
    community = communities_of(indexed, method)
    degrees = indexed.graph.degree()
    rows = [
        CentralityRow(
            id=n,
            label=case.entities[n].label,
            type=str(case.entities[n].type),
            degree=degree,
            betweenness=round(between.get(n, 0.0), 6),
            community=community[n],
        )  # fmt: skip
        for n, degree in zip(indexed.names, degrees)
    ]
    rows.sort(key=lambda r: (-r.betweenness, -r.degree, r.id))
    return CentralityResult(
        rows=rows, nodes=indexed.graph.vcount(), edges=indexed.graph.ecount(),
        communities=len(set(community.values())), community_method=method, network=network, betweenness_sampled_sources=sampled,
    )  # fmt: skip
