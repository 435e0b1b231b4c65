from __future__ import annotations

import pytest

from backend.domain.normalize import find_flights, find_identity_documents, find_phones, normalize_phone, phone_properties


@pytest.mark.parametrize(
    "text, written, e164, country, kind",
    [
        ("Su celular es 312 456 7890.", "312 456 7890", "+573124567890", "CO", "mobile"),
        ("se comunicaba al 312-4567890 en las noches", "312-4567890", "+573124567890", "CO", "mobile"),
        ("número (+57) 3124567890", "(+57) 3124567890", "+573124567890", "CO", "mobile"),
        ("al 57 312 456 7890", "57 312 456 7890", "+573124567890", "CO", "mobile"),
        ("fijo en Bogotá 601 2345678", "601 2345678", "+576012345678", "CO", "landline"),
        ("oficina (604) 444 5555", "(604) 444 5555", "+576044445555", "CO", "landline"),
        ("en España +34 612 345 678", "+34 612 345 678", "+34612345678", "ES", "mobile"),
        ("en México +52 55 1234 5678", "+52 55 1234 5678", "+525512345678", "MX", "landline_or_mobile"),
        ("venezolano +58 412 1234567", "+58 412 1234567", "+584121234567", "VE", "mobile"),
        ("Ecuador +593 99 123 4567", "+593 99 123 4567", "+593991234567", "EC", "mobile"),
        ("Panamá +507 6123-4567", "+507 6123-4567", "+50761234567", "PA", "mobile"),
    ],
)
def test_phones_are_found_where_written_and_normalised_to_e164(text, written, e164, country, kind):
    (found,) = find_phones(text)
    assert text[found.start : found.end] == written == found.text
    assert found.value == e164
    assert found.attribute("country") == country
    assert found.attribute("kind") == kind


@pytest.mark.parametrize("text", ["C.C. 1.088.234.567", "el 12 de marzo de 2018", "vuelo AV 010", "tiquete 1234", "312 456 789"])
def test_things_that_are_not_phones_are_not_phones(text):
    assert find_phones(text) == []


def test_normalize_one_phone():
    assert normalize_phone("312 456 7890") == normalize_phone("+57 312-456-7890") == "+573124567890"
    assert normalize_phone("12345") is None
    assert normalize_phone("no es un número") is None


def test_a_phones_properties_are_its_own_each_time_it_is_read():
    first = phone_properties("+573124567890")
    assert first == {"e164": "+573124567890", "country": "CO", "kind": "mobile"}
    first["kind"] = "landline"  # a caller may change what it was given
    assert phone_properties("+573124567890")["kind"] == "mobile"
    assert phone_properties("+34612345678") == {"e164": "+34612345678", "country": "ES", "kind": "mobile"}


@pytest.mark.parametrize(
    "text, value, country",
    [
        ("identificado con C.C. 1.088.234.567 de Pereira", "CC:1088234567", "CO"),
        ("con cédula de ciudadanía No. 1088234567", "CC:1088234567", "CO"),
        ("CC 94.512.333", "CC:94512333", "CO"),
        ("cédula de extranjería 456789", "CE:456789", "CO"),
        ("de nacionalidad venezolana, V-12.345.678", "VE_CI:12345678", "VE"),
        ("pasaporte AT123456", "PASSPORT:AT123456", "CO"),
        ("pasaporte No. xb1234567", "PASSPORT:XB1234567", ""),
        ("portaba PEP 123456789012345", "PEP:123456789012345", "CO"),
    ],
)
def test_identity_documents(text, value, country):
    (found,) = find_identity_documents(text)
    assert found.value == value
    assert found.attribute("country") == country
    assert text[found.start : found.end] == found.text


def test_identity_documents_ignore_short_numbers_and_dates():
    assert find_identity_documents("C.C. 123 y el 12.03.2018") == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("abordaron el vuelo AV 010 con destino a Madrid", "AV10"),
        ("en el AV10 de las 23:40", "AV10"),
        ("tomó el Avianca 010", "AV10"),
        ("por Copa CM 394 vía Panamá", "CM394"),
        ("con conexión IB 6586", "IB6586"),
        ("LATAM vuelo 4086", "LA4086"),
        ("vuelo LA 4086", "LA4086"),
        ("Air Europa UX 194", "UX194"),
        ("Wingo P5 7020", "P57020"),
    ],
)
def test_flights(text, value):
    found = find_flights(text)
    assert [f.value for f in found] == [value]
    assert text[found[0].start : found[0].end] == found[0].text


def test_capitals_are_not_flights():
    assert find_flights("VIAJÓ LA 12 DE MARZO A BOGOTÁ") == []
    assert [f.value for f in find_flights("EL VUELO LA 12 SALIÓ TARDE")] == ["LA12"]


def test_a_flight_number_takes_the_airline_the_paragraph_named_before():
    from backend.domain.normalize import find_flights

    flights = find_flights("Viajaron con Avianca desde Bogotá. El vuelo número 254 aterrizó en Cancún.\n\nEl vuelo 394 salió tarde.")
    assert [f.value for f in flights] == ["AV254"]  # the next paragraph names no airline: no guess
    assert [f.value for f in find_flights("The women flew Copa Airlines. Flight 394 landed in Panama.")] == ["CM394"]
