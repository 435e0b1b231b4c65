MATCH (:Document {id: $id})-[:MENTIONS]->(m:Mention)
RETURN m.id AS id, m.document_id AS document_id, m.entity_type AS entity_type, m.text AS text,
       m.normalized AS normalized, m.start AS start, m.end AS end, m.page AS page,
       m.sentence AS sentence, m.method AS method, m.confidence AS confidence,
       m.extractor_version AS extractor_version, m.entity_id AS entity_id
ORDER BY start, end, id
LIMIT $limit
