"""Records files: graph records as JSON lines, one record per line with its "kind".

    {"kind": "entity", "id": "...", "type": EntityType.PERSON, "label": "..."}

A line that is not JSON, or a record that does not validate, is refused with its line
number; nothing of the file is written then.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from backend.domain.errors import InvalidRecordError
from backend.domain.model import Batch, batch_from_records

MAX_RECORDS_FILE_BYTES = 512 * 1024 * 1024


def read_records(path: Path) -> Iterator[tuple[str, dict]]:
    size = path.stat().st_size
    if size > MAX_RECORDS_FILE_BYTES:
        raise InvalidRecordError("file", str(path), f"{size} bytes is over the {MAX_RECORDS_FILE_BYTES} byte limit")
    with path.open("r", encoding="utf-8", errors="strict") as lines:
        try:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidRecordError("line", f"{path.name}:{number}", f"not JSON ({exc.msg})") from None
                if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
                    raise InvalidRecordError("line", f"{path.name}:{number}", 'each line must be an object with a "kind"')
                kind = data.pop("kind")
                yield kind, data
        except UnicodeDecodeError as exc:
            raise InvalidRecordError("file", str(path), f"not UTF-8 ({exc.reason} at byte {exc.start})") from None


def load_records_file(path: Path) -> Batch:
    """The whole file as one batch, so it is written all or nothing."""
    return batch_from_records(read_records(path))


def dump_records(batch: Batch) -> Iterator[str]:
    for kind, records in (
        ("case", batch.cases),
        ("document", batch.documents),
        ("entity", batch.entities),
        ("mention", batch.mentions),
        ("relationship", batch.relationships),
    ):
        for record in records:
            yield json.dumps({"kind": kind, **record.model_dump(mode="json")}, ensure_ascii=False, sort_keys=True)
