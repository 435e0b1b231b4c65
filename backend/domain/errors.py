"""Errors the store raises. Each says what went wrong in words an analyst can act on."""

from __future__ import annotations


class TelaranaError(Exception):
    """Base of every error Telaraña raises on purpose."""


class InvalidRecordError(TelaranaError):
    """A record of a batch was refused; nothing of that batch was written."""

    def __init__(self, kind: str, record_id: str | None, reason: str, index: int | None = None):
        self.kind = kind
        self.record_id = record_id
        self.reason = reason
        self.index = index
        where = f"{kind} {record_id!r}" if record_id else f"{kind} #{index}" if index is not None else kind
        super().__init__(f"invalid {where}: {reason}")


class NotFoundError(TelaranaError):
    def __init__(self, kind: str, record_id: str):
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"{kind} {record_id!r} not found")


class StoreUnavailableError(TelaranaError):
    """The configured store cannot be reached or opened."""

    def __init__(self, target: str, reason: str):
        self.target = target
        self.reason = reason
        super().__init__(f"store not reachable at {target}: {reason}")


class ConfigurationError(TelaranaError):
    """Settings that must not be used as they are (e.g. a default secret in production)."""


class TooSlowError(TelaranaError):
    """Work stopped because its request ran past its time allowance (see backend.domain.deadline)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"the request took longer than {seconds:g} s; narrow it (a case, fewer hops, a smaller limit or window)")


class UploadRefusedError(TelaranaError):
    """A file sent from the browser was not taken: its name, its content, or the upload's limits."""

    def __init__(self, reason: str, too_large: bool = False):
        self.reason = reason
        self.too_large = too_large
        super().__init__(reason)
