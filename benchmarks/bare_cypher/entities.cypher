UNWIND $rows AS row
CREATE (n:Entity:$(row.type) {id: row.id, type: row.type, label: row.label, aliases: row.aliases,
  properties_json: row.properties_json, search_names: row.search_names, versions_json: row.versions_json})
