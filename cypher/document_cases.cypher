// Which of these documents are stored, and in which cases (no text loaded).
UNWIND $ids AS id
MATCH (d:Document {id: id})
OPTIONAL MATCH (d)-[:IN_CASE]->(c:Case)
RETURN d.id AS id, collect(c.id) AS case_ids
