// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
MATCH (m:Mark)
WHERE m.entity_id IN $ids
WITH m {.*} AS mark
ORDER BY m.at, m.id
RETURN collect({mark: mark}) AS rows
