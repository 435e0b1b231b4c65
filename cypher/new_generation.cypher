// A new token, in the writing transaction: caches kept against the old one are stale.
MERGE (m:TelaranaMeta {key: 'generation'})
SET m.value = randomUUID()
