"""A request's time allowance. Long computations (analyses, path search) call `check()` as
they go, so work past the allowance stops and frees its thread and memory instead of running
on after the answer has gone. Outside an allowance (CLI, tests, benchmarks) `check()` does
nothing."""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from backend.domain.errors import TooSlowError

_ALLOWANCE: ContextVar[tuple[float, float] | None] = ContextVar("telarana_allowance", default=None)


@contextmanager
def allowance(seconds: float | None) -> Iterator[None]:
    """Work started inside (threads included: the context travels with them) must end within `seconds`."""
    token = _ALLOWANCE.set((time.monotonic() + seconds, seconds) if seconds else None)
    try:
        yield
    finally:
        _ALLOWANCE.reset(token)


def check() -> None:
    """Raise TooSlowError once the current allowance has run out."""
    current = _ALLOWANCE.get()
    if current is not None and time.monotonic() > current[0]:
        raise TooSlowError(current[1])
