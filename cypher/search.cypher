// Entities by name and documents by text in one round trip (a search was two reads, each a
// round trip and the driver's per-statement work). One record: a list of row maps per kind
// (one Bolt message; the driver spent about 18 µs of Python on each record it received).
// $entity_ids / $document_ids: only among these (null: all of them).
CALL {
  CALL db.index.fulltext.queryNodes('entity_names', $names, CASE WHEN $entity_ids IS NULL THEN {limit: $limit} ELSE {} END)
  YIELD node, score
  WHERE $entity_ids IS NULL OR node.id IN $entity_ids
  WITH node.id AS id, node.type AS type, node.label AS label, score
  ORDER BY score DESC, label, id
  LIMIT $limit
  RETURN collect({id: id, type: type, label: label, score: score}) AS entities
}
CALL {
  CALL db.index.fulltext.queryNodes('document_text', $text, CASE WHEN $document_ids IS NULL THEN {limit: $limit} ELSE {} END)
  YIELD node, score
  WHERE $document_ids IS NULL OR node.id IN $document_ids
  WITH node.id AS id, node.title AS title, node.text AS text, score
  ORDER BY score DESC, title, id
  LIMIT $limit
  RETURN collect({id: id, title: title, text: text, score: score}) AS documents
}
RETURN entities, documents
