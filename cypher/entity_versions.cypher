// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
// Each entity's name and attributes as each case's documents gave them (JSON by case id).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n.id AS id, n.versions_json AS versions_json
RETURN collect({id: id, versions_json: versions_json}) AS rows
