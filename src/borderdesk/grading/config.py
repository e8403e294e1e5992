"""The one home for "which nbgrader config and which gradebook".

Everything that talks to the gradebook (grade, feedback, export, report) asks here,
so an instructor who sets ``BORDERDESK_DB_URL`` (e.g. a shared PostgreSQL) changes
it for every command at once.
"""

from __future__ import annotations

from pathlib import Path

from ..paths import MARKER, course_root


def config_file(root: Path | None = None) -> Path:
    return (root or course_root()) / MARKER


def load(root: Path | None = None):
    """The course's nbgrader configuration as a traitlets ``Config``.

    Loaded with traitlets' own ``PyFileConfigLoader``, exactly as nbgrader loads
    it, so the values (paths, db_url, preprocessors) are the ones nbgrader uses.
    """
    from traitlets.config.loader import PyFileConfigLoader

    path = config_file(root)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def db_url(root: Path | None = None) -> str:
    """The gradebook's SQLAlchemy URL (``BORDERDESK_DB_URL`` or autograder/gradebook.db)."""
    return str(load(root).CourseDirectory.db_url)


def safe_url(db_url: str) -> str:
    """The URL without a password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(db_url).render_as_string(hide_password=True)
