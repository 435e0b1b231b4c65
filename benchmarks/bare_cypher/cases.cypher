UNWIND $rows AS row
CREATE (:Case {id: row.id, name: row.name, description: row.description})
