"""Request rate limits for the API: per token, and per address for anonymous /api/search.

Counts live in the application database, so every worker (and every node) shares them; a window is one
minute. Over the limit: 429 with Retry-After.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask, Response, abort, current_app, g, request

from searchapp import settings
from searchapp.database import StoreTables
from searchapp.messages import Message
from searchapp.schema import rate_counts
from searchapp.web.auth import bearer_token
from searchapp.web.services import services

WINDOW_S = 60


class RateCounter(StoreTables):
    def hit(self, key: str, limit: int) -> int:
        """Take one request for `key` if it is within `limit` a minute (0), else refuse it: the
        seconds to wait (a refused request is not counted, so waiting that long is enough).

        A sliding-window estimate: this minute's count plus the previous minute's, weighted by
        how much of it still lies within the last 60 seconds, so no burst slips through at the
        turn of a minute."""
        now = time.time()
        window = int(now // WINDOW_S)
        elapsed = (now % WINDOW_S) / WINDOW_S
        with self.db.write() as conn:
            self.db.lock(conn, f"rate:{key}")  # requests to other nodes wait their turn
            conn.execute(rate_counts.delete().where(rate_counts.c.window < window - 1))
            counts = dict(conn.execute(sa.select(rate_counts.c.window, rate_counts.c.count)
                                       .where(rate_counts.c.key == key)).all())
            if counts.get(window, 0) + counts.get(window - 1, 0) * (1 - elapsed) + 1 > limit:
                return int(WINDOW_S * (1 - elapsed)) + 1
            insert = self.db.insert(rate_counts).values(key=key, window=window, count=1)
            conn.execute(insert.on_conflict_do_update(index_elements=["key", "window"],
                                                      set_={"count": rate_counts.c.count + 1}))
        return 0


def _limit() -> None:
    if not request.path.startswith("/api/"):
        return
    config = current_app.config
    token = bearer_token()
    if token is not None:
        key, limit = f"token:{services().users.token_id(token)}", config["RATE_TOKEN_PER_MIN"]
    elif request.path == "/api/search":
        key, limit = f"ip:{request.remote_addr}", config["RATE_ANON_PER_MIN"]
    else:
        return
    counter: RateCounter = current_app.extensions["searchapp.rates"]
    retry = counter.hit(key, limit)
    if retry:
        g.retry_after = retry
        abort(429, description=Message("Too many requests: at most %(limit)d a minute. Try again in %(retry)d s.",
                                        limit=limit, retry=retry))


def _retry_after(response: Response) -> Response:
    if response.status_code == 429 and "retry_after" in g:
        response.headers["Retry-After"] = str(g.retry_after)
    return response


def init_app(app: Flask) -> None:
    app.extensions["searchapp.rates"] = RateCounter(settings.store(app.config))
    app.before_request(_limit)
    app.after_request(_retry_after)
