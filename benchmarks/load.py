"""A bounded load test: concurrent clients on 127.0.0.1 for a fixed time against the real server
(`telarana serve` with TELARANA_WEB_WORKERS processes, as users run it) holding the bundled
sample case. Each client loops over search, neighbourhood and path requests; every answer is
checked (status 200 and the JSON it must hold), so an error is a wrong answer as well as a
failed one. With --as-analyst every request signs in as an analyst assigned the case, and so
reads through her case compartment.

    python -m benchmarks.load [--clients 50] [--seconds 60] [--store sqlite|neo4j] [--workers N] [--as-analyst]

Prints requests, throughput, p50 / p99 latency and errors per kind of request. The baseline in
the same run is /api/health (one store ping) under the same load: the cost of the server and
the client themselves. A warm-up run comes first and is not counted. Target: zero errors,
p99 <= 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from benchmarks.report import percentile, print_table

TARGET_P99_MS = 500.0
# The first requests to each worker process pay for imports and caches; they are not the steady state.
WARM_UP_SECONDS = 5.0


@dataclass
class Probe:
    """One request and the check its answer must pass."""

    kind: str
    path: str
    expect: str  # a key the JSON answer must hold, or "list" for a non-empty list

    def ok(self, status: int, body) -> bool:
        if status != 200:
            return False
        return bool(body) if self.expect == "list" else isinstance(body, dict) and self.expect in body


@dataclass
class LoadResult:
    seconds: float
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def requests(self, kind: str | None = None) -> int:
        kinds = [kind] if kind else list(self.latencies_ms)
        return sum(len(self.latencies_ms[k]) for k in kinds)

    def error_count(self, kind: str | None = None) -> int:
        kinds = [kind] if kind else list(self.errors)
        return sum(len(self.errors[k]) for k in kinds)

    def all_latencies(self) -> list[float]:
        return [v for values in self.latencies_ms.values() for v in values]


def sample_case_probes(base_store) -> list[Probe]:
    """Searches for names in the case, neighbourhoods of its most connected persons, and paths
    between pairs of them, read from the store the server will serve."""
    from backend.domain.model import GraphFilter

    degree: dict[str, int] = defaultdict(int)
    for edge in base_store.all_edges(GraphFilter()):
        degree[edge.source_id] += 1
        degree[edge.target_id] += 1
    entities = base_store.entities(degree)
    persons = sorted((e for e in entities.values() if e.type == "Person"), key=lambda e: (-degree[e.id], e.id))[:12]
    probes = [Probe("search", "/api/search?" + urlencode({"q": word}), "list")
              for word in sorted({p.label.split()[-1] for p in persons})]  # fmt: skip
    probes += [Probe("neighbourhood", f"/api/entities/{p.id}/neighbourhood?hops=2", "nodes") for p in persons]
    probes += [Probe("path", "/api/paths?" + urlencode({"source": a.id, "target": b.id, "k": 3}), "paths")
               for a, b in zip(persons, persons[1:] + persons[:1])]  # fmt: skip
    return probes


async def _client(session: aiohttp.ClientSession, base_url: str, probes: list[Probe], deadline: float, result: LoadResult,
                  rng: random.Random) -> None:  # fmt: skip
    while time.perf_counter() < deadline:
        probe = rng.choice(probes)
        started = time.perf_counter()
        try:
            async with session.get(base_url + probe.path) as response:
                text = await response.text()
            body = json.loads(text) if response.content_type == "application/json" else None
            good = probe.ok(response.status, body)
            problem = "" if good else f"{response.status} {text[:200]}"
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            good, problem = False, f"{type(exc).__name__}: {exc}"
        result.latencies_ms[probe.kind].append((time.perf_counter() - started) * 1000)
        if not good:
            result.errors[probe.kind].append(f"{probe.path}: {problem}")


async def _run(base_url: str, probes: list[Probe], clients: int, seconds: float, seed: int, headers: dict[str, str] | None) -> LoadResult:
    # aiohttp, not httpx: at 50 clients httpx's own CPU time was the bottleneck (one core busy
    # in the client while the server idled), and it measured its own queueing as latency.
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30), headers=headers) as session:
        result = LoadResult(seconds=seconds)
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_client(session, base_url, probes, deadline, result, random.Random(seed + n)) for n in range(clients)))
    return result


def run_load(base_url: str, probes: list[Probe], clients: int = 50, seconds: float = 60.0, seed: int = 0,
             headers: dict[str, str] | None = None) -> LoadResult:  # fmt: skip
    """`clients` concurrent clients, each sending the next request as soon as its last one was
    answered, for `seconds` (with these headers: an API token)."""
    return asyncio.run(_run(base_url, probes, clients, seconds, seed, headers))


def analyst_token(settings, cases: list[str]) -> dict[str, str]:
    """An analyst assigned these cases, and the header that signs requests in as her: the server
    then reads through her case compartment, as it does for every user but an admin."""
    from backend.store.accounts import Accounts

    with Accounts(settings.accounts_path) as accounts:
        accounts.add_user("carga", "analyst", "benchmark-password-" + os.urandom(8).hex(), tuple(cases))
        return {"Authorization": "Bearer " + accounts.api_token("carga")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(env: dict[str, str], timeout: float = 120.0):
    """`telarana serve` in its own process on a free loopback port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "backend.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(base + "/api/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("the server did not start:\n" + log.read().decode("utf-8", "replace")[-3000:])
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def print_result(result: LoadResult, baseline: LoadResult | None, clients: int, workers: int) -> None:
    rows = []
    for name, res, kinds in [("ours", result, sorted(result.latencies_ms)), ("baseline", baseline, ["health"] if baseline else [])]:
        for kind in [*kinds, None] if name == "ours" else kinds:
            values = res.latencies_ms[kind] if kind else res.all_latencies()
            rows.append((
                f"{kind or 'all (search, neighbourhood, path)'}" + (" — baseline: one store ping" if name == "baseline" else ""),
                f"{len(values):,}", f"{len(values) / res.seconds:,.1f}", f"{percentile(values, 50):.1f}",
                f"{percentile(values, 99):.1f}", f"{res.error_count(kind):,}",
            ))  # fmt: skip
    print(f"load: {clients} concurrent clients, {result.seconds:g} s per run after {WARM_UP_SECONDS:g} s of warm-up, 127.0.0.1, "
          f"{workers} server worker process{'es' if workers > 1 else ''}")  # fmt: skip
    print_table(("requests", "count", "per second", "p50 ms", "p99 ms", "errors"), rows)
    p99 = percentile(result.all_latencies(), 99)
    met = result.error_count() == 0 and p99 <= TARGET_P99_MS
    print(f"target zero errors and p99 <= {TARGET_P99_MS:g} ms: {'met' if met else 'NOT met'} "
          f"({result.error_count()} errors, p99 {p99:.1f} ms)")  # fmt: skip
    for kind, problems in result.errors.items():
        for problem in problems[:3]:
            print(f"  error ({kind}): {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--store", choices=["sqlite", "neo4j"], default="sqlite")
    parser.add_argument("--workers", type=int, default=None, help="Server processes (default: TELARANA_WEB_WORKERS).")
    parser.add_argument(
        "--as-analyst",
        action="store_true",
        help="Sign every request in as an analyst assigned the case, so "
        "it reads through her case compartment (default: the open development server, as an admin).",
    )
    args = parser.parse_args()

    from backend.domain.settings import Settings
    from backend.store import open_store
    from ingest.sample_case_builder import CASE_NAME, FOLDER

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "TELARANA_DATA_DIR": folder, "TELARANA_STORE": args.store}
        env.pop("TELARANA_SQLITE_PATH", None)
        if args.workers:
            env["TELARANA_WEB_WORKERS"] = str(args.workers)
        settings = Settings(_env_file=None, data_dir=Path(folder), store=args.store)
        if args.store == "neo4j":
            with open_store(settings) as store:
                store.clear()
        # Ingest in its own process: spaCy's objects left in this one would slow the client's
        # garbage collection and show up as server latency.
        started = time.perf_counter()
        command = [sys.executable, "-m", "backend.cli", "ingest", str(FOLDER), "--case", CASE_NAME, "--no-progress"]
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        with open_store(settings) as store:
            probes = sample_case_probes(store)
            cases = [c.id for c in store.cases()]
        print(
            f"sample case ingested and resolved into {args.store} in {time.perf_counter() - started:.1f} s; {len(probes)} distinct requests"
        )
        headers = analyst_token(settings, cases) if args.as_analyst else None
        print(
            "requests signed in as an analyst assigned the case (API token)"
            if headers
            else "requests to the open development server (admin)"
        )
        with served(env) as base:
            run_load(base, probes, args.clients, WARM_UP_SECONDS, headers=headers)
            result = run_load(base, probes, args.clients, args.seconds, headers=headers)
            baseline = run_load(base, [Probe("health", "/api/health", "status")], args.clients, args.seconds, headers=headers)
    print_result(result, baseline, args.clients, args.workers or settings.web_workers)


if __name__ == "__main__":
    main()
