"""Deduplicate a person list (a manifest, a detainee list) with the same engine as the graph.

    telarana resolve-csv detenidos.csv --field id=ID --field full_name=Nombre --field phone=Celular --out clusters.csv

Writes `record_id,cluster_id`; a cluster's id is its smallest record id, so the same input
gives the same ids run after run.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from backend.domain.errors import TelaranaError
from entity_resolution.engine import DEFAULT_HIGH, DEFAULT_LOW, make_record, resolve
from ingest.readers import UnreadableDocument
from ingest.tables import read_rows

FIELDS = ("id", "full_name", "given_name", "surname", "dob", "phone", "id_number", "alias", "address", "city")


class ResolveCsvError(TelaranaError):
    """The list cannot be resolved as asked; the message says what to change."""


@dataclass
class CsvResolution:
    records: int
    clusters: int
    merged_pairs: int
    review_pairs: list[tuple[str, str, float]]


def parse_field_options(options: list[str]) -> dict[str, str]:
    """["id=ID", "full_name=Nombre"] -> {"id": "ID", "full_name": "Nombre"}."""
    mapping: dict[str, str] = {}
    for option in options:
        name, sep, column = option.partition("=")
        name = name.strip()
        if not sep or not name or not column.strip():
            raise ResolveCsvError(f"--field {option!r} must be FIELD=COLUMN, e.g. --field full_name=Nombre")
        if name not in FIELDS:
            raise ResolveCsvError(f"unknown field {name!r}; fields are {', '.join(FIELDS)}")
        if name in mapping:
            raise ResolveCsvError(f"field {name!r} given twice")
        mapping[name] = column.strip()
    if "id" not in mapping:
        raise ResolveCsvError("map the record id column: --field id=COLUMN")
    if not ({"full_name", "given_name", "surname"} & mapping.keys()):
        raise ResolveCsvError("map a name: --field full_name=COLUMN, or given_name= and surname=")
    return mapping


def resolve_csv(
    input_path: Path, fields: dict[str, str], out_path: Path, high: float = DEFAULT_HIGH, low: float = DEFAULT_LOW
) -> CsvResolution:
    try:
        rows = read_rows(input_path.read_bytes(), input_path.name)
    except UnreadableDocument as exc:
        raise ResolveCsvError(f"{input_path}: {exc.reason}") from None
    except OSError as exc:
        raise ResolveCsvError(f"{input_path}: cannot read ({exc.strerror})") from None
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise ResolveCsvError(f"{input_path}: empty file")
    header = [h.strip() for h in rows[0][1]]
    missing = [column for column in fields.values() if column not in header]
    if missing:
        raise ResolveCsvError(f"{input_path}: no column {', '.join(map(repr, missing))} in the header {header}")
    index = {field: header.index(column) for field, column in fields.items()}
    if len(rows) < 2:
        raise ResolveCsvError(f"{input_path}: a header and no records")

    def value(cells: list[str], field: str) -> str:
        i = index.get(field)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    records, seen = [], set()
    for number, cells in rows[1:]:
        record_id = value(cells, "id")
        if not record_id:
            raise ResolveCsvError(f"{input_path}: row {number} has no record id")
        if record_id in seen:
            raise ResolveCsvError(f"{input_path}: record id {record_id!r} appears twice (row {number})")
        seen.add(record_id)
        records.append(
            make_record(
                record_id, full_name=value(cells, "full_name"), given_name=value(cells, "given_name"),
                surname=value(cells, "surname"), dob=value(cells, "dob"), phones=[value(cells, "phone")],
                id_numbers=[value(cells, "id_number")], aliases=[value(cells, "alias")], address=value(cells, "address"),
                city=value(cells, "city"),
            )
        )  # fmt: skip
    resolution = resolve(records, high=high, low=low)
    members: dict[int, list[str]] = {}
    for record, cluster in zip(records, resolution.clusters):
        members.setdefault(cluster, []).append(record.id)
    cluster_id = {cluster: min(ids) for cluster, ids in members.items()}
    with out_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["record_id", "cluster_id"])
        for record, cluster in zip(records, resolution.clusters):
            writer.writerow([record.id, cluster_id[cluster]])
    review = [(records[a].id, records[b].id, p) for a, b, p in resolution.review_pairs]
    return CsvResolution(len(records), len(members), len(resolution.merged_pairs), review)
