"""Many batches written one after another: the interface (BatchWriter) and the writer of a store
whose writes leave nothing to overlap (WritesInTurn). Neo4j's, which commits one batch while the
next is shaped, is in neo4j.py."""

from __future__ import annotations

from abc import ABC, abstractmethod
from concurrent.futures import Future
from types import TracebackType
from typing import TYPE_CHECKING

from backend.domain.model import Batch, WriteSummary

if TYPE_CHECKING:
    from backend.store.interface import GraphStore


class BatchWriter(ABC):
    """Batches written in the order given, each in its own transaction exactly as
    GraphStore.write writes it. `submit` returns once the batch is checked (raising
    InvalidRecordError then, with nothing of it written) and may return before it commits, so
    the caller prepares the next batch meanwhile; a batch is checked against the store as it is
    once the one before has committed, and written only after that commit. Its future gives the
    WriteSummary, or the error that stopped the batch, which `wait`, the next `submit` and
    leaving the block raise too."""

    @abstractmethod
    def submit(self, batch: Batch) -> Future[WriteSummary]: ...

    @abstractmethod
    def wait(self) -> None:
        """Until every batch submitted has committed (raises the first error)."""

    def close(self) -> None:
        """Wait for what was submitted, raising nothing, and let go of what the writer holds."""

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if exc_type is None:
                self.wait()
        finally:
            self.close()


class WritesInTurn(BatchWriter):
    """A BatchWriter that writes each batch as it is submitted: a store whose writes leave
    nothing to overlap (SQLite's run in this process)."""

    def __init__(self, store: GraphStore):
        self._store = store

    def submit(self, batch: Batch) -> Future[WriteSummary]:
        written: Future[WriteSummary] = Future()
        written.set_result(self._store.write(batch))
        return written

    def wait(self) -> None:
        pass
