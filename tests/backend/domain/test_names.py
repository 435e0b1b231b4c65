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
