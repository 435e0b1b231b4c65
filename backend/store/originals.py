"""The original bytes of every ingested document, kept under its SHA-256 (its document id).

Prosecutors must be able to hand over the file a sentence was read from, byte for byte;
the store keeps only the text. Files are written once, atomically, and checked against
their name when read back.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_DOCUMENT_ID = re.compile(r"^[0-9a-f]{64}$")


class Originals:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, document_id: str) -> Path:
        if not _DOCUMENT_ID.match(document_id):
            raise ValueError(f"not a document id: {document_id[:80]!r}")
        return self.folder / document_id[:2] / document_id

    def keep(self, data: bytes) -> str:
        document_id = hashlib.sha256(data).hexdigest()
        path = self._path(document_id)
        if self.read(document_id) is None:  # missing, or changed since it was kept
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp.name, path)
        return document_id

    def has(self, document_id: str) -> bool:
        """Whether a file is kept for the document (cheap: its hash is checked on read)."""
        try:
            return self._path(document_id).is_file()
        except ValueError:
            return False

    def read(self, document_id: str) -> bytes | None:
        """The original bytes, or None if this document's file is not kept here (or no longer
        matches its hash, which is then treated as missing rather than served)."""
        try:
            data = self._path(document_id).read_bytes()
        except (OSError, ValueError):
            return None
        return data if hashlib.sha256(data).hexdigest() == document_id else None
