"""Scoring extraction against gold: precision, recall and F1 per entity type.

Values compare in their normalised form (persons and places folded: accents and case do
not count); route legs compare as "origin city→destination city". Scores are micro-averaged
over documents: a value counts once per document.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.domain.text import fold
from backend.domain.vocabulary import EntityType
from ingest.extraction import Extraction
from ingest.generator import EVALUATED_TYPES

_FOLDED = {EntityType.PERSON, EntityType.LOCATION, EntityType.ROUTE_LEG}


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _norm(kind: str, value: str) -> str:
    return fold(value).strip() if kind in _FOLDED else value


def predicted_values(extraction: Extraction) -> dict[str, set[str]]:
    values: dict[str, set[str]] = {kind: set() for kind in EVALUATED_TYPES}
    for mention in extraction.mentions:
        if mention.type in values:
            values[mention.type].add(_norm(mention.type, mention.normalized))
    for entity in extraction.entities.values():
        if entity.type == EntityType.ROUTE_LEG:
            values[EntityType.ROUTE_LEG].add(
                _norm(EntityType.ROUTE_LEG, f"{entity.properties['origin_city']}→{entity.properties['destination_city']}")
            )
    return values


def score(pairs: list[tuple[dict[str, list[str]], dict[str, set[str]]]]) -> dict[str, Score]:
    """(gold, predicted) per document -> a Score per type."""
    scores = {kind: Score() for kind in EVALUATED_TYPES}
    for gold, predicted in pairs:
        for kind in EVALUATED_TYPES:
            wanted = {_norm(kind, v) for v in gold.get(kind, ())}
            found = predicted.get(kind, set())
            scores[kind].true_positives += len(wanted & found)
            scores[kind].false_positives += len(found - wanted)
            scores[kind].false_negatives += len(wanted - found)
    return scores
