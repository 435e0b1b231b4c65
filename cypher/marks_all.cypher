MATCH (m:Mark)
RETURN m {.*} AS mark
ORDER BY m.at, m.id
