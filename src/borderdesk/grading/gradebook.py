"""nbgrader's gradebook, shared safely by parallel grading.

- ``gradebook_lock``: a course-wide lock beside the gradebook (an ``flock`` on SQLite,
  an advisory lock on PostgreSQL), re-entrant within a thread.
- ``lock_nbgrader_gradebook``: every nbgrader ``Gradebook`` opened in this process holds
  that lock until it is closed. nbgrader's Gradebook is the one door to the database,
  so locking it serialises all gradebook work of all workers and of concurrent
  ``borderdesk grade`` runs, while kernels (the slow part) run in parallel. SQLite then
  never reports "database is locked", and nbgrader's read-then-create steps never race.
  It also makes the Gradebooks of one process share one SQLAlchemy engine per database.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading

_held = threading.local()


@contextlib.contextmanager
def gradebook_lock(db_url: str):
    """Hold the course-wide gradebook lock (re-entrant within a thread)."""
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth += 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    if db_url.startswith("sqlite:///"):
        import fcntl

        path = db_url[len("sqlite:///") :] + ".lock"
        with open(path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            _held.depth = 1
            try:
                yield
            finally:
                _held.depth = 0
                fcntl.flock(handle, fcntl.LOCK_UN)
    elif db_url.startswith("postgresql"):
        import sqlalchemy as sa

        key = int.from_bytes(hashlib.sha256(b"borderdesk-gradebook").digest()[:7], "big")
        engine = _lock_engine(db_url)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            _held.depth = 1
            try:
                yield
            finally:
                _held.depth = 0
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
    else:  # another database serialises its own transactions
        yield


_lock_engines: dict[str, object] = {}


def _lock_engine(db_url: str):
    import sqlalchemy as sa

    if db_url not in _lock_engines:
        _lock_engines[db_url] = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    return _lock_engines[db_url]


# db_url -> (pid, engine): the engine of the first nbgrader Gradebook this process opened
# successfully on that database, shared by every later one (see lock_nbgrader_gradebook).
_gradebook_engines: dict[str, tuple[int, object]] = {}


def _sharable(db_url: str) -> bool:
    # An in-memory SQLite database lives and dies with its engine: keep nbgrader's own way.
    return db_url not in ("sqlite://", "sqlite:///") and ":memory:" not in db_url and "mode=memory" not in db_url


def _shared_gradebook_engine(db_url: str):
    if not _sharable(db_url):
        return None
    pid, engine = _gradebook_engines.get(db_url, (None, None))
    if engine is not None and pid != os.getpid():  # inherited through fork: the parent's connections
        engine.dispose(close=False)
        del _gradebook_engines[db_url]
        return None
    return engine


def lock_nbgrader_gradebook(db_url: str) -> None:
    """Make every nbgrader ``Gradebook`` in this process hold ``gradebook_lock`` while open,
    and share one SQLAlchemy engine per database.

    nbgrader opens a Gradebook about nine times per submission, and each one creates an
    engine, reflects the table names, runs ``create_all`` and ``check_course``, and is
    disposed of on close, so every query is compiled again. Once a Gradebook has set up
    the schema in this process, later ones on the same database reuse its engine (pooled
    connection, compiled-statement cache) and skip the schema steps; ``check_course``
    still runs. Each Gradebook still has its own session, opened and closed under the lock.
    """
    from nbgrader import api
    from sqlalchemy.orm import scoped_session, sessionmaker

    if getattr(api.Gradebook, "_borderdesk_locked", False):
        return
    lock_url = db_url
    original_init, original_close = api.Gradebook.__init__, api.Gradebook.close

    def __init__(self, db_url, course_id="default_course", authenticator=None):
        self._borderdesk_lock = gradebook_lock(lock_url)
        self._borderdesk_lock.__enter__()
        try:
            engine = _shared_gradebook_engine(db_url)
            if engine is None:
                original_init(self, db_url, course_id, authenticator)
                if _sharable(db_url):
                    _gradebook_engines[db_url] = (os.getpid(), self.engine)
                    self._borderdesk_shared = True
            else:  # nbgrader's __init__ minus create_engine, inspect and create_all
                self.engine = engine
                self.db = scoped_session(sessionmaker(autoflush=True, bind=engine, future=True))
                try:
                    self.check_course(course_id=course_id)
                except BaseException:
                    self.db.remove()
                    raise
                self.course_id = course_id
                self.authenticator = authenticator
                self._borderdesk_shared = True
        except BaseException:
            self._borderdesk_lock.__exit__(None, None, None)
            raise

    def close(self):
        try:
            if getattr(self, "_borderdesk_shared", False):
                self.db.remove()  # keep the shared engine and its pooled connection
            else:
                original_close(self)
        finally:
            lock, self._borderdesk_lock = getattr(self, "_borderdesk_lock", None), None
            if lock is not None:
                lock.__exit__(None, None, None)

    api.Gradebook.__init__, api.Gradebook.close = __init__, close
    api.Gradebook._borderdesk_locked = True
