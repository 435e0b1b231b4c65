MATCH (j:Judgement)
WHERE j.left_id = $entity_id OR j.right_id = $entity_id
RETURN j {.*} AS judgement
ORDER BY j.at, j.id
