MATCH (d:Document)
RETURN d.id AS id
