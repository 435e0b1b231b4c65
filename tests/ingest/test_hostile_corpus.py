"""At least 100 hostile files ingested together with the sample case: no crash, a clear reason
for every refusal, and every good file stored intact."""

from __future__ import annotations

import hashlib
import re

import pytest

from backend.store.originals import Originals
from backend.store.sqlite import SqliteStore
from ingest.job import ingest_paths
from ingest.sample_case_builder import FOLDER as SAMPLE
from tests.ingest.hostile_corpus import build

pytestmark = pytest.mark.slow

# What each kind of hostile file must be refused with (the reason an analyst reads in the log).
EXPECTED_REASON = {
    "truncated PDF": r"damaged or truncated PDF",
    "PDF header over noise": r"damaged or truncated PDF",
    "encrypted PDF": r"encrypted PDF \(remove the password",
    "zip bomb": r"refused: unpacks to [\d,]+ bytes .*zip bomb",
    "1 GiB sparse file": r"1,073,741,824 bytes is over the [\d,]+-byte limit",
    "invalid UTF-8": r"not text: no encoding fits",
    "CSV with 1,000,001 rows": r"more than 1,000,000 rows; split the file",
    "CSV with broken quoting": r"no header row fits an import profile|damaged CSV|not text",
    "empty or blank": r"empty file|no text found|not text: binary data",
    "image bomb": r"refused: .*pixel limit \(an image bomb",
    "1-pixel image": r"no text found",
    "truncated PNG": r"not a readable image",
    "XLSX with broken XML": r"damaged XLSX \(XMLSyntaxError",
    "DOCX with broken XML": r"damaged DOCX \(XMLSyntaxError",
    "DOCX whose document is a zip": r"damaged DOCX",
    "no extension": r"unknown file type \(no extension\)",
    "unknown extension": r"unknown file type \.xyz",
    "binary noise": r"not text|damaged or truncated PDF|damaged DOCX|damaged XLSX|not an e-mail|not a readable image|empty file",
    "malformed e-mail": r"not an e-mail",
}


def _kind(what: str) -> str:
    return next(k for k in EXPECTED_REASON if what.startswith(k))


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    made = build(folder / "hostil")
    store = SqliteStore(folder / "store.sqlite3")
    originals = Originals(folder / "originals")
    summary = ingest_paths([folder / "hostil", SAMPLE], store, "Caso con archivos hostiles", originals=originals)
    yield folder / "hostil", made, summary, store, originals
    store.close()


def test_the_corpus_is_at_least_100_bad_files(corpus_run):
    _, made, *_ = corpus_run
    bad = [what for what in made.values() if not what.startswith("GOOD")]
    assert len(bad) >= 100
    assert {_kind(w) for w in bad} >= {"truncated PDF", "encrypted PDF", "zip bomb", "1 GiB sparse file", "invalid UTF-8",
                                       "CSV with 1,000,001 rows", "CSV with broken quoting", "binary noise"}  # fmt: skip


def test_every_file_has_an_outcome_and_every_refusal_a_clear_reason(corpus_run):
    folder, made, summary, *_ = corpus_run
    outcomes = {o.path: o for o in summary.outcomes}
    files = [o for o in summary.outcomes if "#" not in o.path]  # "file#attachment" are e-mail attachments
    assert len(outcomes) == len(summary.outcomes) and len(files) == len(made) + len(list(SAMPLE.iterdir()))  # each file once
    for name, what in made.items():
        outcome = outcomes[str(folder / name)]
        if name.startswith("."):  # "../../etc/passwd" with its slashes made harmless
            assert outcome.status == "skipped" and "hidden" in outcome.reason
            continue
        if what.startswith("GOOD"):
            continue
        if outcome.status == "stored":
            # A single printable byte is a text file, and so is an e-mail that has a From header:
            # storing them is not a failure to refuse.
            size = (folder / name).stat().st_size
            assert (what == "binary noise" and size == 1) or what == "malformed e-mail", (name, what)
            continue
        assert outcome.status == "failed", (name, outcome)
        assert re.search(EXPECTED_REASON[_kind(what)], outcome.reason), (name, what, outcome.reason)
        assert "Traceback" not in outcome.reason and len(outcome.reason) < 300


def test_every_good_file_is_stored_intact(corpus_run, sample_case_db):
    folder, made, summary, store, originals = corpus_run
    outcomes = {o.path: o for o in summary.outcomes}
    good = [name for name, what in made.items() if what.startswith("GOOD") and not name.startswith(".")]
    assert len(good) >= 9
    for name in good:
        data = (folder / name).read_bytes()
        outcome = outcomes[str(folder / name)]
        assert outcome.status == "stored", (name, outcome.reason)
        document_id = hashlib.sha256(data).hexdigest()
        assert outcome.document_id == document_id
        assert store.get_document(document_id).text == data.decode("utf-8")
        assert originals.read(document_id) == data
    # The file skipped as hidden ("../../etc/passwd" once its slashes are made harmless) is stored
    # intact when named explicitly.
    [hidden] = [name for name in made if name.startswith(".")]
    again = ingest_paths([folder / hidden], store, "Caso con archivos hostiles", originals=originals)
    assert [o.status for o in again.outcomes] == ["stored"]
    good.append(hidden)
    outcomes[str(folder / hidden)] = again.outcomes[0]
    for name in good[-1:]:
        data = (folder / name).read_bytes()
        assert store.get_document(hashlib.sha256(data).hexdigest()).text == data.decode("utf-8")
    # Hostile names are data, never code: the script tag and the Cypher fragment are kept verbatim.
    titles = {store.get_document(outcomes[str(folder / n)].document_id).title for n in good}
    assert "<script>alert(1)<∕script>" in titles and "'; MATCH (n) DETACH DELETE n; ∕∕" in titles
    assert outcomes[str(folder / "una_linea_enorme.txt")].mentions > 10_000  # the text over spaCy's limit was analysed, not skipped

    # The sample case beside the hostile files reads exactly as it does alone.
    with SqliteStore(sample_case_db) as alone:
        for path in sorted(SAMPLE.iterdir()):
            outcome = outcomes[str(path)]
            assert outcome.status == "stored", (path.name, outcome.reason)
            expected = [(m.start, m.end, m.text) for m in alone.document_mentions(outcome.document_id)]
            assert [(m.start, m.end, m.text) for m in store.document_mentions(outcome.document_id)] == expected, path.name
