"""Resolving the graph's persons: the resolver's decisions become judgements in the store.

Ingest keeps one Person entity per document. `resolve_persons` reads them with the phones
and identity documents the graph ties them to, runs the resolver with the standing
judgements as constraints (an analyst's "same" is a must-link, "different" a cannot-link),
and records its own decisions as `rule:` judgements with score and features: "same" above
the high threshold, "unsure" (for review) between the thresholds. Nothing is deleted or
rewritten; a pair that already has a judgement keeps it. Running it again with nothing new
records nothing.

The clusters are read back by backend/graph/canonical.py (`Clusters`, `same_as`), which the
traversals take to draw the resolved graph.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

from pydantic import BaseModel

from backend.domain.model import GraphFilter, Judgement, RelType
from backend.domain.text import fold
from backend.domain.vocabulary import resolved_types
from backend.graph.canonical import same_neighbours
from backend.store.interface import GraphStore
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
    compared = {str(t) for t in resolved_types()}  # persons: the vocabulary says which types resolution compares
    person_ids = [i for i in ids if types.get(i) in compared]
    entities = store.entities(person_ids)
    edges = store.all_edges(GraphFilter(relationship_types=frozenset({RelType.USES_PHONE, RelType.HOLDS_ID, RelType.USES_EMAIL})))
    targets = store.entities({e.target_id for e in edges})
    phones: dict[str, list[str]] = {}
    emails: dict[str, list[str]] = {}
    documents: dict[str, list[str]] = {}
    for edge in edges:
        target = targets.get(edge.target_id)
        if target is None:
            continue
        if edge.type is RelType.USES_PHONE:
            phones.setdefault(edge.source_id, []).append(target.label)
        elif edge.type is RelType.USES_EMAIL:
            emails.setdefault(edge.source_id, []).append(target.label)
        else:
            kind, number = target.properties.get("type", ""), target.properties.get("number", target.label)
            documents.setdefault(edge.source_id, []).append(f"{kind}:{number}")
    cases: dict[str, list[str]] = defaultdict(list)
    for case in store.cases():
        for entity_id in store.case_entity_ids(case.id):
            cases[entity_id].append(case.id)
    records = []
    for pid in person_ids:
        entity = entities.get(pid)
        if entity is None:
            continue
        # A person known only by an alias ("EL MONO") has no name to compare; the alias is compared.
        alias_only = fold(entity.label) in {fold(a) for a in entity.aliases}
        records.append(
            make_record(pid, full_name="" if alias_only else entity.label, phones=phones.get(pid, ()), emails=emails.get(pid, ()),
                        id_numbers=documents.get(pid, ()), aliases=entity.aliases, cases=cases.get(pid, ()))
        )  # fmt: skip
    return records


def resolve_persons(store: GraphStore, high: float = DEFAULT_HIGH, low: float = DEFAULT_LOW, incremental: bool = False) -> GraphResolution:
    """Record the resolver's decisions about the graph's persons as `rule:` judgements.

    Analysts' judgements are constraints ("same" must-link, "different" cannot-link) and are
    never superseded. The rule's own earlier judgements are revised: a pair it called "same"
    that no longer clusters together (an analyst's "different" split the chain through it)
    gets a later rule judgement that retracts it, and likewise the other way round; a pair
    whose decision has not changed gets nothing new.

    `incremental` (after an ingest) resolves exactly as a full run does: the clusters must not
    depend on the order files arrived in (compared only new against old, "the only candidate"
    was once true of a pair and a later file made it false). It returns early when no person is
    new to the judgements, since then nothing can change.
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
    judged = {entity_id for pair in standing for entity_id in pair}
    if incremental and standing and all(r.id in judged for r in records):
        return GraphResolution(len(records), 0, 0, sum(1 for j in standing.values() if j.by.startswith("user:")))
    result = resolve(records, high=high, low=low, cannot_link=cannot, must_link=must)
    same = unsure = retracted = 0
    new: list[Judgement] = []
    sole = {(a, b) for a, b, _ in result.sole_candidates}
    fragments = {(a, b) for a, b, _ in result.fragments}
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
            if (a, b) in fragments:
                reason += "; fragments of one name in one case, no other candidate pair between them against it"
            new.append(Judgement.new(left, right, decision, RULE, reason=reason, score=round(probability, 4), features=features,
                                     retracts=earlier.id if earlier is not None else None))  # fmt: skip
            same += decision == "same"
            unsure += decision == "unsure"
    for pair, judgement in standing.items():
        a, b = judgement.left_id, judgement.right_id
        if (
            judgement.by == RULE
            and judgement.decision == "same"
            and a in index
            and b in index
            and result.clusters[index[a]] != result.clusters[index[b]]
        ):
            new.append(Judgement.new(a, b, "unsure", RULE, reason="no longer merged: the clusters were split (an analyst's 'different' or new evidence)",
                                     retracts=judgement.id))  # fmt: skip
            retracted += 1
    # One write for the run (one per judgement made ingest into Neo4j spend 44% of its time here).
    store.add_judgements(new)
    analyst = sum(1 for j in standing.values() if j.by.startswith("user:"))
    return GraphResolution(len(records), same, unsure, analyst, retracted)


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
        return MergeExplanation(
            left_id=left_id, right_id=right_id, merged=left_id == right_id, standing=standing.get(frozenset((left_id, right_id)))
        )
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
        links.append(
            MergeLink(
                judgement=standing[frozenset((a, b))], shared=shared, left_seen_in=_seen_in(store, a), right_seen_in=_seen_in(store, b)
            )
        )
    return MergeExplanation(left_id=left_id, right_id=right_id, merged=True, chain=links)
