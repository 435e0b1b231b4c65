"""The cue tables are what docs/extract.md says they are, and each cue does what its row says."""

import re
from pathlib import Path

from backend.domain.vocabulary import RelType
from ingest import cues
from ingest.extract import extract_document
from ingest.pipeline import load_pipeline

DOC = (Path(__file__).resolve().parents[2] / "docs" / "extract.md").read_text("utf-8")
ROW = re.compile(r"^\| `(\w+)` \| ([^|]+?) \| `([\w:]+)` \| ([0-9.]+) \|$", re.M)


def test_docs_list_exactly_the_cue_tables():
    section = DOC.split("## Relationship cues", 1)[1]
    documented = [(m.group(1), "" if m.group(2) == "—" else m.group(2), m.group(3), float(m.group(4))) for m in ROW.finditer(section)]
    assert documented == cues.cue_rows()


def test_every_tie_cue_reads_its_kind_from_a_sentence():
    sentences = {
        "recruited": "Carlos Andrés Gómez le ofreció trabajo como modelo a Luisa Fernanda Restrepo.",
        "travelled_with": "Luisa Fernanda Restrepo viajó con Carlos Andrés Gómez hacia Bogotá.",
        "paid_for": "Carlos Andrés Gómez pagó los tiquetes de Luisa Fernanda Restrepo.",
        "hosted": "Carlos Andrés Gómez alojó a Luisa Fernanda Restrepo en una casa de Fontibón.",
    }
    assert set(sentences) == {c.kind for c in cues.TIE_CUES}
    for kind, sentence in sentences.items():
        found = extract_document("c" * 64, "cue", sentence, load_pipeline()(sentence))
        kinds = {r.properties.get("kind") for r in found.relationships if r.type == RelType.ASSOCIATED_WITH}
        assert kind in kinds, (kind, kinds)
