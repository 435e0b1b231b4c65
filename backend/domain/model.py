"""The graph model: records that flow from ingest into a store, and the views a store returns.

Documents, mentions and entities are nodes; relationships between entities always carry
evidence (document, span, sentence or table row, method, confidence, extractor version).
See docs/model.md for the picture.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Annotated, Any, Iterable

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from backend.domain.errors import InvalidRecordError
from backend.domain.legal_elements import LEGAL_ELEMENTS
from backend.domain.vocabulary import EntityType, RelType, id_prefix

E = EntityType
_PLACES = frozenset({E.LOCATION, E.AIRPORT, E.BUS_TERMINAL})
_PARTIES = frozenset({E.PERSON, E.ORGANIZATION})

# Which entity types each relationship may join (source types, target types).
# A relationship outside these is a bug upstream, so the store refuses it.
ENDPOINTS: dict[RelType, tuple[frozenset[EntityType], frozenset[EntityType]]] = {
    RelType.USES_PHONE: (_PARTIES, frozenset({E.PHONE})),
    RelType.USES_EMAIL: (_PARTIES, frozenset({E.EMAIL})),
    RelType.CALLED: (frozenset({E.PHONE}), frozenset({E.PHONE})),
    RelType.HOLDS_ID: (frozenset({E.PERSON}), frozenset({E.IDENTITY_DOCUMENT})),
    RelType.PASSENGER_ON: (frozenset({E.PERSON}), frozenset({E.FLIGHT})),
    RelType.DEPARTS_FROM: (frozenset({E.FLIGHT, E.ROUTE_LEG}), _PLACES),
    RelType.ARRIVES_AT: (frozenset({E.FLIGHT, E.ROUTE_LEG}), _PLACES),
    RelType.TRAVELLED: (frozenset({E.PERSON}), frozenset({E.ROUTE_LEG})),
    RelType.VIA: (frozenset({E.ROUTE_LEG}), frozenset({E.BUS_TERMINAL, E.AIRPORT, E.FLIGHT})),
    RelType.ASSOCIATED_WITH: (_PARTIES, _PARTIES),
    RelType.MEMBER_OF: (frozenset({E.PERSON}), frozenset({E.ORGANIZATION})),
    RelType.LOCATED_IN: (frozenset(EntityType), frozenset({E.LOCATION})),
}

# ASSOCIATED_WITH must say how two parties are associated. co_mentioned is the weak
# kind (two names in one sentence) and must never be read as more than that.
ASSOCIATION_KINDS = frozenset(
    {
        "recruited",
        "travelled_with",
        "paid_for",
        "co_mentioned",
        "family",
        "partner",
        "employed",
        "exploited",
        "hosted",
        "transported",
        "threatened",
        "other",
    }
)

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=512)]
Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
Scalar = str | int | float | bool | None
PropertyValue = Scalar | list[str] | list[int] | list[float]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PROPERTY_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _check_properties(value: dict[str, Any]) -> dict[str, Any]:
    for key in value:
        if not _PROPERTY_KEY.match(key):
            raise ValueError(f"property name {key!r} must be lower_snake_case ASCII")
    return value


def _iso_date(value: str | date | datetime | None) -> str | None:
    """Dates are kept as ISO text so both stores compare them the same way."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise ValueError(f"date {value!r} is not ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS])") from exc


class Case(_Record):
    id: NonEmpty
    name: NonEmpty
    description: str = ""


class Document(_Record):
    """A source file. Its id is the SHA-256 of its bytes, so the same file is one document."""

    id: str
    title: NonEmpty
    text: str
    source_path: str = ""
    media_type: str = "text/plain"
    case_ids: tuple[NonEmpty, ...] = ()
    # Character offsets where each page starts (first is 0) for formats that have pages.
    page_starts: tuple[int, ...] = ()
    metadata: dict[str, str] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _sha256(cls, value: str) -> str:
        if not _SHA256.match(value):
            raise ValueError("document id must be the SHA-256 of the file, 64 lower-case hex digits")
        return value

    @model_validator(mode="after")
    def _pages_inside_text(self) -> "Document":
        previous = -1
        for start in self.page_starts:
            if start <= previous or start > len(self.text):
                raise ValueError("page_starts must be increasing offsets inside the text")
            previous = start
        return self

    def page_of(self, offset: int) -> int | None:
        """1-based page holding a character offset, or None for formats without pages."""
        if not self.page_starts:
            return None
        page = 0
        for number, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = number
            else:
                break
        return page or 1


class _Span(_Record):
    document_id: NonEmpty
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = Field(default=None, ge=1)
    method: NonEmpty
    confidence: Confidence
    extractor_version: NonEmpty

    @model_validator(mode="after")
    def _ordered(self):
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} must be after start {self.start}")
        return self


class Evidence(_Span):
    """Why we believe a relationship: where in which document, and the words that say so."""

    text: NonEmpty = Field(max_length=20_000)  # the sentence, or the table row as written
    row: int | None = Field(default=None, ge=1)  # 1-based row number for tables

    def key(self, relationship_id: str) -> str:
        return stable_id("evidence", relationship_id, self.document_id, self.start, self.end, self.method)


class Mention(_Span):
    """A piece of document text that names something. Never deleted by resolution."""

    id: NonEmpty
    entity_type: EntityType
    text: NonEmpty
    normalized: str | None = None
    sentence: str = Field(default="", max_length=20_000)
    entity_id: NonEmpty | None = None


class Entity(_Record):
    id: NonEmpty
    type: EntityType
    label: NonEmpty
    aliases: tuple[NonEmpty, ...] = ()
    properties: dict[str, PropertyValue] = Field(default_factory=dict)

    @field_validator("properties")
    @classmethod
    def _property_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_properties(value)


class Relationship(_Record):
    id: NonEmpty
    type: RelType
    source_id: NonEmpty
    target_id: NonEmpty
    date: str | None = None
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    evidence: tuple[Evidence, ...] = Field(min_length=1)

    @field_validator("properties")
    @classmethod
    def _property_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_properties(value)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value):
        return _iso_date(value)

    @model_validator(mode="after")
    def _association_kind(self) -> "Relationship":
        if self.type is RelType.ASSOCIATED_WITH:
            kind = self.properties.get("kind")
            if kind not in ASSOCIATION_KINDS:
                raise ValueError(f"ASSOCIATED_WITH needs properties.kind, one of {sorted(ASSOCIATION_KINDS)}; got {kind!r}")
        return self

    @property
    def confidence(self) -> float:
        return max(e.confidence for e in self.evidence)


class Batch(_Record):
    """What one store transaction writes: all of it, or none of it."""

    cases: tuple[Case, ...] = ()
    documents: tuple[Document, ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    relationships: tuple[Relationship, ...] = ()


def utc_stamp(at: datetime | None = None) -> str:
    """When an append-only record was made: UTC, to the microsecond (ids derive from it)."""
    return (at or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


class Decision(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


_JUDGE = re.compile(r"^(?:rule|user):[^\s:][^\n]{0,127}$")


class Judgement(_Record):
    """A decision that two entities are, or are not, the same — by a rule or a named user,
    with its score, the features behind it and a reason. Judgements are append-only: one is
    withdrawn by a later judgement that `retracts` it (its decision is what holds after)."""

    id: NonEmpty
    left_id: NonEmpty
    right_id: NonEmpty
    decision: Decision
    by: str
    at: str
    score: float | None = Field(default=None, ge=0.0, le=1.0)
    features: dict[str, Scalar] = Field(default_factory=dict)
    reason: str = Field(default="", max_length=2000)
    retracts: str | None = None
    # The case whose views it acts on; None: every case (the resolver's rules, judged over all).
    case_id: str | None = None

    @field_validator("by")
    @classmethod
    def _by(cls, value: str) -> str:
        if not _JUDGE.match(value):
            raise ValueError('by must be "rule:NAME" or "user:NAME"')
        return value

    @field_validator("at", mode="before")
    @classmethod
    def _at(cls, value):
        return _iso_date(value)

    @model_validator(mode="after")
    def _two_entities(self) -> "Judgement":
        if self.left_id == self.right_id:
            raise ValueError("a judgement is about two different entities")
        return self

    @classmethod
    def new(
        cls,
        left_id: str,
        right_id: str,
        decision: str,
        by: str,
        reason: str = "",
        score: float | None = None,
        features: dict | None = None,
        retracts: str | None = None,
        at: datetime | None = None,
        case_id: str | None = None,
    ) -> "Judgement":
        """A judgement made now, with its id derived from what it says and when."""
        when = utc_stamp(at)
        left, right = sorted((left_id, right_id))
        try:
            return cls(
                id="judgement:" + stable_id(left, right, decision, by, when, retracts or "", *([case_id] if case_id else [])),
                left_id=left, right_id=right, decision=decision, by=by, at=when, score=score, features=features or {},
                reason=reason, retracts=retracts, case_id=case_id,
            )  # fmt: skip
        except ValidationError as exc:
            raise InvalidRecordError("judgement", None, describe_problems(exc)) from None


class MarkKind(StrEnum):
    VICTIM = "victim"  # reports can replace the person's names with a pseudonym
    SHAREABLE = "shareable"  # an analyst cleared it for cross-border (liaison) work


class EntityMark(_Record):
    """An analyst's mark on an entity ("victim", "shareable"), set or lifted. Append-only like
    judgements: lifting a mark is a later record with `value` false; the latest one stands."""

    id: NonEmpty
    entity_id: NonEmpty
    mark: MarkKind
    value: bool
    by: str
    at: str
    reason: str = Field(default="", max_length=2000)
    case_id: str | None = None  # the case whose views it acts on; None: every case (older records)

    @field_validator("by")
    @classmethod
    def _by(cls, value: str) -> str:
        if not _JUDGE.match(value) or not value.startswith("user:"):
            raise ValueError('by must be "user:NAME"')
        return value

    @field_validator("at", mode="before")
    @classmethod
    def _at(cls, value):
        return _iso_date(value)

    @classmethod
    def new(cls, entity_id: str, mark: str, value: bool, by: str, reason: str = "", at: datetime | None = None,
            case_id: str | None = None) -> "EntityMark":  # fmt: skip
        when = utc_stamp(at)
        try:
            return cls(id="mark:" + stable_id(entity_id, mark, value, by, when, *([case_id] if case_id else [])), entity_id=entity_id,
                       mark=mark, value=value, by=by, at=when, reason=reason, case_id=case_id)  # fmt: skip
        except ValidationError as exc:
            raise InvalidRecordError("mark", None, describe_problems(exc)) from None


class CorrectionKind(StrEnum):
    REJECT_LINK = "reject_link"  # subject: a relationship; it leaves every view of the case
    REJECT_EVIDENCE = "reject_evidence"  # subject: one piece of a relationship's evidence
    ADD_ENTITY = "add_entity"  # subject: the new entity's id; the analyst is its source
    ADD_LINK = "add_link"  # subject: the new relationship's id; the analyst is its source
    ANNOTATE = "annotate"  # subject: an entity or a relationship; the note is kept with it
    # subject: a person; properties: the legal element and the tag (one sentence's evidence of it)
    REJECT_ELEMENT = "reject_element"
    # subject: a person; properties: the legal element and the quote it rests on; the analyst is its source
    ADD_ELEMENT = "add_element"
    UNDO = "undo"  # withdraws the correction it `retracts`


ELEMENT_CORRECTIONS = frozenset({CorrectionKind.REJECT_ELEMENT, CorrectionKind.ADD_ELEMENT})
ANALYST_METHOD = "analyst"  # the method of an analyst assertion's evidence: drawn and cited apart


class Correction(_Record):
    """An analyst's correction of a case's graph, with who, when and why. Append-only: a
    correction is withdrawn by a later UNDO that `retracts` it; mentions and evidence are never
    touched, the correction is applied over them in every view of its case."""

    id: NonEmpty
    case_id: NonEmpty
    kind: CorrectionKind
    subject_id: NonEmpty
    by: str
    at: str
    reason: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=5000)
    retracts: str | None = None
    relationship_id: str | None = None  # REJECT_EVIDENCE: the relationship the evidence supports
    entity_type: EntityType | None = None  # ADD_ENTITY
    label: str | None = Field(default=None, max_length=512)  # ADD_ENTITY
    relationship_type: RelType | None = None  # ADD_LINK
    source_id: str | None = None  # ADD_LINK
    target_id: str | None = None  # ADD_LINK
    date: str | None = None  # ADD_LINK
    properties: dict[str, PropertyValue] = Field(default_factory=dict)  # ADD_LINK (an association's kind)

    @field_validator("by")
    @classmethod
    def _by(cls, value: str) -> str:
        if not _JUDGE.match(value) or not value.startswith("user:"):
            raise ValueError('by must be "user:NAME"')
        return value

    @field_validator("at", "date", mode="before")
    @classmethod
    def _at(cls, value):
        return _iso_date(value)

    @model_validator(mode="after")
    def _complete(self) -> "Correction":
        needed = {
            CorrectionKind.REJECT_EVIDENCE: ("relationship_id",),
            CorrectionKind.ADD_ENTITY: ("entity_type", "label"),
            CorrectionKind.ADD_LINK: ("relationship_type", "source_id", "target_id"),
            CorrectionKind.ANNOTATE: ("note",),
            CorrectionKind.UNDO: ("retracts",),
        }.get(self.kind, ())
        missing = [name for name in needed if not getattr(self, name)]
        if missing:
            raise ValueError(f"a {self.kind.value} correction needs {', '.join(missing)}")
        if self.kind in (CorrectionKind.REJECT_LINK, CorrectionKind.REJECT_EVIDENCE, CorrectionKind.UNDO) and not self.reason.strip():
            raise ValueError("say why (a reason is required)")
        if self.kind == CorrectionKind.ADD_LINK and self.source_id == self.target_id:
            raise ValueError("a link joins two different entities")
        if self.kind in ELEMENT_CORRECTIONS:
            if self.properties.get("element") not in LEGAL_ELEMENTS:
                raise ValueError(f"name the legal element, one of {sorted(LEGAL_ELEMENTS)}")
            wanted = "tag" if self.kind == CorrectionKind.REJECT_ELEMENT else "quote"
            if not str(self.properties.get(wanted) or "").strip():
                raise ValueError(f"a {self.kind.value} correction needs its {wanted}")
            if not self.reason.strip():
                raise ValueError("say why (a reason is required)")
        return self

    @classmethod
    def new(cls, case_id: str, kind: str, subject_id: str | None, by: str, reason: str = "", at: datetime | None = None,
            **fields: Any) -> "Correction":  # fmt: skip
        """A correction made now; an added entity or link without a subject gets an id of its own."""
        when = utc_stamp(at)
        try:
            if not subject_id and kind == CorrectionKind.ADD_ENTITY:
                subject_id = (
                    f"{id_prefix(fields.get('entity_type') or '')}:analyst-" + stable_id(case_id, fields.get("label"), by, when)[:16]
                )
            if not subject_id and kind == CorrectionKind.ADD_LINK:
                subject_id = "rel:analyst-" + stable_id(case_id, fields.get("relationship_type"), fields.get("source_id"),
                                                        fields.get("target_id"), by, when)[:16]  # fmt: skip
            if not subject_id and kind == CorrectionKind.UNDO:
                subject_id = fields.get("retracts")
            return cls(id="correction:" + stable_id(case_id, kind, subject_id, by, when, fields.get("retracts") or ""), case_id=case_id,
                       kind=kind, subject_id=subject_id, by=by, at=when, reason=reason, **fields)  # fmt: skip
        except (ValidationError, ValueError) as exc:
            raise InvalidRecordError("correction", None, describe_problems(exc) if isinstance(exc, ValidationError) else str(exc)) from None


RECORD_KINDS: dict[str, type[_Record]] = {
    "case": Case,
    "document": Document,
    "mention": Mention,
    "entity": Entity,
    "relationship": Relationship,
}
_BATCH_FIELD = {"case": "cases", "document": "documents", "mention": "mentions", "entity": "entities", "relationship": "relationships"}


def parse_record(kind: str, data: Any, index: int | None = None) -> _Record:
    """Validate one record from untrusted input (JSON, a CSV row...), naming it if it is refused."""
    model = RECORD_KINDS.get(kind)
    if model is None:
        raise InvalidRecordError("record", None, f"unknown record kind {kind!r}; expected one of {sorted(RECORD_KINDS)}", index)
    record_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    if not isinstance(data, dict):
        raise InvalidRecordError(kind, None, f"expected an object, got {type(data).__name__}", index)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidRecordError(kind, record_id, describe_problems(exc), index) from None


def describe_problems(exc: ValidationError) -> str:
    """A validation error as one line: "field: problem; field: problem"."""
    return "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '(record)'}: {err['msg']}" for err in exc.errors(include_url=False))


def batch_from_records(records: Iterable[tuple[str, Any]]) -> Batch:
    """Build a Batch from (kind, data) pairs, e.g. the lines of a records file."""
    grouped: dict[str, list[_Record]] = {field: [] for field in _BATCH_FIELD.values()}
    for index, (kind, data) in enumerate(records):
        record = parse_record(kind, data, index)
        grouped[_BATCH_FIELD[kind]].append(record)
    return Batch(**grouped)


def stable_id(*parts: object) -> str:
    """A deterministic id from its parts, so re-ingesting the same thing yields the same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:32]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------- views


class GraphFilter(BaseModel):
    """What a traversal may follow. Undated relationships pass a date range (a phone's
    owner has no date); dated ones pass when their date falls inside it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity_types: frozenset[EntityType] | None = None
    relationship_types: frozenset[RelType] | None = None
    date_from: str | None = None
    date_to: str | None = None
    case_id: str | None = None
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    # The cases a viewer may see (None: every case): a relationship passes only with evidence
    # from one of them. Unlike case_id, a filter the viewer chooses, this one is imposed.
    compartment: frozenset[str] | None = None

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _date(cls, value):
        return _iso_date(value)

    @classmethod
    def from_options(
        cls,
        types=None,
        relationship_types=None,
        date_from: str | None = None,
        date_to: str | None = None,
        case_id: str | None = None,
        min_confidence: float = 0.0,
    ) -> "GraphFilter":
        """A filter from user-facing options (CLI flags, query parameters), where an empty
        list means "no filter"; a bad value is an InvalidRecordError naming the problem."""
        try:
            return cls(
                entity_types=frozenset(types) if types else None,
                relationship_types=frozenset(relationship_types) if relationship_types else None,
                date_from=date_from,
                date_to=date_to,
                case_id=case_id,
                min_confidence=min_confidence,
            )
        except ValidationError as exc:
            raise InvalidRecordError("filter", None, describe_problems(exc)) from None

    @property
    def date_to_inclusive(self) -> str | None:
        # "2018-03-12" as an upper bound must include "2018-03-12T23:10:00".
        if self.date_to is None:
            return None
        return self.date_to + "\uffff" if len(self.date_to) == 10 else self.date_to


class EdgeRow(BaseModel):
    """A relationship as traversals see it: no evidence text, just what filters need."""

    model_config = ConfigDict(frozen=True)

    id: str
    type: RelType
    source_id: str
    target_id: str
    date: str | None
    confidence: float
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    evidence_count: int = 0


class StoredEvidence(Evidence):
    id: str
    relationship_id: str
    document_title: str = ""


class RelationshipView(EdgeRow):
    evidence: tuple[StoredEvidence, ...] = ()


class MentionView(Mention):
    document_title: str = ""


class EntityDetail(BaseModel):
    entity: Entity
    mentions: list[MentionView]
    relationships: list[RelationshipView]


class Subgraph(BaseModel):
    nodes: list[Entity]
    edges: list[EdgeRow]
    truncated: bool = False


class PathStep(BaseModel):
    source_id: str
    target_id: str
    relationships: list[RelationshipView]


class GraphPath(BaseModel):
    node_ids: list[str]
    nodes: list[Entity]
    steps: list[PathStep]

    @property
    def length(self) -> int:
        return len(self.steps)


class PathResult(BaseModel):
    paths: list[GraphPath]
    truncated: bool = False


class SearchHit(BaseModel):
    kind: str  # "entity" or "document"
    id: str
    label: str
    type: str
    score: float
    snippet: str = ""
    member_count: int = 1  # a resolved person found once: how many records it joins


class ReadingChange(BaseModel):
    """What a new reading of stored documents changed: records written, and those the new
    reading no longer gives, retired (kept apart with when and why, never deleted)."""

    written: "WriteSummary"
    retired_mentions: int = 0
    retired_evidence: int = 0
    removed_relationships: int = 0  # left with no evidence: out of the graph, their evidence retired
    retired_entities: int = 0  # nothing left refers to them


class RetiredRecord(BaseModel):
    """A mention or a piece of evidence an earlier reading gave and a later one did not."""

    kind: str  # "mention" or "evidence"
    id: str
    document_id: str
    retired_at: str
    reason: str
    record: dict[str, Any]


class WriteSummary(BaseModel):
    cases: int = 0
    documents: int = 0
    mentions: int = 0
    entities: int = 0
    relationships: int = 0
    evidence: int = 0

    @property
    def rows(self) -> int:
        return self.cases + self.documents + self.mentions + self.entities + self.relationships + self.evidence


ReadingChange.model_rebuild()


# ---------------------------------------------------------------- ingest runs


class RunOutcome(BaseModel):
    """What one run of the ingest job did with one file."""

    path: str
    status: str  # stored, reread, unchanged, failed, skipped
    reason: str = ""
    document_id: str = ""
    mentions: int = 0
    relationships: int = 0
    warnings: list[str] = Field(default_factory=list)
    table_rows: int | None = None
    rows_read: int | None = None


class IngestRun(BaseModel):
    """One run of the ingest job into a case: who started it, from where, how far it got and what
    each file came to. `status`: running, done (every file read, some may have failed), failed
    (the job stopped on an error), interrupted (the process ended before the run did). A run
    uploaded from the browser (`kind` "upload") is first receiving (files arriving), then queued,
    running and done, or cancelled; an interrupted upload is taken up again by the server."""

    id: str
    case_id: str
    case_name: str
    by: str
    source: str
    started_at: str
    finished_at: str | None = None
    status: str = "running"
    files_total: int | None = None
    files_done: int = 0
    seconds: float = 0.0
    outcomes: list[RunOutcome] = Field(default_factory=list)
    kind: str = "cli"  # cli or upload
    files_received: int = 0
    bytes_received: int = 0
    cancel_requested: bool = False
    # Seconds the job has been reading (running runs): with files_done, the ETA.
    running_seconds: float | None = None

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def warnings(self) -> int:
        return sum(len(o.warnings) for o in self.outcomes)


# ---------------------------------------------------------------- saved charts


class ChartNode(BaseModel):
    id: str = Field(min_length=1, max_length=512)
    x: float
    y: float


class Chart(BaseModel):
    """An analyst's chart kept in a case: which nodes, where they were placed, the filters the
    view was drawn with, a title and a note. Saving again makes a new chart that names the one it
    `replaces`; none is ever overwritten or deleted."""

    id: str
    case_id: str
    title: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=5000)
    by: str
    at: str
    focus: str | None = None
    nodes: list[ChartNode] = Field(max_length=5000)
    filters: dict[str, str | list[str]] = Field(default_factory=dict)
    replaces: str | None = None
