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

from pydantic import BaseModel

from backend.domain.errors import ConfigurationError, InvalidRecordError
from backend.domain.model import ANALYST_METHOD, CorrectionKind, EntityDetail, GraphFilter, Judgement, MarkKind, RelType
from backend.domain.vocabulary import relationship_label, term
from backend.graph import traversal
from backend.graph.canonical import Clusters, merged_entity
from backend.store.interface import GraphStore

MAX_REPORT_ENTITIES = 8
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


class AssociationReport(BaseModel):
    entity_ids: list[str]
    k: int
    max_hops: int
    pseudonymised: bool
    pairs: list[ReportPair]
    nodes: list[ReportNode]
    corrections: list[ReportCorrection] = []
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
) -> AssociationReport:  # fmt: skip
    ids = list(dict.fromkeys(entity_ids))
    if not 2 <= len(ids) <= MAX_REPORT_ENTITIES:
        raise InvalidRecordError("report", None, f"name between 2 and {MAX_REPORT_ENTITIES} different entities (got {len(ids)})")
    if pseudonymise and not pseudonym_key:
        raise ConfigurationError("pseudonymised reports need TELARANA_PSEUDONYM_KEY")
    clusters = Clusters(store)
    found = {(a, b): traversal.paths(store, a, b, k=k, max_hops=max_hops, filters=filters, canon=clusters) for a, b in combinations(ids, 2)}
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
    when = (generated_at or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    made = AssociationReport(entity_ids=ids, k=k, max_hops=max_hops, pseudonymised=pseudonymise, pairs=pairs, nodes=nodes,
                             corrections=reflected, generated_at=when, generated_by=user, data_version="")  # fmt: skip
    stated = made.model_dump(mode="json", exclude={"generated_at", "generated_by", "data_version"})
    made.data_version = hashlib.sha256(json.dumps(stated, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    return made


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


def render_html(report: AssociationReport) -> str:
    e = html.escape
    out = ['<!doctype html><html lang="es"><head><meta charset="utf-8">', "<title>Informe de asociación</title>",
           f"<style>{_CSS}</style></head><body>", "<h1>Informe de evidencia de asociación</h1>",
           '<div class="stamp">', f"<p>Generado: {e(fecha(report.generated_at))} UTC por {e(report.generated_by.removeprefix('user:'))}</p>",
           f"<p>Versión de los datos: <code>{e(report.data_version)}</code></p>",
           f"<p>Entidades: {e(', '.join(p for p in dict.fromkeys([x for pair in report.pairs for x in (pair.source, pair.target)])))}; "
           f"hasta {report.k} caminos por par, de {report.max_hops} saltos como máximo"
           + ("; víctimas seudonimizadas" if report.pseudonymised else "") + "</p></div>"]  # fmt: skip
    for pair in report.pairs:
        out.append(f"<h2>{e(pair.source)} ↔ {e(pair.target)}</h2>")
        if not pair.paths:
            out.append("<p>Ningún camino los une" + (" dentro del límite de búsqueda" if pair.truncated else "") + ".</p>")
        for number, path in enumerate(pair.paths, start=1):
            out.append(f"<h3>Camino {number} ({len(path.steps)} saltos): {e(' → '.join(path.labels))}</h3>")
            for step in path.steps:
                out.append(f"<p><strong>{e(step.source)} → {e(step.target)}</strong></p>")
                for rel in step.relationships:
                    out.append(f'<div class="rel"><p>{e(_relationship_line(rel))}</p>')
                    for c in rel.citations:
                        out.append(f'<blockquote>{e(c.quote)}</blockquote><p class="cite">{e(_citation_line(c))}</p>')
                    out.append("</div>")
    merged = [n for n in report.nodes if n.decisions]
    out.append("<h2>Decisiones de resolución en que se apoya</h2>")
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
    out.append("<h2>Correcciones del analista que refleja</h2>")
    out.append("<ul>" + "".join(f"<li>{e(_correction_line(c))}</li>" for c in report.corrections) + "</ul>" if report.corrections
               else "<p>Ninguna.</p>")  # fmt: skip
    out.append("<h2>Documentos citados</h2><ul>")
    for document_id, title in report.documents.items():
        out.append(f"<li>{e(title)} — SHA-256 <code>{e(document_id)}</code></li>")
    out.append("</ul></body></html>")
    return "\n".join(out) + "\n"


def render_pdf(report: AssociationReport) -> bytes:
    """The same content as the HTML, set with fpdf2 in DejaVu Sans (any script a name is written in)."""
    from fpdf import FPDF

    if not PDF_FONT.is_file() or not PDF_FONT_BOLD.is_file():
        raise ConfigurationError(f"the PDF font {PDF_FONT} is missing: install Debian's fonts-dejavu-core (make install does)")
    pdf = FPDF(format="A4")
    stamp = datetime.fromisoformat(report.generated_at.rstrip("Z")).replace(tzinfo=timezone.utc)
    pdf.set_creation_date(stamp)  # the only date inside the file, so equal reports are equal bytes
    pdf.set_producer("Telaraña")
    pdf.set_title("Informe de evidencia de asociación")
    pdf.add_font("DejaVu", "", str(PDF_FONT))
    pdf.add_font("DejaVu", "B", str(PDF_FONT_BOLD))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def text(value: str, size: float = 9, bold: bool = False, indent: float = 0) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, size * 0.5, value, new_x="LMARGIN", new_y="NEXT")

    text("Informe de evidencia de asociación", 15, bold=True)
    text(f"Generado: {fecha(report.generated_at)} UTC por {report.generated_by.removeprefix('user:')}")
    text(f"Versión de los datos: {report.data_version}")
    text(
        f"Hasta {report.k} caminos por par, de {report.max_hops} saltos como máximo"
        + ("; víctimas seudonimizadas" if report.pseudonymised else "")
    )
    for pair in report.pairs:
        pdf.ln(3)
        text(f"{pair.source} ↔ {pair.target}", 12, bold=True)
        if not pair.paths:
            text("Ningún camino los une.")
        for number, path in enumerate(pair.paths, start=1):
            text(f"Camino {number} ({len(path.steps)} saltos): {' → '.join(path.labels)}", 10, bold=True)
            for step in path.steps:
                text(f"{step.source} → {step.target}", 9, bold=True, indent=3)
                for rel in step.relationships:
                    text(_relationship_line(rel), 9, indent=6)
                    for c in rel.citations:
                        text(f"«{c.quote}»", 9, indent=9)
                        text(_citation_line(c), 7, indent=9)
    pdf.ln(3)
    text("Decisiones de resolución en que se apoya", 12, bold=True)
    for node in (n for n in report.nodes if n.decisions):
        text(f"{node.label} ({node.member_count} registros)", 10, bold=True)
        for d in node.decisions:
            score = "" if d.score is None else f", puntaje {d.score:.3f}"
            text(f"{d.left} = {d.right}: {term('decision', d.decision)}, {d.by}, {fecha(d.at)}{score}. {d.reason}", 8, indent=3)
    pdf.ln(3)
    text("Correcciones del analista que refleja", 12, bold=True)
    for correction in report.corrections:
        text(_correction_line(correction), 8, indent=3)
    if not report.corrections:
        text("Ninguna.", 8, indent=3)
    pdf.ln(3)
    text("Documentos citados", 12, bold=True)
    for document_id, title in report.documents.items():
        text(f"{title} — SHA-256 {document_id}", 8)
    return bytes(pdf.output())
