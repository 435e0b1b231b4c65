"""The `telarana` command: thin wrappers over the stage functions, one module per command group."""

from __future__ import annotations

from backend.cli import access, corrections, documents, explore, resolution, server  # noqa: F401  (each registers its commands)
from backend.cli.common import main

__all__ = ["main"]
