UNWIND $ids AS id
MATCH (j:Judgement {id: id})
RETURN j {.*} AS judgement
