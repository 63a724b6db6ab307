"""Sessions for archivists: login and logout, CSRF on every form, the archivist role check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlparse

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from searchapp.accounts import User
from searchapp.messages import Message
from searchapp.web.errors import error_response
from searchapp.web.services import services

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()
login_manager = LoginManager()
FAILURE_WINDOW = 15 * 60


class SessionUser(UserMixin):
    def __init__(self, user: User, session_key: str = ""):
        self.user = user
        self.id = session_key  # what the cookie holds: a session the server can end
        self.name = user.name
        self.is_archivist = user.is_archivist


@login_manager.user_loader
def _load(session_key: str) -> SessionUser | None:
    """The user of a live session; a cookie copied before logging out names an ended one."""
    user = services().users.session_user(session_key)
    return SessionUser(user, session_key) if user else None


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@login_manager.request_loader
def _load_from_token(req: Request) -> SessionUser | None:
    """`Authorization: Bearer <token>`: the token's user, for this request only."""
    token = bearer_token()
    user = services().users.user_for_token(token) if token is not None else None
    return SessionUser(user) if user is not None else None  # an unknown token: refused by _check_token


def _check_token() -> None:
    """An unknown or revoked bearer token is refused on every path, not only where a user is asked for."""
    token = bearer_token()
    if token is not None and services().users.user_for_token(token) is None:
        abort(401, description="The token is unknown or revoked")


def _check_csrf() -> None:
    """Forms and cookie sessions need the CSRF token. API calls with a bearer token, or without
    any session cookie, carry no ambient credentials a forged request could borrow, so they do not."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or bearer_token() is not None:
        return
    if request.path.startswith("/api/") and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return
    csrf.protect()


def archivist_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anonymous visitors are sent to log in; signed-in readers get 403."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not current_user.is_archivist:
            abort(403, description=Message("This page is for archivists."))
        return view(*args, **kwargs)
    return wrapped


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    if not target or not target.startswith("/") or target[1:2] in ("/", "\\") or urlparse(target).netloc \
            or any(ch.isspace() or ord(ch) < 32 for ch in target):  # browsers read /\host as //host
        return "/"
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    error, status = None, 200
    name = request.form.get("username", "").strip()
    if request.method == "POST":
        users = services().users
        ip = request.remote_addr or ""
        if users.too_many_failures(name, ip, FAILURE_WINDOW):
            response = error_response(429, Message("Too many failed logins. Wait 15 minutes and try again."))
            response.headers["Retry-After"] = str(FAILURE_WINDOW)
            return response
        user = users.verify(name, request.form.get("password", ""))
        if user is not None:
            users.clear_failures(name)
            login_user(SessionUser(user, users.start_session(user.id)))
            return redirect(safe_next(request.args.get("next")))
        users.record_failure(name, ip)
        error, status = Message("Wrong user name or password."), 401
    body = render_template("login.html", error=error, username=name, next=request.args.get("next", ""))
    return Response(body, status=status)


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated and current_user.id:
        services().users.end_session(current_user.id)
    logout_user()
    return redirect("/")


def _csrf_error(exc: CSRFError) -> Response:
    return error_response(400, Message("The form expired or did not come from this site (%(reason)s). "
                                       "Reload the page and try again.", reason=exc.description))


def init_app(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked in _check_csrf, which knows about tokens
    csrf.init_app(app)
    app.before_request(_check_token)
    app.before_request(_check_csrf)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_blueprint(bp)
