"""Precision and recall of the legal-element tagger (ingest/legal_elements.py) per element, on gold
written before the tagger, from texts nobody here wrote: official texts (benchmarks/official_texts) not read while the cues
were written (the held-out figure), and, as a development score, the independent case
(../shared/cases/operacion-frontera) and the official texts that were read. Baseline in
the same run: the words of the law themselves (art. 188A and the Palermo Protocol: "capte,
traslade, acoja, reciba", "engaño", "explotación sexual", "recruitment", "forced labour" …)
matched in the same sentences.

    python -m benchmarks.legal_elements [--shared ../shared] [--misses]

A tag counts as right when its sentence holds a gold quote of the same element; a gold item is
found when a tag of its element is on the sentence that holds it.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from backend.domain.legal_elements import LEGAL_ELEMENTS
from backend.domain.text import fold
from benchmarks.report import print_table
from ingest.legal_elements import sentences, tag_elements
from ingest.readers import read_bytes

HERE = Path(__file__).resolve().parent
GOLD = HERE / "legal_elements_gold"
OFFICIAL = HERE / "official_texts"

# The law's own words for each element (Spanish: art. 188A C.P.; English: Palermo Protocol art. 3).
LAW_WORDS = {
    "recruitment": ["capte", "captacion", "reclutamiento", "recruitment", "recruit"],
    "transfer": ["traslade", "traslado", "transporte", "transportation", "transfer"],
    "harbouring": ["acoja", "acogida", "harbouring", "harboring"],
    "receipt": ["reciba", "recepcion", "receipt"],
    "deception": ["engano", "fraude", "deception", "fraud"],
    "threat_force": ["amenaza", "fuerza", "coaccion", "rapto", "threat", "force", "coercion", "abduction"],
    "abuse_of_vulnerability": ["vulnerabilidad", "vulnerability"],
    "payment": ["pagos", "beneficios", "payments", "benefits"],
    "debt": ["deuda", "debt"],
    "document_retention": [],
    "sexual_exploitation": ["explotacion sexual", "prostitucion ajena", "sexual exploitation", "prostitution"],
    "forced_labour": ["trabajos forzados", "servicios forzados", "forced labour", "forced labor"],
    "servitude_slavery": ["servidumbre", "esclavitud", "servitude", "slavery"],
    "begging": ["mendicidad", "begging"],
    "servile_marriage": ["matrimonio servil", "servile marriage"],
    "organ_removal": ["extraccion de organos", "removal of organs"],
}
LAW_PATTERNS = {element: [re.compile(rf"\b{re.escape(w)}\b") for w in words] for element, words in LAW_WORDS.items()}


def law_words(text: str) -> list[tuple[str, int, int]]:
    """The baseline: (element, sentence start, end) wherever a sentence holds the law's word for it."""
    found = []
    for begin, end in sentences(text):
        sentence = fold(text[begin:end])
        for element, patterns in LAW_PATTERNS.items():
            if any(p.search(sentence) for p in patterns):
                found.append((element, begin, end))
    return found


def _quote_span(text: str, quote: str, file: str) -> tuple[int, int]:
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    match = re.search(pattern, text)
    if match is None:
        raise SystemExit(f"gold quote not found in {file}: {quote!r}")
    return match.span()


def evaluate(gold_file: Path, folder: Path):
    """Per element: [gold, ours right, ours tags, ours found, law right, law tags, law found]; misses."""
    gold = json.loads(gold_file.read_text("utf-8"))
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
    misses: list[str] = []
    for file in gold["files"]:
        text = read_bytes((folder / file).read_bytes(), file).text
        items = [(i["element"], *_quote_span(text, i["quote"], file), i["quote"]) for i in gold["items"] if i["file"] == file]
        ours = [(t.element, t.sentence_start, t.sentence_end) for t in tag_elements(text)]
        for offset, predicted in ((1, ours), (4, law_words(text))):
            for element, begin, end in predicted:
                counts[element][offset + 1] += 1
                if any(e == element and begin <= q_start < end for e, q_start, _, _ in items):
                    counts[element][offset] += 1
                elif offset == 1:
                    misses.append(f"  extra   {element:<22} {file}: {text[begin:end].strip()[:110]!r}")
            for element, q_start, _, quote in items:
                if any(e == element and begin <= q_start < end for e, begin, end in predicted):
                    counts[element][offset + 2] += 1
                elif offset == 1:
                    misses.append(f"  missed  {element:<22} {file}: {quote!r}")
        for element, *_ in items:
            counts[element][0] += 1
    return counts, misses


def _pr(right: int, tags: int, found: int, gold: int) -> tuple[str, str]:
    precision = f"{right / tags:.2f}" if tags else "–"
    recall = f"{found / gold:.2f}" if gold else "–"
    return precision, recall


def report(name: str, counts) -> None:
    print(f"\n{name}")
    rows = []
    total = [0] * 7
    for element in LEGAL_ELEMENTS:
        c = counts.get(element)
        if not c or not (c[0] or c[2] or c[5]):
            continue
        total = [a + b for a, b in zip(total, c)]
        rows.append((element, c[0], *_pr(c[1], c[2], c[3], c[0]), c[2], *_pr(c[4], c[5], c[6], c[0]), c[5]))
    rows.append(
        (
            "all (micro)",
            total[0],
            *_pr(total[1], total[2], total[3], total[0]),
            total[2],
            *_pr(total[4], total[5], total[6], total[0]),
            total[5],
        )
    )
    print_table(("element", "gold", "ours P", "ours R", "ours tags", "law words P", "law words R", "law words tags"), rows)


def matrices(folder: Path, case_name: str, people: list[tuple[str, str, str]]) -> None:
    """Ingest a case, resolve it, and print the elements matrix of each (key, role, name): the
    elements with how many sentences each, and the gaps."""
    import tempfile

    from backend.analysis.graph import case_graph
    from backend.analysis.legal_matrix import element_matrix
    from backend.domain.text import fold
    from backend.store.sqlite import SqliteStore
    from entity_resolution.graph import resolve_persons
    from ingest.job import ingest_paths

    with tempfile.TemporaryDirectory() as work, SqliteStore(Path(work) / "case.sqlite3") as store:
        ingest_paths([folder], store, case_name, log_dir=Path(work) / "logs")
        resolve_persons(store)
        graph = case_graph(store)
        rows = []
        for key, role, name in people:
            wanted = set(fold(name).split())
            nodes = [n for n, e in graph.entities.items() if str(e.type) == "Person" and wanted <= set(fold(e.label).split())]
            if not nodes:
                rows.append((key, role, name, "not found as a person", "", ""))
                continue
            node = max(nodes, key=lambda n: len(graph.clusters.members(n)))
            m = element_matrix(store, graph, node)
            found = ", ".join(f"{c.element} {len(c.evidence)}" for c in m.cells if c.evidence) or "none"
            rows.append((key, role, name, found, ", ".join(m.gaps) or "none", "yes" if m.minor else "no"))
        print_table(("key", "role", "person", "elements (sentences)", "gaps", "minor"), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    parser.add_argument("--misses", action="store_true", help="List what the tagger missed and what it tagged beyond the gold.")
    args = parser.parse_args()
    shared = args.shared / "cases" / "operacion-frontera" / "files"
    print("legal_elements: sentences tagged with the element of trafficking they evidence, against gold written before the tagger")
    print("baseline: the law's own words (art. 188A C.P., Palermo Protocol art. 3) in the same sentences")
    for name, gold_file, folder in (
        ("held out: official texts not read while the cues were written (15 files)", GOLD / "gold_heldout.json", OFFICIAL),
        (
            "development: shared case (operacion-frontera, 9 files; read while the cues were written)",
            GOLD / "gold_shared_case.json",
            shared,
        ),
        ("development: official texts (6 files; read while the cues were written)", GOLD / "gold_official.json", OFFICIAL),
    ):
        counts, misses = evaluate(gold_file, folder)
        report(name, counts)
        if args.misses:
            print("\n".join(misses))
    truth = json.loads((shared.parent / "truth.json").read_text("utf-8"))
    suspects_and_victims = [(p["key"], p["role"], p["name"]) for p in truth["persons"]
                            if p["role"] in ("recruiter", "financier", "transporter", "victim")]  # fmt: skip
    print("\nelements matrix of each suspect and victim of the shared case (roles from truth.json), as ingested and resolved")
    matrices(shared, truth["case"], suspects_and_victims)
    from ingest import sample_case_builder as sample

    cast = [("S1", "recruiter", sample.PAISA), ("S2", "recruiter", sample.MADRINA), ("S3", "transporter", sample.CONDUCTOR),
            ("S4", "receiver", sample.MEXICANO), ("S5", "receiver", sample.ESPAÑOLA), ("V1", "victim", sample.YULIANA),
            ("V2", "victim", sample.LEIDY), ("V3", "victim", sample.KAREN), ("V4", "victim", sample.DANIELA)]  # fmt: skip
    print("\nelements matrix of each suspect and victim of the sample case (Operación Telar, invented), as ingested and resolved")
    matrices(sample.FOLDER, sample.CASE_NAME, cast)


if __name__ == "__main__":
    main()
