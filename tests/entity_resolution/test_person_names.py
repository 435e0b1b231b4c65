from __future__ import annotations

import pytest

from entity_resolution.person_names import canonical_given, split_name


@pytest.mark.parametrize(
    "written, given, surnames, married",
    [
        ("PÉREZ GÓMEZ JUAN CARLOS", ("juan", "carlos"), ("perez", "gomez"), ""),
        ("Juan Carlos Perez", ("juan", "carlos"), ("perez",), ""),  # a dropped second surname
        ("Juancho Pérez Gómez", ("juan",), ("perez", "gomez"), ""),  # a nickname
        ("María López de Ruiz", ("maria",), ("lopez",), "ruiz"),  # a married name
        ("Ana María de la Cruz Ríos", ("ana", "maria"), ("de la cruz", "rios"), ""),  # particles stay with their surname
        ("MAFE OSPINA", ("maria", "fernanda"), ("ospina",), ""),
        ("Yeferson Dairo Restrepo Torres", ("jefferson", "dairo"), ("restrepo", "torres"), ""),  # four words, unknown given name
    ],
)
def test_names_split_into_given_names_and_surnames(written, given, surnames, married):
    parts = split_name(written)
    assert (parts.given, parts.surnames, parts.married) == (given, surnames, married)


def test_separate_fields_are_taken_as_they_are():
    parts = split_name(given="Leidy Johana", surname="MARÍN OSPINA")
    assert parts.given == ("lady", "johanna") and parts.surnames == ("marin", "ospina")


def test_nicknames_and_diminutives_map_to_the_given_name():
    assert canonical_given("Pacho") == "francisco"
    assert canonical_given("Carlitos") == "carlos"
    assert canonical_given("Natalia") == "natalia"
