// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
UNWIND $ids AS id
MATCH (j:Judgement {id: id})
WITH j {.*} AS judgement
RETURN collect({judgement: judgement}) AS rows
