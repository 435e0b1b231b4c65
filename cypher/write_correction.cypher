// Corrections are append-only: CREATE, never MERGE or SET (the id constraint refuses a second write).
// The record is kept whole as JSON; the case and time are properties to select and order by.
CREATE (:Correction {id: $id, case_id: $case_id, at: $at, record_json: $record_json})
