CALL db.index.fulltext.queryNodes('document_text', $query, {limit: $limit}) YIELD node, score
RETURN node.id AS id, node.title AS title, node.text AS text, score
ORDER BY score DESC, title, id
