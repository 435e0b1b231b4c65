"""Resolving the graph's persons: the resolver's decisions become judgements in the store.

Ingest keeps one Person entity per document. `resolve_persons` reads them with the phones
and identity documents the graph ties them to, runs the resolver with the standing
judgements as constraints (an analyst's "same" is a must-link, "different" a cannot-link),
and records its own decisions as `rule:` judgements with score and features: "same" above
the high threshold, "unsure" (for review) between the thresholds. Nothing is deleted or
rewritten; a pair that already has a judgement keeps it. Running it again with nothing new
records nothing.

`same_as` reads the clusters back: the entities joined by standing "same" judgements.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass

import networkx as nx
from pydantic import BaseModel

from backend.model import EdgeRow, Entity, EntityType, GraphFilter, GraphPath, Judgement, PathResult, PathStep, RelType, Subgraph
from backend.store.base import MAX_HOPS, MAX_NEIGHBOURHOOD_LIMIT, MAX_PATHS, GraphStore, next_ring
from entity_resolution.engine import DEFAULT_HIGH, DEFAULT_LOW, make_record, resolve

RULE = "rule:fellegi-sunter-v1"


@dataclass
class GraphResolution:
    persons: int
    same: int
    unsure: int
    kept_analyst_decisions: int
    retracted: int = 0


def _person_records(store: GraphStore):
    ids = sorted(store.all_entity_ids())
    types = store.entity_types(ids)
    person_ids = [i for i in ids if types.get(i) == EntityType.PERSON]
    entities = store.entities(person_ids)
    edges = store.all_edges(GraphFilter(relationship_types=frozenset({RelType.USES_PHONE, RelType.HOLDS_ID})))
    targets = store.entities({e.target_id for e in edges})
    phones: dict[str, list[str]] = {}
    documents: dict[str, list[str]] = {}
    for edge in edges:
        target = targets.get(edge.target_id)
        if target is None:
            continue
        if edge.type is RelType.USES_PHONE:
            phones.setdefault(edge.source_id, []).append(target.label)
        else:
            kind, number = target.properties.get("type", ""), target.properties.get("number", target.label)
            documents.setdefault(edge.source_id, []).append(f"{kind}:{number}")
    records = [
        make_record(pid, full_name=entities[pid].label, phones=phones.get(pid, ()), id_numbers=documents.get(pid, ()),
                    aliases=entities[pid].aliases)  # fmt: skip
        for pid in person_ids
        if pid in entities
    ]
    return records


def resolve_persons(store: GraphStore, high: float = DEFAULT_HIGH, low: float = DEFAULT_LOW, incremental: bool = False) -> GraphResolution:
    """Record the resolver's decisions about the graph's persons as `rule:` judgements.

    Analysts' judgements are constraints ("same" must-link, "different" cannot-link) and are
    never superseded. The rule's own earlier judgements are revised: a pair it called "same"
    that no longer clusters together (an analyst's "different" split the chain through it)
    gets a later rule judgement that retracts it, and likewise the other way round; a pair
    whose decision has not changed gets nothing new.

    `incremental`: compare only pairs with at least one person no judgement mentions yet (the
    newly ingested), against everyone; earlier rule decisions are kept as they are.
    """
    records = _person_records(store)
    index = {r.id: n for n, r in enumerate(records)}
    standing = store.standing_judgements()
    must, cannot = [], []
    for judgement in standing.values():
        a, b = judgement.left_id, judgement.right_id
        if a not in index or b not in index:
            continue
        if judgement.by.startswith("user:") and judgement.decision == "same":
            must.append((index[a], index[b]))
        elif judgement.by.startswith("user:") and judgement.decision == "different":
            cannot.append((index[a], index[b]))
        elif incremental and judgement.decision == "same":
            must.append((index[a], index[b]))  # earlier clusters stand; new persons join them
    judged = {entity_id for pair in standing for entity_id in pair}
    new_records = {n for n, r in enumerate(records) if r.id not in judged} if incremental else None
    result = resolve(records, high=high, low=low, cannot_link=cannot, must_link=must, only_with=new_records)
    same = unsure = retracted = 0
    sole = {(a, b) for a, b, _ in result.sole_candidates}
    for pairs, decision in ((result.merged_pairs, "same"), (result.review_pairs, "unsure")):
        for a, b, probability in pairs:
            left, right = records[a].id, records[b].id
            earlier = standing.get(frozenset((left, right)))
            if earlier is not None and (earlier.by.startswith("user:") or earlier.decision == decision):
                continue  # an analyst's decision, or this rule's unchanged one
            features = {row["comparison"]: row["level"] for row in result.explain(a, b) if row["level"] != "no information"}
            reason = "; ".join(f"{k}: {v}" for k, v in features.items())
            if (a, b) in sole:
                reason += "; the only candidate on both sides"
            store.add_judgement(Judgement.new(left, right, decision, RULE, reason=reason, score=round(probability, 4), features=features,
                                              retracts=earlier.id if earlier is not None else None))  # fmt: skip
            same += decision == "same"
            unsure += decision == "unsure"
    if not incremental:
        for pair, judgement in standing.items():
            a, b = judgement.left_id, judgement.right_id
            if judgement.by == RULE and judgement.decision == "same" and a in index and b in index and result.clusters[index[a]] != result.clusters[index[b]]:
                store.add_judgement(Judgement.new(a, b, "unsure", RULE, reason="no longer merged: the clusters were split (an analyst's 'different' or new evidence)",
                                                  retracts=judgement.id))  # fmt: skip
                retracted += 1
    analyst = sum(1 for j in standing.values() if j.by.startswith("user:"))
    return GraphResolution(len(records), same, unsure, analyst, retracted)


def same_neighbours(store: GraphStore, standing: dict[frozenset[str], Judgement] | None = None) -> dict[str, set[str]]:
    neighbours: dict[str, set[str]] = {}
    for judgement in (store.standing_judgements() if standing is None else standing).values():
        if judgement.decision == "same":
            neighbours.setdefault(judgement.left_id, set()).add(judgement.right_id)
            neighbours.setdefault(judgement.right_id, set()).add(judgement.left_id)
    return neighbours


def same_as(store: GraphStore | None, entity_id: str, neighbours: dict[str, set[str]] | None = None) -> list[str]:
    """The entity and every entity joined to it by standing "same" judgements, sorted."""
    neighbours = same_neighbours(store) if neighbours is None else neighbours
    seen, queue = {entity_id}, deque([entity_id])
    while queue:
        for other in neighbours.get(queue.popleft(), ()):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return sorted(seen)


class MergeLink(BaseModel):
    """One "same" judgement on the chain that joins two entities, with what supports it."""

    judgement: Judgement
    shared: list[str]  # phones and identity documents both entities are tied to
    left_seen_in: list[str]  # "document title: sentence" of the left entity's first mentions
    right_seen_in: list[str]


class MergeExplanation(BaseModel):
    left_id: str
    right_id: str
    merged: bool
    # Why they are one person: the chain of standing "same" judgements from left to right.
    chain: list[MergeLink] = []
    # When they are not: what stands between them directly, if anything.
    standing: Judgement | None = None


def _seen_in(store: GraphStore, entity_id: str, limit: int = 3) -> list[str]:
    mentions = store.get_entity(entity_id).mentions[:limit]
    return [f"{m.document_title}: {m.sentence or m.text}" for m in mentions]


def explain_merge(store: GraphStore, left_id: str, right_id: str) -> MergeExplanation:
    """Why two entities are (or are not) one person: each "same" judgement on the shortest
    chain between them — who decided, when, the score, the features — and the evidence behind
    each link (shared phones and IDs, the sentences each entity was read from)."""
    for end in (left_id, right_id):
        store.get_entity(end)  # NotFoundError for an unknown id
    standing = store.standing_judgements()
    neighbours = same_neighbours(store, standing)  # one read of the judgements, not two
    previous: dict[str, str | None] = {left_id: None}
    queue = deque([left_id])
    while queue and right_id not in previous:
        node = queue.popleft()
        for other in sorted(neighbours.get(node, ())):
            if other not in previous:
                previous[other] = node
                queue.append(other)
    if right_id not in previous or left_id == right_id:
        return MergeExplanation(left_id=left_id, right_id=right_id, merged=left_id == right_id, standing=standing.get(frozenset((left_id, right_id))))
    chain_ids = [right_id]
    while previous[chain_ids[-1]] is not None:
        chain_ids.append(previous[chain_ids[-1]])
    chain_ids.reverse()
    ties = GraphFilter(relationship_types=frozenset({RelType.USES_PHONE, RelType.HOLDS_ID}))
    tied: dict[str, set[str]] = defaultdict(set)
    for edge in store.incident_edges(chain_ids, ties):
        tied[edge.source_id].add(edge.target_id)
    labels = store.entities({t for targets in tied.values() for t in targets})
    links = []
    for a, b in zip(chain_ids, chain_ids[1:]):
        shared = sorted(labels[t].label for t in tied[a] & tied[b] if t in labels)
        links.append(MergeLink(judgement=standing[frozenset((a, b))], shared=shared, left_seen_in=_seen_in(store, a), right_seen_in=_seen_in(store, b)))
    return MergeExplanation(left_id=left_id, right_id=right_id, merged=True, chain=links)


class Clusters:
    """Entities joined by standing "same" judgements. A cluster's canonical id is its smallest
    member id: the same members give the same id on every run and in both stores, and every
    member id still leads to its cluster (nothing is renamed or deleted)."""

    def __init__(self, store: GraphStore):
        self._neighbours = same_neighbours(store)
        self._members: dict[str, tuple[str, ...]] = {}

    def members(self, entity_id: str) -> tuple[str, ...]:
        found = self._members.get(entity_id)
        if found is None:
            found = tuple(same_as(None, entity_id, self._neighbours))
            for member in found:
                self._members[member] = found
        return found

    def canonical(self, entity_id: str) -> str:
        return self.members(entity_id)[0]


def merged_entity(members: list[Entity]) -> Entity:
    """One entity standing for a cluster: the canonical (smallest) id, the most frequent label
    (the longest among equals), every alias and label of its members, their ids."""
    members = sorted(members, key=lambda e: e.id)
    if len(members) == 1:
        return members[0]
    labels = Counter(m.label for m in members)
    label = max(labels, key=lambda text: (labels[text], len(text), text))
    aliases = sorted({a for m in members for a in m.aliases} | {m.label for m in members if m.label != label})
    properties = {k: v for m in reversed(members) for k, v in m.properties.items()}
    properties["member_ids"] = [m.id for m in members]
    return Entity(id=members[0].id, type=members[0].type, label=label, aliases=tuple(aliases), properties=properties)


def _collapse_edges(edges: list[EdgeRow], clusters: Clusters) -> list[EdgeRow]:
    """Each relationship drawn between clusters (its own id and evidence kept); relationships
    inside one cluster (a person's phone seen in two of his documents) stay, between one node
    and itself, only if their ends are not the same entity after collapsing."""
    out = []
    for edge in edges:
        source, target = clusters.canonical(edge.source_id), clusters.canonical(edge.target_id)
        if source == target:
            continue
        out.append(edge.model_copy(update={"source_id": source, "target_id": target}))
    return out


def resolved_neighbourhood(store: GraphStore, entity_id: str, hops: int = 1, filters: GraphFilter | None = None, limit: int = 500) -> Subgraph:
    """The neighbourhood with each resolved person drawn once: every entity judged the same as
    another is one node (its canonical id), and the neighbours of any of its entities are its
    neighbours. `limit` counts these nodes; relationships keep their ids and evidence."""
    filters = filters or GraphFilter()
    store.get_entity(entity_id)  # NotFoundError for an unknown id
    hops = max(0, min(hops, MAX_HOPS))
    limit = max(1, min(limit, MAX_NEIGHBOURHOOD_LIMIT))
    clusters = Clusters(store)
    start = clusters.canonical(entity_id)
    included = {start}
    frontier = [start]
    truncated = False
    allowed = {str(t) for t in filters.entity_types} if filters.entity_types is not None else None
    for _ in range(hops):
        if not frontier:
            break
        ring_members = {m for c in frontier for m in clusters.members(c)}
        links: dict[str, int] = defaultdict(int)
        for source, target in store.neighbour_pairs(ring_members, filters):
            for near, far in ((source, target), (target, source)):
                if near in ring_members:
                    other = clusters.canonical(far)
                    if other not in included:
                        links[other] += 1
        candidates, cut = next_ring(store, links, allowed, limit - len(included))
        truncated |= cut
        included.update(candidates)
        frontier = candidates
    member_ids = {m for c in included for m in clusters.members(c)}
    entities = store.entities(member_ids)
    groups: dict[str, list[Entity]] = defaultdict(list)
    for member_id, entity in entities.items():
        groups[clusters.canonical(member_id)].append(entity)
    nodes = [merged_entity(groups[c]) for c in sorted(groups, key=lambda c: (c != start, c))]
    return Subgraph(nodes=nodes, edges=_collapse_edges(store.edges_among(member_ids, filters), clusters), truncated=truncated)


def resolved_paths(
    store: GraphStore, source_id: str, target_id: str, k: int = 1, max_hops: int = 6, filters: GraphFilter | None = None,
    node_budget: int = 50_000,
) -> PathResult:  # fmt: skip
    """The k shortest paths between two entities *as resolved*: each cluster of entities judged
    the same is one node, so a path may leave a person from any of his documents and pass
    through any resolved person in between. Every step lists the relationships (with their
    evidence) between any entity of one node and any of the next."""
    filters = filters or GraphFilter()
    for end in (source_id, target_id):
        store.get_entity(end)
    k = max(1, min(k, MAX_PATHS))
    max_hops = max(1, min(max_hops, MAX_HOPS))
    clusters = Clusters(store)
    source, target = clusters.canonical(source_id), clusters.canonical(target_id)
    if source == target:
        return PathResult(paths=[])
    allowed = {str(t) for t in filters.entity_types} if filters.entity_types is not None else None
    graph = nx.Graph()
    graph.add_node(source)
    depth, frontier, level, truncated = {source: 0}, [source], 0, False
    # Breadth-first over clusters. A path of length d + 1 only uses edges of nodes at depth
    # ≤ d, so expanding through the target's depth d holds all of the k shortest (up to one
    # hop longer than the shortest), as the store's own path search does.
    while frontier and level < max_hops and (target not in depth or (k > 1 and level <= depth[target])):
        ring = set(frontier)
        pairs = store.neighbour_pairs({m for c in frontier for m in clusters.members(c)}, filters)
        far_ends = {clusters.canonical(x) for pair in pairs for x in pair}
        types = store.entity_types(far_ends) if allowed is not None else {}
        following = set()
        for a, b in pairs:
            ca, cb = clusters.canonical(a), clusters.canonical(b)
            for near, far in ((ca, cb), (cb, ca)):
                if near not in ring or near == far:
                    continue
                if allowed is not None and far not in (source, target) and types.get(far) not in allowed:
                    continue
                graph.add_edge(near, far)
                if far not in depth:
                    depth[far] = level + 1
                    following.add(far)
        if len(depth) > node_budget:
            truncated = True
            break
        frontier, level = sorted(following), level + 1
    if target not in graph:
        return PathResult(paths=[], truncated=truncated)
    node_paths = []
    for node_path in nx.shortest_simple_paths(graph, source, target):
        if len(node_paths) >= k or len(node_path) - 1 > max_hops:
            break
        node_paths.append(node_path)
    on_paths = {m for p in node_paths for c in p for m in clusters.members(c)}
    between: dict[tuple[str, str], list[EdgeRow]] = defaultdict(list)
    for edge in store.edges_among(on_paths, filters):
        ca, cb = clusters.canonical(edge.source_id), clusters.canonical(edge.target_id)
        if ca != cb:
            between[_pair(ca, cb)].append(edge)
    needed = {_pair(a, b) for p in node_paths for a, b in zip(p, p[1:])}
    views = {v.id: v for v in store.relationship_views(e for pair in sorted(needed) for e in between[pair])}
    entities = store.entities(on_paths)
    groups: dict[str, list[Entity]] = defaultdict(list)
    for member_id, entity in entities.items():
        groups[clusters.canonical(member_id)].append(entity)
    merged = {c: merged_entity(g) for c, g in groups.items()}
    result = [
        GraphPath(
            node_ids=node_path,
            nodes=[merged[c] for c in node_path],
            steps=[PathStep(source_id=a, target_id=b, relationships=[views[e.id] for e in between[_pair(a, b)]]) for a, b in zip(node_path, node_path[1:])],
        )
        for node_path in node_paths
    ]
    return PathResult(paths=result, truncated=truncated)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)
