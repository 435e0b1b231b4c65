"""The vocabulary is data in one place: every type is complete, Neo4j keeps its ids unique,
the API serves it, and no page keeps a copy of its own."""

import re
from pathlib import Path

import pytest

from backend.domain.vocabulary import ENTITY_KINDS, RELATIONSHIP_KINDS, EntityType, RelType, schema

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_CYPHER = (ROOT / "cypher" / "schema.cypher").read_text("utf-8")
CONSTRAINT = re.compile(r"CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR (\(n:(\w+)\)|\(\)-\[r:(\w+)\]-\(\)) REQUIRE \w\.id IS UNIQUE")
DECLARED = {m.group(1): m.group(3) or m.group(4) for m in CONSTRAINT.finditer(SCHEMA_CYPHER)}
COLOUR = re.compile(r"^#[0-9a-f]{6}$")


@pytest.mark.parametrize("entity_type", list(EntityType))
def test_every_entity_type_has_labels_in_both_languages_a_colour_and_a_constraint(entity_type):
    kind = ENTITY_KINDS.get(entity_type)
    assert kind is not None, f"{entity_type} is missing from the vocabulary"
    assert kind.label_es.strip() and kind.label_en.strip()
    assert COLOUR.match(kind.colour)
    assert re.match(r"^[a-z]+$", kind.id_prefix)
    # Every entity is an :Entity node whatever its type, so its constraint is on :Entity.
    assert DECLARED.get(kind.cypher_constraint) == "Entity", f"no unique-id constraint {kind.cypher_constraint!r} on :Entity"


@pytest.mark.parametrize("rel_type", list(RelType))
def test_every_relationship_type_has_labels_in_both_languages_and_its_constraint(rel_type):
    kind = RELATIONSHIP_KINDS.get(rel_type)
    assert kind is not None, f"{rel_type} is missing from the vocabulary"
    assert kind.label_es.strip() and kind.label_en.strip()
    assert DECLARED.get(kind.cypher_constraint) == str(rel_type), f"schema.cypher lacks {kind.cypher_constraint} for {rel_type}"


def test_id_prefixes_and_colours_are_distinct():
    kinds = list(ENTITY_KINDS.values())
    assert len({k.id_prefix for k in kinds}) == len(kinds)
    assert len({k.colour for k in kinds}) == len(kinds)


def test_the_schema_lists_every_type_once():
    served = schema()
    assert [k["type"] for k in served["entity_types"]] == [str(t) for t in EntityType]
    assert [k["type"] for k in served["relationship_types"]] == [str(t) for t in RelType]


def test_no_page_keeps_its_own_copy_of_the_vocabulary():
    labels = [k.label_es for k in ENTITY_KINDS.values()] + [k.label_es for k in RELATIONSHIP_KINDS.values()]
    labels += [k.label_en for k in RELATIONSHIP_KINDS.values()] + [k.colour for k in ENTITY_KINDS.values()]
    for script in sorted((ROOT / "frontend" / "static").glob("*.js")):
        text = script.read_text("utf-8")
        copied = [label for label in labels if f'"{label}"' in text or f"'{label}'" in text]
        assert not copied, f"{script.name} keeps its own copy of {copied}; read /api/schema instead"


def test_every_word_a_page_or_report_shows_has_both_languages():
    """Association kinds, resolution's comparisons and levels, corrections and decisions: a
    value added without its words would show as a raw key."""
    from backend.domain.model import ASSOCIATION_KINDS, CorrectionKind, Decision
    from backend.domain.vocabulary import TERMS, term
    from entity_resolution.engine import LEVELS

    wanted = {f"association:{k}" for k in ASSOCIATION_KINDS} | {f"comparison:{c}" for c in LEVELS}
    wanted |= {f"level:{level}" for levels in LEVELS.values() for level in levels} | {"level:no information"}
    wanted |= {f"correction:{k.value}" for k in CorrectionKind} | {f"decision:{d.value}" for d in Decision}
    assert wanted - TERMS.keys() == set()
    assert all(es.strip() and en.strip() for es, en in TERMS.values())
    assert term("mode", "air") == "avión" and term("mode", "air", "en") == "air" and term("attribute", "nuevo") == "nuevo"


def test_names_made_of_dates_read_as_the_case_files_write_them():
    from backend.domain.vocabulary import flight_label, route_leg_label

    assert flight_label("AV10", "2018-03-12") == "AV10 12/03/2018" and flight_label("AV10") == "AV10"
    assert route_leg_label("Cali", "Bogotá", "bus", "2018-04-20") == "Cali → Bogotá (bus, 20/04/2018)"
    assert route_leg_label("Bogotá", "Madrid", "air") == "Bogotá → Madrid (avión)"
