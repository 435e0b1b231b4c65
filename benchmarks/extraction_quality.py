"""Extraction quality: precision / recall / F1 per type against gold.

Three corpora:
- the bundled sample case (narrative documents and their gold written by hand; tables and
  follow-up reports generated from the story). The extractor was improved while looking at
  its misses on this case, so it is a development set;
- benchmarks/heldout/: five hand-written documents whose gold was written before the
  extractor ever ran on them, and which were not used to tune it: the honest figure;
- N documents from the generator (default 1,000). Its gold comes from the same templates
  that wrote the text, so its figures flatter the extractor.

    python -m benchmarks.extraction_quality [--generated 1000] [--details]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ingest.evaluation import _norm, predicted_values, score
from ingest.generator import EVALUATED_TYPES, generate_documents, write_corpus
from ingest.job import extract_path
from ingest.pipeline import load_pipeline
from ingest.sample_case_builder import FOLDER as SAMPLE_FOLDER
from ingest.sample_case_builder import GOLD_PATH as SAMPLE_GOLD

TARGETS = {"Phone": 0.95, "IdentityDocument": 0.95, "Flight": 0.95, "Airport": 0.95, "BusTerminal": 0.95, "Person": 0.85, "RouteLeg": 0.80}
LABELS = {"Person": "persons", "Phone": "phones", "IdentityDocument": "IDs", "Flight": "flights", "Airport": "airports",
          "BusTerminal": "terminals", "Location": "locations", "RouteLeg": "route legs (origin→destination)"}  # fmt: skip


def evaluate_folder(folder: Path, gold: dict[str, dict], details: bool) -> tuple[dict, int]:
    nlp = load_pipeline()
    pairs = []
    for name in sorted(p.name for p in folder.iterdir() if p.name != "gold.json"):
        for shown, extraction in extract_path(folder / name, nlp=nlp):
            key = shown.replace(str(folder) + "/", "")
            if isinstance(extraction, str):
                print(f"  could not read {key}: {extraction}")
                continue
            if key not in gold:
                raise SystemExit(f"no gold for {key}")
            predicted = predicted_values(extraction)
            pairs.append((gold[key], predicted))
            if details:
                for kind in EVALUATED_TYPES:
                    wanted = {_norm(kind, v) for v in gold[key].get(kind, ())}
                    found = predicted.get(kind, set())
                    if wanted != found:
                        print(f"  {key} {kind}: missed {sorted(wanted - found)} extra {sorted(found - wanted)}")
    return score(pairs), len(pairs)


def print_table(title: str, scores: dict, documents: int) -> None:
    print(f"\n{title} ({documents} documents)")
    print(f"{'type':34} {'gold':>5} {'found':>5} {'prec.':>6} {'recall':>6} {'F1':>6}  target")
    print(f"{'-' * 34} {'-' * 5} {'-' * 5} {'-' * 6} {'-' * 6} {'-' * 6}  {'-' * 12}")
    for kind in EVALUATED_TYPES:
        s = scores[kind]
        target = TARGETS.get(kind)
        verdict = "" if target is None else (f"≥ {target:.2f} " + ("met" if s.f1 >= target else "NOT met"))
        print(
            f"{LABELS[kind]:34} {s.true_positives + s.false_negatives:5d} {s.true_positives + s.false_positives:5d} "
            f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=1000, help="how many generated documents (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--details", action="store_true", help="print every miss and extra per document")
    args = parser.parse_args()
    started = time.perf_counter()
    sample_gold = json.loads(SAMPLE_GOLD.read_text("utf-8"))["documents"]
    scores, documents = evaluate_folder(SAMPLE_FOLDER, sample_gold, args.details)
    print_table("sample case 'Operación Telar' (hand-written gold; used while developing the rules)", scores, documents)
    heldout = Path(__file__).parent / "heldout"
    scores, documents = evaluate_folder(heldout, json.loads((heldout / "gold.json").read_text("utf-8"))["documents"], args.details)
    print_table("held-out hand-written documents (gold written first, never used for tuning)", scores, documents)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gold_path = write_corpus(folder, generate_documents(args.generated, seed=args.seed))
        gold = json.loads(gold_path.read_text("utf-8"))["documents"]
        scores, documents = evaluate_folder(folder, gold, args.details)
    print_table(f"generated corpus, seed {args.seed} (gold from the generator's templates)", scores, documents)
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
