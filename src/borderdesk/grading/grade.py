"""``borderdesk grade ASSIGNMENT``: autograde a class in parallel, sandboxed, fault-tolerant.

The parent process finds the submissions, skips those unchanged since their last
grading (a fingerprint of the folder), settles the ones nbgrader cannot even open
(notebook missing, corrupt JSON), and hands the rest to long-lived worker processes
(``borderdesk.grading.worker``), each running nbgrader's Autograde converter with a
sandboxed kernel. It enforces a time budget per submission by killing a worker that
overruns (its kernel dies with it) and starting a fresh one, and records an Outcome
per submission (``borderdesk.grading.outcome_store``): graded with a score, or could not be
graded and why. A submission that could not be graded gets 0 in nbgrader's gradebook
too, so an earlier passing grade can never survive a crash.

Two runs at once split the work: each submission is claimed with a lock file under
autograder/grading/, and gradebook work is serialised (see ``gradebook.gradebook_lock``).
"""

from __future__ import annotations

import argparse
import os

RUNTIME = "grading"  # autograder/grading/: claims, logs, data cache (git-ignored)
# An outcome whose reason starts so is the grader's fault, not the submission's: the next run
# grades it again even if the submission is unchanged.
INFRASTRUCTURE = "grading infrastructure failed"


def infrastructure_failure(outcome) -> bool:
    return outcome.status != "graded" and (
        outcome.reason.startswith(INFRASTRUCTURE)
        or outcome.reason.startswith(("grader error:", "the grading worker crashed"))
    )


def register(sub) -> None:
    cores = os.cpu_count() or 1
    p = sub.add_parser(
        "grade",
        help="autograde every collected submission of an assignment (parallel, sandboxed)",
        description=(
            "Autograde autograder/submitted/<student>/ASSIGNMENT/ with nbgrader, several submissions "
            "at a time, each in a sandboxed kernel (no network, no access to solutions/ or the "
            "gradebook). Only new or changed submissions are graded unless --force. Ends with a "
            "table: graded, could not be graded (and why), tampered, late."
        ),
    )
    p.add_argument("assignment", help="e.g. 01_platform_rules")
    p.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeat for several)")
    p.add_argument(
        "--workers",
        type=int,
        default=cores + 1,
        help=(
            "submissions graded at once (default: %(default)s, one more than the cores: a worker and its "
            "kernel take turns, and the extra worker uses the core the other two leave idle meanwhile)"
        ),
    )
    p.add_argument("--force", action="store_true", help="regrade even unchanged submissions")
    p.add_argument(
        "--timeout",
        type=int,
        default=60,
        metavar="SECONDS",
        help="per-cell time limit; the cell is interrupted and counts as failed (default: %(default)s)",
    )
    p.add_argument(
        "--budget",
        type=int,
        default=300,
        metavar="SECONDS",
        help="time limit for a whole submission; beyond it the submission cannot be graded (default: %(default)s)",
    )
    p.add_argument(
        "--memory",
        type=int,
        default=2048,
        metavar="MIB",
        help="memory limit of a student's kernel in MiB (default: %(default)s)",
    )
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run student code WITHOUT the sandbox (trusted code only; recorded in every outcome)",
    )
    p.set_defaults(func=cmd_grade)


def cmd_grade(args: argparse.Namespace) -> int:
    from ..errors import BorderDeskError
    from ..paths import course_root
    from . import lean_imports  # noqa: F401  (importing it is the point: before nbgrader is imported)

    if args.workers < 1:
        raise BorderDeskError("--workers must be at least 1")
    if args.timeout < 1 or args.budget < 1 or args.memory < 64:
        raise BorderDeskError("--timeout and --budget must be at least 1 s, --memory at least 64 MiB")
    root = course_root()
    run = Run(root, args)
    try:
        run.prepare()
        run.grade()
    finally:
        run.close()
    run.print_summary()
    return 0


class Run:
    """One ``borderdesk grade`` invocation."""

    def __init__(self, root, args):
        from pathlib import Path

        from . import config

        self.root = Path(root)
        self.args = args
        self.assignment = args.assignment
        self.cfg = config.load(self.root)
        self.db_url = str(self.cfg.CourseDirectory.db_url)
        self.runtime = self.root / "autograder" / RUNTIME
        self.outcomes = []
        self.skipped: list[str] = []
        self.busy_elsewhere: list[str] = []
        self._claims: dict = {}  # student -> open lock file held while in flight
        self._hand: dict = {}  # student -> hand grades saved before the regrade (hand_grades)
        self.shown: dict[str, str] = {}  # student -> score as printed (score_text)
        self.workers: list = []
        self.jobs: list = []

    # ------------------------------------------------------------------ preparation
    def prepare(self) -> None:
        """Check everything, then start the workers. The fork server they come from starts
        first: its imports (seconds) run while we check the sandbox, read the outcomes and
        validate the data; the workers and their sandboxes start before we import nbgrader
        (seconds again) to check the gradebook."""
        from ..errors import BorderDeskError
        from . import sandbox

        course = self.cfg.CourseDirectory
        released = self.root / course.release_directory / self.assignment
        self.notebooks = sorted(p.name for p in released.glob("*.ipynb"))
        if not self.notebooks:
            raise BorderDeskError(
                f"no released notebooks in {released}; run `borderdesk release {self.assignment}` first"
            )
        self.submitted = self.root / course.submitted_directory
        folders = sorted(p for p in self.submitted.glob(f"*/{self.assignment}") if p.is_dir())
        self.misplaced = [
            m
            for m in misplaced(self.submitted, self.assignment, self.notebooks)
            if not self.args.student or m[0] in self.args.student
        ]
        if self.args.student:
            known = {p.parent.name for p in folders}
            unknown = sorted(set(self.args.student) - known)
            if unknown:
                raise BorderDeskError(
                    f"no submission of {self.assignment} for {', '.join(unknown)} in {self.submitted}"
                )
            folders = [p for p in folders if p.parent.name in self.args.student]
        if not folders:
            found = "".join(f"; {where} should be {should}" for _, where, should in self.misplaced)
            raise BorderDeskError(
                f"no submissions of {self.assignment} in {self.submitted}/<student>/{self.assignment}/; "
                f"collect them first (`nbgrader collect {self.assignment}` or copy them there){found}"
            )
        self.sandboxed = not self.args.no_sandbox
        _forkserver(start=True)  # its imports (seconds) run beside ours
        if self.sandboxed:
            try:
                sandbox.check()
            except sandbox.SandboxUnavailable as exc:
                raise BorderDeskError(
                    f"the sandbox for student code cannot run here: {exc}. Fix that, or pass --no-sandbox "
                    "to grade WITHOUT isolation (only for code you trust)"
                ) from None
        self.runtime.mkdir(parents=True, exist_ok=True)
        self.cache = str(self.runtime / "data-cache")
        os.makedirs(self.cache, exist_ok=True)  # bound into kernels from their start
        self.preload = imported_modules(released / name for name in self.notebooks)
        self._plan(folders)
        if self.jobs:
            self._data_cache()  # before the workers: their kernels load the course data from it as they boot
            self.workers = [_Worker(self) for _ in range(min(self.args.workers, len(self.jobs)))]
        self._check_gradebook()  # if it fails, cmd_grade stops the workers
        import nbformat

        # The yardstick for tampering, read once per run (not once per submission).
        self._released = {name: nbformat.read(released / name, as_version=4) for name in self.notebooks}

    def _plan(self, folders) -> None:
        """The submissions to grade: new or changed since their recorded outcome, or all (--force)."""
        from . import outcome_store

        previous = {o.student: o for o in outcome_store.load(self.db_url, self.assignment)}
        for folder in folders:
            job = self._job(folder, previous.get(folder.parent.name))
            if job is not None:
                self.jobs.append(job)

    def _check_gradebook(self) -> None:
        from nbgrader.api import Gradebook, MissingEntry
        from nbgrader.coursedir import CourseDirectory

        from ..errors import BorderDeskError
        from .gradebook import lock_nbgrader_gradebook

        self.coursedir = CourseDirectory(config=self.cfg)
        lock_nbgrader_gradebook(self.db_url)
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            try:
                gb.find_assignment(self.assignment)
            except MissingEntry:
                raise BorderDeskError(
                    f"the gradebook has no assignment {self.assignment!r}; run "
                    f"`borderdesk release {self.assignment}` first (it records the tests in the gradebook)"
                ) from None

    def close(self) -> None:
        for w in self.workers:  # all at once: each worker takes a moment to shut its sandbox down
            w.ask_to_stop()
        for w in self.workers:
            w.stop()
        self.workers = []
        for claim in list(self._claims.values()):
            claim.close()

    def _data_cache(self) -> None:
        """Validate the assignment's datasets once; kernels load the validated frames from the cache."""
        from ..chapters import chapter
        from ..datasets import build_cache

        build_cache(self.root / "data", self.cache, chapter(self.assignment, self.root).datasets)

    # ------------------------------------------------------------------ grading
    def grade(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("grading {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}"),
        )
        with self.progress:
            self.task = self.progress.add_task(self.assignment, total=len(self.jobs), last="")
            self._dispatch()

    def _job(self, folder, previous):
        from .integrity import fingerprint
        from .worker import Job

        student = folder.parent.name
        fp = fingerprint(folder)
        if (
            previous is not None
            and previous.fingerprint == fp
            and not self.args.force
            and not infrastructure_failure(previous)
        ):
            self.skipped.append(student)
            return None
        return Job(self.assignment, student, fp)

    def _precheck(self, job):
        """Settle what nbgrader cannot open; fill in tampering. Returns a reason or ''."""
        import json

        import nbformat

        from .integrity import harness_tampering, tampering, tests_after

        folder = self.root / self.coursedir.submitted_directory / job.student / self.assignment
        links = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_symlink())
        if links:  # nbgrader would copy what they point at (as the grader) into the sandbox
            return f"submission contains symbolic links ({', '.join(links[:3])}); submit plain files"
        details = []
        for name in self.notebooks:
            path = folder / name
            if not path.is_file():
                found = sorted(p.name for p in folder.glob("*.ipynb"))
                return f"notebook {name} missing (found: {', '.join(found) or 'no notebooks'})"
            try:
                json.loads(path.read_bytes())
            except ValueError as exc:  # also UnicodeDecodeError
                where = f" at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
                return f"notebook {name} is not valid JSON{where} (corrupt or truncated file)"
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception as exc:  # JSON, but not a notebook nbformat understands
                return f"notebook {name} is not a valid notebook ({type(exc).__name__})"
            detail = tampering(nb, self._released[name])
            if detail:
                details.append(detail if len(self.notebooks) == 1 else f"{name}: {detail}")
            modules = {str(p.relative_to(folder)): p.read_text(errors="replace") for p in folder.rglob("*.py")}
            for found in harness_tampering(nb, self._released[name], modules):
                job.harness.append(
                    {**found, "notebook": name[: -len(".ipynb")], "zero": tests_after(nb, found["index"])}
                )
        job.tamper_detail = "; ".join(details)
        return ""

    def _dispatch(self) -> None:
        import time
        from multiprocessing.connection import wait

        pending, ready = list(self.jobs), []
        workers = self.workers
        for w in workers:
            w.wait_ready()
        # Results are recorded, and the next submissions checked, after the idle workers
        # have their next job: no worker waits for our gradebook writes or checks.
        finished: list = []
        while pending or ready or finished or any(w.job for w in workers):
            for w in workers:
                if w.job is None and not ready:
                    self._prepare(pending, ready, 1)
                if w.job is None and ready:
                    w.send(ready.pop(0), self.args.budget)
            for job, result in finished:
                self._finish(job, result)
            finished = []
            self._prepare(pending, ready, len(workers))
            busy = [w for w in workers if w.job]
            if not busy:
                continue
            for conn in wait([w.conn for w in busy], timeout=1.0):
                w = next(w for w in busy if w.conn is conn)
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    w.process.join(5)
                    result = {
                        "status": "ungradable",
                        "reason": f"{INFRASTRUCTURE}: the grading worker crashed (exit code {w.process.exitcode}; "
                        f"its output is in {self.runtime / f'{self.assignment}.log'}); graded again on the next run",
                    }
                    self._replace(workers, w)
                finished.append((w.job, result))
                w.job = None
            now = time.monotonic()
            for w in [w for w in workers if w.job and now > w.deadline]:
                job = w.job
                self._replace(workers, w)
                finished.append(
                    (
                        job,
                        {
                            "status": "ungradable",
                            "reason": f"took longer than the {self.args.budget} s budget per submission",
                        },
                    )
                )

    def _prepare(self, pending: list, ready: list, want: int) -> None:
        """Claim and check submissions from ``pending`` until ``want`` wait in ``ready`` for a
        worker; those nbgrader cannot open are settled on the way."""
        while len(ready) < want and pending:
            job = pending.pop(0)
            if not self._claim(job):
                continue
            reason = self._precheck(job)
            if reason:
                self._finish(job, {"status": "ungradable", "reason": reason})
                continue
            self._save_hand_grades(job)
            ready.append(job)

    def _claim(self, job) -> bool:
        """Take this submission's lock; False if another run is grading it or just did."""
        import fcntl

        from . import outcome_store

        folder = self.runtime / "claims" / self.assignment
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / f"{job.student}.lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            self.busy_elsewhere.append(job.student)
            self.progress.advance(self.task)
            return False
        if not self.args.force:  # another run may have finished it since we looked
            done = outcome_store.find(self.db_url, self.assignment, job.student)
            if done is not None and done.fingerprint == job.fingerprint and not infrastructure_failure(done):
                handle.close()
                self.skipped.append(job.student)
                self.progress.advance(self.task)
                return False
        self._claims[job.student] = handle
        return True

    def _save_hand_grades(self, job) -> None:
        """Read the grader's hand grades before nbgrader's autograde marks them pending again."""
        from nbgrader.api import Gradebook

        from .hand_grades import saved

        autograded = self.root / self.coursedir.autograded_directory / job.student / self.assignment
        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            self._hand[job.student] = saved(gb, self.db_url, self.assignment, job.student, autograded)

    def _replace(self, workers, w) -> None:
        w.kill()
        fresh = _Worker(self)
        fresh.wait_ready()
        workers[workers.index(w)] = fresh

    def _finish(self, job, result: dict) -> None:
        """Record the outcome of one submission (gradebook zeroed if it could not be graded)."""
        import warnings

        from nbgrader.api import Gradebook, MissingEntry
        from sqlalchemy.exc import SAWarning

        from . import outcome_store
        from .gradebook import gradebook_lock
        from .hand_grades import restore
        from .integrity import score_harness_tampering
        from .outcome_store import Outcome

        folder = self.root / self.coursedir.submitted_directory / job.student / self.assignment
        timestamp = self.coursedir.get_existing_timestamp(str(folder))
        # nbgrader's update_or_create_submission trips SQLAlchemy's autoflush warnings; harmless.
        with (
            warnings.catch_warnings(),
            gradebook_lock(self.db_url),
            Gradebook(self.db_url, self.coursedir.course_id) as gb,
        ):
            warnings.simplefilter("ignore", SAWarning)
            if result["status"] == "graded":
                try:
                    sub = gb.find_submission(self.assignment, job.student)
                except MissingEntry:
                    result = {"status": "ungradable", "reason": "nbgrader recorded no grades"}
            if result["status"] != "graded":
                gb.update_or_create_student(job.student)
                extra = {"timestamp": timestamp} if timestamp else {}
                sub = gb.update_or_create_submission(self.assignment, job.student, **extra)
                # nbgrader keeps whatever scores the last run left; a submission that could
                # not be graded must not keep an earlier pass. A grader's hand grades stay.
                for notebook in sub.notebooks:
                    for grade in notebook.grades:
                        grade.auto_score = 0
                        grade.needs_manual_grade = False
                gb.db.commit()
            graded = result["status"] == "graded"
            if graded:
                missing = _score_missing_tests(gb, sub)
                if missing:
                    note = f"test cells missing from the notebook, scored 0: {', '.join(missing)}"
                    result = {**result, "reason": "; ".join(r for r in (result.get("reason", ""), note) if r)}
            hand = self._hand.pop(job.student, [])
            if hand:  # also when it could not be graded: nbgrader may have marked them pending before it failed
                changed = restore(gb, self.assignment, job.student, folder, hand)
                if changed:
                    again = f"written answers changed since hand grading, grade again: {', '.join(changed)}"
                    result = {**result, "reason": "; ".join(r for r in (result.get("reason", ""), again) if r)}
            harness = score_harness_tampering(gb, sub, job, result) if graded else ""
            tamper_detail = "; ".join(d for d in (job.tamper_detail, harness) if d)
            outcome = Outcome(
                assignment=self.assignment,
                student=job.student,
                status=result["status"],
                reason=result.get("reason", ""),
                tampered=bool(tamper_detail),
                tamper_detail=tamper_detail,
                late=sub.total_seconds_late > 0,
                score=float(sub.score) if graded else None,
                max_score=float(sub.max_score),
                sandboxed=self.sandboxed,
                fingerprint=job.fingerprint,
            )
            outcome_store.record(self.db_url, outcome)
            self.shown[job.student] = score_text(sub) if graded else "could not be graded"
        self.outcomes.append(outcome)
        handle = self._claims.pop(job.student, None)
        if handle is not None:
            handle.close()
        self.progress.update(self.task, advance=1, last=f"{job.student}: {self.shown[job.student]}")

    # ------------------------------------------------------------------ report
    def print_summary(self) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        out = sorted(self.outcomes, key=lambda o: o.student)
        graded = [o for o in out if o.status == "graded"]
        failed = [o for o in out if o.status != "graded"]
        summary = Table(title=f"borderdesk grade {self.assignment}")
        summary.add_column("")
        summary.add_column("submissions", justify="right")
        summary.add_row("graded", str(len(graded)))
        summary.add_row("could not be graded", str(len(failed)))
        summary.add_row("tampered with tests", str(sum(o.tampered for o in out)))
        summary.add_row("late", str(sum(o.late for o in out)))
        summary.add_row(
            "written answers to grade by hand", str(sum("pending" in self.shown.get(o.student, "") for o in out))
        )
        summary.add_row("unchanged, not regraded", str(len(self.skipped)))
        if self.busy_elsewhere:
            summary.add_row("being graded by another run", str(len(self.busy_elsewhere)))
        # Every submission of the class still without a grade, this run's and earlier runs'.
        from . import outcome_store

        ungraded = sorted(o.student for o in outcome_store.load(self.db_url, self.assignment) if o.status != "graded")
        summary.add_row("without a grade (class)", str(len(ungraded)))
        console.print(summary)
        if ungraded:
            console.print(f"still without a grade: {', '.join(ungraded)}", highlight=False, soft_wrap=True)
        notable = [o for o in out if o.status != "graded" or o.tampered or o.late or o.reason]
        if notable or self.misplaced:
            console.print("[bold]needs a look:[/bold]")
        for student, where, should in self.misplaced:  # not graded: nbgrader looks only in the assignment folder
            console.print(
                f"  {student}: not graded - {where} is not where nbgrader looks; move it to {should}",
                highlight=False,
                soft_wrap=True,
            )
        for o in notable:  # one line each: readable at any width, easy to grep
            score = self.shown.get(o.student) or (
                "could not be graded" if o.score is None else f"{o.score:g}/{o.max_score:g}"
            )
            notes = [n for n in (o.reason, o.tamper_detail and f"tampered: {o.tamper_detail}", o.late and "late") if n]
            console.print(f"  {o.student}: {score} - {'; '.join(notes)}", highlight=False, soft_wrap=True)
        if not self.sandboxed:
            console.print(
                "NOT sandboxed (--no-sandbox): student code ran with the grader's rights; "
                "this is recorded in every outcome",
                style="bold red",
                soft_wrap=True,
            )
        log = self.runtime / f"{self.assignment}.log"
        console.print(f"nbgrader's log: {log}", soft_wrap=True, highlight=False)


def score_text(sub) -> str:
    """``22/30``; while written answers wait for the grader ``22/22 autograded + reply_to_inquiry pending``
    (a bare 22/30 would read as 8 points lost)."""
    pending = [grade.name for notebook in sub.notebooks for grade in notebook.grades if grade.needs_manual_grade]
    if not pending:
        return f"{sub.score:g}/{sub.max_score:g}"
    written = [
        grade
        for notebook in sub.notebooks
        for grade in notebook.grades
        if grade.cell.cell_type == "markdown" and not grade.needs_manual_grade
    ]
    graded_written = (
        f" + {sum(g.score for g in written):g}/{sum(g.max_score for g in written):g} written" if written else ""
    )
    return f"{sub.code_score:g}/{sub.max_code_score:g} autograded{graded_written} + {', '.join(pending)} pending"


def _score_missing_tests(gb, sub) -> list[str]:
    """Score 0 every autograded cell nbgrader found no output for (the student deleted it).

    nbgrader leaves such a grade with no score and "needs manual grade": a question the
    grader cannot grade, which also holds back feedback. Returns the cells scored so."""
    missing = []
    for notebook in sub.notebooks:
        for grade in notebook.grades:
            if grade.cell.cell_type == "code" and grade.auto_score is None and grade.manual_score is None:
                grade.auto_score, grade.needs_manual_grade = 0, False
                missing.append(grade.name)
    if missing:
        gb.db.commit()
    return missing


def misplaced(submitted, assignment: str, notebooks: list[str]) -> list[tuple[str, str, str]]:
    """(student, where, where it should go) for each notebook nbgrader would silently skip.

    Two shapes a class produces: the notebook straight in ``submitted/<student>/`` (the
    assignment folder left out), and a copy of the folder renamed by a download or a
    file manager, e.g. ``01_platform_rules (1)`` or ``01_platform_rules copy``. A loose
    notebook counts when it bears one of the assignment's ``notebooks`` names.
    """
    import re

    found = []
    for student in sorted(p for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []:
        right = student / assignment
        for notebook in sorted(p for p in student.glob("*.ipynb") if p.name in notebooks):
            found.append((student.name, _shown(notebook, submitted), _shown(right / notebook.name, submitted)))
        for folder in sorted(p for p in student.iterdir() if p.is_dir() and p.name != assignment):
            copy_of = re.sub(r"[\s_.-]*(\(\d+\)|copy|kopie|副本|\d)$", "", folder.name, flags=re.I)
            if copy_of == assignment and any(folder.rglob("*.ipynb")):
                found.append((student.name, _shown(folder, submitted) + "/", _shown(right, submitted) + "/"))
    return found


def _shown(path, submitted) -> str:
    return f"{submitted.name}/{path.relative_to(submitted)}"


def imported_modules(notebooks) -> list[str]:
    """Modules the released notebooks import (kernels import them while they boot)."""
    import ast
    import json

    names: set[str] = set()
    for path in notebooks:  # plain JSON: nbformat is a slow import, and we only need sources
        for cell in json.loads(path.read_text()).get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse(source if isinstance(source, str) else "".join(source))
            except SyntaxError:  # IPython magics
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module)
    return sorted(names)


def _forkserver(start: bool = False):
    """The multiprocessing context of the workers: a fork server (not fork: the progress
    bar runs a thread) that has imported nbgrader once; every worker, and every
    replacement of a killed one, forks from it. ``start`` launches it now, without
    waiting for its imports."""
    import multiprocessing
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(
        [
            "borderdesk.grading.lean_imports",  # first: before anything imports jsonschema
            "borderdesk.grading.worker",
            "borderdesk.grading.nbgrader_steps",
            "nbgrader.converters",
            "nbgrader.preprocessors",
            "nbclient",
            "jupyter_client.manager",
        ]
    )
    if start:
        forkserver.ensure_running()
    return ctx


class _Worker:
    """A worker process with its pipe, its job and its deadline."""

    def __init__(self, run: Run):
        import tempfile

        from .worker import Options, serve

        ctx = _forkserver()
        self.conn, child = ctx.Pipe()
        self.tmp = tempfile.mkdtemp(prefix="borderdesk-grade-")
        options = Options(
            root=str(run.root),
            sandbox=run.sandboxed,
            cell_timeout=run.args.timeout,
            memory=run.args.memory * 1024**2,
            cpu=run.args.budget,
            log_file=str(run.runtime / f"{run.assignment}.log"),
            extra={"cache": run.cache, "preload": run.preload},
        )
        self.process = ctx.Process(target=serve, args=(child, options, self.tmp), daemon=True)
        self.process.start()
        child.close()
        self.job = None
        self.deadline = 0.0

    def wait_ready(self) -> None:
        """Wait for the worker's hello (it has built its nbgrader converter)."""
        try:
            hello = self.conn.recv() if self.conn.poll(120) else {"fatal": "did not start within 120 s"}
        except EOFError:
            hello = {"fatal": f"it exited during start-up (exit code {self.process.exitcode}); see the log"}
        if "fatal" in hello:
            from ..errors import BorderDeskError

            self.kill()
            raise BorderDeskError(f"a grading worker could not start: {hello['fatal']}")

    def send(self, job, budget: int) -> None:
        import time

        self.job = job
        self.deadline = time.monotonic() + budget
        self.conn.send(job)

    def ask_to_stop(self) -> None:
        try:
            self.conn.send(None)  # a second one is never read: the worker has returned on the first
        except (OSError, ValueError):  # already closed
            pass

    def stop(self) -> None:
        self.ask_to_stop()
        self.process.join(10)
        self.kill()

    def kill(self) -> None:
        import shutil

        if self.process.is_alive():
            self.process.kill()  # its sandbox dies with it (bwrap --die-with-parent)
            self.process.join(10)
        self.conn.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
