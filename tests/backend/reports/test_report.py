"""The association-evidence report: the right sentences cited with their documents' SHA-256,
the decisions relied on, reproducible bytes, and victims pseudonymised everywhere."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from backend.analysis.graph import case_graph
from backend.domain.errors import InvalidRecordError
from backend.domain.legal_elements import LEGAL_ELEMENTS
from backend.domain.model import Batch, EntityMark, RelType
from backend.domain.vocabulary import relationship_label
from backend.graph.canonical import Clusters
from backend.reports.report import WITHHELD, association_report, pseudonym_for, render_html, render_pdf
from ingest import sample_case_builder as story
from tests import factories as f

WHEN = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)
KEY = "test-pseudonym-key"


def _person(store, full_name: str) -> str:
    graph = case_graph(store)
    [found] = [i for i, e in graph.entities.items() if str(e.type) == "Person" and e.label == full_name]
    return found


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_recruiter_to_victim_cites_the_sentences_that_tie_them(sample_case):
    paisa, yuliana = _person(sample_case, story.PAISA), _person(sample_case, story.YULIANA)
    report = association_report(sample_case, [paisa, yuliana], user="user:fiscal.rojas", generated_at=WHEN)
    [pair] = report.pairs
    assert pair.source == story.PAISA and pair.target == story.YULIANA and pair.paths
    direct = pair.paths[0]
    assert len(direct.steps) == 1  # the complaint ties them directly
    citations = [c for rel in direct.steps[0].relationships for c in rel.citations]
    complaint = (story.FOLDER / "01_denuncia_madre_pereira.txt").read_bytes()
    cited = [c for c in citations if c.document_id == hashlib.sha256(complaint).hexdigest()]
    assert cited, [c.document_title for c in citations]
    assert any("El Paisa les pagó los pasajes" in c.quote for c in cited)
    text = sample_case.get_document(cited[0].document_id).text
    assert all(c.quote in text.replace("\n", " ") or c.quote in text for c in cited)
    # The flight path cites the manifest row, with its row number.
    rows = [c for p in pair.paths for s in p.steps for r in s.relationships for c in r.citations if c.row]
    assert any(c.quote.startswith("RIOS CASTAÑO YULIANA ANDREA | AT482915") for c in rows)
    # El Paisa is a resolved person: the report lists the "same" judgements it relies on.
    paisa_node = next(n for n in report.nodes if n.id == paisa)
    assert paisa_node.member_count > 1 and paisa_node.decisions
    assert all(d.decision == "same" and d.by.startswith(("rule:", "user:")) and d.at for d in paisa_node.decisions)
    html = render_html(report)
    assert "El Paisa les pagó los pasajes" in html and hashlib.sha256(complaint).hexdigest() in html
    assert "fiscal.rojas" in html and report.data_version in html and "24/11/2026 09:30 UTC" in html  # dates as Spanish readers write them
    pdf = _pdf_text(render_pdf(report))
    assert "El Paisa les pagó los pasajes" in pdf.replace("\n", " ") and report.data_version[:16] in pdf


def test_same_data_same_report_and_new_evidence_changes_the_version(sample_case_copy):
    store = sample_case_copy
    ids = [_person(store, story.PAISA), _person(store, story.MADRINA)]
    first = association_report(store, ids, user="user:ana", generated_at=WHEN)
    again = association_report(store, ids, user="user:ana", generated_at=WHEN)
    assert render_html(first) == render_html(again) and render_pdf(first) == render_pdf(again)
    later = association_report(store, ids, user="user:otro", generated_at=datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert later.data_version == first.data_version  # the stamp is not part of the data
    doc = f.document("El Paisa y La Madrina se reunieron en Cali.", title="Nota nueva")
    entities = store.entities(ids)
    store.write(Batch(cases=(f.case(),), documents=(doc,), relationships=(
        f.relationship(RelType.ASSOCIATED_WITH, entities[ids[0]], entities[ids[1]], doc, "El Paisa y La Madrina se reunieron en Cali.",
                       properties={"kind": "other"}),)))  # fmt: skip
    changed = association_report(store, ids, user="user:ana", generated_at=WHEN)
    assert changed.data_version != first.data_version
    assert "El Paisa y La Madrina se reunieron en Cali." in render_html(changed)


def test_victims_are_pseudonymised_in_names_quotes_titles_and_numbers(sample_case_copy):
    store = sample_case_copy
    paisa, yuliana = _person(store, story.PAISA), _person(store, story.YULIANA)
    marked = Clusters(store).members(yuliana)[-1]
    store.add_mark(EntityMark.new(marked, "victim", True, "user:ana", reason="víctima según la denuncia"))
    report = association_report(store, [paisa, yuliana], user="user:ana", pseudonymise=True, pseudonym_key=KEY, generated_at=WHEN)
    alias = pseudonym_for(marked, KEY)
    assert report.pairs[0].target == alias and report.pseudonymised
    html, pdf = render_html(report), _pdf_text(render_pdf(report))
    for shown in (html, pdf):
        for secret in ("Yuliana", "YULIANA", "Ríos Castaño", "RIOS CASTAÑO", "AT482915", "1088345672", "1.088.345.672"):
            assert secret not in shown, secret
        assert alias in shown and story.PAISA in shown  # only the victim is hidden
    assert WITHHELD in html
    # Stable: the same victim gets the same pseudonym in another report.
    other = association_report(store, [_person(store, story.MADRINA), yuliana], user="user:ana", pseudonymise=True, pseudonym_key=KEY)
    assert other.pairs[0].target == alias
    plain = association_report(store, [paisa, yuliana], user="user:ana", generated_at=WHEN)
    assert plain.pairs[0].target == story.YULIANA


def test_a_report_needs_two_to_eight_entities(sample_case):
    paisa = _person(sample_case, story.PAISA)
    with pytest.raises(InvalidRecordError, match="between 2 and 8"):
        association_report(sample_case, [paisa, paisa], user="user:ana")


def _report_relationship_ids(report) -> set[str]:
    return {r.id for pair in report.pairs for p in pair.paths for s in p.steps for r in s.relationships}


def test_a_rejected_link_never_reaches_a_report_and_the_report_lists_the_corrections(tmp_path):
    from backend.graph import corrections
    from backend.store.corrected import CorrectedStore
    from backend.store.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "c.sqlite3")
    story_graph = f.story()
    store.write(story_graph.batch())
    recruiter, luisa = story_graph.people["recruiter"].id, story_graph.people["luisa"].id
    recruited = story_graph.relationships["recruited"].id
    before = association_report(CorrectedStore(store), [recruiter, luisa], user="user:ana")
    assert recruited in _report_relationship_ids(before) and not before.corrections
    rejected = corrections.reject_link(store, recruited, "ana", "la víctima se retractó en la ampliación", "caso-1")
    after = association_report(CorrectedStore(store), [recruiter, luisa], user="user:ana")
    assert recruited not in _report_relationship_ids(after) and after.data_version != before.data_version
    assert [(c.kind, c.subject, c.reason) for c in after.corrections] == [
        ("reject_link", recruited, "la víctima se retractó en la ampliación")
    ]
    html = render_html(after)
    assert "vínculo rechazado" in html and "la víctima se retractó en la ampliación" in html
    assert "Correcciones del analista" in _pdf_text(render_pdf(after))
    corrections.undo_correction(store, rejected.id, "ana", "error de lectura")
    again = association_report(CorrectedStore(store), [recruiter, luisa], user="user:ana")
    assert recruited in _report_relationship_ids(again) and not again.corrections
    # A link the analyst asserts is cited as the analyst's, not as a document.
    flight = story_graph.things["flight"].id
    corrections.add_link(store, "PASSENGER_ON", recruiter, flight, "ana", "lo vi abordar (vigilancia 3/5)", "caso-1")
    asserted = association_report(CorrectedStore(store), [recruiter, flight], user="user:ana")
    cited = [c for pair in asserted.pairs for p in pair.paths for s in p.steps for r in s.relationships for c in r.citations
             if c.method == "analyst"]  # fmt: skip
    assert cited and cited[0].quote == "lo vi abordar (vigilancia 3/5)"
    html = render_html(asserted)
    assert "Aserción del analista ana, no de un documento" in html and "analyst:caso-1" not in html
    assert "vínculo añadido por el analista" in html


# ----------------------------------------------------------------------------- the prosecutor's report builder


def _originals_of_the_sample(tmp_path):
    from backend.store.originals import Originals

    originals = Originals(tmp_path / "originals")
    for path in sorted(story.FOLDER.iterdir()):
        if path.is_file():
            originals.keep(path.read_bytes())
    return originals


def test_the_analyst_leaves_links_out_and_the_rules_leave_out_weak_co_mentions_and_hub_places(sample_case_copy):
    store = sample_case_copy
    ids = [_person(store, story.PAISA), _person(store, story.MADRINA)]
    whole = association_report(store, ids, user="user:ana", generated_at=WHEN)
    first_link = whole.pairs[0].paths[0].steps[0].relationships[0]
    chosen = association_report(store, ids, user="user:ana", generated_at=WHEN, leave_out=[first_link.id])
    assert first_link.id not in _report_relationship_ids(chosen)
    assert any(lo.why == "excluido por el analista" and relationship_label(first_link.type) in lo.label for lo in chosen.left_out)
    assert any("excluyó 1 vínculo" in rule for rule in chosen.rules)
    # Every place tied to two entities or more is a hub here: no path may pass through one.
    travelled = [_person(store, story.MADRINA), _person(store, story.YULIANA)]  # tied through terminals and airports
    strict = association_report(store, travelled, user="user:ana", generated_at=WHEN, hub_rule=True, hub_degree=2, weak_rule=True)
    graph = case_graph(store)
    places = {i for i, e in graph.entities.items() if str(e.type) in ("Location", "BusTerminal", "Airport")}
    assert all(not set(p.node_ids[1:-1]) & places for pair in strict.pairs for p in pair.paths)
    assert any("lugar concurrido" in lo.why for lo in strict.left_out)
    weak = [r for pair in strict.pairs for p in pair.paths for s in p.steps for r in s.relationships
            if r.type == "ASSOCIATED_WITH" and r.kind == "co_mentioned"]  # fmt: skip
    assert weak == []
    html = render_html(strict)
    assert "Criterios de inclusión" in html and "artículo 188A" in html and "lugar concurrido" in html


def test_the_report_holds_each_persons_elements_and_annexes_the_originals_with_their_sha256(sample_case_copy, tmp_path):
    store, originals = sample_case_copy, _originals_of_the_sample(tmp_path)
    ids = [_person(store, story.PAISA), _person(store, story.YULIANA)]
    report = association_report(store, ids, user="user:fiscal", elements=True, originals=originals, annex_originals=True)
    paisa = next(p for p in report.elements if p.label == story.PAISA)
    assert paisa.cells["recruitment"] and all(line.sentence for line in paisa.cells["recruitment"])
    assert list(paisa.cells) == list(LEGAL_ELEMENTS)  # every element, in the order of the law
    cited = {c.document_id for pair in report.pairs for p in pair.paths for s in p.steps for r in s.relationships for c in r.citations}
    annexed = {d.document_id for d in report.annex}
    assert cited - {""} <= annexed and all(d.attached and d.size for d in report.annex)
    pdf_bytes = render_pdf(report, originals)
    reader = PdfReader(io.BytesIO(pdf_bytes))
    attachments = reader.attachments
    assert len(attachments) == len(report.annex)
    for name, contents in attachments.items():
        assert any(hashlib.sha256(c).hexdigest() in {d.document_id for d in report.annex} for c in contents), name
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "6. Anexos: documentos originales" in outline and "3. Elementos del tipo penal por persona" in outline
    text = _pdf_text(pdf_bytes)
    assert "Anexo 1." in text and report.annex[0].document_id[:20] in text.replace("\n", "")
    # Made again from the same data, without a stamp given: the same bytes (the stamp is the data's own time).
    again = association_report(store, ids, user="user:fiscal", elements=True, originals=originals, annex_originals=True)
    assert (
        again.generated_at == report.generated_at
        and render_pdf(again, originals) == pdf_bytes
        and render_html(again) == render_html(report)
    )


def test_a_victim_is_one_pseudonym_in_every_part_and_what_a_rejected_link_tied_to_her_is_not_redacted(tmp_path):
    from backend.graph import corrections
    from backend.store.corrected import CorrectedStore
    from backend.store.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "v.sqlite3")
    g = f.story()
    store.write(g.batch())
    recruiter, luisa = g.people["recruiter"], g.people["luisa"]
    store.add_mark(EntityMark.new(luisa.id, "victim", True, "user:ana", reason="víctima", case_id="caso-1"))
    # A phone the recruiter uses, wrongly tied to her too by a rumour.
    note = f.document("El reclutador usa el 318 777 6655. Un rumor dice que Luisa usaría el 318 777 6655.", title="Nota de rumor")
    phone = f.entity("Phone", "+573187776655", properties={"e164": "+573187776655"})
    genuine = f.relationship(RelType.USES_PHONE, recruiter, phone, note, "El reclutador usa el 318 777 6655.")
    wrong = f.relationship(RelType.USES_PHONE, luisa, phone, note, "Un rumor dice que Luisa usaría el 318 777 6655.")
    store.write(Batch(documents=(note,), entities=(phone,), relationships=(genuine, wrong)))
    ids = [recruiter.id, luisa.id, phone.id]

    def made():
        return association_report(CorrectedStore(store), ids, user="user:ana", pseudonymise=True, pseudonym_key=KEY, elements=True,
                                  generated_at=WHEN)  # fmt: skip

    before = render_html(made())
    assert "El reclutador usa el " + WITHHELD in before  # while the link stands, the number is hers too
    corrections.reject_link(store, wrong.id, "ana", "el número es del reclutador, no de ella", "caso-1")
    report = made()
    html = render_html(report)
    assert "El reclutador usa el 318 777 6655." in html
    alias = pseudonym_for(luisa.id, KEY)
    assert report.pairs[0].target == alias and any(p.label == alias for p in report.elements)
    assert "Luisa" not in html and "Ríos" not in html and html.count(alias) >= 3  # paths, decisions or elements, and the stamp
    assert all(not d.attached for d in report.annex) and "anexo reservado" in html
