// Mentions of documents new in this batch: none can be stored yet (write_mentions merges the others).
UNWIND $rows AS row
MATCH (d:Document {id: row.document_id})
CREATE (d)-[:MENTIONS]->(m:Mention {id: row.id, document_id: row.document_id, entity_type: row.entity_type,
  text: row.text, normalized: row.normalized, start: row.start, end: row.end, page: row.page,
  sentence: row.sentence, method: row.method, confidence: row.confidence,
  extractor_version: row.extractor_version, entity_id: row.entity_id})
WITH m, row
WHERE row.entity_id IS NOT NULL
MATCH (e:Entity {id: row.entity_id})
CREATE (m)-[:REFERS_TO]->(e)
