UNWIND $rows AS row
MATCH (a:Entity {id: row.source_id})
MATCH (b:Entity {id: row.target_id})
CREATE (a)-[:$(row.type) {id: row.id, confidence: row.confidence}]->(b)
WITH row
UNWIND row.evidence AS ev
MATCH (d:Document {id: ev.document_id})
CREATE (:Evidence {id: ev.id, relationship_id: row.id, document_id: ev.document_id, start: ev.start,
  end: ev.end, text: ev.text, method: ev.method, confidence: ev.confidence,
  extractor_version: ev.extractor_version})-[:CITES]->(d)
