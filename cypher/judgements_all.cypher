MATCH (j:Judgement)
RETURN j {.*} AS judgement
ORDER BY j.at, j.id
