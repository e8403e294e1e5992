"""The grading worker: one long-lived process that autogrades submission after submission
through nbgrader's own ``Autograde`` converter (its preprocessors do the scoring).

One converter per process, reused for every submission, so the nbgrader app, config
and imports are paid once per worker, not once per submission. ``serve`` is the loop:
it receives a ``Job`` from ``borderdesk grade`` (``grade.py``), grades it with
``Grader`` and sends back what happened.

The pieces it puts together each have their own module: our nbgrader subclasses
(``nbgrader_steps``), the kernel per submission (``kernels``), the gradebook lock and
shared engine (``gradebook``).
"""

from __future__ import annotations

import logging
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

from .gradebook import lock_nbgrader_gradebook
from .kernels import KernelSlot, describe_exit


@dataclass
class Job:
    assignment: str
    student: str
    fingerprint: str
    tamper_detail: str = ""
    harness: list = field(default_factory=list)  # static findings (integrity.harness_tampering)


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
            ClearOutput,
            IgnorePattern,
            LimitOutput,
            OverwriteCells,
            OverwriteKernelspec,
        )

        from . import config, sandbox

        self.options = options
        self.slot = None
        self.root = Path(options.root)
        self.sockets = workdir / "run"
        self.sockets.mkdir(parents=True, exist_ok=True)
        cfg = config.load(self.root)
        self.db_url = str(cfg.CourseDirectory.db_url)
        from .nbgrader_steps import (
            BorderDeskAutograde,
            CheckMetadataOnce,
            Deduplicate,
            QuietChecksums,
            SandboxExecute,
            SaveAutoGradesAtOnce,
            ValidateOnceExporter,
        )

        # nbgrader's own lists, with faster equivalents of two steps. nbgrader checks the
        # metadata again after running the notebook; a kernel cannot change the notebook's
        # metadata (it never sees the file, and outputs are all it sends back), so once is enough.
        cfg.Autograde.sanitize_preprocessors = [
            ClearOutput,
            Deduplicate,
            OverwriteKernelspec,
            OverwriteCells,
            CheckMetadataOnce,
        ]
        cfg.Autograde.autograde_preprocessors = [
            SandboxExecute,
            IgnorePattern,
            ClearMetadataPreprocessor,
            LimitOutput,
            SaveAutoGradesAtOnce,
            AssignLatePenalties,
        ]
        cfg.Autograde.exporter_class = ValidateOnceExporter
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
            argv = sandbox.zygote_argv(settings, options.extra.get("preload", []))
            zygote = Zygote(argv, stderr=str(workdir / "sandbox-stderr.txt"))
            SandboxExecute.slot = KernelSlot(cfg, sandbox.KERNEL_NAME, scratch, zygote)
        self.slot = SandboxExecute.slot
        self.log = logging.getLogger(f"borderdesk.grade.{os.getpid()}")
        self.log.propagate = False
        self.log.setLevel(logging.INFO)
        handler = logging.FileHandler(options.log_file) if options.log_file else logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s [%(process)d] %(levelname)s %(message)s"))
        handler.addFilter(QuietChecksums())
        self.log.addHandler(handler)
        lock_nbgrader_gradebook(self.db_url)
        self.coursedir = CourseDirectory(config=cfg, log=self.log)
        self.converter = BorderDeskAutograde(coursedir=self.coursedir, config=cfg, log=self.log)
        self.converter.force = True  # we decide what needs grading (fingerprints), not timestamps

    def grade(self, job: Job) -> dict:
        """Autograde one submission; return what happened (the parent records it)."""
        self.coursedir.assignment_id, self.coursedir.student_id = job.assignment, job.student
        self.converter.failure = None
        from .nbgrader_steps import NOTEBOOK_BYTES, SandboxExecute

        SandboxExecute.harness.clear()
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
            return {"status": "graded", "reason": "; ".join(notes), "harness": list(SandboxExecute.harness)}
        return {"status": "ungradable", "reason": self._why(self.converter.failure or error)}

    def _why(self, exc: BaseException | None) -> str:
        from .grade import INFRASTRUCTURE

        name = type(exc).__name__
        text = str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else name
        retried = "graded again on the next run"
        if name == "SandboxFailed":  # bwrap or the zygote died before any student code ran
            self.log.error("the sandbox failed; its error output:\n%s", exc.output or "(none)")
            return f"{INFRASTRUCTURE}: {text} (its error output is in the log); {retried}"
        if "Kernel died before replying to kernel_info" in text:  # it died starting up, before the first cell
            code = describe_exit(self.slot.last_exit if self.slot is not None else None)
            if self.slot is not None:
                self.log.error(
                    "a kernel died while starting; the sandbox's error output:\n%s", self.slot.zygote.error_output()
                )
            return f"{INFRASTRUCTURE}: the kernel never started ({code}); {retried}"
        if name == "UnresponsiveKernelError":
            return f"kernel unresponsive: {text}"
        if name == "CellTimeoutError":  # nbclient gave up waiting after the interrupt
            return (
                "kernel unresponsive: a cell kept running after it was interrupted "
                "(a loop that ignores KeyboardInterrupt?)"
            )
        if name in ("DeadKernelError",) or "Kernel died" in text:
            if self.slot is None:
                return describe_exit(None)
            died = self.slot.zygote.exit_status()  # None: the sandbox lives, so the student's code ended the kernel
            output = self.slot.zygote.error_output()  # what the kernel (or the sandbox) wrote to stderr as it died
            if died is not None:  # students cannot kill the zygote (it is the sandbox's PID 1)
                self.log.error(
                    "the sandbox's zygote died under a kernel (status %s); its error output:\n%s", died, output
                )
                return f"{INFRASTRUCTURE}: the sandbox died while the kernel ran (exit status {died}); {retried}"
            self.log.warning("a kernel died; the sandbox's error output:\n%s", output)
            return describe_exit(self.slot.last_exit)
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
