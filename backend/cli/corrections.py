"""Commands of analysts' corrections: `telarana correct reject-link | reject-evidence | add-entity |
add-link | annotate | undo | list`, thin wrappers over backend.graph.corrections. Merging and
splitting persons are `telarana judge same|different`."""

from __future__ import annotations

import json

import click
from rich.table import Table

from backend.cli.common import _open, console, main
from backend.domain.model import ASSOCIATION_KINDS, Correction
from backend.domain.vocabulary import ENTITY_KINDS, RELATIONSHIP_KINDS
from backend.graph import corrections
from backend.store.corrected import CorrectedStore

_BY = click.option("--by", "user", required=True, help="Your user name (recorded with the correction).")
_CASE = click.option("--case", "case", default=None, help="The case it belongs to (id or name); needed when there are several.")


def _done(correction: Correction) -> None:
    click.echo(f"{correction.id}: {correction.kind} {correction.subject_id} in {correction.case_id} by {correction.by} at {correction.at}")


@main.group()
def correct() -> None:
    """Correct a case's graph: reject a link or a piece of evidence, add an entity or a link, annotate, undo."""


@correct.command("reject-link")
@click.argument("relationship_id")
@_BY
@click.option("--reason", required=True, help="Why the link is wrong.")
@_CASE
def reject_link(relationship_id: str, user: str, reason: str, case: str | None) -> None:
    """The link leaves every view, analysis, export and report of the case (its evidence stays on record)."""
    with _open() as store:
        _done(corrections.reject_link(store, relationship_id, user, reason, case))


@correct.command("reject-evidence")
@click.argument("relationship_id")
@click.argument("evidence_id")
@_BY
@click.option("--reason", required=True, help="Why this evidence does not support the link.")
@_CASE
def reject_evidence(relationship_id: str, evidence_id: str, user: str, reason: str, case: str | None) -> None:
    """One piece of a link's evidence no longer supports it in the case."""
    with _open() as store:
        _done(corrections.reject_evidence(store, relationship_id, evidence_id, user, reason, case))


@correct.command("add-entity")
@click.argument("entity_type", type=click.Choice([str(t) for t in ENTITY_KINDS]))
@click.argument("label")
@_BY
@click.option("--reason", default="", help="Where it comes from.")
@_CASE
def add_entity(entity_type: str, label: str, user: str, reason: str, case: str | None) -> None:
    """An entity no document named, with you as its source."""
    with _open() as store:
        _done(corrections.add_entity(store, entity_type, label, user, reason, case))


@correct.command("add-link")
@click.argument("relationship_type", type=click.Choice([str(t) for t in RELATIONSHIP_KINDS]))
@click.argument("source_id")
@click.argument("target_id")
@_BY
@click.option("--reason", required=True, help="What the link rests on: cited as your assertion.")
@click.option("--date", default=None, help="ISO date of the link, if it has one.")
@click.option("--association", type=click.Choice(sorted(ASSOCIATION_KINDS)), default=None, help="The kind of an ASSOCIATED_WITH link.")
@_CASE
def add_link(relationship_type: str, source_id: str, target_id: str, user: str, reason: str, date: str | None,
             association: str | None, case: str | None) -> None:  # fmt: skip
    """A link no document stated, with your assertion as its evidence."""
    with _open() as store:
        _done(corrections.add_link(CorrectedStore(store), relationship_type, source_id, target_id, user, reason, case, date, association))


@correct.command("annotate")
@click.argument("subject_id")
@click.argument("note")
@_BY
@_CASE
def annotate(subject_id: str, note: str, user: str, case: str | None) -> None:
    """A note kept with an entity or a link."""
    with _open() as store:
        _done(corrections.annotate(CorrectedStore(store), subject_id, note, user, case))


@correct.command("undo")
@click.argument("correction_id")
@_BY
@click.option("--reason", required=True, help="Why the correction is withdrawn.")
def undo(correction_id: str, user: str, reason: str) -> None:
    """Withdraw a correction (both stay on record; what it changed is back)."""
    with _open() as store:
        _done(corrections.undo_correction(store, correction_id, user, reason))


@correct.command("list")
@_CASE
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_corrections(case: str | None, as_json: bool) -> None:
    """The corrections recorded (of one case, if given), oldest first."""
    with _open() as store:
        found = store.corrections([store.record_case(case) or ""] if case else None)
    if as_json:
        click.echo(json.dumps([c.model_dump(mode="json") for c in found], ensure_ascii=False, indent=2))
        return
    table = Table("when", "case", "kind", "subject", "by", "reason / note", "retracts")
    for c in found:
        table.add_row(c.at, c.case_id, str(c.kind), c.subject_id, c.by, c.reason or c.note, c.retracts or "")
    console.print(table)
