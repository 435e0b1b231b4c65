"""Search words: a number written in groups is one number; a code with letters stays a word."""

from __future__ import annotations

import pytest
from unidecode import unidecode

from backend.domain.text import entity_search_terms, fold, number_suffixes, search_terms


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("3104567821", ["3104567821"]),
        ("310-456-7821", ["3104567821"]),
        ("(310) 456 78 21", ["3104567821"]),
        ("+57 310 456 7821", ["573104567821"]),
        ("CC 1.094.567.890", ["cc", "1094567890"]),
        ("V-12.345.678", ["v", "12345678"]),
        ("PASSPORT G33445566", ["passport", "g33445566"]),  # letters and digits: one word
        ("AV204 12/03/2018", ["av204", "12", "03", "2018"]),  # a slash splits: dates stay dates
        ("calle 19 # 4-56", ["calle", "19", "4", "56"]),  # fewer than 7 digits: words
        ("Pérez", ["perez"]),
    ],
)
def test_entity_search_terms_read_numbers_as_analysts_write_them(query, terms):
    assert entity_search_terms(query) == terms


def test_document_search_keeps_the_words_as_written():
    assert search_terms("310-456-7821") == ["310", "456", "7821"]


def test_a_number_is_indexed_with_its_tails_of_seven_digits_or_more():
    assert number_suffixes("+573104567821") == ["73104567821", "3104567821", "104567821", "04567821", "4567821"]
    assert number_suffixes("CC 1234567") == [] and number_suffixes("PASSPORT G33445566") == ["3445566"]


@pytest.mark.parametrize("text", [
    "José PÉREZ Gómez", "Ñandú «Peña» — 3º piso…", "Straße Œuvre ﬁn", "Мария Иванова", "北京 Ⅳ ½ €", "Ōsaka\u00a0\u200b", "ABC",
])  # fmt: skip
def test_folding_is_unidecode_of_the_text_without_its_accents_lowercased(text):
    import unicodedata

    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not "\u0300" <= ch <= "\u036f")
    assert fold(text) == unidecode(stripped).lower()
    assert fold(text * 3) == fold(text) * 3  # a character folds alike wherever it stands
