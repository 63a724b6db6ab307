"""One dict, two renderings: a page and its JSON twin; security headers on every response."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, abort, current_app, jsonify, render_template, request, url_for

from searchapp.messages import Message

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def page(template: str, data: dict[str, Any], json_path: str | None = None, status: int = 200) -> Response:
    """Render `data` with `template`, advertising its JSON twin at `json_path`."""
    response = Response(render_template(template, **data), status=status)
    if json_path:
        query = request.query_string.decode("latin-1")
        target = f"{json_path}?{query}" if query else json_path
        response.headers["Link"] = f'<{target}>; rel="alternate"; type="application/json"'
    return response


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute URL under the configured PUBLIC_URL (a request's Host header is the client's say)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def as_json(data: dict[str, Any], status: int = 200) -> Response:
    response = jsonify(data)
    response.status_code = status
    return response


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _refuse_malformed() -> None:
    """A 400 for what no handler should see: parameters that are not UTF-8, JSON that is not
    JSON or holds a lone surrogate ("\ud800", which no text can be stored as)."""
    try:
        unquote_to_bytes(request.query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        abort(400, description=Message("The parameters are not valid UTF-8."))
    if request.is_json and request.method in ("POST", "PUT", "PATCH"):
        body = request.get_data(cache=True)
        if len(body) == current_app.config.get("MAX_CONTENT_LENGTH"):
            request.stream.read(1)  # a chunked body cut at the limit: reading on is the 413 (RequestEntityTooLarge)
        data = request.get_json(silent=True)
        if data is None and body.strip():
            abort(400, description=Message("The body is not valid JSON."))
        if _has_lone_surrogate(data):
            abort(400, description=Message("The JSON holds a lone surrogate (\\ud800-\\udfff), which is not text."))


def _refuse_oversized() -> None:
    """Answer 413 before reading a body that is declared too large (nothing is parsed or spooled)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length and request.content_length > limit:
        abort(413, description=Message("The upload is larger than %(mb)d MB; send fewer or smaller files.",
                                        mb=limit // 2**20))


def init_app(app: Flask) -> None:
    app.before_request(_refuse_oversized)
    app.before_request(_refuse_malformed)
    app.after_request(_headers)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
