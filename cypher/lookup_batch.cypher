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
CALL {
  UNWIND $relationship_ids AS id
  MATCH (ev:Evidence {relationship_id: id})
  WITH id, collect(ev)[0] AS ev
  RETURN collect({id: id, type: ev.rel_type, source_id: ev.rel_source, target_id: ev.rel_target}) AS relationships
}
RETURN cases, documents, entities, relationships
