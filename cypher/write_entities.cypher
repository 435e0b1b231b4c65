UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
  ON CREATE SET n:$(row.type), n.type = row.type
SET n.label = row.label, n.aliases = row.aliases, n.properties_json = row.properties_json,
    n.search_names = row.search_names, n.versions_json = row.versions_json
