"""Generate the student versions in exercises/ from the sources in solutions/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import BorderDeskError
from ..paths import MARKER, course_root


def assignments(root: Path | None = None) -> list[str]:
    """The manifest's assignments (course/chapters.yaml), in chapter order.

    Raises BorderDeskError when solutions/ and the manifest disagree: a manifest
    assignment without its notebook, or an assignment folder no chapter names.
    """
    from .. import chapters

    root = root or course_root()
    listed = chapters.assignments(root)
    solutions = root / "solutions"
    present = (
        {p.name for p in solutions.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))} if solutions.is_dir() else set()
    )
    missing = [name for name in listed if name not in present]
    if missing:
        raise BorderDeskError(
            "; ".join(
                f"{chapters.MANIFEST} lists assignment {name} but solutions/{name}/ has no notebook; "
                f"write solutions/{name}/{name}.ipynb, or set `assignment: null` for that chapter"
                for name in missing
            )
        )
    unlisted = sorted(present - set(listed))
    if unlisted:
        raise BorderDeskError(
            "; ".join(
                f"solutions/{name}/ is not the assignment of a ready chapter in {chapters.MANIFEST}; "
                f"set `assignment: {name}` on its chapter (status: ready), or remove the folder"
                for name in unlisted
            )
        )
    return listed


def nbgrader(*args: str, root: Path | None = None) -> subprocess.CompletedProcess:
    """Run an nbgrader command on the course, always with our config.

    nbgrader reads nbgrader_config.py from the current folder; without it, it
    falls back to source/ and release/ and silently finds nothing.
    """
    autograder = (root or course_root()) / MARKER.parent
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=autograder,
        capture_output=True,
        text=True,
    )


def run_nbgrader(*args: str, root: Path | None = None) -> str:
    """``nbgrader(*args)``, raising BorderDeskError with the end of its log when it fails."""
    result = nbgrader(*args, root=root)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:]) or "no output"
        raise BorderDeskError(f"nbgrader {' '.join(args[:2])} failed:\n{tail}")
    return result.stderr


def release(name: str | None = None, root: Path | None = None) -> list[str]:
    """Regenerate exercises/<name>/ (or every assignment) and return the names done."""
    root = root or course_root()
    from ..chapters import known_assignment

    known = assignments(root)
    if name is not None:
        known_assignment(name, root)
    names = [name] if name else known
    for each in names:
        run_nbgrader("generate_assignment", each, "--force", root=root)
    return names
