MERGE (m:TelaranaMeta {key: 'schema_version'})
SET m.value = $version
