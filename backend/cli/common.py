"""The `telarana` command group, and what its command modules share: settings, the store,
the graph filters and the printing of counts and paths."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from backend.domain.errors import InvalidRecordError, TelaranaError
from backend.domain.model import GraphFilter
from backend.domain.settings import Settings
from backend.domain.vocabulary import ENTITY_KINDS, RELATIONSHIP_KINDS
from backend.store import GraphStore, open_store

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


def _open_corrected(case: str | None = None) -> GraphStore:
    """The store as the web view shows it: the standing corrections applied (of one case, if given)."""
    from backend.store.corrected import CorrectedStore

    store = open_store(_settings())
    return CorrectedStore(store, None if case is None else [store.record_case(case) or case])


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


def _print_counts(result: dict) -> None:
    table = Table("what", "how many")
    for key in ("cases", "documents", "mentions", "evidence"):
        table.add_row(key, str(result[key]))
    for key in ("entities", "relationships"):
        for kind, n in result[key].items():
            table.add_row(f"{key}: {kind}", str(n))
    console.print(table)


def _filters(types, rel_types, date_from, date_to, case_id, min_confidence) -> GraphFilter:
    try:
        return GraphFilter.from_options(types, rel_types, date_from, date_to, case_id, min_confidence)
    except InvalidRecordError as exc:
        raise click.BadParameter(exc.reason) from None


_filter_options = [
    click.option(
        "--type", "types", multiple=True, type=click.Choice([str(t) for t in ENTITY_KINDS]), help="Entity types to include (repeatable)."
    ),
    click.option(
        "--rel-type",
        "rel_types",
        multiple=True,
        type=click.Choice([str(t) for t in RELATIONSHIP_KINDS]),
        help="Relationship types to follow (repeatable).",
    ),
    click.option("--from", "date_from", help="Earliest date (YYYY-MM-DD)."),
    click.option("--to", "date_to", help="Latest date (YYYY-MM-DD)."),
    click.option("--case", "case_id", help="Only relationships evidenced in this case."),
    click.option("--min-confidence", default=0.0, show_default=True, type=click.FloatRange(0, 1)),
]


def _with_filters(func):
    for option in reversed(_filter_options):
        func = option(func)
    return func


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
                    f"  {labels_by_id[rel.source_id]} -[{rel.type}{kind}]-> {labels_by_id[rel.target_id]}  confidence {rel.confidence:.2f}"
                )
                for ev in rel.evidence:
                    where = f"p. {ev.page}, " if ev.page else ""
                    click.echo(f"    «{ev.text}» — {ev.document_title} ({where}chars {ev.start}-{ev.end})")


def _echo_resolution(result) -> None:
    click.echo(
        f"entity resolution: {result.persons} person entities: {result.same} new 'same' and {result.unsure} new 'unsure' (to review) "
        f"judgements recorded; {result.retracted} earlier rule merges retracted; {result.kept_analyst_decisions} analyst decisions respected"
    )
