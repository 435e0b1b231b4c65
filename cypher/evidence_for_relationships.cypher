UNWIND $ids AS id
MATCH (ev:Evidence {relationship_id: id})-[:CITES]->(d:Document)
RETURN ev.id AS id, ev.relationship_id AS relationship_id, ev.document_id AS document_id,
       ev.start AS start, ev.end AS end, ev.page AS page, ev.row AS row, ev.text AS text,
       ev.method AS method, ev.confidence AS confidence, ev.extractor_version AS extractor_version,
       d.title AS document_title
ORDER BY document_id, start, id
