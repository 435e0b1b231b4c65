MATCH (c:Correction)
WHERE c.case_id IN $case_ids
RETURN c.record_json AS record_json
ORDER BY c.at, c.id
