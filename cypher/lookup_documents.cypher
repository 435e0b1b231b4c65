UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d.id AS id, d.length AS length, CASE WHEN $with_text THEN d.text END AS text
