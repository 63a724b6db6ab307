"""The API described in OpenAPI 3.1 (its schemas are JSON Schema; a test validates real answers)."""

from __future__ import annotations

from importlib.metadata import version

from flask import Blueprint, Response, current_app, render_template

from searchapp.web.respond import as_json

bp = Blueprint("openapi", __name__)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {str(code): _json(_ref("Error"), text) for code, text in (
    (400, "A parameter or body that needs fixing"), (401, "No or unknown token"), (403, "Not allowed"),
    (404, "Not found"), (405, "Method not allowed (see Allow)"), (413, "Too large"), (422, "Unreadable input"),
    (429, "Too many requests (see Retry-After)"), (503, "The index is being built"))}
DATE_BOUND = {"type": "string", "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|1\d|2[0-8]))?)?$",
              "description": "YYYY, YYYY-MM or YYYY-MM-DD (any real day is accepted; the pattern lists the days "
                             "every month has)"}
REPEATABLE = {"type": "array", "items": {"type": "string", "minLength": 1}, "maxItems": 50}
SEARCH_PARAMETERS = [
    {"name": name, "in": "query", "schema": schema, "description": text,
     **({"style": "form", "explode": True} if schema is REPEATABLE else {})} for name, schema, text in (
        ("q", {"type": "string", "maxLength": 1000}, "the query"),
        ("person", REPEATABLE, "person entity ids"), ("place", REPEATABLE, "place entity ids"),
        ("source", REPEATABLE, "sources"), ("lang", REPEATABLE, "language codes"),
        ("from", DATE_BOUND, "YYYY[-MM[-DD]]"), ("to", DATE_BOUND, "YYYY[-MM[-DD]]"),
        ("sort", {"enum": ["relevance", "date", "-date"]}, "the order"),
        ("page", {"type": "integer", "minimum": 1, "maximum": 100}, "from 1 (at most MAX_RESULT_WINDOW results deep)"),
        ("expand", {"enum": ["1", "0"]}, "name variants on (1, the default) or off"))]
STRING_LIST = {"type": "array", "items": {"type": "string"}}
ENTITY_REF = {"type": "object", "required": ["id", "label"],
              "properties": {"id": {"type": "string"}, "label": {"type": "string"}}}
FACET_VALUE = {"type": "object", "required": ["value", "count"],
               "properties": {"value": {"type": "string"}, "label": {"type": "string"},
                              "count": {"type": "integer"}, "selected": {"type": "boolean"},
                              "url": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"}}}
SCHEMAS = {
    "Error": {"type": "object", "required": ["ok", "error", "status", "request_id"],
              "properties": {"ok": {"const": False}, "error": {"type": "string"}, "status": {"type": "integer"},
                             "request_id": {"type": "string"}}},
    "Hit": {"type": "object",
            "required": ["id", "title", "date", "source", "url", "lang", "score", "people", "places", "passages"],
            "properties": {
                "id": {"type": "string"}, "title": {"type": "string"}, "title_html": {"type": "string"},
                "date": {"type": "string"}, "source": {"type": "string"}, "url": {"type": "string"},
                "lang": {"type": "string"}, "added": {"type": "string"}, "score": {"type": ["number", "null"]},
                "people": {"type": "array", "items": ENTITY_REF}, "places": {"type": "array", "items": ENTITY_REF},
                "passages": {"type": "array", "items": {
                    "type": "object", "required": ["position", "html"],
                    "properties": {"position": {"type": "integer"}, "html": {"type": "string"}}}}}},
    "SearchResult": {
        "type": "object", "required": ["query", "total", "page", "per_page", "took_ms", "expansions", "results",
                                       "facets"],
        "properties": {
            "query": {"type": "object"}, "total": {"type": "integer"}, "page": {"type": "integer"},
            "per_page": {"type": "integer"}, "pages": {"type": "integer"}, "took_ms": {"type": "number"},
            "notices": STRING_LIST, "date_granularity": {"type": ["string", "null"]},
            "did_you_mean": {"type": ["object", "null"]},
            "expansions": {"type": "array", "items": {
                "type": "object", "required": ["term", "entity", "variants"],
                "properties": {"term": {"type": "string"}, "entity": {"type": ["string", "null"]},
                               "how": {"type": "string"},
                               "entities": {"type": "array", "items": ENTITY_REF}, "variants": STRING_LIST}}},
            "results": {"type": "array", "items": _ref("Hit")},
            "facets": {"type": "object", "required": ["person", "place", "source", "lang", "date"],
                       "additionalProperties": {"type": "array", "items": FACET_VALUE}}}},
    "Document": {"type": "object", "required": ["id", "title", "date", "source", "lang", "people", "places",
                                                "paragraphs"],
                 "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "date": {"type": "string"},
                                "date_precision": {"type": "string"}, "source": {"type": "string"},
                                "lang": {"type": "string"}, "url": {"type": "string"},
                                "people": {"type": "array", "items": ENTITY_REF},
                                "places": {"type": "array", "items": ENTITY_REF},
                                "paragraphs": STRING_LIST, "text": {"type": "string"},
                                "cut_at": {"type": ["integer", "null"],
                                           "description": "where the searched and shown text stops, if it "
                                                          "does (text holds all of it)"}}},
    "Aliases": {"type": "object", "required": ["name", "how", "entities", "variants"],
                "properties": {"name": {"type": "string"}, "how": {"type": "string"},
                               "full_name": {"type": "boolean"}, "variants": STRING_LIST,
                               "entities": {"type": "array", "items": {"type": "object",
                                                                       "required": ["id", "kind", "spellings"]}}}},
    "SavedQuery": {"type": "object", "required": ["id", "name", "query", "params"],
                   "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                  "query": {"type": "object"}, "params": {"type": "string"},
                                  "created": {"type": "string"}, "updated": {"type": "string"},
                                  "feed": {"type": "string"}}},
    "SavedQueryInput": {"type": "object", "required": ["name"],
                        "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 200,
                                                "pattern": "\\S"},
                                       "query": {"oneOf": [{"type": "string"}, {"type": "object"}]}}},
    "DocumentInput": {"type": "object", "minProperties": 1,
                      "anyOf": [{"required": ["title"]}, {"required": ["text"]}],
                      "properties": {"title": {"type": "string", "pattern": "\\S"},
                                     "text": {"type": "string", "pattern": "\\S"},
                                     "id": {"type": "string", "pattern": "^[\\w.:@-]{1,200}$"},
                                     "date": {"type": "string"}, "source": {"type": "string"},
                                     "url": {"type": "string"}, "lang": {"type": "string"}}},
    "UploadResult": {"type": "object", "required": ["ok", "results"],
                     "properties": {"ok": {"type": "boolean"}, "results": {"type": "array", "items": {
                         "type": "object", "required": ["name", "status", "id", "reason"],
                         "properties": {"name": {"type": "string"},
                                        "status": {"enum": ["added", "duplicate", "failed"]},
                                        "id": {"type": "string"}, "title": {"type": "string"},
                                        "reason": {"type": "string"}}}}}},
    "BatchResult": {"type": "object", "required": ["queries", "results"],
                    "properties": {"queries": {"type": "integer"}, "took_ms": {"type": "number"},
                                   "results": {"type": "array", "items": {
                                       "type": "object", "required": ["query"],
                                       "properties": {"query": {"type": "string"}, "total": {"type": "integer"},
                                                      "error": {"type": "string"},
                                                      "top": {"type": "array", "items": {"type": "object"}}}}}}},
    "Entity": {"type": "object", "required": ["id", "kind", "label", "documents", "timeline", "people", "places",
                                              "passages", "spellings"],
               "properties": {"id": {"type": "string"}, "kind": {"enum": ["person", "place"]},
                              "label": {"type": "string"}, "labels": {"type": "object"},
                              "documents": {"type": "integer"}, "spellings": {"type": "object"},
                              "timeline": {"type": "array",
                                           "items": {"type": "object", "required": ["value", "count"]}},
                              "people": {"type": "array", "items": {"type": "object", "required": ["id", "label"]}},
                              "places": {"type": "array", "items": {"type": "object", "required": ["id", "label"]}},
                              "passages": {"type": "array", "items": {"type": "object"}},
                              "search_url": {"type": "string"}}},
    "Health": {"type": "object", "required": ["ok", "documents", "indexed", "pending"],
               "properties": {"ok": {"type": "boolean"}, "documents": {"type": "integer"},
                              "indexed": {"type": "integer"}, "pending": {"type": "integer"},
                              # on a node of several (a shared PostgreSQL store):
                              "store_change": {"type": "integer"}, "index_change": {"type": "integer"},
                              "lag": {"type": "integer"}}},
}
BEARER = [{"bearer": []}]


def spec() -> dict:
    def op(summary: str, ok: dict, **extra) -> dict:
        return {"summary": summary, "responses": {"200": ok, **ERRORS}, **extra}

    saved_id = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "searchapp API", "version": version("searchapp"),
                 "description": "Search news about Russia, Ukraine and Belarus; save queries and follow them."},
        "components": {"schemas": SCHEMAS,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "searchapp token create NAME"}}},
        "paths": {
            "/api/search": {"get": op("Search", _json(_ref("SearchResult")), parameters=SEARCH_PARAMETERS)},
            "/api/doc/{id}": {"get": op("One document", _json(_ref("Document")), parameters=[
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "schema": {"type": "string"}}])},
            "/api/aliases": {"get": op("The entity a name belongs to, and its spellings", _json(_ref("Aliases")),
                                       parameters=[{"name": "name", "in": "query", "required": True,
                                                    "schema": {"type": "string", "minLength": 1, "maxLength": 200,
                                                               "pattern": "\\S"}}])},
            "/api/documents": {"post": {
                "summary": "Add documents (archivist token)", "security": BEARER,
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": _ref("DocumentInput")},
                    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                        "file": {"type": "array", "minItems": 1, "items": {
                            "type": "string", "format": "binary",
                            "description": "a text, HTML, PDF, JSONL or ZIP file (one that cannot be read is a 422)"}},
                        **{key: {"type": "string"} for key in ("title", "date", "source", "url", "lang")}}}}}},
                "responses": {"201": _json(_ref("UploadResult"), "Added"),
                              "200": _json(_ref("UploadResult"), "Nothing new (duplicates)"), **ERRORS,
                              "422": _json(_ref("UploadResult"), "Nothing could be added (see each reason)")}}},
            "/api/saved-queries": {
                "get": op("Your saved queries", _json({"type": "object", "properties": {
                    "saved_queries": {"type": "array", "items": _ref("SavedQuery")}}}), security=BEARER),
                "post": {"summary": "Save a query", "security": BEARER,
                         "requestBody": {"required": True,
                                         "content": {"application/json": {"schema": _ref("SavedQueryInput")}}},
                         "responses": {"201": _json(_ref("SavedQuery"), "Saved"), **ERRORS}}},
            "/api/saved-queries/{id}": {
                "get": op("A saved query", _json(_ref("SavedQuery")), security=BEARER, parameters=saved_id),
                "put": op("Change a saved query", _json(_ref("SavedQuery")), security=BEARER, parameters=saved_id,
                          requestBody={"required": True,
                                       "content": {"application/json": {"schema": _ref("SavedQueryInput")}}}),
                "delete": {"summary": "Delete a saved query", "security": BEARER, "parameters": saved_id,
                           "responses": {"204": {"description": "Deleted"}, **ERRORS}}},
            "/api/saved-queries/{id}/results": {"get": op(
                "Its results; since=<ISO time> or since=last for what is new", _json(_ref("SearchResult")),
                description="since=<ISO time>: the matches recorded after that time. since=last: a cursor per "
                            "saved query and token; the first call returns the matches recorded so far (the "
                            "query's 50 newest documents when it was saved, then every new match), each later "
                            "call what was recorded since the previous one. Either way all of them come as one "
                            "page (at most 1000), in the query's sort (newest first if it has none), and "
                            "per_page is their number.",
                security=BEARER, parameters=[*saved_id, {"name": "since", "in": "query",
                                                          "schema": {"type": "string"}}])},
            "/saved-queries/{id}/feed.atom": {"get": {
                "summary": "Its newest matches as Atom (feed token in the URL)", "parameters": [
                    *saved_id, {"name": "token", "in": "query", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "Atom",
                                      "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                              "404": {"description": "No such feed"}}}},
            "/api/batch-search": {"post": {
                "summary": "Many queries at once: counts and top results (JSON, or CSV with format=csv)",
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"type": "object", "required": ["queries"], "properties": {
                        "queries": {"type": "array", "minItems": 1,
                                    "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}},
                        "top": {"type": "integer", "minimum": 0, "maximum": 10}}}},
                    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                        "file": {"type": "string", "format": "binary",
                                 "description": "CSV, one query per row (a file with none is a 400)"},
                        "top": {"type": "string", "pattern": "^([0-9]|10)$"}}}}}},
                "responses": {"200": _json(_ref("BatchResult")), **ERRORS}}},
            "/api/entity/{id}": {"get": op("A person or place: spellings, mentions per month, companions, passages",
                                           _json(_ref("Entity")), parameters=[
                                               {"name": "id", "in": "path", "required": True,
                                                "schema": {"type": "string"}}])},
            "/api/suggest": {"get": op("Names starting with a prefix (autocomplete)", _json({
                "type": "object", "required": ["prefix", "suggestions"],
                "properties": {"prefix": {"type": "string"}, "suggestions": {"type": "array", "items": {
                    "type": "object", "required": ["id", "label", "kind", "matched"]}}}}),
                parameters=[{"name": "prefix", "in": "query", "required": True,
                             "schema": {"type": "string", "maxLength": 100}}])},
            "/healthz": {"get": op("Liveness and index status", _json(_ref("Health")))},
        },
    }


@bp.get("/api/openapi.json")
def openapi() -> Response:
    return as_json(spec())


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    body = render_template("opensearch.xml", base=current_app.config["PUBLIC_URL"].rstrip("/"))
    return Response(body, mimetype="application/opensearchdescription+xml")
