"""Clustering quality against ground truth: pairwise precision / recall / F1 and B-cubed F1."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class ClusterScores:
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score_clusters(predicted: list, truth: list) -> ClusterScores:
    """`predicted[i]` and `truth[i]` are the cluster labels of record i."""
    both = Counter(zip(predicted, truth))
    by_predicted = Counter(predicted)
    by_truth = Counter(truth)
    true_positive = sum(_pairs(n) for n in both.values())
    predicted_pairs = sum(_pairs(n) for n in by_predicted.values())
    truth_pairs = sum(_pairs(n) for n in by_truth.values())
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / truth_pairs if truth_pairs else 1.0
    # B-cubed: per record, the share of its predicted cluster that is truly its own, and of
    # its true cluster that was found; a record counts with itself.
    total = len(predicted)
    b_precision = sum(n * n / by_predicted[p] for (p, t), n in both.items()) / total if total else 1.0
    b_recall = sum(n * n / by_truth[t] for (p, t), n in both.items()) / total if total else 1.0
    return ClusterScores(precision, recall, _f1(precision, recall), b_precision, b_recall, _f1(b_precision, b_recall))
