"""Person resolution: blocking, comparison levels, a Fellegi–Sunter model trained by EM, and
clustering that respects "different" judgements and conflicting evidence.

- **Blocking** (no all-pairs): records meet only when they share a key — any two words of
  the name (whichever was taken for the surname), any two of their three-letter prefixes (a
  typo in one word), first surname + initial, a phone, an ID number, an ID's sorted digits
  (transposed digits), a date of birth + initial. Name keys shared by too many records are
  skipped (BLOCK_LIMITS): such namesakes meet through phones, IDs and birth dates.
- **Comparisons**: for each candidate pair, a level per comparison. The name compares as a
  set of words, each finding its best counterpart in the other name (exact, one typo, an
  initial), so "GIL ENRIQUE" and "Enrique Gil Ramírez" agree although no list says which
  word is the surname; which words are missing then decides the level (a second given name
  or surname dropped, the given names reordered, another given name = a sibling, another
  surname = another family). Date of birth (exact / one typo, transposition or day-month
  swap / the same digits reordered / different), phone, ID (exact / one edit or transposition /
  the same digits reordered / different), alias, shared document or case, address and city
  (compared without spaces, a typo allowed); a name whose letters run together the same but
  for spaces ("MC GILCHRIST") is close. "No information" (a field missing on
  either side) weighs nothing.
- **Score**: match weight = prior + Σ log2(m/u) per comparison (Fellegi–Sunter), m, u and
  the prior estimated by EM over the candidate pairs. The name is one comparison with
  ordered levels: scored as separate parts, the parts of a family's shared surnames were
  counted as independent evidence and EM learned "same family" as the match class. Every
  score can be explained comparison by comparison.
- **Clusters**: pairs above the high threshold merge (strongest first) unless a cannot-link
  ("different" judgement) or a conflict forbids it: two records of the two clusters whose
  birth dates or ID numbers clearly differ (beyond one typo, a transposition or the same
  digits reordered, which are graded levels the model weighs) and whose own score is low, or
  whose documents of one stated type (two cédulas) differ; two clusters whose only candidate is each other join
  (`join_sole_candidates`); other pairs between the thresholds go to review.

Comparisons run vectorised over all pairs (numpy; rapidfuzz's `cpdist` for the strings).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import cpdist

from backend.domain.dates import parse_date
from backend.domain.normalize import normalize_phone
from backend.domain.text import fold
from entity_resolution.person_names import NameParts, split_name

DEFAULT_HIGH = 0.95
DEFAULT_LOW = 0.50
# A key (a phone, an ID) that more records than this share is too common to be evidence: a
# call centre's number. Such blocks are skipped. Name keys are less specific and get smaller
# limits (BLOCK_LIMITS): 60 "Juan Pérez …" in one file are compared through their phones,
# IDs and birth dates, not all with all.
MAX_BLOCK = 400


@dataclass(frozen=True)
class PersonRecord:
    id: str
    name: NameParts
    dob: str = ""  # ISO date
    phones: tuple[str, ...] = ()  # E.164, and e-mail addresses as "mailto:…" (contacts)
    # "TYPE:NUMBER" ("CC:1088234567", "PASSPORT:AT482915"), or ":NUMBER" when the type is
    # unknown (a list's "Documento" column). A cédula and a passport number are two documents
    # of one person, not a disagreement: numbers compare only within a type (or without one).
    id_numbers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # folded
    contexts: tuple[str, ...] = ()  # documents or cases the record comes from
    label: str = ""
    address: str = ""  # normalised (normalize_address)
    city: str = ""  # folded
    # The cases the record's documents belong to: not a comparison (a store often holds one
    # case, where every pair shares it), but the scope in which an alias is evidence.
    cases: tuple[str, ...] = ()


def make_record(
    record_id: str,
    full_name: str = "",
    given_name: str = "",
    surname: str = "",
    dob: str = "",
    phones: Iterable[str] = (),
    id_numbers: Iterable[str] = (),
    aliases: Iterable[str] = (),
    contexts: Iterable[str] = (),
    address: str = "",
    city: str = "",
    emails: Iterable[str] = (),
    cases: Iterable[str] = (),
) -> PersonRecord:
    """A record from raw values as case files and lists write them. E-mail addresses are
    contacts like phone numbers: one shared says the same as a shared phone."""
    name = split_name(full_name, given_name, surname)
    contacts = [p for p in (normalize_phone(x) for x in phones if x and x.strip()) if p]
    contacts += [f"mailto:{fold(e).strip()}" for e in emails if e and "@" in e]
    phone_values = tuple(dict.fromkeys(contacts))
    ids = tuple(dict.fromkeys(i for i in (_typed_id(x) for x in id_numbers if x) if len(i.partition(":")[2]) >= 5))
    birth = (parse_date(dob) or "")[:10] if dob else ""
    label = " ".join(filter(None, (full_name, given_name, surname))).strip()
    return PersonRecord(record_id, name, birth, phone_values, ids, tuple(dict.fromkeys(" ".join(fold(a).split()) for a in aliases if a and a.strip())), tuple(contexts),
                        label or ", ".join(aliases), normalize_address(address), fold(city).strip(), tuple(cases))  # fmt: skip


# Colombian address words as lists write them: "Cra. 7 # 45-10", "CARRERA 7 NO 45 10", "Kr 7 45-10".
_ADDRESS_WORDS = {
    "cra": "carrera", "cr": "carrera", "kr": "carrera", "kra": "carrera", "carrera": "carrera", "cl": "calle", "cll": "calle",
    "calle": "calle", "av": "avenida", "avda": "avenida", "avenida": "avenida", "ak": "avenida carrera", "ac": "avenida calle",
    "dg": "diagonal", "diag": "diagonal", "diagonal": "diagonal", "tv": "transversal", "tr": "transversal",
    "transv": "transversal", "transversal": "transversal", "no": "", "nro": "", "numero": "", "n": "", "apto": "apartamento",
    "ap": "apartamento", "apartamento": "apartamento", "int": "interior", "interior": "interior", "bl": "bloque", "bloque": "bloque",
}  # fmt: skip


def normalize_address(text: str) -> str:
    """ "Cra. 7 # 45-10" and "CARRERA 7 NO 45 10" -> "carrera 7 45 10"."""
    words = re.findall(r"[a-z]+|\d+", fold(text))
    return " ".join(w for w in (_ADDRESS_WORDS.get(word, word) for word in words) if w)


def _typed_id(value: str) -> str:
    kind, sep, number = value.partition(":")
    if not sep:
        kind, number = "", value
    return f"{kind.strip().upper()}:{re.sub(r'[^0-9A-Z]', '', number.upper())}"


# ----------------------------------------------------------------------------- comparisons

# Each comparison's levels, best first; -1 means "no information" and weighs nothing.
LEVELS = {
    # One comparison for the whole name: its parts agree or disagree together (a family shares
    # both surnames), so scoring them as independent comparisons would count one fact thrice.
    "name": (
        "exact",
        "a name dropped",
        "close",
        "same words, given names in another order",
        "initial",
        "other given name differs",
        "first given name differs",
        "different",
    ),
    # Police transcriptions misread one digit or swap two: graded evidence, not a veto.
    "dob": ("exact", "one typo", "same digits reordered", "different"),
    "phone": ("shared", "different"),
    "id_number": ("exact", "one edit", "same digits reordered", "different"),
    "alias": ("shared", "not shared"),
    "context": ("shared", "not shared"),
    "address": ("same address", "same city", "different city"),
}
COMPARISONS = tuple(LEVELS)
# Only agreement on these counts: most records have no alias and share no document, and
# that says nothing. Their "not shared" level is never given a weight.
ONE_SIDED = frozenset({"alias", "context"})
# A shared phone or document corroborates a name match; between two different given names it
# says "same household", not "same person" (families share phones, addresses and surnames).
CORROBORATING = ("phone", "context", "address")

# Parameters for inputs too small to train on, and EM's starting point for the rest: per
# level, P(level | match) and P(level | non-match) among *candidate pairs* (pairs that share a
# blocking key), as EM estimated them on 10,000 generated records (benchmarks/er_data.py,
# seed 1), rounded; "context" (a shared document or case) and "address" are set by hand: that
# data has neither.
DEFAULT_M = {
    "name": [0.37, 0.25, 0.19, 0.115, 0.01, 0.012, 0.017, 0.036],
    "dob": [0.955, 0.044, 0.0005, 0.0005], "phone": [0.80, 0.20], "id_number": [0.92, 0.078, 0.001, 0.001],
    "alias": [0.01, 0.99], "context": [0.10, 0.90], "address": [0.50, 0.42, 0.08],
}  # fmt: skip
DEFAULT_U = {
    "name": [0.0004, 0.0067, 0.0025, 0.0127, 0.002, 0.0142, 0.1568, 0.8047],
    "dob": [0.0016, 0.0014, 0.0005, 0.9965], "phone": [0.0475, 0.9525], "id_number": [0.0001, 0.0001, 0.0001, 0.9997],
    "alias": [0.006, 0.994], "context": [0.01, 0.99], "address": [0.01, 0.30, 0.69],
}  # fmt: skip
DEFAULT_PRIOR = 0.1
MIN_RECORDS_TO_TRAIN = 500
# join_sole_candidates joins only pairs whose names agree: the same words with the same first
# given name (or its initial).
SOLE_CANDIDATE_NAME_LEVELS = ("exact", "a name dropped", "close", "same words, given names in another order", "initial")


# A name is compared as a set of words, not by position: case files write "PÉREZ GÓMEZ JUAN",
# "Juan Pérez" and "GIL ENRIQUE" (surname first, the given name unknown to any list), and a
# wrong guess at which word is a surname must not make one person two. Positions still
# matter when words are missing: a different *given* name is a sibling, a different surname
# is another family.
NAME_SLOTS = 6
FIRST_GIVEN, OTHER_GIVEN, SURNAME, EMPTY = 0, 1, 2, -1
WORD_EXACT, WORD_CLOSE, WORD_INITIAL, WORD_DIFFERENT = 0, 1, 2, 3


def _name_words(name: NameParts) -> list[tuple[str, int]]:
    words = [(w, FIRST_GIVEN if i == 0 else OTHER_GIVEN) for i, w in enumerate(name.given)]
    words += [(w, SURNAME) for w in name.surnames]
    return words[:NAME_SLOTS]


@dataclass
class _Columns:
    """Record fields as arrays, so pairs compare in C. Name words are numbered: a pair of
    words compares by number, and only the few pairs of distinct words one typo apart are
    ever compared as strings (`_close_words`)."""

    words: np.ndarray  # (records × NAME_SLOTS) word number, -1 where a name has fewer words
    roles: np.ndarray  # (records × NAME_SLOTS) role of each word
    vocabulary: list[str]
    dob: np.ndarray
    dob_swapped: np.ndarray
    dob_digits: np.ndarray  # the date's digits sorted: the same digits in another order
    id_type: np.ndarray
    id_number: np.ndarray
    id_digits: np.ndarray
    address: np.ndarray  # without spaces
    city: np.ndarray

    @classmethod
    def of(cls, records: list[PersonRecord]) -> "_Columns":
        def column(values):
            return np.array(values, dtype=object)

        numbers: dict[str, int] = {}
        words = np.full((len(records), NAME_SLOTS), -1, dtype=np.int64)
        roles = np.full((len(records), NAME_SLOTS), EMPTY, dtype=np.int8)
        for row, record in enumerate(records):
            for slot, (word, role) in enumerate(_name_words(record.name)):
                words[row, slot] = numbers.setdefault(word, len(numbers))
                roles[row, slot] = role
        return cls(
            words=words,
            roles=roles,
            vocabulary=list(numbers),
            dob=column([r.dob for r in records]),
            dob_swapped=column([f"{r.dob[:4]}-{r.dob[8:10]}-{r.dob[5:7]}" if len(r.dob) == 10 else "" for r in records]),
            dob_digits=column([_sorted_digits(r.dob) for r in records]),
            id_type=column([r.id_numbers[0].partition(":")[0] if r.id_numbers else "" for r in records]),
            id_number=column([r.id_numbers[0].partition(":")[2] if r.id_numbers else "" for r in records]),
            id_digits=column([_sorted_digits(r.id_numbers[0].partition(":")[2]) if r.id_numbers else "" for r in records]),
            address=column([r.address.replace(" ", "") for r in records]),
            city=column([r.city.replace(" ", "") for r in records]),
        )


def _joined_words(records: list[PersonRecord], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Pairs whose names, letters run together, are the same letters but for spaces."""
    letters = np.array(["".join(w for w, _ in _name_words(r.name)) for r in records], dtype=object)
    a, b = letters[left], letters[right]
    return (a == b) & (a != "")


def _sorted_digits(value: str) -> str:
    digits = sorted(c for c in value if c.isdigit())
    return "".join(digits) if len(digits) >= 5 else ""


def _similar(a: np.ndarray, b: np.ndarray, scorer) -> np.ndarray:
    return cpdist(list(a), list(b), scorer=scorer, workers=-1) if len(a) else np.zeros(0)


def _pair_keys(left: np.ndarray, right: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(left, right).astype(np.int64) * size + np.maximum(left, right)


MIN_TYPO_LENGTH = 4  # shorter words must match exactly: "Ana" and "Ada" are two names


def _close_words(vocabulary: list[str]) -> np.ndarray:
    """Sorted keys (a × V + b, a < b) of the pairs of distinct words one typo apart (an edit or
    a transposition), both at least MIN_TYPO_LENGTH long. Candidates by symmetric deletion
    (two such words share a one-letter deletion), each confirmed by Damerau-Levenshtein."""
    variants: dict[str, list[int]] = {}
    for number, word in enumerate(vocabulary):
        if len(word) < MIN_TYPO_LENGTH:
            continue
        for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            variants.setdefault(variant, []).append(number)
    size = len(vocabulary)
    pairs = {min(a, b) * size + max(a, b) for group in variants.values() if len(group) > 1
             for n, a in enumerate(group) for b in group[n + 1 :]}  # fmt: skip
    close = [key for key in pairs if DamerauLevenshtein.distance(vocabulary[key // size], vocabulary[key % size], score_cutoff=1) <= 1]
    return np.array(sorted(close), dtype=np.int64)


def _name_levels(c: _Columns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The "name" comparison's level for each pair, from how each word of one name finds
    its best counterpart in the other."""
    size = max(1, len(c.vocabulary))
    close_keys = _close_words(c.vocabulary)
    is_initial = np.array([len(w) == 1 for w in c.vocabulary] + [False], dtype=bool)  # [-1] = no word
    first_letter = np.array([ord(w[0]) if w else 0 for w in c.vocabulary] + [-1], dtype=np.int64)

    length = np.array([len(w) for w in c.vocabulary] + [0], dtype=np.int64)

    def word_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        level = np.full(len(a), WORD_DIFFERENT, dtype=np.int8)
        if len(close_keys):
            # Only words of about the same length can be one typo apart: look those up.
            maybe = np.flatnonzero((np.abs(length[a] - length[b]) <= 1) & (a != b))
            keys = np.minimum(a[maybe], b[maybe]) * size + np.maximum(a[maybe], b[maybe])
            at = np.minimum(np.searchsorted(close_keys, keys), len(close_keys) - 1)
            level[maybe[close_keys[at] == keys]] = WORD_CLOSE
        level[(is_initial[a] | is_initial[b]) & (first_letter[a] == first_letter[b]) & (level == WORD_DIFFERENT)] = WORD_INITIAL
        level[a == b] = WORD_EXACT
        return level

    words_left, words_right = c.words[left], c.words[right]
    best_left = np.full((len(left), NAME_SLOTS), WORD_DIFFERENT, dtype=np.int8)
    best_right = np.full((len(left), NAME_SLOTS), WORD_DIFFERENT, dtype=np.int8)
    roles_left, roles_right = c.roles[left], c.roles[right]
    for i in range(NAME_SLOTS):
        has_i = roles_left[:, i] != EMPTY
        if not has_i.any():
            continue
        for j in range(NAME_SLOTS):
            both = np.flatnonzero(has_i & (roles_right[:, j] != EMPTY))
            if not len(both):
                continue
            level = word_levels(words_left[both, i], words_right[both, j])
            best_left[both, i] = np.minimum(best_left[both, i], level)
            best_right[both, j] = np.minimum(best_right[both, j], level)

    def all_within(best, roles, worst):
        return ((best <= worst) | (roles == EMPTY)).all(axis=1)

    exact = all_within(best_left, roles_left, WORD_EXACT) & all_within(best_right, roles_right, WORD_EXACT)
    contained = all_within(best_left, roles_left, WORD_EXACT) | all_within(best_right, roles_right, WORD_EXACT)
    close = all_within(best_left, roles_left, WORD_CLOSE) | all_within(best_right, roles_right, WORD_CLOSE)
    initial = all_within(best_left, roles_left, WORD_INITIAL) | all_within(best_right, roles_right, WORD_INITIAL)
    # "Yeferson Fernández" inside "Diana Yeferson Fernández" is as likely a sister as a
    # dropped first name: containment counts fully only when the first given names agree.
    first_agree = (roles_left[:, 0] == FIRST_GIVEN) & (roles_right[:, 0] == FIRST_GIVEN)
    first_agree[first_agree] = word_levels(words_left[first_agree, 0], words_right[first_agree, 0]) <= WORD_CLOSE
    # Neither name's words all appear in the other: look at what the shorter one lacks.
    left_shorter = (roles_left != EMPTY).sum(axis=1) <= (roles_right != EMPTY).sum(axis=1)
    best = np.where(left_shorter[:, None], best_left, best_right)
    roles = np.where(left_shorter[:, None], roles_left, roles_right)
    missing = best >= WORD_INITIAL
    surname_missing = (missing & (roles == SURNAME)).any(axis=1)
    first_missing = (missing & (roles == FIRST_GIVEN)).any(axis=1)
    return np.select(
        [
            exact,
            contained & first_agree,
            close & first_agree,
            contained | close,
            initial,
            ~surname_missing & ~first_missing,
            ~surname_missing,
        ],
        [0, 1, 2, 3, 4, 5, 6],
        default=7,
    ).astype(np.int8)


def compare(records: list[PersonRecord], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The level of every comparison for every pair: an int8 matrix (pairs × COMPARISONS)."""
    columns = _Columns.of(records)
    gamma = np.full((len(left), len(COMPARISONS)), -1, dtype=np.int8)
    if not len(left):
        return gamma

    c = columns
    gamma[:, 0] = _name_levels(c, left, right)
    # A record known only by an alias ("EL MONO") has no name to compare: no information.
    named = (c.roles != EMPTY).any(axis=1)
    gamma[:, 0] = np.where(named[left] & named[right], gamma[:, 0], -1)
    # A space typed inside a word, or left out ("MC GILCHRIST", "DELACRUZ"), is a typo, not another name.
    respaced = _joined_words(records, left, right)
    gamma[:, 0] = np.where(respaced & (gamma[:, 0] > LEVELS["name"].index("close")), LEVELS["name"].index("close"), gamma[:, 0])

    a_dob, b_dob = c.dob[left], c.dob[right]
    near = (_similar(a_dob, b_dob, DamerauLevenshtein.distance) <= 1) | (a_dob == c.dob_swapped[right])
    reordered = (c.dob_digits[left] == c.dob_digits[right]) & (c.dob_digits[left] != "")
    gamma[:, 1] = np.where((a_dob != "") & (b_dob != ""), np.where(a_dob == b_dob, 0, np.where(near, 1, np.where(reordered, 2, 3))), -1)

    # A shared phone or e-mail is a shared contact; only two sets of phone numbers with none in
    # common disagree (one person's e-mail and another record's phone say nothing either way).
    phones_present = np.array([any(not p.startswith("mailto:") for p in r.phones) for r in records])
    shared_phone = _shares(records, lambda r: r.phones, left, right)
    gamma[:, 2] = np.where(shared_phone, 0, np.where(phones_present[left] & phones_present[right], 1, -1))

    a_id, b_id = c.id_number[left], c.id_number[right]
    shared_id = _shares(records, lambda r: r.id_numbers, left, right)
    one_edit = _similar(a_id, b_id, DamerauLevenshtein.distance) <= 1
    id_reordered = (c.id_digits[left] == c.id_digits[right]) & (c.id_digits[left] != "")
    a_type, b_type = c.id_type[left], c.id_type[right]
    comparable = (a_id != "") & (b_id != "") & ((a_type == b_type) | (a_type == "") | (b_type == ""))
    graded = np.where(one_edit, 1, np.where(id_reordered, 2, 3))
    gamma[:, 3] = np.where(shared_id | (comparable & (a_id == b_id)), 0, np.where(comparable, graded, -1))

    gamma[:, 4] = np.where(_shares(records, lambda r: r.aliases, left, right), 0, -1)
    gamma[:, 5] = np.where(_shares(records, lambda r: r.contexts, left, right), 0, -1)
    # Addresses and cities compare without spaces and allow a typo ("mount c olah", "mooroofbark"):
    # lists split and misspell them as they do names.
    address, city = c.address, c.city
    a_address, b_address, a_city, b_city = address[left], address[right], city[left], city[right]
    same_address = (a_address != "") & (b_address != "") & (_similar(a_address, b_address, DamerauLevenshtein.distance) <= 1)
    cities_known = (a_city != "") & (b_city != "")
    same_city = cities_known & (_similar(a_city, b_city, DamerauLevenshtein.distance) <= 1)
    gamma[:, 6] = np.where(same_address, 0, np.where(cities_known, np.where(same_city, 1, 2), -1))
    # Between two different given names a shared phone, document or address says "same
    # household" and weighs nothing; a different city still says "someone else".
    different_given = gamma[:, 0] >= LEVELS["name"].index("other given name differs")
    for comparison in CORROBORATING:
        index = COMPARISONS.index(comparison)
        agreeing = (gamma[:, index] >= 0) & (gamma[:, index] < len(LEVELS[comparison]) - 1)
        gamma[:, index] = np.where(different_given & agreeing, -1, gamma[:, index])
    return gamma


def _shares(records: list[PersonRecord], values, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Whether each pair shares at least one of `values(record)`. A value more than MAX_BLOCK
    records hold (a call centre's number) is not evidence and is not counted."""
    holders: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        for value in dict.fromkeys(values(record)):
            holders.setdefault(value, []).append(index)
    shared_values = [members for members in holders.values() if 1 < len(members) <= MAX_BLOCK]
    per_record: dict[int, list[int]] = {}
    for number, members in enumerate(shared_values):
        for index in members:
            per_record.setdefault(index, []).append(number)
    slots = max((len(v) for v in per_record.values()), default=0)
    shares = np.zeros(len(left), dtype=bool)
    if slots > MAX_VALUE_SLOTS:  # a few records with very many values: compare as key sets
        size = len(records)
        keys = {min(a, b) * size + max(a, b) for members in shared_values for n, a in enumerate(members) for b in members[n + 1 :]}
        return np.isin(_pair_keys(left, right, size), np.fromiter(keys, dtype=np.int64, count=len(keys)))
    table = np.full((len(records), max(slots, 1)), -1, dtype=np.int64)
    for index, numbers in per_record.items():
        table[index, : len(numbers)] = numbers
    for i in range(slots):
        for j in range(slots):
            shares |= (table[left, i] == table[right, j]) & (table[left, i] >= 0)
    return shares


MAX_VALUE_SLOTS = 8


# ----------------------------------------------------------------------------- blocking


def _block_keys(record: PersonRecord) -> list[str]:
    n = record.name
    keys = []
    if n.first_surname and n.first_given:
        keys.append(f"s1g:{n.first_surname}|{n.first_given[:1]}")
    # Any two words of the name, in any order and whichever is the surname; and the same
    # with the words' first three letters, so that a typo in one word still meets.
    words = sorted({w for w, _ in _name_words(n) if len(w) > 1})
    keys.extend(f"ww:{a}|{b}" for i, a in enumerate(words) for b in words[i + 1 :])
    prefixes = sorted({w[:3] for w in words})
    keys.extend(f"pp:{a}|{b}" for i, a in enumerate(prefixes) for b in prefixes[i + 1 :])
    if len(words) == 1:
        # A lone given name ("Daniela", how interviews name people) meets every name that holds
        # it (candidate_pairs pairs these keys with the "given:" keys of fuller names only).
        keys.append(f"one:{words[0]}")
    keys.extend(f"given:{w}" for w, role in _name_words(n) if len(words) > 1 and role in (FIRST_GIVEN, OTHER_GIVEN) and len(w) > 1)
    if record.dob and n.first_given:
        keys.append(f"dob:{record.dob}|{n.first_given[:1]}")
    keys.extend(f"tel:{p}" for p in record.phones)
    keys.extend(f"id:{i}" for i in record.id_numbers)
    keys.extend(f"idd:{''.join(sorted(i.partition(':')[2]))}" for i in record.id_numbers)
    keys.extend(f"alias:{a}" for a in record.aliases)
    return keys


BLOCK_LIMITS = {"s1g": 60, "ww": 60, "pp": 30}
# A lone given name meets at most this many fuller names that hold it.
LONE_NAME_LIMIT = 60


def candidate_pairs(records: list[PersonRecord]) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) record indexes, left < right, of every pair some blocking key joins, each
    pair once, sorted."""
    key_numbers: dict[str, int] = {}
    limits: list[int] = []
    key_of, record_of = [], []
    lone: dict[str, list[int]] = {}
    fuller: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        for key in _block_keys(record):
            if key.startswith(("one:", "given:")):  # paired apart: _lone_name_pairs
                (lone if key[0] == "o" else fuller).setdefault(key.partition(":")[2], []).append(index)
                continue
            number = key_numbers.get(key)
            if number is None:
                number = key_numbers[key] = len(key_numbers)
                limits.append(BLOCK_LIMITS.get(key.partition(":")[0], MAX_BLOCK))
            key_of.append(number)
            record_of.append(index)
    size = len(records)
    chunks = _lone_name_pairs(lone, fuller, size)
    keys, members = np.array(key_of, dtype=np.int64), np.array(record_of, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys, members = keys[order], members[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)
    lengths = np.diff(np.r_[starts, len(keys)])
    usable = (lengths >= 2) & (lengths <= np.array(limits, dtype=np.int64)[keys[starts]])
    # Blocks of one size at a time: their pairs are one array operation.
    for length in np.unique(lengths[usable]):
        block_starts = starts[usable & (lengths == length)]
        block = members[block_starts[:, None] + np.arange(length)]
        a, b = np.triu_indices(int(length), k=1)
        chunks.append(_pair_keys(block[:, a].ravel(), block[:, b].ravel(), size))
    if not chunks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pair_keys = np.unique(np.concatenate(chunks))
    return pair_keys // size, pair_keys % size


def _lone_name_pairs(lone: dict[str, list[int]], fuller: dict[str, list[int]], size: int) -> list[np.ndarray]:
    """Pair keys of each lone given name ("one:" keys) with the fuller names holding that word
    ("given:" keys), not of the fuller names with each other: they meet through their own keys."""
    pairs = []
    for word, lones in lone.items():
        others = fuller.get(word, [])
        if len(lones) + len(others) > LONE_NAME_LIMIT or len(lones) + len(others) < 2:
            continue
        a = np.array(lones, dtype=np.int64)[:, None]
        b = np.array(lones + others, dtype=np.int64)[None, :]
        keep = a != b
        pairs.append(_pair_keys(np.broadcast_to(a, keep.shape)[keep], np.broadcast_to(b, keep.shape)[keep], size))
    return pairs


# ----------------------------------------------------------------------------- the model


@dataclass
class Model:
    """Fellegi–Sunter parameters: for each comparison and level, m = P(level | match) and
    u = P(level | non-match); `prior` = P(match) among candidate pairs."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float
    iterations: int = 0

    def weights(self) -> dict[str, list[float]]:
        return {c: [math.log2(mi / ui) for mi, ui in zip(self.m[c], self.u[c])] for c in COMPARISONS}

    def match_weight(self, gamma: np.ndarray) -> np.ndarray:
        total = np.full(len(gamma), math.log2(self.prior / (1 - self.prior)))
        weights = self.weights()
        for index, comparison in enumerate(COMPARISONS):
            table = np.array(weights[comparison] + [0.0])  # level -1 picks the trailing 0
            total += np.take(table, gamma[:, index])
        return total

    def probability(self, gamma: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp2(-self.match_weight(gamma)))

    def explain(self, gamma_row: np.ndarray) -> list[dict]:
        """Each comparison's level and the weight (in bits) it adds to the score."""
        weights = self.weights()
        rows = []
        for index, comparison in enumerate(COMPARISONS):
            level = int(gamma_row[index])
            rows.append(
                {
                    "comparison": comparison,
                    "level": LEVELS[comparison][level] if level >= 0 else "no information",
                    "weight": round(weights[comparison][level], 2) if level >= 0 else 0.0,
                }
            )
        return rows


def _frequencies(gamma: np.ndarray, weights: np.ndarray | None = None) -> dict[str, list[float]]:
    """P(level) per comparison, among the pairs that carry information on it (for one-sided
    comparisons, among all pairs), each pair counted with its weight."""
    weights = np.ones(len(gamma)) if weights is None else weights
    out = {}
    for index, comparison in enumerate(COMPARISONS):
        levels = len(LEVELS[comparison])
        column = gamma[:, index].astype(np.int64)
        present = column >= 0
        counts = np.bincount(column[present], weights=weights[present], minlength=levels)[:levels].astype(float)
        if comparison in ONE_SIDED:
            counts[1] = weights.sum() - counts[0]
        counts += 0.5  # a level never seen must not get probability 0
        out[comparison] = list(counts / counts.sum())
    return out


def default_model() -> Model:
    return Model(m={c: list(v) for c, v in DEFAULT_M.items()}, u={c: list(v) for c, v in DEFAULT_U.items()}, prior=DEFAULT_PRIOR)


EM_ITERATIONS = 100


def level_patterns(gamma: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct rows of `gamma` (a few thousand at most, however many pairs), the row
    of each pair, and how many pairs share each: EM and scoring work on these."""
    bases = np.array([len(LEVELS[c]) + 1 for c in COMPARISONS], dtype=np.int64)
    place = np.concatenate(([1], np.cumprod(bases[:-1])))
    codes = (gamma.astype(np.int64) + 1) @ place
    unique, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
    patterns = ((unique[:, None] // place) % bases - 1).astype(np.int8)
    return patterns, inverse, counts


def train(records: list[PersonRecord], gamma: np.ndarray) -> Model:
    """Fellegi–Sunter parameters by EM over the candidate pairs (m, u and the prior together,
    from the defaults), as Splink's EM does; small inputs keep the defaults."""
    if len(records) < MIN_RECORDS_TO_TRAIN or len(gamma) < MIN_RECORDS_TO_TRAIN:
        return default_model()
    patterns, _, counts = level_patterns(gamma)
    return _train_on_patterns(patterns, counts)


def _train_on_patterns(patterns: np.ndarray, counts: np.ndarray) -> Model:
    model = default_model()
    total = counts.sum()
    for iteration in range(1, EM_ITERATIONS + 1):
        p = model.probability(patterns)
        updated = Model(
            m=_frequencies(patterns, counts * p), u=_frequencies(patterns, counts * (1 - p)),
            prior=float(np.clip((counts * p).sum() / total, 1e-5, 0.99)), iterations=iteration,
        )  # fmt: skip
        change = max(abs(x - y) for c in COMPARISONS for x, y in zip(updated.m[c], model.m[c]))
        model = updated
        if change < 1e-5:
            break
    return model


# ----------------------------------------------------------------------------- clusters


@dataclass
class Resolution:
    records: list[PersonRecord]
    clusters: list[int]  # cluster number of each record
    merged_pairs: list[tuple[int, int, float]]
    review_pairs: list[tuple[int, int, float]]
    model: Model
    left: np.ndarray = field(repr=False)
    right: np.ndarray = field(repr=False)
    gamma: np.ndarray = field(repr=False)
    refused_by_cannot_link: int = 0
    # Pairs in merged_pairs joined below the high threshold because each side had no other
    # candidate (join_sole_candidates).
    sole_candidates: list[tuple[int, int, float]] = field(default_factory=list)
    # Pairs in merged_pairs joined as fragments of one name in one case (join_fragments).
    fragments: list[tuple[int, int, float]] = field(default_factory=list)
    # Bits each pair's exact name adds or takes for how rare that name is (_name_frequency_weights).
    name_frequency: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    @property
    def candidate_count(self) -> int:
        return len(self.left)

    def explain(self, a: int, b: int) -> list[dict]:
        """Why records a and b scored as they did: each comparison's level and weight."""
        # candidate_pairs returns pairs sorted by (left, right): find one by binary search,
        # not a scan of every candidate (resolve_persons explains every decision it records).
        a, b = min(a, b), max(a, b)
        size = len(self.records)
        keys = self.left.astype(np.int64) * size + self.right
        at = int(np.searchsorted(keys, a * size + b))
        if at >= len(keys) or keys[at] != a * size + b:
            return []
        rows = self.model.explain(self.gamma[at])
        if len(self.name_frequency) and self.name_frequency[at]:
            rows.append(
                {"comparison": "name frequency", "level": "how rare the shared name is", "weight": round(float(self.name_frequency[at]), 2)}
            )
        return rows


def _apart(pairs: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    apart: dict[int, set[int]] = {}
    for a, b in pairs:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    return apart


def _conflict_keys(pairs: Iterable[tuple[int, int]], size: int) -> set[int]:
    return {min(a, b) * size + max(a, b) for a, b in pairs}


def _in_conflict(group_a: Iterable[int], group_b: Iterable[int], conflicts: set[int], size: int) -> bool:
    return bool(conflicts) and any(min(x, y) * size + max(x, y) in conflicts for x in group_a for y in group_b)


def cluster(
    size: int,
    scored: list[tuple[int, int, float]],
    high: float,
    cannot_link: Iterable[tuple[int, int]] = (),
    conflicts: set[int] = frozenset(),
    must_link: Iterable[tuple[int, int]] = (),
) -> tuple[list[int], list[tuple[int, int, float]], int]:
    """Union the must-links, then the pairs at or above `high`, strongest first, unless a
    record of one cluster must stay apart from a record of the other: a cannot-link (an
    analyst's "different") always, a conflict (`_conflict_keys` of two records whose dates of
    birth or ID numbers differ) for scored pairs. Without the conflicts one weak pair would chain two people with
    different birthdays into one. Returns (cluster of each record, merged pairs, refused)."""
    parent = list(range(size))
    hard = _apart(cannot_link)
    members: dict[int, set[int]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    merged, refused = [], 0
    steps = [(a, b, 1.0, False) for a, b in must_link]
    steps += [(a, b, p, True) for a, b, p in sorted(scored, key=lambda t: -t[2]) if p >= high]
    for a, b, p, scored_pair in steps:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        group_a, group_b = members.get(ra, {ra}), members.get(rb, {rb})
        if any(hard.get(x, set()) & group_b for x in group_a) or (scored_pair and _in_conflict(group_a, group_b, conflicts, size)):
            refused += 1
            continue
        parent[rb] = ra
        members[ra] = group_a | group_b
        members.pop(rb, None)
        merged.append((a, b, p))
    roots = [find(i) for i in range(size)]
    numbering: dict[int, int] = {}
    return [numbering.setdefault(r, len(numbering)) for r in roots], merged, refused


def resolve(
    records: list[PersonRecord],
    high: float = DEFAULT_HIGH,
    low: float = DEFAULT_LOW,
    cannot_link: Iterable[tuple[int, int]] = (),
    must_link: Iterable[tuple[int, int]] = (),
    model: Model | None = None,
    only_with: set[int] | None = None,
) -> Resolution:
    """Cluster person records. `cannot_link` / `must_link` are record-index pairs judged
    different / same (by an analyst or an earlier run): they win over the score.
    `only_with`: compare only pairs with at least one of these records (new records against
    everyone, when the others were resolved before)."""
    left, right = candidate_pairs(records)
    if only_with is not None:
        new = np.zeros(len(records), dtype=bool)
        new[list(only_with)] = True
        keep = new[left] | new[right]
        left, right = left[keep], right[keep]
    gamma = compare(records, left, right)
    same_case = _shares(records, lambda r: r.cases, left, right)
    probability = np.zeros(0)
    name_frequency = np.zeros(len(left))
    if len(left):
        patterns, inverse, counts = level_patterns(gamma)
        trainable = len(records) >= MIN_RECORDS_TO_TRAIN and len(gamma) >= MIN_RECORDS_TO_TRAIN
        if model is None:
            model = _train_on_patterns(patterns, counts) if trainable else default_model()
        if len(records) >= MIN_RECORDS_FOR_FREQUENCIES:
            name_frequency = _name_frequency_weights(records, gamma, left, right, model)
        probability = 1.0 / (1.0 + np.exp2(-(model.match_weight(patterns)[inverse] + name_frequency)))
        probability = _alias_rule(gamma, probability, high, low, same_case)
    model = model or default_model()
    cannot_link = [(int(a), int(b)) for a, b in cannot_link]
    must_link = [(int(a), int(b)) for a, b in must_link]
    candidate = probability >= low
    # Conflicts matter only between records some pair could merge.
    involved = np.zeros(len(records), dtype=bool)
    involved[left[candidate]] = involved[right[candidate]] = True
    for a, b in must_link:
        involved[a] = involved[b] = True
    # Two records whose birth dates or ID numbers clearly differ (not one typo or a reordering
    # apart: that is graded evidence the score weighs) and whose own score is low are not
    # chained into one cluster through others. Two documents of the same stated type (two
    # cédulas, two passports) that clearly differ always keep their holders apart.
    id_type = np.array([r.id_numbers[0].partition(":")[0] if r.id_numbers else "" for r in records], dtype=object)
    id_number = COMPARISONS.index("id_number")
    typed_ids_differ = gamma[:, id_number] == LEVELS["id_number"].index("different")
    typed_ids_differ &= (id_type[left] != "") & (id_type[left] == id_type[right])
    dob = COMPARISONS.index("dob")
    clearly_apart = (gamma[:, dob] == LEVELS["dob"].index("different")) | (gamma[:, id_number] == LEVELS["id_number"].index("different"))
    in_conflict = (typed_ids_differ | (clearly_apart & (probability < low))) & involved[left] & involved[right]
    conflicts = set((left[in_conflict] * len(records) + right[in_conflict]).tolist())
    scored = list(zip(left[candidate].tolist(), right[candidate].tolist(), probability[candidate].tolist()))
    clusters, merged, refused = cluster(len(records), scored, high, cannot_link, conflicts, must_link)
    forbidden = {frozenset(pair) for pair in cannot_link}
    review = [(a, b, p) for a, b, p in scored if p < high and frozenset((a, b)) not in forbidden]
    # Sole candidates join on the name alone only when nothing else speaks against them (no
    # comparison with a negative weight: another city, a phone that differs…).
    disagree = np.zeros(len(left), dtype=bool)
    if len(left):
        weights = model.weights()
        against = np.zeros(len(patterns), dtype=bool)
        for index, comparison in enumerate(COMPARISONS[1:], start=1):
            table = np.array([w < 0 for w in weights[comparison]] + [False])
            against |= table[patterns[:, index]]
        disagree = against[inverse]
    agree = candidate & ~disagree & np.isin(gamma[:, 0], [LEVELS["name"].index(level) for level in SOLE_CANDIDATE_NAME_LEVELS])
    # A record known only by an alias agrees with one that carries the same alias.
    agree_by_alias = candidate & ~disagree & (gamma[:, 0] == -1) & (gamma[:, COMPARISONS.index("alias")] == 0)
    names_agree = set(zip(left[agree].tolist(), right[agree].tolist()))
    apart = conflicts | _conflict_keys(cannot_link, len(records))
    clusters, sole = join_sole_candidates(clusters, review, apart, names_agree)
    clusters, fragments = join_fragments(records, clusters, left, right, probability, (agree | agree_by_alias) & same_case, disagree, apart)
    review = [(a, b, p) for a, b, p in review if clusters[a] != clusters[b]]
    return Resolution(records, clusters, merged + sole + fragments, review, model, left, right, gamma, refused, sole_candidates=sole,
                      fragments=fragments, name_frequency=name_frequency)  # fmt: skip


# With this many records, how often a full name occurs says how much sharing it is worth.
MIN_RECORDS_FOR_FREQUENCIES = 2000


def _name_frequency_weights(
    records: list[PersonRecord], gamma: np.ndarray, left: np.ndarray, right: np.ndarray, model: Model
) -> np.ndarray:
    """Term-frequency adjustment of a name two records share (Winkler; Splink's "term
    frequency"): two records sharing a name few records bear are likelier one person than two
    sharing one that fifty bear. For an exact name, and for a name one record holds whole
    within the other's ("a name dropped"), the model's u for that level (how often two
    different persons agree so) is replaced by the share of records whose names hold all the
    shared words; the difference in bits is added. Only on inputs large enough for frequencies
    to mean something."""
    words = [frozenset(w for w, _ in _name_words(r.name)) for r in records]
    postings: dict[str, set[int]] = {}
    for index, name in enumerate(words):
        for word in name:
            postings.setdefault(word, set()).add(index)
    holders: dict[frozenset[str], int] = {}

    def holding(name: frozenset[str]) -> int:
        if name not in holders:
            lists = sorted((postings[w] for w in name), key=len)
            holders[name] = len(set.intersection(*lists)) if lists else len(records)
        return holders[name]

    adjustment = np.zeros(len(left))
    for level in ("exact", "a name dropped"):
        at = np.flatnonzero(gamma[:, 0] == LEVELS["name"].index(level))
        shared = [min(words[a], words[b], key=len) for a, b in zip(left[at].tolist(), right[at].tolist())]
        if level != "exact":
            # A name of two words held within another says little however rare: only three or more count.
            keep = np.array([len(name) >= 3 for name in shared], dtype=bool)
            at, shared = at[keep], [name for name, k in zip(shared, keep) if k]
        frequency = np.array([holding(name) for name in shared], dtype=np.float64) / len(records)
        u = model.u["name"][LEVELS["name"].index(level)]
        adjustment[at] = np.log2(u / np.maximum(frequency, 1.0 / len(records)))
    return adjustment


def _alias_rule(gamma: np.ndarray, probability: np.ndarray, high: float, low: float, same_case: np.ndarray) -> np.ndarray:
    """Aliases are names: two records of one case that share an alias ("El Mono") and a phone,
    an e-mail or a document are one person; a shared alias alone goes to review, whatever the
    model's weights (few records have aliases, so EM learns little about them)."""
    alias, phone, id_number = (COMPARISONS.index(c) for c in ("alias", "phone", "id_number"))
    shared_alias = gamma[:, alias] == 0
    corroborated = same_case & ((gamma[:, phone] == 0) | (gamma[:, id_number] == 0))
    probability = np.where(shared_alias & corroborated, np.maximum(probability, high), probability)
    return np.where(shared_alias, np.maximum(probability, low), probability)


def join_fragments(
    records: list[PersonRecord],
    clusters: list[int],
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    joinable: np.ndarray,
    against: np.ndarray,
    apart: set[int],
) -> tuple[list[int], list[tuple[int, int, float]]]:
    """Join the fragments of one name within one case: "Karen Montoya", "Karen Lizeth" and
    "Karen Lizeth Montoya Pérez", or a lone "Daniela" beside the one Daniela of the case. A
    cluster joins the clusters its `joinable` pairs (between the thresholds, names that agree,
    nothing against, the same case) reach when every name among them all is a part of the
    fullest one (word for word, an initial or a typo allowed) and no candidate pair between any
    two of them has evidence `against` it or is kept apart. "Juan Pérez" beside Juan Carlos
    *and* Juan David Pérez joins neither: the two full names are not parts of one another."""
    candidates, best = _cluster_links(clusters, left, right, probability, joinable)
    if not candidates:
        return clusters, []
    members: dict[int, list[int]] = {}
    for record, number in enumerate(clusters):
        members.setdefault(number, []).append(record)
    size = len(clusters)
    kept_apart = against | np.isin(_pair_keys(left, right, size), np.fromiter(apart, dtype=np.int64, count=len(apart)))
    objections, _ = _cluster_links(clusters, left, right, probability, kept_apart)  # clusters a pair speaks against
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    joined = []
    # Each fragment against the clusters it could be part of, as they stand after the joins
    # before it: all of them together must be one name with nothing against any two of them.
    # Smallest fragments first.
    longest = {c: max(len(_name_words(records[i].name)) for i in rows) for c, rows in members.items()}
    for fragment in sorted(candidates, key=lambda c: (longest[c], len(members[c]), c)):
        # A fragment joins fuller names only ("Juan Ospina" into Juan Carlos Ospina Mejía, never
        # the other way round: then the full name would take whichever fragment came first).
        fuller = {c for c in candidates[fragment] if longest[c] > longest[fragment]}
        roots = {find(c) for c in (fragment, *fuller)}
        if len(roots) < 2:
            continue
        group = {c for c in members if find(c) in roots}
        if any(objections.get(c, set()) & group for c in group):
            continue
        if not _parts_of_one_name([records[i] for c in group for i in members[c]]):
            continue
        for other in sorted(fuller):
            if find(other) != find(fragment):
                parent[find(other)] = find(fragment)
                joined.append(best[(min(fragment, other), max(fragment, other))])
    return [find(c) for c in clusters], sorted(joined)


def _cluster_links(
    clusters: list[int], left: np.ndarray, right: np.ndarray, probability: np.ndarray, selected: np.ndarray
) -> tuple[dict[int, set[int]], dict[tuple[int, int], tuple[int, int, float]]]:
    """For the selected pairs between two clusters: each cluster's linked clusters, and the
    strongest pair of each two linked clusters."""
    linked: dict[int, set[int]] = {}
    best: dict[tuple[int, int], tuple[int, int, float]] = {}
    for a, b, p in zip(left[selected].tolist(), right[selected].tolist(), probability[selected].tolist()):
        ca, cb = clusters[a], clusters[b]
        if ca != cb:
            linked.setdefault(ca, set()).add(cb)
            linked.setdefault(cb, set()).add(ca)
            key = (min(ca, cb), max(ca, cb))
            if key not in best or p > best[key][2]:
                best[key] = (a, b, p)
    return linked, best


def _parts_of_one_name(records: list[PersonRecord]) -> bool:
    """Whether every record's name words are words of the fullest name among them."""
    names = [[w for w, _ in _name_words(r.name)] for r in records]
    fullest = max(names, key=len)
    for words in names:
        for word in words:
            if not any(
                word == full or (len(word) == 1 and full.startswith(word))
                or (min(len(word), len(full)) >= MIN_TYPO_LENGTH and DamerauLevenshtein.distance(word, full, score_cutoff=1) <= 1)
                for full in fullest
            ):  # fmt: skip
                return False
    return True


def join_sole_candidates(
    clusters: list[int], review: list[tuple[int, int, float]], apart: set[int], joinable: set[tuple[int, int]]
) -> tuple[list[int], list[tuple[int, int, float]]]:
    """Join two clusters whose only possible match (a pair between the thresholds) is each
    other. "Jorge Restrepo" alone scores below the high threshold against "Jorge Restrepo
    Ramírez" — there could be another Jorge Restrepo — but when the file holds no other
    candidate for either side, the doubt the score expresses is not in the data. When either
    side has a second candidate ("Juan Pérez" beside Juan Carlos *and* Juan David Pérez), both
    stay in review. Only pairs in `joinable` (names that agree) join, never across a pair in
    `apart` (keys from `_conflict_keys`); every review pair counts as a candidate. One round: a joined cluster does not become anyone's sole candidate."""
    neighbours: dict[int, set[int]] = {}
    best: dict[tuple[int, int], tuple[int, int, float]] = {}
    for a, b, p in review:
        ca, cb = clusters[a], clusters[b]
        if ca == cb:
            continue
        neighbours.setdefault(ca, set()).add(cb)
        neighbours.setdefault(cb, set()).add(ca)
        key = (min(ca, cb), max(ca, cb))
        if (a, b) in joinable and (key not in best or p > best[key][2]):
            best[key] = (a, b, p)
    members: dict[int, list[int]] = {}
    for record, number in enumerate(clusters):
        members.setdefault(number, []).append(record)
    renumber: dict[int, int] = {}
    joined = []
    for (ca, cb), pair in sorted(best.items()):
        if neighbours[ca] != {cb} or neighbours[cb] != {ca}:
            continue
        if _in_conflict(members[ca], members[cb], apart, len(clusters)):
            continue
        renumber[cb] = ca
        joined.append(pair)
    return [renumber.get(c, c) for c in clusters], joined
