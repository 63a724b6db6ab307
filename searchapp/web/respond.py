"""One dict, two renderings: a page and its JSON twin; security headers on every response."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, current_app, jsonify, render_template, request

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


def _refuse_oversized() -> None:
    """Answer 413 before reading a body that is declared too large (nothing is parsed or spooled)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length and request.content_length > limit:
        abort(413, description=Message("The upload is larger than %(mb)d MB; send fewer or smaller files.",
                                        mb=limit // 2**20))


def init_app(app: Flask) -> None:
    app.before_request(_refuse_oversized)
    app.after_request(_headers)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
