MATCH (m:Mark)
WHERE m.entity_id IN $ids
RETURN m {.*} AS mark
ORDER BY m.at, m.id
