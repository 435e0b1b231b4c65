// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
// $ids: only among these documents (null: all of them).
CALL db.index.fulltext.queryNodes('document_text', $query, CASE WHEN $ids IS NULL THEN {limit: $limit} ELSE {} END) YIELD node, score
WHERE $ids IS NULL OR node.id IN $ids
WITH node.id AS id, node.title AS title, node.text AS text, score
ORDER BY score DESC, title, id
LIMIT $limit
RETURN collect({id: id, title: title, text: text, score: score}) AS rows
