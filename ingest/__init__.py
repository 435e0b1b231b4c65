"""Ingest: case documents -> mentions, entities and evidence-backed relationships.

readers / ocr / tables read files; pipeline (spaCy + rules), extract and relationships
find mentions and relationships; records turns them into graph records; job runs it all
over files and folders into a store.
"""
