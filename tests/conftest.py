"""Shared fixtures: the repository, its notebooks, and throwaway course copies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

# Fixtures that start servers live beside their helpers; registered here, every test can ask for them.
pytest_plugins = (
    "hub_fixture",  # hub: a real JupyterHub (module-scoped)
    "postgres",  # postgres_server, postgres_db: a throwaway PostgreSQL
)

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_FOLDERS = ("course", "solutions", "exercises")


def repo_notebooks() -> list[Path]:
    return sorted(
        nb
        for folder in NOTEBOOK_FOLDERS
        for nb in (REPO / folder).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in nb.parts
    )


def copy_course(dest: Path, *folders: str) -> Path:
    """A minimal course at ``dest``: the nbgrader config, the chapter manifest plus the given folders.

    The config computes the course root from its own location, so nbgrader run
    on the copy never touches the repository's gradebook or exercises.
    """
    (dest / "autograder").mkdir(parents=True)
    shutil.copy(REPO / "autograder" / "nbgrader_config.py", dest / "autograder")
    for folder in folders:
        shutil.copytree(REPO / folder, dest / folder)
    if not (dest / "course" / "chapters.yaml").exists():  # release and progress read the manifest
        (dest / "course").mkdir(exist_ok=True)
        shutil.copy(REPO / "course" / "chapters.yaml", dest / "course")
    return dest


def set_chapter(root: Path, slug: str, **fields) -> None:
    """Rewrite one chapter of a copied course's manifest, e.g. ``status="coming"`` (which drops its files)
    or ``status="ready", lesson=[...], minutes=60``: tests of "a coming chapter" then keep working as chapters land."""
    manifest = root / "course" / "chapters.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    (entry,) = [c for c in data["chapters"] if c["slug"] == slug]
    if fields.get("status") == "coming":
        for key in ("lesson", "drills", "assignment", "datasets", "minutes"):
            entry.pop(key, None)
    entry.update(fields)
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def course_copy(tmp_path):
    """Factory: ``course_copy("solutions", "data")`` -> root of a fresh copy."""
    return lambda *folders: copy_course(tmp_path / "course", *folders)


@pytest.fixture(autouse=True, scope="session")
def _progress_store(tmp_path_factory):
    """Drill checks record progress; keep the tests' records out of the tester's data folder."""
    os.environ.setdefault("BORDERDESK_PROGRESS_DIR", str(tmp_path_factory.mktemp("progress")))


def pytest_collection_modifyitems(items):
    """Group tests for xdist's ``--dist loadgroup`` (pyproject addopts).

    A test file stays on one worker, so its module-scoped hub, server or graded class is built
    once; the shared assignment suite is split by assignment, so each assignment's class is
    graded once, on its own worker, beside the others.
    """
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        group = item.path.name
        params = getattr(item, "callspec", None)
        if params is not None and "assignment" in params.params:
            group += f"::{params.params['assignment']}"
        item.add_marker(pytest.mark.xdist_group(group))
