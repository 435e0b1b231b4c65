// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
MATCH (:Case {id: $case_id})<-[:IN_CASE]-(d:Document)
CALL (d) {
  MATCH (d)-[:MENTIONS]->(:Mention)-[:REFERS_TO]->(e:Entity)
  RETURN e.id AS id
  UNION
  MATCH (d)<-[:CITES]-(ev:Evidence)
  UNWIND [ev.rel_source, ev.rel_target] AS id
  RETURN id
}
WITH DISTINCT id
RETURN collect({id: id}) AS rows
