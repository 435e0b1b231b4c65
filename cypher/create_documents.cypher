// Documents the lookup found no trace of (write_documents merges the others), with their cases.
UNWIND $rows AS row
CREATE (d:Document {id: row.id, title: row.title, text: row.text, length: row.length, source_path: row.source_path,
  media_type: row.media_type, page_starts: row.page_starts, metadata_json: row.metadata_json})
WITH d, row
UNWIND row.case_ids AS case_id
MATCH (c:Case {id: case_id})
CREATE (d)-[:IN_CASE]->(c)
