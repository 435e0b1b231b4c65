"""Offsets index the text exactly, whatever it holds: one bad span never costs a document."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.domain.text import fold, fold_with_offsets, original_span
from backend.domain.vocabulary import EntityType
from backend.store.sqlite import SqliteStore
from ingest.extract import extract_document
from ingest.extraction import ExtractedMention
from ingest.pipeline import load_pipeline
from ingest.records import drop_unaligned_mentions, extraction_to_batch


def extract(text: str):
    return extract_document(hashlib.sha256(text.encode()).hexdigest(), "prueba", text, load_pipeline()(text))


def _aligned(extraction) -> list[str]:
    text = extraction.text
    return [
        f"{m.type} {m.text!r} at {m.start}:{m.end} holds {text[m.start : m.end]!r}"
        for m in extraction.mentions
        if text[m.start : m.end] != m.text or not m.text or m.text != m.text.strip()
    ]


def test_an_em_dash_earlier_in_the_text_does_not_shift_an_alias():
    text = "Informe — uno\nMe contactó la que le dicen la Tía.\nLa Tía me contó todo.\n"
    extraction = extract(text)
    aliases = [m for m in extraction.mentions if m.type == EntityType.PERSON]
    assert [m.text for m in aliases] == ["la Tía", "La Tía"]
    assert _aligned(extraction) == []


def test_names_with_double_spaces_are_read_and_their_spans_hold_no_edge_space():
    text = "Las víctimas  DANIELA  ALEJANDRA  GÓMEZ  RIVERA  y  KAREN  LIZETH  MONTOYA  PÉREZ  viajaron  en  bus."
    extraction = extract(text)
    persons = {m.normalized for m in extraction.mentions if m.type == EntityType.PERSON}
    assert {"Daniela Alejandra Gómez Rivera", "Karen Lizeth Montoya Pérez"} <= persons
    assert _aligned(extraction) == []


def test_folding_with_offsets_maps_every_folded_match_back_to_its_words():
    text = "Informe — uno, Ñandú Ｆｕｌｌ e\u0301 la Tía 👍 fin"
    folded, starts = fold_with_offsets(text)
    assert folded == "".join(fold(c) for c in text) and len(starts) == len(folded) + 1
    where = folded.index("la tia")
    start, end = original_span(starts, where, where + len("la tia"))
    assert text[start:end] == "la Tía"


def test_a_mention_that_does_not_match_its_span_is_left_out_with_a_warning_and_the_rest_is_stored(tmp_path):
    text = "Luisa Fernanda Ríos usa el celular 312 456 7890."
    extraction = extract(text)
    good = len(extraction.mentions)
    extraction.mentions.append(
        ExtractedMention(EntityType.PERSON, "Luisa ", "Luisa", 0, 6, 0, len(text), "rule:test", 0.5, key="luisa fernanda rios")
    )
    warnings = drop_unaligned_mentions(extraction)
    assert len(warnings) == 1 and "'Luisa '" in warnings[0] and len(extraction.mentions) == good
    with SqliteStore(tmp_path / "s.sqlite3") as store:
        store.write(extraction_to_batch(extraction))
        assert store.counts()["mentions"] == good


# Text as case files hold it: Spanish and English words, names, aliases and phones, between
# em dashes, non-breaking and double spaces, CRLF line ends, combining accents and emoji.
PIECES = st.sampled_from(
    [
        "Informe — uno", "la que le dicen la Tía", "La Tía", "alias 'El Mono'", "KAREN  LIZETH  MONTOYA  PÉREZ",
        "Jhon Jairo Ospina Cardona", "310 456 7821", "C.C. No. 10.123.456", "viajó en bus de Pereira a Bogotá",
        "e\u0301l dijo", "\u00a0", "  ", "\r\n", "\n\n", "👍🏽", "—", "ﬁn", "Ｆｕｌｌ", ".", ",", "Señora María López de Ruiz",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=12)), min_size=1, max_size=25).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_every_mention_indexes_the_text_exactly_and_the_document_is_stored(tmp_path_factory, text):
    extraction = extract(text)
    assert _aligned(extraction) == []
    assert drop_unaligned_mentions(extraction) == []
    with SqliteStore(tmp_path_factory.mktemp("spans") / "s.sqlite3") as store:
        store.write(extraction_to_batch(extraction))
        document = store.get_document(extraction.document_id)
        assert document.text == text
        for mention in store.document_mentions(extraction.document_id):
            assert document.text[mention.start : mention.end] == mention.text
