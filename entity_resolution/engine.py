"""Person resolution: blocking, comparison levels, a Fellegi–Sunter model trained by EM, and
clustering that respects "different" judgements.

- **Blocking** (no all-pairs): records meet only when they share a key — first surname +
  first initial, first given name + second surname, both surnames, a phone, an ID number,
  an ID's sorted digits (catches transposed digits), a date of birth + initial.
- **Comparisons**: for each candidate pair, a level per comparison (exact, close by
  Jaro-Winkler, initial only, dropped second surname, shared phone, ID one edit apart…);
  "no information" (a field missing on either side) weighs nothing.
- **Score**: match weight = prior + Σ log2(m/u) per comparison (Fellegi–Sunter), m, u and
  the prior estimated by EM over the candidate pairs. The name is one comparison with
  ordered levels (exact, a name dropped, close, …, first given name differs): scored as
  separate parts, the parts of a family's shared surnames were counted as independent
  evidence and EM learned "same family" as the match class. Every score can be explained
  comparison by comparison.
- **Clusters**: pairs above the high threshold merge (strongest first) unless a cannot-link
  ("different" judgement) forbids it; pairs between the thresholds go to review.

Fuzzy comparisons run vectorised over all pairs with rapidfuzz's `cpdist`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.process import cpdist

from backend.store.base import fold
from entity_resolution.person_names import NameParts, split_name
from ingest.dates import parse_date
from ingest.normalize import normalize_phone

DEFAULT_HIGH = 0.95
DEFAULT_LOW = 0.50
# A key (a name, a phone, an ID) that more records than this share is too common to be
# evidence: a call centre's number, "Gómez + J". Such blocks are skipped.
MAX_NAME_BLOCK = 400


@dataclass(frozen=True)
class PersonRecord:
    id: str
    name: NameParts
    dob: str = ""  # ISO date
    phones: tuple[str, ...] = ()  # E.164
    # "TYPE:NUMBER" ("CC:1088234567", "PASSPORT:AT482915"), or ":NUMBER" when the type is
    # unknown (a list's "Documento" column). A cédula and a passport number are two documents
    # of one person, not a disagreement: numbers compare only within a type (or without one).
    id_numbers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # folded
    contexts: tuple[str, ...] = ()  # documents or cases the record comes from
    label: str = ""


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
) -> PersonRecord:
    """A record from raw values as case files and lists write them."""
    name = split_name(full_name, given_name, surname)
    phone_values = tuple(dict.fromkeys(p for p in (normalize_phone(x) for x in phones if x and x.strip()) if p))
    ids = tuple(dict.fromkeys(i for i in (_typed_id(x) for x in id_numbers if x) if len(i.partition(":")[2]) >= 5))
    birth = (parse_date(dob) or "")[:10] if dob else ""
    label = " ".join(filter(None, (full_name, given_name, surname))).strip()
    return PersonRecord(record_id, name, birth, phone_values, ids, tuple(fold(a) for a in aliases if a), tuple(contexts), label)


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
    "name": ("exact", "a name dropped", "close", "swapped or initial", "other given name differs", "first given name differs", "different"),
    "dob": ("exact", "one typo", "different"),
    "phone": ("shared", "different"),
    "id_number": ("exact", "one edit", "different"),
    "alias": ("shared", "not shared"),
    "context": ("shared", "not shared"),
}
COMPARISONS = tuple(LEVELS)
# Only agreement on these counts: most records have no alias and share no document, and
# that says nothing. Their "not shared" level is never given a weight.
ONE_SIDED = frozenset({"alias", "context"})
# A shared phone or document corroborates a name match; between two different given names it
# says "same household", not "same person" (families share phones and surnames).
CORROBORATING = ("phone", "context")

# Parameters for inputs too small to train on, and EM's starting point for the rest: per
# level, P(level | match) and P(level | non-match) among *candidate pairs* (pairs that share a
# blocking key), as EM estimated them on 10,000 generated records (benchmarks/er_data.py,
# seed 1), rounded; "context" (a shared document or case) is set by hand: that data has none.
DEFAULT_M = {
    "name": [0.40, 0.29, 0.15, 0.02, 0.007, 0.06, 0.073],
    "dob": [0.956, 0.043, 0.001], "phone": [0.80, 0.20], "id_number": [0.92, 0.077, 0.003],
    "alias": [0.01, 0.99], "context": [0.10, 0.90],
}  # fmt: skip
DEFAULT_U = {
    "name": [0.0002, 0.016, 0.0056, 0.0005, 0.011, 0.753, 0.2137],
    "dob": [0.002, 0.002, 0.996], "phone": [0.04, 0.96], "id_number": [0.0004, 0.0006, 0.999],
    "alias": [0.02, 0.98], "context": [0.01, 0.99],
}  # fmt: skip
DEFAULT_PRIOR = 0.2
MIN_RECORDS_TO_TRAIN = 2000


@dataclass
class _Columns:
    """Record fields as arrays, so pairs compare in C."""

    first_given: np.ndarray
    first_given_initial: np.ndarray
    first_given_is_initial: np.ndarray
    other_given: np.ndarray
    first_surname: np.ndarray
    second_surname: np.ndarray
    dob: np.ndarray
    dob_swapped: np.ndarray
    id_type: np.ndarray
    id_number: np.ndarray

    @classmethod
    def of(cls, records: list[PersonRecord]) -> "_Columns":
        def column(values):
            return np.array(values, dtype=object)

        return cls(
            first_given=column([r.name.first_given for r in records]),
            first_given_initial=column([r.name.first_given[:1] for r in records]),
            first_given_is_initial=np.array([len(r.name.first_given) == 1 for r in records], dtype=bool),
            other_given=column([" ".join(r.name.given[1:]) for r in records]),
            first_surname=column([r.name.first_surname for r in records]),
            second_surname=column([r.name.second_surname for r in records]),
            dob=column([r.dob for r in records]),
            dob_swapped=column([f"{r.dob[:4]}-{r.dob[8:10]}-{r.dob[5:7]}" if len(r.dob) == 10 else "" for r in records]),
            id_type=column([r.id_numbers[0].partition(":")[0] if r.id_numbers else "" for r in records]),
            id_number=column([r.id_numbers[0].partition(":")[2] if r.id_numbers else "" for r in records]),
        )


def _similar(a: np.ndarray, b: np.ndarray, scorer) -> np.ndarray:
    return cpdist(list(a), list(b), scorer=scorer, workers=-1) if len(a) else np.zeros(0)


def _pair_keys(left: np.ndarray, right: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(left, right).astype(np.int64) * size + np.maximum(left, right)


def compare(records: list[PersonRecord], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The level of every comparison for every pair: an int8 matrix (pairs × COMPARISONS)."""
    columns = _Columns.of(records)
    gamma = np.full((len(left), len(COMPARISONS)), -1, dtype=np.int8)
    if not len(left):
        return gamma

    c = columns

    def part(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """0 exact, 1 close (Jaro-Winkler ≥ 0.9), 2 different, -1 missing on a side."""
        jw = _similar(a, b, JaroWinkler.normalized_similarity)
        level = np.where(a == b, 0, np.where(jw >= 0.9, 1, 2))
        return np.where((a != "") & (b != ""), level, -1)

    a_g1, b_g1 = c.first_given[left], c.first_given[right]
    a_og, b_og = c.other_given[left], c.other_given[right]
    a_s1, b_s1, a_s2, b_s2 = c.first_surname[left], c.first_surname[right], c.second_surname[left], c.second_surname[right]
    g1, og, s1, s2 = part(a_g1, b_g1), part(a_og, b_og), part(a_s1, b_s1), part(a_s2, b_s2)
    initial = (c.first_given_is_initial[left] | c.first_given_is_initial[right]) & (c.first_given_initial[left] == c.first_given_initial[right])
    crossed = ((a_s1 == b_s2) & (a_s1 != "")) | ((b_s1 == a_s2) & (b_s1 != ""))
    dropped = ((a_s2 == "") ^ (b_s2 == "")) | ((a_og == "") ^ (b_og == ""))
    given_ok, surnames_ok = (g1 == 0) | (g1 == 1), ((s1 == 0) | (s1 == 1)) & (s2 != 2)
    others_ok = og != 2
    gamma[:, 0] = np.select(
        [
            (g1 == 0) & (s1 == 0) & (s2 == 0) & (og != 2) & ~dropped,
            (g1 == 0) & (s1 == 0) & (s2 != 2) & (og != 2) & dropped,
            given_ok & surnames_ok & others_ok,
            ((g1 == 2) & initial & surnames_ok) | (given_ok & (s1 == 2) & crossed),
            given_ok & surnames_ok & (og == 2),
            (g1 == 2) & ~initial & (s1 != 2),
        ],
        [0, 1, 2, 3, 4, 5],
        default=6,
    )

    a_dob, b_dob = c.dob[left], c.dob[right]
    near = (_similar(a_dob, b_dob, DamerauLevenshtein.distance) <= 1) | (a_dob == c.dob_swapped[right])
    gamma[:, 1] = np.where((a_dob != "") & (b_dob != ""), np.where(a_dob == b_dob, 0, np.where(near, 1, 2)), -1)

    size = len(records)
    pairs = _pair_keys(left, right, size)
    phones_present = np.array([bool(records[i].phones) for i in range(size)])
    shared_phone = np.isin(pairs, _sharing_pairs(records, lambda r: r.phones, size))
    gamma[:, 2] = np.where(phones_present[left] & phones_present[right], np.where(shared_phone, 0, 1), -1)

    a_id, b_id = c.id_number[left], c.id_number[right]
    shared_id = np.isin(pairs, _sharing_pairs(records, lambda r: r.id_numbers, size))
    one_edit = _similar(a_id, b_id, DamerauLevenshtein.distance) <= 1
    a_type, b_type = c.id_type[left], c.id_type[right]
    comparable = (a_id != "") & (b_id != "") & ((a_type == b_type) | (a_type == "") | (b_type == ""))
    gamma[:, 3] = np.where(shared_id | (comparable & (a_id == b_id)), 0, np.where(comparable, np.where(one_edit, 1, 2), -1))

    gamma[:, 4] = np.where(np.isin(pairs, _sharing_pairs(records, lambda r: r.aliases, size)), 0, -1)
    gamma[:, 5] = np.where(np.isin(pairs, _sharing_pairs(records, lambda r: r.contexts, size)), 0, -1)
    different_given = gamma[:, 0] >= LEVELS["name"].index("other given name differs")
    for comparison in CORROBORATING:
        index = COMPARISONS.index(comparison)
        gamma[:, index] = np.where(different_given, -1, gamma[:, index])
    return gamma


def _sharing_pairs(records: list[PersonRecord], values, size: int) -> np.ndarray:
    """Keys of the record pairs that share at least one of `values(record)`."""
    groups: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        for value in values(record):
            groups.setdefault(value, []).append(index)
    keys = [min(a, b) * size + max(a, b) for members in groups.values() if 1 < len(members) <= MAX_NAME_BLOCK
            for n, a in enumerate(members) for b in members[n + 1 :]]  # fmt: skip
    return np.unique(np.array(keys, dtype=np.int64))


# ----------------------------------------------------------------------------- blocking


def _block_keys(record: PersonRecord) -> list[str]:
    n = record.name
    keys = []
    if n.first_surname and n.first_given:
        keys.append(f"s1g:{n.first_surname}|{n.first_given[:1]}")
    if n.first_given and n.second_surname:
        keys.append(f"gs2:{n.first_given}|{n.second_surname}")
    if n.first_surname and n.second_surname:
        keys.append(f"s12:{n.first_surname}|{n.second_surname}")
    if record.dob and n.first_given:
        keys.append(f"dob:{record.dob}|{n.first_given[:1]}")
    keys.extend(f"tel:{p}" for p in record.phones)
    keys.extend(f"id:{i}" for i in record.id_numbers)
    keys.extend(f"idd:{''.join(sorted(i.partition(':')[2]))}" for i in record.id_numbers)
    keys.extend(f"alias:{a}" for a in record.aliases)
    return keys


def candidate_pairs(records: list[PersonRecord]) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) record indexes of every pair some blocking key joins, each pair once."""
    blocks: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        for key in _block_keys(record):
            blocks.setdefault(key, []).append(index)
    size = len(records)
    chunks = []
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_NAME_BLOCK:
            continue
        m = np.array(members, dtype=np.int64)
        a, b = np.triu_indices(len(m), k=1)
        chunks.append(m[a] * size + m[b])
    if not chunks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys = np.unique(np.concatenate(chunks))
    return keys // size, keys % size


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
    model = default_model()
    if len(records) < MIN_RECORDS_TO_TRAIN or len(gamma) < MIN_RECORDS_TO_TRAIN:
        return model
    patterns, _, counts = level_patterns(gamma)
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
        return self.model.explain(self.gamma[at])


def cluster(size: int, scored: list[tuple[int, int, float]], high: float, cannot_link: set[frozenset[int]] = frozenset()) -> tuple[list[int], list[tuple[int, int, float]], int]:
    """Union the pairs at or above `high`, strongest first, unless two records of the two
    clusters must stay apart. Returns (cluster of each record, merged pairs, refused merges)."""
    parent = list(range(size))
    apart: dict[int, set[int]] = {}
    for pair in cannot_link:
        a, b = tuple(pair)
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    members: dict[int, set[int]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    merged, refused = [], 0
    for a, b, p in sorted(scored, key=lambda t: -t[2]):
        if p < high:
            break
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        group_a, group_b = members.get(ra, {ra}), members.get(rb, {rb})
        if any(apart.get(x, set()) & group_b for x in group_a):
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
) -> Resolution:
    """Cluster person records. `cannot_link` / `must_link` are record-index pairs judged
    different / same (by an analyst or an earlier run): they win over the score."""
    left, right = candidate_pairs(records)
    gamma = compare(records, left, right)
    model = model or train(records, gamma)
    if len(left):
        patterns, inverse, _ = level_patterns(gamma)
        probability = model.probability(patterns)[inverse]
    else:
        probability = np.zeros(0)
    scored = [(int(a), int(b), float(p)) for a, b, p in zip(left, right, probability) if p >= low]
    scored += [(a, b, 1.0) for a, b in must_link]
    forbidden = {frozenset(pair) for pair in cannot_link}
    clusters, merged, refused = cluster(len(records), scored, high, forbidden)
    review = [(a, b, p) for a, b, p in scored if low <= p < high and frozenset((a, b)) not in forbidden]
    return Resolution(records, clusters, merged, review, model, left, right, gamma, refused)

