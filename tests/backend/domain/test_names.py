from __future__ import annotations

import pytest

from backend.domain.names import normalize_person_name


@pytest.mark.parametrize(
    "written, normal",
    [
        ("PÉREZ GÓMEZ JUAN CARLOS", "Juan Carlos Pérez Gómez"),
        ("PEREZ GOMEZ JUAN CARLOS", "Juan Carlos Perez Gomez"),
        ("PÉREZ GÓMEZ, Juan Carlos", "Juan Carlos Pérez Gómez"),
        ("MONTOYA TORRES MARLENY STEFANY", "Marleny Stefany Montoya Torres"),  # an unlisted first given name
        ("RUIZ DE LA CRUZ ANA MARÍA", "Ana María Ruiz de la Cruz"),
        ("la señora María López de Ruiz", "María López de Ruiz"),
        ("JUAN CARLOS PÉREZ", "Juan Carlos Pérez"),  # already given names first
        ("Yuliana Andrea Ríos Castaño", "Yuliana Andrea Ríos Castaño"),
    ],
)
def test_names_come_out_in_reading_order(written, normal):
    assert normalize_person_name(written) == normal


def test_surname_first_names_with_one_surname_and_suffixes():
    from backend.domain.names import normalize_person_name

    assert normalize_person_name("WILLIAMS JOHN PETER") == "John Peter Williams"
    assert normalize_person_name("MONTOYA PEREZ KAREN LIZETH") == "Karen Lizeth Montoya Perez"
    assert normalize_person_name("PEREZ GOMEZ JUAN CARLOS") == "Juan Carlos Perez Gomez"
    assert normalize_person_name("James T. Hayes, Jr.") == "James T. Hayes Jr."
