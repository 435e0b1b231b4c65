UNWIND $rows AS row
CREATE (:Document {id: row.id, title: row.title, text: row.text, length: row.length})
