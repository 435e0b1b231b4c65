"""Entity-resolution quality on generated Spanish-name person records with ground truth.

Telaraña's resolver against two baselines on the same records in the same run: exact match
of the normalised name (folded, reading order), and Splink (DuckDB backend) with comparable
comparisons and blocking, when it is installed (`pip install splink`; it is not a runtime
dependency).

    python -m benchmarks.er_quality [--records 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import logging
import time

from backend.domain.names import normalize_person_name
from backend.domain.text import fold
from benchmarks.er_data import generate_rows
from benchmarks.report import print_table
from entity_resolution.engine import make_record, resolve
from entity_resolution.metrics import score_clusters

TARGET_F1 = 0.95


def telarana_clusters(rows) -> list[int]:
    records = [
        make_record(r.record_id, r.full_name, dob=r.dob, phones=[r.phone], id_numbers=[r.id_number], aliases=[r.alias]) for r in rows
    ]
    return resolve(records).clusters


def exact_name_clusters(rows) -> list[str]:
    return [fold(normalize_person_name(r.full_name)) for r in rows]


def splink_clusters(rows):
    """Splink with the same fields: names split, Jaro-Winkler levels, exact DOB / phone / ID,
    the same kind of blocking; EM trained as its documentation shows."""
    try:
        import pyarrow as pa
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        return None
    from backend.domain.normalize import normalize_phone
    from entity_resolution.person_names import split_name

    frame = []
    for r in rows:
        name = split_name(r.full_name)
        frame.append(
            {
                "unique_id": r.record_id,
                "first_name": name.first_given or None,
                "surname": " ".join(name.surnames) or None,
                "first_surname": name.first_surname or None,
                "dob": (r.dob[6:10] + "-" + r.dob[3:5] + "-" + r.dob[0:2]) if "/" in r.dob else (r.dob or None),
                "phone": normalize_phone(r.phone) if r.phone else None,
                "id_number": "".join(c for c in r.id_number if c.isdigit()) or None,
            }
        )
    df = pa.Table.from_pylist(frame)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]),
            cl.ExactMatch("dob"),
            cl.ExactMatch("phone"),
            cl.LevenshteinAtThresholds("id_number", [1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_surname", "substr(first_name, 1, 1)"),
            block_on("phone"),
            block_on("id_number"),
            block_on("dob"),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(df), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("first_name", "surname")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_surname", "dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=0.95)
    label = {row["unique_id"]: row["cluster_id"] for row in clusters.as_record_list()}
    return [label.get(r.record_id, r.record_id) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2, help="seed 1 was used to set the default model; report on another")
    args = parser.parse_args()
    rows = generate_rows(args.records, seed=args.seed)
    truth = [r.person_id for r in rows]
    results = []
    for name, run in (
        ("telaraña resolver", telarana_clusters),
        ("exact normalised name", exact_name_clusters),
        ("Splink 5 (DuckDB)", splink_clusters),
    ):
        started = time.perf_counter()
        clusters = run(rows)
        seconds = time.perf_counter() - started
        if clusters is None:
            results.append((name, "not installed", "", "", "", "", ""))
            continue
        s = score_clusters(clusters, truth)
        results.append(
            (
                name,
                f"{s.pairwise_precision:.3f}",
                f"{s.pairwise_recall:.3f}",
                f"{s.pairwise_f1:.3f}",
                f"{s.bcubed_f1:.3f}",
                f"{seconds:.1f}",
                len(set(clusters)),
            )
        )
    print(f"er_quality: {len(rows):,} records of {len(set(truth)):,} true people (seed {args.seed})")
    print_table(("method", "pair prec.", "pair recall", "pair F1", "B³ F1", "seconds", "clusters"), results)
    ours = float(results[0][3])
    others = [float(r[3]) for r in results[1:] if r[3]]
    verdict = "met" if ours >= TARGET_F1 and all(ours > o for o in others) else "NOT met"
    print(f"target: pairwise F1 ≥ {TARGET_F1} and above both baselines — {verdict}")


if __name__ == "__main__":
    main()
