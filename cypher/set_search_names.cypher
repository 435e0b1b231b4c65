UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.search_names = row.search_names
