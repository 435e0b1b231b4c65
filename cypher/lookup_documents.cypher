UNWIND $ids AS id
MATCH (d:Document {id: id})
OPTIONAL MATCH (d)-[:IN_CASE]->(c:Case)
RETURN d.id AS id, d.length AS length, CASE WHEN $with_text THEN d.text END AS text,
       collect(c.id) AS case_ids
