"""The grading worker: one long-lived process that autogrades submission after submission
through nbgrader's own ``Autograde`` converter (its preprocessors do the scoring).

What we add around nbgrader, and why:

- One converter per process, reused for every submission, so the nbgrader app,
  config and imports are paid once per worker, not once per submission.
- ``SandboxExecute`` (nbgrader's ``Execute``): caps each cell's output by bytes as it
  arrives (a single 50 MB line never reaches the notebook or the grader's memory),
  notes timed-out cells, and gives up with nbgrader's ``UnresponsiveKernelError`` when a
  kernel ignores the interrupt after a timeout (the next cell times out too).
- ``gradebook_lock``: every nbgrader ``Gradebook`` opened in this process holds a lock
  beside the gradebook (an ``flock`` on SQLite, an advisory lock on PostgreSQL) until
  it is closed. nbgrader's Gradebook is the one door to the database, so locking it
  serialises all gradebook work of all workers and of concurrent ``borderdesk grade``
  runs, while kernels (the slow part) run in parallel. SQLite then never reports
  "database is locked", and nbgrader's read-then-create steps never race.
- ``KernelSlot``: each submission's kernel is forked by this worker's zygote
  (``borderdesk.grading.zygote``), which also tells how a kernel ended, so a dead kernel
  is reported as "segmentation fault", "exited (os._exit(3))", ...
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path

NOTEBOOK_BYTES = 100_000  # output kept per cell; beyond it the output is cut with a note


# ----------------------------------------------------------------------------- locking
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


# ----------------------------------------------------------------------------- notebooks
def fingerprint(folder: Path) -> str:
    """Hash of every file's relative path and bytes: changes when the submission does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def _test_cells(nb) -> dict[str, str]:
    out = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            out.setdefault(meta["grade_id"], cell.source.strip())
    return out


def tampering(submitted, released) -> str:
    """Which test cells a student edited or deleted, compared with the released notebook.

    nbgrader compares against the source, whose hidden tests the release never had,
    so its checksum warning fires for every student; the release is the fair yardstick.
    """
    theirs, ours = _test_cells(submitted), _test_cells(released)
    edited = [gid for gid in ours if gid in theirs and theirs[gid] != ours[gid]]
    deleted = [gid for gid in ours if gid not in theirs]
    parts = []
    if edited:
        parts.append("edited test cells " + ", ".join(edited))
    if deleted:
        parts.append("deleted test cells " + ", ".join(deleted))
    return "; ".join(parts)


def describe_exit(code: int | None) -> str:
    if code is None:
        return "kernel died"
    if code > 128 or code < 0:
        number = code - 128 if code > 128 else -code
        name = {
            signal.SIGSEGV: "segmentation fault (SIGSEGV)",
            signal.SIGKILL: "killed (SIGKILL)",
            signal.SIGXCPU: "CPU time limit reached (SIGXCPU)",
            signal.SIGXFSZ: "file size limit reached (SIGXFSZ)",
            signal.SIGABRT: "aborted (SIGABRT)",
            signal.SIGBUS: "bus error (SIGBUS)",
        }.get(number)
        return f"kernel died: {name or f'signal {number}'}"
    return f"kernel died: the process exited with status {code} (os._exit or sys.exit in the kernel)"


# ----------------------------------------------------------------------------- nbgrader pieces
def _nbgrader_classes():
    """Build the nbgrader subclasses on first use (nbgrader is a heavy import)."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import DeduplicateIds, Execute
    from nbgrader.preprocessors.execute import UnresponsiveKernelError

    class SandboxExecute(Execute):
        """nbgrader's Execute with a byte cap on output, a give-up on stuck kernels, and
        (sandboxed) a kernel forked by the worker's zygote (``KernelSlot``)."""

        slot: KernelSlot | None = None  # set by Grader, one per worker process

        def preprocess(self, nb, resources=None, km=None):
            self.timed_out, self.truncated, self._stuck, self._bytes = [], [], False, {}
            if self.slot is None:
                return super().preprocess(nb, resources, km)
            km = self.slot.take(Path(resources["metadata"]["path"]))
            try:
                return super().preprocess(nb, resources, km)
            finally:
                if self.kc is not None:
                    self.kc.stop_channels()
                    self.kc = None
                self.slot.finish(km)

        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            if self.slot is not None:  # the kernel has made its sockets: no more files there
                self.slot.lock_sockets()
            return kc

        async def _async_handle_timeout(self, timeout, cell=None):
            if self._stuck:  # the previous cell's interrupt did not stop the kernel
                raise UnresponsiveKernelError(
                    f"the kernel ignored the interrupt after a cell ran longer than {timeout} s"
                )
            self.timed_out.append(_cell_name(cell))
            self._stuck = True
            return await super()._async_handle_timeout(timeout, cell)

        def on_cell_executed(self, **kwargs):
            reply = kwargs["execute_reply"]["content"]
            if reply.get("ename") != "CellTimeoutError":
                self._stuck = False
            return super().on_cell_executed(**kwargs)

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            size = (
                len(json.dumps(content, default=str)) if msg["msg_type"] != "stream" else len(content.get("text", ""))
            )
            used = self._bytes.get(cell_index, 0)
            self._bytes[cell_index] = used + size
            if used + size <= NOTEBOOK_BYTES:
                return super().output(outs, msg, display_id, cell_index)
            if used > NOTEBOOK_BYTES:
                return None  # already cut
            from nbformat.v4 import new_output

            self.truncated.append(str(cell_index))
            room = max(NOTEBOOK_BYTES - used, 0)
            if msg["msg_type"] == "stream":
                kept = content.get("text", "")[:room]
                outs.append(new_output("stream", name=content.get("name", "stdout"), text=kept))
            note = f"\n... output truncated: this cell printed more than {NOTEBOOK_BYTES:,} bytes ...\n"
            out = new_output("stream", name="stderr", text=note)
            outs.append(out)
            self._bytes[cell_index] = NOTEBOOK_BYTES + 1
            return out

    class Deduplicate(DeduplicateIds):
        """nbgrader's DeduplicateIds leaves ``nbgrader: {}`` on a duplicate, which its own
        metadata check then rejects (schema version 0) and the whole submission fails.
        Removing the key instead makes the duplicate an ordinary cell, as intended."""

        def preprocess_cell(self, cell, resources, cell_index):
            cell, resources = super().preprocess_cell(cell, resources, cell_index)
            if cell.get("metadata", {}).get("nbgrader", None) == {}:
                del cell.metadata["nbgrader"]
            return cell, resources

    class BorderDeskAutograde(Autograde):
        """nbgrader's Autograde, remembering why a notebook failed."""

        failure: BaseException | None = None

        def convert_single_notebook(self, notebook_filename):
            try:
                super().convert_single_notebook(notebook_filename)
            except BaseException as exc:
                self.failure = exc
                raise

    return SandboxExecute, Deduplicate, BorderDeskAutograde


class KernelSlot:
    """The worker's source of sandboxed kernels, each forked by its ``zygote`` for one
    submission. The submission's files go in this worker's incoming folder (read-only
    in the sandbox); the kernel copies them to its own tmpfs and works there, so a
    student writes into a scratch copy, never onto the grader's disk.
    """

    def __init__(self, config, kernel_name: str, folder: Path, zygote):
        from .zygote import ZygoteProvisioner

        self.config, self.kernel_name, self.folder, self.zygote = config, kernel_name, folder, zygote
        self.sockets = Path(config.KernelManager.ip).parent
        self.folder.mkdir(parents=True, exist_ok=True)
        self.last_exit: int | None = None  # how the last kernel ended on its own (None: still running)
        ZygoteProvisioner.zygote = zygote
        ZygoteProvisioner.on_launch = self._open_sockets
        zygote.start()  # its imports overlap with the rest of the worker's start-up

    def _open_sockets(self, connection: str) -> None:
        """Let the kernel (uid nobody when we are root) read its connection file and make its sockets."""
        from .sandbox import NOBODY

        if os.geteuid() == 0:
            os.chown(connection, NOBODY, NOBODY)
            os.chown(self.sockets, NOBODY, NOBODY)

    def lock_sockets(self) -> None:
        if os.geteuid() == 0:
            os.chown(self.sockets, 0, 0)
            os.chmod(self.sockets, 0o755)

    def take(self, files: Path):
        """A new kernel working on a copy of ``files``."""
        import shutil
        import uuid

        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from .sandbox import prepare_work

        for entry in self.folder.iterdir():  # the previous student's files
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        shutil.copytree(files, self.folder, symlinks=True, dirs_exist_ok=True)
        prepare_work(self.folder)
        # The connection file goes beside the sockets, the one grader folder the sandbox sees.
        km = AsyncKernelManager(
            kernel_name=self.kernel_name,
            config=self.config,
            connection_file=str(self.sockets / f"kernel-{uuid.uuid4().hex}.json"),
        )
        run_sync(km.start_kernel)()
        return km

    def finish(self, km) -> None:
        """Note how the kernel ended, then kill it with every process it started."""
        from jupyter_core.utils import run_sync

        process = km.provisioner.process if km.provisioner is not None else None
        self.last_exit = process.poll() if process is not None else None
        run_sync(km.shutdown_kernel)(now=True)

    def close(self) -> None:
        self.zygote.close()


def _cell_name(cell) -> str:
    if cell is None:
        return "?"
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id") or "?"


class _QuietChecksums(logging.Filter):
    """Drop nbgrader's per-cell checksum warnings (see ``tampering``); keep the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "has changed!" not in record.getMessage()


@dataclass
class Job:
    assignment: str
    student: str
    fingerprint: str
    tamper_detail: str = ""


@dataclass
class Options:
    root: str
    sandbox: bool = True
    cell_timeout: int = 60
    memory: int = 2 * 1024**3
    cpu: int = 600
    log_file: str = ""
    extra: dict = field(default_factory=dict)


class Grader:
    """Lives in a worker process; grades one submission at a time with one converter."""

    def __init__(self, options: Options, workdir: Path):
        from nbconvert.preprocessors import ClearMetadataPreprocessor
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.preprocessors import (
            AssignLatePenalties,
            CheckCellMetadata,
            ClearOutput,
            IgnorePattern,
            LimitOutput,
            OverwriteCells,
            OverwriteKernelspec,
            SaveAutoGrades,
        )

        from . import config, sandbox

        self.options = options
        self.slot = None
        self.root = Path(options.root)
        self.sockets = workdir / "run"
        self.sockets.mkdir(parents=True, exist_ok=True)
        cfg = config.load(self.root)
        self.db_url = str(cfg.CourseDirectory.db_url)
        SandboxExecute, Deduplicate, Autograde = _nbgrader_classes()
        cfg.Autograde.sanitize_preprocessors = [
            ClearOutput,
            Deduplicate,
            OverwriteKernelspec,
            OverwriteCells,
            CheckCellMetadata,
        ]
        cfg.Autograde.autograde_preprocessors = [
            SandboxExecute,
            IgnorePattern,
            ClearMetadataPreprocessor,
            LimitOutput,
            SaveAutoGrades,
            AssignLatePenalties,
            CheckCellMetadata,
        ]
        cfg.Execute.timeout = options.cell_timeout
        cfg.Execute.interrupt_on_timeout = True
        if options.sandbox:
            from .zygote import Zygote

            sandbox.kernelspec(workdir)
            os.environ["JUPYTER_PATH"] = str(workdir)
            os.environ["JUPYTER_RUNTIME_DIR"] = str(self.sockets)
            cfg.Execute.kernel_name = sandbox.KERNEL_NAME
            # The sandbox has no network: the kernel talks to us over unix sockets.
            cfg.KernelManager.transport = "ipc"
            cfg.KernelManager.ip = str(self.sockets / "kernel")
            scratch = workdir / "submission"
            scratch.mkdir(parents=True, exist_ok=True)
            settings = sandbox.Settings(
                work=str(scratch),
                data=str(self.root / "data"),
                sockets=str(self.sockets),
                cache=options.extra.get("cache", ""),
                limits=sandbox.Limits(memory=options.memory, cpu=options.cpu),
            )
            zygote = Zygote(sandbox.zygote_argv(settings, options.extra.get("preload", [])))
            SandboxExecute.slot = KernelSlot(cfg, sandbox.KERNEL_NAME, scratch, zygote)
        self.slot = SandboxExecute.slot
        self.log = logging.getLogger(f"borderdesk.grade.{os.getpid()}")
        self.log.propagate = False
        self.log.setLevel(logging.INFO)
        handler = logging.FileHandler(options.log_file) if options.log_file else logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s [%(process)d] %(levelname)s %(message)s"))
        handler.addFilter(_QuietChecksums())
        self.log.addHandler(handler)
        lock_nbgrader_gradebook(self.db_url)
        self.coursedir = CourseDirectory(config=cfg, log=self.log)
        self.converter = Autograde(coursedir=self.coursedir, config=cfg, log=self.log)
        self.converter.force = True  # we decide what needs grading (fingerprints), not timestamps

    def grade(self, job: Job) -> dict:
        """Autograde one submission; return what happened (the parent records it)."""
        self.coursedir.assignment_id, self.coursedir.student_id = job.assignment, job.student
        self.converter.failure = None
        error = None
        self.log.info("grading %s / %s", job.student, job.assignment)
        try:
            self.converter.start()
        except Exception as exc:  # nbgrader logs the details and raises NbGraderException
            error = exc
        execute = next((p for p in self.converter.exporter._preprocessors if hasattr(p, "timed_out")), None)
        notes = []
        if execute is not None and execute.timed_out:
            notes.append(
                f"cell {', '.join(execute.timed_out)} timed out after {self.options.cell_timeout} s (interrupted)"
            )
        if execute is not None and execute.truncated:
            notes.append(f"output cut at {NOTEBOOK_BYTES:,} bytes in {len(execute.truncated)} cell(s)")
        if error is None and self.converter.failure is None:
            return {"status": "graded", "reason": "; ".join(notes)}
        return {"status": "ungradable", "reason": self._why(self.converter.failure or error)}

    def _why(self, exc: BaseException | None) -> str:
        name = type(exc).__name__
        text = str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else name
        if name == "UnresponsiveKernelError":
            return f"kernel unresponsive: {text}"
        if name == "CellTimeoutError":  # nbclient gave up waiting after the interrupt
            return (
                "kernel unresponsive: a cell kept running after it was interrupted "
                "(a loop that ignores KeyboardInterrupt?)"
            )
        if name in ("DeadKernelError",) or "Kernel died" in text:
            return describe_exit(self.slot.last_exit if self.slot is not None else None)
        return f"nbgrader could not grade it: {name}: {text}"


def serve(conn, options: Options, workdir: str) -> None:
    """Worker process main loop: receive Job, send back a result dict, until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    if options.log_file:
        # Kernels inherit our stdout/stderr: their start-up banners and nbgrader's
        # warnings belong in the log, not over the progress bar.
        fd = os.open(options.log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    try:
        grader = Grader(options, Path(workdir))
    except Exception as exc:
        conn.send({"fatal": f"{type(exc).__name__}: {exc}"})
        return
    conn.send({"ready": True})
    while True:
        job = conn.recv()
        if job is None:
            if grader.slot is not None:
                grader.slot.close()
            return
        try:
            result = grader.grade(job)
        except Exception as exc:  # never let one submission stop the worker
            result = {"status": "ungradable", "reason": f"grader error: {type(exc).__name__}: {exc}"}
        conn.send(result)
