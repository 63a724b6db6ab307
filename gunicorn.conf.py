"""Read by gunicorn when started here (`gunicorn wsgi:app`): the project's settings."""

from searchapp.gunicorn_conf import bind, limit_request_line, on_starting, post_worker_init, timeout  # noqa: F401
