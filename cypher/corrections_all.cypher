// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
MATCH (c:Correction)
WITH c.record_json AS record_json
ORDER BY c.at, c.id
RETURN collect({record_json: record_json}) AS rows
