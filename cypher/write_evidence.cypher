// rel_type / rel_source / rel_target let a relationship be found by id through its evidence.
UNWIND $rows AS row
MATCH (d:Document {id: row.document_id})
MERGE (ev:Evidence {id: row.id})
SET ev.relationship_id = row.relationship_id, ev.document_id = row.document_id,
    ev.start = row.start, ev.end = row.end, ev.page = row.page, ev.row = row.row,
    ev.text = row.text, ev.method = row.method, ev.confidence = row.confidence,
    ev.extractor_version = row.extractor_version,
    ev.rel_type = row.rel_type, ev.rel_source = row.rel_source, ev.rel_target = row.rel_target
MERGE (ev)-[:CITES]->(d)
