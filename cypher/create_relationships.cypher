// Relationships the lookup found no trace of. CREATE rather than MERGE: with a dynamic type
// the planner turns MERGE into a scan of every relationship. The per-type uniqueness
// constraints still refuse a duplicate id written concurrently. The properties go in with the
// relationship (a CREATE then a SET wrote each one twice over).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source_id})
MATCH (b:Entity {id: row.target_id})
CREATE (a)-[:$(row.type) {id: row.id, date: row.date, properties_json: row.properties_json,
  confidence: row.confidence, evidence_count: row.evidence_count}]->(b)
