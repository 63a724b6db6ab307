"""Gunicorn settings: `gunicorn -c python:searchapp.gunicorn_conf 'searchapp:create_app()'`.

Each worker loads what a first request would otherwise wait for (the language model, the name
lookup, the date parsers) as soon as it has started, not before the fork.
"""

from searchapp.extract import extract
from searchapp.model import Document

bind = "127.0.0.1:8000"
timeout = 60


def post_worker_init(worker) -> None:
    services = worker.wsgi.extensions["searchapp"]
    extract(Document(id="warm-up", title="Warm-up", text="Kyiv, 17 May 2023\nA sentence to warm up."),
            services.names())
