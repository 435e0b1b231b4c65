UNWIND $rows AS row
MATCH (d:Document {id: row.document_id})
MATCH (e:Entity {id: row.entity_id})
CREATE (d)-[:MENTIONS]->(:Mention {id: row.id, document_id: row.document_id, entity_type: row.entity_type,
  text: row.text, normalized: row.normalized, start: row.start, end: row.end, page: row.page,
  sentence: row.sentence, method: row.method, confidence: row.confidence,
  extractor_version: row.extractor_version, entity_id: row.entity_id})-[:REFERS_TO]->(e)
