"""The Whoosh index: schema, analysis, the writer, per-process searchers and facet columns."""
