// The documents of any of these cases.
MATCH (c:Case)<-[:IN_CASE]-(d:Document)
WHERE c.id IN $case_ids
RETURN DISTINCT d.id AS id
