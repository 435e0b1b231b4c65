// $ids: only among these entities (null: all of them).
CALL db.index.fulltext.queryNodes('entity_names', $query, CASE WHEN $ids IS NULL THEN {limit: $limit} ELSE {} END) YIELD node, score
WHERE $ids IS NULL OR node.id IN $ids
RETURN node.id AS id, node.type AS type, node.label AS label, score
ORDER BY score DESC, label, id
LIMIT $limit
