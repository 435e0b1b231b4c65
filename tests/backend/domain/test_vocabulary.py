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
