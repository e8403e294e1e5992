"""A small graded class of assignment 01, for the feedback, export and report tests.

``build(dest, db_url)`` makes a throwaway course whose gradebook is ``db_url`` (SQLite or
PostgreSQL), releases assignment 01 with a due date, puts in one submission per kind of
learner as ``nbgrader collect`` leaves them (notebook, timestamp.txt,
submission_secret.txt; tests/submissions.py builds the notebooks) and grades them all
with the real ``borderdesk grade``, sandboxed. Expected results, per student:

* ``solution``: every autograded point; ``blank``: the release, unanswered: 0, graded;
* ``wrong``: loses test_flag_suspicious through a visible test's message, and
  test_precision_recall through a hidden test only (every visible test of it passes);
* ``crashed``: calls ``os._exit(3)``: could not be graded (nbgrader's gradebook holds 0s);
* ``renamed``: the notebook under another name: could not be graded; submitted late.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import nbformat
import submissions
from assignment_suite import wrong_answers
from conftest import REPO, copy_course
from nbgrader.api import Gradebook
from prereqs import require_program

from borderdesk.grading import outcome_store

ASSIGNMENT = NOTEBOOK = "01_platform_rules"
WRONG_ANSWERS = wrong_answers(ASSIGNMENT)
SOURCE = REPO / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
RELEASE = REPO / "exercises" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
RENAMED_REASON = "notebook 01_platform_rules.ipynb missing (found: my_assignment.ipynb)"
CRASHED_REASON = "kernel died: the process exited with status 3"
DUE = "2026-11-01 00:00:00 UTC"
ON_TIME, LATE = "2026-10-31 09:30:00.000000 UTC", "2026-11-02 09:30:00.000000 UTC"


def wrong(root):
    nb = submissions.correct(root)
    for grade_id in ("flag_suspicious", "precision_recall"):
        (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
        cell.source = WRONG_ANSWERS[grade_id].strip("\n")
    return nb


def borderdesk(root, db_url, *args):
    """The real CLI on the throwaway course, with the gradebook chosen by BORDERDESK_DB_URL."""
    result = subprocess.run(
        [sys.executable, "-m", "borderdesk.cli", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "BORDERDESK_DB_URL": db_url},
        timeout=900,
    )
    assert result.returncode == 0, (
        f"borderdesk {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def build(dest, db_url):
    require_program("bwrap")  # borderdesk grade's sandbox
    root = copy_course(dest, "solutions", "exercises")
    (root / "data").symlink_to(REPO / "data", target_is_directory=True)
    borderdesk(root, db_url, "release", ASSIGNMENT)  # records the tests in the gradebook
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=DUE)

    for student, case in (
        ("solution", "correct"),
        ("blank", "blank"),
        ("crashed", "os_exit"),
        ("renamed", "missing_notebook"),
    ):
        submissions.write(root, student, case)
    folder = submissions.folder(root, "wrong")
    folder.mkdir(parents=True)
    nbformat.write(wrong(root), folder / f"{NOTEBOOK}.ipynb")
    students = sorted(p.name for p in (root / "autograder" / "submitted").iterdir())
    for student in students:
        folder = submissions.folder(root, student)
        (folder / "timestamp.txt").write_text(LATE if student == "renamed" else ON_TIME)
        (folder / "submission_secret.txt").write_text(secrets.token_hex(64))
    graded = borderdesk(root, db_url, "grade", ASSIGNMENT, "--workers", "2", "--timeout", "60", "--budget", "300")
    # Say so at once if grading itself went wrong, rather than through a puzzling CSV later.
    expected = {
        "solution": "graded",
        "blank": "graded",
        "wrong": "graded",
        "crashed": "ungradable",
        "renamed": "ungradable",
    }
    got = {o.student: (o.status, o.reason) for o in outcome_store.load(db_url, ASSIGNMENT)}
    assert {s: got.get(s, ("missing", ""))[0] for s in expected} == expected, (
        f"borderdesk grade did not grade the test class as expected: {got}\n{graded.stdout[-2000:]}"
    )
    return {"root": root, "db_url": db_url, "grade_output": graded.stdout, "students": students}
