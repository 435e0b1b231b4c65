"""Analyses over a case's graph as resolved (each person judged the same drawn once): brokers
and communities, co-travel, call records, cross-border ties, timelines. They read the store
only through the GraphStore interface, so SQLite and Neo4j give the same answers."""
