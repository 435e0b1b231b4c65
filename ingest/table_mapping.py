"""The spreadsheet import wizard's work: for a CSV / XLSX, propose the header row, the profile
and the column of each field; read the table as the analyst maps it and show the records its
first rows would make; keep the mapping as a reusable profile file.

A proposal ranks every (header row, profile) pair among the first rows by whether the profile's
required fields are all found and then by how many of its fields are, so a table with one odd
header still gets the rest of its columns proposed and the analyst maps only what is missing.
The records shown are made by the same code ingest runs (ingest.tables.table_records): what the
preview shows is what the import writes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.tables import (
    HEADER_SEARCH_ROWS,
    Profile,
    ProfileError,
    Table,
    builtin_profiles,
    header_key,
    load_profile_file,
    read_rows,
    table_records,
    time_field_of,
)

SHOWN_ROWS = 12
PREVIEW_RECORDS = 15
PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


@dataclass
class FieldChoice:
    name: str
    required: bool
    column: int | None  # index into the header row, None: not mapped


@dataclass
class RecordPreview:
    """What one row of the table becomes."""

    row: int
    mentions: list[dict[str, str]]
    relationships: list[dict[str, str | None]]
    problem: str = ""


@dataclass
class Proposal:
    name: str
    rows: list[tuple[int, list[str]]]  # the first rows as they are, to show
    total_rows: int
    header_row: int | None  # as a spreadsheet numbers rows
    headers: list[str]
    profile: str | None
    fields: list[FieldChoice]
    profiles: list[dict[str, object]]
    missing: list[str] = field(default_factory=list)  # required fields not mapped yet
    records: list[RecordPreview] = field(default_factory=list)
    records_total: int = 0
    problems_total: int = 0


def _mapping(profile: Profile, keys: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for field_name, names in profile.headers.items():
        for index, key in enumerate(keys):
            if key in names and index not in columns.values():
                columns[field_name] = index
                break
    return columns


def _missing(profile: Profile, columns: dict[str, int]) -> list[str]:
    missing = [f for f in profile.required if f not in columns and time_field_of(f) not in columns]
    for group in profile.required_any:
        if not any(f in columns for f in group):
            missing.append(" | ".join(group))
    return missing


def _best_guess(rows: list[tuple[int, list[str]]]) -> tuple[int | None, Profile | None, dict[str, int]]:
    best: tuple[tuple[bool, int], int, Profile, dict[str, int]] | None = None
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [header_key(c) for c in cells]
        for profile in builtin_profiles().values():
            columns = _mapping(profile, keys)
            score = (not _missing(profile, columns), len(columns))
            if columns and (best is None or score > best[0]):
                best = (score, index, profile, columns)
    if best is not None:
        return best[1], best[2], best[3]
    # Nothing fits: the first row with several cells filled is most likely the header.
    index = next((i for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]) if sum(bool(c) for c in cells) >= 2), None)
    return index, None, {}


def propose(data: bytes, name: str, *, profile: str | None = None, header_row: int | None = None,
            columns: dict[str, int] | None = None) -> Proposal:  # fmt: skip
    """The wizard's view of a table. Without choices, everything is proposed; with them (the
    profile, the header row as numbered on screen, field -> column index), the analyst's
    mapping is read and its first records shown."""
    rows = read_rows(data, name)
    index, guessed, guessed_columns = _best_guess(rows)
    if header_row is not None:
        index = next((i for i, (number, _) in enumerate(rows) if number == header_row), None)
        if index is None:
            raise ProfileError(f"row {header_row} is not in the table")
    chosen = builtin_profiles().get(profile) if profile else guessed
    if profile and chosen is None:
        raise ProfileError(f"unknown profile {profile!r}; expected one of {sorted(builtin_profiles())}")
    headers = rows[index][1] if index is not None else []
    if columns is not None:
        mapping = {f: c for f, c in columns.items() if chosen is not None and f in chosen.headers and 0 <= c < len(headers)}
    elif chosen is not None:
        mapping = guessed_columns if chosen is guessed and header_row is None else _mapping(chosen, [header_key(h) for h in headers])
    else:
        mapping = {}
    proposal = Proposal(
        name=name, rows=rows[:SHOWN_ROWS], total_rows=len(rows), header_row=rows[index][0] if index is not None else None,
        headers=headers, profile=chosen.name if chosen else None,
        fields=[FieldChoice(f, f in chosen.required, mapping.get(f)) for f in chosen.headers] if chosen else [],
        profiles=[{"name": p.name, "description": p.description, "required": list(p.required), "fields": list(p.headers),
                   "labels": p.labels} for p in builtin_profiles().values()],
    )  # fmt: skip
    if chosen is None or index is None:
        return proposal
    proposal.missing = _missing(chosen, mapping)
    if proposal.missing:
        return proposal
    body = [(n, c) for n, c in rows[index + 1 :] if any(x.strip() for x in c)]
    read = table_records(Table(rows[index][0], headers, body), chosen, mapping, name, "preview")
    proposal.records_total, proposal.problems_total = read.rows, len(read.problems)
    problems = {p.row: p.reason for p in read.problems}
    entities = read.extraction.entities
    for number, _ in body[:PREVIEW_RECORDS]:
        mentions = [
            {"type": _text(m.type), "text": m.text, "normalized": m.normalized} for m in read.extraction.mentions if m.row == number
        ]
        relationships = [
            {"type": _text(r.type), "source": entities[r.source].label if r.source in entities else r.source.key,
             "target": entities[r.target].label if r.target in entities else r.target.key, "date": r.date}
            for r in read.extraction.relationships if r.row == number
        ]  # fmt: skip
        proposal.records.append(RecordPreview(number, mentions, relationships, problems.get(number, "")))
    return proposal


def _text(kind) -> str:
    return str(getattr(kind, "value", kind))


# ----------------------------------------------------------------------------- saved profiles


def save_profile(folder: Path, name: str, profile: str, columns: dict[str, str], note: str = "") -> Path:
    """Keep a mapping (field -> header text) as a profile file ingest reads (`--profile FILE`,
    or chosen for an upload). Checked by reading it back as ingest will."""
    if not PROFILE_NAME.match(name):
        raise ProfileError(f"profile name {name!r}: lower-case letters, digits, - and _ only (at most 60)")
    if profile not in builtin_profiles():
        raise ProfileError(f"unknown profile {profile!r}; expected one of {sorted(builtin_profiles())}")
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"# {line}" for line in note.splitlines() if line.strip()]
    # JSON strings are TOML basic strings (the same escapes), so any header text is written safely.
    lines += [f"profile = {json.dumps(profile)}", "", "[columns]"]
    lines += [f"{field_name} = {json.dumps(header, ensure_ascii=False)}" for field_name, header in sorted(columns.items())]
    path = folder / f"{name}.toml"
    written = path.with_suffix(".toml.new")
    written.write_text("\n".join(lines) + "\n", "utf-8")
    try:
        load_profile_file(written)
    except ProfileError:
        written.unlink()
        raise
    written.replace(path)
    return path


def saved_profiles(folder: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """The profile files kept in `folder`: name -> (built-in profile, field -> header)."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            found[path.stem] = load_profile_file(path)
        except ProfileError:
            continue  # a damaged file is left out of the list, not fatal to it
    return found
