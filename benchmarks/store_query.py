"""Query latency of the embedded store on a generated case graph.

    python -m benchmarks.store_query [--nodes 1000000] [--samples 300] [--db PATH]

Builds (once; reused while the file exists) a graph of about --nodes entities and 3× as many
relationships in a SQLite store, then times, on random persons:
  - 2-hop neighbourhood with limit 500 (store.neighbourhood), against a bare SQL 2-hop
    query on the same file as the baseline;
  - shortest path between two random persons (store.paths, k=1, max 6 hops), against
    networkx's bidirectional shortest path on the same graph held in memory.
Prints p50 / p95 and the peak RSS (taken before the in-memory baseline is loaded).
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from pathlib import Path

import networkx as nx

from backend.graph import traversal
from backend.store.sqlite import SqliteStore
from benchmarks.generate import query_graph
from benchmarks.report import peak_rss_mib, percentile, print_table

OUTPUT = Path(__file__).parent / "output"

BARE_TWO_HOPS = """
WITH first AS (
    SELECT target_id AS id FROM relationships WHERE source_id = :start
    UNION SELECT source_id FROM relationships WHERE target_id = :start
), second AS (
    SELECT r.target_id AS id FROM relationships r JOIN first f ON r.source_id = f.id
    UNION SELECT r.source_id FROM relationships r JOIN first f ON r.target_id = f.id
)
SELECT id FROM first UNION SELECT id FROM second LIMIT 500
"""


def build(path: Path, nodes: int) -> list[str]:
    marker = path.with_suffix(".complete")
    persons_file = path.with_suffix(".persons")
    if marker.exists() and path.exists():
        print(f"reusing {path}")
        return persons_file.read_text().split()
    for stale in (path, marker, persons_file, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    persons: list[str] = []
    started = time.perf_counter()
    with SqliteStore(path) as store:
        for batch, ids in query_graph(nodes):
            store.write(batch)
            persons += ids.get("Person", [])
        counts = store.counts()
    elapsed = time.perf_counter() - started
    entities = sum(counts["entities"].values())
    rels = sum(counts["relationships"].values())
    print(f"built {entities:,} entities and {rels:,} relationships in {elapsed:.0f} s (generation included)")
    persons_file.write_text("\n".join(persons))
    marker.touch()
    return persons


def timed(fn, runs) -> list[float]:
    out = []
    for args in runs:
        started = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - started) * 1000)
    return out


def _networkx_row(db: Path, pairs: list[tuple[str, str]]) -> tuple[str, str, str, str]:
    """The baseline: networkx's bidirectional shortest path over the whole graph held in memory."""
    graph = nx.Graph()
    load_started = time.perf_counter()
    with SqliteStore(db) as again:
        for row in again._conn.execute("SELECT source_id, target_id FROM relationships"):
            graph.add_edge(row[0], row[1])
    load_s = time.perf_counter() - load_started

    def nx_path(a, b):
        try:
            nx.bidirectional_shortest_path(graph, a, b)
        except nx.NetworkXNoPath:
            pass

    nx_ms = timed(nx_path, pairs)
    return (
        f"shortest path, networkx in memory (load {load_s:.0f} s)",
        f"{percentile(nx_ms, 50):.1f}",
        f"{percentile(nx_ms, 95):.1f}",
        "baseline",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--skip-networkx", action="store_true")
    args = parser.parse_args()

    db = args.db or OUTPUT / f"query-graph-{args.nodes}.sqlite3"
    persons = build(db, args.nodes)
    gc.collect()
    rng = random.Random(2024)
    starts = [(rng.choice(persons),) for _ in range(args.samples)]
    pairs = [(rng.choice(persons), rng.choice(persons)) for _ in range(args.samples)]

    store = SqliteStore(db)
    counts = store.counts()
    print(
        f"graph: {sum(counts['entities'].values()):,} entities, {sum(counts['relationships'].values()):,} relationships; "
        f"{args.samples} samples each"
    )
    # Warm the page cache the same way for every contender.
    for (s,) in starts[:20]:
        traversal.neighbourhood(store, s, hops=2, limit=500)

    sizes: list[int] = []

    def hood(start):
        sizes.append(len(traversal.neighbourhood(store, start, hops=2, limit=500).nodes))

    hood_ms = timed(hood, starts)
    # The worst case analysts hit: opening a bus terminal or an airport, where thousands of
    # journeys meet (the limit then cuts the second ring).
    hubs = [(f"place-{i}",) for i in range(0, 300, 10)] + [(f"airport-{i}",) for i in range(0, 30, 3)]
    hub_sizes: list[int] = []
    hub_ms = timed(lambda h: hub_sizes.append(len(traversal.neighbourhood(store, h, hops=2, limit=500).nodes)), hubs)
    bare_ms = timed(lambda s: store._query(BARE_TWO_HOPS, {"start": s}), starts)

    found: list[int] = []

    def path(a, b):
        result = traversal.paths(store, a, b, k=1, max_hops=6)
        found.append(result.paths[0].length if result.paths else -1)

    path_ms = timed(path, pairs)
    rss = peak_rss_mib()
    store.close()

    rows = [
        ("2-hop neighbourhood, limit 500 (store)", f"{percentile(hood_ms, 50):.1f}", f"{percentile(hood_ms, 95):.1f}", "≤ 50 ms p95"),
        (
            f"2-hop neighbourhood from {len(hubs)} hubs (terminals, airports)",
            f"{percentile(hub_ms, 50):.1f}",
            f"{percentile(hub_ms, 95):.1f}",
            "(worst case)",
        ),
        ("2-hop ids, bare SQL on the same file", f"{percentile(bare_ms, 50):.1f}", f"{percentile(bare_ms, 95):.1f}", "baseline"),
        ("shortest path, random persons (store)", f"{percentile(path_ms, 50):.1f}", f"{percentile(path_ms, 95):.1f}", "≤ 100 ms p95"),
    ]
    if not args.skip_networkx:
        rows.append(_networkx_row(db, pairs))
    print_table(("query", "p50 ms", "p95 ms", "target"), rows)
    reached = [n for n in found if n >= 0]
    print(
        f"neighbourhood size: mean {sum(sizes) / len(sizes):.0f} nodes (max {max(sizes)}), "
        f"from hubs mean {sum(hub_sizes) / len(hub_sizes):.0f}; "
        f"paths found within 6 hops: {len(reached)}/{len(found)}" + (f", mean length {sum(reached) / len(reached):.1f}" if reached else "")
    )
    print(f"peak RSS (store queries, before the networkx baseline): {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
