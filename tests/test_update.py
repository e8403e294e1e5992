"""`borderdesk update` on real git repositories: a course update never fails or loses a learner's work.

Each test builds, in a tmp folder, the course's repository (bare, as on a git host), a
trainer's clone that pushes an update, and a learner's clone where the learner edited
and saved a lesson (outputs included, as JupyterLab writes them).
"""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest
from conftest import copy_course

LESSON = "course/00_start_here.ipynb"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,  # the tester's own git config plays no part
}


def git(cwd, *args, check=True):
    return subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=check
    )


def borderdesk(root, *args):
    env = {**os.environ, **GIT_ENV, "BORDERDESK_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "borderdesk.cli", *args], cwd=root, env=env, capture_output=True, text=True
    )


@pytest.fixture
def repos(tmp_path):
    """(trainer clone, learner clone) of one course repository, both at its first commit."""
    course = copy_course(tmp_path / "course", "course")
    git(course, "init", "-q", "-b", "main")
    git(course, "add", ".")
    git(course, "commit", "-q", "-m", "course")
    git(tmp_path, "clone", "-q", "--bare", str(course), "origin.git")
    git(tmp_path, "clone", "-q", "origin.git", "trainer")
    git(tmp_path, "clone", "-q", "origin.git", "learner")
    return tmp_path / "trainer", tmp_path / "learner"


def cells(root):
    return nbformat.read(root / LESSON, as_version=4).cells


def trainer_changes(trainer, index, text):
    """The trainer rewrites markdown cell ``index`` of the lesson and pushes."""
    notebook = nbformat.read(trainer / LESSON, as_version=4)
    assert notebook.cells[index].cell_type == "markdown"
    notebook.cells[index].source = text
    nbformat.write(notebook, trainer / LESSON)
    git(trainer, "commit", "-q", "-am", "lesson 00: clearer wording")
    git(trainer, "push", "-q", "origin", "main")


def learner_works(learner, markdown_index=None):
    """The learner edits a code cell, runs it and saves (outputs and counts in the file)."""
    notebook = nbformat.read(learner / LESSON, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    code[-1].source += "\nprint('my own line')"
    code[-1].execution_count = 7
    code[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="my own line\n")]
    if markdown_index is not None:
        notebook.cells[markdown_index].source = "My own notes on this section."
    nbformat.write(notebook, learner / LESSON)
    return code[-1].source


def test_update_merges_the_course_and_keeps_the_learners_saved_lesson(repos):
    trainer, learner = repos
    trainer_changes(trainer, 0, "# Start here (updated by the trainer)")
    mine = learner_works(learner)
    # What the learner would otherwise run: git refuses, the update does not arrive.
    git(learner, "fetch", "-q")
    pulled = git(learner, "pull", "-q", "--no-rebase", check=False)
    assert pulled.returncode != 0 and "would be overwritten" in pulled.stderr

    done = borderdesk(learner, "update")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "your changes are kept" in done.stdout
    lesson = cells(learner)
    assert lesson[0].source == "# Start here (updated by the trainer)"  # the course's change arrived
    last = [c for c in lesson if c.cell_type == "code"][-1]
    assert last.source == mine and last.execution_count == 7  # the learner's edit and run survived
    assert last.outputs[0]["text"] == "my own line\n"
    nbformat.validate(nbformat.read(learner / LESSON, as_version=4))
    assert git(learner, "status", "--porcelain").stdout == ""  # nothing left half-merged


def test_update_keeps_the_learners_version_where_both_changed_the_same_cell(repos):
    trainer, learner = repos
    trainer_changes(trainer, 0, "# Start here (updated by the trainer)")
    learner_works(learner, markdown_index=0)
    done = borderdesk(learner, "update")
    assert done.returncode == 0, done.stdout + done.stderr
    assert cells(learner)[0].source == "My own notes on this section."
    nbformat.validate(nbformat.read(learner / LESSON, as_version=4))
    # The update itself is in the learner's history, so the next update starts from it.
    assert git(learner, "merge-base", "--is-ancestor", "origin/main", "HEAD", check=False).returncode == 0


def test_update_restores_a_deleted_lesson_and_is_quiet_when_nothing_changed(repos):
    _, learner = repos
    (learner / LESSON).unlink()
    done = borderdesk(learner, "update")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (learner / LESSON).is_file()
    assert borderdesk(learner, "update").returncode == 0


def test_update_outside_a_clone_says_what_to_do(tmp_path):
    root = copy_course(tmp_path / "course", "course")
    done = borderdesk(root, "update")
    assert done.returncode == 2
    assert "is not a git clone" in done.stderr and "git clone" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_notebook_the_merge_broke_keeps_the_learners_version(repos, monkeypatch):
    """The safety net: were a merged notebook no longer valid, the learner's own version is put back."""
    from borderdesk import update

    trainer, learner = repos
    trainer_changes(trainer, 0, "# Start here (updated by the trainer)")
    mine = learner_works(learner)
    monkeypatch.setattr(update, "_broken_notebooks", lambda root, paths: [p for p in paths if p == LESSON])
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    kept = update.update(learner, log=lambda line: None)
    assert kept == [LESSON]
    lesson = cells(learner)
    assert lesson[0].source != "# Start here (updated by the trainer)"  # the learner's copy, whole
    assert [c for c in lesson if c.cell_type == "code"][-1].source == mine
    assert git(learner, "status", "--porcelain").stdout == ""  # committed, so the next update merges cleanly


def test_update_from_a_branch_the_course_does_not_have_says_what_to_do(repos):
    _, learner = repos
    git(learner, "switch", "-q", "-c", "my-notes")
    done = borderdesk(learner, "update")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "has no branch 'my-notes'" in done.stderr and "git switch main" in done.stderr
