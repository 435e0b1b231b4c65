"""Write throughput of both stores, and of a bare UNWIND … CREATE on the same Neo4j.

    python -m benchmarks.store_write [--rows 100000] [--skip-neo4j]

Rows counted: entities + mentions + relationships + evidence (+ documents). Neo4j is the
server named by TELARANA_NEO4J_URI, or one the launcher starts for this run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

from backend.store import launcher as neo4j_launcher
from backend.store.validation import StoreLookup, prepare_batch
from benchmarks.generate import write_workload
from benchmarks.report import peak_rss_mib, print_table

BARE = Path(__file__).parent / "bare_cypher"
# What the store may add to the bare statements: validation, lookups, idempotence (issue 23).
NEO4J_RUNS = 5
TARGET_BARE_RATIO = 0.9
BARE_ORDER = ("cases", "documents", "entities", "mentions", "evidence", "relationships")


def _rows(batches) -> int:
    return sum(
        len(b.documents) + len(b.entities) + len(b.mentions) + len(b.relationships) + sum(len(r.evidence) for r in b.relationships)
        for b in batches
    )


def bench_sqlite(batches) -> float:
    from backend.store.sqlite import SqliteStore

    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite3")
        started = time.perf_counter()
        for batch in batches:
            store.write(batch)
        elapsed = time.perf_counter() - started
        store.close()
    return elapsed


class _NothingStored(StoreLookup):
    """A lookup for an empty database whose one case exists: every record is new."""

    def documents(self, ids, with_text):
        return {}

    def entity_types(self, ids):
        return {}

    def relationship_keys(self, ids):
        return {}

    def case_ids(self, ids):
        return set(ids)

    def entity_versions(self, ids):
        return {}


def _bare_rows(batch):
    """Exactly the rows and properties store.write sends, for the bare statements (not timed)."""
    prepared = prepare_batch(batch, _NothingStored())
    keys = {r["id"]: r for r in prepared.relationships}
    return {
        "cases": prepared.cases,
        "documents": prepared.documents,
        "entities": prepared.entities,
        "mentions": prepared.mentions,
        "evidence": [
            {
                **ev,
                "rel_type": keys[ev["relationship_id"]]["type"],
                "rel_source": keys[ev["relationship_id"]]["source_id"],
                "rel_target": keys[ev["relationship_id"]]["target_id"],
            }
            for ev in prepared.evidence
        ],
        "relationships": prepared.relationships,
    }


def bench_neo4j(batches, uri, user, password) -> tuple[list[float], list[float], list[float]]:
    """Our store.write against bare UNWIND … CREATE: same server, same schema (the store
    applied it), same batches, the same properties stored, one transaction per batch each. Both
    run once on a warm-up workload first (30,000 rows: after 5,000 the first timed run was still
    up to 40% slower than the others), so neither pays for the JVM's or the planner's first use."""
    from neo4j import GraphDatabase

    from backend.store.neo4j import Neo4jStore

    statements = {name: (BARE / f"{name}.cypher").read_text() for name in BARE_ORDER}
    store = Neo4jStore(uri=uri, user=user, password=password, connect_timeout=60)
    driver = GraphDatabase.driver(uri, auth=(user, password), notifications_min_severity="OFF")

    def ours(work) -> float:
        store.clear()
        started = time.perf_counter()
        for batch in work:
            store.write(batch)
        return time.perf_counter() - started

    def in_turn(work) -> float:
        """The batch writer ingest uses: each batch shaped while the one before commits."""
        store.clear()
        started = time.perf_counter()
        with store.batch_writer() as writer:
            for batch in work:
                writer.submit(batch)
        return time.perf_counter() - started

    def bare(work) -> float:
        store.clear()
        shaped = [_bare_rows(batch) for batch in work]  # not timed

        def write(tx, rows):
            for name in BARE_ORDER:
                tx.run(statements[name], rows=rows[name]).consume()

        started = time.perf_counter()
        with driver.session() as session:
            for rows in shaped:
                session.execute_write(write, rows)
        return time.perf_counter() - started

    warm_up = write_workload(30_000, seed=99)
    ours(warm_up)
    in_turn(warm_up)
    bare(warm_up)
    # Taking turns, five times each: pairs of runs swung from 0.66× to 1.11× within one run of this benchmark.
    ours_runs, writer_runs, bare_runs = [], [], []
    for _ in range(NEO4J_RUNS):
        ours_runs.append(ours(batches))
        writer_runs.append(in_turn(batches))
        bare_runs.append(bare(batches))
    store.clear()
    store.close()
    driver.close()
    return ours_runs, writer_runs, bare_runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-neo4j", action="store_true")
    args = parser.parse_args()

    batches = write_workload(args.rows)
    # A real ingest streams its batches; here all are generated up front, so keep the
    # collector from rescanning them during the timed writes.
    gc.collect()
    gc.freeze()
    rows = _rows(batches)
    print(f"store_write: {rows:,} rows in {len(batches)} batches (one transaction each)")
    table = []
    # Disk flushes on this kind of machine vary from run to run: take the median of three.
    runs = sorted(bench_sqlite(batches) for _ in range(3))
    sqlite_s = runs[1]
    table.append(("SQLite store.write (median of 3)", f"{sqlite_s:.2f}", f"{rows / sqlite_s:,.0f}", "", "≥ 50,000 rows/s"))
    spread = ", ".join(f"{rows / r:,.0f}" for r in runs)
    if not args.skip_neo4j:
        with neo4j_launcher.configured_or_started("benchmark-password", heap="4g", pagecache="2g") as (uri, user, password):
            ours_runs, writer_runs, bare_runs = bench_neo4j(batches, uri, user, password)
        bare = statistics.median(bare_runs)
        for what, runs in (("Neo4j store.write, one call a batch", ours_runs), ("Neo4j batch writer (ingest's)", writer_runs)):
            ours = statistics.median(runs)
            ratio = bare / ours
            table.append((f"{what} (median of {NEO4J_RUNS})", f"{ours:.2f}", f"{rows / ours:,.0f}", f"{ratio:.2f}",
                          f"≥ {TARGET_BARE_RATIO}× bare {'met' if ratio >= TARGET_BARE_RATIO else 'NOT met'}"))  # fmt: skip
        table.append((f"Neo4j bare UNWIND…CREATE (median of {NEO4J_RUNS})", f"{bare:.2f}", f"{rows / bare:,.0f}", "1.00", "baseline"))
    print_table(("what", "seconds", "rows/s", "× bare", "target"), table)
    print(f"SQLite runs: {spread} rows/s")
    if not args.skip_neo4j:
        print(
            "Neo4j runs, in turn (store.write / batch writer / bare, rows/s): "
            + ", ".join(f"{rows / o:,.0f} / {rows / w:,.0f} / {rows / b:,.0f}" for o, w, b in zip(ours_runs, writer_runs, bare_runs))
        )
    print(f"peak RSS of this process: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
