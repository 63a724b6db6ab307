"""Entity pages: a person or place, its spellings, its mentions over time, who and what comes
with it, and its most relevant passages (page and JSON twin)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort

from searchapp.messages import Message
from searchapp.search import engine
from searchapp.search.params import SearchParams
from searchapp.web.respond import as_json, page
from searchapp.web.services import services

bp = Blueprint("entities", __name__)


def entity_data(entity_id: str) -> dict[str, Any]:
    s = services()
    names = s.names()
    entity = names.entities.get(entity_id)
    if entity is None:
        abort(404, description=Message("No person or place '%(id)s'", id=entity_id))
    facet = "person" if entity.kind == "person" else "place"
    described = names.describe(entity.label("en")) or {"entities": [], "variants": []}
    spellings = next((e["spellings"] for e in described["entities"] if e["id"] == entity_id), {})
    profile = engine.entity_profile(s.index, facet, entity_id)
    passages = engine.search(s.index, SearchParams(q=f'"{entity.label("en")}"', filters={facet: (entity_id,)}),
                             names=names, per_page=5, passages_per_hit=1)
    return {
        "id": entity.id, "kind": entity.kind, "labels": entity.labels, "label": entity.label("en"),
        "spellings": spellings,
        "documents": profile["documents"],
        "timeline": profile["months"],
        "people": [{**p, "label": names.label(p["id"])} for p in profile["person"]],
        "places": [{**p, "label": names.label(p["id"])} for p in profile["place"]],
        "passages": [{"id": r["id"], "title": r["title"], "date": r["date"], "passages": r["passages"]}
                     for r in passages["results"]],
        "search_url": f"/search?{facet}={quote(entity_id, safe='')}",
    }


@bp.get("/entity/<path:entity_id>")
def entity_page(entity_id: str) -> Response:
    return page("entity.html", {"entity": entity_data(entity_id)}, json_path=f"/api/entity/{quote(entity_id)}")


@bp.get("/api/entity/<path:entity_id>")
def entity_json(entity_id: str) -> Response:
    return as_json(entity_data(entity_id))
