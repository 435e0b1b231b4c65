from __future__ import annotations

import pytest

from backend.domain.dates import find_dates, parse_date


@pytest.mark.parametrize(
    "text, iso",
    [
        ("el 12 de marzo de 2018 salió", "2018-03-12"),
        ("el 12 de marzo del 2018", "2018-03-12"),
        ("marzo 12 de 2018", "2018-03-12"),
        ("fecha 12/03/2018", "2018-03-12"),
        ("12-03-2018", "2018-03-12"),
        ("2018-03-12", "2018-03-12"),
        ("12-mar-2018", "2018-03-12"),
        ("on 12 March 2018", "2018-03-12"),
        ("on March 12, 2018", "2018-03-12"),
        ("1º de septiembre de 2019", "2019-09-01"),
    ],
)
def test_spanish_and_english_dates_become_iso(text, iso):
    assert [f.value for f in find_dates(text)] == [iso]


def test_a_date_without_year_takes_the_last_year_written():
    found = find_dates("El 9 de marzo de 2018 salieron; el 12 de marzo abordaron el vuelo.")
    assert [f.value for f in found] == ["2018-03-09", "2018-03-12"]
    assert found[1].text == "12 de marzo"


def test_impossible_dates_and_yearless_dates_without_context_are_not_dates():
    assert find_dates("el 31/02/2018 y el 14 de marzo") == []


def test_parse_date_keeps_the_time_of_a_cell():
    assert parse_date("09/03/2018 22:30") == "2018-03-09T22:30:00"
    assert parse_date("2018-03-12") == "2018-03-12"
    assert parse_date("12 de marzo de 2018 a las 10:15 pm") == "2018-03-12T22:15:00"
    assert parse_date("sin fecha") is None


@pytest.mark.parametrize(
    "text, iso",
    [
        ("trece (13) de marzo de dos mil veinticuatro (2024)", "2024-03-13"),
        ("quince (15) de abril de dos mil veinticuatro (2024)", "2024-04-15"),
        ("quince (15) de marzo de 2024", "2024-03-15"),
        ("primero de mayo del 2019", "2019-05-01"),
        ("treinta y uno de diciembre de mil novecientos noventa y ocho", "1998-12-31"),
        ("veintitrés de marzo de dos mil veinte", "2020-03-23"),
    ],
)
def test_dates_as_legal_documents_write_them(text, iso):
    [found] = find_dates(f"En Pereira, el {text}, se recibió la denuncia.")
    assert found.value == iso and found.text == text


def test_a_day_in_words_without_a_year_takes_the_year_the_document_gave_before():
    text = "Fecha: quince (15) de abril de dos mil veinticuatro (2024).\nEl trece de marzo salimos; el dos de abril volvimos."
    assert [f.value for f in find_dates(text)] == ["2024-04-15", "2024-03-13", "2024-04-02"]
    assert find_dates("A las tres de la tarde, una de las jóvenes llegó.") == []  # no month: no date


def test_numbers_in_words():
    from backend.domain.dates import number_in_words

    assert [number_in_words(w) for w in ("trece", "treinta y uno", "dos mil veinticuatro", "mil novecientos noventa y ocho")] == [
        13,
        31,
        2024,
        1998,
    ]
    assert number_in_words("marzo") is None
