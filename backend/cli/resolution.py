"""Commands of entity resolution: judge, undo, list judgements, resolve, explain, same-as, resolve-csv."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from backend.cli.common import _echo_resolution, _open, console, main


@main.command()
@click.argument("decision", type=click.Choice(["same", "different", "unsure"]))
@click.argument("left_id")
@click.argument("right_id")
@click.option("--by", "user", required=True, help="Your user name (recorded with the judgement).")
@click.option("--reason", default="", help="Why: what in the evidence says so.")
@click.option("--case", "case", default=None, help="The case it acts on (id or name); needed when both are seen in several.")
def judge(decision: str, left_id: str, right_id: str, user: str, reason: str, case: str | None) -> None:
    """Record that two entities are the same, are different, or that you are unsure (in one case: it acts on that case's views)."""
    from entity_resolution.judging import judge as record

    with _open() as store:
        judgement = record(store, left_id, right_id, decision, user, reason, case)
    click.echo(f"{judgement.id}: {judgement.left_id} {judgement.decision} {judgement.right_id} by {judgement.by} at {judgement.at}")


@main.command()
@click.argument("judgement_id")
@click.option("--by", "user", required=True, help="Your user name.")
@click.option("--reason", required=True, help="Why the judgement is withdrawn.")
@click.option(
    "--decision",
    type=click.Choice(["same", "different", "unsure"]),
    default="unsure",
    show_default=True,
    help="What holds for the pair afterwards.",
)
@click.option("--case", "case", default=None, help="For a rule's judgement (every case): the case it is withdrawn in.")
def undo(judgement_id: str, user: str, reason: str, decision: str, case: str | None) -> None:
    """Withdraw a judgement (both stay on record; the later one holds)."""
    from entity_resolution.judging import undo as withdraw

    with _open() as store:
        judgement = withdraw(store, judgement_id, user, reason, decision, case)
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
        table.add_row(
            j.at, j.left_id, str(j.decision), j.right_id, j.by, "" if j.score is None else f"{j.score:.2f}", j.reason, j.retracts or ""
        )
    console.print(table)


@main.command()
@click.option("--incremental", is_flag=True, help="Do nothing when no person is new to the judgements; else resolve as a full run does.")
def resolve(incremental: bool) -> None:
    """Resolve the graph's persons: record the resolver's same / unsure judgements (analysts' stand)."""
    from entity_resolution.graph import resolve_persons

    with _open() as store:
        _echo_resolution(resolve_persons(store, incremental=incremental))


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
        click.echo(
            f"{left_id} and {right_id} are not merged"
            + (f"; standing: {standing.decision} by {standing.by} at {standing.at} ({standing.reason})" if standing else ".")
        )
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
@click.option(
    "--field",
    "fields",
    multiple=True,
    required=True,
    metavar="FIELD=COLUMN",
    help="Map a field to a column: id (required), full_name or given_name + surname, dob, phone, id_number, alias, address, city.",
)
@click.option(
    "--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write record_id,cluster_id."
)
@click.option(
    "--high", default=0.95, show_default=True, type=click.FloatRange(0, 1), help="Merge pairs at or above this match probability."
)
@click.option(
    "--low", default=0.5, show_default=True, type=click.FloatRange(0, 1), help="Pairs from here up to --high are listed for review."
)
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
