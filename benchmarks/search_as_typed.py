"""Search as analysts type, on the independent case (../shared/cases/operacion-frontera): its
files ingested and resolved into a fresh embedded store, then every phone and ID number of
truth.json searched in the forms analysts write them, and every person by name.

Compared in the same run with the bare full-text search the store had before (every word of the
query a prefix of a word of the name: `search_terms` against the folded name and aliases, and
one row per stored entity).

    python -m benchmarks.search_as_typed
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import phonenumbers

from backend.domain.text import fold, search_terms
from backend.domain.vocabulary import EntityType
from backend.reports.views import resolved_search
from backend.store.sqlite import SqliteStore
from benchmarks.report import print_table
from benchmarks.shared_case import DEFAULT_CASE
from entity_resolution.graph import resolve_persons
from ingest.job import ingest_paths


def phone_forms(e164: str) -> dict[str, str]:
    parsed = phonenumbers.parse(e164)
    national = str(parsed.national_number)
    return {
        "national digits": national,
        "dashed": f"{national[:3]}-{national[3:6]}-{national[6:]}",
        "spaced, area in brackets": f"({national[:3]}) {national[3:6]} {national[6:8]} {national[8:]}",
        "international, spaced": phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        "last 7 digits": national[-7:],
    }


def id_forms(number: str, kind: str) -> dict[str, str]:
    """An ID number as written: digits, with thousands dots, after its type, its last 7 digits
    (numbers with letters, such as passports, are written as they are)."""
    numeric = number.isdigit()
    dotted = f"{int(number):,}".replace(",", ".") if numeric else number
    return {"digits": number, "with dots": dotted, "type and dots": f"{kind} {dotted}", "last 7 digits": number[-7:] if numeric else ""}


def bare_search(entities: dict, query: str) -> list[str]:
    """The store's search before: every query word a prefix of a word of the name or an alias."""
    terms = search_terms(query)
    found = []
    for entity in entities.values():
        words = "".join(ch if ch.isalnum() else " " for ch in fold(" ".join((entity.label, *entity.aliases)))).split()
        if terms and all(any(w.startswith(t) for w in words) for t in terms):
            found.append(entity.id)
    return found


def run(case_dir: Path) -> list[tuple]:
    truth = json.loads((case_dir / "truth.json").read_text("utf-8"))
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory() as work, SqliteStore(Path(work) / "case.sqlite3") as store:
        ingest_paths([case_dir / "files"], store, truth["case"], log_dir=Path(work) / "logs")
        resolve_persons(store)
        entities = store.entities(store.all_entity_ids())
        by_label = {e.label: e.id for e in entities.values()}
        phones = sorted({p for person in truth["persons"] for p in person.get("phones", [])} & by_label.keys())
        ids = sorted({(i["type"], i["number"]) for person in truth["persons"] for i in person.get("ids", [])
                      if f"{i['type']} {i['number']}" in by_label})  # fmt: skip
        for form in phone_forms("+570000000000"):
            ours = bare = 0
            for phone in phones:
                query, wanted = phone_forms(phone)[form], by_label[phone]
                ours += wanted in [h.id for h in resolved_search(store, query, limit=10) if h.kind == "entity"]
                bare += wanted in bare_search(entities, query)
            rows.append((f"phone, {form}", f"{ours}/{len(phones)}", f"{bare}/{len(phones)}"))
        for form in id_forms("10000000", "CC"):
            ours = bare = 0
            written = [(kind, number) for kind, number in ids if id_forms(number, kind)[form]]
            for kind, number in written:
                query, wanted = id_forms(number, kind)[form], by_label[f"{kind} {number}"]
                ours += wanted in [h.id for h in resolved_search(store, query, limit=10) if h.kind == "entity"]
                bare += wanted in bare_search(entities, query)
            rows.append((f"ID number, {form}", f"{ours}/{len(written)}", f"{bare}/{len(written)}"))
        persons = [p for p in truth["persons"] if p.get("name")]
        ours_rows = bare_rows = ours_one = bare_one = 0
        for person in persons:
            ours_hits = [h for h in resolved_search(store, person["name"], limit=50) if h.type == EntityType.PERSON]
            bare_hits = [i for i in bare_search(entities, person["name"]) if entities[i].type == EntityType.PERSON]
            ours_rows, bare_rows = ours_rows + len(ours_hits), bare_rows + len(bare_hits)
            ours_one, bare_one = ours_one + (len(ours_hits) == 1), bare_one + (len(bare_hits) == 1)
        rows.append(("person by full name: rows listed (mean)", f"{ours_rows / len(persons):.2f}", f"{bare_rows / len(persons):.2f}"))
        rows.append(("person by full name: exactly one row", f"{ours_one}/{len(persons)}", f"{bare_one}/{len(persons)}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE, help="a case folder holding files/ and truth.json")
    args = parser.parse_args()
    rows = run(args.case)
    print(f"search as typed, shared case {args.case.name}: found among the first 10 entity hits")
    print_table(("query", "Telaraña", "bare full-text"), rows)


if __name__ == "__main__":
    main()
