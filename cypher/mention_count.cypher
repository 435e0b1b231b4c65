// How many mentions these documents hold.
UNWIND $ids AS id
MATCH (:Document {id: id})-[:MENTIONS]->(m:Mention)
RETURN count(m) AS mentions
