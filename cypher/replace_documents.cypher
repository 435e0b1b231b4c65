// A new reading of documents already stored: the reader may now give another text.
UNWIND $rows AS row
MATCH (d:Document {id: row.id})
SET d.title = row.title, d.text = row.text, d.length = row.length, d.media_type = row.media_type,
    d.page_starts = row.page_starts, d.metadata_json = row.metadata_json
