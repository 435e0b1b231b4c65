"""What the web view shows, assembled from the store: an entity's profile, a document with its
mentions, the case statistics. Routes in backend.web.app are thin wrappers over these."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from backend.domain.model import Document, Entity, GraphFilter, Judgement, Mention, MentionView, RelationshipView
from backend.domain.vocabulary import EntityType
from backend.graph.canonical import Clusters
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from entity_resolution.review import decision_counts, resolution_history, review_queue


class ProfileMention(MentionView):
    # Where the mention sits inside `sentence` (None when the sentence does not contain it as written).
    highlight_start: int | None = None
    highlight_end: int | None = None


class EntityProfile(BaseModel):
    entity: Entity
    mentions: list[ProfileMention]
    relationships: list[RelationshipView]
    linked: dict[str, Entity]  # the entity at the other end of each relationship
    same_as: list[Entity]  # other entities judged the same person
    resolution_history: list[Judgement]


def _highlight(mention: MentionView) -> ProfileMention:
    where = mention.sentence.find(mention.text) if mention.sentence else -1
    if where < 0:
        return ProfileMention(**mention.model_dump())
    return ProfileMention(**mention.model_dump(), highlight_start=where, highlight_end=where + len(mention.text))


def entity_profile(store: GraphStore, entity_id: str) -> EntityProfile:
    detail = store.get_entity(entity_id)
    others = {r.target_id if r.source_id == entity_id else r.source_id for r in detail.relationships}
    clusters = Clusters(store)
    members = [m for m in clusters.members(entity_id) if m != entity_id]
    linked_and_members = store.entities(others | set(members))
    return EntityProfile(
        entity=detail.entity,
        mentions=[_highlight(m) for m in detail.mentions],
        relationships=detail.relationships,
        linked={i: linked_and_members[i] for i in sorted(others) if i in linked_and_members},
        same_as=[linked_and_members[m] for m in members if m in linked_and_members],
        resolution_history=resolution_history(store, entity_id, clusters),
    )


class PageSpan(BaseModel):
    page: int
    start: int
    end: int


class DocumentView(BaseModel):
    document: Document
    pages: list[PageSpan]  # empty for documents without pages
    mentions: list[Mention]  # in text order
    entities: dict[str, Entity]  # what the mentions refer to
    original_available: bool


def document_view(store: GraphStore, document_id: str, originals: Originals | None) -> DocumentView:
    document = store.get_document(document_id)
    starts = list(document.page_starts)
    pages = [
        PageSpan(page=i + 1, start=s, end=(starts[i + 1] if i + 1 < len(starts) else len(document.text))) for i, s in enumerate(starts)
    ]
    mentions = store.document_mentions(document_id)
    entities = store.entities({m.entity_id for m in mentions if m.entity_id})
    available = originals is not None and originals.has(document_id)
    return DocumentView(document=document, pages=pages, mentions=mentions, entities=entities, original_available=available)


class RankedEntity(BaseModel):
    entity: Entity
    degree: int


class Statistics(BaseModel):
    counts: dict
    most_connected: list[RankedEntity]  # by number of relationships, persons first
    judgements: dict[str, dict[str, int]]
    waiting_for_review: int


def statistics(store: GraphStore, top: int = 10) -> Statistics:
    degree: Counter[str] = Counter()
    for edge in store.all_edges(GraphFilter()):
        degree[edge.source_id] += 1
        degree[edge.target_id] += 1
    types = store.entity_types(degree)
    persons = [i for i in degree if types.get(i) == EntityType.PERSON]
    ranked = sorted(persons, key=lambda i: (-degree[i], i))[:top]
    entities = store.entities(ranked)
    return Statistics(
        counts=store.counts(),
        most_connected=[RankedEntity(entity=entities[i], degree=degree[i]) for i in ranked if i in entities],
        judgements=decision_counts(store),
        waiting_for_review=review_queue(store, limit=0).total,
    )
