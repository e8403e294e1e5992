"""`borderdesk publish`: a class pulls the learner edition, and it holds no solution or hidden-test text.

Each test builds, in a tmp folder, a course repository from the committed parts of this
checkout (solutions/ and the assignment suites included, as on the trainer's side),
publishes it, and pulls the branch ``learner`` into a learner's home with nbgitpuller's
own GitPuller, as the hub's git-pull link does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, copy_course

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Trainer",
    "GIT_AUTHOR_EMAIL": "trainer@example.org",
    "GIT_COMMITTER_NAME": "Trainer",
    "GIT_COMMITTER_EMAIL": "trainer@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
LESSON = "course/00_start_here.ipynb"


def git(cwd, *args):
    return subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True
    ).stdout.strip()


def borderdesk(root, *args, cwd=None, pythonpath=None):
    env = {**os.environ, **GIT_ENV, "BORDERDESK_ROOT": str(root)}
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "borderdesk.cli", *args], cwd=cwd or root, env=env, capture_output=True, text=True
    )


def pull(origin: Path, home: Path) -> Path:
    """nbgitpuller's pull of the learner branch into ~/borderdesk, as the hub link does."""
    from nbgitpuller.pull import GitPuller

    home.mkdir(exist_ok=True)
    target = home / "borderdesk"
    for _ in GitPuller(str(origin), str(target), branch="learner").pull():
        pass
    return target


@pytest.fixture
def course(tmp_path):
    """The trainer's course repository: what this checkout commits, minus bulky parts the test does not need."""
    root = copy_course(tmp_path / "course", "course", "exercises", "solutions", "data", "src", "jupyter-config")
    for name in ("pyproject.toml", "README.md", "nbgrader_config.py", "autograder/README.md"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "tests" / "assignments", root / "tests" / "assignments")
    shutil.copy(REPO / "tests" / "submissions.py", root / "tests")
    for cache in root.rglob("__pycache__"):
        shutil.rmtree(cache)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "course")
    return root


def answer_lines() -> set[str]:
    """Distinctive lines of the solutions and hidden tests: in a marked block, and nowhere a learner may see.

    A line the lessons, the released exercises or the package also hold (``import pandas as pd``,
    a model reply the lesson shows) is public by design, so it does not count.
    """
    lines = set()
    for notebook in (REPO / "solutions").glob("*/*.ipynb"):
        for cell in nbformat.read(notebook, as_version=4).cells:
            for block in re.findall(
                r"BEGIN (?:SOLUTION|HIDDEN TESTS)(.*?)END (?:SOLUTION|HIDDEN TESTS)", cell.source, re.S
            ):
                lines.update(line.strip() for line in block.splitlines() if len(line.strip()) >= 20)
    public = "\n".join(
        path.read_text(errors="ignore")
        for folder in ("course", "exercises", "src/borderdesk/cases", "data")
        for path in (REPO / folder).rglob("*")
        if path.is_file()
    )
    return {line for line in lines if line not in public}


def leaks(home: Path) -> list[str]:
    """Every solution or hidden-test trace in the files of ``home`` (outside .git)."""
    distinctive = answer_lines()
    assert len(distinctive) > 50, "the solutions should have many distinctive answer lines to look for"
    found = []
    for path in home.rglob("*"):
        if not path.is_file() or ".git" in path.relative_to(home).parts:
            continue
        text = path.read_text(errors="ignore")
        found += [f"{path.relative_to(home)}: {marker}" for marker in MARKERS if marker in text]
        found += [f"{path.relative_to(home)}: {line!r}" for line in distinctive if line in text]
    return found


def test_a_learner_home_holds_no_solution_or_hidden_test_text(course, tmp_path):
    done = borderdesk(course, "publish")
    assert done.returncode == 0, done.stderr
    assert "published the learner edition" in done.stdout
    git(tmp_path, "clone", "-q", "--bare", str(course), "origin.git")
    home = pull(tmp_path / "origin.git", tmp_path / "home")

    assert leaks(course), "the check must see the solutions in the trainer's own repository"
    assert leaks(home) == []
    for gone in ("solutions", "tests", "autograder/README.md", "src/borderdesk/grading"):
        assert not (home / gone).exists(), gone
    for kept in (LESSON, "exercises/01_platform_rules/01_platform_rules.ipynb", "data/README.md", "course/drills"):
        assert (home / kept).exists(), kept


def test_the_learner_edition_runs_the_lessons_and_the_learner_commands(course, tmp_path):
    assert borderdesk(course, "publish").returncode == 0
    home = pull(course, tmp_path / "home")
    # What `pip install -e .` installs is there: the package and every data file pyproject names.
    pyproject = tomllib.loads((home / "pyproject.toml").read_text())
    for files in pyproject["tool"]["setuptools"]["data-files"].values():
        assert all((home / f).is_file() for f in files), files
    # The learner's own package (not this checkout's) answers, without the grading commands.
    helped = borderdesk(home, "--help", pythonpath=home / "src")
    assert helped.returncode == 0, helped.stderr
    commands = set(re.findall(r"^    (\S+)(?:  |$)", helped.stdout, re.M))
    assert {"lab", "progress", "check-reply", "update"} <= commands, helped.stdout
    assert not commands & {"grade", "feedback", "export", "precheck"}, helped.stdout
    assert borderdesk(home, "progress", pythonpath=home / "src").returncode == 0
    which = subprocess.run(
        [sys.executable, "-c", "import borderdesk; print(borderdesk.__file__)"],
        env={**os.environ, "PYTHONPATH": str(home / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(which.stdout.strip()).is_relative_to(home)
    # Chapter 00 runs headless from the learner's home with the learner's package.
    from nbclient import NotebookClient

    notebook = nbformat.read(home / LESSON, as_version=4)
    env = {**os.environ, "PYTHONPATH": str(home / "src"), "BORDERDESK_ROOT": str(home)}
    client = NotebookClient(notebook, timeout=60, resources={"metadata": {"path": str(home / "course")}})
    old = dict(os.environ)
    os.environ.update(env)  # the kernel inherits this environment
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)


def test_republishing_is_deterministic_and_merges_into_a_learners_home(course, tmp_path):
    first = borderdesk(course, "publish")
    tip = git(course, "rev-parse", "learner")
    again = borderdesk(course, "publish")
    assert "unchanged" in again.stdout and git(course, "rev-parse", "learner") == tip
    # The same course commit gives the same learner commit in another clone.
    git(tmp_path, "clone", "-q", str(course), "other")
    assert borderdesk(tmp_path / "other", "publish").returncode == 0
    assert git(tmp_path / "other", "rev-parse", "learner") == tip, first.stdout

    git(tmp_path, "clone", "-q", "--bare", str(course), "origin.git")
    origin = tmp_path / "origin.git"
    home = pull(origin, tmp_path / "home")
    # The learner writes an answer in the lesson; the trainer fixes the lesson and a solution.
    mine = nbformat.read(home / LESSON, as_version=4)
    mine.cells.append(nbformat.v4.new_markdown_cell("my notes: ask for the order number first"))
    nbformat.write(mine, home / LESSON)
    theirs = nbformat.read(course / LESSON, as_version=4)
    theirs.cells[0].source += "\n\nUpdated for the new term."
    nbformat.write(theirs, course / LESSON)
    solution = next((course / "solutions").glob("*/*.ipynb"))
    solution.write_text(solution.read_text() + "\n")
    git(course, "commit", "-qam", "term update")
    assert "published" in borderdesk(course, "publish").stdout
    git(course, "push", "-q", str(origin), "learner")
    assert git(course, "rev-list", "--count", "learner") == "2"  # a child of the first edition

    pull(origin, tmp_path / "home")
    sources = [cell.source for cell in nbformat.read(home / LESSON, as_version=4).cells]
    assert "my notes: ask for the order number first" in sources
    assert any("Updated for the new term." in s for s in sources)
    assert leaks(home) == []

    # A commit that changes only the solutions changes nothing a learner sees: no new edition.
    solution.write_text(solution.read_text() + "\n")
    git(course, "commit", "-qam", "solutions only")
    assert "unchanged" in borderdesk(course, "publish").stdout
    assert git(course, "rev-list", "--count", "learner") == "2"


def test_publish_refuses_a_commit_that_does_not_exist(course):
    done = borderdesk(course, "publish", "--source", "no-such-commit")
    assert done.returncode == 2
    assert "borderdesk: error:" in done.stderr and "no-such-commit" in done.stderr


def contents(config) -> set[str]:
    """The names the file browser lists at the top of this checkout, under Jupyter ``config``."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    manager = FileContentsManager(root_dir=str(REPO), config=config)
    return {entry["name"] for entry in manager.get("", content=True)["content"]}


def test_borderdesk_lab_hides_solutions_unless_self_study():
    import argparse
    import json

    from jupyter_server.serverapp import ServerApp
    from traitlets.config import Config

    from borderdesk.lab import config_dirs, lab_argv

    learner = Config(json.loads((REPO / "jupyter-config" / "learner" / "jupyter_server_config.json").read_text()))
    assert REPO / "jupyter-config" / "learner" in config_dirs(REPO)
    shown = contents(learner)
    assert "course" in shown and "exercises" in shown and "solutions" not in shown

    def command_line(**flags):
        args = argparse.Namespace(
            **{"no_browser": True, "port": None, "instructor": False, "self_study": False, **flags}
        )
        app = ServerApp()
        app.parse_command_line([a for a in lab_argv(REPO, args) if a.startswith("--") and "=" in a])
        merged = Config(learner)
        merged.merge(app.config)  # the command line wins over the config files, as in JupyterLab
        return merged

    assert "solutions" not in contents(command_line())
    assert "solutions" in contents(command_line(self_study=True))
    assert "__pycache__" not in contents(command_line(self_study=True))  # jupyter_server's own globs stay
    assert REPO / "jupyter-config" / "learner" not in config_dirs(REPO, instructor=True)
