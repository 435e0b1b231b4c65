MATCH (c:Correction)
RETURN c.record_json AS record_json
ORDER BY c.at, c.id
