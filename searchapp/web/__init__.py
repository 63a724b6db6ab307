"""HTTP: reader pages and their JSON twins under /api, errors, headers."""
