"""The `telarana` command: thin wrappers over the stage functions."""

from __future__ import annotations

import json
import signal
import sys
from backend.domain.vocabulary import ENTITY_KINDS, RELATIONSHIP_KINDS, EntityType
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from backend.domain.access import ROLES
from backend.domain.errors import InvalidRecordError, TelaranaError
from backend.domain.model import GraphFilter
from backend.domain.settings import Settings
from backend.store import GraphStore, open_store
from backend.store.originals import Originals
from backend.graph import traversal
from backend.graph.canonical import Clusters, canonicaliser

console = Console(highlight=False)


def _settings() -> Settings:
    try:
        return Settings()
    except TelaranaError as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:  # pydantic's ValidationError: a TELARANA_* variable has a bad value
        raise click.ClickException(f"bad setting: {exc}") from None


def _open() -> GraphStore:
    return open_store(_settings())


class _Group(click.Group):
    """Turns Telaraña's own errors into one clear line instead of a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TelaranaError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="telarana")
def main() -> None:
    """Telaraña: link analysis for trafficking-in-persons cases.

    Settings come from TELARANA_* environment variables (see README); the default store
    is an embedded SQLite file under TELARANA_DATA_DIR.
    """


@main.command()
def settings() -> None:
    """Show the effective settings (secrets masked)."""
    s = _settings()
    table = Table("setting", "value")
    for name, value in s.model_dump().items():
        table.add_row(f"TELARANA_{name.upper()}", "**********" if "password" in name else str(value))
    table.add_row("(sqlite file)", str(s.resolved_sqlite_path))
    console.print(table)


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
@click.option("--profile", "profile_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Import-profile file mapping a table's headers.")
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
                rels.add_row(kind, result.entities[r.source].label, result.entities[r.target].label, r.date or "", r.method, f"{r.confidence:.2f}")
            console.print(rels)
    if failed:
        raise click.ClickException("; ".join(f"{path}: {reason}" for path, reason in failed))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--case", "case_name", help="Put the documents in this case (created if new).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="spaCy processes (default: TELARANA_INGEST_WORKERS).")
@click.option("--profile", "profile_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Import-profile file mapping tables' headers.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
@click.option("--resolve/--no-resolve", "resolve_new", default=True, show_default=True,
              help="Resolve the new persons against those already stored (as `telarana resolve --incremental`).")
def ingest(paths: tuple[Path, ...], case_name: str | None, workers: int | None, profile_file: Path | None, progress: bool, resolve_new: bool) -> None:
    """Ingest case files and folders: read, extract, store. Safe to run again (stored files are skipped)."""
    settings = _settings()
    with _open() as store:
        summary = _run_ingest(store, list(paths), case_name, settings, workers or settings.ingest_workers, profile_file, progress)
        if resolve_new and summary.count("stored"):
            from entity_resolution.graph import resolve_persons

            _echo_resolution(resolve_persons(store, incremental=True))
    if summary.failed:
        raise click.ClickException(f"{len(summary.failed)} file(s) failed; the others are stored (log: {summary.log_path})")


def _run_ingest(store, paths, case_name, settings, workers, profile_file, progress):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ingest.job import ingest_paths

    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=not progress, transient=True) as bar:
        task = bar.add_task("ingest", total=None)
        summary = ingest_paths(
            paths, store, case_name, max_bytes=settings.max_file_bytes, workers=workers, profile_file=profile_file,
            log_dir=settings.data_dir / "logs", on_progress=lambda done, total, path: bar.update(task, completed=done, total=total),
            originals=Originals(settings.originals_dir),
        )  # fmt: skip
    table = Table("ingest summary", "")
    table.add_row("files stored", str(summary.count("stored")))
    table.add_row("files unchanged (already stored)", str(summary.count("unchanged")))
    table.add_row("files failed", str(len(summary.failed)))
    if summary.count("skipped"):
        table.add_row("hidden files and folders skipped", str(summary.count("skipped")))
    table.add_row("mentions", str(summary.mentions))
    table.add_row("relationships", str(summary.relationships))
    table.add_row("row warnings", str(summary.warnings))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    console.print(table)
    for outcome in summary.outcomes:
        if outcome.status in ("failed", "skipped"):
            click.echo(click.style(outcome.status, fg="red" if outcome.status == "failed" else "yellow") + f" {outcome.path}: {outcome.reason}")
    if summary.log_path:
        click.echo(f"per-file log: {summary.log_path}")
    return summary


@main.command()
@click.argument("decision", type=click.Choice(["same", "different", "unsure"]))
@click.argument("left_id")
@click.argument("right_id")
@click.option("--by", "user", required=True, help="Your user name (recorded with the judgement).")
@click.option("--reason", default="", help="Why: what in the evidence says so.")
def judge(decision: str, left_id: str, right_id: str, user: str, reason: str) -> None:
    """Record that two entities are the same, are different, or that you are unsure."""
    from entity_resolution.judging import judge as record

    with _open() as store:
        judgement = record(store, left_id, right_id, decision, user, reason)
    click.echo(f"{judgement.id}: {judgement.left_id} {judgement.decision} {judgement.right_id} by {judgement.by} at {judgement.at}")


@main.command()
@click.argument("judgement_id")
@click.option("--by", "user", required=True, help="Your user name.")
@click.option("--reason", required=True, help="Why the judgement is withdrawn.")
@click.option("--decision", type=click.Choice(["same", "different", "unsure"]), default="unsure", show_default=True,
              help="What holds for the pair afterwards.")
def undo(judgement_id: str, user: str, reason: str, decision: str) -> None:
    """Withdraw a judgement (both stay on record; the later one holds)."""
    from entity_resolution.judging import undo as withdraw

    with _open() as store:
        judgement = withdraw(store, judgement_id, user, reason, decision)
    click.echo(f"{judgement.id} retracts {judgement_id}: the pair is now {judgement.decision}")


@main.command()
@click.argument("entity_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def judgements(entity_id: str | None, as_json: bool) -> None:
    """The judgements recorded (about one entity, if given), oldest first."""
    with _open() as store:
        found = store.judgements(entity_id)
    if as_json:
        click.echo(json.dumps([j.model_dump(mode="json") for j in found], ensure_ascii=False, indent=2))
        return
    table = Table("when", "left", "decision", "right", "by", "score", "reason", "retracts")
    for j in found:
        table.add_row(j.at, j.left_id, str(j.decision), j.right_id, j.by, "" if j.score is None else f"{j.score:.2f}", j.reason, j.retracts or "")
    console.print(table)


@main.command()
@click.option("--incremental", is_flag=True, help="Only persons no judgement mentions yet, against everyone; earlier decisions stand.")
def resolve(incremental: bool) -> None:
    """Resolve the graph's persons: record the resolver's same / unsure judgements (analysts' stand)."""
    from entity_resolution.graph import resolve_persons

    with _open() as store:
        _echo_resolution(resolve_persons(store, incremental=incremental))


def _echo_resolution(result) -> None:
    click.echo(
        f"entity resolution: {result.persons} person entities: {result.same} new 'same' and {result.unsure} new 'unsure' (to review) "
        f"judgements recorded; {result.retracted} earlier rule merges retracted; {result.kept_analyst_decisions} analyst decisions respected"
    )


@main.command()
@click.argument("left_id")
@click.argument("right_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def explain(left_id: str, right_id: str, as_json: bool) -> None:
    """Why two entities are (or are not) one person: the judgements that join them and their evidence."""
    from entity_resolution.graph import explain_merge

    with _open() as store:
        found = explain_merge(store, left_id, right_id)
    if as_json:
        click.echo(found.model_dump_json(indent=2))
        return
    if not found.merged:
        standing = found.standing
        click.echo(f"{left_id} and {right_id} are not merged" + (f"; standing: {standing.decision} by {standing.by} at {standing.at} ({standing.reason})" if standing else "."))
        return
    click.echo(f"{left_id} and {right_id} are one person through {len(found.chain)} judgement(s):")
    for link in found.chain:
        j = link.judgement
        score = "" if j.score is None else f" score {j.score:.3f}"
        click.echo(f"\n  {j.left_id} = {j.right_id}: {j.decision} by {j.by} at {j.at}{score}")
        click.echo(f"    reason: {j.reason or '(none given)'}")
        if link.shared:
            click.echo(f"    both tied to: {', '.join(link.shared)}")
        for side, seen in (("left", link.left_seen_in), ("right", link.right_seen_in)):
            for line in seen:
                click.echo(f"    {side} read in {line}")


@main.command("same-as")
@click.argument("entity_id")
def same_as_command(entity_id: str) -> None:
    """The entities judged the same as ENTITY_ID (directly or through others)."""
    from backend.graph.canonical import same_as

    with _open() as store:
        store.get_entity(entity_id)  # a clear "not found" for a wrong id
        members = same_as(store, entity_id)
        labels = store.entities(members)
    for member in members:
        click.echo(f"{member}  {labels[member].label if member in labels else ''}")


@main.command("resolve-csv")
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--field", "fields", multiple=True, required=True, metavar="FIELD=COLUMN",
              help="Map a field to a column: id (required), full_name or given_name + surname, dob, phone, id_number, alias, address, city.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write record_id,cluster_id.")
@click.option("--high", default=0.95, show_default=True, type=click.FloatRange(0, 1), help="Merge pairs at or above this match probability.")
@click.option("--low", default=0.5, show_default=True, type=click.FloatRange(0, 1), help="Pairs from here up to --high are listed for review.")
def resolve_csv_command(input_path: Path, fields: tuple[str, ...], out_path: Path, high: float, low: float) -> None:
    """Deduplicate a person list (CSV or XLSX) and write record_id,cluster_id."""
    from entity_resolution.csv_resolve import parse_field_options, resolve_csv

    if low > high:
        raise click.UsageError("--low must not be above --high")
    result = resolve_csv(input_path, parse_field_options(list(fields)), out_path, high=high, low=low)
    click.echo(f"{result.records} records -> {result.clusters} people ({result.merged_pairs} pairs merged); written to {out_path}")
    if result.review_pairs:
        click.echo(f"{len(result.review_pairs)} pairs to review (match probability between {low} and {high}):")
        for a, b, p in sorted(result.review_pairs, key=lambda t: -t[2])[:50]:
            click.echo(f"  {a} ~ {b}  {p:.2f}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def counts(as_json: bool) -> None:
    """How many documents, mentions, entities and relationships the store holds."""
    with _open() as store:
        result = store.counts()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_counts(result)


def _print_counts(result: dict) -> None:
    table = Table("what", "how many")
    for key in ("cases", "documents", "mentions", "evidence"):
        table.add_row(key, str(result[key]))
    for key in ("entities", "relationships"):
        for kind, n in result[key].items():
            table.add_row(f"{key}: {kind}", str(n))
    console.print(table)


@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
def search(query: str, limit: int) -> None:
    """Search names and document text (accent- and case-insensitive)."""
    with _open() as store:
        hits = store.search(query, limit=limit)
    if not hits:
        console.print("no matches")
    for hit in hits:
        click.echo(f"{hit.kind:8} {hit.type:16} {hit.id}  {hit.label}  {hit.snippet}")


def _filters(types, rel_types, date_from, date_to, case_id, min_confidence) -> GraphFilter:
    try:
        return GraphFilter.from_options(types, rel_types, date_from, date_to, case_id, min_confidence)
    except InvalidRecordError as exc:
        raise click.BadParameter(exc.reason) from None


_filter_options = [
    click.option("--type", "types", multiple=True, type=click.Choice([str(t) for t in ENTITY_KINDS]), help="Entity types to include (repeatable)."),
    click.option("--rel-type", "rel_types", multiple=True, type=click.Choice([str(t) for t in RELATIONSHIP_KINDS]), help="Relationship types to follow (repeatable)."),
    click.option("--from", "date_from", help="Earliest date (YYYY-MM-DD)."),
    click.option("--to", "date_to", help="Latest date (YYYY-MM-DD)."),
    click.option("--case", "case_id", help="Only relationships evidenced in this case."),
    click.option("--min-confidence", default=0.0, show_default=True, type=click.FloatRange(0, 1)),
]


def _with_filters(func):
    for option in reversed(_filter_options):
        func = option(func)
    return func


@main.command()
@click.argument("entity_id")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(0, 10))
@click.option("--limit", default=500, show_default=True, type=click.IntRange(1, 5000))
@click.option("--resolved", is_flag=True, help="Draw each resolved person once (entities judged the same as one node).")
@_with_filters
def neighbours(entity_id, hops, limit, resolved, types, rel_types, date_from, date_to, case_id, min_confidence) -> None:
    """Entities around one entity, as JSON."""
    filters = _filters(types, rel_types, date_from, date_to, case_id, min_confidence)
    with _open() as store:
        sub = traversal.neighbourhood(store, entity_id, hops=hops, filters=filters, limit=limit, canon=canonicaliser(store, resolved))
    click.echo(sub.model_dump_json(indent=2))


@main.command()
@click.argument("source_id")
@click.argument("target_id")
@click.option("-k", default=1, show_default=True, type=click.IntRange(1, 20), help="How many paths.")
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 10))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--resolved", is_flag=True, help="Persons as resolved: entities judged the same are one node.")
@_with_filters
def path(source_id, target_id, k, max_hops, as_json, resolved, types, rel_types, date_from, date_to, case_id, min_confidence) -> None:
    """How two entities are connected: paths with the evidence for every link."""
    filters = _filters(types, rel_types, date_from, date_to, case_id, min_confidence)
    with _open() as store:
        result = traversal.paths(store, source_id, target_id, k=k, max_hops=max_hops, filters=filters, canon=canonicaliser(store, resolved))
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    _print_paths(result)


def _print_paths(result) -> None:
    if not result.paths:
        console.print("no path found" + (" (search stopped at its node budget)" if result.truncated else ""))
    labels_by_id = {}
    for number, graph_path in enumerate(result.paths, start=1):
        # A resolved person's relationships name the member entity they were read for.
        labels_by_id.update({member: n.label for n in graph_path.nodes for member in [n.id, *n.properties.get("member_ids", [])]})
        click.echo(f"path {number} ({graph_path.length} links): " + " — ".join(n.label for n in graph_path.nodes))
        for step in graph_path.steps:
            for rel in step.relationships:
                kind = f" {rel.properties['kind']}" if "kind" in rel.properties else ""
                click.echo(
                    f"  {labels_by_id[rel.source_id]} -[{rel.type}{kind}]-> {labels_by_id[rel.target_id]}"
                    f"  confidence {rel.confidence:.2f}"
                )
                for ev in rel.evidence:
                    where = f"p. {ev.page}, " if ev.page else ""
                    click.echo(f"    «{ev.text}» — {ev.document_title} ({where}chars {ev.start}-{ev.end})")


@main.command()
@click.argument("entity_ids", nargs=-1, required=True)
@click.option("--by", "user", required=True, help="Your user name (stamped on the report).")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Report file: .html, .pdf or .json.")
@click.option("-k", default=3, show_default=True, type=click.IntRange(1, 10), help="Paths per pair of entities.")
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 10))
@click.option("--pseudonymise", is_flag=True, help="Replace persons marked as victims with stable pseudonyms.")
def report(entity_ids: tuple[str, ...], user: str, out_path: Path, k: int, max_hops: int, pseudonymise: bool) -> None:
    """Association-evidence report for two or more entities (paths, citations, decisions relied on)."""
    from backend.reports.report import association_report, render_html, render_pdf

    settings = _settings()
    kind = out_path.suffix.lower()
    if kind not in (".html", ".pdf", ".json"):
        raise click.BadParameter("the report file must end in .html, .pdf or .json", param_hint="--out")
    with _open() as store:
        made = association_report(store, list(entity_ids), user=f"user:{user}", k=k, max_hops=max_hops, pseudonymise=pseudonymise,
                                  pseudonym_key=settings.pseudonym_key.get_secret_value())  # fmt: skip
    data = render_pdf(made) if kind == ".pdf" else (made.model_dump_json(indent=1) if kind == ".json" else render_html(made)).encode("utf-8")
    out_path.write_bytes(data)
    click.echo(f"report written to {out_path} (data version {made.data_version[:16]}…, {sum(len(p.paths) for p in made.pairs)} paths)")


@main.command()
@click.option("--format", "fmt", required=True, type=click.Choice(["graphml", "gexf", "i2", "json"]), help="i2: a zip of entities.csv and links.csv.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--case", "case_id", default=None, help="A case id (default: everything).")
def export(fmt: str, out_path: Path, case_id: str | None) -> None:
    """Export the resolved graph (of a case, or everything) for Gephi, i2 Analyst's Notebook or scripts."""
    from backend.analysis.graph import case_graph
    from backend.reports.export import export_graph

    with _open() as store:
        graph = case_graph(store, case_id)
    out_path.write_bytes(export_graph(list(graph.entities.values()), graph.edges, fmt))
    click.echo(f"{len(graph.entities):,} entities and {len(graph.edges):,} relationships written to {out_path}")


@main.command()
@click.option("--yes", is_flag=True, help="Do not ask.")
def reset(yes: bool) -> None:
    """Delete everything in the configured store (the schema stays)."""
    if not yes:
        click.confirm("Delete every document, mention, entity and relationship?", abort=True)
    with _open() as store:
        store.clear()
    console.print("store emptied")


@main.command()
@click.option("--host", default=None, help="Default: TELARANA_HOST.")
@click.option("--port", default=None, type=int, help="Default: TELARANA_PORT.")
def serve(host: str | None, port: int | None) -> None:
    """Serve the web view and the API (API docs at /docs)."""
    _serve(_settings(), host, port)


def _serve(settings: Settings, host: str | None, port: int | None, workers: int | None = None) -> None:
    import uvicorn

    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.web_workers
    console.print(f"serving on http://{host}:{port}  (web view; API docs at /docs; {workers} worker process{'es' if workers > 1 else ''}; Ctrl-C stops)")
    # Each worker process builds its app from the same TELARANA_* settings (backend.web.app:app_from_settings).
    uvicorn.run("backend.web.app:app_from_settings", factory=True, host=host, port=port, workers=workers, log_level="warning")


@main.command()
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve the API afterwards.")
@click.option("--port", default=None, type=int, help="Default: TELARANA_PORT.")
def demo(serve: bool, port: int | None) -> None:
    """Ingest the bundled invented sample case 'Operación Telar', resolve its persons, show what it holds, then serve it.

    The case files (police reports, interviews, a CDR, flight manifests, a bus-ticket
    list, a PDF, a scan, a DOCX and an e-mail) are invented: no real victims or suspects.
    Running it again changes nothing. Persons are resolved across documents (judgements
    recorded, nothing merged destructively); then the web view and the API are served.
    """
    from ingest.sample_case_builder import CASE_NAME, FOLDER

    settings = _settings()
    with open_store(settings) as store:
        summary = _run_ingest(store, [FOLDER], CASE_NAME, settings, settings.ingest_workers, None, progress=True)
        _print_counts(store.counts())
        from entity_resolution.graph import resolve_persons

        _echo_resolution(resolve_persons(store))  # before the path below, which follows its judgements
        recruiter = _persons_named(store, "Jhon Fredy Cardona Restrepo")
        partner = _persons_named(store, "María Eugenia Salazar Ocampo")
        if recruiter and partner:
            click.echo(f"\nHow is {recruiter[0].label} (Pereira) tied to {partner[0].label} (Cali)? (persons as resolved)")
            _print_paths(traversal.paths(store, recruiter[0].id, partner[0].id, k=1, canon=Clusters(store)))
    if summary.failed:
        raise click.ClickException(f"{len(summary.failed)} sample file(s) failed (log: {summary.log_path})")
    if serve:
        _serve(settings, None, port)


def _persons_named(store: GraphStore, name: str) -> list:
    return [h for h in store.search(name, limit=50) if h.type == EntityType.PERSON and h.label == name]


@main.command("neo4j")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), help="Keep the data here (default: a temporary directory).")
@click.option("--port", default=7687, show_default=True, help="Bolt port on 127.0.0.1 (0 = any free port).")
@click.option("--uri-file", type=click.Path(dir_okay=False, path_type=Path), help="Also write the Bolt URI to this file.")
def neo4j_command(home: Path | None, port: int, uri_file: Path | None) -> None:
    """Run a local Neo4j 5.26 (no Docker needed) until Ctrl-C.

    Builds neo4j-launcher/ with Maven on first use (needs Java 17 and Maven). Uses
    TELARANA_NEO4J_PASSWORD as the password of user neo4j.
    """
    from backend.store import launcher as neo4j_launcher

    settings = _settings()
    console.print("starting Neo4j (the first run downloads Neo4j's artifacts from Maven Central)…")
    server = neo4j_launcher.start(home=home, port=port, password=settings.neo4j_password.get_secret_value())
    if uri_file:
        uri_file.write_text(server.uri + "\n")
    console.print(f"Neo4j is up: {server.uri}")
    console.print(f"use it with: TELARANA_STORE=neo4j TELARANA_NEO4J_URI={server.uri}")

    def interrupt(*_):
        # Only unwind here: stopping inside the handler would wait on the launcher process
        # while the interrupted wait below still holds its lock.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if server.process.returncode not in (0, None, -signal.SIGTERM, 130, 143):
        raise click.ClickException(f"Neo4j stopped with status {server.process.returncode}")


def _accounts():
    from backend.store.accounts import Accounts

    return Accounts(_settings().accounts_path)


@main.group()
def user() -> None:
    """Users: add, list, disable, enable, assign cases, issue API tokens."""


def _case_ids(given: tuple[str, ...]) -> tuple[str, ...]:
    """The stored cases named by id or by name (accents and case aside): a typo would leave a
    user seeing nothing, so an unknown case is an error that lists the known ones."""
    from backend.domain.text import fold

    if not given:
        return ()
    with _open() as store:
        known = store.cases()
    by_name = {fold(c.name).strip(): c.id for c in known} | {c.id: c.id for c in known}
    unknown = [g for g in given if g not in by_name and fold(g).strip() not in by_name]
    if unknown:
        listed = "; ".join(f"{c.id} ({c.name})" for c in known) or "none yet (ingest with --case first)"
        raise click.ClickException(f"no case {', '.join(repr(u) for u in unknown)} in the store; its cases: {listed}")
    return tuple(sorted({by_name.get(g) or by_name[fold(g).strip()] for g in given}))


@main.command("cases")
def list_cases() -> None:
    """Every case: its id (what `telarana user add --case` takes) and name."""
    with _open() as store:
        known = store.cases()
    table = Table("case id", "name", "description")
    for c in known:
        table.add_row(c.id, c.name, c.description or "")
    console.print(table)


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--case", "cases", multiple=True, help="A case the user may see, by id or name (repeat for more); admins see every case.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
def user_add(name: str, role: str, cases: tuple[str, ...], password_stdin: bool) -> None:
    """Add a user. There is no default password: you type one (at least 12 characters)."""
    cases = _case_ids(cases)
    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt("password", hide_input=True, confirmation_prompt=True)
    with _accounts() as accounts:
        made = accounts.add_user(name, role, password, cases)
        accounts.record("cli", "user add", name, "ok", f"role {role}, cases {','.join(made.cases) or '-'}")
    click.echo(f"user {made.name} added: {made.role}, cases {', '.join(made.cases) or 'none'}")


@user.command("list")
def user_list() -> None:
    """Every user with role, cases and whether disabled."""
    with _accounts() as accounts:
        table = Table("user", "role", "cases", "status", "created")
        for u in accounts.users():
            table.add_row(u.name, u.role, "every case" if u.sees_every_case else ", ".join(u.cases) or "none",
                          "disabled" if u.disabled else "active", u.created_at[:19])  # fmt: skip
    console.print(table)


@user.command("disable")
@click.argument("name")
def user_disable(name: str) -> None:
    """Disable a user: sign-in refused, sessions and tokens ended at once."""
    _set_disabled(name, True)


@user.command("enable")
@click.argument("name")
def user_enable(name: str) -> None:
    """Enable a disabled user again (they sign in anew)."""
    _set_disabled(name, False)


def _set_disabled(name: str, disabled: bool) -> None:
    word = "disable" if disabled else "enable"
    with _accounts() as accounts:
        accounts.set_disabled(name, disabled)
        accounts.record("cli", f"user {word}", name, "ok")
    click.echo(f"user {name} {word}d")


@user.command("cases")
@click.argument("name")
@click.argument("cases", nargs=-1)
def user_cases(name: str, cases: tuple[str, ...]) -> None:
    """Set the cases a user may see, by id or name (none given: no case)."""
    case_ids = _case_ids(cases)
    with _accounts() as accounts:
        changed = accounts.set_cases(name, case_ids)
        accounts.record("cli", "user cases", name, "ok", ",".join(changed.cases))
    click.echo(f"user {name}: cases {', '.join(changed.cases) or 'none'}")


@user.command("token")
@click.argument("name")
@click.option("--days", type=int, default=90, show_default=True, help="Valid for this many days (0: until the user is disabled).")
def user_token(name: str, days: int) -> None:
    """Issue an API token (send it as `Authorization: Bearer TOKEN`). Shown once."""
    with _accounts() as accounts:
        token = accounts.api_token(name, days or None)
        accounts.record("cli", "user token", name, "ok", f"{days or 'no'} day limit")
    click.echo(token)


@main.group()
def audit() -> None:
    """The audit log: show entries, verify the hash chain."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the chain: exit 1 and name each entry that was changed, removed or inserted."""
    with _accounts() as accounts:
        count, problems = accounts.verify_audit()
    if problems:
        for problem in problems:
            click.echo(click.style("broken", fg="red") + f" {problem}")
        raise click.ClickException(f"the audit log was tampered with: {len(problems)} problem(s) in {count} entries")
    click.echo(f"audit log intact: {count} entries, each chained to the one before")


@audit.command("show")
@click.option("--limit", default=50, show_default=True)
@click.option("--user", "user_name", default=None, help="Only this user's entries.")
def audit_show(limit: int, user_name: str | None) -> None:
    """The latest entries, newest first."""
    with _accounts() as accounts:
        for e in accounts.audit(limit=limit, user=user_name):
            click.echo(f"{e.seq:>7} {e.at[:23]} {e.user:<16} {e.action:<40} {e.outcome:<8} {e.target}")


if __name__ == "__main__":
    main()
