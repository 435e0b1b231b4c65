MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.confidence >= $min_confidence
  AND ($types IS NULL OR type(r) IN $types)
  AND ($date_from IS NULL OR r.date IS NULL OR r.date >= $date_from)
  AND ($date_to IS NULL OR r.date IS NULL OR r.date <= $date_to)
  AND ($case_id IS NULL OR EXISTS {
        MATCH (ev:Evidence {relationship_id: r.id})-[:CITES]->(:Document)-[:IN_CASE]->(:Case {id: $case_id})
        USING INDEX SEEK ev:Evidence(relationship_id)
      })
  AND ($compartment IS NULL OR EXISTS {
        MATCH (ev:Evidence {relationship_id: r.id})-[:CITES]->(:Document)-[:IN_CASE]->(c:Case)
        USING INDEX SEEK ev:Evidence(relationship_id)
        WHERE c.id IN $compartment
      })
RETURN r.id AS id, type(r) AS type, a.id AS source_id, b.id AS target_id,
       r.date AS date, r.properties_json AS properties_json,
       // Under a compartment: the figures of the evidence from the viewer's cases only.
       CASE WHEN $compartment IS NULL THEN r.confidence ELSE reduce(strongest = 0.0, confidence IN COLLECT {
         MATCH (ev:Evidence {relationship_id: r.id})
         USING INDEX SEEK ev:Evidence(relationship_id)
         WHERE EXISTS { (ev)-[:CITES]->(:Document)-[:IN_CASE]->(c:Case) WHERE c.id IN $compartment }
         RETURN ev.confidence } | CASE WHEN confidence > strongest THEN confidence ELSE strongest END) END AS confidence,
       CASE WHEN $compartment IS NULL THEN r.evidence_count ELSE COUNT {
         MATCH (ev:Evidence {relationship_id: r.id})
         USING INDEX SEEK ev:Evidence(relationship_id)
         WHERE EXISTS { (ev)-[:CITES]->(:Document)-[:IN_CASE]->(c:Case) WHERE c.id IN $compartment } } END AS evidence_count
ORDER BY id
