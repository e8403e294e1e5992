"""`borderdesk grade` on real submissions: every fault of issue 4 section 3, sandbox escapes
checked by their effect, two runs at once on one gradebook, and idempotent re-runs.

The whole adversarial class (tests/submissions.py, one student per case) is graded ONCE
by the real command, sandboxed, with two workers and short limits; the tests then read
the outcomes (borderdesk_outcomes), nbgrader's gradebook and the autograded notebooks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import nbformat
import pytest
import submissions
from conftest import REPO, copy_course
from nbgrader.api import Gradebook
from prereqs import require_program

from borderdesk.chapters import assignments
from borderdesk.grading import outcome_store
from borderdesk.grading.release import release

ASSIGNMENT = submissions.ASSIGNMENT
FULL = 22.0  # the autograded points; the hand-graded assessment and reply (8) are not scored yet
MAX = 30.0
LIMITS = ["--workers", "2", "--timeout", "10", "--budget", "150", "--memory", "1024"]

# case -> (status, score (exact) or (low, high), reason substring, tampered test cells substring)
EXPECTED = {
    "correct": ("graded", FULL, "", ""),
    "blank": ("graded", 0.0, "", ""),
    "partial": ("graded", FULL - 4, "", ""),
    "tests_edited": ("graded", FULL - 3, "", "edited test cells test_triage"),
    "tests_deleted": (
        "graded",
        FULL - 3,
        "test cells missing from the notebook, scored 0: test_account_health",
        "deleted test cells test_account_health",
    ),
    "solution_cells_deleted": ("graded", FULL - 4, "", ""),
    "duplicated_cells": ("graded", FULL, "", ""),
    "infinite_loop": ("graded", FULL, "timed out after 10 s", ""),
    "ignores_interrupt": ("ungradable", None, "kernel unresponsive", ""),
    "os_exit": ("ungradable", None, "kernel died: the process exited with status 3", ""),
    "segfault": ("ungradable", None, "kernel died: segmentation fault (SIGSEGV)", ""),
    "memory_bomb": ("graded", FULL, "", ""),
    "huge_output": ("graded", FULL, "output cut at 100,000 bytes in 1 cell(s)", ""),
    "read_files": ("graded", FULL, "", ""),
    "delete_files": ("graded", FULL, "", ""),
    "network": ("graded", FULL, "", ""),
    "corrupt_json": ("ungradable", None, "is not valid JSON at line", ""),
    "missing_notebook": (
        "ungradable",
        None,
        "notebook 01_platform_rules.ipynb missing (found: my_assignment.ipynb)",
        "",
    ),
    "extra_files": ("graded", FULL, "", ""),
}


def grade(root, *args, check=True):
    """Run the real CLI on the course at ``root``."""
    env = {k: v for k, v in os.environ.items() if k != "BORDERDESK_DB_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "borderdesk.cli", "grade", ASSIGNMENT, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check:
        assert done.returncode == 0, f"borderdesk grade failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def summary(stdout: str) -> dict[str, int]:
    """The rows of ``borderdesk grade``'s table: {"graded": 3, "could not be graded": 1, ...}."""
    rows = (line.split("│") for line in stdout.splitlines() if line.startswith("│"))
    return {row[1].strip(): int(row[2]) for row in rows if len(row) == 4 and row[2].strip().isdigit()}


def new_course(tmp_path_factory, name):
    root = copy_course(tmp_path_factory.mktemp(name) / "course", "solutions", "exercises")
    listed = set(assignments(root))  # a chapter still coming may have its solutions folder already
    for folder in [*(root / "solutions").iterdir(), *(root / "exercises").iterdir()]:
        if folder.is_dir() and folder.name not in listed:
            shutil.rmtree(folder)
    (root / "data").symlink_to(REPO / "data", target_is_directory=True)
    release(ASSIGNMENT, root=root)  # records the assignment and its tests in the gradebook
    return root


def db_url(root):
    return f"sqlite:///{root / 'autograder' / 'gradebook.db'}"


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Listener:
    """A TCP port on the grader's loopback that records any connection."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory):
    require_program("bwrap")
    root = new_course(tmp_path_factory, "adversarial")
    listener = Listener()
    for case in EXPECTED:
        options = {"port": listener.port} if case == "network" else {}
        submissions.write(root, case, case, **options)
    # One more student, correct but after the due date (nbgrader's timestamp.txt).
    with Gradebook(db_url(root)) as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate="2026-10-01 12:00:00 UTC")
    late = submissions.write(root, "late", "correct")
    (late / "timestamp.txt").write_text("2026-10-02 09:30:00 UTC")
    solution = root / "solutions" / ASSIGNMENT / submissions.NOTEBOOK
    before = {
        "solution": sha(solution),
        "delete_files original": sha(submissions.folder(root, "delete_files") / submissions.NOTEBOOK),
    }
    start = time.perf_counter()
    run = grade(root, *LIMITS)
    seconds = time.perf_counter() - start
    listener.close()
    print(f"\nborderdesk grade: {len(EXPECTED)} adversarial submissions in {seconds:.0f} s (2 workers)")
    outcomes = {o.student: o for o in outcome_store.load(db_url(root), ASSIGNMENT)}
    assert sorted(outcomes) == sorted([*EXPECTED, "late"])
    with Gradebook(db_url(root)) as gb:  # snapshot: later tests regrade some students
        scores = {student: gb.find_submission(ASSIGNMENT, student).score for student in outcomes}
    return {
        "root": root,
        "run": run,
        "scores": scores,
        "outcomes": outcomes,
        "before": before,
        "listener": listener,
        "solution": solution,
    }


@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_fault_gets_the_right_score_and_reason(adversarial, case):
    want_status, want_score, want_reason, want_tamper = EXPECTED[case]
    outcome = adversarial["outcomes"][case]
    assert (outcome.status, outcome.sandboxed) == (want_status, True), outcome
    assert want_reason in outcome.reason, outcome.reason
    if not want_reason:
        assert outcome.reason == "", outcome.reason
    assert outcome.tampered == bool(want_tamper) and want_tamper in outcome.tamper_detail, outcome
    assert outcome.max_score == MAX
    if want_status == "ungradable":
        assert outcome.score is None
    else:
        assert outcome.score == want_score, outcome


def test_late_submission_is_flagged(adversarial):
    outcomes = adversarial["outcomes"]
    assert outcomes["late"].late and outcomes["late"].score == FULL
    assert not any(o.late for name, o in outcomes.items() if name != "late")
    assert "late: 22/22 autograded + reply_to_inquiry pending - late" in adversarial["run"].stdout


def test_gradebook_agrees_and_a_dead_kernel_scores_nothing(adversarial):
    """nbgrader's own gradebook has every student; ungradable ones hold 0 there, not a pass."""
    for case, (want_status, want_score, *_rest) in EXPECTED.items():
        assert adversarial["scores"][case] == (0.0 if want_status == "ungradable" else want_score), case


def test_summary_table_names_failures_and_tampering(adversarial):
    out = adversarial["run"].stdout
    assert "could not be graded" in out and "tampered with tests" in out
    for case in ("segfault", "os_exit", "corrupt_json", "tests_edited"):
        assert case in out
    assert "checksum" not in adversarial["run"].stdout + adversarial["run"].stderr


def test_sandbox_kept_the_solution_gradebook_and_originals(adversarial):
    root = adversarial["root"]
    assert sha(adversarial["solution"]) == adversarial["before"]["solution"]
    original = submissions.folder(root, "delete_files") / submissions.NOTEBOOK
    assert sha(original) == adversarial["before"]["delete_files original"]
    with sqlite3.connect(root / "autograder" / "gradebook.db") as db:  # still a database, all rows
        assert db.execute("select count(*) from borderdesk_outcomes").fetchone()[0] == len(EXPECTED) + 1
        assert db.execute("select count(*) from submitted_assignment").fetchone()[0] == len(EXPECTED) + 1


def _autograded_text(root, student):
    """Every output of the student's graded notebook, as text (the cells hold the hidden tests)."""
    path = root / "autograder" / "autograded" / student / ASSIGNMENT / submissions.NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    return json.dumps([cell.get("outputs", []) for cell in nb.cells])


def test_sandbox_could_not_read_solution_gradebook_or_classmates(adversarial):
    text = _autograded_text(adversarial["root"], "read_files")
    assert "blocked:" in text  # the cell ran and reported the failures
    assert submissions.SECRET not in text
    assert "SQLite format 3" not in text
    assert submissions.OTHER_STUDENTS_TEXT not in text


def test_submission_reads_and_writes_its_own_folder(adversarial):
    text = _autograded_text(adversarial["root"], "extra_files")
    assert submissions.OTHER_STUDENTS_TEXT in text and "wrote a,b" in text
    # ... in a scratch copy: nothing the kernel wrote reaches the grader's disk.
    graded = adversarial["root"] / "autograder" / "autograded" / "extra_files" / ASSIGNMENT
    assert not (graded / "results.csv").exists() and (graded / "notes.txt").exists()


def test_sandbox_has_no_network(adversarial):
    assert adversarial["listener"].connections == 0
    text = _autograded_text(adversarial["root"], "network")
    assert "connected to" not in text and "Network is unreachable" in text


def test_huge_output_is_cut_by_bytes(adversarial):
    path = adversarial["root"] / "autograder" / "autograded" / "huge_output" / ASSIGNMENT / submissions.NOTEBOOK
    assert path.stat().st_size < 2_000_000  # the release alone is about 60 kB; the output was 50 MB
    assert "output truncated" in path.read_text()


def test_rerun_grades_only_changes_and_force_regrades(adversarial):
    """Second run: nothing to do. A changed submission is regraded; a crash replaces a pass."""
    root = adversarial["root"]
    again = grade(root, *LIMITS)
    counts = summary(again.stdout)
    assert (counts["graded"], counts["unchanged, not regraded"]) == (0, len(EXPECTED) + 1), again.stdout
    # "correct" resubmits something that kills the kernel: its earlier 18 points must go.
    submissions.write(root, "correct", "segfault")
    grade(root, *LIMITS)
    outcome = {o.student: o for o in outcome_store.load(db_url(root), ASSIGNMENT)}["correct"]
    assert outcome.status == "ungradable" and "SIGSEGV" in outcome.reason
    with Gradebook(db_url(root)) as gb:
        assert gb.find_submission(ASSIGNMENT, "correct").score == 0.0
    before = {o.student: o.graded_at for o in outcome_store.load(db_url(root), ASSIGNMENT)}
    grade(root, *LIMITS, "--force", "--student", "blank")
    after = {o.student: o.graded_at for o in outcome_store.load(db_url(root), ASSIGNMENT)}
    assert [s for s in after if after[s] != before[s]] == ["blank"]


def _processes_mentioning(text):
    found = []
    for proc in os.listdir("/proc"):
        try:
            with open(f"/proc/{proc}/cmdline", "rb") as handle:
                if text.encode() in handle.read():
                    found.append(proc)
        except OSError:
            continue
    return found


def test_budget_stops_a_stuck_submission_and_leaves_no_process(adversarial):
    """A kernel that ignores interrupts, with a cell limit longer than the budget: the
    worker is killed at the budget, its sandboxed kernel with it, and the run goes on."""
    root = adversarial["root"]
    start = time.perf_counter()
    grade(
        root,
        "--force",
        "--student",
        "ignores_interrupt",
        "--student",
        "blank",
        "--timeout",
        "600",
        "--budget",
        "30",
        "--workers",
        "1",
    )
    assert time.perf_counter() - start < 200
    outcomes = {o.student: o for o in outcome_store.load(db_url(root), ASSIGNMENT)}
    assert outcomes["ignores_interrupt"].status == "ungradable"
    assert "took longer than the 30 s budget" in outcomes["ignores_interrupt"].reason
    assert (outcomes["blank"].status, outcomes["blank"].score) == ("graded", 0.0)
    time.sleep(1)
    assert _processes_mentioning(str(root)) == [], "a sandboxed kernel outlived its grader"


def test_no_sandbox_is_explicit_and_recorded(adversarial):
    root = adversarial["root"]
    run = grade(root, "--force", "--student", "blank", "--no-sandbox", "--workers", "1")
    assert "NOT sandboxed" in run.stdout
    outcome = {o.student: o for o in outcome_store.load(db_url(root), ASSIGNMENT)}["blank"]
    assert (outcome.status, outcome.score, outcome.sandboxed) == ("graded", 0.0, False)


def test_missing_sandbox_stops_with_install_hint(adversarial, tmp_path):
    bin_dir = tmp_path / "bin"  # a PATH without bwrap
    bin_dir.mkdir()
    env = {**os.environ, "PATH": str(bin_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "borderdesk.cli", "grade", ASSIGNMENT, "--student", "blank"],
        cwd=adversarial["root"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "apt-get install bubblewrap" in done.stderr and "--no-sandbox" in done.stderr
    assert "Traceback" not in done.stderr


def test_two_runs_at_once_share_one_gradebook(tmp_path_factory):
    require_program("bwrap")
    root = new_course(tmp_path_factory, "concurrent")
    cases = {"a_correct": "correct", "b_blank": "blank", "c_partial": "partial", "d_blank": "blank"}
    for student, case in cases.items():
        submissions.write(root, student, case)
    env = {k: v for k, v in os.environ.items() if k != "BORDERDESK_DB_URL"}
    argv = [sys.executable, "-m", "borderdesk.cli", "grade", ASSIGNMENT, "--workers", "1", "--timeout", "30"]
    runs = [
        subprocess.Popen(argv, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=900) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
        assert "database is locked" not in out + err
    outcomes = {o.student: o for o in outcome_store.load(db_url(root), ASSIGNMENT)}
    want = {"a_correct": FULL, "b_blank": 0.0, "c_partial": FULL - 4, "d_blank": 0.0}
    assert {s: (o.status, o.score) for s, o in outcomes.items()} == {s: ("graded", v) for s, v in want.items()}
    with Gradebook(db_url(root)) as gb:
        assert {s: gb.find_submission(ASSIGNMENT, s).score for s in cases} == want
    # Each submission was graded by exactly one of the two runs.
    graded_lines = [line for out, _ in outputs for line in out.splitlines() if line.startswith("│ graded")]
    assert sum(int(line.split("│")[2]) for line in graded_lines) == len(cases), outputs


def test_a_submission_cannot_reach_the_next_one(tmp_path_factory):
    """One worker grades these in order, forking each kernel from the same warm sandbox:
    what a student leaves running or writing is gone before the next kernel starts, and
    a student who kills every process it can (``kill(-1)``) reaches nothing: the zygote is
    the sandbox's PID 1, which no signal from inside reaches, so that kernel goes on too."""
    require_program("bwrap")
    root = new_course(tmp_path_factory, "successive")
    cases = {"a_lingers": "lingers", "b_probe": "probe", "c_kills": "kills_everything", "d_correct": "correct"}
    for student, case in cases.items():
        submissions.write(root, student, case)
    grade(root, "--workers", "1", "--timeout", "30")
    outcomes = {o.student: o for o in outcome_store.load(db_url(root), ASSIGNMENT)}
    assert (outcomes["a_lingers"].status, outcomes["a_lingers"].score) == ("graded", FULL)
    assert (outcomes["b_probe"].status, outcomes["b_probe"].score) == ("graded", FULL)
    assert "probe: other processes [] planted files []" in _autograded_text(root, "b_probe")
    assert (outcomes["c_kills"].status, outcomes["c_kills"].score, outcomes["c_kills"].reason) == ("graded", FULL, "")
    assert (outcomes["d_correct"].status, outcomes["d_correct"].score) == ("graded", FULL)
