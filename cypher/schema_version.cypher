// The version of the data layout this database was last brought up to (none: before versions).
OPTIONAL MATCH (m:TelaranaMeta {key: 'schema_version'})
RETURN m.value AS version
