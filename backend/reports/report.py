"""Association-evidence report: for two entities (or a set), the paths that connect them and,
for every relationship on them, the citation — document title, SHA-256, page / offsets / row,
the sentence or row quoted — and the resolution decisions each resolved person relies on.

Stamped with the time, the user and a data version (the SHA-256 of everything the report
states), so the same data gives the same report; rendered as HTML and as PDF (fpdf2, no
browser). With `pseudonymise`, persons an analyst marked as victims appear under a stable
pseudonym (an HMAC of the marked entity id), and their names, phone numbers and ID numbers
are removed from every quote and title.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel

from backend.analysis.graph import case_graph
from backend.analysis.legal_matrix import element_matrix
from backend.domain.errors import ConfigurationError, InvalidRecordError
from backend.domain.legal_elements import LEGAL_ELEMENTS
from backend.domain.model import (
    ANALYST_METHOD,
    CorrectionKind,
    EntityDetail,
    EntityType,
    GraphFilter,
    GraphPath,
    Judgement,
    MarkKind,
    PathResult,
    RelationshipView,
    RelType,
)
from backend.domain.vocabulary import relationship_label, term
from backend.graph import traversal
from backend.graph.canonical import Clusters, merged_entity
from backend.store.interface import GraphStore
from backend.store.originals import Originals

MAX_REPORT_ENTITIES = 8
HUB_DEGREE = 12  # a place, terminal or airport tied to this many entities or more is a hub
_PLACES = (EntityType.LOCATION, EntityType.BUS_TERMINAL, EntityType.AIRPORT)
_NO_DATE = datetime(1980, 1, 1, tzinfo=timezone.utc)  # the stamp of a report that reflects no dated record
WITHHELD = "[dato reservado]"
PDF_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PDF_FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_ACCENTS = {"a": "aáàäâ", "e": "eéèëê", "i": "iíìïî", "o": "oóòöô", "u": "uúùüû", "n": "nñ", "c": "cç"}


class Citation(BaseModel):
    document_id: str  # the SHA-256 of the original file
    document_title: str
    page: int | None
    start: int
    end: int
    row: int | None
    quote: str
    method: str
    confidence: float


class ReportRelationship(BaseModel):
    id: str
    type: str
    kind: str | None  # ASSOCIATED_WITH's kind
    date: str | None
    source: str  # label of the entity at each end, as stored (before resolution)
    target: str
    citations: list[Citation]


class ReportStep(BaseModel):
    source: str
    target: str
    relationships: list[ReportRelationship]


class ReportPath(BaseModel):
    node_ids: list[str]
    labels: list[str]
    steps: list[ReportStep]


class ReportPair(BaseModel):
    source_id: str
    target_id: str
    source: str
    target: str
    paths: list[ReportPath]
    truncated: bool


class ReportDecision(BaseModel):
    left: str
    right: str
    decision: str
    by: str
    at: str
    score: float | None
    reason: str


class ReportCorrection(BaseModel):
    """An analyst's correction the report reflects: a rejection that may have removed a path,
    or an addition or note about what the report shows."""

    kind: str
    subject: str  # what it is about, in words
    case_id: str
    by: str
    at: str
    reason: str
    note: str


class ReportNode(BaseModel):
    id: str
    label: str
    type: str
    member_count: int
    pseudonym: bool
    decisions: list[ReportDecision]  # the "same" judgements that make its members one


class LeftOut(BaseModel):
    """A path or a link the report leaves out, and why (a rule, or the analyst's choice)."""

    what: str  # "camino" or "vínculo"
    label: str
    why: str


class ElementLine(BaseModel):
    sentence: str
    document_id: str
    document_title: str
    method: str
    confidence: float
    by: str | None = None


class PersonElements(BaseModel):
    """One person's elements matrix as the report states it (sentences redacted like the rest)."""

    label: str
    minor: bool
    minor_reason: str | None
    gaps: list[str]
    cells: dict[str, list[ElementLine]]  # element key -> its sentences, every element in the order of the law


class AnnexDocument(BaseModel):
    document_id: str  # SHA-256 of the original file
    title: str
    media_type: str
    size: int | None  # bytes of the original, when it is kept
    attached: bool = False  # the original is inside the PDF


class AssociationReport(BaseModel):
    entity_ids: list[str]
    k: int
    max_hops: int
    pseudonymised: bool
    pairs: list[ReportPair]
    nodes: list[ReportNode]
    corrections: list[ReportCorrection] = []
    left_out: list[LeftOut] = []
    elements: list[PersonElements] = []
    annex: list[AnnexDocument] = []
    rules: list[str] = []  # the inclusion rules applied, in words
    generated_at: str
    generated_by: str
    data_version: str  # SHA-256 of everything above except the stamp

    @property
    def documents(self) -> dict[str, str]:
        cited = {}
        for pair in self.pairs:
            for path in pair.paths:
                for step in path.steps:
                    for rel in step.relationships:
                        for c in rel.citations:
                            if c.method != ANALYST_METHOD:  # an assertion cites no document
                                cited[c.document_id] = c.document_title
        return dict(sorted(cited.items(), key=lambda kv: kv[1]))


def pseudonym_for(entity_id: str, key: str) -> str:
    digest = hmac.new(key.encode("utf-8"), entity_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"Víctima-{digest[:6].upper()}"


def _accent_pattern(term: str) -> str:
    out = []
    for ch in term:
        variants = _ACCENTS.get(ch.lower())
        base = next((k for k, v in _ACCENTS.items() if ch.lower() in v), None) if variants is None else ch.lower()
        out.append(f"[{_ACCENTS[base]}]" if base else re.escape(ch))
    return "".join(out)


class _Redactor:
    """Replaces what identifies a victim: names (any accents, any case) by the pseudonym, the
    numbers of their phones and documents by WITHHELD."""

    def __init__(self):
        self.rules: list[tuple[re.Pattern, str]] = []

    def add(self, names: set[str], numbers: set[str], pseudonym: str) -> None:
        words = {w for name in names for w in re.findall(r"\w+", name) if len(w) >= 4}
        for terms, replacement in ((sorted(names, key=len, reverse=True), pseudonym), (sorted(words, key=len, reverse=True), pseudonym),
                                   (sorted(numbers, key=len, reverse=True), WITHHELD)):  # fmt: skip
            for word in terms:
                if word.strip():
                    self.rules.append((re.compile(r"(?<!\w)" + _accent_pattern(word) + r"(?!\w)", re.IGNORECASE), replacement))

    def __call__(self, text: str) -> str:
        for pattern, replacement in self.rules:
            text = pattern.sub(replacement, text)
        for replacement in {r for _, r in self.rules}:
            text = re.sub(f"({re.escape(replacement)})(?:\\s+{re.escape(replacement)})+", r"\1", text)
        return text


def _digits_variants(entity) -> set[str]:
    """A phone or ID number as the files may write it: as stored, and its local digits grouped."""
    values = {entity.label, *(str(v) for k, v in entity.properties.items() if k in ("number", "e164"))}
    e164 = str(entity.properties.get("e164", ""))
    if e164.startswith("+57") and len(e164) == 13:
        local = e164[3:]
        values |= {local, f"{local[:3]} {local[3:6]} {local[6:]}"}
    return {v for v in values if v}


def association_report(
    store: GraphStore, entity_ids: list[str], *, user: str, k: int = 3, max_hops: int = 6, pseudonymise: bool = False,
    pseudonym_key: str = "", filters: GraphFilter | None = None, generated_at: datetime | None = None,
    leave_out: Iterable[str] = (), weak_rule: bool = False, hub_rule: bool = False, hub_degree: int = HUB_DEGREE,
    elements: bool = False, originals: Originals | None = None, annex_originals: bool = False,
) -> AssociationReport:  # fmt: skip
    """The report. `leave_out`: relationships the analyst left out; `weak_rule` leaves out weak
    co-mentions (two names in one sentence, nothing said of how they are tied); `hub_rule`
    leaves out paths through a place, terminal or airport tied to `hub_degree` entities or more
    (everyone passes through Bogotá); `elements` adds the legal-elements matrix of every person
    on the paths; the annex lists every document cited, with its size when `originals` keep it
    (`annex_originals` puts the originals inside the PDF, never when victims are pseudonymised).
    Without `generated_at` the stamp is the time of the latest record the report reflects, so
    the same data gives the same bytes."""
    ids = list(dict.fromkeys(entity_ids))
    if not 2 <= len(ids) <= MAX_REPORT_ENTITIES:
        raise InvalidRecordError("report", None, f"name between 2 and {MAX_REPORT_ENTITIES} different entities (got {len(ids)})")
    if pseudonymise and not pseudonym_key:
        raise ConfigurationError("pseudonymised reports need TELARANA_PSEUDONYM_KEY")
    clusters = Clusters(store)
    searched = min(traversal.MAX_PATHS, k * 3) if (leave_out or weak_rule or hub_rule) else k
    found = {(a, b): traversal.paths(store, a, b, k=searched, max_hops=max_hops, filters=filters, canon=clusters)
             for a, b in combinations(ids, 2)}  # fmt: skip
    rules, left_out = _inclusion_rules(weak_rule, hub_rule, hub_degree, set(leave_out))
    hubs = _hubs(store, filters, hub_degree) if hub_rule else {}
    found = {pair: _selected(result, k, set(leave_out), weak_rule, hubs, left_out) for pair, result in found.items()}
    node_ids = sorted({n for result in found.values() for p in result.paths for n in p.node_ids} | {clusters.canonical(i) for i in ids})
    members = {n: clusters.members(n) for n in node_ids}
    entities = store.entities({m for ms in members.values() for m in ms})
    labels = {n: _cluster_label(n, members[n], entities) for n in node_ids}
    details = _Details(store)
    redact, pseudonymous = _Redactor(), set()
    if pseudonymise:
        pseudonymous = _pseudonymise(store, members, details, labels, redact, pseudonym_key)
    member_label = {m: labels[n] if n in pseudonymous else redact(entities[m].label) for n in node_ids for m in members[n] if m in entities}
    pairs = [
        ReportPair(source_id=a, target_id=b, source=labels[clusters.canonical(a)], target=labels[clusters.canonical(b)],
                   paths=[_report_path(path, labels, member_label, redact) for path in result.paths], truncated=result.truncated)
        for (a, b), result in found.items()
    ]  # fmt: skip
    nodes = _report_nodes(store, node_ids, members, entities, labels, member_label, pseudonymous, details, redact)
    reflected = _reflected_corrections(store, {m for ms in members.values() for m in ms}, member_label, redact)
    persons = [n for n in nodes if n.type == EntityType.PERSON] if elements else []
    matrices = _elements(store, filters, persons, labels, redact) if persons else []
    left_out = [lo.model_copy(update={"label": redact(lo.label)}) for lo in left_out]
    made = AssociationReport(entity_ids=ids, k=k, max_hops=max_hops, pseudonymised=pseudonymise, pairs=pairs, nodes=nodes,
                             corrections=reflected, left_out=left_out, elements=matrices, rules=rules, generated_at="", generated_by=user,
                             data_version="")  # fmt: skip
    made.annex = _annex(store, made, originals, annex_originals and not pseudonymise, redact)
    stamp = generated_at or _data_time(store, made)
    made.generated_at = stamp.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    stated = made.model_dump(mode="json", exclude={"generated_at", "generated_by", "data_version"})
    made.data_version = hashlib.sha256(json.dumps(stated, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    return made


# ----------------------------------------------------------------------------- inclusion rules


def _inclusion_rules(weak_rule: bool, hub_rule: bool, hub_degree: int, leave_out: set[str]) -> tuple[list[str], list[LeftOut]]:
    rules = ["Se incluyen los caminos más cortos entre cada par de personas o cosas señaladas, con cada vínculo y su soporte documental."]
    if weak_rule:
        rules.append("Se excluyen las co-menciones débiles: dos nombres en una misma frase sin que el texto diga qué los une.")
    if hub_rule:
        rules.append(f"Se excluyen los caminos que pasan por un lugar, terminal o aeropuerto vinculado a {hub_degree} o más entidades "
                     "(un lugar concurrido no prueba asociación).")  # fmt: skip
    if leave_out:
        rules.append(f"El analista excluyó {len(leave_out)} vínculo(s) de este informe; se listan abajo.")
    return rules, []


def _hubs(store: GraphStore, filters: GraphFilter | None, degree: int) -> dict[str, tuple[str, int]]:
    """Places, terminals and airports tied to `degree` entities or more: {id: (label, degree)}."""
    graph = case_graph(store, filters.case_id if filters else None)
    neighbours: dict[str, set[str]] = {}
    for edge in graph.edges:
        neighbours.setdefault(edge.source_id, set()).add(edge.target_id)
        neighbours.setdefault(edge.target_id, set()).add(edge.source_id)
    return {node: (graph.entities[node].label, len(ends)) for node, ends in neighbours.items()
            if node in graph.entities and graph.entities[node].type in _PLACES and len(ends) >= degree}  # fmt: skip


def _weak(relationship: RelationshipView) -> bool:
    """A weak co-mention: two names in one sentence and nothing said of how they are tied."""
    if relationship.properties.get("asserted_by") or any(e.method == ANALYST_METHOD for e in relationship.evidence):
        return False
    return relationship.type == RelType.ASSOCIATED_WITH and relationship.properties.get("kind") == "co_mentioned"


def _selected(result: PathResult, k: int, leave_out: set[str], weak_rule: bool, hubs: dict[str, tuple[str, int]],
              left_out: list[LeftOut]) -> PathResult:  # fmt: skip
    """The first k paths that stand once the rules and the analyst's choices are applied; what
    falls is recorded in `left_out`."""
    kept: list[GraphPath] = []
    seen = {(lo.what, lo.label, lo.why) for lo in left_out}

    def note(what: str, label: str, why: str) -> None:
        if (what, label, why) not in seen:
            seen.add((what, label, why))
            left_out.append(LeftOut(what=what, label=label, why=why))

    for path in result.paths:
        names = {n.id: n.label for n in path.nodes}
        label = " → ".join(names.get(n, n) for n in path.node_ids)
        through = [n for n in path.node_ids[1:-1] if n in hubs]
        if through:
            hub, degree = hubs[through[0]]
            note("camino", label, f"pasa por {hub}, lugar concurrido ({degree} vínculos)")
            continue
        steps, standing = [], True
        for step in path.steps:
            relationships = []
            for r in step.relationships:
                link = f"{names.get(step.source_id, step.source_id)} — {relationship_label(r.type)} — {names.get(step.target_id, step.target_id)}"
                if r.id in leave_out:
                    note("vínculo", link, "excluido por el analista")
                elif weak_rule and _weak(r):
                    note("vínculo", link, "co-mención débil")
                else:
                    relationships.append(r)
            if not relationships:
                standing = False
                break
            steps.append(step.model_copy(update={"relationships": relationships}))
        if not standing:
            note("camino", label, "uno de sus saltos solo se apoyaba en vínculos excluidos")
            continue
        kept.append(path.model_copy(update={"steps": steps}))
        if len(kept) == k:
            break
    return PathResult(paths=kept, truncated=result.truncated)


def _elements(store: GraphStore, filters: GraphFilter | None, persons: list[ReportNode], labels: dict[str, str],
              redact: "_Redactor") -> list[PersonElements]:  # fmt: skip
    graph = case_graph(store, filters.case_id if filters else None)
    out = []
    for node in sorted(persons, key=lambda n: labels[n.id]):
        matrix = element_matrix(store, graph, node.id)
        cells = {c.element: [ElementLine(sentence=redact(e.sentence), document_id=e.document_id, document_title=redact(e.document_title),
                                         method=e.method, confidence=e.confidence, by=e.by) for e in c.evidence]
                 for c in matrix.cells}  # fmt: skip
        out.append(PersonElements(label=labels[node.id], minor=matrix.minor, minor_reason=redact(matrix.minor_reason) if matrix.minor_reason else None,
                                  gaps=matrix.gaps, cells=cells))  # fmt: skip
    return out


def _annex(
    store: GraphStore, report: AssociationReport, originals: Originals | None, attach: bool, redact: "_Redactor"
) -> list[AnnexDocument]:
    """Every document the report cites, by title, with its SHA-256 and size."""
    titles = dict(report.documents)
    for person in report.elements:
        for lines in person.cells.values():
            titles.update({line.document_id: line.document_title for line in lines if line.document_id})
    annex = []
    for document_id, title in sorted(titles.items(), key=lambda kv: (kv[1], kv[0])):
        data = originals.read(document_id) if originals is not None else None
        annex.append(AnnexDocument(document_id=document_id, title=redact(title), media_type=store.get_document(document_id).media_type,
                                   size=len(data) if data is not None else None, attached=attach and data is not None))  # fmt: skip
    return annex


def _data_time(store: GraphStore, report: AssociationReport) -> datetime:
    """The time of the latest record the report reflects (decisions, corrections, analysts'
    elements): the stamp of a report made twice from the same data."""
    times = [d.at for n in report.nodes for d in n.decisions] + [c.at for c in report.corrections]
    times += [c.at for c in store.standing_corrections().values() if c.kind in (CorrectionKind.ADD_ELEMENT, CorrectionKind.REJECT_ELEMENT)]
    if not times:
        return _NO_DATE
    return datetime.fromisoformat(max(times).rstrip("Z")).replace(tzinfo=timezone.utc)


def _reflected_corrections(
    store: GraphStore, member_ids: set[str], member_label: dict[str, str], redact: "_Redactor"
) -> list[ReportCorrection]:
    """The standing corrections the report reflects: every rejection (any may have removed a path
    the report would otherwise show), and the additions and notes about what it shows."""
    out = []
    for c in store.standing_corrections().values():
        about = {c.subject_id, c.source_id, c.target_id} & member_ids
        if c.kind in (CorrectionKind.REJECT_LINK, CorrectionKind.REJECT_EVIDENCE):
            subject = c.subject_id if c.kind == CorrectionKind.REJECT_LINK else f"{c.subject_id} ({c.relationship_id})"
        elif about or any(c.subject_id == r for r in _relationship_ids_shown(store, member_ids)):
            ends = [member_label.get(i or "", i or "") for i in (c.source_id, c.target_id)] if c.kind == CorrectionKind.ADD_LINK else []
            subject = " — ".join(ends) if ends else (c.label or member_label.get(c.subject_id, c.subject_id))
        else:
            continue
        out.append(ReportCorrection(kind=str(c.kind), subject=redact(subject), case_id=c.case_id, by=c.by, at=c.at, reason=redact(c.reason),
                                    note=redact(c.note)))  # fmt: skip
    return out


def _relationship_ids_shown(store: GraphStore, member_ids: set[str]) -> set[str]:
    return {e.id for e in store.edges_among(member_ids, GraphFilter())}


class _Details:
    """Entity details read once each: victims' members are read for names, then for decision labels."""

    def __init__(self, store: GraphStore):
        self._store = store
        self._read: dict[str, EntityDetail] = {}

    def __call__(self, entity_id: str) -> EntityDetail:
        if entity_id not in self._read:
            self._read[entity_id] = self._store.get_entity(entity_id)
        return self._read[entity_id]


def _pseudonymise(store: GraphStore, members: dict[str, tuple[str, ...]], details: _Details, labels: dict[str, str], redact: "_Redactor",
                  pseudonym_key: str) -> set[str]:  # fmt: skip
    """Give each node with a member marked as victim its pseudonym, and teach the redactor every
    name and number of its members. Returns the pseudonymous nodes."""
    victims = store.standing_marks(MarkKind.VICTIM, {m for ms in members.values() for m in ms})
    pseudonymous = set()
    for node, inside in members.items():
        marked = sorted(set(inside) & victims)
        if not marked:
            continue
        pseudonymous.add(node)
        name = pseudonym_for(marked[0], pseudonym_key)
        names, numbers = set(), set()
        for member in inside:
            detail = details(member)
            names |= {detail.entity.label, *detail.entity.aliases, *(m.text for m in detail.mentions)}
            for rel in detail.relationships:
                if rel.type in (RelType.USES_PHONE, RelType.HOLDS_ID, RelType.USES_EMAIL) and rel.source_id == member:
                    held = details(rel.target_id)
                    numbers |= _digits_variants(held.entity) | {m.text for m in held.mentions}
        redact.add(names, numbers, name)
        labels[node] = name
    return pseudonymous


def _citation(ev, redact: "_Redactor") -> Citation:
    return Citation(document_id=ev.document_id, document_title=redact(ev.document_title), page=ev.page, start=ev.start, end=ev.end,
                    row=ev.row, quote=redact(ev.text), method=ev.method, confidence=ev.confidence)  # fmt: skip


def _report_path(path, labels: dict[str, str], member_label: dict[str, str], redact: "_Redactor") -> ReportPath:
    steps = [
        ReportStep(
            source=labels[step.source_id],
            target=labels[step.target_id],
            relationships=[
                ReportRelationship(
                    id=r.id,
                    type=str(r.type),
                    kind=r.properties.get("kind"),
                    date=r.date,
                    source=member_label.get(r.source_id, r.source_id),
                    target=member_label.get(r.target_id, r.target_id),
                    citations=sorted((_citation(ev, redact) for ev in r.evidence), key=lambda c: (c.document_title, c.start)),
                )
                for r in sorted(step.relationships, key=lambda r: (str(r.type), r.id))
            ],
        )
        for step in path.steps
    ]
    return ReportPath(node_ids=path.node_ids, labels=[labels[n] for n in path.node_ids], steps=steps)


def _report_nodes(store: GraphStore, node_ids: list[str], members: dict[str, tuple[str, ...]], entities: dict, labels: dict[str, str],
                  member_label: dict[str, str], pseudonymous: set[str], details: _Details, redact: "_Redactor") -> list[ReportNode]:  # fmt: skip
    """Each node with the "same" decisions that made it one, its members named by their document."""
    standing = store.standing_judgements()
    nodes = []
    for node in node_ids:
        inside = set(members[node])
        decisions = sorted(
            (j for j in standing.values() if j.decision == "same" and {j.left_id, j.right_id} <= inside), key=lambda j: (j.at, j.id)
        )
        if decisions:  # members often share a name: say which document each one was read from
            for member in inside:
                first = details(member).mentions[:1]
                if first:
                    member_label[member] = f"{member_label.get(member, member)} ({redact(first[0].document_title)})"
        nodes.append(ReportNode(id=node, label=labels[node], type=str(entities[node].type) if node in entities else "", member_count=len(inside),
                                pseudonym=node in pseudonymous, decisions=[_decision(j, member_label) for j in decisions]))  # fmt: skip
    return nodes


def _cluster_label(node: str, members: tuple[str, ...], entities: dict) -> str:
    present = [entities[m] for m in members if m in entities]
    return merged_entity(present).label if present else node


def _decision(judgement: Judgement, member_label: dict[str, str]) -> ReportDecision:
    return ReportDecision(left=member_label.get(judgement.left_id, judgement.left_id), right=member_label.get(judgement.right_id, judgement.right_id),
                          decision=str(judgement.decision), by=judgement.by, at=judgement.at, score=judgement.score,
                          reason=judgement_reason(judgement))  # fmt: skip


def judgement_reason(judgement: Judgement, lang: str = "es") -> str:
    """Why, in words: an analyst's reason as written; a rule's, from the comparisons it weighed."""
    if judgement.by.startswith("rule:") and judgement.features:
        return "; ".join(f"{term('comparison', k, lang)}: {term('level', v, lang)}" for k, v in judgement.features.items())
    return judgement.reason


# ----------------------------------------------------------------------------- rendering

_CSS = """body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;color:#111;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #999;margin-top:2rem}h3{font-size:1rem}
.stamp{background:#f3f3f3;padding:.5rem 1rem;font-size:.9rem}.stamp code{word-break:break-all}
blockquote{margin:.3rem 0 .6rem 1rem;padding-left:.6rem;border-left:3px solid #555}
.cite{font-size:.85rem;color:#333}.rel{margin:.5rem 0 1rem 1rem}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .4rem;font-size:.85rem}"""


def fecha(value: str | None) -> str:
    """An ISO date or time as a Spanish reader writes it: dd/mm/aaaa (hh:mm)."""
    if not value:
        return ""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?", value)
    if not match:
        return value
    year, month, day, hour, minute = match.groups()
    return f"{day}/{month}/{year}" + (f" {hour}:{minute}" if hour else "")


def _citation_line(c: Citation) -> str:
    if c.method == ANALYST_METHOD:  # an analyst's assertion: no document behind it, and it says so
        return f"Aserción del analista {c.document_title.split(' · ')[0]}, no de un documento (registrada el {fecha(c.document_title.split(' · ')[-1])})"
    where = [f"p. {c.page}" if c.page else None, f"fila {c.row}" if c.row else None, f"caracteres {c.start}–{c.end}"]
    return (
        f"«{c.document_title}» (SHA-256 {c.document_id}), "
        + ", ".join(w for w in where if w)
        + f"; {c.method}, confianza {c.confidence:.2f}"
    )


def _relationship_line(r: ReportRelationship) -> str:
    kind = f" ({term('association', r.kind)})" if r.kind else ""
    date = f", {fecha(r.date)}" if r.date else ""
    return f"{r.source} — {relationship_label(r.type)}{kind} — {r.target}{date}"


def _correction_line(c: ReportCorrection) -> str:
    said = "; ".join(x for x in (c.reason, c.note) if x)
    return f"{term('correction', c.kind)}: {c.subject} — {c.by.removeprefix('user:')}, {fecha(c.at)}, caso {c.case_id}" + (
        f". {said}" if said else ""
    )


TITLE = "Informe de análisis de vínculos — evidencia de asociación"
OFFENCE = ("Delito investigado: trata de personas (artículo 188A de la Ley 599 de 2000, Código Penal, adicionado por la Ley 985 de "
           "2005), en la estructura de acción, medio y finalidad del Protocolo de Palermo (artículo 3).")  # fmt: skip
CLOSING = ("Este informe se limita a exponer los vínculos que constan en los documentos anexos y su soporte; la valoración de la "
           "prueba y la responsabilidad penal corresponden a la autoridad judicial. Las coincidencias de identidad son decisiones "
           "registradas, no hechos de los documentos.")  # fmt: skip
RESERVED_ANNEX = "Los originales contienen datos de víctimas: se entregan en anexo reservado y no van dentro de este informe."


def _size(value: int | None) -> str:
    return "tamaño no disponible" if value is None else f"{value:,} bytes".replace(",", ".")


def _stamp_lines(report: AssociationReport) -> list[str]:
    shown = list(dict.fromkeys(x for pair in report.pairs for x in (pair.source, pair.target)))
    return [
        f"Generado: {fecha(report.generated_at)} UTC por {report.generated_by.removeprefix('user:')} (fecha del último registro que refleja)",
        f"Versión de los datos (SHA-256): {report.data_version}",
        f"Entidades: {', '.join(shown)}; hasta {report.k} caminos por par, de {report.max_hops} saltos como máximo"
        + ("; víctimas seudonimizadas" if report.pseudonymised else ""),
    ]


def _element_rows(person: PersonElements) -> list[tuple[str, str, list[ElementLine]]]:
    return [(term("element_group", LEGAL_ELEMENTS[key].group), term("element", key), lines) for key, lines in person.cells.items()]


def _element_line(line: ElementLine) -> str:
    if line.method == ANALYST_METHOD:
        return f"«{line.sentence}» — aserción del analista {(line.by or '').removeprefix('user:')}" + (
            f", sobre «{line.document_title}»" if line.document_title else ""
        )
    return f"«{line.sentence}» — «{line.document_title}» (SHA-256 {line.document_id}); {line.method}, confianza {line.confidence:.2f}"


def _gaps_line(person: PersonElements) -> str:
    parts = []
    if person.minor:
        parts.append(f"víctima menor de edad ({person.minor_reason}): el medio no es necesario")
    parts.append("sin evidencia aún de: " + ", ".join(term("element_group", g) for g in person.gaps) if person.gaps else "acción, medio y "
                 "finalidad con al menos una frase")  # fmt: skip
    return "; ".join(parts)


def _html_paths(report: AssociationReport) -> list[str]:
    e, out = html.escape, []
    for pair in report.pairs:
        out.append(f"<h3>{e(pair.source)} ↔ {e(pair.target)}</h3>")
        if not pair.paths:
            out.append("<p>Ningún camino los une" + (" dentro del límite de búsqueda" if pair.truncated else "") + ".</p>")
        for number, path in enumerate(pair.paths, start=1):
            out.append(f"<h4>Camino {number} ({len(path.steps)} saltos): {e(' → '.join(path.labels))}</h4>")
            for step in path.steps:
                out.append(f"<p><strong>{e(step.source)} → {e(step.target)}</strong></p>")
                for rel in step.relationships:
                    out.append(f'<div class="rel"><p>{e(_relationship_line(rel))}</p>')
                    out += [f'<blockquote>{e(c.quote)}</blockquote><p class="cite">{e(_citation_line(c))}</p>' for c in rel.citations]
                    out.append("</div>")
    return out


def _html_elements(report: AssociationReport) -> list[str]:
    e, out = html.escape, []
    for person in report.elements:
        out.append(f'<h3 class="elements-of">{e(person.label)}</h3><p>{e(_gaps_line(person))}</p>'
                   '<table class="elements"><tr><th>grupo</th><th>elemento</th><th>frases que lo sustentan</th></tr>')  # fmt: skip
        for group, element, lines in _element_rows(person):
            said = "".join(f"<li>{e(_element_line(line))}</li>" for line in lines) if lines else "<li>—</li>"
            out.append(f"<tr><td>{e(group)}</td><td>{e(element)}</td><td><ul>{said}</ul></td></tr>")
        out.append("</table>")
    return out


def render_html(report: AssociationReport) -> str:
    e = html.escape
    out = ['<!doctype html><html lang="es"><head><meta charset="utf-8">', f"<title>{e(TITLE)}</title>",
           f"<style>{_CSS}</style></head><body>", f"<h1>{e(TITLE)}</h1>", f"<p>{e(OFFENCE)}</p>", '<div class="stamp">',
           *(f"<p>{e(line)}</p>" for line in _stamp_lines(report)), "</div>"]  # fmt: skip
    out.append("<h2>1. Criterios de inclusión</h2><ul>" + "".join(f"<li>{e(r)}</li>" for r in report.rules) + "</ul>")
    if report.left_out:
        out.append('<table id="left-out"><tr><th>qué</th><th>cuál</th><th>por qué se excluye</th></tr>'
                   + "".join(f"<tr><td>{e(lo.what)}</td><td>{e(lo.label)}</td><td>{e(lo.why)}</td></tr>" for lo in report.left_out) + "</table>")  # fmt: skip
    out.append("<h2>2. Vínculos y su soporte documental</h2>")
    out += _html_paths(report)
    if report.elements:
        out.append("<h2>3. Elementos del tipo penal por persona</h2>")
        out += _html_elements(report)
    merged = [n for n in report.nodes if n.decisions]
    out.append("<h2>4. Decisiones de identidad en que se apoya</h2>")
    if not merged:
        out.append("<p>Ninguna: cada nodo es una sola entidad.</p>")
    for node in merged:
        out.append(f"<h3>{e(node.label)} ({node.member_count} registros)</h3><table><tr><th>uno</th><th>otro</th><th>decisión</th>"
                   "<th>quién</th><th>cuándo</th><th>puntaje</th><th>por qué</th></tr>")  # fmt: skip
        for d in node.decisions:
            score = "" if d.score is None else f"{d.score:.3f}"
            out.append(f"<tr><td>{e(d.left)}</td><td>{e(d.right)}</td><td>{e(term('decision', d.decision))}</td><td>{e(d.by)}</td><td>{e(fecha(d.at))}</td>"
                       f"<td>{score}</td><td>{e(d.reason)}</td></tr>")  # fmt: skip
        out.append("</table>")
    out.append("<h2>5. Correcciones del analista que refleja</h2>")
    out.append("<ul>" + "".join(f"<li>{e(_correction_line(c))}</li>" for c in report.corrections) + "</ul>" if report.corrections
               else "<p>Ninguna.</p>")  # fmt: skip
    out.append('<h2>6. Anexos: documentos originales</h2><ol id="annex">')
    for number, doc in enumerate(report.annex, start=1):
        out.append(
            f"<li>Anexo {number}. {e(doc.title)} — SHA-256 <code>{e(doc.document_id)}</code> — {e(doc.media_type)}, {e(_size(doc.size))}</li>"
        )
    out.append("</ol>")
    if report.pseudonymised:
        out.append(f"<p>{e(RESERVED_ANNEX)}</p>")
    out.append(f"<p>{e(CLOSING)}</p></body></html>")
    return "\n".join(out) + "\n"


PdfLine = tuple[str, float, bool, float]  # text, size, bold, indent


def _pdf_paths(report: AssociationReport) -> list[PdfLine]:
    out: list[PdfLine] = []
    for pair in report.pairs:
        out.append((f"{pair.source} ↔ {pair.target}", 11, True, 0))
        if not pair.paths:
            out.append(("Ningún camino los une.", 9, False, 0))
        for number, path in enumerate(pair.paths, start=1):
            out.append((f"Camino {number} ({len(path.steps)} saltos): {' → '.join(path.labels)}", 10, True, 0))
            for step in path.steps:
                out.append((f"{step.source} → {step.target}", 9, True, 3))
                for rel in step.relationships:
                    out.append((_relationship_line(rel), 9, False, 6))
                    for c in rel.citations:
                        out += [(f"«{c.quote}»", 9, False, 9), (_citation_line(c), 7, False, 9)]
    return out


def _pdf_elements(report: AssociationReport) -> list[PdfLine]:
    out: list[PdfLine] = []
    for person in report.elements:
        out += [(person.label, 10, True, 0), (_gaps_line(person), 8, False, 3)]
        for group, element, lines in _element_rows(person):
            out.append((f"{group} — {element}: {len(lines)} frase(s)", 8, True, 3))
            out += [(_element_line(line), 7, False, 6) for line in lines]
    return out


def _pdf_decisions(report: AssociationReport) -> list[PdfLine]:
    out: list[PdfLine] = []
    for node in (n for n in report.nodes if n.decisions):
        out.append((f"{node.label} ({node.member_count} registros)", 10, True, 0))
        for d in node.decisions:
            score = "" if d.score is None else f", puntaje {d.score:.3f}"
            out.append((f"{d.left} = {d.right}: {term('decision', d.decision)}, {d.by}, {fecha(d.at)}{score}. {d.reason}", 8, False, 3))
    return out


def render_pdf(report: AssociationReport, originals: Originals | None = None) -> bytes:
    """The same content as the HTML, set with fpdf2 in DejaVu Sans (any script a name is written
    in), with an outline; the originals the annex marks as attached go inside the file."""
    from fpdf import FPDF

    if not PDF_FONT.is_file() or not PDF_FONT_BOLD.is_file():
        raise ConfigurationError(f"the PDF font {PDF_FONT} is missing: install Debian's fonts-dejavu-core (make install does)")
    pdf = FPDF(format="A4")
    stamp = datetime.fromisoformat(report.generated_at.rstrip("Z")).replace(tzinfo=timezone.utc)
    pdf.set_creation_date(stamp)  # the only date inside the file, so equal reports are equal bytes
    pdf.set_producer("Telaraña")
    pdf.set_title(TITLE)
    pdf.add_font("DejaVu", "", str(PDF_FONT))
    pdf.add_font("DejaVu", "B", str(PDF_FONT_BOLD))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def text(value: str, size: float = 9, bold: bool = False, indent: float = 0) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, size * 0.5, value, new_x="LMARGIN", new_y="NEXT")

    def section(title: str) -> None:
        pdf.ln(3)
        pdf.start_section(title)
        text(title, 12, bold=True)

    text(TITLE, 14, bold=True)
    text(OFFENCE, 9)
    for line in _stamp_lines(report):
        text(line)
    section("1. Criterios de inclusión")
    for rule in report.rules:
        text(f"• {rule}", 8, indent=3)
    for lo in report.left_out:
        text(f"Excluido ({lo.what}): {lo.label} — {lo.why}", 8, indent=3)
    section("2. Vínculos y su soporte documental")
    for line, size, bold, indent in _pdf_paths(report):
        text(line, size, bold, indent)
    if report.elements:
        section("3. Elementos del tipo penal por persona")
        for line, size, bold, indent in _pdf_elements(report):
            text(line, size, bold, indent)
    section("4. Decisiones de identidad en que se apoya")
    for line, size, bold, indent in _pdf_decisions(report):
        text(line, size, bold, indent)
    section("5. Correcciones del analista que refleja")
    for correction in report.corrections or [None]:
        text(_correction_line(correction) if correction else "Ninguna.", 8, indent=3)
    section("6. Anexos: documentos originales")
    for number, doc in enumerate(report.annex, start=1):
        text(f"Anexo {number}. {doc.title} — SHA-256 {doc.document_id} — {doc.media_type}, {_size(doc.size)}"
             + (" — adjunto a este PDF" if doc.attached else ""), 8)  # fmt: skip
        data = originals.read(doc.document_id) if doc.attached and originals is not None else None
        if data is not None:
            pdf.embed_file(bytes=data, basename=f"anexo-{number:02d}-{doc.document_id[:12]}{_extension(doc.media_type)}", modification_date=stamp,
                           creation_date=stamp, mime_type=doc.media_type, desc=f"Anexo {number}: {doc.title} (SHA-256 {doc.document_id})", compress=True)  # fmt: skip
    if report.pseudonymised:
        text(RESERVED_ANNEX, 8)
    pdf.ln(3)
    text(CLOSING, 8)
    return bytes(pdf.output())


_EXTENSIONS = {"text/plain": ".txt", "application/pdf": ".pdf", "text/csv": ".csv", "message/rfc822": ".eml", "image/png": ".png",
               "image/jpeg": ".jpg", "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx"}  # fmt: skip


def _extension(media_type: str) -> str:
    return _EXTENSIONS.get(media_type, "")
