"""From URL parameters to a result dict: params -> parse -> rewrite -> engine (facets, snippets)."""
