"""An Extraction -> the graph records of issue 2's model (one Batch per document).

Entity ids are deterministic, so ingesting the same file twice writes the same records:
phones by E.164, identity documents by type and number, flights by number and date,
airports by IATA code, terminals by gazetteer id, places and organisations by folded name.
Persons are keyed within their document: deciding that two documents name the same
person is entity resolution's work, recorded as a judgement, not ingest's guess.
"""

from __future__ import annotations

from backend.domain.model import Batch, Case, Document, Entity, EntityType, Evidence, Mention, Relationship, RelType, stable_id
from backend.domain.text import fold
from backend.domain.vocabulary import id_prefix
from ingest.extraction import EXTRACTOR_VERSION, EntityRef, Extraction

MAX_EVIDENCE_TEXT = 20_000


def case_record(name: str) -> Case:
    return Case(id=case_id_for(name), name=name)


def case_id_for(name: str) -> str:
    return "case:" + (fold(name).strip().replace(" ", "-") or stable_id(name))[:200]


def entity_id(document_id: str, ref: EntityRef) -> str:
    prefix = id_prefix(ref.type)
    if ref.type == EntityType.PERSON:
        return f"{prefix}:" + stable_id(EntityType.PERSON, document_id, ref.key)
    if ref.type == EntityType.ROUTE_LEG:
        return f"{prefix}:" + stable_id(EntityType.ROUTE_LEG, ref.key)
    key = ref.key if len(ref.key) <= 200 else stable_id(ref.key)
    # A key that already carries its prefix (the gazetteer's "terminal:…" ids) keeps it once.
    return key if key.startswith(f"{prefix}:") else f"{prefix}:{key}"


MAX_MENTION_TEXT = 512


def drop_unaligned_mentions(extraction: Extraction) -> list[str]:
    """Drop the mentions whose span does not hold their words exactly (empty, edged with white
    space, out of the text, longer than a mention may be), each with a warning: one bad span
    costs that mention, never the document."""
    kept, warnings = [], []
    text = extraction.text
    for m in extraction.mentions:
        span = text[m.start : m.end] if 0 <= m.start < m.end <= len(text) else ""
        if span and span == m.text and span == span.strip() and len(span) <= MAX_MENTION_TEXT:
            kept.append(m)
        else:
            warnings.append(f"mention {m.text[:80]!r} ({m.type}) at {m.start}:{m.end} left out: the text there is {span[:80]!r}")
    extraction.mentions = kept
    return warnings


def extraction_to_batch(
    extraction: Extraction, case_ids: tuple[str, ...] = (), source_path: str = "", cases: tuple[Case, ...] = ()
) -> Batch:
    doc_id = extraction.document_id
    document = Document(
        id=doc_id,
        title=extraction.title[:512] or doc_id[:12],
        text=extraction.text,
        source_path=source_path,
        media_type=extraction.media_type,
        case_ids=case_ids,
        page_starts=extraction.page_starts,
        metadata={**extraction.metadata, "language": extraction.language, "extractor_version": EXTRACTOR_VERSION},
    )
    entities = {
        ref: Entity(
            id=entity_id(doc_id, ref),
            type=EntityType(ref.type),
            label=entity.label[:512],
            aliases=tuple(a[:512] for a in dict.fromkeys(entity.aliases) if a.strip()),
            properties={k: v for k, v in entity.properties.items() if v not in (None, "")},
        )
        for ref, entity in extraction.entities.items()
    }
    mentions = [
        Mention(
            id="mention:" + stable_id(doc_id, m.start, m.end, m.type),
            document_id=doc_id,
            start=m.start,
            end=m.end,
            page=extraction.page_of(m.start),
            method=m.method,
            confidence=m.confidence,
            extractor_version=EXTRACTOR_VERSION,
            entity_type=EntityType(m.type),
            text=m.text,
            normalized=m.normalized,
            sentence=extraction.text[m.sentence_start : m.sentence_end][:MAX_EVIDENCE_TEXT],
            entity_id=entities[EntityRef(m.type, m.key)].id,
        )
        for m in extraction.mentions
    ]
    relationships: dict[str, Relationship] = {}
    for r in extraction.relationships:
        source, target = entities[r.source].id, entities[r.target].id
        discriminator = r.properties.get("kind", "") if r.type == RelType.ASSOCIATED_WITH else ""
        if r.row is not None and r.type == RelType.CALLED:
            discriminator = f"{doc_id}:{r.row}"  # every call is its own relationship
        rel_id = "rel:" + stable_id(r.type, source, target, discriminator)
        evidence = Evidence(
            document_id=doc_id,
            start=r.start,
            end=r.end,
            page=extraction.page_of(r.start),
            row=r.row,
            text=extraction.text[r.start : r.end][:MAX_EVIDENCE_TEXT] or extraction.text[r.start : r.end + 1],
            method=r.method,
            confidence=r.confidence,
            extractor_version=EXTRACTOR_VERSION,
        )
        relationship = Relationship(
            id=rel_id, type=RelType(r.type), source_id=source, target_id=target, date=r.date,
            properties={k: v for k, v in r.properties.items() if v not in (None, "")}, evidence=(evidence,),
        )  # fmt: skip
        relationships[rel_id] = _with_evidence_of(relationships.get(rel_id), relationship)
    return Batch(
        cases=cases,
        documents=(document,),
        mentions=tuple(mentions),
        entities=tuple(entities.values()),
        relationships=tuple(relationships.values()),
    )


def _with_evidence_of(known: Relationship | None, rel: Relationship) -> Relationship:
    """One relationship asserted twice: the first record, with the evidence of both and the
    earlier date (a store keeps only the last record of an id given twice in one batch)."""
    if known is None:
        return rel
    keys = {e.key(rel.id) for e in known.evidence}
    extra = tuple(e for e in rel.evidence if e.key(rel.id) not in keys)
    if not extra:
        return known
    return known.model_copy(update={"evidence": known.evidence + extra, "date": min(filter(None, (known.date, rel.date)), default=None)})


def merge_batches(batches: list[Batch]) -> Batch:
    """Several documents' batches as one: relationships that two documents both assert keep
    the evidence of both (a store keeps only the last record of an id in one batch)."""
    relationships: dict[str, Relationship] = {}
    for batch in batches:
        for rel in batch.relationships:
            relationships[rel.id] = _with_evidence_of(relationships.get(rel.id), rel)
    cases = {c.id: c for batch in batches for c in batch.cases}
    return Batch(
        cases=tuple(cases.values()),
        documents=tuple(d for batch in batches for d in batch.documents),
        mentions=tuple(m for batch in batches for m in batch.mentions),
        entities=tuple(e for batch in batches for e in batch.entities),
        relationships=tuple(relationships.values()),
    )
