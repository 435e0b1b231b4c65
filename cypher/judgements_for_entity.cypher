// One record: `rows`, the list of row maps (one Bolt message; the driver spent about 18 µs of
// Python on each record it received).
MATCH (j:Judgement)
WHERE j.left_id = $entity_id OR j.right_id = $entity_id
WITH j {.*} AS judgement
ORDER BY j.at, j.id
RETURN collect({judgement: judgement}) AS rows
