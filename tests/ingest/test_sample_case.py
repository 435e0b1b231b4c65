"""The bundled sample case: what it must hold, that its gold covers it, that it ingests."""

from __future__ import annotations

import json

import pytest

from backend.store.sqlite import SqliteStore
from ingest import sample_case_builder
from ingest.generator import EVALUATED_TYPES
from ingest.job import discover, ingest_paths

FOLDER = sample_case_builder.FOLDER


def test_at_least_thirty_files_in_every_format_the_issue_names():
    files = discover([FOLDER])
    assert len(files) >= 30
    suffixes = {f.suffix for f in files}
    assert {".txt", ".csv", ".xlsx", ".pdf", ".png", ".docx", ".eml"} <= suffixes
    english = [f for f in files if "liaison" in f.name]
    assert english and "travelled from" in english[0].read_text("utf-8")


def test_the_gold_covers_every_document_and_attachment():
    gold = json.loads(sample_case_builder.GOLD_PATH.read_text("utf-8"))["documents"]
    names = {f.name for f in discover([FOLDER])}
    assert names <= set(gold)
    assert any("#" in name for name in gold)  # the e-mail's attachment is a document of its own
    assert all(set(entry) == set(EVALUATED_TYPES) for entry in gold.values())


def test_the_committed_text_files_are_what_the_builder_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(sample_case_builder, "FOLDER", tmp_path / "case")
    monkeypatch.setattr(sample_case_builder, "GOLD_PATH", tmp_path / "gold.json")
    monkeypatch.setattr(sample_case_builder, "DOCUMENTS", dict(sample_case_builder.DOCUMENTS))
    sample_case_builder.build()
    for built in (tmp_path / "case").iterdir():
        if built.suffix in (".txt", ".csv", ".eml", ".xlsx", ".docx"):
            assert built.read_bytes() == (FOLDER / built.name).read_bytes(), built.name
    assert (tmp_path / "gold.json").read_text("utf-8") == sample_case_builder.GOLD_PATH.read_text("utf-8")


@pytest.mark.slow
def test_the_sample_case_ingests_whole_and_ties_the_story_together(tmp_path):
    with SqliteStore(tmp_path / "db.sqlite3") as store:
        summary = ingest_paths([FOLDER], store, sample_case_builder.CASE_NAME)
        assert not summary.failed and summary.count("stored") == 31
        phone = store.get_entity("phone:" + sample_case_builder.PAISA_PHONE_2)
        users = {r.source_id for r in phone.relationships if r.type == "USES_PHONE"}
        labels = {store.get_entity(u).entity.label for u in users}
        # One person node per document until entity resolution; the interview names him only "Jhon Fredy".
        assert labels == {"Jhon Fredy Cardona Restrepo", "Jhon Fredy"} and len(users) >= 3
        assert any(r.type == "CALLED" for r in phone.relationships)
        flight = store.get_entity("flight:AV10@2018-03-12")
        passengers = {store.get_entity(r.source_id).entity.label for r in flight.relationships if r.type == "PASSENGER_ON"}
        assert {"Yuliana Andrea Ríos Castaño", "Leidy Johana Marín Ospina"} <= {
            p.replace("Rios", "Ríos").replace("Marin", "Marín") for p in passengers
        }
