"""Checking a batch against the store: the store as it will be after a batch under way, and a
shaped batch checked more than once."""

from __future__ import annotations

import json

import pytest

from backend.domain.errors import InvalidRecordError
from backend.domain.model import Batch, EntityType
from backend.store.validation import AfterCommitting, KnownDocument, StoreLookup, prepare_shaped, shape_ahead
from tests import factories as f


class _Stored(StoreLookup):
    """A lookup answering from dicts: what a store holds."""

    def __init__(self, cases=(), documents=None, types=None, keys=None, versions=None):
        self.cases, self.docs = set(cases), documents or {}
        self.types, self.keys, self.versions = types or {}, keys or {}, versions or {}

    def case_ids(self, ids):
        return self.cases.intersection(ids)

    def documents(self, ids, with_text):
        return {i: KnownDocument(self.docs[i].length, self.docs[i].text if with_text else None) for i in ids if i in self.docs}

    def entity_types(self, ids):
        return {i: self.types[i] for i in ids if i in self.types}

    def relationship_keys(self, ids):
        return {i: self.keys[i] for i in ids if i in self.keys}

    def entity_versions(self, ids):
        return {i: self.versions[i] for i in ids if i in self.versions}


def _written(batch: Batch, lookup: StoreLookup | None = None):
    """The rows a store writes for the batch, checked against `lookup` (an empty store by default)."""
    return prepare_shaped(shape_ahead(batch), lookup or _Stored(cases=[c.id for c in batch.cases]))


def _story_first_half(g):
    """The story's cases, documents, people and phones, and one relationship with its evidence."""
    uses = g.relationships["recruiter_phone"]
    return Batch(cases=(g.case, g.other_case), documents=(g.report, g.interview, g.other_report),
                 entities=tuple(g.people.values()) + tuple(g.things.values()), relationships=(uses,))  # fmt: skip


def test_after_committing_answers_as_the_store_will_once_the_batch_under_way_commits():
    g = f.story()
    under_way = _written(_story_first_half(g))
    recruiter, phone = g.people["recruiter"], g.things["phone_recruiter"]
    uses = g.relationships["recruiter_phone"]
    stored_elsewhere = f.entity(EntityType.PERSON, "Persona previa")
    before = _Stored(types={stored_elsewhere.id: "Person"}, versions={stored_elsewhere.id: {"caso-9": {"label": "x"}}})
    after = AfterCommitting(before, under_way)

    assert after.case_ids(["caso-1", "caso-2", "caso-x"]) == {"caso-1", "caso-2"}
    docs = after.documents([g.report.id, "unknown"], with_text=True)
    assert docs == {g.report.id: KnownDocument(len(g.report.text), g.report.text)}
    assert after.documents([g.report.id], with_text=False)[g.report.id].text is None
    types = after.entity_types([recruiter.id, phone.id, stored_elsewhere.id, "nobody"])
    assert types == {recruiter.id: "Person", phone.id: "Phone", stored_elsewhere.id: "Person"}
    versions = after.entity_versions([recruiter.id, stored_elsewhere.id])
    assert versions[stored_elsewhere.id] == {"caso-9": {"label": "x"}}
    assert set(versions[recruiter.id]) == {"caso-1", "caso-2"}
    assert after.relationship_keys([uses.id, "other"]) == {uses.id: (str(uses.type), uses.source_id, uses.target_id)}


def test_after_committing_keeps_what_the_store_held_where_the_batch_does_not_change_it():
    """A document stored before keeps its stored text (a document is written once); an entity's
    versions are the batch's, which it writes whole; a relationship is found by its evidence."""
    g = f.story()
    under_way = _written(_story_first_half(g))
    for row in under_way.entities:
        if row["id"] == g.people["luisa"].id:
            row["versions_json"] = "{}"
    stored_text = "x" * 400
    before = _Stored(documents={g.report.id: KnownDocument(len(stored_text), stored_text)},
                     versions={g.people["recruiter"].id: {"caso-9": {"label": "older"}}, g.people["luisa"].id: {"caso-9": {}}})  # fmt: skip
    after = AfterCommitting(before, under_way)
    assert after.documents([g.report.id], with_text=True)[g.report.id].text == stored_text
    versions = after.entity_versions([g.people["recruiter"].id, g.people["luisa"].id])
    assert "caso-9" not in versions[g.people["recruiter"].id]
    assert g.people["luisa"].id not in versions  # written with none: none is stored after it
    no_evidence = under_way.relationships[0] | {"id": "sin-evidencia"}
    under_way.relationships.append(no_evidence)
    assert AfterCommitting(_Stored(), under_way).relationship_keys(["sin-evidencia"]) == {}


def test_a_batch_checked_against_the_store_after_the_one_under_way_merges_and_refuses_as_after_it():
    g = f.story()
    under_way = _written(_story_first_half(g))
    after = AfterCommitting(_Stored(), under_way)
    cali = f.cross_case_batch(g)
    renamed = g.things["phone_recruiter"].model_copy(update={"label": "312 456 7890", "aliases": ("celular del Paisa",)})
    prepared = prepare_shaped(shape_ahead(cali.model_copy(update={"entities": (renamed,)})), after)
    assert prepared.existing_entity_ids == {renamed.id}
    assert prepared.existing_relationship_ids == {g.relationships["recruiter_phone"].id}
    versions = json.loads(prepared.entities[0]["versions_json"])
    assert versions["caso-2"]["aliases"] == ["celular del Paisa"] and versions["caso-1"]["aliases"] == []
    # Checked against the empty store the same batch refers to records that do not exist.
    with pytest.raises(InvalidRecordError, match="does not exist"):
        prepare_shaped(shape_ahead(cali), _Stored())
    as_person = f.entity(EntityType.PERSON, "Otro", entity_id=renamed.id)
    with pytest.raises(InvalidRecordError, match="already stored as Phone"):
        prepare_shaped(shape_ahead(Batch(entities=(as_person,))), after)


def test_a_shaped_batch_checked_twice_is_checked_afresh_each_time():
    """A writer whose check beside a commit failed checks the batch again in its transaction:
    the first check must leave the shaped rows as they were."""
    g = f.story()
    phone = g.things["phone_recruiter"]
    ahead = shape_ahead(Batch(entities=(phone,)))
    stored = _Stored(types={phone.id: "Phone"}, versions={phone.id: {"caso-9": {"label": "older"}}})
    first = prepare_shaped(ahead, stored)
    assert first.existing_entity_ids == {phone.id} and "caso-9" in json.loads(first.entities[0]["versions_json"])
    again = prepare_shaped(ahead, _Stored())
    assert again.existing_entity_ids == set()
    assert json.loads(again.entities[0]["versions_json"]) == {}
