"""exercises/ is exactly what nbgrader generates from solutions/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import REPO, set_chapter


def test_release_reproduces_committed_exercises(course_copy):
    root = course_copy("solutions")
    result = subprocess.run(
        [sys.executable, "-m", "borderdesk.cli", "release"],
        env={**os.environ, "BORDERDESK_ROOT": str(root)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    generated = sorted(p.relative_to(root) for p in (root / "exercises").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(REPO) for p in (REPO / "exercises").rglob("*") if p.is_file())
    assert generated == committed, "exercises/ holds other files than a fresh release"
    for rel in committed:
        if rel.suffix == ".ipynb":
            fresh = nbformat.read(root / rel, as_version=4)
            assert fresh == nbformat.read(REPO / rel, as_version=4), (
                f"{rel} differs from a fresh release: run `borderdesk release` and commit exercises/"
            )
        else:
            assert (root / rel).read_bytes() == (REPO / rel).read_bytes(), f"{rel} differs"


def _release_error(root) -> str:
    from borderdesk.errors import BorderDeskError
    from borderdesk.grading.release import release

    with pytest.raises(BorderDeskError) as err:
        release(root=root)
    return str(err.value)


def test_release_lists_the_manifests_assignments(course_copy):
    from borderdesk.grading.release import assignments

    assert assignments(course_copy("solutions")) == [
        "01_platform_rules",
        "02_language",
        "03_cross_cultural",
        "04_complaints",
        "05_data_driven",
    ]


def test_an_assignment_folder_missing_from_the_manifest_is_an_error(course_copy):
    root = course_copy("solutions")
    set_chapter(root, "03_cross_cultural", status="coming")  # its folder stays: no ready chapter names it
    shutil.rmtree(root / "solutions" / "03_cross_cultural")
    shutil.copytree(root / "solutions" / "01_platform_rules", root / "solutions" / "03_cross_cultural")
    assert _release_error(root) == (
        "solutions/03_cross_cultural/ is not the assignment of a ready chapter in course/chapters.yaml; "
        "set `assignment: 03_cross_cultural` on its chapter (status: ready), or remove the folder"
    )


def test_a_manifest_assignment_without_its_folder_is_an_error(course_copy):
    root = course_copy("solutions")
    shutil.rmtree(root / "solutions" / "01_platform_rules")
    assert _release_error(root) == (
        "course/chapters.yaml lists assignment 01_platform_rules but solutions/01_platform_rules/ has no notebook; "
        "write solutions/01_platform_rules/01_platform_rules.ipynb, or set `assignment: null` for that chapter"
    )
