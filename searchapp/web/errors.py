"""Errors as a clear page or, under /api, one JSON envelope: {"ok": false, "error", "status"}.

Every request gets an id (the `X-Request-Id` header, also in the body of an error). An
unexpected error is logged with its traceback, the method, the path and that id, and answered
with a 500 that shows the id and nothing of the internals.
"""

from __future__ import annotations

import logging
import uuid

from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from searchapp.indexing.searchers import IndexUnavailable
from searchapp.messages import Message
from searchapp.search.params import ParamError
from searchapp.web.respond import as_json

log = logging.getLogger("searchapp")


def request_id() -> str:
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex[:16]
    return g.request_id


def error_response(status: int, message: str) -> Response:
    if request.path.startswith("/api/"):
        return as_json({"ok": False, "error": message, "status": status, "request_id": request_id()}, status)
    return Response(render_template("error.html", status=status, message=message, request_id=request_id()),
                    status=status)



def _param_error(exc: ParamError) -> Response:
    return error_response(400, exc.message)


def _http_error(exc: HTTPException) -> Response:
    response = error_response(exc.code or 500, exc.description or exc.name)
    for name, value in exc.get_headers():  # Allow on a 405, for one
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _unavailable(exc: IndexUnavailable) -> Response:
    log.error("request %s %s %s: %s", request_id(), request.method, request.path, exc)
    return error_response(503, Message("The index is not ready: it is being built. Try again in a moment."))


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.exception("request %s %s %s failed", request_id(), request.method, request.full_path.rstrip("?"))
    return error_response(500, InternalServerError.description)


def _tag(response: Response) -> Response:
    response.headers["X-Request-Id"] = request_id()
    return response


def init_app(app: Flask) -> None:
    if not log.handlers and not logging.getLogger().handlers:  # else the host (gunicorn, pytest) logs it
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
    app.after_request(_tag)
    app.register_error_handler(ParamError, _param_error)
    app.register_error_handler(IndexUnavailable, _unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
