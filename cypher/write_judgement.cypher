// Judgements are append-only: CREATE, never MERGE or SET (the id constraint refuses a second write).
CREATE (:Judgement {id: $id, left_id: $left_id, right_id: $right_id, decision: $decision, by: $by, at: $at,
                    score: $score, features_json: $features_json, reason: $reason, retracts: $retracts,
                    case_id: $case_id})
