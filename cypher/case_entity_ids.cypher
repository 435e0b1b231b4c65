MATCH (:Case {id: $case_id})<-[:IN_CASE]-(d:Document)
CALL (d) {
  MATCH (d)-[:MENTIONS]->(:Mention)-[:REFERS_TO]->(e:Entity)
  RETURN e.id AS id
  UNION
  MATCH (d)<-[:CITES]-(ev:Evidence)
  UNWIND [ev.rel_source, ev.rel_target] AS id
  RETURN id
}
RETURN DISTINCT id
