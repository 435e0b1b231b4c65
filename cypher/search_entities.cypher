// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
// $ids: only among these entities (null: all of them).
CALL db.index.fulltext.queryNodes('entity_names', $query, CASE WHEN $ids IS NULL THEN {limit: $limit} ELSE {} END) YIELD node, score
WHERE $ids IS NULL OR node.id IN $ids
WITH node.id AS id, node.type AS type, node.label AS label, score
ORDER BY score DESC, label, id
LIMIT $limit
RETURN collect({id: id, type: type, label: label, score: score}) AS rows
