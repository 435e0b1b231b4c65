UNWIND $rows AS row
MERGE (c:Case {id: row.id})
SET c.name = row.name, c.description = row.description
