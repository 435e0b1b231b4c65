"""The web view: templates and static assets served by the backend (no CDN)."""
