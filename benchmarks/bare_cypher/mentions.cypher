UNWIND $rows AS row
MATCH (d:Document {id: row.document_id})
MATCH (e:Entity {id: row.entity_id})
CREATE (d)-[:MENTIONS]->(:Mention {id: row.id, document_id: row.document_id, text: row.text,
  start: row.start, end: row.end, sentence: row.sentence, method: row.method,
  confidence: row.confidence, extractor_version: row.extractor_version})-[:REFERS_TO]->(e)
