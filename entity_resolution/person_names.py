"""Spanish person names, split and normalised for comparison.

"PÉREZ GÓMEZ JUAN CARLOS", "Juan Carlos Perez", "Juancho Pérez G." and "PEREZ JUAN" should
land close together: reading order (backend.domain.names), folding (accents via unidecode, case),
particles kept with their surname ("de la Cruz"), a married name ("María López de Ruiz")
kept apart from the birth surnames, and nicknames and diminutives mapped to the given name
they stand for ("Pacho" → Francisco, "Juanita" → Juana).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backend.domain.names import PARTICLES, is_given_name, normalize_person_name
from backend.domain.text import fold

# Common Colombian nicknames and short forms -> the given name (folded).
NICKNAMES = {
    "pacho": "francisco", "paco": "francisco", "pancho": "francisco", "pepe": "jose", "chepe": "jose",
    "chucho": "jesus", "lucho": "luis", "nacho": "ignacio", "juancho": "juan", "tono": "antonio",
    "memo": "guillermo", "beto": "alberto", "kike": "enrique", "quique": "enrique", "lupe": "guadalupe",
    "charo": "rosario", "concha": "concepcion", "mari": "maria", "caro": "carolina", "vale": "valentina",
    "dani": "daniela", "cata": "catalina", "juli": "juliana", "sofi": "sofia", "mafe": "maria fernanda",
    "majo": "maria jose", "juanca": "juan carlos", "juanda": "juan david", "juanpa": "juan pablo",
    "jhon": "john", "jon": "john", "yon": "john", "jhonatan": "jonathan", "yonatan": "jonathan",
    "jonatan": "jonathan", "yeison": "jeison", "jeisson": "jeison", "yefferson": "jefferson",
    "yeferson": "jefferson", "jeferson": "jefferson", "brayan": "bryan", "braian": "bryan",
    "yesica": "jessica", "yessica": "jessica", "jesica": "jessica", "jenny": "jennifer",
    "yenny": "jennifer", "johana": "johanna", "yohana": "johanna", "leidy": "lady", "fredy": "freddy",
    "edwar": "edward", "toto": "antonio",
}  # fmt: skip
_DIMINUTIVE = re.compile(r"^(?P<stem>[a-z]{2,})(?:it|cit|ecit)(?P<end>[oa])s?$")


@dataclass(frozen=True)
class NameParts:
    """A name ready to compare: folded given names and surnames, and a married name apart."""

    given: tuple[str, ...]
    surnames: tuple[str, ...]
    married: str = ""

    @property
    def first_given(self) -> str:
        return self.given[0] if self.given else ""

    @property
    def first_surname(self) -> str:
        return self.surnames[0] if self.surnames else ""

    @property
    def second_surname(self) -> str:
        return self.surnames[1] if len(self.surnames) > 1 else ""


def canonical_given(word: str) -> str:
    """A folded given name with nicknames and diminutives resolved ("juanita" -> "juana")."""
    folded = fold(word)
    if folded in NICKNAMES:
        return NICKNAMES[folded]
    match = _DIMINUTIVE.match(folded)
    if match and not is_given_name(folded):
        for candidate in (match["stem"] + match["end"], match["stem"] + match["end"] + "s", match["stem"]):
            if is_given_name(candidate):
                return candidate
    return folded


def _groups(words: list[str]) -> list[str]:
    """Words with their particles joined: ["de", "la", "cruz"] -> ["de la cruz"]."""
    groups: list[str] = []
    pending: list[str] = []
    for word in words:
        if word in PARTICLES:
            pending.append(word)
            continue
        groups.append(" ".join((*pending, word)))
        pending = []
    if pending and groups:
        groups[-1] = " ".join((groups[-1], *pending))
    return groups


@lru_cache(maxsize=262_144)
def split_name(full_name: str = "", given: str = "", surname: str = "") -> NameParts:
    """Split a name into given names and surnames. With separate given / surname fields they
    are taken as they are; a full name is put in reading order first, and its given names are
    the leading known given names (at least one; two of four words when none is known)."""
    if given or surname:
        given_words = [fold(w).strip(".") for w in normalize_person_name(given).split() if w.strip(".")]
        surname_words = [fold(w) for w in normalize_person_name(surname).split()]
    else:
        words = [fold(w) for w in normalize_person_name(full_name).split()]
        words = [w.strip(".") for w in words if w.strip(".")]  # "J." is the initial "j"
        count = 0
        for word in words:
            if is_given_name(word) or fold(word) in NICKNAMES or _DIMINUTIVE.match(word):
                count += 1
            else:
                break
        if sum(w not in PARTICLES for w in words) == 4 and not any(w in PARTICLES for w in words):
            count = 2  # two given names and two surnames, the usual shape, known names or not
        elif count == 0:
            count = 1
        count = min(count, max(1, len(words) - 1)) if len(words) > 1 else len(words)
        given_words, surname_words = words[:count], words[count:]
    surnames = _groups([w.strip(".") for w in surname_words if w.strip(".")])
    married = ""
    # "López de Ruiz": a "de" before the last surname of a woman's name is her husband's.
    if len(surnames) >= 2 and surnames[-1].startswith("de ") and not surnames[-1].startswith(("de la ", "de los ", "de las ")):
        married = surnames[-1][3:]
        surnames = surnames[:-1]
    given_names = tuple(filter(None, (canonical_given(w) for w in given_words)))
    # A canonical form of two words ("mafe" -> "maria fernanda") becomes two given names.
    given_names = tuple(part for name in given_names for part in name.split())
    return NameParts(given_names, tuple(surnames), married)
