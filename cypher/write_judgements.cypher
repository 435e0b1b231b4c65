// Judgements are append-only: CREATE, never MERGE or SET (the id constraint refuses a second write).
UNWIND $rows AS row
CREATE (:Judgement {id: row.id, left_id: row.left_id, right_id: row.right_id, decision: row.decision, by: row.by, at: row.at,
                    score: row.score, features_json: row.features_json, reason: row.reason, retracts: row.retracts,
                    case_id: row.case_id})
