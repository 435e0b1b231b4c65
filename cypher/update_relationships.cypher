// Run after write_evidence: a relationship is as strong as its strongest evidence, old or new.
UNWIND $rows AS row
MATCH (a:Entity {id: row.source_id})-[r]->(:Entity {id: row.target_id})
WHERE r.id = row.id
SET r.date = row.date, r.properties_json = row.properties_json
WITH r, row
CALL (row) {
  MATCH (ev:Evidence {relationship_id: row.id})
  RETURN max(ev.confidence) AS confidence, count(ev) AS evidence_count
}
SET r.confidence = confidence, r.evidence_count = evidence_count
