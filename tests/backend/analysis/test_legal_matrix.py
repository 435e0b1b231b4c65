"""The elements matrix of a person: the sentences about them that evidence each legal element,
what the interviewee says of themself in the first person, the gaps, and the minor rule.
Documents here are invented for the test."""

from __future__ import annotations

import pytest

from backend.analysis.graph import case_graph
from backend.analysis.legal_matrix import element_matrix
from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import Batch, EntityType
from backend.graph import corrections
from backend.store.sqlite import SqliteStore
from tests import factories as f

INTERVIEW = (
    "ENTREVISTA — FPJ-14\nDATOS DEL ENTREVISTADO\nNombres: MARTA LUCÍA ROJAS\n\n"
    "RELATO\nUna señora me ofreció trabajo de niñera en Quito. Al llegar nos quitaron los pasaportes. "
    "El conductor se fue sin decir nada.\n"
)
REPORT = "INFORME. Se estableció que ALBA NURY PÉREZ captó a la joven MARTA LUCÍA ROJAS en Pereira y la trasladó a Ipiales en bus.\n"
MINOR = "INFORME. La menor de edad SARA GIL, de 15 años, fue llevada por ALBA NURY PÉREZ a un bar de Tulcán donde la obligaban a la prostitución.\n"


def _mention(doc, name, entity):
    start = doc.text.index(name)
    sentence_start = doc.text.rfind(". ", 0, start) + 2 if ". " in doc.text[:start] else 0
    sentence_end = doc.text.find(".", start) + 1
    return f.mention(doc, name, entity).model_copy(update={"sentence": doc.text[sentence_start:sentence_end]})


@pytest.fixture
def story(tmp_path):
    interview, report, minor_report = (
        f.document(t, title=title) for t, title in ((INTERVIEW, "Entrevista"), (REPORT, "Informe"), (MINOR, "Informe 2"))
    )
    marta, alba, sara = (f.entity(EntityType.PERSON, n) for n in ("Marta Lucía Rojas", "Alba Nury Pérez", "Sara Gil"))
    mentions = (
        _mention(interview, "MARTA LUCÍA ROJAS", marta), _mention(report, "MARTA LUCÍA ROJAS", marta), _mention(report, "ALBA NURY PÉREZ", alba),
        _mention(minor_report, "SARA GIL", sara), _mention(minor_report, "ALBA NURY PÉREZ", alba),
    )  # fmt: skip
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(Batch(cases=(f.case(),), documents=(interview, report, minor_report), entities=(marta, alba, sara), mentions=mentions))
        yield store, case_graph(store, "caso-1"), {"marta": marta, "alba": alba, "sara": sara}


def _cells(matrix):
    return {c.element: c.evidence for c in matrix.cells if c.evidence}


def test_a_victims_matrix_holds_what_she_says_in_her_interview_and_what_reports_say_of_her(story):
    store, graph, people = story
    matrix = element_matrix(store, graph, people["marta"].id)
    cells = _cells(matrix)
    assert set(cells) == {"recruitment", "transfer", "document_retention"}
    assert [e.cue for e in cells["document_retention"]] == ["quitaron los pasaportes"]
    assert {e.document_title for e in cells["recruitment"]} == {"Entrevista", "Informe"}
    evidence = cells["transfer"][0]
    assert evidence.sentence[evidence.cue_start : evidence.cue_end] == evidence.cue
    # The driver's sentence is not hers: no first person, no element attributed to her from it.
    assert all("conductor" not in e.sentence for evs in cells.values() for e in evs)
    assert matrix.gaps == ["purpose"] and not matrix.minor


def test_a_minor_needs_no_means_and_the_matrix_says_why(story):
    store, graph, people = story
    matrix = element_matrix(store, graph, people["sara"].id)
    assert matrix.minor and "15 años" in matrix.minor_reason
    assert set(_cells(matrix)) == {"sexual_exploitation"} and matrix.gaps == ["action"]  # no "means": she is 15


def test_a_suspect_without_any_sentence_of_means_shows_the_gap(story):
    store, graph, people = story
    matrix = element_matrix(store, graph, people["alba"].id)
    assert {"recruitment", "transfer", "sexual_exploitation"} <= set(_cells(matrix))
    assert matrix.gaps == ["means"]


@pytest.mark.parametrize(
    ("sentence", "name", "minor"),
    [
        ("Se fue DANIELA GÓMEZ, de 19 años, con la amiga.", "DANIELA GÓMEZ", False),
        ("Se fue DANIELA GÓMEZ, de 16 años, con la amiga.", "DANIELA GÓMEZ", True),
        ("La menor de edad SARA GIL viajó sola.", "SARA GIL", True),
        ("La menor SARA GIL, de 15 años, fue llevada por ALBA NURY PÉREZ al bar.", "ALBA NURY PÉREZ", False),
        ("He recruited a 16-year-old, Ana Ruiz, in Houston.", "Ana Ruiz", True),
    ],
)
def test_an_age_is_the_persons_only_when_it_is_said_next_to_their_name(sentence, name, minor):
    from backend.analysis.legal_matrix import _minor

    assert (_minor({}, [(sentence, name)]) is not None) is minor


def test_a_date_of_birth_under_eighteen_years_ago_makes_a_minor():
    from datetime import date

    from backend.analysis.legal_matrix import _minor

    assert _minor({"dob": f"{date.today().year - 10}-01-01"}, []) is not None
    assert _minor({"dob": "1990-05-01"}, []) is None


def test_an_analyst_rejects_a_tag_adds_an_element_and_undoes_both_and_the_matrix_follows(story):
    store, _, people = story
    marta = people["marta"].id
    before = element_matrix(store, case_graph(store, "caso-1"), marta)
    wrong = _cells(before)["transfer"][0]
    rejection = corrections.reject_element(
        store, marta, "transfer", wrong.tag_id, "ana", "el traslado lo hizo el conductor, no consta que ella"
    )
    addition = corrections.add_element(store, marta, "debt", "Le dijeron que debía pagar el pasaje con trabajo.", "ana",
                                       "lo dijo en la ampliación de la entrevista")  # fmt: skip
    after = element_matrix(store, case_graph(store, "caso-1"), marta)
    cells = _cells(after)
    assert "transfer" not in cells and "recruitment" in cells
    assert [(r.element, r.sentence, r.by, r.reason) for r in after.rejected] == [
        ("transfer", wrong.sentence, "user:ana", "el traslado lo hizo el conductor, no consta que ella")
    ]
    added = cells["debt"][0]
    assert (added.method, added.by, added.correction_id, added.sentence) == (
        "analyst",
        "user:ana",
        addition.id,
        "Le dijeron que debía pagar el pasaje con trabajo.",
    )
    assert after.gaps == ["purpose"]  # means were there already (the passports)
    for made in (rejection, addition):
        corrections.undo_correction(store, made.id, "ana", "revisado")
    again = element_matrix(store, case_graph(store, "caso-1"), marta)
    assert _cells(again).keys() == _cells(before).keys() and not again.rejected


@pytest.mark.parametrize(
    ("element", "subject", "reason", "problem"),
    [
        ("no_such_element", "marta", "x", "legal element"),
        ("debt", "marta", "", "reason"),
        ("debt", "document", "x", "person"),
    ],
)
def test_an_element_correction_names_a_known_element_a_person_and_a_reason(story, element, subject, reason, problem):
    store, _, people = story
    subject_id = people["marta"].id if subject == "marta" else "doc:none"
    with pytest.raises((InvalidRecordError, NotFoundError)) as raised:
        corrections.reject_element(store, subject_id, element, "tag:1", "ana", reason, case="caso-1")
    assert problem in str(raised.value)


def test_what_the_interviewee_says_in_the_first_person_is_hers_not_that_of_a_suspect_she_names_early(tmp_path):
    text = ("ENTREVISTA — FPJ-14\nNombres: MARTA LUCÍA ROJAS\n\nRELATO\nALBA NURY PÉREZ me ofreció trabajo de niñera en Quito. "
            "Al llegar nos quitaron los pasaportes.\n")  # fmt: skip
    interview = f.document(text, title="Entrevista")
    marta, alba = f.entity(EntityType.PERSON, "Marta Lucía Rojas"), f.entity(EntityType.PERSON, "Alba Nury Pérez")
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(Batch(cases=(f.case(),), documents=(interview,), entities=(marta, alba),
                          mentions=(_mention(interview, "MARTA LUCÍA ROJAS", marta), _mention(interview, "ALBA NURY PÉREZ", alba))))  # fmt: skip
        graph = case_graph(store, "caso-1")
        hers, suspects = element_matrix(store, graph, marta.id), element_matrix(store, graph, alba.id)
    assert _cells(hers).keys() >= {"recruitment", "document_retention"}
    assert "recruitment" in _cells(suspects) and "document_retention" not in _cells(suspects)


def test_an_interview_in_reported_speech_is_the_interviewees_too(tmp_path):
    text = ("ENTREVISTA FPJ-14\nEntrevistada: LUZ MERY CANO, cédula 1.004.567.213.\n\n"
            "La entrevistada manifiesta que conoció a alias El Mono en Pereira. Refiere que al llegar le quitaron el pasaporte. "
            "El hotel quedaba cerca de la terminal.\n")  # fmt: skip
    interview = f.document(text, title="Entrevista")
    luz = f.entity(EntityType.PERSON, "Luz Mery Cano")
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(
            Batch(cases=(f.case(),), documents=(interview,), entities=(luz,), mentions=(_mention(interview, "LUZ MERY CANO", luz),))
        )
        matrix = element_matrix(store, case_graph(store, "caso-1"), luz.id)
    assert [e.cue for e in _cells(matrix)["document_retention"]] == ["quitaron el pasaporte"]
