"""Commands that read documents: load records, extract one file, ingest files and folders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from rich.table import Table

from backend.cli.common import _echo_resolution, _open, _settings, console, main
from backend.domain.errors import NotFoundError, TelaranaError
from backend.domain.model import RunOutcome
from backend.domain.settings import SCHEDULER_ADDRESS
from backend.store.originals import Originals


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load(files: tuple[Path, ...]) -> None:
    """Load records files (JSON lines of graph records) into the store, one transaction per file."""
    from ingest.records_file import load_records_file

    failures = 0
    with _open() as store:
        for path in files:
            try:
                summary = store.write(load_records_file(path))
            except TelaranaError as exc:
                failures += 1
                click.echo(click.style("refused", fg="red") + f" {path}: {exc}", err=False)
                continue
            click.echo(f"loaded {path}: {summary.rows} rows ({summary.model_dump()})")
    if failures:
        raise click.ClickException(f"{failures} of {len(files)} files refused; the others are stored")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the extraction as JSON (schema in docs/extract.md).")
@click.option(
    "--profile",
    "profile_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Import-profile file mapping a table's headers.",
)
def extract(file: Path, as_json: bool, profile_file: Path | None) -> None:
    """Show what ingest would read from one FILE (mentions, relationships), storing nothing."""
    from ingest.job import extract_path

    results = extract_path(file, max_bytes=_settings().max_file_bytes, profile_file=profile_file)
    failed = [(path, reason) for path, reason in results if isinstance(reason, str)]
    if as_json:
        payload = [
            {"path": path, **result.to_json()} if not isinstance(result, str) else {"path": path, "error": result}
            for path, result in results
        ]
        click.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2))
    else:
        for path, result in results:
            if isinstance(result, str):
                continue
            table = Table("type", "text", "normalized", "method", "conf.", title=f"{path}: mentions")
            for m in result.mentions:
                table.add_row(m.type, m.text, m.normalized, m.method, f"{m.confidence:.2f}")
            console.print(table)
            rels = Table("relationship", "source", "target", "date", "method", "conf.", title=f"{path}: relationships")
            for r in result.relationships:
                kind = f"{r.type} {r.properties.get('kind', '')}".strip()
                rels.add_row(
                    kind, result.entities[r.source].label, result.entities[r.target].label, r.date or "", r.method, f"{r.confidence:.2f}"
                )
            console.print(rels)
    if failed:
        raise click.ClickException("; ".join(f"{path}: {reason}" for path, reason in failed))


def _job_options(command):
    """The options `ingest` and `reread` share: where files are analysed, an import profile, the progress bar."""
    command = click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")(command)
    command = click.option("--profile", "profile_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help="Import-profile file mapping tables' headers.")(command)  # fmt: skip
    command = click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
                           help="Read and analyse the files on the Dask cluster of this scheduler (default: TELARANA_INGEST_SCHEDULER).")(command)  # fmt: skip
    return click.option("--workers", type=click.IntRange(1, 64), default=None,
                        help="Processes that read and analyse the files; more than 1 starts a local Dask cluster "
                             "(default: TELARANA_INGEST_WORKERS).")(command)  # fmt: skip


def _where(settings, workers: int | None, scheduler: str | None) -> dict:
    """Where the files are analysed: the options given, else the settings."""
    if scheduler and not re.match(SCHEDULER_ADDRESS, scheduler):
        raise click.BadParameter(f"{scheduler!r} is not a scheduler address such as tcp://10.0.0.5:8786", param_hint="--scheduler")
    return {"workers": workers or settings.ingest_workers, "scheduler": scheduler or (None if workers else settings.ingest_scheduler)}


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--case", "case_name", help="Put the documents in this case (created if new).")
@_job_options
@click.option(
    "--resolve/--no-resolve",
    "resolve_new",
    default=True,
    show_default=True,
    help="Resolve the persons again when new ones arrived (as `telarana resolve --incremental`).",
)
@click.option(
    "--reread",
    is_flag=True,
    help="Read again files already stored (new rules, a corrected --profile): the new reading replaces the old; "
    "what it no longer gives is retired, not deleted.",
)
def ingest(
    paths: tuple[Path, ...],
    case_name: str | None,
    workers: int | None,
    scheduler: str | None,
    profile_file: Path | None,
    progress: bool,
    resolve_new: bool,
    reread: bool,
) -> None:
    """Ingest case files and folders: read, extract, store. Safe to run again (stored files are skipped)."""
    from ingest.job import ingest_paths

    settings = _settings()
    options = {"case_name": case_name, "profile_file": profile_file, "reread": reread, **_where(settings, workers, scheduler)}
    with _open() as store:
        screenings, known = _screening_snapshot(store, settings, list(paths))
        summary = _run_job(ingest_paths, list(paths), store, settings, progress, **options)
        _after_ingest(store, summary, resolve_new, screenings, known, profile_file)


@main.command()
@click.option("--case", "case_name", help="Only this case's documents (default: every document).")
@_job_options
@click.option("--resolve/--no-resolve", "resolve_new", default=True, show_default=True,
              help="Resolve the persons read against those already stored.")  # fmt: skip
def reread(case_name: str | None, workers: int | None, scheduler: str | None, profile_file: Path | None, progress: bool,
           resolve_new: bool) -> None:  # fmt: skip
    """Read again the stored documents from the files kept at ingest (new rules, a corrected
    --profile); as `ingest --reread`, without giving the paths."""
    from backend.store.originals import Originals
    from ingest.job import reread_stored

    settings = _settings()
    options = {"case_name": case_name, "profile_file": profile_file, **_where(settings, workers, scheduler)}
    with _open() as store:
        summary = _run_job(reread_stored, Originals(settings.originals_dir), store, settings, progress, **options)
        _after_ingest(store, summary, resolve_new)


def _screening_snapshot(store, settings, paths: list[Path]):
    """The screening store and what the cases hold before a run of `paths` (see backend.jobs.screening)."""
    from backend.jobs.screening import known_before
    from backend.store.screening import Screenings

    screenings = Screenings(settings.workspace_path)
    return screenings, known_before(store, screenings, paths)


def _after_ingest(store, summary, resolve_new: bool, screenings=None, known=None, profile_file: Path | None = None) -> None:
    if resolve_new and (summary.count("stored") or summary.count("reread")):
        from entity_resolution.graph import resolve_persons

        _echo_resolution(resolve_persons(store, incremental=True))
    if screenings is not None:
        _screen(store, summary, screenings, known, profile_file)
    if summary.failed:
        raise click.ClickException(f"{len(summary.failed)} file(s) failed; the others are stored (log: {summary.log_path})")


def _screen(store, summary, screenings, known, profile_file: Path | None) -> None:
    from backend.jobs.screening import screen_documents, stored_documents

    stored = [o.document_id for o in summary.outcomes if o.status in ("stored", "reread")]
    try:
        screened = screen_documents(store, screenings, known, stored_documents(store, stored), Originals(_settings().originals_dir),
                                    profile_file)  # fmt: skip
    finally:
        screenings.close()
    if screened.lists or screened.alerts:
        console.print(f"screening: {screened.lists} ticket list(s) or manifest(s), {screened.rows} rows, "
                      f"{screened.new_flags} new flag(s); {screened.alerts} watchlist alert(s)")  # fmt: skip


def _run_job(job, source, store, settings, progress: bool, **options):
    """Run an ingest job (ingest_paths over paths, reread_stored over the kept files) with a
    progress bar, recorded as an ingest run (the dashboard shows it), then print its summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ingest.job import ingest_paths

    if job is ingest_paths:
        options["originals"] = Originals(settings.originals_dir)
    runs, run = _record_run(settings, store, job is ingest_paths, options.get("case_name"), source)
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())

    def advance(bar, task, done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)
        runs.progress(run.id, done, total)

    try:
        with Progress(*columns, console=console, disable=not progress, transient=True) as bar:
            task = bar.add_task("ingest", total=None)
            summary = job(
                source, store, max_bytes=settings.max_file_bytes, log_dir=settings.data_dir / "logs",
                on_progress=lambda done, total, path: advance(bar, task, done, total), **options,
            )  # fmt: skip
        runs.finish(run.id, [RunOutcome.model_validate(o, from_attributes=True) for o in summary.outcomes], summary.seconds)
    except BaseException:
        runs.finish(run.id, [], 0.0, status="failed")
        raise
    finally:
        runs.close()
    _echo_summary(summary)
    return summary


def _record_run(settings, store, by_path: bool, case_name: str | None, source):
    """The run's record, opened before the job starts: into which case, by whom, from where."""
    import getpass

    from backend.store.runs import IngestRuns
    from ingest.records import case_id_for

    runs = IngestRuns(settings.runs_path)
    try:
        case_id = store.record_case(case_name, "ingest") if case_name else ""
    except NotFoundError:  # a case this run creates
        case_id = case_id_for(case_name) if case_name and by_path else ""
    shown = ", ".join(str(p) for p in source) if by_path else "the kept originals"
    name = next((c.name for c in store.cases() if c.id == case_id), case_name or "")
    return runs, runs.start(case_id or "", name, f"cli:{getpass.getuser()}", shown)


def _echo_summary(summary) -> None:
    table = Table("ingest summary", "")
    table.add_row("files stored", str(summary.count("stored")))
    if summary.count("reread"):
        table.add_row("files read again", str(summary.count("reread")))
        table.add_row("mentions retired (kept apart)", str(sum(o.retired_mentions for o in summary.outcomes)))
        table.add_row("evidence retired (kept apart)", str(sum(o.retired_evidence for o in summary.outcomes)))
    table.add_row("files unchanged (already stored)", str(summary.count("unchanged")))
    table.add_row("files failed", str(len(summary.failed)))
    if summary.count("skipped"):
        table.add_row("hidden files and folders skipped", str(summary.count("skipped")))
    table.add_row("mentions", str(summary.mentions))
    table.add_row("relationships", str(summary.relationships))
    table.add_row("warnings (rows, mentions left out)", str(summary.warnings))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    console.print(table)
    tables = [o for o in summary.outcomes if o.table_rows is not None]
    if tables:
        rows = Table("table", "rows read", "rows")
        for outcome in tables:
            rows.add_row(Path(outcome.path).name, str(outcome.rows_read), str(outcome.table_rows))
        console.print(rows)
    for outcome in summary.outcomes:
        if outcome.status in ("failed", "skipped"):
            click.echo(
                click.style(outcome.status, fg="red" if outcome.status == "failed" else "yellow") + f" {outcome.path}: {outcome.reason}"
            )
    if summary.log_path:
        click.echo(f"per-file log: {summary.log_path}")
