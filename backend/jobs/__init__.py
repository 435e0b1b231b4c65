"""Work the server runs in the background for its users (uploads read by the ingest job)."""
