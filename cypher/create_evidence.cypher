// Evidence citing documents new in this batch: none can be stored yet (write_evidence merges the others).
UNWIND $rows AS row
MATCH (d:Document {id: row.document_id})
CREATE (:Evidence {id: row.id, relationship_id: row.relationship_id, document_id: row.document_id,
  start: row.start, end: row.end, page: row.page, row: row.row, text: row.text, method: row.method,
  confidence: row.confidence, extractor_version: row.extractor_version, rel_type: row.rel_type,
  rel_source: row.rel_source, rel_target: row.rel_target})-[:CITES]->(d)
