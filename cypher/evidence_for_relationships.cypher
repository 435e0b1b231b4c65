// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
UNWIND $ids AS id
MATCH (ev:Evidence {relationship_id: id})-[:CITES]->(d:Document)
WITH ev.id AS id, ev.relationship_id AS relationship_id, ev.document_id AS document_id,
       ev.start AS start, ev.end AS end, ev.page AS page, ev.row AS row, ev.text AS text,
       ev.method AS method, ev.confidence AS confidence, ev.extractor_version AS extractor_version,
       d.title AS document_title
ORDER BY document_id, start, id
RETURN collect({id: id, relationship_id: relationship_id, document_id: document_id, start: start, end: end, page: page, row: row, text: text, method: method, confidence: confidence, extractor_version: extractor_version, document_title: document_title}) AS rows
