CALL db.index.fulltext.queryNodes('entity_names', $query, {limit: $limit}) YIELD node, score
RETURN node.id AS id, node.type AS type, node.label AS label, score
ORDER BY score DESC, label, id
