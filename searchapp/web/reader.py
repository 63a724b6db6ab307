"""Reader pages: the search page and the document page (HTML)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Blueprint, Response, flash, redirect, request
from flask_babel import gettext

from searchapp.search.engine import document_counts
from searchapp.search.params import SORTS, ParamError, SearchParams
from searchapp.web.respond import page
from searchapp.web.services import services
from searchapp.web.views import document_data, search_data, search_params

bp = Blueprint("reader", __name__)


def _find_in_facet() -> Response | None:
    """`find_person=...` / `find_place=...`: select the entity a spelling names (any script)."""
    for facet in ("person", "place"):
        text = request.args.get(f"find_{facet}", "").strip()[:200]
        if not text:
            continue
        args = [(k, v) for k, v in request.args.items(multi=True) if k != f"find_{facet}"]
        match = services().names().match(text.replace("-", " ").split())
        found = [e for e in (match.entity_ids if match else ()) if services().names().entities[e].kind == facet]
        if found:  # a case form of one gender names one person; otherwise the better-known wins
            counts = document_counts(services().index, facet, found)
            args.append((facet, max(found, key=counts.__getitem__)))
        else:
            message = (gettext("No person is known by the name '%(name)s'.", name=text) if facet == "person"
                       else gettext("No place is known by the name '%(name)s'.", name=text))
            flash(message, "error")
        return redirect("/search?" + urlencode(args))
    return None


@bp.get("/")
@bp.get("/search")
def search() -> Response:
    found = _find_in_facet()
    if found is not None:
        return found
    data, error = None, None
    params = SearchParams(q=request.args.get("q", "")[:1000])
    try:
        params = search_params()
        data = search_data(params)
    except ParamError as exc:
        error = exc.message
    return page("search.html", {"data": data, "params": params, "error": error, "sorts": SORTS},
                json_path="/api/search", status=400 if error else 200)


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str) -> Response:
    """A document; "Back to results" leads to the search in `back` (only ever a /search URL, rebuilt from its
    validated parameters), or else to a search for the query."""
    doc = document_data(doc_id)
    params = SearchParams(q=doc["q"])
    back = SearchParams.from_url(request.args.get("back", ""), max_query=services().config["MAX_QUERY_LENGTH"])
    return page("document.html", {"doc": doc, "params": params, "back_url": (back or params).url()},
                json_path=f"/api/doc/{quote(doc_id, safe='')}")
