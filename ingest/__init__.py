"""Ingest: case documents -> mentions, entities and evidence-backed relationships.

For now it reads records files (JSON lines of graph records); document readers and the
spaCy extraction pipeline come next.
"""
