// The entities $ids and the relationships with both ends among them that pass the filters (a null
// filter means no filter): entities_by_id and incident_edges with $both_ends in one round trip, the
// last read of a neighbourhood or of the paths found. One record: `entities` and `rows`, each a
// list of maps. The relationships' filters are incident_edges' own (a contract test holds the two
// to the same answers).
CALL () {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN collect({id: n.id, type: n.type, label: n.label, aliases: n.aliases, properties_json: n.properties_json}) AS entities
}
CALL () {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})-[r]-(m:Entity)
  USING INDEX SEEK n:Entity(id)
  WHERE m.id IN $ids
    AND r.confidence >= $min_confidence
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
  WITH r.id AS id, type(r) AS type, startNode(r).id AS source_id, endNode(r).id AS target_id,
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
  RETURN collect({id: id, type: type, source_id: source_id, target_id: target_id, date: date, properties_json: properties_json,
                  confidence: confidence, evidence_count: evidence_count}) AS rows
}
RETURN entities, rows
