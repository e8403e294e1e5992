"""exercises/ is exactly what nbgrader generates from solutions/."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
from conftest import REPO


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
