"""A node's follower: applies the shared store's changes to this node's own index, in order.

With a PostgreSQL store (several nodes), every change to a document is logged with a growing
number (`DocStore.changes_after`). Each node keeps, inside its index directory, the number of the
last change its index holds; its follower applies the ones after it: a document still stored is
indexed again (replacing what was there) unless the index holds that version already (the node
that took the write indexed it), one that is gone is deleted from the index. Re-applying
a change is harmless, so a crash between the index's commit and the number's is no loss. A node
whose index is new, empty or unreadable builds it from the store first.

Exactly one follower runs per node: every worker process starts `follow_in_background`, and the
one holding a lock file beside the index follows; another takes over if that process dies. It
wakes on PostgreSQL's NOTIFY and looks anyway every few seconds, so a lost wake-up only delays.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from pathlib import Path

import psycopg

from searchapp.database import CHANGES_CHANNEL, libpq_url
from searchapp.docstore import DocStore
from searchapp.indexing.writer import Indexer, index_damage, index_exists, open_index
from searchapp.pipeline import COMMIT_EVERY, Progress, reindex

log = logging.getLogger("searchapp.follower")
FOLLOWED = "FOLLOWED_CHANGE"  # file in the index directory: the last change the index holds
BATCH = 2000  # changes applied per index commit
POLL_S = 5.0  # look for changes at least this often, wake-ups or not
RETRY_S = 1.0  # how often a process that is not the follower tries to become it


def applied_change(index_dir: str | Path) -> int | None:
    """The number of the last change this node's index holds (None: not known, so the index
    must be built from the store)."""
    try:
        return int((Path(index_dir) / FOLLOWED).read_text())
    except (FileNotFoundError, ValueError):
        return None


def _record(index_dir: str | Path, seq: int) -> None:
    path = Path(index_dir) / FOLLOWED
    tmp = path.with_name(FOLLOWED + ".tmp")
    tmp.write_text(str(seq))
    os.replace(tmp, path)


class Follower:
    def __init__(self, store: DocStore, index_dir: str | Path):
        self.store = store
        self.index_dir = Path(index_dir)
        self._checked = False  # whether the index was checked for damage

    def catch_up(self) -> int:
        """Apply every change after the last one the index holds; returns how many changes it read."""
        applied = applied_change(self.index_dir)
        if applied is None or not index_exists(self.index_dir) or (not self._checked and index_damage(self.index_dir)):
            count = self.rebuild()
            log.info("built this node's index from the store: %d documents", count)
            applied = applied_change(self.index_dir) or 0
        self._checked = True  # for damage, once: later writers' merges may remove what a reader looks at
        done = 0
        while batch := self.store.changes_after(applied, BATCH):
            ids = list(dict.fromkeys(doc_id for _, doc_id in batch))
            stored = {doc.id: doc for doc in self.store.get_many(ids)}
            with Indexer(open_index(self.index_dir)) as indexer:
                held = indexer.indexed_versions(ids)
                # not those whose version the index holds (the node that took a write indexed it)
                for doc_id in ids:
                    if doc_id not in stored:
                        if doc_id in held:
                            indexer.delete(doc_id)
                    elif stored[doc_id].version != held.get(doc_id):
                        indexer.add(stored[doc_id])
            applied = batch[-1][0]
            _record(self.index_dir, applied)
            done += len(batch)
        return done

    def rebuild(self, progress: Progress | None = None, commit_every: int = COMMIT_EVERY) -> int:
        """Build the index from every stored document beside the old one, swap it in and note the
        last change it holds (changes made meanwhile are applied again by `catch_up`); returns
        how many documents it holds."""
        start = self.store.last_change()
        count = reindex(self.store, self.index_dir, progress=progress, commit_every=commit_every)
        _record(self.index_dir, start)
        return count

    def follow(self, location: str, stop: threading.Event) -> None:
        """Catch up, then again on every NOTIFY (or every POLL_S seconds), until `stop` is set."""
        listener = None
        while not stop.is_set():
            try:
                if listener is None:
                    listener = psycopg.connect(libpq_url(location), autocommit=True)
                    listener.execute(f"LISTEN {CHANGES_CHANNEL}")
                self.catch_up()
                for _ in listener.notifies(timeout=POLL_S, stop_after=1):
                    pass
            except Exception:  # the database or the index is away for a moment: keep trying
                log.exception("following the store failed; trying again")
                if listener is not None:
                    listener.close()
                    listener = None
                stop.wait(RETRY_S)
        if listener is not None:
            listener.close()


def follow_in_background(location: str, index_dir: str | Path) -> threading.Event:
    """Start this process's follower thread, which follows once it holds the node's follower
    lock; set the returned event to stop it."""
    stop = threading.Event()

    def run() -> None:
        lock_path = Path(index_dir).with_name(Path(index_dir).name + ".follower-lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as lock:
            while not stop.is_set():
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # another process of this node follows
                    stop.wait(RETRY_S)
                    continue
                log.info("this process (pid %d) follows the store for %s", os.getpid(), index_dir)
                Follower(DocStore(location), index_dir).follow(location, stop)

    threading.Thread(target=run, name="searchapp-follower", daemon=True).start()
    return stop
