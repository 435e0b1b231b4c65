// Everything one batch's checks look up, in one round trip (a write of a few documents made five
// of them). One record: a list per kind.
CALL {
  UNWIND $case_ids AS id
  MATCH (c:Case {id: id})
  RETURN collect({id: c.id}) AS cases
}
CALL {
  UNWIND $document_ids AS id
  MATCH (d:Document {id: id})
  RETURN collect({id: d.id, length: d.length, text: CASE WHEN $with_text THEN d.text END}) AS documents
}
CALL {
  UNWIND $entity_ids AS id
  MATCH (n:Entity {id: id})
  RETURN collect({id: n.id, type: n.type, versions_json: n.versions_json}) AS entities
}
// A relationship's key is on each of its evidence: one is read, not all (a line's holder named
// on every row of a year of call records is one relationship with an evidence per row).
CALL {
  UNWIND $relationship_ids AS id
  CALL (id) {
    MATCH (ev:Evidence {relationship_id: id})
    RETURN ev
    LIMIT 1
  }
  RETURN collect({id: id, type: ev.rel_type, source_id: ev.rel_source, target_id: ev.rel_target}) AS relationships
}
RETURN cases, documents, entities, relationships
