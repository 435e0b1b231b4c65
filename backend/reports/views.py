"""What the web view shows, assembled from the store: an entity's profile, a document with its
mentions, the case statistics. Routes in backend.web.app are thin wrappers over these."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from backend.analysis.graph import case_graph
from backend.domain.model import Document, Entity, Judgement, Mention, MentionView, RelationshipView, SearchHit
from backend.domain.vocabulary import EntityType
from backend.graph.canonical import Clusters, aggregate_calls, merged_entity
from backend.graph.corrections import HistoryEntry, history
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from entity_resolution.review import decision_counts, resolution_history, review_queue


class ProfileMention(MentionView):
    # Where the mention sits inside `sentence` (None when the sentence does not contain it as written).
    highlight_start: int | None = None
    highlight_end: int | None = None


class ProfileDocument(BaseModel):
    id: str
    title: str
    mentions: int


class EntityProfile(BaseModel):
    """An entity as resolved: every member's mentions, aliases, relationships and documents."""

    entity: Entity  # merged over the members (canonical id; `member_ids` when there are several)
    member_count: int
    mentions: list[ProfileMention]
    relationships: list[RelationshipView]  # calls between the same two phones as one, with every row
    linked: dict[str, Entity]  # the entity at the other end of each relationship
    same_as: list[Entity]  # other entities judged the same person
    resolution_history: list[Judgement]
    documents: list[ProfileDocument]  # where its members were read, most mentions first
    history: list[HistoryEntry]  # analysts' corrections and judgements about it, oldest first


def _highlight(mention: MentionView) -> ProfileMention:
    where = mention.sentence.find(mention.text) if mention.sentence else -1
    if where < 0:
        return ProfileMention(**mention.model_dump())
    return ProfileMention(**mention.model_dump(), highlight_start=where, highlight_end=where + len(mention.text))


def entity_profile(store: GraphStore, entity_id: str) -> EntityProfile:
    store.get_entity(entity_id)  # NotFoundError for an unknown id
    clusters = Clusters(store)
    members = clusters.members(entity_id)
    details = {m: store.get_entity(m) for m in members if store.entity_types([m])}
    inside = set(details)
    relationships: dict[str, RelationshipView] = {}
    for detail in details.values():
        for rel in detail.relationships:
            if not {rel.source_id, rel.target_id} <= inside:  # a tie between two members is the merge itself
                relationships.setdefault(rel.id, rel)
    views = _calls_as_one(list(relationships.values()))
    others = {end for r in views for end in (r.source_id, r.target_id)} - inside
    linked_and_members = store.entities(others | inside)
    mentions = [_highlight(m) for detail in details.values() for m in detail.mentions]
    titles: dict[str, str] = {}
    counted: Counter[str] = Counter()
    for mention in mentions:
        titles[mention.document_id] = mention.document_title
        counted[mention.document_id] += 1
    return EntityProfile(
        entity=merged_entity([linked_and_members[m] for m in sorted(inside) if m in linked_and_members]),
        member_count=len(inside),
        mentions=mentions,
        relationships=views,
        linked={i: linked_and_members[i] for i in sorted(others) if i in linked_and_members},
        same_as=[linked_and_members[m] for m in sorted(inside) if m != entity_id and m in linked_and_members],
        resolution_history=resolution_history(store, entity_id, clusters),
        documents=[
            ProfileDocument(id=d, title=titles[d], mentions=n) for d, n in sorted(counted.items(), key=lambda x: (-x[1], titles[x[0]]))
        ],
        history=sorted((h for m in sorted(inside) for h in history(store, m)), key=lambda h: (h.at, h.id)),
    )


def _calls_as_one(views: list[RelationshipView]) -> list[RelationshipView]:
    """Calls between the same two phones as one relationship with every call's rows as evidence."""
    by_id = {v.id: v for v in views}
    out = []
    for edge in aggregate_calls(views):
        ids = edge.properties.get("relationship_ids")
        if isinstance(ids, list) and len(ids) > 1:
            evidence = tuple(e for i in ids for e in by_id[str(i)].evidence)
            out.append(RelationshipView(**edge.model_dump(exclude={"evidence"}), evidence=evidence))
        else:
            out.append(by_id[edge.id])
    return out


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


def resolved_search(store: GraphStore, query: str, limit: int = 20) -> list[SearchHit]:
    """Search as the resolved graph reads: each resolved person once (its canonical id, its
    merged name, how many records it joins), then the documents."""
    hits = store.search(query, limit=min(200, limit * 4))
    clusters = Clusters(store)
    entity_hits, documents, seen = [], [], set()
    for hit in hits:
        if hit.kind != "entity":
            documents.append(hit)
            continue
        canonical = clusters.canonical(hit.id)
        if canonical not in seen:
            seen.add(canonical)
            entity_hits.append((hit, canonical, clusters.members(hit.id)))
    # The records of every merged person shown, in one read rather than one each.
    shown = entity_hits[:limit]
    merged_members = {m for _, _, members in shown if len(members) > 1 for m in members}
    records = store.entities(merged_members) if merged_members else {}
    entities = []
    for hit, canonical, members in shown:
        if len(members) > 1:
            merged = merged_entity([records[m] for m in sorted(members) if m in records])
            hit = hit.model_copy(update={"id": canonical, "label": merged.label, "member_count": len(members)})
        entities.append(hit)
    return entities[:limit] + documents[:limit]


class RankedEntity(BaseModel):
    entity: Entity
    degree: int
    member_count: int = 1


class Statistics(BaseModel):
    counts: dict
    most_connected: list[RankedEntity]  # by number of relationships, persons first
    judgements: dict[str, dict[str, int]]
    waiting_for_review: int


def statistics(store: GraphStore, top: int = 10) -> Statistics:
    """Counts, and the persons with most relationships as resolved (each person once, with the
    relationships of all its records; calls between two phones count once)."""
    graph = case_graph(store)
    simple = graph.simple()
    persons = [n for n, e in graph.entities.items() if e.type == EntityType.PERSON]
    ranked = sorted(persons, key=lambda i: (-simple.degree(i), i))[:top]
    return Statistics(
        counts=store.counts(),
        most_connected=[
            RankedEntity(entity=graph.entities[i], degree=simple.degree(i), member_count=len(graph.clusters.members(i)))
            for i in ranked
            if simple.degree(i)
        ],  # fmt: skip
        judgements=decision_counts(store),
        waiting_for_review=review_queue(store, limit=0).total,
    )
