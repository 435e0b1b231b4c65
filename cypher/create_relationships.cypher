// Relationships the lookup found no trace of. CREATE rather than MERGE: with a dynamic type
// the planner turns MERGE into a scan of every relationship. The per-type uniqueness
// constraints still refuse a duplicate id written concurrently.
UNWIND $rows AS row
MATCH (a:Entity {id: row.source_id})
MATCH (b:Entity {id: row.target_id})
CREATE (a)-[r:$(row.type) {id: row.id}]->(b)
SET r.date = row.date, r.properties_json = row.properties_json,
    r.confidence = row.confidence, r.evidence_count = row.evidence_count
