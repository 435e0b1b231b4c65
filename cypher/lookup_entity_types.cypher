// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
// Types of the stored entities among the ids, and their versions by case (the write that
// looks them up needs both: one round trip).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n.id AS id, n.type AS type, n.versions_json AS versions_json
RETURN collect({id: id, type: type, versions_json: versions_json}) AS rows
