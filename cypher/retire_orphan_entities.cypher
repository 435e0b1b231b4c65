// An entity nothing refers to any more (no mention, no relationship) leaves the graph: it loses
// its labels, keeps its properties, and is dated.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WHERE NOT EXISTS { (n)<-[:REFERS_TO]-(:Mention) } AND NOT EXISTS { (n)-[]-(:Entity) }
REMOVE n:Entity, n:$(n.type)
SET n:RetiredEntity, n.retired_at = $at, n.retired_reason = $reason
RETURN count(n) AS retired
