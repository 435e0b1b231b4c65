UNWIND $rows AS row
MATCH (d:Document {id: row.document_id})
MERGE (m:Mention {id: row.id})
SET m.document_id = row.document_id, m.entity_type = row.entity_type, m.text = row.text,
    m.normalized = row.normalized, m.start = row.start, m.end = row.end, m.page = row.page,
    m.sentence = row.sentence, m.method = row.method, m.confidence = row.confidence,
    m.extractor_version = row.extractor_version, m.entity_id = row.entity_id
MERGE (d)-[:MENTIONS]->(m)
WITH m, row
CALL (m) {
  OPTIONAL MATCH (m)-[old:REFERS_TO]->()
  DELETE old
}
WITH m, row
WHERE row.entity_id IS NOT NULL
MATCH (e:Entity {id: row.entity_id})
MERGE (m)-[:REFERS_TO]->(e)
