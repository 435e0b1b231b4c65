"""Row shapes both stores share: JSON columns, and records decoded from stored rows."""

from __future__ import annotations

import json
from typing import Any

from backend.domain.model import EdgeRow, Entity


def to_json(value: dict | list) -> str:
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))


def entity_from_row(row: dict[str, Any]) -> Entity:
    return Entity(
        id=row["id"],
        type=row["type"],
        label=row["label"],
        aliases=tuple(row.get("aliases") or ()),
        properties=json.loads(row.get("properties_json") or "{}"),
    )


def edge_from_row(row: dict[str, Any]) -> EdgeRow:
    return EdgeRow(
        id=row["id"],
        type=row["type"],
        source_id=row["source_id"],
        target_id=row["target_id"],
        date=row.get("date"),
        confidence=row["confidence"],
        properties=json.loads(row.get("properties_json") or "{}"),
        evidence_count=row.get("evidence_count") or 0,
    )


def without_nulls(record: dict[str, Any]) -> dict[str, Any]:
    """A record as both stores keep it: Neo4j stores no null property."""
    return {key: value for key, value in record.items() if value is not None}
