MATCH (c:Case)
RETURN c.id AS id, c.name AS name, coalesce(c.description, '') AS description
ORDER BY c.name, c.id
