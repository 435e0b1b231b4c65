// Phones and ID documents: their full-text names gain the tails of their number (upgrade to 2).
MATCH (n:Entity)
WHERE n.type IN $types
RETURN n.id AS id, n.type AS type, n.label AS label, n.aliases AS aliases
