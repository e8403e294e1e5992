"""A small graded class of assignment 01, for the feedback, export and report tests.

``build(dest, db_url)`` makes a throwaway course, releases assignment 01 into the given
gradebook (SQLite or PostgreSQL), puts in one submission per kind of learner as
``nbgrader collect`` leaves them (notebook, timestamp.txt, submission_secret.txt), grades
them all with one plain ``nbgrader autograde`` and records each one's outcome the way
``borderdesk grade`` does. Expected results, per student:

* ``solution``: every point; ``blank``: the release, unanswered, 0 but graded;
* ``wrong``: loses test_flag_suspicious through a visible test's message, and
  test_precision_recall through a hidden test only (every visible test of it passes);
* ``renamed``: the notebook under another name, so it could not be graded (nbgrader
  itself stops with an error on it, so autograde leaves it out); late too.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import datetime, timezone

import nbformat

from borderdesk.grading import status

from assignment_01_wrong_answers import WRONG_ANSWERS
from conftest import REPO, copy_course

ASSIGNMENT = NOTEBOOK = "01_platform_rules"
SOURCE = REPO / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
RELEASE = REPO / "exercises" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
RENAMED_REASON = f"notebook {NOTEBOOK}.ipynb missing (found: my_answers.ipynb)"
SUBMITTED_AT = "2026-11-02 09:30:00.000000 UTC"


def with_answers(*grade_ids: str):
    nb = nbformat.read(SOURCE, as_version=4)
    for grade_id in grade_ids:
        (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
        cell.source = WRONG_ANSWERS[grade_id].strip("\n")
    return nb


def nbgrader(root, db_url, *args):
    """Plain nbgrader on the throwaway course, with the gradebook chosen by BORDERDESK_DB_URL."""
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root / "autograder",
                            capture_output=True, text=True, env={**os.environ, "BORDERDESK_DB_URL": db_url})
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result


def build(dest, db_url):
    root = copy_course(dest, "solutions")
    (root / "data").symlink_to(REPO / "data", target_is_directory=True)
    nbgrader(root, db_url, "generate_assignment", ASSIGNMENT, "--force")
    submissions = {
        "solution": (NOTEBOOK, nbformat.read(SOURCE, as_version=4)),
        "blank": (NOTEBOOK, nbformat.read(RELEASE, as_version=4)),
        "wrong": (NOTEBOOK, with_answers("flag_suspicious", "precision_recall")),
        "renamed": ("my_answers", nbformat.read(SOURCE, as_version=4)),
    }
    for student, (name, nb) in submissions.items():
        folder = root / "autograder" / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{name}.ipynb")
        (folder / "timestamp.txt").write_text(SUBMITTED_AT)
        (folder / "submission_secret.txt").write_text(secrets.token_hex(64))
    log = nbgrader(root, db_url, "autograde", ASSIGNMENT,
                   "--CourseDirectory.student_id_exclude=renamed").stderr

    # What `borderdesk grade` records beside nbgrader's scores. `blank` gets no
    # record, as after a plain `nbgrader autograde`: export must fall back on nbgrader.
    now = datetime.now(timezone.utc)
    for student, score in (("solution", 18.0), ("wrong", 14.0)):
        status.record(db_url, status.Outcome(ASSIGNMENT, student, status.GRADED, score=score,
                                             max_score=24.0, graded_at=now))
    status.record(db_url, status.Outcome(ASSIGNMENT, "renamed", status.UNGRADABLE, reason=RENAMED_REASON,
                                         late=True, max_score=24.0, graded_at=now))
    return {"root": root, "db_url": db_url, "log": log, "students": sorted(submissions)}
