// What the new reading of these documents no longer gives: relabelled, dated, never deleted.
// The link to the entity goes (entity_id keeps it) so no view reaches the entity through it.
MATCH (d:Document)-[:MENTIONS]->(m:Mention)
WHERE d.id IN $document_ids AND NOT m.id IN $kept
CALL (m) {
  OPTIONAL MATCH (m)-[link:REFERS_TO]->()
  DELETE link
}
REMOVE m:Mention
SET m:RetiredMention, m.retired_at = $at, m.retired_reason = $reason
RETURN m.entity_id AS entity_id
