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

from collections import deque
from dataclasses import dataclass

from backend.model import EntityType, GraphFilter, GraphPath, Judgement, PathResult, RelType
from backend.store.base import GraphStore
from entity_resolution.engine import DEFAULT_HIGH, DEFAULT_LOW, make_record, resolve

RULE = "rule:fellegi-sunter-v1"


@dataclass
class GraphResolution:
    persons: int
    same: int
    unsure: int
    kept_analyst_decisions: int


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


def resolve_persons(store: GraphStore, high: float = DEFAULT_HIGH, low: float = DEFAULT_LOW) -> GraphResolution:
    records = _person_records(store)
    index = {r.id: n for n, r in enumerate(records)}
    standing = store.standing_judgements()
    must, cannot = [], []
    for pair, judgement in standing.items():
        a, b = judgement.left_id, judgement.right_id
        if a in index and b in index:
            if judgement.decision == "same":
                must.append((index[a], index[b]))
            elif judgement.decision == "different":
                cannot.append((index[a], index[b]))
    result = resolve(records, high=high, low=low, cannot_link=cannot, must_link=must)
    same = unsure = 0
    for pairs, decision in ((result.merged_pairs, "same"), (result.review_pairs, "unsure")):
        for a, b, probability in pairs:
            left, right = records[a].id, records[b].id
            if frozenset((left, right)) in standing:
                continue  # decided already (by an analyst, or by this rule on an earlier run)
            features = {row["comparison"]: row["level"] for row in result.explain(a, b) if row["level"] != "no information"}
            reason = "; ".join(f"{k}: {v}" for k, v in features.items())
            store.add_judgement(Judgement.new(left, right, decision, RULE, reason=reason, score=round(probability, 4), features=features))
            if decision == "same":
                same += 1
            else:
                unsure += 1
    analyst = sum(1 for j in standing.values() if j.by.startswith("user:"))
    return GraphResolution(len(records), same, unsure, analyst)


MAX_RESOLVED_PAIRS = 25


def _same_neighbours(store: GraphStore) -> dict[str, set[str]]:
    neighbours: dict[str, set[str]] = {}
    for judgement in store.standing_judgements().values():
        if judgement.decision == "same":
            neighbours.setdefault(judgement.left_id, set()).add(judgement.right_id)
            neighbours.setdefault(judgement.right_id, set()).add(judgement.left_id)
    return neighbours


def same_as(store: GraphStore, entity_id: str, neighbours: dict[str, set[str]] | None = None) -> list[str]:
    """The entity and every entity joined to it by standing "same" judgements, sorted."""
    neighbours = _same_neighbours(store) if neighbours is None else neighbours
    seen, queue = {entity_id}, deque([entity_id])
    while queue:
        for other in neighbours.get(queue.popleft(), ()):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return sorted(seen)


def resolved_paths(
    store: GraphStore, source_id: str, target_id: str, k: int = 1, max_hops: int = 6, filters: GraphFilter | None = None
) -> PathResult:
    """Paths between two *persons as resolved*: from any entity judged the same as the source
    to any judged the same as the target (the shortest first; at most 25 pairs tried)."""
    neighbours = _same_neighbours(store)
    sources, targets = same_as(store, source_id, neighbours), same_as(store, target_id, neighbours)
    pairs = [(a, b) for a in sources for b in targets if a != b]
    found: dict[tuple[str, ...], GraphPath] = {}
    truncated = len(pairs) > MAX_RESOLVED_PAIRS
    for a, b in pairs[:MAX_RESOLVED_PAIRS]:
        result = store.paths(a, b, k=k, max_hops=max_hops, filters=filters)
        truncated |= result.truncated
        for path in result.paths:
            found.setdefault(tuple(path.node_ids), path)
    best = sorted(found.values(), key=lambda p: (p.length, p.node_ids))[:k]
    return PathResult(paths=best, truncated=truncated)
