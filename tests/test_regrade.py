"""Nothing an instructor did is lost or silently wrong, through the real `borderdesk grade` and `export`.

One small class is graded by the real command, sandboxed: ana (all correct, then hand-graded
as in formgrader), dee (a corrupt notebook: never graded), bo (the notebook straight in
submitted/bo/) and cy (the folder renamed "01_platform_rules (1)" by a download).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest
import submissions
from conftest import REPO
from nbgrader.api import Gradebook
from prereqs import require_program
from test_grade import ASSIGNMENT, FULL, LIMITS, db_url, grade, new_course

from borderdesk.grading import outcome_store

NB = ASSIGNMENT
REPLY = "reply_to_inquiry"  # the hand-graded written answer (8 points)


def hand_grade(root, student, score, comment):
    """What formgrader's grade and comment API handlers do when a grader scores a written answer."""
    with Gradebook(db_url(root)) as gb:
        grade = gb.find_grade(REPLY, NB, ASSIGNMENT, student)
        grade.manual_score, grade.extra_credit = score, 1.0
        grade.needs_manual_grade = False
        gb.find_comment(REPLY, NB, ASSIGNMENT, student).manual_comment = comment
        gb.db.commit()


def reply(root, student):
    with Gradebook(db_url(root)) as gb:
        grade = gb.find_grade(REPLY, NB, ASSIGNMENT, student)
        comment = gb.find_comment(REPLY, NB, ASSIGNMENT, student).manual_comment
        total = gb.find_submission(ASSIGNMENT, student).score
        return grade.manual_score, grade.extra_credit, grade.needs_manual_grade, comment, total


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    require_program("bwrap")
    root = new_course(tmp_path_factory, "regrade")
    ana = submissions.write(root, "ana", "correct")
    submissions.write(root, "dee", "corrupt_json")
    submissions.write(root, "eve", "tests_deleted")
    submitted = ana.parent.parent
    (submitted / "bo").mkdir()
    shutil.copy(ana / submissions.NOTEBOOK, submitted / "bo" / submissions.NOTEBOOK)
    (submitted / "cy" / f"{ASSIGNMENT} (1)").mkdir(parents=True)
    shutil.copy(ana / submissions.NOTEBOOK, submitted / "cy" / f"{ASSIGNMENT} (1)" / submissions.NOTEBOOK)
    first = grade(root, *LIMITS)
    return {"root": root, "first": first, "ana": ana}


def test_misplaced_notebooks_are_listed_with_where_they_belong(course):
    out = course["first"].stdout
    assert f"bo: not graded - submitted/bo/{NB}.ipynb is not where nbgrader looks; move it to " in out
    assert f"submitted/bo/{ASSIGNMENT}/{NB}.ipynb" in out
    assert f"cy: not graded - submitted/cy/{ASSIGNMENT} (1)/ is not where nbgrader looks; move it to" in out
    assert {o.student for o in outcome_store.load(db_url(course["root"]), ASSIGNMENT)} == {"ana", "dee", "eve"}


def test_every_run_lists_every_submission_still_without_a_grade(course):
    assert "still without a grade: dee" in course["first"].stdout
    again = grade(course["root"], "--student", "ana", *LIMITS)  # dee is not in this run, and still listed
    assert "still without a grade: dee" in again.stdout


def test_a_hand_grade_survives_a_forced_regrade_and_a_changed_answer_is_listed(course):
    root = course["root"]
    hand_grade(root, "ana", 6.0, "Polite, but give the next step a date.")
    assert reply(root, "ana") == (6.0, 1.0, False, "Polite, but give the next step a date.", FULL + 7)

    run = grade(root, "--student", "ana", "--force", *LIMITS)
    assert reply(root, "ana") == (6.0, 1.0, False, "Polite, but give the next step a date.", FULL + 7), run.stdout
    assert "grade again" not in run.stdout

    notebook = nbformat.read(course["ana"] / submissions.NOTEBOOK, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == REPLY)
    cell.source += "\n\nP.S. We will ship the replacement by Friday."
    nbformat.write(notebook, course["ana"] / submissions.NOTEBOOK)
    run = grade(root, "--student", "ana", *LIMITS)
    assert f"written answers changed since hand grading, grade again: {NB}: {REPLY}" in run.stdout
    score, _, needs_manual, comment, _ = reply(root, "ana")
    assert needs_manual is True and score == 6.0  # the earlier score stays visible for the grader
    ana = outcome_store.find(db_url(root), ASSIGNMENT, "ana")
    assert "grade again" in ana.reason


def test_an_infrastructure_failure_is_graded_again_on_the_next_run(course):
    root = course["root"]
    done = outcome_store.find(db_url(root), ASSIGNMENT, "ana")
    grade(root, "--student", "ana", *LIMITS)
    assert outcome_store.find(db_url(root), ASSIGNMENT, "ana").graded_at == done.graded_at  # unchanged: skipped
    # As `borderdesk grade` records a worker that died under a submission (same fingerprint).
    crashed = dataclasses.replace(
        done,
        status="ungradable",
        score=None,
        graded_at=None,
        reason="grading infrastructure failed: the grading worker crashed (exit code -9)",
    )
    outcome_store.record(db_url(root), crashed)
    run = grade(root, "--student", "ana", *LIMITS)
    after = outcome_store.find(db_url(root), ASSIGNMENT, "ana")
    assert after.status == "graded" and after.score is not None and after.graded_at > done.graded_at, run.stdout
    # A submission that could not be graded for its own reasons is not retried while unchanged.
    dee = outcome_store.find(db_url(root), ASSIGNMENT, "dee")
    grade(root, "--student", "dee", *LIMITS)
    assert outcome_store.find(db_url(root), ASSIGNMENT, "dee").graded_at == dee.graded_at


# Stands in for bwrap: passes the parent's sandbox check through to the real bwrap, but for a
# worker's zygote it fails as bwrap does without user namespaces, or kills the worker (once).
BROKEN_BWRAP = """#!/bin/sh
case "$*" in *borderdesk.grading.zygote*)
  if [ -e "{marks}/fail" ]; then echo "bwrap: Creating new namespace failed: Operation not permitted" >&2; exit 1; fi
  if [ -e "{marks}/crash" ]; then rm "{marks}/crash"; sleep 6; kill -9 $PPID; exit 1; fi
esac
exec {bwrap} "$@"
"""


def test_a_broken_sandbox_is_an_infrastructure_failure_logged_regraded_and_keeps_hand_grades(
    course, tmp_path, monkeypatch
):
    root = course["root"]
    submissions.write(root, "fay", "correct")
    grade(root, "--student", "fay", *LIMITS)
    hand_grade(root, "fay", 7.0, "Clear and kind.")
    marks, bin_dir = tmp_path / "marks", tmp_path / "bin"
    marks.mkdir()
    bin_dir.mkdir()
    wrapper = bin_dir / "bwrap"
    wrapper.write_text(BROKEN_BWRAP.format(marks=marks, bwrap=shutil.which("bwrap")))
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    log = root / "autograder" / "grading" / f"{ASSIGNMENT}.log"

    (marks / "fail").touch()  # the sandbox cannot start: not the student's kernel dying
    run = grade(root, "--student", "fay", "--force", *LIMITS)
    fay = outcome_store.find(db_url(root), ASSIGNMENT, "fay")
    assert fay.status == "ungradable" and fay.reason.startswith("grading infrastructure failed: "), run.stdout
    assert "the sandbox did not start a kernel" in fay.reason and "kernel died" not in fay.reason
    assert "bwrap: Creating new namespace failed: Operation not permitted" in log.read_text()
    assert "still without a grade: dee, fay" in run.stdout
    assert reply(root, "fay")[:4] == (7.0, 1.0, False, "Clear and kind.")  # the hand grade is kept

    (marks / "fail").unlink()
    (marks / "crash").touch()  # a plain run grades it again; this time the worker dies under it
    run = grade(root, "--student", "fay", *LIMITS)
    failed, fay = fay, outcome_store.find(db_url(root), ASSIGNMENT, "fay")
    assert fay.status == "ungradable" and "the grading worker crashed" in fay.reason, run.stdout
    assert fay.graded_at > failed.graded_at  # retried, not "unchanged, not regraded"
    assert reply(root, "fay")[:2] == (7.0, 1.0)

    run = grade(root, "--student", "fay", *LIMITS)  # the sandbox works again
    failed, fay = fay, outcome_store.find(db_url(root), ASSIGNMENT, "fay")
    assert fay.status == "graded" and fay.score is not None and fay.graded_at > failed.graded_at, run.stdout
    # The failed runs left no graded copy to compare with; the answer is unchanged, so its grade simply stays.
    assert reply(root, "fay") == (7.0, 1.0, False, "Clear and kind.", FULL + 8), run.stdout
    assert "grade again" not in run.stdout and "grade again" not in fay.reason


def test_export_into_a_missing_folder_is_an_error(course, tmp_path):
    target = tmp_path / "no-such-folder" / "grades.csv"
    done = subprocess.run(
        [sys.executable, "-m", "borderdesk.cli", "export", ASSIGNMENT, "-o", str(target)],
        cwd=course["root"],
        env={k: v for k, v in os.environ.items() if k != "BORDERDESK_DB_URL"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert f"the folder {target.parent} does not exist" in done.stderr
    assert not target.parent.exists()


@pytest.mark.parametrize(
    "path", ["roster.csv", "autograder/roster.csv", "autograder/roster-2026.csv", "autograder/grades-spring.csv"]
)
def test_files_naming_learners_are_git_ignored(path):
    done = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO, capture_output=True)
    assert done.returncode == 0, f"{path} is not git-ignored"


def test_a_deleted_test_is_scored_not_left_for_the_grader(course):
    from borderdesk.grading.results import class_results

    eve = next(
        r for r in class_results(db_url(course["root"]), ASSIGNMENT, course["root"]).students if r.student == "eve"
    )
    assert eve.status == "graded" and eve.tampered
    assert [q for q in eve.pending_manual if "test" in q] == []  # only the written answer may wait for the grader
    deleted = [q for q in eve.scores if q.endswith("test_account_health")]
    assert deleted and all(eve.scores[q] == 0 for q in deleted), eve.scores
    outcome = outcome_store.find(db_url(course["root"]), ASSIGNMENT, "eve")
    assert "deleted test cells test_account_health" in outcome.tamper_detail


def _with_cell(root, student, source):
    """A correct submission of ``student`` with one more cell after the setup."""
    out = submissions.folder(root, student)
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(submissions._insert_after_setup(submissions.correct(root), source), out / submissions.NOTEBOOK)


def _status(pid):
    with open(f"/proc/{pid}/status") as handle:
        return dict(line.rstrip("\n").split(":\t", 1) for line in handle if ":\t" in line)


def _zygote_with_a_kernel(root):
    """The pid (here) of the zygote grading the course at ``root``, once it has forked a kernel."""
    sandboxes = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
            status = _status(pid)
        except OSError:
            continue
        if b"borderdesk.grading.zygote" in argv and status["NSpid"].split()[-1] == "1":
            sandboxes.append((pid, status["PPid"]))
    for pid, parent in sandboxes:  # its bwrap names the course's data folder
        with open(f"/proc/{parent}/cmdline", "rb") as handle:
            if str(root / "data").encode() not in handle.read():
                continue
        kernels = [p for p in filter(str.isdigit, os.listdir("/proc")) if _ppid_or_none(p) == pid]
        if kernels:
            return int(pid)
    return None


def _ppid_or_none(pid):
    try:
        return _status(pid)["PPid"]
    except OSError:
        return None


def test_a_dying_sandbox_is_the_graders_fault_a_student_ending_the_kernel_is_not(course):
    root = course["root"]
    _with_cell(root, "gil", "import time\ntime.sleep(8)")  # the sandbox is killed while this runs
    # From inside, nobody can kill the zygote (the sandbox's PID 1): these are dropped, the kernel goes on.
    _with_cell(
        root,
        "hal",
        "import os, signal\nfor sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):\n"
        "    os.kill(1, sig)\n    os.kill(os.getppid(), sig)",
    )
    submissions.write(root, "ivy", "os_exit")  # the student's own code ends the kernel
    env = {k: v for k, v in os.environ.items() if k != "BORDERDESK_DB_URL"}
    argv = [sys.executable, "-m", "borderdesk.cli", "grade", ASSIGNMENT, "--student", "gil", *LIMITS]
    run = subprocess.Popen(argv, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while (zygote := _zygote_with_a_kernel(root)) is None and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert zygote is not None, run.communicate()
    time.sleep(2.5)  # the kernel is in the sleeping cell
    os.kill(zygote, signal.SIGKILL)  # as the machine's OOM killer would
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, out + err
    gil = outcome_store.find(db_url(root), ASSIGNMENT, "gil")
    assert gil.status == "ungradable", out
    assert gil.reason.startswith("grading infrastructure failed: the sandbox died while the kernel ran"), gil.reason
    assert "graded again on the next run" in gil.reason and "kernel died" not in gil.reason
    log = (root / "autograder" / "grading" / f"{ASSIGNMENT}.log").read_text()
    assert "the sandbox's zygote died under a kernel" in log

    first = grade(root, "--student", "gil", "--student", "hal", "--student", "ivy", *LIMITS)
    gil, hal, ivy = (outcome_store.find(db_url(root), ASSIGNMENT, s) for s in ("gil", "hal", "ivy"))
    assert (gil.status, gil.score) == ("graded", FULL), first.stdout  # a plain run graded it again
    assert (hal.status, hal.score, hal.reason) == ("graded", FULL, ""), hal
    assert ivy.status == "ungradable", first.stdout
    assert ivy.reason == "kernel died: the process exited with status 3 (os._exit or sys.exit in the kernel)"
    again = grade(root, "--student", "ivy", *LIMITS)  # the student's fault: not retried while unchanged
    assert outcome_store.find(db_url(root), ASSIGNMENT, "ivy").graded_at == ivy.graded_at, again.stdout
