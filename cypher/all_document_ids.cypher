// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
MATCH (d:Document)
WITH d.id AS id
RETURN collect({id: id}) AS rows
