// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n.id AS id, n.type AS type, n.label AS label, n.aliases AS aliases,
       n.properties_json AS properties_json
RETURN collect({id: id, type: type, label: label, aliases: aliases, properties_json: properties_json}) AS rows
