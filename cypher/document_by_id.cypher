MATCH (d:Document {id: $id})
OPTIONAL MATCH (d)-[:IN_CASE]->(c:Case)
WITH d, c ORDER BY c.id
RETURN d.id AS id, d.title AS title, d.text AS text, d.source_path AS source_path,
       d.media_type AS media_type, d.page_starts AS page_starts, d.metadata_json AS metadata_json,
       collect(c.id) AS case_ids
