UNWIND $rows AS row
CREATE (n:Entity:$(row.type) {id: row.id, type: row.type, label: row.label})
