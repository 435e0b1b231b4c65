// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
UNWIND $ids AS id
MATCH (d:Document {id: id})
WITH d.id AS id, d.length AS length, CASE WHEN $with_text THEN d.text END AS text
RETURN collect({id: id, length: length, text: text}) AS rows
