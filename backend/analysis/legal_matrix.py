"""The elements matrix of one person (a suspect or a victim, as resolved): for each legal element
of trafficking, the sentences naming the person that evidence it, and the gaps — the groups
(action, means, purpose) with no sentence yet. A victim under 18 needs no means (Palermo
Protocol art. 3(c)): the matrix says so instead of listing means as a gap.

The sentences are those the person was read from (every member's mentions) and, in an
interview whose interviewee the person is, every sentence the interviewee says of themself in
the first person ("nos quitaron los pasaportes"); each is tagged by ingest.legal_elements, so the
matrix is as good as the tagger (see benchmarks.legal_elements).
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

from backend.analysis.graph import CaseGraph
from backend.domain.legal_elements import LEGAL_ELEMENTS, ElementGroup
from backend.domain.model import ANALYST_METHOD, ELEMENT_CORRECTIONS, CorrectionKind, EntityType, stable_id
from backend.domain.text import fold
from backend.store.interface import GraphStore
from ingest.legal_elements import sentences as sentences_of
from ingest.legal_elements import tag_elements

# An interview form names its interviewee near the top ("DATOS DEL ENTREVISTADO", FPJ-14); what
# the interviewee then says in the first person is about them.
_INTERVIEW = re.compile(r"\bentrevista\b|\binterview\b")
_INTERVIEWEE_BLOCK_CHARS = 900
_FIRST_PERSON = re.compile(r"\b(?:me|nos|yo|mi|conmigo|nosotras|nosotros|i|me|my|we|us)\b")
# An interview written as reported speech speaks of the interviewee in the third person: "La
# entrevistada manifiesta que…", "Refiere que…", "The witness stated that…".
_REPORTED = re.compile(
    r"\b(?:el|la)\s+(?:entrevistad[oa]|declarante|deponente)\b|^\W*(?:refiere|manifiesta|senala|indica|agrega|afirma|relata|"
    r"narra|cuenta|explica|aduce|asegura)\s+que\b|\bthe\s+(?:interviewee|witness|declarant)\b"
)


class ElementEvidence(BaseModel):
    tag_id: str  # what an analyst's rejection names
    document_id: str
    document_title: str
    sentence: str
    cue: str
    cue_start: int  # in the sentence
    cue_end: int
    confidence: float
    method: str
    correction_id: str | None = None  # an analyst's addition: the correction to undo it
    by: str | None = None


class RejectedElement(BaseModel):
    """A tag an analyst rejected: out of the cell, kept on record with who, when and why."""

    element: str
    tag_id: str
    correction_id: str
    by: str
    at: str
    reason: str
    sentence: str | None = None  # the sentence, when it is still read


class ElementCell(BaseModel):
    element: str
    group: str
    evidence: list[ElementEvidence]


class ElementMatrix(BaseModel):
    entity_id: str
    label: str
    cells: list[ElementCell]  # every element, in the order of the law
    gaps: list[str]  # groups with no evidence yet (means left out for a minor)
    minor: bool
    minor_reason: str | None = None
    rejected: list[RejectedElement] = []


def element_tag_id(document_id: str, sentence: str, element: str) -> str:
    return "tag:" + stable_id(document_id, sentence.strip(), element)


# An age is the person's when it is said right next to the name: "SARA GIL, de 15 años", "la menor
# de edad SARA GIL", "a 16-year-old, Ana Ruiz" — not another person's age elsewhere in the sentence.
NEAR_NAME_CHARS = 25
_AFTER_NAME = re.compile(r"^\W{0,3}(?:de\s+|aged\s+|age\s+)?(\d{1,2})\s*(?:anos|-year-old|years?\s+old)\b")
_BEFORE_NAME = re.compile(
    r"(?:\bmenor(?:es)?(?:\s+de\s+edad)?|\bminor|\bjuvenile|\b(?:1[0-7]|[1-9])\s*(?:-year-old|anos))\W{0,3}(?:\w+\W+){0,2}$"
)


def _minor(properties: dict, named: list[tuple[str, str]]) -> str | None:
    """Why the person counts as a minor, if they do: a date of birth under 18 years before
    today, or an age under 18 said next to their name."""
    born = properties.get("dob")
    if isinstance(born, str) and re.match(r"\d{4}-\d{2}-\d{2}", born):
        today = date.today()
        year, month, day = (int(part) for part in born[:10].split("-"))
        age = today.year - year - ((today.month, today.day) < (month, day))
        if age < 18:
            return f"fecha de nacimiento {born[:10]}"
    for sentence, name in named:
        folded = fold(sentence)
        at = folded.find(fold(name))
        if at < 0:
            continue
        after = _AFTER_NAME.search(folded[at + len(name) : at + len(name) + NEAR_NAME_CHARS])
        if (after and int(after.group(1)) < 18) or _BEFORE_NAME.search(folded[max(0, at - NEAR_NAME_CHARS) : at]):
            return sentence.strip()[:200]
    return None


def _is_interviewee(store: GraphStore, document_id: str, members: set[str]) -> bool:
    """The interview's first named person is its interviewee (the form names them before anyone
    they speak of): a suspect the victim names early is not the one speaking."""
    persons = sorted((m.start, m.entity_id or "") for m in store.document_mentions(document_id) if m.entity_type == EntityType.PERSON)
    return bool(persons) and persons[0][1] in members


def element_matrix(store: GraphStore, case: CaseGraph, entity_id: str) -> ElementMatrix:
    canonical = case.canonical(entity_id)
    entity = case.entities.get(canonical) or store.get_entity(entity_id).entity
    seen: set[tuple[str, str]] = set()
    found: dict[str, list[ElementEvidence]] = {key: [] for key in LEGAL_ELEMENTS}
    said: list[tuple[str, str, str]] = []  # (document id, title, sentence)
    named: list[tuple[str, str]] = []  # (sentence, the name as written there)
    interviews: dict[str, tuple[str, int]] = {}  # document id -> (title, where the interviewee is named)
    for member in sorted(case.clusters.members(entity_id)):
        for mention in store.get_entity(member).mentions:
            if mention.sentence:
                said.append((mention.document_id, mention.document_title, mention.sentence))
                named.append((mention.sentence, mention.text))
            if mention.start < _INTERVIEWEE_BLOCK_CHARS:
                interviews.setdefault(mention.document_id, (mention.document_title, mention.end))
    members = set(case.clusters.members(entity_id))
    for document_id, (title, named_at) in interviews.items():
        text = store.get_document(document_id).text
        if not _INTERVIEW.search(fold(text[:300])) or not _is_interviewee(store, document_id, members):
            continue
        for start, end in sentences_of(text):
            said_by_them = fold(text[start:end])
            if start >= named_at and (_FIRST_PERSON.search(said_by_them) or _REPORTED.search(said_by_them)):
                said.append((document_id, title, text[start:end]))
    for document_id, title, sentence in said:
        if (document_id, sentence) in seen:
            continue
        seen.add((document_id, sentence))
        for tag in tag_elements(sentence):
            found[tag.element].append(ElementEvidence(
                tag_id=element_tag_id(document_id, sentence, tag.element), document_id=document_id, document_title=title, sentence=sentence, cue=tag.cue,
                cue_start=tag.start, cue_end=tag.end, confidence=tag.confidence, method=tag.method,
            ))  # fmt: skip
    rejected = _apply_corrections(store, case, entity_id, found)
    minor_reason = _minor(entity.properties, named)
    cells = [ElementCell(element=key, group=str(e.group), evidence=found[key]) for key, e in LEGAL_ELEMENTS.items()]
    gaps = [
        str(group) for group in ElementGroup
        if not any(c.evidence for c in cells if c.group == group) and not (group is ElementGroup.MEANS and minor_reason)
    ]  # fmt: skip
    return ElementMatrix(entity_id=canonical, label=entity.label, cells=cells, gaps=gaps, minor=minor_reason is not None,
                         minor_reason=minor_reason, rejected=rejected)  # fmt: skip


def _apply_corrections(
    store: GraphStore, case: CaseGraph, entity_id: str, found: dict[str, list[ElementEvidence]]
) -> list[RejectedElement]:
    """The analysts' standing element corrections about any record of the person, in the case:
    rejected tags leave their cell (and are listed), added ones join it as the analyst's."""
    members = set(case.clusters.members(entity_id))
    standing = store.standing_corrections([case.case_id] if case.case_id else None).values()
    rejected = []
    for c in sorted((c for c in standing if c.kind in ELEMENT_CORRECTIONS and c.subject_id in members), key=lambda c: (c.at, c.id)):
        element = str(c.properties["element"])
        if c.kind == CorrectionKind.REJECT_ELEMENT:
            tag = str(c.properties["tag"])
            gone = [e for e in found[element] if e.tag_id == tag]
            found[element] = [e for e in found[element] if e.tag_id != tag]
            rejected.append(RejectedElement(element=element, tag_id=tag, correction_id=c.id, by=c.by, at=c.at, reason=c.reason,
                                            sentence=gone[0].sentence if gone else None))  # fmt: skip
        else:
            quote, document_id = str(c.properties["quote"]), str(c.properties.get("document_id") or "")
            title = store.get_document(document_id).title if document_id else ""
            found[element].append(ElementEvidence(
                tag_id=element_tag_id(document_id or c.id, quote, element), document_id=document_id, document_title=title,
                sentence=quote, cue="", cue_start=0, cue_end=0, confidence=1.0, method=ANALYST_METHOD, correction_id=c.id, by=c.by,
            ))  # fmt: skip
    return rejected
