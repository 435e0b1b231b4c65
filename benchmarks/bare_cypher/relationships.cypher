UNWIND $rows AS row
MATCH (a:Entity {id: row.source_id})
MATCH (b:Entity {id: row.target_id})
CREATE (a)-[:$(row.type) {id: row.id, date: row.date, properties_json: row.properties_json,
  confidence: row.confidence, evidence_count: row.evidence_count}]->(b)
