"""A national call-record graph on Neo4j: generated CDR files (an operator's export format, 10,000
rows each) ingested by the ingest job into the Neo4j store until --rows are in or --minutes have
passed, then the two questions asked of call records at that scale, on the server.

    python -m benchmarks.cdr_scale [--rows 10000000] [--minutes 30] [--file-rows 10000] [--queries 50]

Neo4j is the server TELARANA_NEO4J_URI names, or one the launcher starts (heap 4 GB, page cache
6 GB). Printed, each against its baseline on the same server in the same run:
  - rows/s of the ingest job (read the table, records, document + mentions + evidence +
    relationships, full-text index), against bare UNWIND … MERGE phones … CREATE a call
    relationship over the same rows (the graph neo4j-admin import would give: phones and calls,
    nothing else), timed on the first files and then removed;
  - common contacts of two phones (numbers both called or were called by) and the contacts
    within two calls of a phone (2-hop), p50 / p95 over --queries phones of the graph, each
    with how many phones it found.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from backend.store import launcher as neo4j_launcher
from benchmarks.report import percentile, print_table

HEADER = ["Número origen", "Número destino", "Fecha y hora", "Duración (s)", "Celda", "IMEI"]
BARE_FILES = 2
BARE_CALLS = """
UNWIND $rows AS row
MERGE (a:BarePhone {number: row.caller})
MERGE (b:BarePhone {number: row.called})
CREATE (a)-[:BARE_CALLED {at: row.at, seconds: row.seconds}]->(b)
"""
BARE_SCHEMA = "CREATE CONSTRAINT bare_phone IF NOT EXISTS FOR (p:BarePhone) REQUIRE p.number IS UNIQUE"
BARE_CLEAR = "MATCH (p:BarePhone) CALL (p) { DETACH DELETE p } IN TRANSACTIONS OF 10000 ROWS"
COMMON_CONTACTS = """
MATCH (a:Entity {id: $left})-[:CALLED]-(contact:Entity)-[:CALLED]-(b:Entity {id: $right})
WHERE contact <> a AND contact <> b
RETURN count(DISTINCT contact) AS found
"""
TWO_HOPS = """
MATCH (a:Entity {id: $id})-[:CALLED*1..2]-(contact:Entity)
WHERE contact <> a
RETURN count(DISTINCT contact) AS found
"""


class CallNetwork:
    """Phones in circles of about 30 that call mostly among themselves (nine calls in ten), as a
    country's lines do; a fixed seed gives the same rows on every run."""

    def __init__(self, rows: int, seed: int = 5):
        self.rng = random.Random(seed)
        # Colombian mobile ranges (a number outside them is refused by ingest, as it should be).
        prefixes = ("300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315", "316", "317", "318", "319", "320", "321",
                    "350", "351")  # fmt: skip
        drawn = random.Random(seed).sample(range(len(prefixes) * 10**7), max(1000, rows // 50))
        self.phones = [f"+57{prefixes[n // 10**7]}{n % 10**7:07d}" for n in drawn]
        self.circle = 30

    def rows(self, count: int, start_minute: int) -> list[list[str]]:
        rng, phones, found = self.rng, self.phones, []
        for i in range(count):
            caller = rng.randrange(len(phones))
            if rng.random() < 0.9:
                base = caller - caller % self.circle
                called = base + rng.randrange(min(self.circle, len(phones) - base))
            else:
                called = rng.randrange(len(phones))
            if called == caller:
                called = (caller + 1) % len(phones)
            minute = start_minute + i
            day, rest = divmod(minute // 60, 24)
            stamp = f"{1 + day % 28:02d}/{1 + day // 28 % 12:02d}/2025 {rest:02d}:{minute % 60:02d}"
            found.append([phones[caller], phones[called], stamp, str(rng.randrange(5, 1800)), f"732-101-{rng.randrange(9999):04d}",
                          f"35{rng.randrange(10**13):013d}"])  # fmt: skip
        return found


def write_file(folder: Path, number: int, rows: list[list[str]]) -> Path:
    path = folder / f"cdr_operador_{number:04d}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def bare_rows_per_second(driver, files: list[list[list[str]]]) -> float:
    """Bare UNWIND over the rows of the first files, one transaction per file; removed after. The
    first file goes in once untimed first: on a freshly started server the statement's first runs
    pay for the server's warm-up (in one run 5,008 rows/s cold against 19,363 warm)."""
    driver.execute_query(BARE_SCHEMA)
    _bare_write(driver, files[:1])
    _bare_clear(driver)
    started = time.perf_counter()
    count = _bare_write(driver, files)
    seconds = time.perf_counter() - started
    _bare_clear(driver)
    return count / seconds


def _bare_clear(driver) -> None:
    with driver.session() as session:
        session.run(BARE_CLEAR).consume()


def _bare_write(driver, files: list[list[list[str]]]) -> int:
    count = 0
    for rows in files:
        shaped = [{"caller": r[0], "called": r[1], "at": r[2], "seconds": int(r[3])} for r in rows]
        with driver.session() as session:
            session.execute_write(lambda tx, batch=shaped: [tx.run(BARE_CALLS, rows=batch[i : i + 5000]).consume()
                                                              for i in range(0, len(batch), 5000)])  # fmt: skip
        count += len(rows)
    return count


def ingest_until(store, network: CallNetwork, rows: int, file_rows: int, minutes: float, folder: Path) -> tuple[int, float, int]:
    """(rows ingested, seconds, files) — whole files, until `rows` or the time is up."""
    from ingest.job import ingest_paths

    done, files, spent = 0, 0, 0.0
    while done < rows and spent < minutes * 60:
        count = min(file_rows, rows - done)
        path = write_file(folder, files, network.rows(count, done))  # generating is not timed
        started = time.perf_counter()
        summary = ingest_paths([path], store, "CDR nacional")
        spent += time.perf_counter() - started
        if summary.failed:
            raise SystemExit(f"{path.name} failed: {summary.failed[0].reason}")
        path.unlink()
        done, files = done + count, files + 1
        print(f"  {done:,} rows in {spent:,.0f} s ({done / spent:,.0f} rows/s)", flush=True)
    return done, spent, files


def query_latencies(driver, database: str, network: CallNetwork, phones_in: int, queries: int) -> list[tuple]:
    rng = random.Random(11)
    reached = network.phones[: max(2, phones_in)]
    timings: dict[str, list[float]] = {"common contacts of two phones": [], "contacts within two calls (2-hop)": []}
    found: dict[str, list[int]] = {k: [] for k in timings}
    for _ in range(queries):
        left = rng.randrange(len(reached))
        base = left - left % network.circle
        right = base + (left - base + 1 + rng.randrange(network.circle - 1)) % network.circle
        right = min(right, len(reached) - 1)
        for kind, statement, params in (
            ("common contacts of two phones", COMMON_CONTACTS, {"left": f"phone:{reached[left]}", "right": f"phone:{reached[right]}"}),
            ("contacts within two calls (2-hop)", TWO_HOPS, {"id": f"phone:{reached[left]}"}),
        ):
            started = time.perf_counter()
            records, _, _ = driver.execute_query(statement, parameters_=params, database_=database, routing_="r")
            timings[kind].append((time.perf_counter() - started) * 1000)
            found[kind].append(records[0]["found"])
    return [(kind, f"{percentile(ms, 50):.1f}", f"{percentile(ms, 95):.1f}", f"{sorted(found[kind])[len(found[kind]) // 2]:,}")
            for kind, ms in timings.items()]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--minutes", type=float, default=30.0, help="stop ingesting (between files) after this long")
    parser.add_argument("--file-rows", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    from neo4j import GraphDatabase

    from backend.store.neo4j import Neo4jStore

    network = CallNetwork(args.rows)
    with neo4j_launcher.configured_or_started("benchmark-password", heap="4g", pagecache="6g") as (uri, user, password):
        store = Neo4jStore(uri=uri, user=user, password=password, connect_timeout=120)
        driver = GraphDatabase.driver(uri, auth=(user, password), notifications_min_severity="OFF")
        store.clear()
        sample = CallNetwork(args.rows)
        bare = bare_rows_per_second(driver, [sample.rows(args.file_rows, i * args.file_rows) for i in range(BARE_FILES)])
        with tempfile.TemporaryDirectory() as tmp:
            done, seconds, files = ingest_until(store, network, args.rows, args.file_rows, args.minutes, Path(tmp))
        counts = store.counts()
        phones_in = min(len(network.phones), counts["entities"].get("Phone", 0))
        print(f"cdr_scale: {done:,} CDR rows of {args.rows:,} asked for ({files} files of {args.file_rows:,}; "
              f"{'all' if done >= args.rows else f'stopped after {args.minutes:g} minutes'}) on Neo4j, 2 cores")  # fmt: skip
        print(f"graph: {counts['entities'].get('Phone', 0):,} phones, {counts['relationships'].get('CALLED', 0):,} calls, "
              f"{counts['mentions']:,} mentions, {counts['evidence']:,} pieces of evidence")  # fmt: skip
        print_table(("ingest", "rows/s", "× bare"),
                    [("ingest job into the Neo4j store", f"{done / seconds:,.0f}", f"{done / seconds / bare:.2f}"),
                     (f"bare UNWIND … MERGE phones … CREATE call (first {BARE_FILES} files' rows)", f"{bare:,.0f}", "1.00")])  # fmt: skip
        print_table(("query (Cypher on the server)", "p50 ms", "p95 ms", "median found"),
                    query_latencies(driver, store.database, network, phones_in, args.queries))  # fmt: skip
        driver.close()
        store.close()


if __name__ == "__main__":
    main()
