"""Saved queries for API clients: CRUD, results (all, since a time, since the last call), Atom."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from searchapp.saved import SavedQuery, params_from
from searchapp.search import engine
from searchapp.search.params import ParamError
from searchapp.web.auth import bearer_token
from searchapp.web.respond import as_json, public_url
from searchapp.web.services import services

bp = Blueprint("saved", __name__)
MAX_SINCE_RESULTS = 1000
ATOM = "http://www.w3.org/2005/Atom"


def _user_id() -> int:
    if not current_user.is_authenticated:
        abort(401, description="Send 'Authorization: Bearer <token>' (searchapp token create NAME)")
    return current_user.user.id


MAX_ID = 2**63 - 1  # SQLite's largest integer: a larger id names nothing


def _own(query_id: int) -> SavedQuery:
    user_id = _user_id()  # anonymous callers learn nothing, not even which ids exist
    query = services().saved.get(query_id) if query_id <= MAX_ID else None
    if query is None:
        abort(404, description=f"No saved query {query_id}")
    if query.user_id != user_id:
        abort(403, description="This saved query belongs to another user")
    return query


def _body() -> tuple[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
        abort(400, description='Send JSON: {"name": "...", "query": "q=Kyiv&lang=uk" or {"q": "Kyiv", ...}}')
    query = data.get("query", "")
    if not isinstance(query, (str, dict)):
        abort(400, description="'query' is a query string or an object of search parameters")
    return data["name"].strip(), query


@bp.post("/api/saved-queries")
def create() -> Response:
    user_id = _user_id()
    name, query = _body()
    saved = services().archive.save_query(user_id, name, params_from(query))
    response = as_json({**saved.as_dict(), "feed": _feed_url(saved)}, 201)
    response.headers["Location"] = url_for("saved.read", query_id=saved.id)
    return response


@bp.get("/api/saved-queries")
def listing() -> Response:
    return as_json({"saved_queries": [q.as_dict() for q in services().saved.for_user(_user_id())]})


@bp.get("/api/saved-queries/<int:query_id>")
def read(query_id: int) -> Response:
    query = _own(query_id)
    return as_json({**query.as_dict(), "feed": _feed_url(query)})


@bp.put("/api/saved-queries/<int:query_id>")
def update(query_id: int) -> Response:
    _own(query_id)
    name, query = _body()
    return as_json(services().saved.update(query_id, name, params_from(query)).as_dict())


@bp.delete("/api/saved-queries/<int:query_id>")
def delete(query_id: int) -> Response:
    _own(query_id)
    services().saved.delete(query_id)
    return Response(status=204)


@bp.get("/api/saved-queries/<int:query_id>/results")
def results(query_id: int) -> Response:
    query = _own(query_id)
    s = services()
    since = request.args.get("since", "").strip()
    only = None
    if since == "last":
        token = bearer_token()
        token_id = s.users.token_id(token) if token else None
        if token_id is None:
            abort(400, description="since=last keeps a cursor per token: call it with a bearer token")
        only = s.saved.matches_since_cursor(query_id, token_id)[:MAX_SINCE_RESULTS]
    elif since:
        try:
            moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError:
            raise ParamError("'%(since)s' is not an ISO time (2024-05-17T10:00:00+00:00) or 'last'",
                             since=since) from None
        if moment.tzinfo is None:
            raise ParamError("Give 'since' with a time zone, e.g. 2024-05-17T10:00:00Z")
        only = s.saved.matches_since_time(query_id, moment.isoformat(timespec="seconds"))
    page = request.args.get("page", "1")
    params = query.params.with_page(int(page) if page.isascii() and page.isdigit() and int(page) > 0 else 1)
    if only is not None:
        params = params.with_sort("-date") if not query.params.sort else params
    cfg = s.config
    data = engine.search(s.index, params, names=s.names(), per_page=cfg["PER_PAGE"] if only is None else
                         max(len(only), 1), max_window=max(cfg["MAX_RESULT_WINDOW"], MAX_SINCE_RESULTS + 1),
                         passages_per_hit=cfg["PASSAGES_PER_HIT"], only=only)
    if only is not None:  # what is new comes as one page, however many (or few) it holds
        data["per_page"] = len(only)
    return as_json({**data, "saved_query": query.as_dict(), "since": since or None})


def _feed_url(query: SavedQuery) -> str:
    return public_url("saved.feed", query_id=query.id, token=query.feed_token)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text an XML 1.0 document may hold (control characters have no place in it, even escaped)."""
    return _NOT_XML.sub("", text.encode("utf-8", "replace").decode("utf-8"))


@bp.get("/saved-queries/<int:query_id>/feed.atom")
def feed(query_id: int) -> Response:
    """The newest matches as Atom; the feed token in the URL stands in for the API token."""
    s = services()
    query = s.saved.get(query_id) if query_id <= MAX_ID else None
    if query is None or request.args.get("token") != query.feed_token:
        abort(404, description="No such feed")
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"urn:searchapp:saved-query:{query.id}"
    ET.SubElement(root, f"{{{ATOM}}}title").text = _xml_text(f"searchapp: {query.name}")
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=_feed_url(query))
    matches = s.saved.recent_matches(query.id)
    ET.SubElement(root, f"{{{ATOM}}}updated").text = matches[0][1] if matches else query.updated
    for doc_id, matched_at in matches:
        doc = s.store.get(doc_id)
        if doc is None:
            continue
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _xml_text(f"urn:searchapp:doc:{doc_id}")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _xml_text(doc.title)
        ET.SubElement(entry, f"{{{ATOM}}}link", href=public_url("reader.document", doc_id=doc_id))
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = matched_at
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = _xml_text(doc.text[:500])
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = _xml_text(doc.source or "unknown")
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")
