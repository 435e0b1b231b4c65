// What earlier readings of a document gave and later ones did not.
MATCH (:Document {id: $id})-[:MENTIONS]->(m:RetiredMention)
RETURN 'mention' AS kind, properties(m) AS record
UNION ALL
MATCH (:Document {id: $id})<-[:CITES]-(ev:RetiredEvidence)
RETURN 'evidence' AS kind, properties(ev) AS record
