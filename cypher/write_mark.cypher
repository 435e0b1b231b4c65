// Marks are append-only: CREATE, never MERGE or SET (the id constraint refuses a second write).
CREATE (:Mark {id: $id, entity_id: $entity_id, mark: $mark, value: $value, by: $by, at: $at, reason: $reason,
               case_id: $case_id})
