// (source id, target id) of the relationships incident_edges would return for $ids, nothing
// more: what a path search and a neighbourhood's rings need. One record, `rows`, a list of pairs.
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[r]-(m:Entity)
USING INDEX SEEK n:Entity(id)
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
WITH DISTINCT r
RETURN collect([startNode(r).id, endNode(r).id]) AS rows
