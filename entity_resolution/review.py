"""What an analyst reviews: the pairs the resolver was unsure about, each entity's resolution
history, and splitting an entity out of the person it was merged into. Decisions themselves
are recorded by entity_resolution.judging (append-only, undone by later judgements)."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from backend.domain.errors import InvalidRecordError
from backend.domain.model import Entity, GraphFilter, Judgement, RelType
from backend.graph.canonical import Clusters, same_neighbours
from backend.store.interface import GraphStore
from entity_resolution.judging import judge

TIES = GraphFilter(relationship_types=frozenset({RelType.USES_PHONE, RelType.HOLDS_ID, RelType.USES_EMAIL}))


class SeenIn(BaseModel):
    document_id: str
    document_title: str
    sentence: str


class Candidate(BaseModel):
    """One side of a review pair: who the entity is and where it was read."""

    entity: Entity
    mentions: int
    seen_in: list[SeenIn]
    tied_to: list[str]  # labels of the phones, IDs and e-mail addresses it is linked to
    merged_with: list[str]  # ids already judged the same as it


class ReviewItem(BaseModel):
    judgement: Judgement  # the standing "unsure" judgement: score, features, reason
    left: Candidate
    right: Candidate


class ReviewQueue(BaseModel):
    items: list[ReviewItem]
    total: int  # pairs waiting, of which `items` are the highest-scored


def _candidates(store: GraphStore, ids: set[str], clusters: Clusters, seen_limit: int = 3) -> dict[str, Candidate]:
    tied: dict[str, set[str]] = {i: set() for i in ids}
    edges = store.incident_edges(ids, TIES)
    for edge in edges:
        if edge.source_id in tied:
            tied[edge.source_id].add(edge.target_id)
    labels = store.entities({t for targets in tied.values() for t in targets})
    found = {}
    for entity_id in sorted(ids):
        detail = store.get_entity(entity_id)
        found[entity_id] = Candidate(
            entity=detail.entity,
            mentions=len(detail.mentions),
            seen_in=[SeenIn(document_id=m.document_id, document_title=m.document_title, sentence=m.sentence or m.text)
                     for m in detail.mentions[:seen_limit]],
            tied_to=sorted(labels[t].label for t in tied[entity_id] if t in labels),
            merged_with=[m for m in clusters.members(entity_id) if m != entity_id],
        )  # fmt: skip
    return found


def review_queue(store: GraphStore, limit: int = 50) -> ReviewQueue:
    """Standing "unsure" judgements, highest score first, leaving out pairs that other "same"
    judgements have already joined into one person (nothing is left to decide there)."""
    clusters = Clusters(store)
    waiting = [
        j for j in store.standing_judgements().values()
        if j.decision == "unsure" and clusters.canonical(j.left_id) != clusters.canonical(j.right_id)
    ]  # fmt: skip
    waiting.sort(key=lambda j: (-(j.score if j.score is not None else 0.0), j.at, j.id))
    shown = waiting[:limit]
    candidates = _candidates(store, {i for j in shown for i in (j.left_id, j.right_id)}, clusters)
    items = [ReviewItem(judgement=j, left=candidates[j.left_id], right=candidates[j.right_id]) for j in shown]
    return ReviewQueue(items=items, total=len(waiting))


def resolution_history(store: GraphStore, entity_id: str, clusters: Clusters | None = None) -> list[Judgement]:
    """Every judgement about the entity or any entity now in the same person, oldest first."""
    members = (clusters or Clusters(store)).members(entity_id)
    seen: dict[str, Judgement] = {}
    for member in members:
        for judgement in store.judgements(member):
            seen[judgement.id] = judgement
    return sorted(seen.values(), key=lambda j: (j.at, j.id))


def split(store: GraphStore, entity_id: str, user: str, reason: str, case: str | None = None) -> list[Judgement]:
    """Take an entity out of the person it was merged into: a "different" judgement against
    each entity it is directly judged the same as. Every earlier judgement stays on record,
    and undoing these brings the merge back."""
    store.get_entity(entity_id)  # NotFoundError for an unknown id
    if not reason.strip():
        raise InvalidRecordError("judgement", None, "say why the entity is split off (a reason is required)")
    direct = sorted(same_neighbours(store).get(entity_id, ()))
    return [judge(store, entity_id, other, "different", user, reason, case) for other in direct]


def decision_counts(store: GraphStore) -> dict[str, dict[str, int]]:
    """Standing decisions by decision and by who made them (the rule or analysts)."""
    standing = store.standing_judgements().values()
    by_decision = Counter(j.decision.value for j in standing)
    by_who = Counter("rule" if j.by.startswith("rule:") else "analyst" for j in standing)
    return {"by_decision": dict(sorted(by_decision.items())), "by_who": dict(sorted(by_who.items()))}
