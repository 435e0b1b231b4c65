CALL () { MATCH (n:Case) RETURN count(n) AS cases }
CALL () { MATCH (n:Document) RETURN count(n) AS documents }
CALL () { MATCH (n:Mention) RETURN count(n) AS mentions }
CALL () { MATCH (n:Evidence) RETURN count(n) AS evidence }
CALL () {
  MATCH (n:Entity)
  WITH n.type AS type, count(*) AS total ORDER BY type
  RETURN collect([type, total]) AS entities
}
CALL () {
  MATCH (:Entity)-[r]->(:Entity)
  WITH type(r) AS type, count(*) AS total ORDER BY type
  RETURN collect([type, total]) AS relationships
}
RETURN cases, documents, mentions, evidence, entities, relationships
