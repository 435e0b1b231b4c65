"""The ingest job: files and folders -> documents, mentions, entities and relationships in a store.

- Every file is read on its own; one that cannot be read is logged with a one-line reason
  and the job goes on. The exit status tells that something failed; every good file is stored.
- A document's id is the SHA-256 of its bytes: a file already stored (in this case) is
  skipped, so running the same command again changes nothing.
- Documents are written a few at a time, each write one transaction. A run killed half way
  leaves whole documents or nothing of them; running it again finishes the job.
- E-mail attachments are documents of their own, linked to the e-mail by metadata.
- A stored file can be read again (`reread`: new rules, a corrected table profile): its new
  reading replaces the old one in one transaction per document; what the new reading no longer
  gives is retired (kept apart with when and why), never deleted. Reading again the same way
  changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from backend.domain.errors import InvalidRecordError, TelaranaError
from backend.domain.model import Batch, Case, utc_stamp
from backend.store.batch_writer import BatchWriter
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from ingest.extract import extract_document
from ingest.extraction import Extraction
from ingest.ocr import OCR_CONFIDENCE_FACTOR
from ingest.readers import DEFAULT_MAX_BYTES, ReadDocument, UnreadableDocument, read_bytes
from ingest.records import case_record, drop_unaligned_mentions, extraction_to_batch, merge_batches
from ingest.tables import TABLE_EXTENSIONS, ProfileError, extract_table

WRITE_EVERY_DOCUMENTS = 25
# spaCy refuses texts over nlp.max_length (1,000,000 characters) and its parser's memory grows
# with text length: longer texts are analysed in pieces cut at line ends, then joined back.
LONG_TEXT_CHARS = 100_000
MAX_ATTACHMENT_DEPTH = 3


@dataclass
class FileOutcome:
    path: str
    status: str  # "stored", "reread", "unchanged", "failed" or "skipped"
    reason: str = ""
    document_id: str = ""
    mentions: int = 0
    relationships: int = 0
    warnings: list[str] = field(default_factory=list)
    # Tables: how many rows the table has, and how many of them were read into records.
    table_rows: int | None = None
    rows_read: int | None = None
    # A file read again: what its new reading retired.
    retired_mentions: int = 0
    retired_evidence: int = 0


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    words: int = 0
    log_path: Path | None = None
    # Told of each outcome as it is settled (a browser upload shows warnings as they come).
    on_outcome: Callable[[FileOutcome], None] | None = field(default=None, repr=False, compare=False)

    def add(self, outcome: FileOutcome) -> None:
        self.outcomes.append(outcome)
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def mentions(self) -> int:
        return sum(o.mentions for o in self.outcomes)

    @property
    def relationships(self) -> int:
        return sum(o.relationships for o in self.outcomes)

    @property
    def warnings(self) -> int:
        return sum(len(o.warnings) for o in self.outcomes)


@dataclass
class Item:
    """One document on its way through the job (a file, or an attachment of one)."""

    path: str
    text: str = ""
    read: ReadDocument | None = None
    extraction: Extraction | None = None  # tables arrive already extracted
    warnings: list[str] = field(default_factory=list)
    failure: str = ""
    skip: bool = False
    replacing: bool = False  # stored already, read again
    table_rows: int | None = None
    rows_read: int | None = None


REREAD_REASON = "read again (telarana ingest --reread)"
HIDDEN_REASON = "hidden (its name starts with a dot): not read; name it on the command line to ingest it"


def discover(paths: Iterable[Path], hidden: list[Path] | None = None) -> list[Path]:
    """Files under the given paths, in a stable order. Hidden files and folders inside a folder
    are left out (version-control folders, desktop litter) but listed in `hidden` when given,
    so the log says what was not read; a path named explicitly is always taken."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                if hidden is not None:
                    hidden.extend(Path(root) / n for n in sorted([*dirs, *files]) if n.startswith("."))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
        else:
            found.append(path)
    return found


def ingest_paths(
    paths: Iterable[Path],
    store: GraphStore,
    case_name: str | Case | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int = 1,
    scheduler: str | None = None,
    profile_file: Path | None = None,
    log_dir: Path | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    nlp=None,
    originals: Originals | None = None,
    reread: bool = False,
    on_outcome: Callable[[FileOutcome], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into `store`. `on_progress(done, total, path)` is called
    after each file, `on_outcome(outcome)` as each file's outcome is settled; `nlp` defaults to the extraction pipeline (ingest.pipeline); the bytes
    of every document read are kept in `originals` (for download) when it is given. With
    `reread`, files already stored are read again and their new reading replaces the old.

    Files are read and analysed in this process (workers=1, no scheduler), or as tasks on a Dask
    cluster: the one at `scheduler` (tcp://HOST:PORT), or a local one of `workers` processes.
    Either way the records are written from here, a few documents per transaction."""
    started = time.perf_counter()
    hidden: list[Path] = []
    files = discover(paths, hidden)
    # A name makes (or finds) the case of that name; a Case record is a case that exists already.
    case = case_name if isinstance(case_name, Case) else case_record(case_name) if case_name else None
    if case is not None:
        store.write(Batch(cases=(case,)))
    summary = IngestSummary(on_outcome=on_outcome)
    for path in hidden:
        summary.add(FileOutcome(str(path), "skipped", HIDDEN_REASON))
    sources = _file_sources(files, max_bytes)
    analysed = _analysed(sources, store, case, max_bytes, profile_file, originals, reread, nlp=nlp, workers=workers, scheduler=scheduler)
    return _run(analysed, len(files), store, case, summary, started, on_progress=on_progress, log_dir=log_dir)


def reread_stored(
    originals: Originals,
    store: GraphStore,
    case_name: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int = 1,
    scheduler: str | None = None,
    profile_file: Path | None = None,
    log_dir: Path | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    nlp=None,
) -> IngestSummary:
    """Read again every stored document (of one case, or all) from the files kept in
    `originals`, as `ingest_paths(..., reread=True)` reads the files it is given. A document
    whose file is not kept fails with the way out: give its path to `ingest --reread`."""
    started = time.perf_counter()
    case = next((c for c in store.cases() if c.name == case_name or c.id == case_name), None) if case_name else None
    if case_name and case is None:
        raise TelaranaError(f"no case named {case_name!r}")
    document_ids = sorted(store.case_document_ids([case.id]) if case else store.all_document_ids())
    documents = [store.get_document(d) for d in document_ids]
    # An attachment is read again with the e-mail that carries it.
    documents = [d for d in documents if "#" not in d.source_path]
    summary = IngestSummary()
    sources = _kept_sources(documents, originals)
    analysed = _analysed(sources, store, None, max_bytes, profile_file, None, True, nlp=nlp, workers=workers, scheduler=scheduler)
    return _run(analysed, len(documents), store, None, summary, started, on_progress=on_progress, log_dir=log_dir)


@dataclass
class Source:
    """A file to read: its bytes and names, or why they could not be had."""

    shown_path: str
    name: str = ""
    data: bytes = b""
    failure: str = ""


def _file_sources(files: list[Path], max_bytes: int) -> Iterator[Source]:
    for path in files:
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield Source(str(path), failure=f"cannot open ({exc.strerror})")
            continue
        if size > max_bytes:
            yield Source(str(path), failure=f"{size:,} bytes is over the {max_bytes:,}-byte limit (TELARANA_MAX_FILE_BYTES)")
            continue
        try:
            yield Source(str(path), path.name, path.read_bytes())
        except OSError as exc:
            yield Source(str(path), failure=f"cannot read ({exc.strerror})")


def _kept_sources(documents, originals: Originals) -> Iterator[Source]:
    for document in documents:
        shown = document.source_path or document.title
        data = originals.read(document.id)
        if data is None:
            yield Source(
                shown, failure="its file is not kept in the originals folder; read it again by path: telarana ingest --reread PATH"
            )
        else:
            yield Source(shown, Path(shown).name, data)


def _analysed(sources: Iterator[Source], store: GraphStore, case: Case | None, max_bytes: int, profile_file: Path | None,
              originals: Originals | None, reread: bool, *, nlp, workers: int, scheduler: str | None) -> Iterator[tuple[object, Item]]:  # fmt: skip
    """(spaCy Doc or None, item) for every document of the sources, in their order: analysed here,
    or (Doc None, extraction done) on a Dask cluster."""
    if scheduler or workers > 1:
        from ingest.distributed import analyse_on_cluster

        yield from ((None, item) for item in analyse_on_cluster(sources, store, case, max_bytes, profile_file, originals, reread,
                                                                 scheduler=scheduler, workers=workers))  # fmt: skip
        return
    if nlp is None:
        from ingest.pipeline import load_pipeline

        nlp = load_pipeline()
    items = (
        item
        for source in sources
        for item in ([Item(source.shown_path, failure=source.failure)] if source.failure else
                     _items_of(source.data, source.name, source.shown_path, store, case, max_bytes, profile_file, originals, 0, reread))
    )  # fmt: skip
    # A long text goes through the pipe as "" and is analysed in pieces (analyse_long_text).
    texts = ((item.text if len(item.text) <= LONG_TEXT_CHARS else "", item) for item in items)
    for doc, item in nlp.pipe(texts, as_tuples=True, batch_size=16):
        if item.extraction is None and not item.failure and not item.skip and len(item.text) > LONG_TEXT_CHARS:
            doc = analyse_long_text(nlp, item.text)
        yield doc, item


def analyse_parts(
    data: bytes, name: str, shown_path: str, max_bytes: int, profile_file: Path | None, nlp
) -> tuple[list[Item], list[bytes]]:
    """One file read and analysed on its own (a task on a cluster worker): the file and each
    attachment as items with their extraction done (or their failure), and the bytes of the
    attachments (to be kept with the originals)."""
    kept = _Collected()
    items = list(_items_of(data, name, shown_path, None, None, max_bytes, profile_file, kept, 0))  # type: ignore[arg-type]
    for item in items:
        if item.failure or item.extraction is not None:
            continue
        try:
            doc = nlp(item.text) if len(item.text) <= LONG_TEXT_CHARS else analyse_long_text(nlp, item.text)
            item.extraction = _extract(item, doc)
        except Exception as exc:  # a bug on one odd document must not stop a long run
            item.failure = f"internal error while extracting ({type(exc).__name__}: {str(exc)[:200]}); please report it"
        if item.read is not None:
            item.read.attachments = []  # their bytes travel once, below
    return items, kept.data[1:]


class _Collected:
    """Stands for the originals folder on a worker: what would be kept is handed back instead."""

    def __init__(self) -> None:
        self.data: list[bytes] = []

    def keep(self, data: bytes) -> None:
        self.data.append(data)


def _run(analysed: Iterator[tuple[object, Item]], total: int, store: GraphStore, case: Case | None, summary: IngestSummary,
         started: float, *, on_progress, log_dir: Path | None) -> IngestSummary:  # fmt: skip
    """Build the analysed items' records and write them a few documents at a time; time the
    job and write its log. A batch commits while the next documents are analysed (the store's
    batch writer); the job ends once the last has committed."""
    with store.batch_writer() as writer:
        _build_and_write(analysed, total, store, case, writer, summary, on_progress)
    summary.seconds = time.perf_counter() - started
    if log_dir is not None:
        summary.log_path = write_log(summary, log_dir)
    return summary


def _build_and_write(analysed: Iterator[tuple[object, Item]], total: int, store: GraphStore, case: Case | None,
                     writer: BatchWriter, summary: IngestSummary, on_progress) -> None:  # fmt: skip
    pending: list[tuple[Item, Batch]] = []
    done = 0

    def flush():
        _write(store, writer, pending, summary)
        pending.clear()

    for doc, item in analysed:
        attachment = "#" in item.path
        if not attachment and len(pending) >= WRITE_EVERY_DOCUMENTS:
            flush()  # never between an e-mail and its attachments: a skipped e-mail skips them too
        if item.failure or item.skip:
            summary.add(
                FileOutcome(item.path, "failed" if item.failure else "unchanged", item.failure,
                            item.read.id if item.read else "")
            )  # fmt: skip
        else:
            try:
                extraction = item.extraction or _extract(item, doc)
                item.warnings.extend(drop_unaligned_mentions(extraction))
                summary.words += len(extraction.text.split())
                batch = extraction_to_batch(
                    extraction,
                    case_ids=(case.id,) if case else (),
                    source_path=item.path,
                )
            except (TelaranaError, ValueError) as exc:
                summary.add(FileOutcome(item.path, "failed", f"could not build records: {str(exc)[:300]}"))
            except Exception as exc:  # a bug on one odd document must not stop (or hang) a long run
                summary.add(
                    FileOutcome(
                        item.path, "failed", f"internal error while extracting ({type(exc).__name__}: {str(exc)[:200]}); please report it"
                    )
                )
            else:
                pending.append((item, batch))
        if not attachment:  # attachments ride along with their e-mail
            done += 1
            if on_progress:
                on_progress(done, total, item.path)
    flush()


def _items(
    files: list[Path],
    store: GraphStore | None,
    case: Case | None,
    max_bytes: int,
    profile_file: Path | None,
    originals: Originals | None = None,
    reread: bool = False,
) -> Iterator[Item]:
    for source in _file_sources(files, max_bytes):
        if source.failure:
            yield Item(source.shown_path, failure=source.failure)
        else:
            yield from _items_of(source.data, source.name, source.shown_path, store, case, max_bytes, profile_file, originals, 0, reread)


def _items_of(data, name, shown_path, store, case, max_bytes, profile_file, originals, depth, reread=False) -> Iterator[Item]:
    document_id = hashlib.sha256(data).hexdigest()
    keep_original(originals, data, max_bytes)
    replacing, skip = stored_state(store, document_id, case, reread)
    if skip:
        yield Item(shown_path, read=ReadDocument(document_id, name, "", ""), skip=True)
        return
    if Path(name).suffix.lower() in TABLE_EXTENSIONS:
        try:
            if len(data) > max_bytes:
                raise UnreadableDocument(name, f"{len(data):,} bytes is over the {max_bytes:,}-byte limit")
            table = extract_table(data, name, document_id, profile_file)
        except (UnreadableDocument, ProfileError) as exc:
            yield Item(shown_path, failure=getattr(exc, "reason", str(exc)))
            return
        warnings = [f"row {p.row}: {p.reason}" for p in table.problems]
        read_rows = table.rows - len({p.row for p in table.problems})
        if table.rows and not read_rows:
            # Stored, it would count as read while holding nothing: a wrong column map, most often.
            yield Item(shown_path, failure=f"no row of {table.rows} could be read as {table.profile} (row {table.problems[0].row}: "
                                           f"{table.problems[0].reason}); map the columns with --profile FILE")  # fmt: skip
            return
        yield Item(shown_path, extraction=table.extraction, warnings=warnings, table_rows=table.rows, rows_read=read_rows,
                   replacing=replacing)  # fmt: skip
        return
    try:
        read = read_bytes(data, name, max_bytes=max_bytes)
    except UnreadableDocument as exc:
        yield Item(shown_path, failure=exc.reason)
        return
    yield Item(shown_path, text=read.text, read=read, replacing=replacing)
    for attachment in read.attachments:
        attached_path = f"{shown_path}#{attachment.filename}"
        if depth >= MAX_ATTACHMENT_DEPTH:
            yield Item(attached_path, failure=f"attachments nested deeper than {MAX_ATTACHMENT_DEPTH} levels are not read")
            continue
        yield from _items_of(
            attachment.data, attachment.filename, attached_path, store, case, max_bytes, profile_file, originals, depth + 1, reread
        )


def keep_original(originals: Originals | None, data: bytes, max_bytes: int) -> None:
    """Keep the file before the store write, so a stored document always has its file; also for
    a file already stored, so running ingest again fills in files kept nowhere yet."""
    if originals is not None and len(data) <= max_bytes:
        originals.keep(data)


def stored_state(store: GraphStore | None, document_id: str, case: Case | None, reread: bool) -> tuple[bool, bool]:
    """(read again, skip) for a document: one stored already is read again with --reread, and
    otherwise skipped when this case (or, without one, any case) holds it."""
    stored = None if store is None else store.document_cases([document_id]).get(document_id)  # one read for both answers
    replacing = reread and stored is not None
    return replacing, not replacing and stored is not None and (case is None or case.id in stored)


def extract_path(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, profile_file: Path | None = None, nlp=None
) -> list[tuple[str, Extraction | str]]:
    """One file's extraction without storing it (`telarana extract`): (path, Extraction) for
    the file and each attachment, or (path, reason) for a part that could not be read."""
    if nlp is None:
        from ingest.pipeline import load_pipeline

        nlp = load_pipeline()
    results: list[tuple[str, Extraction | str]] = []
    for item in _items([path], None, None, max_bytes, profile_file):
        if item.failure:
            results.append((item.path, item.failure))
        else:
            doc = None if item.extraction else (nlp(item.text) if len(item.text) <= LONG_TEXT_CHARS else analyse_long_text(nlp, item.text))
            results.append((item.path, item.extraction or _extract(item, doc)))
    return results


def analyse_long_text(nlp, text: str, piece_chars: int = LONG_TEXT_CHARS):
    """One spaCy Doc for a text of any length: pieces of at most `piece_chars` characters, cut
    after a line end (or a space, or anywhere as a last resort), analysed apart and joined with
    their offsets intact, the rule component's finds and sentence bounds shifted to match."""
    from spacy.tokens import Doc

    from ingest.pipeline import RULES_KEY, SENTENCES_KEY

    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + piece_chars)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind(" ", start, end))
            end = cut + 1 if cut > start else end
        pieces.append((start, text[start:end]))
        start = end
    docs = list(nlp.pipe(piece for _, piece in pieces))
    finds, bounds = [], []
    for (offset, _), piece_doc in zip(pieces, docs):
        finds += [{**f, "start": f["start"] + offset, "end": f["end"] + offset} for f in piece_doc.user_data.get(RULES_KEY, [])]
        bounds += [(s + offset, e + offset) for s, e in piece_doc.user_data.get(SENTENCES_KEY, [])]
        piece_doc.user_data.clear()  # from_docs cannot merge them; set on the joined doc below
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:
        raise ValueError("the long text could not be analysed in pieces without changing it")
    doc.user_data[RULES_KEY] = finds
    doc.user_data[SENTENCES_KEY] = bounds
    return doc


def _extract(item: Item, doc) -> Extraction:
    read = item.read
    factor = OCR_CONFIDENCE_FACTOR if "ocr" in read.metadata else 1.0
    return extract_document(
        read.id, read.title, read.text, doc, media_type=read.media_type, page_starts=read.page_starts,
        metadata=read.metadata, confidence_factor=factor,
    )  # fmt: skip


def _write(store: GraphStore, writer: BatchWriter, pending: list[tuple[Item, Batch]], summary: IngestSummary) -> None:
    """Write the pending documents in one transaction; if the store refuses it, write them
    one by one so a single bad document fails alone. A batch the writer took is counted as
    stored: one that then fails to commit stops the job with its error."""
    replacing = [(i, b) for i, b in pending if i.replacing]
    if replacing:
        writer.wait()  # a new reading is written after everything before it
    for item, batch in replacing:
        try:
            change = store.replace_reading(batch, utc_stamp(), REREAD_REASON)
        except InvalidRecordError as exc:
            summary.add(FileOutcome(item.path, "failed", f"refused by the store: {exc}"))
        else:
            outcome = _stored(item, batch)
            outcome.status, outcome.retired_mentions, outcome.retired_evidence = "reread", change.retired_mentions, change.retired_evidence
            summary.add(outcome)
    pending = [(i, b) for i, b in pending if not i.replacing]
    if not pending:
        return
    try:
        writer.submit(merge_batches([batch for _, batch in pending]))
        for item, batch in pending:
            summary.add(_stored(item, batch))
        return
    except InvalidRecordError:
        pass
    for item, batch in pending:
        try:
            writer.submit(batch)
        except InvalidRecordError as exc:
            summary.add(FileOutcome(item.path, "failed", f"refused by the store: {exc}"))
        else:
            summary.add(_stored(item, batch))


def _stored(item: Item, batch: Batch) -> FileOutcome:
    return FileOutcome(
        item.path, "stored", document_id=batch.documents[0].id, mentions=len(batch.mentions),
        relationships=len(batch.relationships), warnings=item.warnings, table_rows=item.table_rows, rows_read=item.rows_read,
    )  # fmt: skip


def write_log(summary: IngestSummary, log_dir: Path) -> Path:
    """One line per file: status, path, reason or counts; warnings indented below."""
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = log_dir / f"ingest-{stamp}.log"
    with path.open("w", encoding="utf-8") as log:
        for o in summary.outcomes:
            detail = o.reason if o.status in ("failed", "skipped") else f"{o.mentions} mentions, {o.relationships} relationships"
            if o.table_rows is not None:
                detail += f", rows read {o.rows_read} of {o.table_rows}"
            if o.status == "reread":
                detail += f", retired {o.retired_mentions} mentions and {o.retired_evidence} pieces of evidence"
            log.write(f"{o.status.upper():9} {o.path}\t{detail}\n")
            for warning in o.warnings:
                log.write(f"{'':9}   warning: {warning}\n")
    return path
