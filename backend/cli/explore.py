"""Commands that read the graph: counts, search, neighbours, paths; reports and exports."""

from __future__ import annotations

import json
from pathlib import Path

import click

from backend.cli.common import _filters, _open_corrected, _print_counts, _print_paths, _settings, _with_filters, console, main
from backend.graph import traversal
from backend.graph.canonical import canonicaliser


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def counts(as_json: bool) -> None:
    """How many documents, mentions, entities and relationships the store holds."""
    with _open_corrected() as store:
        result = store.counts()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_counts(result)


@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
def search(query: str, limit: int) -> None:
    """Search names and document text (accent- and case-insensitive)."""
    with _open_corrected() as store:
        hits = store.search(query, limit=limit)
    if not hits:
        console.print("no matches")
    for hit in hits:
        click.echo(f"{hit.kind:8} {hit.type:16} {hit.id}  {hit.label}  {hit.snippet}")


@main.command()
@click.argument("entity_id")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(0, 10))
@click.option("--limit", default=500, show_default=True, type=click.IntRange(1, 5000))
@click.option("--resolved", is_flag=True, help="Draw each resolved person once (entities judged the same as one node).")
@_with_filters
def neighbours(entity_id, hops, limit, resolved, types, rel_types, date_from, date_to, case_id, min_confidence) -> None:
    """Entities around one entity, as JSON."""
    filters = _filters(types, rel_types, date_from, date_to, case_id, min_confidence)
    with _open_corrected() as store:
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
    with _open_corrected() as store:
        result = traversal.paths(store, source_id, target_id, k=k, max_hops=max_hops, filters=filters, canon=canonicaliser(store, resolved))
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    _print_paths(result)


@main.command()
@click.argument("entity_ids", nargs=-1, required=True)
@click.option("--by", "user", required=True, help="Your user name (stamped on the report).")
@click.option(
    "--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Report file: .html, .pdf or .json."
)
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
    with _open_corrected() as store:
        made = association_report(store, list(entity_ids), user=f"user:{user}", k=k, max_hops=max_hops, pseudonymise=pseudonymise,
                                  pseudonym_key=settings.pseudonym_key.get_secret_value())  # fmt: skip
    data = (
        render_pdf(made) if kind == ".pdf" else (made.model_dump_json(indent=1) if kind == ".json" else render_html(made)).encode("utf-8")
    )
    out_path.write_bytes(data)
    click.echo(f"report written to {out_path} (data version {made.data_version[:16]}…, {sum(len(p.paths) for p in made.pairs)} paths)")


@main.command()
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["graphml", "gexf", "i2", "json"]),
    help="i2: a zip of entities.csv, links.csv and how to import them (LEEME-i2.txt).",
)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--case", "case_id", default=None, help="A case, by id or name (default: everything).")
def export(fmt: str, out_path: Path, case_id: str | None) -> None:
    """Export the resolved graph (of a case, or everything) for Gephi, i2 Analyst's Notebook or scripts."""
    from backend.analysis.graph import case_graph
    from backend.reports.export import edge_citations, export_graph

    with _open_corrected(case_id) as store:
        graph = case_graph(store, store.record_case(case_id) if case_id else None)
        citations = edge_citations(store, graph.edges)
    out_path.write_bytes(export_graph(list(graph.entities.values()), graph.edges, fmt, citations))
    click.echo(f"{len(graph.entities):,} entities and {len(graph.edges):,} relationships written to {out_path}")
