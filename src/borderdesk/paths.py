"""Where the course lives on disk.

The course root is the folder that holds ``autograder/nbgrader_config.py``; the
nbgrader config computes the same root from its own location, so the CLI, the
notebooks and plain ``nbgrader`` commands always agree on it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import BorderDeskError

MARKER = Path("autograder") / "nbgrader_config.py"


class CourseNotFound(BorderDeskError):
    """No course folder can be found."""


def course_root() -> Path:
    """Return the course root.

    Looked up in this order: the ``BORDERDESK_ROOT`` environment variable, the
    current folder and its parents, then the checkout this package was installed
    from (``pip install -e .``).
    """
    env = os.environ.get("BORDERDESK_ROOT")
    if env:
        root = Path(env).expanduser().resolve()
        if not (root / MARKER).is_file():
            raise CourseNotFound(
                f"BORDERDESK_ROOT={env} has no {MARKER}; point it at the folder "
                "that holds course/, solutions/ and autograder/"
            )
        return root
    cwd = Path.cwd().resolve()
    for candidate in (cwd, *cwd.parents, Path(__file__).resolve().parents[2]):
        if (candidate / MARKER).is_file():
            return candidate
    raise CourseNotFound(
        "no BorderDesk course folder found: run this from inside the course "
        "checkout (the folder with course/ and autograder/), or set BORDERDESK_ROOT"
    )


def data_dir() -> Path:
    return course_root() / "data"


def course_dir() -> Path:
    return course_root() / "course"


def drills_dir() -> Path:
    return course_dir() / "drills"
