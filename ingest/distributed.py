"""Ingest on a Dask cluster: each file is read (OCR included), analysed by the language model and
extracted as a task on a worker; the records are built and written by the process that runs the
job, as when it runs alone, so a case stays consistent and the job stays idempotent.

- `scheduler` (tcp://HOST:PORT) names a running cluster; its workers must have this package and
  the Spanish model installed (the Docker image has both). Without it, a local cluster of
  `workers` processes is started for the job and stopped after it.
- A file's bytes go to the worker with its task, so workers need no shared folder.
- Results come back in the order the files were given (a few tasks ahead run meanwhile), so a run
  on a cluster stores what a run in one process stores.
- A worker that dies (killed, out of memory) takes its running tasks with it; the scheduler runs
  them again on the others. A file whose task was running on workers that died as many times as
  the scheduler allows (its `allowed-failures`, 3 by default) fails with that reason, and the job
  goes on.
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from distributed import Client, Future, LocalCluster
from distributed.scheduler import KilledWorker

from backend.domain.errors import TelaranaError
from backend.domain.model import Case
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from ingest.job import Item, Source, analyse_parts, keep_original, stored_state
from ingest.readers import ReadDocument

CONNECT_SECONDS = 20
# Tasks in flight per worker thread: enough that no worker waits for the next file, few enough
# that the bytes and results held at once stay small.
TASKS_AHEAD_PER_THREAD = 3
LOOPBACK_ANY_PORT = "127.0.0.1:0"


def analyse_task(data: bytes, name: str, shown_path: str, max_bytes: int, profile_file: str | None) -> tuple[list[Item], list[bytes]]:
    """The task a worker runs for one file (the pipeline is loaded once per worker process)."""
    from ingest.pipeline import load_pipeline

    return analyse_parts(data, name, shown_path, max_bytes, Path(profile_file) if profile_file else None, load_pipeline())


@contextmanager
def cluster(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a local cluster of `workers` processes
    (one thread each: the language model is not thread-safe) started for the job."""
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise TelaranaError(f"no Dask scheduler answered at {scheduler} within {CONNECT_SECONDS} s ({exc})") from None
        try:
            yield client
        finally:
            client.close()
        return
    with (
        # Its status pages on a free loopback port: a fixed one (8787) may be taken by another cluster.
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=LOOPBACK_ANY_PORT, silence_logs=logging.ERROR
        ) as local,  # fmt: skip
        Client(local, set_as_default=False) as client,
    ):
        yield client


def analyse_on_cluster(sources: Iterator[Source], store: GraphStore, case: Case | None, max_bytes: int, profile_file: Path | None,
                       originals: Originals | None, reread: bool, *, scheduler: str | None, workers: int) -> Iterator[Item]:  # fmt: skip
    """The items of every source (a file and its attachments, in order), read and analysed on the
    cluster; what is stored already is skipped here, before any task is sent."""
    profile = str(profile_file.resolve()) if profile_file else None
    with cluster(scheduler, workers) as client:
        threads = max(1, sum(client.nthreads().values()))
        waiting: deque[tuple[Source, bool, Future | list[Item]]] = deque()
        for source in sources:
            waiting.append(_submitted(client, source, store, case, max_bytes, profile, originals, reread))
            while len(waiting) > threads * TASKS_AHEAD_PER_THREAD:
                yield from _collected(*waiting.popleft(), store, case, originals, reread)
        while waiting:
            yield from _collected(*waiting.popleft(), store, case, originals, reread)


def _submitted(
    client: Client, source: Source, store, case, max_bytes, profile, originals, reread
) -> tuple[Source, bool, Future | list[Item]]:
    """(source, read again, its task), or the items it gives without one (unreadable, stored)."""
    if source.failure:
        return source, False, [Item(source.shown_path, failure=source.failure)]
    document_id = hashlib.sha256(source.data).hexdigest()
    keep_original(originals, source.data, max_bytes)
    replacing, skip = stored_state(store, document_id, case, reread)
    if skip:
        return source, False, [Item(source.shown_path, read=ReadDocument(document_id, source.name, "", ""), skip=True)]
    return source, replacing, client.submit(analyse_task, source.data, source.name, source.shown_path, max_bytes, profile, pure=False)


def _collected(source: Source, replacing: bool, task: Future | list[Item], store, case, originals, reread) -> Iterator[Item]:
    if isinstance(task, list):
        yield from task
        return
    try:
        items, attachments = task.result()
    except KilledWorker:
        yield Item(source.shown_path, failure="the cluster's workers died each time they read it (see the scheduler's allowed-failures); "
                                              "read it alone")  # fmt: skip
        return
    except Exception as exc:  # a task's own error: that file fails, the job goes on
        yield Item(source.shown_path, failure=f"internal error on the cluster ({type(exc).__name__}: {str(exc)[:200]}); please report it")
        return
    finally:
        task.release()
    if originals is not None:
        for data in attachments:
            originals.keep(data)
    for item in items:
        if item.path == source.shown_path:
            item.replacing = replacing
        elif item.read is not None and not item.failure:
            # An attachment stored already (with another e-mail) is skipped, as when the job runs alone.
            item.replacing, item.skip = stored_state(store, item.read.id, case, reread)
        yield item
