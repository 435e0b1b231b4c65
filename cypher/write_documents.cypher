// Same id means same bytes: a document is written once and only gains cases.
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
  ON CREATE SET d.title = row.title, d.text = row.text, d.length = row.length,
                d.source_path = row.source_path, d.media_type = row.media_type,
                d.page_starts = row.page_starts, d.metadata_json = row.metadata_json
WITH d, row
UNWIND row.case_ids AS case_id
MATCH (c:Case {id: case_id})
MERGE (d)-[:IN_CASE]->(c)
