// Each entity's name and attributes as each case's documents gave them (JSON by case id).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.versions_json AS versions_json
