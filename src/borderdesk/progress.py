"""Learner progress: drill attempts and Validate results, per user, in a small local store.

The store is one SQLite file in the user's data folder (platformdirs' user data dir,
e.g. ``~/.local/share/borderdesk/progress.sqlite3`` on Linux), never inside the
course folder: nbgitpuller pulls into that folder, and a learner's record must not
collide with it. ``BORDERDESK_PROGRESS_DIR`` moves it (tests, unusual set-ups).
SQLite because it is in the standard library and locks properly when two kernels of
the same learner record at once. Keep it on local or block storage (a home PVC, a
local disk): SQLite's locking is unreliable on NFS.

What is recorded:

* every checked drill answer (blank checks are not attempts): user, chapter, drill,
  right or not, whether it was the learner's first attempt at that drill, hints seen;
* every press of nbgrader's *Validate* button on an assignment notebook (through the
  server extension :mod:`borderdesk.validate_hook`): assignment, notebook, passed or
  not, how many test cells failed.

Recording never breaks a drill: if the store cannot be written (read-only home) or
read (corrupt file) the learner gets ONE warning per session saying why and how to
fix it, and the drill goes on working.

``borderdesk progress`` prints the table per chapter; ``show()`` in a notebook prints
it and draws the chart (course/00_start_here.ipynb).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import warnings
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ENV_DIR = "BORDERDESK_PROGRESS_DIR"
FILE_NAME = "progress.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS drill_attempts (
    user TEXT NOT NULL, chapter TEXT NOT NULL, drill TEXT NOT NULL,
    correct INTEGER NOT NULL, first_try INTEGER NOT NULL, hints_seen INTEGER NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS validations (
    user TEXT NOT NULL, assignment TEXT NOT NULL, notebook TEXT NOT NULL,
    passed INTEGER NOT NULL, failed_cells INTEGER NOT NULL, at TEXT NOT NULL
);
"""


class ProgressWarning(UserWarning):
    """The progress store cannot be used; the course still works."""


def store_path() -> Path:
    """The learner's store: ``$BORDERDESK_PROGRESS_DIR/progress.sqlite3`` or the data dir."""
    folder = os.environ.get(ENV_DIR)
    if folder:
        return Path(folder).expanduser() / FILE_NAME
    from platformdirs import user_data_path

    return user_data_path("borderdesk", appauthor=False) / FILE_NAME


def current_user() -> str:
    """The hub user when on JupyterHub (several may share one OS account), else the OS user."""
    if os.environ.get("JUPYTERHUB_USER"):
        return os.environ["JUPYTERHUB_USER"]
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container uid without a passwd entry or login variables
        return f"uid-{os.getuid()}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _connect(path: Path) -> sqlite3.Connection:
    """Open for writing, creating the folder, file and tables as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=5)
    conn.executescript(SCHEMA)  # also the first read: a file that is not SQLite fails here
    return conn


# One warning per store file per process, so a broken store does not nag at every check.
_warned: set[str] = set()


def _problem(path: Path, err: Exception) -> str:
    """What is wrong with the store and how to fix it."""
    text = str(err).lower()
    if isinstance(err, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return f"{path} is damaged ({err}); to start a fresh record, move that file away (your old record stays in it)"
    if "locked" in text:
        return (
            f"{path} stayed locked for 5 s ({err}); another program is writing to it. "
            "Close other notebooks that record progress, or restart this kernel"
        )
    return f"cannot use {path} ({err}); make that folder writable, or set {ENV_DIR} to a writable folder"


def _warn_once(path: Path, err: Exception) -> str | None:
    """Warn (once per store) and return the message; None if already warned."""
    if str(path) in _warned:
        return None
    _warned.add(str(path))
    message = f"Your progress is not being recorded: {_problem(path, err)}. The drills still work."
    warnings.warn(message, ProgressWarning, stacklevel=3)
    return message


def _write(sql: str, params: tuple) -> str | None:
    """Run one insert; on failure warn once. Returns the warning text shown now, if any."""
    path = store_path()
    try:
        with closing(_connect(path)) as conn, conn:
            conn.execute(sql, params)
    except (OSError, sqlite3.Error) as err:
        return _warn_once(path, err)
    return None


# ---------------------------------------------------------------------------- record
def record_drill(drill: Any, result: Any) -> str | None:
    """Record a checked drill answer (``Drill``, ``Result``); blank answers are skipped.

    Never raises: returns a warning text the first time the store cannot be used (so the
    widget can show it), else None.
    """
    if result.state.value == "not_attempted":
        return None
    user = current_user()
    # first_try is decided in the same statement as the insert, so two kernels cannot both
    # claim the first attempt.
    return _write(
        "INSERT INTO drill_attempts (user, chapter, drill, correct, first_try, hints_seen, at) "
        "SELECT ?, ?, ?, ?, NOT EXISTS (SELECT 1 FROM drill_attempts "
        "WHERE user = ? AND chapter = ? AND drill = ?), ?, ?",
        (user, drill.chapter, drill.id, int(result.right), user, drill.chapter, drill.id, drill.hints_shown, _now()),
    )


def validation_passed(outcome: dict) -> tuple[bool, int]:
    """``(passed, failed cells)`` from the JSON nbgrader's Validate handler returns.

    ``{"success": True, "value": {}}`` means every test cell passed; ``failed``,
    ``changed`` (test cells edited) or ``type_changed`` in ``value`` mean it did not;
    ``success: False`` means validation itself broke.
    """
    value = outcome.get("value")
    if not outcome.get("success") or not isinstance(value, dict):
        return False, 0
    failed = len(value.get("failed", []))
    return not any(value.get(key) for key in ("failed", "changed", "type_changed")), failed


def record_validation(notebook: Path, outcome: dict) -> str | None:
    """Record one Validate of ``notebook`` (nbgrader layout: ``<assignment>/<notebook>.ipynb``)."""
    passed, failed = validation_passed(outcome)
    notebook = Path(notebook)
    return _write(
        "INSERT INTO validations (user, assignment, notebook, passed, failed_cells, at) VALUES (?, ?, ?, ?, ?, ?)",
        (current_user(), notebook.parent.name, notebook.name, int(passed), failed, _now()),
    )


# ---------------------------------------------------------------------------- read
@dataclass
class ChapterProgress:
    chapter: str
    drills: int | None  # drills in the chapter's YAML (None: chapter not in this course)
    attempted: int
    done: int  # answered right at least once
    first_try: int  # right at the first attempt
    has_assignment: bool
    validated: bool  # the latest Validate passed every test cell
    last_validate: str  # "" or a short description of the latest Validate

    @property
    def assignment_text(self) -> str:
        if not self.has_assignment:
            return "-"
        return self.last_validate or "not validated yet"


def _rows(sql: str, params: tuple, *, strict: bool) -> list[tuple]:
    """Rows from the store (read-only). An unreadable store warns once and reads as
    empty, or with ``strict`` raises BorderDeskError."""
    path = store_path()
    if not path.exists():
        return []
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)) as conn:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
            if not {"drill_attempts", "validations"} <= tables:
                return []  # created but never written
            return conn.execute(sql, params).fetchall()
    except (OSError, sqlite3.Error) as err:
        if strict:
            from .errors import BorderDeskError

            raise BorderDeskError(f"cannot read your progress: {_problem(path, err)}") from None
        _warn_once(path, err)
        return []


def _course_layout() -> tuple[dict[str, int], set[str]]:
    """Drills per ready chapter of the manifest, in course order, and the course's
    assignment names (both empty when there is no course)."""
    from .chapters import ManifestError, ready_chapters
    from .drills.loader import DrillError, load_chapter
    from .paths import CourseNotFound

    try:
        ready = ready_chapters()
        drills = {c.slug: len(load_chapter(c.slug)) if c.drills else 0 for c in ready}
    except (CourseNotFound, ManifestError, DrillError):
        return {}, set()
    return drills, {c.assignment for c in ready if c.assignment}


def summary(user: str | None = None, *, strict: bool = False) -> list[ChapterProgress]:
    """One row per chapter of the course (and per chapter seen only in the store).

    An unreadable store warns once and counts as empty; ``strict`` raises instead."""
    user = user or current_user()
    chapters, assignments = _course_layout()
    per_drill: dict[str, dict[str, tuple[bool, bool]]] = {}
    for chapter, drill, ever_right, first_right in _rows(
        "SELECT chapter, drill, MAX(correct), MAX(first_try AND correct) FROM drill_attempts "
        "WHERE user = ? GROUP BY chapter, drill",
        (user,),
        strict=strict,
    ):
        per_drill.setdefault(chapter, {})[drill] = (bool(ever_right), bool(first_right))
    latest: dict[str, tuple[bool, int, str]] = {}
    for assignment, passed, failed, at in _rows(
        "SELECT assignment, passed, failed_cells, at FROM validations WHERE user = ? ORDER BY at, rowid",
        (user,),
        strict=strict,
    ):
        latest[assignment] = (bool(passed), failed, at)
    out = []
    # the course's chapters in manifest order, then chapters known only from the store
    for chapter in [*chapters, *sorted(set(per_drill) - set(chapters))]:
        seen = per_drill.get(chapter, {})
        passed, failed, at = latest.get(chapter, (False, 0, ""))
        if not at:
            last = ""
        elif passed:
            last = f"passes Validate ({at[:16].replace('T', ' ')} UTC)"
        else:
            what = f"{failed} test cell{'s' if failed != 1 else ''} failing" if failed else "not passing yet"
            last = f"last Validate: {what}"
        out.append(
            ChapterProgress(
                chapter=chapter,
                drills=chapters.get(chapter),
                attempted=len(seen),
                done=sum(right for right, _ in seen.values()),
                first_try=sum(first for _, first in seen.values()),
                has_assignment=chapter in assignments or chapter in latest,
                validated=passed,
                last_validate=last,
            )
        )
    return out


def table(rows: list[ChapterProgress]) -> str:
    """The plain-text table ``borderdesk progress`` prints."""
    header = ("chapter", "drills done", "right at the first try", "assignment")
    lines = [header]
    for r in rows:
        total = "?" if r.drills is None else str(r.drills)
        lines.append((r.chapter, f"{r.done} of {total}", f"{r.first_try} of {total}", r.assignment_text))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)


def chart(rows: list[ChapterProgress]):
    """A matplotlib figure: per chapter, % of drills done, % right first try, assignment validated."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 1.4 + 0.8 * max(len(rows), 1)))
    labels = [r.chapter for r in rows]
    bars = {
        "drills done": [100 * r.done / r.drills if r.drills else 0 for r in rows],
        "right at the first try": [100 * r.first_try / r.drills if r.drills else 0 for r in rows],
        "assignment passes Validate": [100 if r.validated else 0 for r in rows],
    }
    height = 0.25
    for k, ((name, values), colour) in enumerate(zip(bars.items(), ("#1f5f99", "#7fb3d5", "#27ae60"), strict=True)):
        positions = [i + (k - 1) * height for i in range(len(rows))]
        ax.barh(positions, values, height=height, label=name, color=colour)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the chapter")
    ax.set_title("Your progress per chapter")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, fontsize="small", frameon=False)
    fig.tight_layout()
    return fig


def show() -> None:
    """In a notebook: print the table and draw the chart."""
    rows = summary()
    print(table(rows))
    if not any(r.attempted or r.last_validate for r in rows):
        print("\nNothing recorded yet: answer a drill, or press Validate on an assignment, then run this cell again.")
    chart(rows)


# ---------------------------------------------------------------------------- CLI
def cmd_progress(args: argparse.Namespace) -> int:
    # strict: here an unreadable store is an error (the table would be wrong, not empty)
    rows = summary(args.user, strict=True)
    print(table(rows))
    print(f"\nrecorded in {store_path()}")
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "progress",
        help="show your progress per chapter: drills done, right at the first try, assignments validated",
        description=(
            "Print, per chapter, how many drills you have answered right, how many you got right "
            f"at the first try, and the latest Validate of the chapter's assignment. The record is "
            f"kept in your data folder ({ENV_DIR} overrides it), never in the course folder."
        ),
    )
    parser.add_argument("--user", help="whose progress (default: you; on JupyterHub, the hub user)")
    parser.set_defaults(func=cmd_progress)
