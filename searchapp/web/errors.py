"""Errors as a clear page or, under /api, one JSON envelope: {"ok": false, "error", "status"}."""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from searchapp.search.params import ParamError
from searchapp.web.respond import as_json


def error_response(status: int, message: str) -> Response:
    if request.path.startswith("/api/"):
        return as_json({"ok": False, "error": message, "status": status}, status)
    return Response(render_template("error.html", status=status, message=message), status=status)


def _param_error(exc: ParamError) -> Response:
    return error_response(400, exc.message)


def _http_error(exc: HTTPException) -> Response:
    return error_response(exc.code or 500, exc.description or exc.name)


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    return error_response(500, InternalServerError.description)


def init_app(app: Flask) -> None:
    app.register_error_handler(ParamError, _param_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
