// The token that changes with every committed write (none yet: a new or emptied database).
OPTIONAL MATCH (m:TelaranaMeta {key: 'generation'})
RETURN m.value AS generation
