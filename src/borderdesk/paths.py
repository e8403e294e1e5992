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


# The checkout an editable install (``pip install -e .``) points at: the last resort of course_root().
INSTALLED_FROM = Path(__file__).resolve().parents[2]


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
    for candidate in (cwd, *cwd.parents, INSTALLED_FROM):
        if (candidate / MARKER).is_file():
            return candidate
    raise CourseNotFound(
        "no BorderDesk course folder found: run this from inside the course "
        "checkout (the folder with course/ and autograder/), or set BORDERDESK_ROOT"
    )


def used_from_install() -> Path | None:
    """The course root when course_root() falls back to the installed checkout, else None.

    Neither BORDERDESK_ROOT nor the current folder chose it, so the CLI says which course it uses.
    """
    if os.environ.get("BORDERDESK_ROOT"):
        return None
    try:
        root = course_root()
    except CourseNotFound:
        return None
    cwd = Path.cwd().resolve()
    return None if root == cwd or root in cwd.parents else root


def data_dir() -> Path:
    return course_root() / "data"


def course_dir() -> Path:
    return course_root() / "course"


def drills_dir() -> Path:
    return course_dir() / "drills"
