// After evidence was retired: each relationship is as strong as the evidence left; one with
// none leaves the graph (its evidence, retired, still tells it).
UNWIND $rows AS row
MATCH (:Entity {id: row.source_id})-[r]->(:Entity {id: row.target_id})
WHERE r.id = row.id
CALL (row) {
  OPTIONAL MATCH (ev:Evidence {relationship_id: row.id})
  RETURN max(ev.confidence) AS confidence, count(ev) AS evidence_count
}
CALL (r, confidence, evidence_count) {
  WITH r, confidence, evidence_count WHERE evidence_count > 0
  SET r.confidence = confidence, r.evidence_count = evidence_count
}
CALL (r, evidence_count) {
  WITH r, evidence_count WHERE evidence_count = 0
  DELETE r
}
RETURN sum(CASE WHEN evidence_count = 0 THEN 1 ELSE 0 END) AS removed
