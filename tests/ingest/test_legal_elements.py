"""The legal elements of trafficking read from sentences: each element in Spanish and English,
with its cue and confidence; denied cues, the crime's own name, police capture and the transport
terminal left out. Sentences here are invented for the test."""

from __future__ import annotations

import pytest

from backend.domain.legal_elements import LEGAL_ELEMENTS, ElementGroup, elements_of
from ingest.legal_elements import CUES, sentences, tag_elements

EXAMPLES = [
    ("recruitment", "La señora Marleny captó a tres jóvenes del barrio con la promesa de un empleo."),
    ("recruitment", "El hombre le ofreció un trabajo de niñera en Panamá."),
    ("recruitment", "He recruited the women through a social media page."),
    ("transfer", "Las víctimas fueron trasladadas en un camión hasta Cúcuta."),
    ("transfer", "Ese mismo día cruzaron la frontera por una trocha."),
    ("transfer", "The defendant transported the girls across state lines."),
    ("harbouring", "Las mantuvieron hospedadas en una residencia del centro."),
    ("harbouring", "They were harboured in an apartment above the bar."),
    ("receipt", "En el aeropuerto las recibió un hombre que dijo ser el administrador."),
    ("deception", "Las jóvenes fueron engañadas con ofertas de trabajo como modelos."),
    ("deception", "He deceived the workers about the wages they would earn."),
    ("threat_force", "Les dijo que si hablaban con la policía las amenazaría a sus familias."),
    ("threat_force", "The victims were threatened with deportation."),
    ("abuse_of_vulnerability", "Se aprovechó de la situación de vulnerabilidad económica de la familia."),
    ("payment", "La madre recibió dinero cuando el tío vendió a la niña a un comerciante."),
    ("debt", "Le dijeron que tenía una deuda de tres millones por el pasaje."),
    ("debt", "The women were told they owed $40,000 for their transport."),
    ("document_retention", "Al llegar le quitaron el pasaporte y la cédula."),
    ("document_retention", "The employer confiscated their passports on arrival."),
    ("sexual_exploitation", "Las obligaban a ejercer la prostitución en un bar de Tulcán."),
    ("sexual_exploitation", "They profited from the commercial sex acts of the victims."),
    ("forced_labour", "Los hombres fueron sometidos a trabajos forzados en una mina."),
    ("forced_labour", "The workers were forced to work seven days a week."),
    ("servitude_slavery", "La joven vivía en condiciones de servidumbre doméstica."),
    ("begging", "Obligaba a los niños a la mendicidad en los semáforos."),
    ("servile_marriage", "La menor fue entregada en matrimonio servil a un hombre mayor."),
    ("organ_removal", "La red se dedicaba a la extracción de órganos."),
]


@pytest.mark.parametrize(("element", "sentence"), EXAMPLES)
def test_each_element_is_read_from_a_sentence_that_states_it(element, sentence):
    tags = tag_elements(sentence)
    found = [t for t in tags if t.element == element]
    assert found, [(t.element, t.cue) for t in tags]
    tag = found[0]
    assert sentence[tag.start : tag.end] == tag.cue and 0 < tag.confidence <= 1 and tag.method == "rule:legal_element"
    assert (tag.sentence_start, tag.sentence_end) == (0, len(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "No le quitaron el pasaporte en ningún momento.",  # denied
        "Delito: TRATA DE PERSONAS (art. 188A C.P.).",  # the crime's own name
        "El indiciado fue capturado en flagrancia.",  # police capture, not recruitment
        "Se verificó el listado en la Terminal de Transportes de Cali.",  # the terminal
        "The defendant pleaded guilty to sex trafficking.",  # the charge's name
    ],
)
def test_what_is_not_evidence_of_an_element_is_not_tagged(sentence):
    assert tag_elements(sentence) == []


def test_each_sentence_carries_its_own_tags_at_the_right_offsets():
    text = "PRIMER INFORME\n\nLa Tía captó a Yuliana en Pereira. Después la trasladó a Ipiales en bus.\nLe quitaron la cédula al llegar."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "PRIMER INFORME", "La Tía captó a Yuliana en Pereira.", "Después la trasladó a Ipiales en bus.", "Le quitaron la cédula al llegar."
    ]  # fmt: skip
    tags = {(t.element, text[t.sentence_start : t.sentence_end]) for t in tag_elements(text)}
    assert tags == {
        ("recruitment", "La Tía captó a Yuliana en Pereira."),
        ("transfer", "Después la trasladó a Ipiales en bus."),
        ("document_retention", "Le quitaron la cédula al llegar."),
    }


def test_every_element_has_its_names_and_every_cue_an_element():
    assert {e.group for e in LEGAL_ELEMENTS.values()} == set(ElementGroup)
    assert all(e.label_es and e.label_en for e in LEGAL_ELEMENTS.values())
    assert [e.key for e in elements_of(ElementGroup.ACTION)] == ["recruitment", "transfer", "harbouring", "receipt"]
    assert {c.element for c in CUES} == set(LEGAL_ELEMENTS)


@pytest.mark.parametrize("gold_name", ["gold_heldout.json", "gold_official.json", "gold_shared_case.json"])
def test_every_gold_quote_is_in_its_file_and_names_an_element(gold_name):
    import json
    from pathlib import Path

    from benchmarks.legal_elements import GOLD, OFFICIAL, evaluate

    gold = json.loads((GOLD / gold_name).read_text("utf-8"))
    folder = (
        OFFICIAL
        if gold_name != "gold_shared_case.json"
        else Path(__file__).resolve().parents[3] / "shared" / "cases" / "operacion-frontera" / "files"
    )
    assert {i["element"] for i in gold["items"]} <= set(LEGAL_ELEMENTS)
    assert {i["file"] for i in gold["items"]} <= set(gold["files"])
    counts, _ = evaluate(GOLD / gold_name, folder)  # stops with the quote's name if one is not found
    assert sum(c[0] for c in counts.values()) == len(gold["items"])
