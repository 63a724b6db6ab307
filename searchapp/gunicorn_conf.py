"""Gunicorn settings: `gunicorn -c python:searchapp.gunicorn_conf 'searchapp:create_app()'`.

Before any worker starts, the master makes sure the index reads (rebuilding a damaged one from
the store) and indexes what an interrupted run left pending: a worker has a start-up timeout
and only checks. Each worker then loads what a first request would otherwise wait for (the
language model, the dictionaries, the name lookup, the date parsers, the searcher with its facet
columns) as soon as it has started, not before the fork.
"""

import logging

from searchapp import settings
from searchapp.docstore import DocStore
from searchapp.extract import extract
from searchapp.indexing.searchers import IndexUnavailable
from searchapp.model import Document
from searchapp.pipeline import ensure_index
from searchapp.search.engine import search
from searchapp.search.params import SearchParams
from searchapp.text import lexicon

bind = "127.0.0.1:8000"
timeout = 60
limit_request_line = 0  # a long query gets the application's own 400, not gunicorn's HTML 414
READY = "searchapp worker ready"  # logged once a worker has warmed up and serves at full speed


def on_starting(server) -> None:
    config = settings.load()
    if config["DATABASE_URL"]:
        return  # a node of several: its follower builds and repairs the index from the shared store
    store = DocStore(settings.store(config))
    if ensure_index(store, config["INDEX_DIR"]) == "rebuilt":
        logging.getLogger("searchapp").warning("the index was damaged and has been rebuilt from the store")
    store.close()


def post_worker_init(worker) -> None:
    services = worker.wsgi.extensions["searchapp"]
    lexicon.warm()
    extract(Document(id="warm-up", title="Warm-up", text="Kyiv, 17 May 2023\nA sentence to warm up."),
            services.names())
    try:  # open the searcher and read the facet columns and a name's postings, as a first search would
        search(services.index, SearchParams(q="Kyiv"), services.names())
    except IndexUnavailable:
        pass  # no index yet: the first import makes one
    worker.log.info("%s (pid %s)", READY, worker.pid)
