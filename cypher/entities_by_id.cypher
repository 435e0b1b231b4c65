UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.type AS type, n.label AS label, n.aliases AS aliases,
       n.properties_json AS properties_json
