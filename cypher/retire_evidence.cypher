// Evidence the new reading no longer gives, with the relationship it supported (date and
// properties too), so a relationship that leaves the graph can be told again.
MATCH (d:Document)<-[:CITES]-(ev:Evidence)
WHERE d.id IN $document_ids AND NOT ev.id IN $kept
OPTIONAL MATCH (:Entity {id: ev.rel_source})-[r]->(:Entity {id: ev.rel_target})
WHERE r.id = ev.relationship_id
SET ev.rel_date = r.date, ev.rel_properties_json = r.properties_json
REMOVE ev:Evidence
SET ev:RetiredEvidence, ev.retired_at = $at, ev.retired_reason = $reason
RETURN ev.relationship_id AS id, ev.rel_source AS source_id, ev.rel_target AS target_id
