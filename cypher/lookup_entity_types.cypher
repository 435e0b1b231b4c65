// Types of the stored entities among the ids, and their versions by case (the write that
// looks them up needs both: one round trip).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.type AS type, n.versions_json AS versions_json
