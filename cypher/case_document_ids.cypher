// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
// The documents of any of these cases.
MATCH (c:Case)<-[:IN_CASE]-(d:Document)
WHERE c.id IN $case_ids
WITH DISTINCT d.id AS id
RETURN collect({id: id}) AS rows
