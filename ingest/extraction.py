"""What extraction produces, as plain data: mentions, entities, relationships with their
evidence, and the Extraction of one document that holds them. Printed as JSON by
`telarana extract` (the schema in docs/extract.md) and turned into graph records by
ingest.records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

EXTRACTOR_VERSION = "telarana-extract/1"


@dataclass
class ExtractedMention:
    type: str
    text: str
    normalized: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    method: str
    confidence: float
    # The entity this mention names: normalised value plus what makes it one thing
    # (a flight's date, say). Persons are keyed within their document.
    key: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    row: int | None = None

    def __post_init__(self):
        self.key = self.key or self.normalized


@dataclass(frozen=True)
class EntityRef:
    type: str
    key: str


@dataclass
class ExtractedEntity:
    type: str
    key: str
    label: str
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class ExtractedRelationship:
    type: str
    source: EntityRef
    target: EntityRef
    start: int  # the evidence: sentence or table row
    end: int
    method: str
    confidence: float
    date: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    row: int | None = None


@dataclass
class Extraction:
    document_id: str
    title: str
    text: str
    media_type: str
    language: str
    page_starts: tuple[int, ...] = ()
    mentions: list[ExtractedMention] = field(default_factory=list)
    entities: dict[EntityRef, ExtractedEntity] = field(default_factory=dict)
    relationships: list[ExtractedRelationship] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    def page_of(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        return max((n for n, s in enumerate(self.page_starts, start=1) if s <= offset), default=1)

    def add_entity(self, entity: ExtractedEntity) -> EntityRef:
        ref = EntityRef(entity.type, entity.key)
        known = self.entities.get(ref)
        if known is None:
            self.entities[ref] = entity
        else:
            known.aliases.extend(a for a in entity.aliases if a not in known.aliases and a != known.label)
            for name, value in entity.properties.items():
                known.properties.setdefault(name, value)
        return ref

    def _cited(self, start: int, end: int, row: int | None, sentence: tuple[int, int], method: str, confidence: float) -> dict[str, Any]:
        """Where a mention or relationship stands and who says so: the part both share."""
        return {
            "span": [start, end],
            "page": self.page_of(start),
            "row": row,
            "sentence": self.text[sentence[0] : sentence[1]],
            "method": method,
            "confidence": confidence,
        }

    def to_json(self) -> dict[str, Any]:
        """The stable schema of `telarana extract --json` (docs/extract.md)."""

        def ref(r: EntityRef) -> dict[str, str]:
            entity = self.entities[r]
            return {"type": r.type, "key": r.key, "label": entity.label}

        return {
            "schema": "telarana.extraction/1",
            "extractor_version": EXTRACTOR_VERSION,
            "document": {
                "id": self.document_id,
                "title": self.title,
                "media_type": self.media_type,
                "language": self.language,
                "characters": len(self.text),
                "pages": len(self.page_starts) or None,
                "metadata": self.metadata,
            },
            "mentions": [
                {
                    "type": m.type,
                    "text": m.text,
                    "normalized": m.normalized,
                    "key": m.key,
                    **self._cited(m.start, m.end, m.row, (m.sentence_start, m.sentence_end), m.method, m.confidence),
                    "attributes": m.attributes,
                }
                for m in self.mentions
            ],
            "entities": [asdict(e) for e in self.entities.values()],
            "relationships": [
                {
                    "type": r.type,
                    "source": ref(r.source),
                    "target": ref(r.target),
                    "date": r.date,
                    "properties": r.properties,
                    **self._cited(r.start, r.end, r.row, (r.start, r.end), r.method, r.confidence),
                }
                for r in self.relationships
            ],
        }
